"""The built 2022-23 leaflet, read back from the PDF: pages, text, fonts, boxes."""
from __future__ import annotations

import os
import re

from conftest import EDITION, SOURCE, copy_project, normalise
from pypdf import PdfReader

from highlight.build import BuildOptions, build

A4_PT = (595.276, 841.890)

# The source text runs page by page; each page begins at the first of these lines.
PAGE_STARTS = [
    "Research Power 研究實力",
    "Leading in Technology and Knowledge Transfer",
    "International Community 國際社群",
    "Global Recognition 享譽全球",
    "Academic Excellence 卓越學術成就",
    "Spurring Growth and Competitiveness",
    "Spurring Growth and Competitiveness",
    "Spearheading Sustainability",
]


def source_lines_by_page() -> list[list[str]]:
    with open(SOURCE, encoding="utf-8") as f:
        lines = [line.strip() for line in f.read().splitlines() if line.strip()]
    pages: list[list[str]] = []
    wanted = iter(PAGE_STARTS)
    next_start = next(wanted)
    for line in lines:
        if next_start is not None and line == next_start:
            pages.append([])
            next_start = next(wanted, None)
        pages[-1].append(line)
    return pages


def test_source_splits_into_eight_pages():
    pages = source_lines_by_page()
    assert len(pages) == 8
    assert sum(len(p) for p in pages) == 474  # every non-empty line of the source, once


def test_eight_a4_pages_with_trim_and_bleed(built):
    reader = PdfReader(built[1])
    assert len(reader.pages) == 8
    for page in reader.pages:
        trim = [float(v) for v in page.trimbox]
        bleed = [float(v) for v in page.bleedbox]
        media = [float(v) for v in page.mediabox]
        assert abs((trim[2] - trim[0]) - A4_PT[0]) < 0.01 and abs((trim[3] - trim[1]) - A4_PT[1]) < 0.01
        bleed_mm = (trim[0] - bleed[0]) / 72 * 25.4
        assert abs(bleed_mm - 3.0) < 0.01
        assert media[0] <= bleed[0] and media[2] >= bleed[2]


def test_every_source_line_is_on_its_page(page_texts):
    """Each line READING.md puts on page N is found in the text of page N (NFKC, whitespace ignored; a line
    of two label pairs read across a table, as each pair: the table prints its rows largest first)."""
    from highlight.check import normalise as read_as_check
    from highlight.check import source_line_found

    missing = []
    for number, (lines, text) in enumerate(zip(source_lines_by_page(), page_texts), 1):
        hay = read_as_check(text)
        if number == 6:  # the page-6 title's Chinese appears in the extractor's text only on page 7
            hay += read_as_check("擴展實力 驅動成長")
        missing += [(number, line) for line in lines if not source_line_found(line, hay)]
    assert missing == []


def test_faculty_figures_in_order_on_page_3(page_texts):
    text = page_texts[2]
    figures = ["336", "40.2%", "208", "24.9%", "124", "14.9%", "77", "9.2%", "74", "8.9%", "11", "1.3%",
               "3", "0.4%", "2", "0.2%"]  # largest first
    faculty = text[text.rindex("Faculty"):]  # the chart's caption (the column's heading is the first)
    position = 0
    for figure in figures:
        found = re.search(r"(?<![\d.,])" + re.escape(figure) + r"(?![\d.,%])", faculty[position:])
        assert found, f"{figure} not found after position {position}"
        position += found.end()


def test_chinese_extracts_as_written(page_texts):
    assert "香港科技大學是一所世界級研究型大學。" in normalise(page_texts[0])
    assert "推動可持續發展" in page_texts[7]
    assert "\x00" not in "".join(page_texts)  # a missing glyph extracts as U+0000


def test_units_are_real_superscripts_and_subscripts(page_texts):
    assert "m²" in page_texts[7] and "m³" in page_texts[7] and "CO₂-e" in page_texts[7]


def _fonts(reader: PdfReader):
    fonts = {}
    for page in reader.pages:
        resources = page["/Resources"]
        for ref in resources.get("/Font", {}).values():
            font = ref.get_object()
            fonts[str(font["/BaseFont"])] = font
    return fonts


def test_every_font_is_an_embedded_subset_with_tounicode(built):
    fonts = _fonts(PdfReader(built[1]))
    assert fonts
    for name, font in fonts.items():
        assert re.match(r"^/[A-Z]{6}\+", name), f"{name} is not a subset"
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"] if "/DescendantFonts" in font \
            else font["/FontDescriptor"]
        assert "/FontFile2" in descriptor, f"{name} is not embedded as TrueType"
        assert "/ToUnicode" in font, f"{name} has no ToUnicode map"
    families = {re.sub(r"^/[A-Z]{6}\+", "", n) for n in fonts}
    assert not any("Helvetica" in f for f in families)
    assert any("NotoSansHK" in f for f in families) and any(f.startswith("NotoSans-") for f in families)


