"""Breakdown charts people can read (DESIGN.md, "Charts people can read").

Measured on the laid-out pages: the order of a table's rows and of its chart's
segments, the colour difference between neighbouring segments as printed
(CIEDE2000 through the output profile), the Others row, the 100 % bar's
geometry, captions and the alignment of charts side by side, and the gap
between the counts and the percentages.
"""
from __future__ import annotations

import itertools
import os

import pytest
from conftest import ROOT, make_edition, run_cli

from highlight.build import BuildOptions, build
from highlight.layout import Box, Ring, Rule, TextLine
from highlight.layout_spec import MM

MID_PT = 105 * MM  # the page's middle: page 3's tables frame holds two cells, one each side


def _cell(items, left: bool) -> list:
    def x(item):
        return item.cx_pt if isinstance(item, Ring) else item.x_pt if isinstance(item, (Box, TextLine)) else item.x1_pt
    return [i for i in items if (x(i) < MID_PT) == left]


def _table_lines(items) -> tuple[list, list, list]:
    """A table's label, count and percentage lines, top to bottom."""
    lines = sorted((i for i in items if isinstance(i, TextLine) and i.frame == "tables"), key=lambda i: i.baseline_pt)
    counts = [i for i in lines if i.line.text.replace(",", "").isdigit()]
    percents = [i for i in lines if i.line.text.endswith("%")]
    labels = [i for i in lines if i not in counts and i not in percents]
    return labels, counts, percents


def _rings(items) -> list[Ring]:
    return sorted((i for i in items if isinstance(i, Ring)), key=lambda r: r.start_deg)


def _swatches(items, labels) -> list[Box]:
    """The colour key before each label: the small square left of its line."""
    boxes = [i for i in items if isinstance(i, Box) and i.width_pt == i.height_pt and i.width_pt < 4 * MM]
    return [next(b for b in boxes if label.baseline_pt - label.line.ascent_pt < b.y_pt + b.height_pt
                 and b.y_pt < label.baseline_pt) for label in labels]


def _count(line: TextLine) -> int:
    return int(line.line.text.replace(",", ""))


def _p3_tables():
    from highlight.content import load_edition
    from highlight.diagnostics import Diagnostics

    edition = load_edition(os.path.join(ROOT, "content", "2022-23"), Diagnostics())
    page = next(p for p in edition.pages if p.number == 3)
    return next(b for b in page.blocks if b.frame == "tables").elements  # students, faculty


def _lab(cmyks: list) -> list:
    from highlight.colour import lab_through_profile
    from highlight.diagnostics import Diagnostics
    from highlight.profiles import load_manifest, profile_path

    manifest = load_manifest(os.path.join(ROOT, "profiles", "profiles.yaml"), Diagnostics())
    with open(profile_path(manifest, os.path.join(ROOT, ".cache", "profiles")), "rb") as f:
        return lab_through_profile(cmyks, f.read())


def _ink(colour, tint: float) -> tuple:
    return tuple(v * tint for v in colour.cmyk)


# -- order --------------------------------------------------------------------------
def test_rows_largest_first_unless_the_content_fixes_the_order_and_the_ring_in_the_tables_order(built):
    """Page 3: the faculty table prints its rows largest first; the students table says `order: fixed`
    (the source prints "North America 北美 Mainland 內地" as one line) and prints them as written. Each
    ring is drawn clockwise from 12 o'clock in its table's order, each segment its row's share."""
    result, _ = built
    items = result.pages[2].items
    students, faculty = _p3_tables()
    for left, table in ((True, students), (False, faculty)):
        _labels, counts, _ = _table_lines(_cell(items, left))
        printed = [_count(c) for c in counts]
        written = [row.count for row in table.rows]
        assert printed == (written if table is students else sorted(written, reverse=True))
        rings = _rings(_cell(items, left))
        assert len(rings) == len(printed)
        assert rings[0].start_deg == 0.0
        for ring, count in zip(rings, printed):
            assert ring.sweep_deg == pytest.approx(360.0 * count / table.total)
    assert faculty.order == "size" and students.order == "fixed"


