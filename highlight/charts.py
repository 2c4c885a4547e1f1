"""Breakdown tables and their charts: which rows, in which order and colour, and where they go.

A table prints its rows largest first unless the content fixes the order
(`order: fixed`). Each region has one swatch for the whole leaflet
(`charts.regions` of layout/page.yaml, looked up by the row's `region:` or its
English label), so a region never changes colour between charts; a row marked
`key: true` takes `charts.key` (gold) whatever its region's. Rows whose region
has no swatch, and rows under `charts.others_below_percent` (unless the content
says `group_small: false`), two or more of them, become one Others row labelled
by the content (`others_label`): one swatch (`charts.others`) in the chart, and
in the table the grouped rows listed under it without swatches of their own,
each with its count and percentage. A legend that would still show one swatch
twice is a located warning. (A layout with no `regions` colours rows as before:
the palette's swatches in table order, cycling, the largest row the key.)

The chart above the table, a ring (`chart: ring`) or a horizontal 100 % bar
(`chart: bar100`), draws the rows in the table's order, clockwise from 12
o'clock or left to right, with the table's total in the ring's centre or at
the bar's end (the sum of its rows, checked by content.check_breakdown: chart
furniture, not copy, so marked as an artifact), the table's `unit` under it. A
ring with a segment under `charts.ring_min_percent` is drawn as the bar, whose
slivers stay readable. `chart: bars` draws a bar in each row instead.

The rows themselves (which, in which order, which swatch) are chartrows.py's; checks/charts.py judges the
colours: `check_palette` measures every two swatches a chart may show, and each against the paper, as
CIEDE2000 through the print profile (colour.py), and refuses any closer than `charts.min_delta_e`;
`check_regions` warns where one region is shown in two colours across the leaflet's charts.
"""
from __future__ import annotations

import math
from dataclasses import replace

from .chartrows import _name, _same, chart_rows, small_rows, swatch_name
from .colour import PAPER
from .content import Breakdown, Text, ref_of
from .diagnostics import SourceRef
from .layout.items import ARTIFACT, Box, Ring, Role, Rule, TextLine, _down_to_grid, _first_baseline, _Piece, _shift
from .layout_spec import MM, ChartSpec, Colour, FrameSpec, Swatch
from .text import Span


# -- laying a table out -------------------------------------------------------------
def breakdown(lay, table: Breakdown, width: float, frame: FrameSpec) -> _Piece:
    """Caption, chart (a ring with the total in its centre, or a 100 % bar with the total at its end) and
    table; or caption and a table with a bar in each row.

    In a frame of several cells every chart reserves `charts.caption_lines` caption lines and puts its
    table's first line on the grid counted from its caption's, so charts side by side in a row stand at one
    height and their tables start on one line whether or not each has a caption (rings of a row also share
    one size: the cell's)."""
    spec: ChartSpec = lay.layout.geometry.charts
    if frame.chart == "legend":  # the table of a chart drawn in another frame (its `legend`): its caption heading
        # the table beside the chart (the ring then starts level with them, under no caption of its own)
        rows = chart_rows(table, spec)
        piece = _Piece()
        key = table.ref.yaml_path or ""
        y = _caption(lay, piece.primary, table, width, table.caption)
        anchor = _first_baseline(piece.primary) if piece.primary else None
        piece.primary_h = _table(lay, key, rows, width, y, anchor, piece.primary, bars=False,
                                 total=sum(row.count for row in rows) or 1)
        return piece
    kind = table.chart or frame.chart
    _missing_others_label(lay, table, spec)
    if kind != "bars":
        _missing_words(lay, table)
    rows = chart_rows(table, spec)
    total = sum(row.count for row in rows) or 1
    if kind == "ring" and any(100.0 * row.count / total < spec.ring_min_percent for row in rows):
        kind = "bar100"  # a sliver of a ring cannot be read; a segment of the bar can
    if kind != "bars":
        _legend_repeats(lay, rows, spec)
    piece = _Piece()
    out = piece.primary
    key = table.ref.yaml_path or ""
    y = _caption(lay, out, table, width, table.caption if not frame.legend or kind == "bars" else None)
    probe: list = []
    probe_col = lay.column(probe, table.ref, "en", width)
    for _ in range(spec.caption_lines if frame.cells > 1 else 0):
        probe_col.add(lay.inline_pair(Text(table.ref, "Hg", "國"), "table-caption"))
    anchor = _first_baseline(out) if out else _first_baseline(probe)
    y = max(y, probe_col.y)
    later: list = []  # the total's lines and where they go: placed after the table, on the grid of its lines
    if kind == "ring":
        y = _ring(lay, table, rows, width, y, out, later)
    elif kind == "bar100":
        y = _bar100(lay, table, rows, width, y, out, later)
    if frame.legend and kind != "bars":  # its table set in the frame named (chart: legend): the chart alone here
        piece.primary_h = y - spec.space_mm * MM
    else:
        piece.primary_h = _table(lay, key, rows, width, y, anchor, out, bars=kind == "bars", total=total)
    for lines, dx, dy in later:
        lay.place(out, lines, dx, dy)
    return piece


