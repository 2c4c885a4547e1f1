"""Breakdown tables and their charts: which rows, in which order and colour, and where they go.

A table prints its rows largest first unless the content fixes the order
(`order: fixed`); two or more rows under `charts.others_below_percent` of
layout/page.yaml become one Others row, labelled by the content, unless the
content says `group_small: false` (the source prints every region). The chart
above the table — a ring (`chart: ring`) or a horizontal 100 % bar
(`chart: bar100`) — draws the rows in the table's order, clockwise from
12 o'clock or left to right; `chart: bars` draws a bar in each row instead.

Colours come from `charts.palette`: rows take its swatches in table order,
cycling, and the key row (`key: true`, else the largest) takes `charts.key`.
`check_palette` measures every two swatches, and each against the paper, as
CIEDE2000 through the print profile (colour.py), and refuses a palette closer
than `charts.min_delta_e`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .colour import PAPER, ciede2000, lab_through_profile
from .content import Breakdown, BreakdownRow, Text, ref_of
from .diagnostics import Diagnostics, SourceRef
from .layout.items import Box, Ring, Rule, _down_to_grid, _first_baseline, _Piece, _shift
from .layout_spec import MM, ChartSpec, Colour, FrameSpec, Layout, Swatch
from .text import Span


# -- the rows a table prints -------------------------------------------------------
@dataclass(frozen=True)
class ChartRow:
    """A row as the table prints it: one of the content's rows, or the Others row standing for several."""

    label: Text
    count: int
    percent: float | None
    ref: SourceRef
    key: bool = False
    members: tuple[BreakdownRow, ...] = ()  # the content rows an Others row stands for


def small_rows(table: Breakdown, spec: ChartSpec | None) -> list[BreakdownRow]:
    """The rows to be grouped as Others: under the threshold, not the key, two or more of them (none
    without a ChartSpec)."""
    if not table.group_small or spec is None:
        return []
    total = sum(row.count for row in table.rows) or 1
    small = [row for row in table.rows if 100.0 * row.count / total < spec.others_below_percent and not row.key]
    return small if len(small) >= 2 else []


def chart_rows(table: Breakdown, spec: ChartSpec | None) -> tuple[ChartRow, ...]:
    """The table's rows in print order, small ones grouped (when the content labels the group), key marked."""
    small = small_rows(table, spec) if table.others_label is not None else []
    kept = [row for row in table.rows if not any(row is s for s in small)]
    if table.order == "size":
        kept.sort(key=lambda row: -row.count)  # stable: equal counts keep the order they are written in
    key = next((row for row in kept if row.key), None) or max(kept, key=lambda row: row.count, default=None)
    rows = [ChartRow(row.label, row.count, row.percent, row.ref, row is key) for row in kept]
    if small:
        percent = round(sum(row.percent or 0.0 for row in small), 1) if small[0].percent is not None else None
        assert table.others_label is not None  # small_rows groups none without it
        rows.append(ChartRow(table.others_label, sum(row.count for row in small), percent,
                             ref_of(table, "others_label"), members=tuple(small)))
    return tuple(rows)


def printed(table: Breakdown, spec: ChartSpec | None) -> tuple[list[Text], list[tuple[str, SourceRef]]]:
    """What the table prints: its texts (caption, then labels) and its figures with their rows' places."""
    rows = chart_rows(table, spec)
    texts = ([table.caption] if table.caption else []) + [row.label for row in rows]
    figures = []
    for row in rows:
        figures.append((f"{row.count:,}", row.ref))
        if row.percent is not None:
            figures.append((f"{row.percent:.1f}%", row.ref))
    return texts, figures


def swatches(rows, spec: ChartSpec, closed: bool = False) -> list[Swatch]:
    """A swatch per row: the key row the key's, the others the palette's in turn, so that rows side by side
    never share one. In a closed chart (a ring) the last row also meets the first."""
    palette = spec.palette
    out, step = [], 0
    for row in rows:
        if row.key:
            out.append(spec.key)
        else:
            out.append(palette[step % len(palette)])
            step += 1
    if closed and len(out) > 2 and _same(out[-1], out[0]):
        other = next((s for s in palette if not _same(s, out[-2]) and not _same(s, out[0])), None)
        if other is not None:
            out[-1] = other
    return out


def _same(a: Swatch, b: Swatch) -> bool:
    return (a.colour, a.tint) == (b.colour, b.tint)


# -- telling swatches apart -------------------------------------------------------------
def swatch_cmyk(swatch: Swatch, colours: dict) -> tuple[float, ...]:
    """The swatch's ink, 0–100 per channel, as the renderer prints a tint (each channel times the tint)."""
    colour: Colour = colours[swatch.colour]
    return tuple(round(v * swatch.tint, 3) for v in colour.cmyk)


@dataclass(frozen=True)
class SwatchDifference:
    first: Swatch | None  # None: the paper
    second: Swatch
    delta_e: float