# -- colour -------------------------------------------------------------------------
SHARMA_2005 = [  # pairs from Sharma, Wu and Dalal's CIEDE2000 test data, with their published ΔE00
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0011), 7.2195),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((22.7233, 20.0904, -46.694), (23.0331, 14.973, -42.5619), 2.0373),
    ((90.8027, -2.0831, 1.441), (91.1528, -1.6435, 0.0447), 1.4441),
]


@pytest.mark.parametrize("lab1, lab2, expected", SHARMA_2005)
def test_ciede2000_matches_the_published_test_data(lab1, lab2, expected):
    from highlight.colour import ciede2000

    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_neighbouring_segments_and_their_swatches_differ_visibly_as_printed(built):
    """Page 3: every two segments side by side (the last beside the first, round the ring) differ by at
    least charts.min_delta_e (CIEDE2000 through the print profile), and each row's swatch in the table is
    its segment's colour."""
    from highlight.colour import ciede2000

    result, _ = built
    threshold = 10.0  # DESIGN.md: tints far enough apart to tell apart at a glance

    for left in (True, False):
        cell = _cell(result.pages[2].items, left)
        rings = _rings(cell)
        labs = _lab([_ink(r.colour, r.tint) for r in rings])
        gaps = [ciede2000(labs[i - 1], labs[i]) for i in range(len(labs))]  # i = 0: the last beside the first
        assert min(gaps) >= threshold, [round(g, 1) for g in gaps]
        assert min(gaps) >= result.layout.geometry.charts.min_delta_e >= threshold
        _caption, *labels = _table_lines(cell)[0]
        assert [(s.colour, s.tint) for s in _swatches(cell, labels)] == [(r.colour, r.tint) for r in rings]


def test_the_key_row_is_gold_and_the_rest_navy(built):
    result, _ = built
    colours = result.layout.colours
    for left in (True, False):
        rings = _rings(_cell(result.pages[2].items, left))
        biggest = max(rings, key=lambda r: r.sweep_deg)
        assert biggest.colour == colours["accent"]
        assert {r.colour for r in rings if r is not biggest} == {colours["primary"]}
        assert len({r.tint for r in rings if r is not biggest}) >= 3  # three or four steps of navy


def test_a_palette_too_close_to_tell_apart_is_refused_where_it_is_written(tmp_path):
    from conftest import PAGE

    folder = make_edition(tmp_path, PAGE)
    page_yaml = tmp_path / "layout" / "page.yaml"
    text = page_yaml.read_text(encoding="utf-8")
    assert "{colour: primary, tint: 0.7}" in text
    page_yaml.write_text(text.replace("{colour: primary, tint: 0.7}", "{colour: primary, tint: 0.9}"), "utf-8")
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf")])
    assert code == 1, printed
    line = next(ln for ln in printed.splitlines() if "error[chart-palette]" in ln)
    assert "page.yaml:" in line and "(charts.palette[1])" in line and "primary at 1 and primary at 0.9" in line
    assert "Traceback" not in printed


# -- Others -------------------------------------------------------------------------
TABLE = """page: 1
template: p3
title: {en: "International Community", zh: "國際社群"}
blocks:
  - frame: tables
    elements:
      - breakdown:
          caption: {en: "Partners", zh: "夥伴"}
%s          total: 1000
          rows:
            - {label: {en: "Europe", zh: "歐洲"}, count: 300, percent: 30.0}
            - {label: {en: "Africa", zh: "非洲"}, count: 6, percent: 0.6}
            - {label: {en: "Asia", zh: "亞洲"}, count: 500, percent: 50.0}
            - {label: {en: "Oceania", zh: "大洋洲"}, count: 40, percent: 4.0}
            - {label: {en: "Mainland", zh: "內地"}, count: 4, percent: 0.4}
            - {label: {en: "North America", zh: "北美"}, count: 150, percent: 15.0}
"""
OTHERS = '          others_label: {en: "Other regions", zh: "其他地區"}\n'


def _build_table(tmp_path, extra: str):
    folder = make_edition(tmp_path, TABLE % extra)
    out = tmp_path / "x.pdf"
    result = build(BuildOptions(folder, str(out)))
    errors = [d.format() for d in result.diagnostics.items if d.severity >= 2]
    assert not errors, "\n".join(errors)
    return folder, str(out), result


