"""`highlight check --source`: a PDF against a plain-text copy deck, both ways."""
from __future__ import annotations

from conftest import SOURCE, run_cli
from pypdf import PdfReader

from highlight.check import check_source, read_pages


def test_the_leaflet_matches_its_source_both_ways(built):
    report = check_source(SOURCE, built[1])
    assert report.source_lines == 474
    assert report.missing == [] and report.extra == []


def test_the_folio_is_furniture_not_content(built):
    plain = PdfReader(built[1]).pages[0].extract_text()
    assert "Annual Highlights 2022-23" in plain  # it is printed ...
    assert not any("Annual Highlights" in piece for page in read_pages(built[1]) for piece in page.pieces)  # ... as an artifact


def test_a_changed_figure_shows_up_as_missing_and_as_extra(built, tmp_path):
    with open(SOURCE, encoding="utf-8") as f:
        source = f.read()
    deck = tmp_path / "deck.txt"
    deck.write_text(source.replace("HK$956M", "HK$965M").replace("Sports science\n", "Sports sciences\n"),
                    encoding="utf-8")
    code, printed = run_cli(["check", built[1], "--source", str(deck)])
    assert code == 1
    assert "missing from the PDF (source line" in printed and "HK$965M" in printed and "Sports sciences" in printed
    assert "page 1: not in the source: HK$956M" in printed
    assert "covered 472/474 source lines" in printed


def test_unusable_inputs_exit_2(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    assert run_cli(["check", str(bad), "--source", SOURCE])[0] == 2
    assert run_cli(["check", str(tmp_path / "none.pdf"), "--source", SOURCE])[0] == 2


# -- check against the content: seeded mistakes ----------------------------------------------------------

import os

import pytest
from conftest import EDITION, copy_project


def _pdf_built_from_edited_content(tmp_path, page: str, old: str, new: str) -> str:
    """A PDF built from a copy of the content with one edit (the 'mistake' a late hand made)."""
    copy_project(tmp_path)
    path = tmp_path / "content" / "2022-23" / page
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, printed = run_cli(["build", str(tmp_path / "content" / "2022-23"), "-o", str(tmp_path / "edited.pdf")])
    assert code == 0, printed
    return str(tmp_path / "edited.pdf")


def test_the_built_leaflet_matches_its_content(built):
    code, printed = run_cli(["check", EDITION, built[1]])
    assert code == 0 and "0 errors" in printed


@pytest.mark.parametrize("page, old, new, code, where, shown", [
    # a changed figure in the PDF
    ("p1-research-power.yaml", '"HK$956M"', '"HK$965M"', "check-figure", "p1-research-power.yaml:",
     "-HK$956M +HK$965M"),
    # a dropped line
    ("p1-research-power.yaml", '            - {en: "Sports science", zh: "運動科學"}\n', "", "check-missing",
     "(blocks[3].elements[1].list.items[1])", "missing: 'Sports science'"),
    # a swapped footnote marker
    ("p1-research-power.yaml", "annual highlight[^*]", "annual highlight[^Δ]", "check-missing",
     "(blocks[0].elements[0].paragraph)", "-* +Δ"),
])
def test_a_seeded_mistake_is_caught_with_its_source(tmp_path, page, old, new, code, where, shown):
    pdf = _pdf_built_from_edited_content(tmp_path, page, old, new)
    status, printed = run_cli(["check", EDITION, pdf])
    assert status == 1
    lines = [ln for ln in printed.splitlines() if f"error[{code}]" in ln]
    assert lines and where in lines[0] and shown in lines[0], printed


def test_a_chinese_figure_that_differs_from_its_english_twin_is_caught(tmp_path):
    pdf = _pdf_built_from_edited_content(tmp_path, "p5-whole-person.yaml", '"942名學生', '"924名學生')
    edited = str(tmp_path / "content" / "2022-23")
    status, printed = run_cli(["check", edited, pdf, "--strict"])
    assert status == 1
    assert "p5-whole-person.yaml:" in printed and "warning[parity-figures]" in printed
    assert "only in English none; only in Chinese 924" in printed


def test_diff_names_the_changed_words_and_draws_each_changed_page(built, tmp_path):
    new = _pdf_built_from_edited_content(tmp_path, "p1-research-power.yaml", '"HK$956M"', '"HK$965M"')
    code, printed = run_cli(["diff", built[1], new, "--out", str(tmp_path / "diff")])
    assert code == 1
    assert "page 1:" in printed and "- HK$956M" in printed and "+ HK$965M" in printed
    assert "1 page changed" in printed  # (was "1 page(s)")
    assert sorted(os.listdir(tmp_path / "diff")) == ["page-01.png"]
    assert run_cli(["diff", built[1], built[1], "--out", str(tmp_path / "same")])[0] == 0


def test_a_text_the_layout_failed_to_set_stops_the_build_with_its_place(tmp_path):
    """The build compares the laid-out lines with the content before drawing: a line lost by the layout
    (here removed by hand from page 3) is an error naming the text's place in the YAML."""
    from dataclasses import replace

    from highlight.build import BuildOptions, build
    from highlight.checks.layout import check_laid_out
    from highlight.content import load_edition
    from highlight.diagnostics import Diagnostics
    from highlight.layout import TextLine

    result = build(BuildOptions(EDITION, str(tmp_path / "x.pdf")))
    edition = load_edition(EDITION, Diagnostics())
    diags = Diagnostics()
    check_laid_out(edition, result.pages, diags)
    assert diags.items == []
    page3 = result.pages[2]
    lost = next(i for i in page3.items if isinstance(i, TextLine) and i.line.text.startswith("Worldwide recruitment"))
    damaged = replace(page3, items=tuple(i for i in page3.items if i is not lost))
    check_laid_out(edition, [*result.pages[:2], damaged, *result.pages[3:]], diags)
    (error,) = diags.items
    assert error.code == "dropped-text" and error.page == 3
    assert error.source.file.endswith("p3-international-community.yaml") and error.source.line > 0
    assert "Worldwide recruitment" in error.message


def test_check_content_reports_order_findings_and_goes_on_to_the_word_breaks(built, tmp_path):
    """check_content's order findings (errors) do not stop it when it next reads the house's words.yaml: a YAML
    reader fails for its own file's errors only. Fails on 863548c: BuildFailed from load_yaml, which raised on
    any error collected before it was asked (found by pages3 calling check_content from Python)."""
    from conftest import copy_project, move_block

    from highlight.check import check_content
    from highlight.diagnostics import Diagnostics

    copy_project(tmp_path)
    page = tmp_path / "content" / "2022-23" / "p5-whole-person.yaml"
    move_block(page, "knowledge-transfer", before="academic-excellence")  # the PDF, built from the copy, reads otherwise
    diags = Diagnostics()
    check_content(str(page.parent), built[1], diags)
    assert {d.code for d in diags.items} == {"check-order"}, [d.format() for d in diags.items]
