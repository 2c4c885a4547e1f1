"""The one table of element kinds (highlight/layout/elements.py): every kind of the content has its entry,
and an entry's styles are the styles its layout function sets, so styles.yaml is checked for exactly
what the engine needs."""
from __future__ import annotations

import typing

import pytest

from highlight.content import Element
from highlight.diagnostics import Diagnostics
from highlight.kinds import PAGE_STYLES, engine_styles
from highlight.layout import ELEMENTS, FrameContext, kind_of
from highlight.layout.elements import lay_out


def test_every_content_kind_has_one_entry():
    kinds = [kind.content for kind in ELEMENTS]
    assert sorted(k.__name__ for k in kinds) == sorted(k.__name__ for k in typing.get_args(Element))
    assert len(set(kinds)) == len(kinds)


def test_an_element_that_is_no_kind_is_refused_by_name():
    with pytest.raises(TypeError, match="str is not an element kind"):
        kind_of("a paragraph")


class _Recording(FrameContext):
    """A frame's context that notes every style asked of it."""

    asked: typing.ClassVar[set] = set()

    def style(self, name, lang):
        _Recording.asked.add(name)
        return super().style(name, lang)


def test_each_kind_sets_only_the_styles_its_entry_names(setter_and_style):
    from conftest import EDITION, ROOT

    from highlight.build import load_inputs

    setter, layout = setter_and_style
    # The printed 2022-23 leaflet has no picture: a case of tests/cases holds one (its files are made by tests).
    pictures = load_inputs(f"{ROOT}/tests/cases/images/photos", Diagnostics())[0]
    edition = load_inputs(EDITION, Diagnostics())[0]
    seen = set()
    for page in edition.pages + pictures.pages:
        template = layout.templates[page.template]
        for block in page.blocks:
            frame = template.frames.get(block.frame) or next(  # (an older name a frame takes: aliases)
                f for f in template.frames.values() if block.frame in (f.aliases or ()))
            for element in block.elements:
                kind = kind_of(element)
                seen.add(kind.content)
                _Recording.asked = set()
                lay_out(_Recording(layout, setter, Diagnostics(), page.number, block.frame), element, 200.0, frame)
                assert _Recording.asked <= set(kind.styles), (kind.content.__name__, _Recording.asked)
    assert seen == {kind.content for kind in ELEMENTS}, "the edition no longer has an element of every kind"
    assert set(engine_styles()) == set(PAGE_STYLES) | {s for kind in ELEMENTS for s in kind.styles}