def test_small_rows_are_grouped_as_others_and_the_table_still_adds_up(tmp_path):
    """Rows under charts.others_below_percent (1 %) become one row, labelled from the content, at the foot;
    counts still add up to the total and percentages to the rows' own; `check` finds the table as printed."""
    from highlight.check import check_content
    from highlight.diagnostics import Diagnostics

    folder, pdf, result = _build_table(tmp_path, OTHERS)
    labels, counts, percents = _table_lines(result.pages[0].items)
    _caption, *labels = labels
    assert [ln.line.text for ln in labels] == ["Asia 亞洲", "Europe 歐洲", "North America 北美", "Oceania 大洋洲",
                                               "Other regions 其他地區"]
    assert [_count(c) for c in counts] == [500, 300, 150, 40, 10]
    assert sum(_count(c) for c in counts) == 1000
    assert [p.line.text for p in percents][-1] == "1.0%"
    assert sum(float(p.line.text[:-1]) for p in percents) == pytest.approx(100.0)
    assert len(_rings(result.pages[0].items)) == 5
    diags = Diagnostics()
    check_content(folder, pdf, diags)
    assert not diags.items, [d.format() for d in diags.items]


def test_group_small_false_prints_every_row_and_no_label_warns(tmp_path):
    """`group_small: false` (the source prints every region) keeps each row; without it and without an
    others_label each row is printed too, with a warning saying how to group them."""
    _, _, kept = _build_table(tmp_path / "a", OTHERS + "          group_small: false\n")
    assert [_count(c) for c in _table_lines(kept.pages[0].items)[1]] == [500, 300, 150, 40, 6, 4]
    assert not [d for d in kept.diagnostics.items if d.code == "breakdown-others"]
    _, _, unlabelled = _build_table(tmp_path / "b", "")
    assert [_count(c) for c in _table_lines(unlabelled.pages[0].items)[1]] == [500, 300, 150, 40, 6, 4]
    warning = next(d for d in unlabelled.diagnostics.items if d.code == "breakdown-others")
    assert "Africa, Mainland" in warning.message and "others_label" in warning.hint


def test_a_row_marked_key_takes_the_accent_and_two_keys_are_refused(tmp_path):
    marked = (TABLE % "").replace('count: 150, percent: 15.0}', 'count: 150, percent: 15.0, key: true}')
    folder = make_edition(tmp_path / "a", marked)
    result = build(BuildOptions(folder, str(tmp_path / "a.pdf")))
    rings = _rings(result.pages[0].items)
    gold = [r for r in rings if r.colour == result.layout.colours["accent"]]
    assert len(gold) == 1 and gold[0].sweep_deg == pytest.approx(360 * 0.15)
    twice = marked.replace('count: 500, percent: 50.0}', 'count: 500, percent: 50.0, key: true}')
    folder = make_edition(tmp_path / "b", twice)
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "b.pdf")])
    assert code == 1 and "error[breakdown-key]" in printed and "rows[5].key" in printed, printed


# -- the 100 % bar -------------------------------------------------------------------
def test_a_100_percent_bar_is_the_tables_rows_left_to_right(tmp_path):
    """`chart: bar100`: one bar the width of the cell, between caption and table; its segments the rows in
    table order, each as long as its share, abutting, with paper-white seams between them; each row's
    swatch the colour of its segment."""
    _, _, result = _build_table(tmp_path, "          chart: bar100\n")
    layout, items = result.layout, result.pages[0].items
    assert not _rings(items)
    charts = layout.geometry.charts
    segments = sorted((i for i in items if isinstance(i, Box) and abs(i.height_pt - charts.bar_height_mm * MM) < 1e-6),
                      key=lambda b: b.x_pt)
    labels, counts, _ = _table_lines(items)
    caption, *labels = labels
    shares = [_count(c) for c in counts]
    assert len(segments) == len(shares) == 6
    left, width = layout.column_x_pt(1, 12)
    cell = (width - layout.geometry.grid.gutter_mm * MM) / 2
    assert segments[0].x_pt == pytest.approx(left)
    for before, after in itertools.pairwise(segments):
        assert after.x_pt == pytest.approx(before.x_pt + before.width_pt)
    assert sum(s.width_pt for s in segments) == pytest.approx(cell)
    for segment, count in zip(segments, shares):
        assert segment.width_pt == pytest.approx(cell * count / 1000)
    top = segments[0].y_pt
    assert all(s.y_pt == top for s in segments)
    assert caption.baseline_pt < top and top + segments[0].height_pt < labels[0].baseline_pt - labels[0].line.ascent_pt
    assert [(s.colour, s.tint) for s in _swatches(items, labels)] == [(s.colour, s.tint) for s in segments]
    seams = [i for i in items if isinstance(i, Rule) and i.x1_pt == i.x2_pt and i.y1_pt == top]
    assert sorted(round(r.x1_pt, 3) for r in seams) == [round(s.x_pt, 3) for s in segments[1:]]
    assert all(r.colour.cmyk == (0, 0, 0, 0) for r in seams)


