"""The typography report on the real leaflet, and small cases that provoke each rule."""
from __future__ import annotations

import pytest

from highlight import typography
from highlight.build import BuildOptions, build
from highlight.layout import TextLine
from highlight.text import Span, TextSetter

from conftest import EDITION
from test_text_engine import setter_and_style  # noqa: F401 (a fixture)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("typo")
    total_fit = build(BuildOptions(EDITION, str(out / "t.pdf"), report=True))
    greedy = build(BuildOptions(EDITION, str(out / "g.pdf"), report=True, greedy=True))
    return total_fit, greedy


def test_every_page_of_the_leaflet_keeps_every_rule(reports):
    total_fit, _ = reports
    assert len(total_fit.typography) == 8
    for page in total_fit.typography:
        assert (page.page, page.runts, page.loose, page.rule_breaks, page.overfull_frames) == (page.page, [], [], [], [])
        assert page.hyphenated == []
    assert not [d for d in total_fit.diagnostics.items if d.code.startswith("typo-")]


def test_first_fit_breaking_of_the_same_content_leaves_runts(reports):
    """The comparison the README shows: the same pages broken line by line, first fit."""
    total_fit, greedy = reports
    assert sum(len(p.runts) for p in greedy.typography) >= 5
    assert sum(len(p.runts) for p in total_fit.typography) == 0
    runts = [d for d in greedy.diagnostics.items if d.code == "typo-runt"]
    assert runts and all(d.source.file.endswith(".yaml") for d in runts)


def test_a_paragraph_whose_greedy_break_leaves_a_runt(setter_and_style):  # noqa: F811
    setter, layout = setter_and_style
    style = layout.style("body", "en")
    text = "Accelerator for Academic-Industry Collaborations Supporting Hong Kong as an I&T Hub"
    spans = [Span(text, style)]
    greedy = TextSetter(setter.fonts, greedy=True)
    width = setter.set(spans, 1000.0)[0].natural_pt - 10  # a measure that leaves "Hub" alone, first fit
    assert greedy.set(spans, width)[-1].text.strip() == "Hub"
    assert len(setter.set(spans, width)[-1].text.split()) > 1


def test_adjacent_punctuation_is_compressed(setter_and_style):  # noqa: F811
    setter, layout = setter_and_style
    style = layout.style("body", "zh")
    line = setter.set([Span("（按年 +4%），為專利申請", style, lang="zh")], 400.0)[0]
    assert line.compressed == 1
    plain = setter.set([Span("（按年 +4%）為專利申請，", style, lang="zh")], 400.0)[0]
    assert plain.compressed == 0
    # The pair `），` takes one and a half ems instead of two.
    assert abs((plain.natural_pt - line.natural_pt) - 0.5 * style.size_pt) < 0.01


def test_a_table_of_figures_is_aligned_on_its_right_edge(reports):
    total_fit, _ = reports
    page3 = total_fit.pages[2]
    figures = [i for i in page3.items if isinstance(i, TextLine) and i.frame == "tables" and i.line.text[:1].isdigit()]
    assert len(figures) == 14  # 6 student rows and 8 faculty rows
    right_edges = {round(i.x_pt + i.line.right_pt, 1) for i in figures}
    assert len(right_edges) == 2  # one edge per table


def test_figures_are_tabular(setter_and_style):  # noqa: F811
    """Lining, tabular figures: every digit as wide as every other, in both weights (so columns align)."""
    setter, _ = setter_and_style
    for weight in ("regular", "bold"):
        face = setter.fonts.face("latin", weight)
        assert len({face.advances[ord(d)] for d in "0123456789"}) == 1


def test_the_report_table_and_json(reports):
    total_fit, _ = reports
    text = typography.table(total_fit.typography)
    assert text.splitlines()[0].split()[:4] == ["page", "lines", "runts", "loose"]
    assert text.splitlines()[-1].startswith("total")
    assert typography.as_dict(total_fit.typography)[0]["runts"] == []


def test_a_latin_comma_inside_chinese_is_reported(tmp_path):
    from test_bad_input import PAGE, _edition, _run

    folder = _edition(tmp_path, PAGE.replace('zh: "運動科學"', 'zh: "運動,科學"'))
    code, printed = _run(["build", folder, "-o", str(tmp_path / "x.pdf"), "--report"])
    assert code == 0 and "warning[typo-rule]" in printed and "Latin punctuation in Chinese: 運動,科學" in printed
    assert _run(["build", folder, "-o", str(tmp_path / "x.pdf"), "--report", "--strict"])[0] == 1