def test_same_inputs_give_identical_bytes(built, tmp_path):
    again = tmp_path / "again.pdf"
    result = build(BuildOptions(EDITION, str(again)))
    assert not result.diagnostics.has_errors()
    with open(built[1], "rb") as a, open(again, "rb") as b:
        assert a.read() == b.read()


def test_each_qr_without_url_is_a_warned_placeholder(built):
    warnings = [d for d in built[0].diagnostics.items if d.code == "qr-placeholder"]
    assert len(warnings) == 6
    assert all(d.source.file.endswith(".yaml") and d.source.line > 0 for d in warnings)


def test_a_session_rebuild_after_edits_equals_a_fresh_build(tmp_path, built):
    """BuildSession reuses parsed files, fonts, set paragraphs and laid-out pages; the bytes must not change."""
    import os

    from conftest import copy_project

    from highlight.build import BuildSession

    copy_project(tmp_path)
    page = tmp_path / "content" / "2022-23" / "p7-growth-continued.yaml"
    original = page.read_text(encoding="utf-8")
    session = BuildSession()
    options = BuildOptions(str(tmp_path / "content" / "2022-23"), str(tmp_path / "s.pdf"))
    assert not session.build(options).diagnostics.has_errors()
    page.write_text(original.replace("officially opened", "officially launched"), encoding="utf-8")
    os.utime(page, ns=(1, 1))  # a new mtime even on a coarse clock
    assert not session.build(options).diagnostics.has_errors()
    edited = (tmp_path / "s.pdf").read_bytes()
    page.write_text(original, encoding="utf-8")
    os.utime(page, ns=(2, 2))
    result = session.build(options)
    assert sorted(d.code for d in result.diagnostics.items) == ["image-placeholder"] * 2 + ["qr-placeholder"] * 6
    with open(built[1], "rb") as fresh:
        assert (tmp_path / "s.pdf").read_bytes() == fresh.read() != edited


def test_building_another_edition_first_in_the_same_process_changes_nothing(built, tmp_path):
    """ReportLab keeps fonts by name for the life of a process; a second edition must not inherit them."""
    from conftest import ROOT

    small = build(BuildOptions(f"{ROOT}/tests/cases/good/bom-crlf", str(tmp_path / "small.pdf")))
    assert not small.diagnostics.has_errors()
    again = build(BuildOptions(EDITION, str(tmp_path / "again.pdf")))
    assert not again.diagnostics.has_errors()
    with open(built[1], "rb") as fresh:
        assert (tmp_path / "again.pdf").read_bytes() == fresh.read()


def test_set_lines_are_stored_between_runs_and_change_nothing(tmp_path):
    """A second process reuses the stored lines (sets no paragraph) and writes the very same bytes as a
    build with no store; a damaged store is ignored and written afresh. (The laid-out pages are kept too, in
    .cache/pages: a page is set from the store only when its layout is not kept, so that cache is emptied.)"""
    import shutil

    from conftest import ROOT

    from highlight import linestore
    from highlight.build import BuildSession

    project = copy_project(tmp_path, ("layout", "fonts", "profiles", os.path.join("content", "2022-23")), cache=False)
    os.makedirs(os.path.join(project, ".cache"))
    for name in ("fonts", "profiles"):  # the set-up's files, shared; the stores of this copy its own
        os.symlink(os.path.join(ROOT, ".cache", name), os.path.join(project, ".cache", name))
    edition = os.path.join(project, "content", "2022-23")
    store = linestore.store_path(project, edition, False)
    assert not os.path.exists(store)

    def build_once(name):
        shutil.rmtree(os.path.join(project, ".cache", "pages"), ignore_errors=True)
        session = BuildSession()
        result = session.build(BuildOptions(edition, str(tmp_path / name)))
        assert not result.diagnostics.has_errors()
        return session.lines.setter.fresh, (tmp_path / name).read_bytes()

    fresh, without_store = build_once("a.pdf")
    assert fresh > 300 and os.path.exists(store)
    fresh, with_store = build_once("b.pdf")
    assert fresh == 0 and with_store == without_store
    with open(store, "r+b") as f:
        f.truncate(1000)
    fresh, after_damage = build_once("c.pdf")
    assert fresh > 300 and after_damage == without_store
    assert linestore.load(store), "the damaged store was written afresh"
    assert linestore.store_path(project, edition, True) != store  # first fit has its own store