def _caption(lay, out: list, table: Breakdown, width: float, text: Text | None) -> float:
    """The chart's caption (what it counts): English and Chinese on one line where the pair fits it ('By region
    按地區'), else the English then the Chinese under it, each a line of its own (never one running into the
    other); the y under it."""
    role = Role("table-caption", table.ref.yaml_path or "")
    pair = lay.inline_pair(text, "table-caption")
    col = lay.column(out, table.ref, "en", width, role=role)
    if text is None or not (text.en and text.zh) or lay._natural(pair) <= width:
        return col.add(pair)
    y = col.add(lay.spans(text, "table-caption", "en"))
    return lay.column(out, table.ref, "zh", width, 0.0, y, role).add(lay.spans(text, "table-caption", "zh"))


def _missing_others_label(lay, table: Breakdown, spec: ChartSpec) -> None:
    small = small_rows(table, spec)
    if small and table.others_label is None:
        names = ", ".join(row.label.en or row.label.zh or row.label.mixed or "" for row in small)
        lay.diags.warning("breakdown-others", f"{len(small)} rows are under {spec.others_below_percent:g}% of the "
                          f"total or have no swatch of their own in charts.regions ({names}): each is printed with "
                          "a swatch of its own, as the table has no others_label to group them under", table.ref,
                          page=lay.page,
                          hint='add others_label: {en: "...", zh: "..."} to group them under one swatch')


def _missing_words(lay, table: Breakdown) -> None:
    """A chart says in both languages what it counts (its caption) and what its total is (its unit, under the
    total): where the content gives no such words, a located warning; the layout invents none. Its total is
    printed once, in the ring's centre or at the bar's end: a stat beside it that prints the same figure is a
    located warning naming the fix (the stat's words become the chart's caption)."""
    total = f"{table.total:,}"
    twin = lay.printed.get(total)
    if twin is not None:
        lay.diags.warning("chart-total-twice", f"the stat prints {total}, the total the chart beside it prints in "
                          "its centre: the figure twice, once as the stat and once in the ring", twin,
                          page=lay.page, hint="take the stat out of the page and give its words as the "
                          'breakdown\'s caption: {en: "<its label>", zh: "<its Chinese>"}: the total is printed '
                          "once, in the chart, over what the caption says it counts")
    for field, what, example in (("caption", "caption saying what it counts", 'caption: {en: "Non-local '
                                  'students", zh: "非本地生"}'),
                                 ("unit", "unit under the total", 'unit: {en: "Students", zh: '
                                  '"學生"}')):
        text = getattr(table, field)
        missing = [lang for lang in ("en", "zh") if not (text is not None and (getattr(text, lang) or text.mixed))]
        if missing:
            lay.diags.warning(f"chart-{field}", f"the chart has no {what}"
                              + (f" in {' and '.join({'en': 'English', 'zh': 'Chinese'}[m] for m in missing)}"
                                 if len(missing) == 1 else "") + " (every chart of the leaflet: caption, total "
                              "with its unit, legend with counts and percentages)", table.ref, page=lay.page,
                              hint=f"add {example} to the breakdown, in the words the copy deck prints")