def test_bar100_is_accepted_on_a_frame_too(tmp_path):
    folder = make_edition(tmp_path, TABLE % OTHERS)
    templates = tmp_path / "layout" / "templates.yaml"
    text = templates.read_text(encoding="utf-8")
    assert "cells: 2, chart: ring," in text
    templates.write_text(text.replace("cells: 2, chart: ring,", "cells: 2, chart: bar100,"), "utf-8")
    result = build(BuildOptions(folder, str(tmp_path / "x.pdf")))
    assert not result.diagnostics.has_errors()
    assert not _rings(result.pages[0].items)
    assert len([i for i in result.pages[0].items if isinstance(i, Box) and i.width_pt > 20 * MM]) >= 1


# -- captions and alignment -------------------------------------------------------------
def _has_both_languages(text: str) -> bool:
    return any(c.isascii() and c.isalpha() for c in text) and any("\u4e00" <= c <= "\u9fff" for c in text)


def test_every_chart_on_page_3_is_captioned_in_both_languages_and_the_two_stand_level(built):
    result, _ = built
    items = result.pages[2].items
    found = []
    for left in (True, False):
        cell = _cell(items, left)
        ring = _rings(cell)[0]
        labels, _, _ = _table_lines(cell)
        above = [ln for ln in labels if ln.baseline_pt < ring.cy_pt - ring.outer_pt]
        assert len(above) == 1 and _has_both_languages(above[0].line.text), [ln.line.text for ln in above]
        rows = [ln for ln in labels if ln.baseline_pt > ring.cy_pt]
        found.append((above[0].baseline_pt, ring.cy_pt, ring.outer_pt, rows[0].baseline_pt))
    assert found[0] == pytest.approx(found[1])  # captions, ring centres, ring sizes, first rows: one height each


def test_charts_of_a_row_stand_level_when_only_one_has_a_caption(tmp_path):
    """Every chart reserves a caption line: an uncaptioned ring beside a captioned one stands at its height,
    and both tables start on one line."""
    second = (TABLE % OTHERS).split("    elements:\n", 1)[1].replace('          caption: {en: "Partners", zh: "夥伴"}\n', "")
    folder = make_edition(tmp_path, TABLE % OTHERS + second)
    result = build(BuildOptions(folder, str(tmp_path / "x.pdf")))
    assert not result.diagnostics.has_errors()
    items = result.pages[0].items
    left, right = _rings(_cell(items, True)), _rings(_cell(items, False))
    assert left and right
    assert (left[0].cy_pt, left[0].outer_pt) == pytest.approx((right[0].cy_pt, right[0].outer_pt))
    first_rows = [_table_lines(_cell(items, side))[1][0].baseline_pt for side in (True, False)]
    assert first_rows[0] == pytest.approx(first_rows[1])


# -- figures ---------------------------------------------------------------------------
def test_counts_and_percentages_stand_in_separate_columns_a_clear_gap_apart(built):
    """Page 3: on every row the percentage starts at least 2 mm right of the count's end (not one word
    space), counts right-aligned on one edge and percentages on another."""
    result, _ = built
    for left in (True, False):
        _, counts, percents = _table_lines(_cell(result.pages[2].items, left))
        assert len(counts) == len(percents) >= 6
        for count, percent in zip(counts, percents):
            assert count.baseline_pt == percent.baseline_pt
            gap = percent.x_pt + percent.line.runs[0].x_pt - (count.x_pt + count.line.right_pt)
            assert gap >= 2 * MM, (count.line.text, percent.line.text, gap / MM)
        assert len({round(c.x_pt + c.line.right_pt, 2) for c in counts}) == 1
        assert len({round(p.x_pt + p.line.right_pt, 2) for p in percents}) == 1
