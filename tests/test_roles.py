"""The page model knows what it holds (issue 24): every laid-out item carries the role the layout stamped
where it placed it, and the tagged PDF's structure tree is built from those roles, never guessed from YAML
paths or characters. A kind without a role, or an item without one, is refused, not made a silent P."""
from __future__ import annotations

import dataclasses

import pytest

from highlight.diagnostics import SourceRef
from highlight.kinds import KINDS, Kind
from highlight.layout import LaidOutPage, Picture, QrMark, Ring, TextLine
from highlight.layout.items import ROLES, Role
from highlight.model import Heading
from highlight.structure import LEAF_TAGS, STRUCTURED, page_structure


def test_every_kind_has_a_role_the_structure_builds():
    assert set(LEAF_TAGS) | set(STRUCTURED) == set(ROLES)  # page_structure has a place for every role
    for kind in KINDS:
        assert kind.role in ROLES, kind.content.__name__


def test_a_kind_registered_without_a_role_is_refused():
    with pytest.raises(TypeError):
        Kind(Heading, styles=("heading1",))  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="not a role"):
        Role("sidebar")


def test_an_item_without_a_role_is_refused_not_made_a_paragraph(built):
    result, _ = built
    page = result.pages[0]
    line = next(i for i in page.items if isinstance(i, TextLine) and i.role and i.role.kind == "paragraph")
    unroled = dataclasses.replace(page, items=(dataclasses.replace(line, role=None),))
    with pytest.raises(ValueError, match="has no role"):
        page_structure(unroled)


def test_every_item_of_the_leaflet_has_its_role_element_language_and_source(built):
    result, _ = built
    kinds = set()
    for page in result.pages:
        assert isinstance(page, LaidOutPage)
        for item in page.items:
            if isinstance(item, (TextLine, Picture, QrMark, Ring)):
                assert item.role is not None and item.role.kind in ROLES, item
                kinds.add(item.role.kind)
            if isinstance(item, TextLine) and item.role.kind != "artifact":
                assert item.role.element and item.lang in ("en", "zh"), item
                assert isinstance(item.ref, SourceRef) and item.ref.file and item.ref.line, item
    assert {"title", "heading", "paragraph", "list-body", "table-caption", "table-header", "table-cell", "figure",
            "footnote-label", "footnote", "artifact"} <= kinds


def test_headings_keep_their_level(built):
    result, _ = built
    levels = {i.role.level for p in result.pages for i in p.items
              if isinstance(i, TextLine) and i.role and i.role.kind == "heading"}
    assert levels >= {1, 2}


def _lines(page, kind):
    return [i for i in page.items if isinstance(i, TextLine) and i.role and i.role.kind == kind]


def test_a_footnote_marker_is_its_label_whatever_the_character(built):
    """Δ and Ω are letters: the old guess (no letter or digit, three characters at most) read them as text."""
    result, _ = built
    markers = {i.line.text.strip() for p in result.pages for i in _lines(p, "footnote-label")}
    assert {"*", "Δ"} <= markers
    for page in result.pages:
        tree = page_structure(page).sect
        for note in (e for e in tree.walk() if e.kind == "Note"):
            assert [c.kind for c in note.children] == ["Lbl", "P"], note.note_id


def test_the_others_row_of_a_table_is_a_row_not_part_of_its_caption(built):
    result, _ = built
    page = next(p for p in result.pages if any("Other" in i.line.text for i in _lines(p, "table-header")))
    caption = " ".join(i.line.text for i in _lines(page, "table-caption"))
    assert "Other" not in caption
    headers = [i for i in _lines(page, "table-header") if i.line.text.startswith("Other ")]
    assert headers and all(h.role.part for h in headers)
    table = next(e for e in page_structure(page).sect.walk() if e.kind == "Table")
    rows = [tr for tr in table.children if tr.kind == "TR"]
    assert len({len(tr.children) for tr in rows}) == 1  # a regular grid: its sums are artifacts, its cells empty
