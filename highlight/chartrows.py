"""The rows a breakdown table prints, in which order, grouped how, in which colour: the content's rows and
the layout's chart spec in, ChartRows out (model: no layout, no drawing). charts.py sets them on the page;
kinds.py reads `printed` for what a table prints; checks/charts.py judges their colours.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .diagnostics import SourceRef
from .model import Breakdown, BreakdownRow, Text, ref_of

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 2.4 ms of every process, issue 28)
if TYPE_CHECKING:
    from .layout_spec import ChartSpec, Swatch


# -- the rows a table prints -------------------------------------------------------
@dataclass(frozen=True)
class ChartRow:
    """A legend entry as the table prints it: one of the content's rows, or the Others row standing for
    several (its `members`, listed under it)."""

    label: Text
    count: int
    percent: float | None
    ref: SourceRef
    key: bool = False
    members: tuple[BreakdownRow, ...] = ()  # the content rows an Others row stands for
    swatch: Swatch | None = None  # its one swatch in the chart and the legend (None without a ChartSpec)
    region: str | None = None  # the region it is coloured as (None for the Others row)


def region_of(row: BreakdownRow) -> str:
    """The name a row's swatch is looked up by: its `region:`, else its English label."""
    return row.region or row.label.en or row.label.mixed or row.label.zh or ""


def _others(spec: ChartSpec) -> Swatch:
    return spec.others or spec.palette[-1]


def _own_swatch(row: BreakdownRow, spec: ChartSpec) -> Swatch | None:
    """The key's swatch for the key row, else its region's (None: a region without a swatch)."""
    return spec.key if row.key else spec.regions.get(region_of(row))


def small_rows(table: Breakdown, spec: ChartSpec | None) -> list[BreakdownRow]:
    """The rows to be grouped as Others, two or more of them (none without a ChartSpec): with a region map,
    the rows whose region has no swatch, and those under the threshold (not the key, and only where the
    content allows grouping small rows); without one, the small rows alone."""
    if spec is None:
        return []
    total = sum(row.count for row in table.rows) or 1

    def small(row: BreakdownRow) -> bool:
        return table.group_small and not row.key and 100.0 * row.count / total < spec.others_below_percent

    if spec.regions:
        grouped = [row for row in table.rows if _own_swatch(row, spec) is None or small(row)]
    else:
        grouped = [row for row in table.rows if small(row)]
    return grouped if len(grouped) >= 2 else []


def chart_rows(table: Breakdown, spec: ChartSpec | None) -> tuple[ChartRow, ...]:
    """The table's rows in print order, largest first, small ones and those without a swatch grouped (when
    the content labels the group) at the foot, each with its swatch."""
    small = small_rows(table, spec) if table.others_label is not None else []
    kept = [row for row in table.rows if not any(row is s for s in small)]
    if table.order == "size":
        kept.sort(key=lambda row: -row.count)  # stable: equal counts keep the order they are written in
    legacy = spec is not None and not spec.regions  # no region map: the palette in turn, the largest row the key
    key = next((row for row in kept if row.key), None) or max(kept, key=lambda row: row.count, default=None) \
        if legacy else None
    rows = [ChartRow(row.label, row.count, row.percent, row.ref, row is key if legacy else row.key,
                     swatch=None if spec is None or legacy else _own_swatch(row, spec) or _others(spec),
                     region=region_of(row)) for row in kept]
    if small:
        # The group's share of the total, not the sum of its rounded rows (343 of 7,305 is 4.7 %; the rounded
        # rows add up to 4.6), as the content's own percentages are checked against count / total.
        count = sum(row.count for row in small)
        percent = (round(100.0 * count / table.total, 1) if table.total else
                   round(sum(row.percent or 0.0 for row in small), 1)) if small[0].percent is not None else None
        assert table.others_label is not None  # small_rows groups none without it
        members = tuple(sorted(small, key=lambda row: -row.count)) if table.order == "size" else tuple(small)
        rows.append(ChartRow(table.others_label, count, percent,
                             ref_of(table, "others_label"), members=members,
                             swatch=None if spec is None or legacy else _others(spec)))
    if legacy:
        assert spec is not None
        rows = [replace(row, swatch=swatch) for row, swatch in zip(rows, swatches(rows, spec))]
    return tuple(rows)


def printed(table: Breakdown, spec: ChartSpec | None) -> tuple[list[Text], list[tuple[str, SourceRef]]]:
    """What the table prints: its texts (caption, unit, then labels, an Others row's members under it) and
    the figures of the content's rows with their places (an Others row prints its members' figures)."""
    rows = chart_rows(table, spec)
    texts = [t for t in (table.caption, table.unit) if t]
    figures = []
    for row in rows:
        texts.append(row.label)
        for member in row.members or (row,):
            if row.members:
                texts.append(member.label)
            figures.append((f"{member.count:,}", member.ref))
            if member.percent is not None:
                figures.append((f"{member.percent:.1f}%", member.ref))
    return texts, figures


def swatches(rows, spec: ChartSpec, closed: bool = False) -> list[Swatch]:
    """Without a region map: a swatch per row, the key row the key's, the others the palette's in turn (so
    rows side by side never share one; a table of more rows than swatches repeats them, which
    `_legend_repeats` reports). In a closed chart (a ring) the last row also meets the first."""
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


def swatch_name(s: Swatch) -> str:
    """How a message names a swatch: "primary at 0.45"."""
    return f"{s.colour} at {s.tint:g}"


def _same(a: Swatch, b: Swatch) -> bool:
    return (a.colour, a.tint) == (b.colour, b.tint)


def _name(row: ChartRow) -> str:
    return row.label.en or row.label.zh or row.label.mixed or ""