def palette_differences(spec: ChartSpec, colours: dict, icc: bytes, cache_dir: str | None = None) -> list:
    """CIEDE2000 between every two swatches of the palette and the key (any two may meet in a chart, as
    neighbours in the table's order or across the ring's closing seam), and between each and the paper."""
    every = (*spec.palette, spec.key)
    labs = lab_through_profile([PAPER] + [swatch_cmyk(s, colours) for s in every], icc, cache_dir)
    paper, labs = labs[0], labs[1:]
    out = [SwatchDifference(None, s, ciede2000(paper, lab)) for s, lab in zip(every, labs)]
    for j in range(len(every)):
        for i in range(j):
            out.append(SwatchDifference(every[i], every[j], ciede2000(labs[i], labs[j])))
    return out


def check_palette(layout: Layout, icc: bytes, diags: Diagnostics, cache_dir: str | None = None) -> None:
    """An error for each two chart swatches (or a swatch and the paper) a reader could not tell apart."""
    spec = layout.geometry.charts
    if spec is None:  # load_layout always supplies one (the default palette); a Layout built by hand may not
        return

    def name(s: Swatch | None) -> str:
        return "the paper" if s is None else f"{s.colour} at {s.tint:g}"

    for d in palette_differences(spec, layout.colours, icc, cache_dir):
        if d.delta_e < spec.min_delta_e:
            diags.error("chart-palette", f"chart swatches {name(d.first)} and {name(d.second)} differ by ΔE00 "
                        f"{d.delta_e:.1f} printed on the output profile, under charts.min_delta_e "
                        f"{spec.min_delta_e:g}: a reader cannot tell them apart", d.second.ref,
                        hint="space the tints further apart, or use fewer steps in charts.palette")


# -- laying a table out -------------------------------------------------------------
def breakdown(lay, table: Breakdown, width: float, frame: FrameSpec) -> _Piece:
    """Caption, chart (a ring or a 100 % bar) and table; or caption and a table with a bar in each row.

    In a frame of several cells every chart reserves `charts.caption_lines` caption lines and puts its
    table's first line on the grid counted from its caption's, so charts side by side in a row stand at one
    height and their tables start on one line whether or not each has a caption (rings of a row also share
    one size: the cell's)."""
    spec: ChartSpec = lay.layout.geometry.charts
    kind = table.chart or frame.chart
    _missing_others_label(lay, table, spec)
    rows = chart_rows(table, spec)
    keys = swatches(rows, spec, closed=kind == "ring")
    piece = _Piece()
    out = piece.primary
    y = lay.column(out, table.ref, "en", width).add(lay.inline_pair(table.caption, "table-caption"))
    probe: list = []
    probe_col = lay.column(probe, table.ref, "en", width)
    for _ in range(spec.caption_lines if frame.cells > 1 else 0):
        probe_col.add(lay.inline_pair(Text(table.ref, "Hg", "國"), "table-caption"))
    anchor = _first_baseline(out) if out else _first_baseline(probe)
    y = max(y, probe_col.y)
    if kind == "ring":
        y = _ring(lay, rows, keys, width, y, out)
    elif kind == "bar100":
        y = _bar100(lay, rows, keys, width, y, out)
    piece.primary_h = _table(lay, rows, keys, width, y, anchor, out, bars=kind == "bars")
    return piece


def _missing_others_label(lay, table: Breakdown, spec: ChartSpec) -> None:
    small = small_rows(table, spec)
    if small and table.others_label is None:
        names = ", ".join(row.label.en or row.label.zh or row.label.mixed or "" for row in small)
        lay.diags.warning("breakdown-others", f"{len(small)} rows are under {spec.others_below_percent:g}% of the "
                          f"total ({names}): they are printed one by one, as the table has no others_label to "
                          "group them under", table.ref, page=lay.page,
                          hint='add others_label: {en: "...", zh: "..."} to group them, or group_small: false '
                               "when the source prints every row")


def _paper(lay) -> Colour:
    return lay.layout.colours.get("white") or Colour(SourceRef("layout/styles.yaml"), PAPER, "#ffffff")


def _colour(lay, swatch: Swatch) -> Colour:
    return lay.layout.colours[swatch.colour]


def _ring(lay, rows, keys, width: float, y: float, out: list) -> float:
    """A ring of the rows in table order, clockwise from 12 o'clock, centred above the table; the y below it."""
    spec = lay.layout.geometry.charts
    outer = min(width * 0.36, lay.m.ring_radius_mm * MM)  # at most 72 % of its column wide
    inner = outer * lay.m.ring_hole
    cx, cy = width / 2, y + spec.space_mm * MM + outer
    total = sum(row.count for row in rows) or 1
    start, seams = 0.0, []
    for row, swatch in zip(rows, keys):
        sweep = 360.0 * row.count / total
        out.append(Ring(cx, cy, outer, inner, start, sweep, _colour(lay, swatch), swatch.tint))
        start += sweep
        seams.append(start)
    if len(rows) > 1 and spec.separator_pt:
        for angle in seams:  # paper-white seams, so segments of close tints stay apart
            sin, cos = math.sin(math.radians(angle)), -math.cos(math.radians(angle))
            out.append(Rule(cx + inner * sin, cy + inner * cos, cx + outer * sin, cy + outer * cos, _paper(lay),
                            spec.separator_pt))
    return cy + outer + spec.space_mm * MM