def _legend_repeats(lay, rows, spec: ChartSpec) -> None:
    """A warning for each legend entry whose swatch an earlier entry of the same legend already shows."""
    for j, row in enumerate(rows):
        first = next((earlier for earlier in rows[:j] if earlier.swatch and row.swatch
                      and _same(earlier.swatch, row.swatch)), None)
        if first is None:
            continue
        lay.diags.warning("chart-legend-repeat", f"the legend shows {swatch_name(row.swatch)} twice, for "
                          f"'{_name(first)}' and '{_name(row)}': a reader cannot tell their segments apart "
                          f"(every two swatches of a legend differ by ΔE00 charts.min_delta_e {spec.min_delta_e:g} "
                          "or more)", row.ref, page=lay.page,
                          hint=f"give '{row.region or _name(row)}' a swatch of its own in charts.regions "
                               "(layout/page.yaml), or group it under the table's others_label")


def _paper(lay) -> Colour:
    return lay.layout.colours.get("white") or Colour(SourceRef("layout/styles.yaml"), PAPER, "#ffffff")


def _colour(lay, swatch: Swatch) -> Colour:
    return lay.layout.colours[swatch.colour]


def _artifacts(lines: list) -> list:
    """Lines of chart furniture (sums the chart works out, not copy): artifacts, so the tagged PDF and
    `check --source` read them as the chart's, not the source's."""
    return [TextLine(t.x_pt, t.baseline_pt, replace(t.line, runs=tuple(replace(r, artifact=True)
                                                                       for r in t.line.runs)),
                     t.ref, t.frame, t.lang, ARTIFACT) for t in lines]


def _total(lay, table: Breakdown, width: float, align: str) -> list:
    """The total (an artifact: the sum of the table's rows, not copy) over the table's unit in both
    languages, set in a column of `width` from y = 0."""
    lines: list = []
    col = lay.column(lines, ref_of(table, "total"), "en", width)
    style = lay.style("chart-total", "en")
    figures = lay.fitted.get("stat-figure")  # the step the figures of its frame take (copyfit), if they step
    if figures is not None and lay.printed and figures.size_pt < style.size_pt:  # never larger than they are
        style = replace(style, size_pt=figures.size_pt)
    col.add([Span(f"{table.total:,}", style)], align=align)  # every chart shows its total (a stat over it too)
    lines[:] = _artifacts(lines)
    y = col.y
    caption = Role("table-caption", table.ref.yaml_path or "")  # the unit says what the figures count
    for lang in ("en", "zh") if table.unit is not None else ():  # English, then Chinese under it
        y = lay.column(lines, ref_of(table, "unit"), lang, width, 0.0, y, caption).add(
            lay.spans(table.unit, "table-label", lang), align=align)
    return lines


def _extent(lines: list) -> tuple[float, float]:
    """Where a block of lines reads as starting and ending, to centre it optically: about the top of its
    first line's figures and capitals, and the foot of its last line's descenders, half their depth."""
    return (lines[0].baseline_pt - lines[0].line.ascent_pt * 0.75,
            lines[-1].baseline_pt + lines[-1].line.descent_pt * 0.5)


def _ring(lay, table: Breakdown, rows, width: float, y: float, out: list, later: list) -> float:
    """A ring of the rows in table order, clockwise from 12 o'clock, centred above the table, the total in
    its centre; the y below it."""
    spec = lay.layout.geometry.charts
    outer = min(width * lay.m.ring_max_share, lay.m.ring_radius_mm * MM)  # at most 72 % of its column wide
    inner = outer * lay.m.ring_hole
    cx, cy = width / 2, y + spec.space_mm * MM + outer
    total = sum(row.count for row in rows) or 1
    start, seams = 0.0, []
    for row in rows:
        sweep = 360.0 * row.count / total
        out.append(Ring(cx, cy, outer, inner, start, sweep, _colour(lay, row.swatch), row.swatch.tint))
        start += sweep
        seams.append(start)
    if len(rows) > 1 and spec.separator_pt:
        for angle in seams:  # paper-white seams, so segments of close tints stay apart
            sin, cos = math.sin(math.radians(angle)), -math.cos(math.radians(angle))
            out.append(Rule(cx + inner * sin, cy + inner * cos, cx + outer * sin, cy + outer * cos, _paper(lay),
                            spec.separator_pt))
    hole = inner * 2 * 0.86  # the widest line the hole holds with a margin to the ring
    centre = _total(lay, table, hole, "center")
    if centre:
        top, bottom = _extent(centre)
        later.append((centre, cx - hole / 2, cy - (top + bottom) / 2))
    return cy + outer + spec.space_mm * MM