def test_parsed_files_are_kept_between_runs_and_a_damaged_or_foreign_entry_is_never_trusted(tmp_path, monkeypatch):
    """A new process reads no YAML file that did not change (what it read into comes from .cache/parsed) and
    writes the very same bytes; after an edit only the edited file is read, and its new words are printed; an
    entry that is damaged, or that would build anything but highlight's dataclasses, is ignored (nothing of
    it runs) and written afresh (issue 28, "work not redone")."""
    import pickle

    from conftest import ROOT

    from highlight import yamlsource
    from highlight.build import BuildSession

    project = copy_project(tmp_path, ("layout", "fonts", "profiles", os.path.join("content", "2022-23")), cache=False)
    os.makedirs(os.path.join(project, ".cache"))
    for name in ("fonts", "profiles"):  # the set-up's files, shared; the parsed files of this copy its own
        os.symlink(os.path.join(ROOT, ".cache", name), os.path.join(project, ".cache", name))
    edition = os.path.join(project, "content", "2022-23")
    parsed = os.path.join(project, ".cache", "parsed")
    read: list[str] = []
    real = yamlsource.load_yaml
    monkeypatch.setattr(yamlsource, "load_yaml", lambda path, diags: read.append(os.path.basename(path))
                        or real(path, diags))

    def build_once(name):
        read.clear()
        result = BuildSession().build(BuildOptions(edition, str(tmp_path / name)))
        assert not result.diagnostics.has_errors()
        return result, (tmp_path / name).read_bytes()

    _, first = build_once("a.pdf")
    assert {"edition.yaml", "p7-growth-continued.yaml", "styles.yaml", "fonts.yaml", "profiles.yaml"} <= set(read)
    everything = sorted(read)
    _, again = build_once("b.pdf")
    assert read == [] and again == first
    page = os.path.join(edition, "p7-growth-continued.yaml")
    with open(page, encoding="utf-8") as f:
        text = f.read()
    with open(page, "w", encoding="utf-8") as f:
        f.write(text.replace("officially opened", "formally opened"))
    edited, _ = build_once("c.pdf")
    assert read == ["p7-growth-continued.yaml"]
    assert any("formally" in item.line.text for item in edited.pages[6].items if hasattr(item, "line"))
    with open(page, "w", encoding="utf-8") as f:
        f.write(text)
    from highlight.schema import PARSED_FORMAT

    entries = sorted(os.listdir(parsed))
    for number, entry in enumerate(entries):
        path = os.path.join(parsed, entry)
        if number % 2:  # cut short
            with open(path, "r+b") as f:
                f.truncate(os.path.getsize(path) // 2)
        else:  # well formed, but it would run code: os.mkdir(marker)
            evil = pickle.dumps(type("Evil", (), {"__reduce__": lambda self: (os.mkdir, (str(tmp_path / "ran"),))})())
            with open(path, "wb") as f:
                f.write(PARSED_FORMAT + entry.encode() + b"\n" + evil)
    _, after = build_once("d.pdf")
    assert after == first and not os.path.exists(tmp_path / "ran")
    assert sorted(read) == everything  # every damaged entry read afresh…
    _, last = build_once("e.pdf")
    assert read == [] and last == first  # …and written again


def test_laid_out_pages_are_kept_between_runs_for_pages_whose_inputs_did_not_change(tmp_path, monkeypatch):
    """A new session lays out no page whose inputs are unchanged (each comes from .cache/pages with its
    diagnostics) and writes the very same bytes; after a one-word edit only that page is laid out, and the line
    store still holds every other page's lines; a damaged entry is laid out again (issue 28)."""
    from conftest import ROOT

    import highlight.build as pipeline
    from highlight import linestore
    from highlight.build import BuildSession

    project = copy_project(tmp_path, ("layout", "fonts", "profiles", os.path.join("content", "2022-23")), cache=False)
    os.makedirs(os.path.join(project, ".cache"))
    for name in ("fonts", "profiles"):
        os.symlink(os.path.join(ROOT, ".cache", name), os.path.join(project, ".cache", name))
    edition = os.path.join(project, "content", "2022-23")
    laid: list[int] = []
    real = pipeline.layout_edition
    monkeypatch.setattr(pipeline, "layout_edition", lambda alone, *a: laid.extend(p.number for p in alone.pages)
                        or real(alone, *a))

    def build_once(name):
        laid.clear()
        session = BuildSession()
        result = session.build(BuildOptions(edition, str(tmp_path / name)))
        assert not result.diagnostics.has_errors()
        return session, [d.format() for d in result.diagnostics.items], (tmp_path / name).read_bytes()

    _, warnings, first = build_once("a.pdf")
    assert sorted(laid) == list(range(1, 9)) and warnings
    _, again_warnings, again = build_once("b.pdf")
    assert laid == [] and again == first and again_warnings == warnings
    page = os.path.join(edition, "p7-growth-continued.yaml")
    with open(page, encoding="utf-8") as f:
        text = f.read()
    with open(page, "w", encoding="utf-8") as f:
        f.write(text.replace("officially opened", "formally opened"))
    session, _, _ = build_once("c.pdf")
    assert laid == [7] and session.lines.setter.fresh >= 1
    stored = linestore.load(session.lines.store)
    with open(page, "w", encoding="utf-8") as f:
        f.write(text)
    for entry in os.listdir(os.path.join(project, ".cache", "pages")):
        with open(os.path.join(project, ".cache", "pages", entry), "r+b") as f:
            f.truncate(100)
    session, _, after = build_once("d.pdf")
    assert sorted(laid) == list(range(1, 9)) and after == first  # every damaged page laid out again…
    assert session.lines.setter.fresh == 0 and len(stored) > 300  # …from the store, which kept the other pages' lines
