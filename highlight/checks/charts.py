"""The charts' colours judged: a reader tells every two swatches a chart may show apart, and each from the
paper, as printed through the output profile (CIEDE2000, colour.py); one region keeps one colour in every
chart of the leaflet. (Which rows, in which order and swatch: chartrows.py; drawing them: charts.py.)"""
from __future__ import annotations

from dataclasses import dataclass

from ..chartrows import ChartRow, _same, chart_rows, swatch_name
from ..colour import PAPER, ciede2000, lab_through_profile
from ..diagnostics import Diagnostics
from ..layout_spec import ChartSpec, Colour, Layout, Swatch, chart_swatches
from ..model import Breakdown


def check_regions(edition, spec: ChartSpec | None, diags: Diagnostics) -> None:
    """A warning where one region is shown in two colours across the leaflet's charts (a row marked key in
    one chart and not in another, say): a reader who learnt its colour on one page misreads the next."""
    if spec is None:
        return
    seen: dict[str, tuple[Swatch, ChartRow, int]] = {}
    for page in sorted(edition.pages, key=lambda p: p.number):
        for block in page.blocks:
            for element in block.elements:
                if not isinstance(element, Breakdown):
                    continue
                for row in chart_rows(element, spec):
                    if row.members or row.region is None or row.swatch is None:
                        continue  # an Others row: its regions have no swatch of their own here
                    first = seen.setdefault(row.region, (row.swatch, row, page.number))
                    if not _same(first[0], row.swatch):
                        diags.warning("chart-region-colour", f"'{row.region}' is {swatch_name(row.swatch)} in this "
                                      f"chart but {swatch_name(first[0])} in the chart on page {first[2]} "
                                      f"({first[1].ref.file}:{first[1].ref.line}): one region keeps one colour in "
                                      "every chart", row.ref, page=page.number,
                                      hint="mark the row key: true in every chart it appears in, or in none; its "
                                           "colour is charts.regions in layout/page.yaml")


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
    """CIEDE2000 between every two distinct swatches a chart may show (the palette, the key, the regions' and
    the Others swatch: any two may meet in a chart, and one region's must not be mistaken for another's on
    the next page), and between each and the paper."""
    every = chart_swatches(spec)
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
