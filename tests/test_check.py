"""`highlight check --source`: a PDF against a plain-text copy deck, both ways."""
from __future__ import annotations

from pypdf import PdfReader

from highlight.check import check_source, read_pages

from conftest import SOURCE
from test_bad_input import _run


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
    code, printed = _run(["check", built[1], "--source", str(deck)])
    assert code == 1
    assert "missing from the PDF (source line" in printed and "HK$965M" in printed and "Sports sciences" in printed
    assert "page 1: not in the source: HK$956M" in printed
    assert "covered 472/474 source lines" in printed


def test_unusable_inputs_exit_2(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    assert _run(["check", str(bad), "--source", SOURCE])[0] == 2
    assert _run(["check", str(tmp_path / "none.pdf"), "--source", SOURCE])[0] == 2