def _bar100(lay, table: Breakdown, rows, width: float, y: float, out: list, later: list) -> float:
    """A horizontal bar, its segments the rows in table order from the left, the total at its right end."""
    spec = lay.layout.geometry.charts
    top, height = y + spec.space_mm * MM, spec.bar_height_mm * MM
    end = _total(lay, table, width, "right")
    end_w = (max(t.x_pt + t.line.right_pt for t in end) - min(t.x_pt + t.line.runs[0].x_pt for t in end)
             + spec.figure_gap_mm * MM) if end else 0.0
    bar_w = width - end_w
    total = sum(row.count for row in rows) or 1
    x, seams = 0.0, []
    for row in rows:
        length = bar_w * row.count / total
        out.append(Box(x, top, length, height, _colour(lay, row.swatch), tint=row.swatch.tint))
        x += length
        seams.append(x)
    if spec.separator_pt:
        for seam in seams[:-1]:
            out.append(Rule(seam, top, seam, top + height, _paper(lay), spec.separator_pt))
    if not end:
        return top + height + spec.space_mm * MM
    first, last = _extent(end)
    dy = top + height / 2 - (first + last) / 2
    later.append((end, 0.0, dy))
    return max(top + height, dy + end[-1].baseline_pt + end[-1].line.descent_pt) + spec.space_mm * MM