def _bar100(lay, rows, keys, width: float, y: float, out: list) -> float:
    """A horizontal bar the width of the table, its segments the rows in table order from the left."""
    spec = lay.layout.geometry.charts
    top, height = y + spec.space_mm * MM, spec.bar_height_mm * MM
    total = sum(row.count for row in rows) or 1
    x, seams = 0.0, []
    for row, swatch in zip(rows, keys):
        length = width * row.count / total
        out.append(Box(x, top, length, height, _colour(lay, swatch), tint=swatch.tint))
        x += length
        seams.append(x)
    if spec.separator_pt:
        for seam in seams[:-1]:
            out.append(Rule(seam, top, seam, top + height, _paper(lay), spec.separator_pt))
    return top + height + spec.space_mm * MM


def _table(lay, rows, keys, width: float, y: float, anchor: float | None, out: list, bars: bool) -> float:
    """Swatch (or a bar), label, count and percentage per row; each row whole grid steps tall. Counts and
    percentages stand in two columns aligned right (so on the decimal point: one decimal each), a clear
    `charts.figure_gap_mm` apart."""
    spec = lay.layout.geometry.charts
    grid = lay.grid
    label_style = lay.style("table-label", "en")
    count_style, percent_style = lay.style("table-figure", "en"), lay.style("table-percent", "en")
    gap = spec.figure_gap_mm * MM
    counts = [f"{row.count:,}" for row in rows]
    percents = [f"{row.percent:.1f}%" if row.percent is not None else "" for row in rows]
    percent_w = max((lay._natural([Span(p, percent_style)]) for p in percents if p), default=0.0)
    count_w = max(lay._natural([Span(c, count_style)]) for c in counts)
    count_right = width - (percent_w + gap if percent_w else 0.0)
    swatch_w = 0.0 if bars else lay.m.table_swatch_mm * MM
    label_w = (width * 0.5 if bars else count_right - count_w - gap) - swatch_w
    bar_x, bar_w = swatch_w + label_w + gap, count_right - count_w - gap - (swatch_w + label_w + gap)

    def whole_steps(h: float) -> float:  # rows keep the grid
        return math.ceil(h / grid - 1e-6) * grid

    min_row_h = whole_steps(label_style.leading_pt * 1.55)
    pad = label_style.leading_pt * 0.25
    labels = []  # each row's label lines, set first: a long label makes its row taller
    for row in rows:
        lines: list = []
        labels.append((lines, lay.column(lines, row.ref, "en", label_w).add(lay.inline_pair(row.label, "table-label"))))
    first_label = _first_baseline(labels[0][0]) if labels else None
    if first_label is not None and anchor is not None:  # the first label on the grid through the caption's line
        y = _down_to_grid(y + pad + first_label, anchor, grid) - pad - first_label
    tops = []
    for _, label_h in labels:
        tops.append(y)
        y += whole_steps(max(min_row_h, label_h + label_style.leading_pt * 0.55))
    # Labels, then figures, then the keys: the figures column reads as one sequence.
    for top, (lines, _) in zip(tops, labels):
        out.extend(_shift(item, swatch_w, top + pad) for item in lines)
    slack = 1.0  # a right-aligned column a point wider than its widest figure: never an overfull line
    for top, row, count, percent in zip(tops, rows, counts, percents):
        lay.column(out, row.ref, "en", count_w + slack, count_right - count_w - slack, top + pad).add(
            [Span(count, count_style)], align="right")
        if percent:
            lay.column(out, row.ref, "en", percent_w + slack, width - percent_w - slack, top + pad).add(
                [Span(percent, percent_style)], align="right")
    size = label_style.size_pt
    for top, row, swatch, (lines, _) in zip(tops, rows, keys, labels):
        if bars:  # each bar labelled by its row: the palette's first swatch, the key row's own
            biggest = max(r.count for r in rows) or 1
            solid = swatch if row.key else spec.palette[0]
            bar_y, bar_h = top + pad + size * 0.05, size * 0.9
            out.append(Box(bar_x, bar_y, bar_w, bar_h, _colour(lay, spec.palette[0]), tint=0.12))
            out.append(Box(bar_x, bar_y, max(bar_w * row.count / biggest, 0.6), bar_h, _colour(lay, solid),
                           tint=solid.tint))
        else:  # a square as tall as the label's capitals (Noto Sans: 0.714 em), standing on its baseline
            side = size * 0.714
            baseline = top + pad + (_first_baseline(lines) or size)
            out.append(Box(0.0, baseline - side, side, side, _colour(lay, swatch), tint=swatch.tint))
    for top in tops[1:]:
        out.append(Rule(0, top, width, top, lay.layout.colours["rule"], 0.3))
    return y