def _table(lay, key: str, rows, width: float, y: float, anchor: float | None, out: list, bars: bool,
           total: int = 0) -> float:
    """Swatch (or a bar), label, count and percentage per row, an Others row's members listed under it
    without swatches; each row whole grid steps tall. Each printed row is a row of the table (`key` its
    element): its label a header, its count and percentage cells (an Others row's, sums, artifacts). Counts and percentages stand in two columns aligned
    right (so on the decimal point: one decimal each), a clear `charts.figure_gap_mm` apart. A row whose content
    gives no percentage shows its count over the table's `total`, rounded once (the chart's arithmetic, not
    copy: an artifact, as an Others subtotal is)."""
    spec = lay.layout.geometry.charts
    grid = lay.grid
    label_style = lay.style("table-label", "en")
    count_style, percent_style = lay.style("table-figure", "en"), lay.style("table-percent", "en")
    gap = spec.figure_gap_mm * MM
    # The printed lines: (label, count, percent, ref, swatch or None, first of its legend entry)
    entries: list[tuple[Text, str, str, SourceRef, Swatch | None, bool]] = []
    groups: list[bool] = []  # per entry: the heading line of an Others group, whose figures are sums
    worked_out: list[bool] = []  # per entry: its percentage the chart's arithmetic, not the content's

    def share(entry) -> str:
        if entry.percent is not None:
            return f"{entry.percent:.1f}%"
        return f"{100.0 * entry.count / total:.1f}%" if total and not bars else ""

    for row in rows:
        if row.members:  # the group's subtotal on its own line: its swatch's share must be read, not guessed
            entries.append((row.label, f"{row.count:,}", share(row), row.ref, row.swatch, True))
            groups.append(True)
            worked_out.append(True)
        for member in row.members or (row,):
            entries.append((member.label, f"{member.count:,}", share(member), member.ref,
                            None if row.members else row.swatch, not row.members))
            groups.append(False)
            worked_out.append(member.percent is None)
    percents = [e[2] for e in entries]
    percent_w = max((lay._natural([Span(p, percent_style)]) for p in percents if p), default=0.0)
    count_w = max((lay._natural([Span(e[1], count_style)]) for e in entries if e[1]), default=0.0)
    count_right = width - (percent_w + gap if percent_w else 0.0)
    swatch_w = 0.0 if bars else lay.m.table_swatch_mm * MM
    label_w = (width * 0.5 if bars else count_right - count_w - gap) - swatch_w
    bar_x, bar_w = swatch_w + label_w + gap, count_right - count_w - gap - (swatch_w + label_w + gap)

    def whole_steps(h: float) -> float:  # rows keep the grid
        return math.ceil(h / grid - 1e-6) * grid

    min_row_h = whole_steps(label_style.leading_pt * 1.55)
    pad = label_style.leading_pt * 0.25
    labels: list[tuple[list, float]] = []  # each row's label lines, set first: a long label makes its row taller
    for n, (label, _, _, ref, _, _) in enumerate(entries):
        lines: list = []
        header = Role("table-header", key, str(n))
        labels.append((lines, lay.column(lines, ref, "en", label_w, role=header).add(
            lay.inline_pair(label, "table-label"))))
    first_label = _first_baseline(labels[0][0]) if labels else None
    if first_label is not None and anchor is not None:  # the first label on the grid through the caption's line
        y = _down_to_grid(y + pad + first_label, anchor, grid) - pad - first_label
    member_h = whole_steps(label_style.leading_pt * 1.15)  # an Others row's members: a list, set closer
    tops = []
    for (_, label_h), entry in zip(labels, entries):
        tops.append(y)
        member = not entry[5]  # a member of an Others group, listed closer
        y += whole_steps(max(member_h if member else min_row_h,
                             label_h + label_style.leading_pt * (0.15 if member else 0.55)))
    # Labels, then figures, then the keys: the figures column reads as one sequence.
    for top, (lines, _) in zip(tops, labels):
        out.extend(_shift(item, swatch_w, top + pad) for item in lines)
    slack = 1.0  # a right-aligned column a point wider than its widest figure: never an overfull line
    for n, (top, (_, count, percent, ref, _, heads), row_is_group, worked) in enumerate(
            zip(tops, entries, groups, worked_out)):
        figures: list = []
        if count:  # a member of a group in the regular weight: the group's bold subtotal heads it
            lay.column(figures, ref, "en", count_w + slack, count_right - count_w - slack, top + pad,
                       Role("table-cell", key, str(n), cell=1)).add(
                [Span(count, count_style if heads else percent_style)], align="right")
        out.extend(_artifacts(figures) if row_is_group else figures)
        figures = []
        if percent:
            lay.column(figures, ref, "en", percent_w + slack, width - percent_w - slack, top + pad,
                       Role("table-cell", key, str(n), cell=2)).add(
                [Span(percent, percent_style)], align="right")
        out.extend(_artifacts(figures) if row_is_group or worked else figures)
    size = label_style.size_pt
    biggest = max((int(e[1].replace(",", "")) for e in entries if e[1]), default=0) or 1
    for top, row_entry, (lines, _) in zip(tops, entries, labels):
        count, swatch = row_entry[1], row_entry[4]
        if bars:  # each bar labelled by its row: the palette's first swatch, the key row's own
            solid = swatch if swatch is not None and _same(swatch, spec.key) else spec.palette[0]
            bar_y, bar_h = top + pad + size * 0.05, size * 0.9
            out.append(Box(bar_x, bar_y, bar_w, bar_h, _colour(lay, spec.palette[0]), tint=0.12))
            out.append(Box(bar_x, bar_y, max(bar_w * int(count.replace(",", "") or 0) / biggest, 0.6), bar_h,
                           _colour(lay, solid), tint=solid.tint))
        elif swatch is not None:  # a square as tall as the label's capitals (Noto Sans: 0.714 em), on its baseline
            side = size * 0.714
            baseline = top + pad + (_first_baseline(lines) or size)
            out.append(Box(0.0, baseline - side, side, side, _colour(lay, swatch), tint=swatch.tint))
    for top, entry in zip(tops[1:], entries[1:]):
        if entry[5] or entry[4] is not None:  # a rule above each legend entry, none inside an Others group
            out.append(Rule(0, top, width, top, lay.layout.colours["rule"], 0.3))
    return y
