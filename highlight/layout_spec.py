"""Layout YAML → page geometry, grid, templates with named frames, colours and type styles.

All positions and sizes of the leaflet live in `layout/*.yaml`; this module
only reads and checks them, converting millimetres to points once, here.
"""
from __future__ import annotations

import itertools
import math
import os
from dataclasses import dataclass, field, fields, replace

from .diagnostics import BuildFailed, Diagnostics, SourceRef
from .kinds import engine_styles  # each element kind names the styles it sets
from .schema import (
    INVALID,
    Bool,
    Field,
    Int,
    Named,
    Number,
    Reader,
    Seq,
    Str,
    Struct,
    file_stamp,
    load_document,
    read_document,
)
from .units import MM  # points per millimetre (re-exported: the layout and its readers import it from here)
from .yamlsource import display_path, load_yaml, node_ref


@dataclass(frozen=True)
class Colour:
    ref: SourceRef
    cmyk: tuple[float, ...]  # 0–100 per channel, as a printer writes them
    rgb: str | None = None  # "#rrggbb" twin for the screen variant

    @property
    def ink_percent(self) -> float:
        return sum(self.cmyk)


def _colour_check(values, node, path, r: Reader) -> bool:
    cmyk = values["cmyk"]
    if len(cmyk) != 4 or any(not 0 <= c <= 100 for c in cmyk):
        r.error(node, path, "bad-colour", f"cmyk must be four numbers from 0 to 100, found {list(cmyk)}",
                "write cmyk: [100, 80, 20, 30]")
        return False
    if sum(cmyk) > 300:
        r.error(node, path, "ink-limit", f"total ink {sum(cmyk):.0f}% exceeds 300%", "reduce the CMY channels")
        return False
    rgb = values.get("rgb")
    if rgb is not None and not (len(rgb) == 7 and rgb[0] == "#" and all(c in "0123456789abcdefABCDEF" for c in rgb[1:])):
        r.error(node, path, "bad-colour", f"rgb must be '#rrggbb', found {rgb!r}", "e.g. rgb: '#1f3a5f'")
        return False
    return True


@dataclass(frozen=True)
class StyleSpec:
    """One language's variant of a type style, as written (None = inherit)."""

    ref: SourceRef
    weight: str | None = None
    size_pt: float | None = None
    leading_pt: float | None = None
    colour: str | None = None
    tracking_em: float | None = None
    align: str | None = None
    space_before_pt: float | None = None
    space_after_pt: float | None = None
    cjk_latin_gap_em: float | None = None
    cjk_tighten_em: float | None = None
    hang_punctuation: bool | None = None
    punct_min_em: float | None = None
    hyphenate: bool | None = None
    steps: tuple | None = None  # smaller sizes of the scale it may take when a figure does not fit (copyfit)
    refs: dict = field(default_factory=dict, compare=False, repr=False)  # SourceRef per key


@dataclass(frozen=True)
class StyleEntry(StyleSpec):
    """A style as written: shared values, and per-language overrides."""

    en: StyleSpec | None = None
    zh: StyleSpec | None = None


@dataclass(frozen=True)
class Style:
    """A resolved type style for one language: everything a line breaker and renderer need."""

    name: str
    lang: str
    weight: str
    size_pt: float
    leading_pt: float
    colour: Colour
    tracking_em: float
    align: str
    space_before_pt: float
    space_after_pt: float
    cjk_latin_gap_em: float
    ref: SourceRef
    cjk_tighten_em: float = 0.0  # retired (always 0): ideograph gaps never close below solid
    hang_punctuation: bool = False  # a line-final ，。、 may hang into the margin rather than go down
    # justified Chinese: the least a mid-line ，。、：；is set to when its blank is compressed (1: never)
    punct_min_em: float = 1.0
    hyphenate: bool = False  # English words may break at dictionary points (pyphen, en_US)

    def __hash__(self) -> int:
        """The fields' hash, as dataclasses writes it, computed once: a Style is hashed in every key of the line
        setter's memo (through its spans), 61,000 lookups in the 200-page edition, each walking its SourceRef and
        Colour again. Kept in the instance, never pickled (__getstate__): a str's hash differs between processes."""
        cached = self.__dict__.get("_hash")
        if cached is None:
            cached = hash(tuple(getattr(self, name) for name in _STYLE_FIELDS))
            object.__setattr__(self, "_hash", cached)
        return cached

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_hash", None)
        return state


_STYLE_FIELDS = tuple(f.name for f in fields(Style) if f.compare)  # (what its __eq__ compares)


@dataclass(frozen=True)
class FrameSpec:
    ref: SourceRef
    col: int
    span: int
    top_mm: float | None = None
    below: tuple[str, ...] | None = None
    gap_mm: float = 0.0
    height_mm: float | None = None
    cells: int = 1
    cell_spans: tuple[int, ...] | None = None  # grid columns each cell of a row takes (default: equal cells)
    panel: str | None = None  # colour name of a tinted panel behind the frame
    panel_cells: bool = False  # a panel behind each cell of a row of cells, on its grid columns, not one across them
    padding_mm: float = 0.0
    styles: dict | None = None  # style name -> style used instead inside this frame
    list_columns: int = 1
    chart: str = "bars"  # how breakdown tables are drawn: bars per row, or a ring above
    gap: str | None = None  # the space above, a named step of page.yaml's spacing_pt (instead of gap_mm)
    anchor: str | None = None  # "foot": it and the frames below it stand at the foot; the space above is deliberate
    # ("foot-if-spare": it follows the frames above it, at the foot only on a page with more room than its foot takes)
    beside_mm: float | None = None  # stats: the figure in a column this wide, its words beside it
    row_rules: bool = False  # a hairline between the rows of its cells
    wide_span: int | None = None  # the wider span it takes when the page is too full at its own
    wide_cells: int | None = None  # …and the cells to a row it then takes (blocks side by side, not stacked)
    wide_cell_spans: tuple[int, ...] | None = None  # the cell_spans it takes when the page is too full at its own
    aliases: tuple[str, ...] | None = None  # older frame names whose blocks this frame takes (page files of past editions)
    bands: str = "stacked"  # cells of a row: each its Chinese under its English, or the row's languages shared
    monolingual: str = "collapse"  # in a one-language variant: shrink to its text, or keep the bilingual height
    align_rows: str | None = None  # frames naming one group start their k-th elements at one height
    measure: int | None = None  # grid columns its elements but headings are set on (a reading measure under a wide rule)
    foot_with: tuple[str, ...] | None = None  # frames beside it whose lowest foot its own foot stands level with
    middle_with: tuple[str, ...] | None = None  # frames beside it whose ink's middle its own ink's middle stands level with
    led_by: str | None = None  # a frame above whose last paragraph leads into this frame's first row of figures
    legend: str | None = None  # the frame its ring's (100 % bar's) table is set in, a frame of chart: legend
    code_beside: str | None = None  # the column beside it, where its closing code stands when that column is shorter
    cell_spans_by: str | None = None  # its cells' spans chosen by their content: "rhythm" (fill.choose_cell_spans), "depth" (fill.level_cell_spans)
    # its composition on a page too full at its own, tried before a ring or a figure takes a smaller step (page 6:
    # the roles stacked on seven columns beside the code's five where the page has room, side by side on eight)
    crowded_col: int | None = None
    crowded_span: int | None = None
    crowded_cells: int | None = None
    crowded_cell_spans: tuple[int, ...] | None = None
    refs: dict = field(default_factory=dict, compare=False, repr=False)  # SourceRef per key


@dataclass(frozen=True)
class Template:
    ref: SourceRef
    frames: dict
    styles: dict | None = None  # style substitutions for the whole page (a frame's own win)
    safe_mm: float | None = None  # this page's distance from the trim that text keeps (default: page.yaml's)
    spacing_pt: dict | None = None  # this page's own sizes of the named gaps: a larger step used everywhere on it


@dataclass(frozen=True)
class PageSpec:
    ref: SourceRef
    width_mm: float
    height_mm: float
    bleed_mm: float
    safe_mm: float
    slug_mm: float


@dataclass(frozen=True)
class Margins:
    ref: SourceRef
    top: float
    bottom: float
    left: float
    right: float


@dataclass(frozen=True)
class Grid:
    ref: SourceRef
    columns: int
    gutter_mm: float
    baseline_pt: float


@dataclass(frozen=True)
class Band:
    ref: SourceRef
    height_mm: float
    colour: str
    note_separator: str = " ／ "  # between the English and the Chinese of the band's note (continued ／ 續)
    # what the band of a page says when its theme goes on from the page before (the same title) and its page file
    # says nothing of its own: furniture, in both languages
    continued_en: str | None = None
    continued_zh: str | None = None


@dataclass(frozen=True)
class ElementMeasures:
    """Spacing inside elements: set in layout/page.yaml so no measure lives in code."""

    ref: SourceRef
    band_gap_pt: float = 2.5
    row_gap_mm: float = 3.0
    bullet_indent_mm: float = 3.2
    # a group of rankings' rank column (a page's rankings in columns; a frame of cells'): its widest rank and this gap
    rank_gap_mm: float = 3.0
    rank_column_max_mm: float = 20.0  # a rank's room (copyfit): this less the gap
    rank_words_min_em: float = 0.0  # a ranking whose words beside its rank are narrower than this: a warning
    # the least room a figure line leaves before a cell beside it in its row (over the gutter): two figures never
    # read as one run
    figure_clear_mm: float = 0.0
    change_space_mm: float = 0.0  # the least space between a change and the unit (or figure) it follows
    figure_box_step: bool = True  # a stat's figure first under a rule takes a box's step (items.box_first)
    table_swatch_mm: float = 4.0
    ring_radius_mm: float = 26.0
    ring_hole: float = 0.58
    ring_steps_mm: tuple[float, ...] = ()  # smaller radii a ring takes, in turn, on a page too full for it
    ring_larger_steps_mm: tuple[float, ...] = ()  # larger radii a ring takes, in turn, on a page with room
    ring_max_share: float = 0.36  # a ring's outer radius at most this share of its column's width
    ring_larger_share: float = 0.36  # …and at a larger step, at most this share
    qr_caption_gap_mm: float = 3.0
    qr_caption_measure_mm: float = 0.0  # a QR caption's measure on every page (0: the rest of its cell)
    footnote_rule_mm: float = 40.0
    heading_rule_pt: float = 0.6
    theme_band_mm: tuple[float, float] = (2.0, 4.0)  # a second theme's navy band: padding above and below, at the sides
    panel_padding_mm: float = 5.0  # a panel is its content and this padding…
    panel_padding_range_mm: tuple[float, float] = (4.0, 6.0)  # …which a frame may set within this
    footnote_english_columns: int = 6  # of the grid's columns, a footnote's English; its Chinese the rest
    # every footnote ends with its language's full stop: the layout adds it (furniture) where the note has none
    footnote_stop_en: str = ""
    footnote_stop_zh: str = ""
    # the words a picture's placeholder shows in its box (a picture still to come), as furniture; empty: none
    picture_to_come_en: str = ""
    picture_to_come_zh: str = ""
    # a stat's Chinese unit after its Chinese label between these, drawn as furniture (耗電量（千瓦小時）); none: a space
    label_unit_brackets_zh: tuple[str, ...] = ()


@dataclass(frozen=True)
class TypographyLimits:
    """What the typography report holds the laid-out pages to (layout/page.yaml, `typography:`)."""

    ref: SourceRef | None = None
    max_empty_band_mm: float = 15.0  # tallest band across the body with nothing drawn in it
    deliberate_space_mm: float = 25.0  # ... except one space per page the template declares, at most this
    deliberate_space_templates: tuple[str, ...] = ()  # templates whose pages may hold such a space
    max_spread_foot_mm: float = 0.0  # the two pages of a spread end within this of each other, else a note (0: none)
    max_ideograph_gap_em: float = 0.1  # widest gap between neighbouring ideographs (letter-spaced Chinese)
    han_latin_gap_em: tuple[float, float] = (0.125, 1 / 3)  # the Han–Latin gap as set: from compressed to stretched
    max_bracket_phrase: int = 8  # a bracketed phrase of at most this many characters is never broken
    max_text_sizes: int = 10  # distinct text sizes drawn in the whole document
    max_panel_edge_mm: float = 8.0  # a panel's edge to its first and to its last ink (a row of cards: the tallest)
    max_panel_gap_mm: float = 12.0  # the tallest band without ink inside a panel
    max_row_hole_mm: float = 0.0  # the most paper under a cell of a row above the row's tallest cell (0: no limit)
    max_column_edges: int = 0  # the grid columns a page's rows of cells start their cells on, at most (0: no limit)
    max_cell_bracket_phrase: int = 0  # a bracketed phrase this short is never broken in a row choosing its columns
    min_block_gap_mm: float = 0.0  # the least paper between two blocks (ink or a panel's edge), a heading's to what it heads apart
    last_block_gap_mm: float = 0.0  # …under which a page too full for its rhythm never closes it (the last resort)
    one_ink_below_pt: float = 0.0  # text smaller than this in one ink (a four-ink navy breaks up off register)
    max_stat_anatomies: int = 1  # ways of setting a stat in the leaflet (DESIGN.md: one stat anatomy)
    max_stat_forms_per_row: int = 1  # ways the stats of one row or panel say what they count (words; a unit alone)
    max_figure_sizes_per_section: int = 1  # stat figure sizes within one section
    max_bold_twin_mismatches: int = 0  # elements with bold English and no bold Chinese
    max_typewriter_dashes: int = 0  # hyphens for minus signs, dashes and ranges; half-width slashes in Chinese
    max_chars_per_line: int = 0  # a line of running English text at most this many characters (0: no limit)
    max_ems_per_line_zh: float = 0.0  # a line of running Chinese text at most this many ems of its size (0: no limit)


@dataclass(frozen=True)
class Swatch:
    """A chart colour: a colour of styles.yaml at a tint (1 = solid)."""

    ref: SourceRef
    colour: str
    tint: float = 1.0


@dataclass(frozen=True)
class ChartSpec:
    """How breakdown charts are coloured and set (layout/page.yaml `charts:`)."""

    ref: SourceRef
    palette: tuple[Swatch, ...]  # the chart swatches of the leaflet (a bar in each row takes the first)
    key: Swatch  # the key region's swatch (a row marked `key: true` takes it whatever its region)
    regions: dict = field(default_factory=dict, hash=False)  # region name -> its one swatch in every chart
    others: Swatch | None = None  # the one swatch of the Others row (rows whose region has no swatch, small rows)
    min_delta_e: float = 10.0  # CIEDE2000 through the output profile: every two swatches, and each and the paper
    others_below_percent: float = 1.0  # rows under this share become one Others row (where the content allows)
    figure_gap_mm: float = 3.0  # between a table's counts and its percentages, and before the counts
    space_mm: float = 3.0  # between a caption and its chart, and between the chart and its table
    caption_lines: int = 1  # caption lines each chart of a multi-cell frame reserves, so charts of a row stand level
    bar_height_mm: float = 6.0  # a 100 % bar's height
    separator_pt: float = 0.6  # the paper-white line between segments of a ring or bar
    ring_min_percent: float = 0.0  # a ring with a segment under this share is drawn as a 100 % bar instead
    refs: dict = field(default_factory=dict, compare=False, repr=False)


def chart_swatches(spec: ChartSpec) -> tuple[Swatch, ...]:
    """Every swatch a chart of the leaflet may show, each distinct one once (the first place it is written):
    the palette, the key, the regions' and the Others swatch."""
    out: list[Swatch] = []
    for swatch in (*spec.palette, spec.key, *spec.regions.values(), *([spec.others] if spec.others else [])):
        if not any((s.colour, s.tint) == (swatch.colour, swatch.tint) for s in out):
            out.append(swatch)
    return tuple(out)


@dataclass(frozen=True)
class ImageSettings:
    """How pictures are prepared for print (layout/page.yaml `images:`; images.py reads it)."""

    ref: SourceRef | None = None
    intent: str = "relative"  # rendering intent RGB → the output profile's CMYK: perceptual, relative, saturation
    black_point_compensation: bool = True
    jpeg_quality: int = 90
    min_ppi_warn: float = 300.0  # effective resolution at the placed size under this: a warning
    min_ppi_error: float = 150.0  # ... under this: an error
    max_ppi: float = 450.0  # above this the picture is downsampled to target_ppi (Lanczos)
    target_ppi: float = 300.0
    max_ink_percent: float = 300.0  # the press's total area coverage: C+M+Y+K of any pixel


@dataclass(frozen=True)
class PageGeometry:
    ref: SourceRef
    page: PageSpec
    margins_mm: Margins
    grid: Grid
    title_band: Band
    footnote_gap_mm: float
    folio_mm: float
    qr_size_mm: float
    qr_error_correction: str  # L, M, Q or H: how much of a code may be damaged and still read
    qr_min_module_mm: float  # the smallest module a phone camera reads from paper
    max_gap_stretch_mm: float
    spacing_pt: dict  # named vertical steps between frames, on the baseline grid
    underfull_mm: float  # more unfilled height than this at a page's foot (or in a fixed frame) is reported
    elements: ElementMeasures
    compact_spacing_pt: dict | None = None  # the named gaps closer: for a page too full for spacing_pt
    loose_spacing_pt: dict | None = None  # the named gaps wider: for a page with more spare than one space
    # named gaps held exactly, ink to ink, on every page: never closed or opened (the step above a section heading)
    fixed_steps: tuple = ()
    # the step that leads the page's hierarchy (above a section heading): every other opened step of the page
    # stays at least leading_margin_pt under it, so sections read apart from the rows inside them
    leading_step: str | None = None
    leading_margin_pt: float = 0.0
    typography: TypographyLimits = TypographyLimits()
    charts: ChartSpec | None = None
    images: ImageSettings = ImageSettings()


@dataclass(frozen=True)
class Layout:
    """Everything in layout/, checked and with styles resolved per language."""

    geometry: PageGeometry
    colours: dict
    styles: dict  # (name, lang) -> Style
    templates: dict
    copyfit_steps: dict = field(default_factory=dict)  # style name -> smaller sizes, largest first

    # Derived measures in points, so no stage converts units again.
    @property
    def page_width_pt(self) -> float:
        return self.geometry.page.width_mm * MM

    @property
    def page_height_pt(self) -> float:
        return self.geometry.page.height_mm * MM

    @property
    def qr_size_mm(self) -> float:
        return self.geometry.qr_size_mm

    def style(self, name: str, lang: str) -> Style:
        return self.styles[(name, "zh" if lang in ("zh", "mixed") else "en")]

    def steps(self, name: str) -> tuple:
        """The smaller sizes a style's figures may take when they do not fit (copyfit), largest first."""
        size = self.styles[(name, "en")].size_pt if (name, "en") in self.styles else math.inf
        return tuple(step for step in self.copyfit_steps.get(name, ()) if step < size)

    def column_x_pt(self, col: int, span: int) -> tuple[float, float]:
        """Left edge and width of `span` grid columns starting at 1-based column `col`."""
        g = self.geometry
        inner = g.page.width_mm - g.margins_mm.left - g.margins_mm.right
        col_w = (inner - (g.grid.columns - 1) * g.grid.gutter_mm) / g.grid.columns
        left = g.margins_mm.left + (col - 1) * (col_w + g.grid.gutter_mm)
        return left * MM, (span * col_w + (span - 1) * g.grid.gutter_mm) * MM


def _typography_check(values, node, path, r: Reader) -> bool:
    gap = values["han_latin_gap_em"]
    if len(gap) != 2 or gap[0] > gap[1]:
        r.error(node, f"{path}.han_latin_gap_em", "bad-value", f"han_latin_gap_em must be [least, most], found "
                f"{list(gap)}", "write han_latin_gap_em: [0.125, 0.334] (compressed to stretched)")
        return False
    if values["deliberate_space_mm"] < values["max_empty_band_mm"]:
        r.error(node, f"{path}.deliberate_space_mm", "bad-value", f"deliberate_space_mm "
                f"({values['deliberate_space_mm']:g}) is less than max_empty_band_mm ({values['max_empty_band_mm']:g})",
                "a declared space is allowed to be taller than any other empty band, not shorter")
        return False
    if values["last_block_gap_mm"] > values["min_block_gap_mm"]:
        r.error(node, f"{path}.last_block_gap_mm", "bad-value", f"last_block_gap_mm "
                f"({values['last_block_gap_mm']:g}) is more than min_block_gap_mm ({values['min_block_gap_mm']:g})",
                "the last resort of a page too full for its rhythm closes the floor: make it the floor or less")
        return False
    return True


_num = lambda d="": Number(d)
MAX_PAGE_MM = 1500  # A0's long side is 1189 mm
MAX_COLUMNS = 48
_style_fields = {
    "weight": Field(Str("regular or bold", choices=("regular", "bold"))),
    "size_pt": Field(Number("Type size in points", 4, maximum=200)),
    "leading_pt": Field(Number("Baseline to baseline, points", 2, maximum=300)),
    "colour": Field(Str("A colour name from colours:")),
    "tracking_em": Field(Number("Letter spacing in em", -0.1, maximum=0.5)),
    "align": Field(Str("left, right, center or justify", choices=("left", "right", "center", "justify"))),
    "space_before_pt": Field(Number("Space above, points", 0, maximum=200)),
    "space_after_pt": Field(Number("Space below, points", 0, maximum=200)),
    "cjk_latin_gap_em": Field(Number("Gap where Han meets Latin or digits, em", 0, maximum=1)),
    "cjk_tighten_em": Field(Number("Retired: a gap between ideographs never tightens below solid (DESIGN.md, Chinese "
                                   "setting: the break moves instead); 0 only, or leave it out", 0, maximum=0)),
    "hang_punctuation": Field(Bool("A line-final ，。、 may hang into the margin rather than go down a line")),
    "punct_min_em": Field(Number("Justified Chinese: the least advance a mid-line ，。、：；keeps when its blank is "
                                 "compressed, evenly from both sides, to fit a line before any ideograph gap opens "
                                 "(a bracket gives its blank half), em; 1: never compressed", 0.5, maximum=1)),
    "hyphenate": Field(Bool("English words may break at dictionary points, 3 letters each side")),
    "steps": Field(Seq(Number("A smaller size of the type scale, pt", 1), 1,
                       "Smaller sizes, largest first, that a figure in this style may take when it does not fit "
                       "(copyfit): every figure of its row or align_rows group takes the same step")),
}
STYLE_VARIANT = Struct(StyleSpec, dict(_style_fields), "One language's overrides")
STYLE = Struct(StyleEntry, {**_style_fields, "en": Field(STYLE_VARIANT), "zh": Field(STYLE_VARIANT)},
               "A type style; en/zh override the shared values")
COLOUR = Struct(Colour, {"cmyk": Field(Seq(Number(), 4), required=True), "rgb": Field(Str("#rrggbb"))},
                "A process colour with its screen twin", check=_colour_check)
SWATCH = Struct(Swatch, {"colour": Field(Str("A colour name from styles.yaml"), required=True),
                         "tint": Field(Number("Share of the colour, 0–1", 0, maximum=1), default=1.0)},
                "A chart colour")
FRAME = Struct(FrameSpec, {
    "col": Field(Int("First grid column, 1-based", 1, MAX_COLUMNS), required=True),
    "span": Field(Int("Number of grid columns", 1, MAX_COLUMNS), required=True),
    "top_mm": Field(Number("Top, mm below the top of the body area", 0, maximum=MAX_PAGE_MM)),
    "below": Field(Seq(Str(), 1, "Place this frame under the lowest content of these frames")),
    "gap_mm": Field(Number("Gap under the frame named in 'below', mm", 0, maximum=MAX_PAGE_MM), default=0.0),
    "height_mm": Field(Number("Height, mm (default: down to the footnotes)", 1, maximum=MAX_PAGE_MM)),
    "cells": Field(Int("Elements per row, side by side", 1, 12), default=1),
    "cell_spans": Field(Seq(Int("Grid columns", 1, MAX_COLUMNS), 1, "Grid columns each cell of a row takes, "
                            "one number a cell, summing to the frame's span (a wide figure beside two narrower "
                            "rankings: [6, 3, 3]); default equal cells")),
    "panel": Field(Str("Colour of a tinted panel behind the frame")),
    "panel_cells": Field(Bool("A panel behind each cell of the frame's row of cells, on the cell's grid columns and "
                              "a gutter of paper apart, instead of one across the frame: each figure under its own "
                              "lead-in"), default=False),
    "padding_mm": Field(Number("Inner padding of the panel, mm", 0, maximum=50), default=0.0),
    "list_columns": Field(Int("Columns a list is set in", 1, 6), default=1),
    "chart": Field(Str("Breakdown drawing: a bar per row, a ring above, or a 100 % bar above; legend: the table "
                       "alone of a chart another frame draws (its `legend`)",
                       choices=("bars", "ring", "bar100", "legend")), default="bars"),
    "code_beside": Field(Str("The frame beside this one (another column of its section): this frame's closing code "
                             "(its last element, a QR code) stands under that frame instead when the two columns then "
                             "end nearer level (a shorter column beside, no hole under it)")),
    "legend": Field(Str("A frame of chart: legend that sets the table of this frame's ring (or 100 % bar): the "
                        "chart here, its key there (beside the chart in another column)")),
    "gap": Field(Str("The space above, a named step of spacing_pt in layout/page.yaml (e.g. section)")),
    "anchor": Field(Str("foot: this frame and those below it stand at the foot of the body; the space above "
                        "them is the page's one deliberate space. foot-if-spare: this frame follows the frames above "
                        "it (a closing paragraph under its section), and stands at the foot as with foot only where "
                        "the page has more room than its larger steps and the space at its foot take",
                        choices=("foot", "foot-if-spare"))),
    "foot_with": Field(Seq(Str("A frame name"), 1, "Frames beside this one (another column of its section): this frame "
                           "goes down until its foot stands level with their lowest foot (never up), so two columns "
                           "of one section end level")),
    "middle_with": Field(Seq(Str("A frame name"), 1, "Frames beside this one (a chart beside its key): this frame "
                             "goes down until the middle of its ink stands level with the middle of theirs (never "
                             "up), so a key shorter than the ring beside it is centred on it")),
    "led_by": Field(Str("A frame above this one whose last element, a paragraph, leads into this frame's first row "
                        "('HKUST has created/incubated' over 1,747 / 9 / 13): it is set over the row's first cells "
                        "that have no lead-in of their own, its last line on their lead-ins' last line, directly "
                        "above their figures")),
    "aliases": Field(Seq(Str("A frame name"), 1, "Older names of this frame: blocks that name them are set here, "
                         "in page order (so past editions' page files still build after frames are merged)")),
    "wide_span": Field(Int("A wider span the frame takes when the page is too full at its own (an "
                           "introduction on 8 columns that may run across 12 for next year's longer copy)", 1)),
    "wide_cells": Field(Int("The cells to a row the frame takes at its wide_span (stacked blocks set side by "
                            "side when the page is too full)", 1)),
    "wide_cell_spans": Field(Seq(Int("Grid columns", 1, MAX_COLUMNS), 1, "The cell_spans the frame takes when the "
                             "page is too full at its own, with the frames that widen (a deep cell set wider: fewer "
                             "lines; its columns then those of a fuller page)")),
    "row_rules": Field(Bool("A hairline between rows of cells"), default=False),
    "crowded_col": Field(Int("The first grid column the frame takes on a page too full at its own composition "
                             "(with crowded_span)", 1, MAX_COLUMNS)),
    "crowded_span": Field(Int("The grid columns the frame takes on a page too full at its own composition, tried "
                              "before a ring or a figure takes a smaller step (page 6's roles stacked on seven "
                              "columns beside a code on five where the page has room; side by side on eight, the "
                              "code on four, where it has not)", 1, MAX_COLUMNS)),
    "crowded_cells": Field(Int("The cells to a row the frame takes at its crowded_span", 1, 12)),
    "crowded_cell_spans": Field(Seq(Int("Grid columns", 1, MAX_COLUMNS), 1, "The cell_spans the frame takes at its "
                                    "crowded_span")),
    "cell_spans_by": Field(Str("The cells' grid columns chosen by their content, each cell at least the columns its "
                               "widest line and its figure line (with the clear space before a cell beside it) take, "
                               "cell_spans kept on a tie: rhythm, the paper between consecutive figures' ink most "
                               "even (a row of figures reads as a rhythm); depth, the cells ending most level (the "
                               "least paper under the shortest down to the deepest's foot), on the column lines of "
                               "the page's other rows where that is as level; a row given fewer elements than its cells sets them on as many "
                               "equal cells", choices=("rhythm", "depth"))),
    "measure": Field(Int("Grid columns the frame's elements other than its headings are set on, from its left "
                         "edge: a reading measure (DESIGN.md: 55-80 characters) under a heading whose rule runs "
                         "the frame's whole span", 1)),
    "bands": Field(Str("Cells of a row: stacked (each cell's Chinese under its own English) or shared (the "
                       "row's English on one band, its Chinese on the next: for cells alike, whose English ends "
                       "level)", choices=("stacked", "shared")), default="stacked"),
    "beside_mm": Field(Number("Stats: the figure stands in a column this wide and its label and note, English "
                              "then Chinese, beside it, mm", 10)),
    "monolingual": Field(Str("In a one-language variant (--lang): collapse to its text, or keep-height",
                             choices=("collapse", "keep-height")), default="collapse"),
    "styles": Field(Named(Str(), "Style substitutions inside this frame, e.g. {stat-figure: stat-figure-small}")),
    "align_rows": Field(Str("A group name: frames side by side that share it start their k-th elements at one "
                            "height (tiles keep their headings and figures level)")),
}, "A named frame on the grid")
TEMPLATES = Struct(lambda ref, templates: templates, {
    "templates": Field(Named(Struct(Template, {
        "frames": Field(Named(FRAME), required=True),
        "styles": Field(Named(Str(), "Style substitutions on this page, e.g. {body: body-large}")),
        "safe_mm": Field(Number("Text keeps this far from the trim on this page, mm", 0, maximum=50)),
        "spacing_pt": Field(Named(Number("pt, whole baseline-grid steps", 0),
                                  "This page's sizes of the named gaps (a page with fewer words takes a larger "
                                  "step everywhere, never a hole in one place)"))})),
        required=True)})
GEOMETRY = Struct(PageGeometry, {
    "page": Field(Struct(PageSpec, {
        "width_mm": Field(Number("Trim width, mm", 50, maximum=MAX_PAGE_MM), required=True),
        "height_mm": Field(Number("Trim height, mm", 50, maximum=MAX_PAGE_MM), required=True),
        "bleed_mm": Field(Number("Bleed beyond the trim, mm", 0, maximum=20), required=True),
        "safe_mm": Field(Number("Text keeps this far from the trim, mm", 0, maximum=50), required=True),
        "slug_mm": Field(Number("Room outside the bleed for marks, mm", 0, maximum=50), default=10.0)}), required=True),
    "margins_mm": Field(Struct(Margins, {k: Field(Number("Margin, mm", 0, maximum=200), required=True)
                                         for k in ("top", "bottom", "left", "right")}), required=True),
    "grid": Field(Struct(Grid, {"columns": Field(Int("Grid columns", 1, MAX_COLUMNS), required=True),
                                "gutter_mm": Field(Number("Gutter, mm", 0, maximum=50), required=True),
                                "baseline_pt": Field(Number("Baseline grid step, pt", 0.5, maximum=50),
                                                     required=True)}), required=True),
    "title_band": Field(Struct(Band, {"height_mm": Field(Number("Title band height, mm", 1, maximum=200), required=True),
                                      "colour": Field(Str(), required=True),
                                      "note_separator": Field(Str("Between the English and the Chinese of a band's "
                                                                  "note (continued ／ 續)"), default=" ／ "),
                                      "continued_en": Field(Str("The band's note on a page whose theme goes on from "
                                                                "the page before (the same title), in English")),
                                      "continued_zh": Field(Str("…and in Chinese (a page file's own `continued:` "
                                                                "comes first)"))}),
                       required=True),
    "footnote_gap_mm": Field(Number("Gap above the footnotes, mm", 0, maximum=100), default=3.0),
    "folio_mm": Field(Number("Folio baseline, mm above the trim", 0, maximum=100), default=8.0),
    "qr_size_mm": Field(Number("Side of a QR code with its quiet zone, mm", 10, maximum=200), default=20.0),
    "spacing_pt": Field(Named(Number("A named vertical step between frames, pt (whole baseline-grid steps)", 0),
                              "The page's vertical rhythm: a few named gaps"), default=None),
    "compact_spacing_pt": Field(Named(Number("pt, whole baseline-grid steps", 0),
                                      "The named gaps closer together, for a page too full for spacing_pt "
                                      "(next year's longer copy): taken before the page leaves the grid"),
                                default=None),
    "loose_spacing_pt": Field(Named(Number("pt, whole baseline-grid steps", 0),
                                    "The named gaps wider, for a page with more spare height than one "
                                    "deliberate space (shorter copy): a larger step everywhere on the page"),
                              default=None),
    "fixed_steps": Field(Seq(Str("A gap name from spacing_pt"), 0,
                             "Named gaps held at their spacing_pt step on every page, measured from the ink above to "
                             "the ink below (what the eye measures): never closed to compact_spacing_pt nor opened to "
                             "loose_spacing_pt (but the leading_step, opened first), so that every section heading has one space "
                             "above it"), default=()),
    "leading_step": Field(Str("A gap name from spacing_pt: the step above a section heading, larger than every "
                              "other step of its page by leading_margin_pt"), default=None),
    "leading_margin_pt": Field(Number("pt: how much smaller than leading_step every other step of a page stays, "
                                      "however far spare height opens it", 0), default=0.0),
    "qr_error_correction": Field(Str("QR error correction: L, M, Q or H (7, 15, 25, 30 % of the code may be "
                                     "damaged)", choices=("L", "M", "Q", "H")), default="M"),
    "qr_min_module_mm": Field(Number("Smallest QR module that phones read from paper, mm (a longer url makes "
                                     "smaller modules: it is a warning)", 0.1), default=0.33),
    "max_gap_stretch_mm": Field(Number("Most a gap between frames may grow to fill the page, mm", 0,
                                       maximum=MAX_PAGE_MM), default=0.0),
    "underfull_mm": Field(Number("A page whose content ends more than this above its foot, or a fixed-height "
                                 "frame with this much left empty, is reported underfull, mm", 0,
                                 maximum=MAX_PAGE_MM), default=10.0),
    "elements": Field(Struct(ElementMeasures, {
        "band_gap_pt": Field(Number("Between an element's English and its Chinese, pt", 0, maximum=200), default=2.5),
        "row_gap_mm": Field(Number("Between rows of a multi-cell frame", 0, maximum=200), default=3.0),
        "bullet_indent_mm": Field(Number("Text indent of list items", 0, maximum=200), default=3.2),
        "rank_gap_mm": Field(Number("Between a rank column's widest rank and the words beside it, mm (the column of a "
                                    "page's rankings in columns, or of a frame of cells' rankings, is its widest "
                                    "rank and this gap)", 0, maximum=200), default=3.0),
        "rank_column_max_mm": Field(Number("The widest a rank column may be, mm: a rank wider than this less the gap "
                                           "takes a smaller step of its style's scale (copyfit), else is an error",
                                           0, maximum=200), default=20.0),
        "rank_words_min_em": Field(Number("A ranking whose words beside its rank column would be narrower than this "
                                          "many ems of its Chinese title is a warning: its cell wants more columns",
                                          0, maximum=200), default=0.0),
        "figure_clear_mm": Field(Number("The least room a stat's figure line (figure, unit and change) leaves in its "
                                        "cell before a cell beside it in its row, over the gutter, mm", 0,
                                        maximum=200), default=0.0),
        "change_space_mm": Field(Number("The least space between a stat's change and the unit (or figure) before it "
                                        "on the figure line, mm (more than a word space where that is narrower)", 0,
                                        maximum=50), default=0.0),
        "figure_box_step": Field(Bool("A stat's figure first under a heading's rule takes a box's step there, level "
                                      "with a ring or picture beside it (a page too full for it gives that back "
                                      "first: the letters' step, before a ring or figure takes a smaller size)"),
                                 default=True),
        "table_swatch_mm": Field(Number("Colour key before each breakdown label", 0, maximum=200), default=4.0),
        "ring_radius_mm": Field(Number("Largest outer radius of a ring chart", 1, maximum=200), default=26.0),
        "ring_hole": Field(Number("Inner radius of a ring as a share of the outer", 0, maximum=0.95), default=0.58),
        "ring_steps_mm": Field(Seq(Number("mm", 1, maximum=200), 0, "Smaller outer radii a ring chart takes, in "
                                   "turn, on a page too full for it (the figure scale's smaller steps)"), default=()),
        "ring_larger_steps_mm": Field(Seq(Number("mm", 1, maximum=200), 0, "Larger outer radii a ring chart takes, "
                                          "in turn, on a page with room (every ring of the page one size), before "
                                          "the page leaves the room as paper"), default=()),
        "ring_max_share": Field(Number("A ring's outer radius at most this share of its column's width", 0.05,
                                       maximum=0.5), default=0.36),
        "ring_larger_share": Field(Number("A ring at a larger step (ring_larger_steps_mm): its outer radius at most "
                                          "this share of its column's width", 0.05, maximum=0.5), default=0.36),
        "qr_caption_gap_mm": Field(Number("Between a QR code and its caption", 0, maximum=200), default=3.0),
        "qr_caption_measure_mm": Field(Number("A QR code's caption measure, mm, the same on every page (its cell's "
                                              "rest where narrower; 0: the rest of its cell)", 0, maximum=200),
                                       default=0.0),
        "footnote_rule_mm": Field(Number("Length of the rule above footnotes", 0, maximum=200), default=40.0),
        "heading_rule_pt": Field(Number("Weight of the rule under section headings", 0, maximum=200), default=0.6),
        "theme_band_mm": Field(Seq(Number("mm", 0, maximum=50), 2, "A second theme's navy band: its padding above "
                                   "and below, and at its sides, mm", 2), default=(2.0, 4.0)),
        "panel_padding_mm": Field(Number("Padding of a panel around its content, mm", 0, maximum=50), default=5.0),
        "panel_padding_range_mm": Field(Seq(Number("mm", 0, maximum=50), 2, "Least and most padding a frame may "
                                            "give its panel, mm", 2), default=(4.0, 6.0)),
        "footnote_english_columns": Field(Int("Grid columns a footnote's English takes; its Chinese the rest", 1),
                                          default=6),
        "footnote_stop_en": Field(Str("The full stop every English footnote ends with (added, as furniture, where "
                                      "the note has none); empty: as written", max_length=2), default=""),
        "footnote_stop_zh": Field(Str("The full stop every Chinese footnote ends with (added, as furniture, where "
                                      "the note has none); empty: as written", max_length=2), default=""),
        "picture_to_come_en": Field(Str("What a picture's placeholder says in its box (an image with no file yet), "
                                        "English, as furniture; empty: nothing", max_length=60), default=""),
        "picture_to_come_zh": Field(Str("The same in Chinese", max_length=60), default=""),
        "label_unit_brackets_zh": Field(Seq(Str("A full-width bracket", max_length=1), 2, "The brackets a stat's "
                                            "Chinese unit stands between after its Chinese label (耗電量（千瓦小時）), "
                                            "drawn as furniture that no text extractor reads; empty: a word space "
                                            "between label and unit", 2), default=()),
    }), default=None),
    "typography": Field(Struct(TypographyLimits, {
        "max_empty_band_mm": Field(Number("Tallest band across the body with nothing drawn in it, mm", 1),
                                   default=15.0),
        "deliberate_space_mm": Field(Number("One space per page that its template declares may be this tall, mm",
                                            0), default=25.0),
        "deliberate_space_templates": Field(Seq(Str("A template name from templates.yaml")), default=()),
        "max_spread_foot_mm": Field(Number("The two pages of a spread (2-3, 4-5, ...) end within this of each other, "
                                           "their last ink above the folio: a page that ends higher is noted with its "
                                           "room and the choices, mm (0: not checked)", 0), default=0.0),
        "max_ideograph_gap_em": Field(Number("Widest gap between neighbouring ideographs, em", 0, maximum=0.25),
                                      default=0.08),
        "han_latin_gap_em": Field(Seq(Number("em", 0, maximum=0.5)), default=(0.125, 1 / 3)),
        "max_bracket_phrase": Field(Int("A bracketed phrase this short or shorter is never broken, characters",
                                        0), default=8),
        "max_text_sizes": Field(Int("Most distinct text sizes drawn in the document", 1), default=10),
        "max_panel_edge_mm": Field(Number("Most paper between a panel's edge and its first or last ink, mm", 0),
                                   default=8.0),
        "max_panel_gap_mm": Field(Number("Tallest band without ink inside a panel, mm", 0), default=12.0),
        "max_row_hole_mm": Field(Number("Most paper under a cell of a row of cells, down to the row's tallest cell's "
                                        "foot, mm (0: no limit)", 0), default=0.0),
        "max_column_edges": Field(Int("One column structure a page: the most grid columns the rows of cells of a "
                                      "page (and its rows of framed tiles) start their cells on; more is a note "
                                      "naming the rows (0: no limit)", 0), default=0),
        "max_cell_bracket_phrase": Field(Int("In a row of cells whose columns follow its content (cell_spans_by), a "
                                             "bracketed phrase of at most this many characters is never broken over "
                                             "lines: its cell at least as wide (0: any may break)", 0), default=0),
        "min_block_gap_mm": Field(Number("Least paper between two blocks (their ink or a panel's edge), a heading "
                                         "and what it heads apart, mm", 0), default=0.0),
        "last_block_gap_mm": Field(Number("The paper between blocks a page too full for its rhythm may close to, "
                                          "with a note, before it overflows, mm", 0), default=0.0),
        "one_ink_below_pt": Field(Number("Text smaller than this is set in a colour of one ink, pt (0: any)", 0),
                                  default=0.0),
        "max_stat_anatomies": Field(Int("Most ways of setting a stat in the document", 1), default=1),
        "max_stat_forms_per_row": Field(Int("Most ways the stats of one row or panel say what they count (words "
                                            "of their own: a label, a bold lead in the note, a lead-in; or none: "
                                            "a unit alone, a plain note): more is a warning, stat-anatomy-mixed",
                                            1), default=1),
        "max_figure_sizes_per_section": Field(Int("Most stat figure sizes in one section", 1), default=1),
        "max_bold_twin_mismatches": Field(Int("Elements with bold English and no bold Chinese", 0), default=0),
        "max_typewriter_dashes": Field(Int("Hyphens for minus signs, dashes and ranges; ' / ' in Chinese", 0),
                                       default=0),
        "max_chars_per_line": Field(Int("A reader's measure: the most characters a line of running English text "
                                        "holds; the layout sets an element whose lines would run longer on fewer "
                                        "grid columns, and the report warns of a line still longer (0: no limit)",
                                        0), default=0),
        "max_ems_per_line_zh": Field(Number("The same for running Chinese text, in ems of its size (0: no limit)",
                                            0), default=0.0),
    }, "Limits of the typography report (build --report)", check=_typography_check), default=None),
    "charts": Field(Struct(ChartSpec, {
        "palette": Field(Seq(SWATCH, 2, "The leaflet's chart swatches (a bar in each row takes the first)"),
                         required=True),
        "key": Field(SWATCH, required=True),
        "regions": Field(Named(SWATCH, "One swatch per region for the whole leaflet, by the row's region (its "
                                       "English label unless the row names a region)"), default={}),
        "others": Field(SWATCH),
        "min_delta_e": Field(Number("Least CIEDE2000 difference between any two swatches, and between each and "
                                    "the paper, through the output profile", 0), default=10.0),
        "others_below_percent": Field(Number("Rows under this share are grouped as Others, %", 0), default=1.0),
        "figure_gap_mm": Field(Number("Between counts and percentages, mm", 0), default=3.0),
        "space_mm": Field(Number("Between caption, chart and table, mm", 0), default=3.0),
        "caption_lines": Field(Int("Caption lines each chart of a frame of several cells reserves, so charts "
                                   "of a row stand level", 0), default=1),
        "bar_height_mm": Field(Number("Height of a 100 % bar, mm", 1), default=6.0),
        "separator_pt": Field(Number("Paper-white line between segments, pt", 0), default=0.6),
        "ring_min_percent": Field(Number("A ring with a segment under this share is drawn as a 100 % bar, %", 0),
                                  default=0.0),
    }, "Breakdown charts: palette, grouping, spacing"), default=None),
    "images": Field(Struct(ImageSettings, {
        "intent": Field(Str("Rendering intent of RGB pictures into the print profile's CMYK",
                            choices=("perceptual", "relative", "saturation", "absolute")), default="relative"),
        "black_point_compensation": Field(Bool("Map the picture's black to the press's black"), default=True),
        "jpeg_quality": Field(Int("JPEG quality of embedded photographs, 1-95", 1), default=90),
        "min_ppi_warn": Field(Number("Effective resolution under this is a warning, ppi", 1), default=300.0),
        "min_ppi_error": Field(Number("Effective resolution under this is an error, ppi", 1), default=150.0),
        "max_ppi": Field(Number("Pictures above this are downsampled to target_ppi, ppi", 1), default=450.0),
        "target_ppi": Field(Number("Resolution a downsampled picture is embedded at, ppi", 1), default=300.0),
        "max_ink_percent": Field(Number("The press's total ink limit (C+M+Y+K), %", 100, maximum=400),
                                 default=300.0),
    }, "Pictures: colour conversion, resolution and ink for print"), default=None),
}, "Page size, margins, grid")
STYLES = Struct(lambda ref, colours, styles, scale_pt=None, hierarchy=None, min_leading=None:
                (colours, styles, scale_pt, hierarchy, min_leading, ref), {
    "colours": Field(Named(COLOUR), required=True),
    "scale_pt": Field(Named(Number("A size of the leaflet's type scale, pt", 1),
                            "The type scale: every style's size (and copyfit step) is one of these")),
    "hierarchy": Field(Seq(Str("A style name"), 2, "Styles from the largest down: each must be larger than the next")),
    "min_leading": Field(Struct(lambda ref, en=None, zh=None: {"en": en, "zh": zh, "ref": ref}, {
        "en": Field(Number("Least English leading, as a multiple of the size", 1, maximum=3)),
        "zh": Field(Number("Least Chinese leading, as a multiple of the size", 1, maximum=3))},
        "Least leading of every style, per language, as a multiple of its size")),
    "styles": Field(Named(STYLE), required=True)})
MAX_SCALE_SIZES = 9  # DESIGN.md: about seven sizes, and one or two smaller steps a figure may take

_REQUIRED_STYLE_KEYS = ("weight", "size_pt", "leading_pt", "colour")
# The colours the layout engine sets its elements with (and their styles: layout/elements.py's table, with
# the page's own): styles.yaml must define them all.
ENGINE_COLOURS = ("primary", "accent", "rule", "text")


LAYOUT_FILES = ("page", "styles", "templates")


def load_layout(folder: str, diags: Diagnostics, cache: dict | None = None, override: str | None = None) -> Layout:
    """Read layout/page.yaml, styles.yaml and templates.yaml, each with the same file of the `override`
    folder (an edition's own layout/) merged over it; raise BuildFailed on errors."""
    parsed = {}
    overrides = _override_files(override, diags)
    for name, spec in (("page", GEOMETRY), ("styles", STYLES), ("templates", TEMPLATES)):
        path = os.path.join(folder, f"{name}.yaml")
        try:
            if name in overrides:
                parsed[name] = _load_merged(path, overrides[name], spec, diags, cache)
            else:
                parsed[name] = load_document(path, spec, diags, cache)
        except BuildFailed:
            continue
    if len(parsed) < 3 or INVALID in parsed.values():
        raise BuildFailed(diags)
    geometry, (colours, entries, scale, hierarchy, min_leading, styles_doc), templates = (
        parsed["page"], parsed["styles"], parsed["templates"])
    _check_geometry(geometry, diags)
    if geometry.elements is None:
        geometry = replace(geometry, elements=ElementMeasures(geometry.ref))
    else:
        geometry = replace(geometry, elements=replace(
            geometry.elements, panel_padding_range_mm=tuple(geometry.elements.panel_padding_range_mm),
            theme_band_mm=tuple(geometry.elements.theme_band_mm),
            ring_steps_mm=tuple(geometry.elements.ring_steps_mm),
            ring_larger_steps_mm=tuple(geometry.elements.ring_larger_steps_mm)))
    if geometry.typography is None:
        geometry = replace(geometry, typography=TypographyLimits(geometry.ref))
    else:
        typography = geometry.typography
        geometry = replace(geometry, typography=replace(
            typography, deliberate_space_templates=tuple(typography.deliberate_space_templates),
            han_latin_gap_em=tuple(typography.han_latin_gap_em)))
        for name in typography.deliberate_space_templates:
            if name not in templates:
                diags.error("unknown-template", f"typography.deliberate_space_templates names '{name}', which "
                            "templates.yaml does not define", typography.ref,
                            hint="templates: " + ", ".join(templates))
    if geometry.images is None:
        geometry = replace(geometry, images=ImageSettings(geometry.ref))
    if geometry.charts is None:  # navy in four steps, the key region in gold (DESIGN.md)
        geometry = replace(geometry, charts=ChartSpec(geometry.ref, tuple(
            Swatch(geometry.ref, "primary", t) for t in (1.0, 0.7, 0.45, 0.2)), Swatch(geometry.ref, "accent")))
    styles = {}
    for name, entry in entries.items():
        for lang in ("en", "zh"):
            style = _resolve(name, lang, entry, colours, diags)
            if style:
                styles[(name, lang)] = style
    _check_leadings_on_grid(entries, styles, geometry.grid, diags)
    _check_small_text_in_one_ink(entries, styles, geometry.typography.one_ink_below_pt, diags)
    if min_leading is not None:
        _check_leading_ratio(entries, styles, min_leading, geometry.grid, diags)
    if scale is not None:
        _check_scale(scale, hierarchy or (), entries, styles, styles_doc, diags)
    styles_ref = next(iter(entries.values())).ref if entries else geometry.ref
    for name in engine_styles():
        if name not in entries:
            diags.error("missing-style", f"styles.yaml does not define the style '{name}'", SourceRef(styles_ref.file),
                        hint="every element kind needs its styles: " + ", ".join(engine_styles()))
    for name in ENGINE_COLOURS:
        if name not in colours:
            diags.error("missing-colour", f"styles.yaml does not define the colour '{name}'",
                        SourceRef(styles_ref.file), hint="colours needed: " + ", ".join(ENGINE_COLOURS))
    for swatch in chart_swatches(geometry.charts):
        if swatch.colour not in colours:
            diags.error("unknown-colour", f"chart swatch colour '{swatch.colour}' is not defined in styles.yaml",
                        swatch.ref, hint="colours: " + ", ".join(colours))
    if geometry.title_band.colour not in colours:
        diags.error("unknown-colour", f"colour '{geometry.title_band.colour}' is not defined in styles.yaml",
                    geometry.title_band.ref, hint="colours: " + ", ".join(colours))
    for tname, template in templates.items():
        for substitute in (template.styles or {}).values():
            if (substitute, "en") not in styles:
                diags.error("unknown-style", f"template '{tname}' substitutes style '{substitute}', which "
                            "styles.yaml does not define", template.ref, hint="styles: " + _names(styles))
        for fname, frame in template.frames.items():
            if frame.wide_span is not None and (frame.wide_span <= frame.span
                                                or frame.col + frame.wide_span - 1 > geometry.grid.columns):
                diags.error("frame-off-grid", f"frame '{fname}' widens to {frame.wide_span} columns, which must be "
                            f"more than its span {frame.span} and end within the {geometry.grid.columns}-column grid",
                            frame.refs.get("wide_span", frame.ref), hint=f"at most {geometry.grid.columns - frame.col + 1}")
            if frame.wide_cell_spans is not None and (len(frame.wide_cell_spans) != frame.cells
                                                      or sum(frame.wide_cell_spans) != (frame.wide_span or frame.span)):
                diags.error("frame-cells", f"frame '{fname}' has wide_cell_spans {list(frame.wide_cell_spans)}: one "
                            f"number a cell ({frame.cells}) summing to its span ({frame.wide_span or frame.span})",
                            frame.refs.get("wide_cell_spans", frame.ref),
                            hint=f"give {frame.cells} spans that add up to {frame.wide_span or frame.span}")
            if frame.crowded_span is not None and (
                    (frame.crowded_col or frame.col) + frame.crowded_span - 1 > geometry.grid.columns
                    or frame.crowded_cell_spans is not None and (
                        len(frame.crowded_cell_spans) != (frame.crowded_cells or frame.cells)
                        or sum(frame.crowded_cell_spans) != frame.crowded_span)):
                diags.error("frame-cells", f"frame '{fname}' has crowded_span {frame.crowded_span}: it must end "
                            f"within the {geometry.grid.columns}-column grid, its crowded_cell_spans one number a "
                            "cell summing to it", frame.refs.get("crowded_span", frame.ref),
                            hint="give crowded_col, crowded_span and crowded_cell_spans that fit the grid")
            if (frame.crowded_col or frame.crowded_cells or frame.crowded_cell_spans) and frame.crowded_span is None:
                diags.error("frame-cells", f"frame '{fname}' sets a crowded composition without crowded_span",
                            frame.ref, hint="add crowded_span: (the grid columns it takes on a page too full)")
            if frame.wide_cells is not None and frame.wide_span is None:
                diags.error("frame-wide-cells", f"frame '{fname}' sets wide_cells but no wide_span to take them on",
                            frame.refs.get("wide_cells", frame.ref), hint="add wide_span: (more columns than span)")
            if frame.col + frame.span - 1 > geometry.grid.columns:
                diags.error("frame-off-grid", f"frame '{fname}' spans columns {frame.col}–{frame.col + frame.span - 1} "
                            f"but the grid has {geometry.grid.columns}", frame.ref,
                            hint=f"set span: {max(geometry.grid.columns - frame.col + 1, 1)} or less (or move col: left)")
            if frame.measure is not None and (frame.measure > frame.span or frame.cells != 1):
                diags.error("frame-measure", f"frame '{fname}' sets measure {frame.measure}: a frame of one cell "
                            f"sets its elements on at most its span ({frame.span} columns)",
                            frame.refs.get("measure", frame.ref), hint=f"measure: {min(frame.measure, frame.span)} "
                            "or less, on a frame without cells")
            if frame.cell_spans is not None and (len(frame.cell_spans) != frame.cells
                                                 or sum(frame.cell_spans) != frame.span):
                diags.error("frame-cells", f"frame '{fname}' has cell_spans {list(frame.cell_spans)}: one number a "
                            f"cell ({frame.cells}) summing to its span ({frame.span})",
                            frame.refs.get("cell_spans", frame.ref),
                            hint=f"give {frame.cells} spans that add up to {frame.span}, or remove cell_spans")
            if (frame.top_mm is None) == (frame.below is None):
                diags.error("frame-position", f"frame '{fname}' needs exactly one of top_mm or below", frame.ref,
                            hint="top_mm: 0 puts it at the top of the body area")
            for old_name in frame.aliases or ():
                if old_name in template.frames:
                    diags.error("frame-alias", f"frame '{fname}' takes the name '{old_name}' as an alias, but "
                                f"template '{tname}' has a frame of that name", frame.refs.get("aliases", frame.ref),
                                hint="an alias is an old name no frame has any more")
            if frame.legend and (frame.legend not in template.frames
                                 or template.frames[frame.legend].chart != "legend"):
                diags.error("unknown-frame", f"frame '{fname}' sets its chart's table in '{frame.legend}', which "
                            f"template '{tname}' does not define as a frame of chart: legend",
                            frame.refs.get("legend", frame.ref),
                            hint="add that frame with chart: legend, or remove legend: (the table under its chart)")
            if frame.code_beside and frame.code_beside not in template.frames:
                diags.error("unknown-frame", f"frame '{fname}' may set its code under '{frame.code_beside}', which "
                            f"template '{tname}' does not define", frame.refs.get("code_beside", frame.ref),
                            hint="frames of this template: " + ", ".join(template.frames))
            if frame.led_by and frame.led_by not in template.frames:
                diags.error("unknown-frame", f"frame '{fname}' is led by '{frame.led_by}', which template "
                            f"'{tname}' does not define", frame.refs.get("led_by", frame.ref),
                            hint="frames of this template: " + ", ".join(template.frames))
            for other in (*(frame.below or ()), *(frame.foot_with or ()), *(frame.middle_with or ())):
                if other not in template.frames:
                    diags.error("unknown-frame", f"frame '{fname}' is below '{other}', which template "
                                f"'{tname}' does not define", frame.ref,
                                hint="frames of this template: " + ", ".join(template.frames))
            for substitute in (frame.styles or {}).values():
                if (substitute, "en") not in styles:
                    diags.error("unknown-style", f"frame '{fname}' substitutes style '{substitute}', which "
                                "styles.yaml does not define", frame.ref, hint="styles: " + _names(styles))
            for gap_name in (template.spacing_pt or {}):
                if gap_name not in (geometry.spacing_pt or {}):
                    diags.error("unknown-gap", f"template '{tname}' sizes gap '{gap_name}', which spacing_pt in "
                                "layout/page.yaml does not name", template.ref,
                                hint="gaps: " + ", ".join(geometry.spacing_pt or {}))
            if frame.gap is not None and frame.gap not in (geometry.spacing_pt or {}):
                diags.error("unknown-gap", f"frame '{fname}' asks for gap '{frame.gap}', which spacing_pt in "
                            "layout/page.yaml does not name", frame.refs.get("gap", frame.ref),
                            hint="gaps: " + ", ".join(geometry.spacing_pt or {}) if geometry.spacing_pt else
                            "add spacing_pt: {block: 12, section: 24} to layout/page.yaml")
            if frame.gap is not None and "gap_mm" in frame.refs:
                diags.error("frame-gap", f"frame '{fname}' sets both gap and gap_mm", frame.refs["gap_mm"],
                            hint="keep gap (a named step of the page's rhythm) and delete gap_mm")
            if frame.panel is not None and frame.panel not in colours:
                diags.error("unknown-colour", f"panel colour '{frame.panel}' is not defined", frame.ref,
                            hint="colours: " + ", ".join(colours))
            if frame.panel is not None and "padding_mm" in frame.refs:
                least, most = geometry.elements.panel_padding_range_mm
                if not least - 1e-6 <= frame.padding_mm <= most + 1e-6:
                    diags.error("panel-padding", f"frame '{fname}' pads its panel {frame.padding_mm:g} mm: a panel "
                                f"is its content and {least:g}–{most:g} mm of padding", frame.refs["padding_mm"],
                                hint="delete padding_mm (every panel then takes elements.panel_padding_mm in "
                                "layout/page.yaml), or keep it within elements.panel_padding_range_mm")
        _check_frame_cycle(tname, template, diags)
    _check_spacing(geometry, diags)
    diags.raise_if_errors()
    steps = {name: tuple(entry.steps) for name, entry in entries.items() if entry.steps}
    pad = geometry.elements.panel_padding_mm  # a panel frame that sets no padding takes the leaflet's
    templates = {tname: replace(template, frames={fname: replace(frame, padding_mm=pad)
                                                  if frame.panel and "padding_mm" not in frame.refs else frame
                                                  for fname, frame in template.frames.items()})
                 for tname, template in templates.items()}
    return Layout(geometry, colours, styles, templates, steps)


def _check_small_text_in_one_ink(entries: dict, styles: dict, below_pt: float, diags: Diagnostics) -> None:
    """Small text in one ink (DESIGN.md, typographic details): a navy of four inks at 8 pt breaks up when the
    plates are a hair off register, and a reader sees a coloured fringe instead of a letter."""
    for name, entry in entries.items():
        small = [style for style in (styles.get((name, lang)) for lang in ("en", "zh"))
                 if style is not None and style.size_pt < below_pt]
        inks = max((sum(1 for channel in style.colour.cmyk if channel > 0) for style in small), default=0)
        if inks > 1:
            diags.warning("small-text-inks", f"style '{name}' sets {small[0].size_pt:g} pt text in a colour of "
                          f"{inks} inks; text under typography.one_ink_below_pt ({below_pt:g} pt) is set in one ink",
                          entry.refs.get("colour") or entry.ref,
                          hint="give it the colour text (100 % K), or another colour of one ink")


def _check_scale(scale: dict, hierarchy: tuple, entries: dict, styles: dict, doc_ref: SourceRef,
                 diags: Diagnostics) -> None:
    """One type scale for the leaflet: at most MAX_SCALE_SIZES sizes, every style (and copyfit step) on it,
    and the hierarchy (title > section heading > callout headline > body …) in descending order."""
    sizes = set(scale.values())
    if len(sizes) > MAX_SCALE_SIZES:
        diags.error("type-scale", f"scale_pt has {len(sizes)} sizes; the leaflet's scale keeps to "
                    f"{MAX_SCALE_SIZES}", doc_ref, hint="merge sizes that are close (a point apart reads as a mistake)")
    named = ", ".join(f"{k} {v:g}" for k, v in sorted(scale.items(), key=lambda kv: -kv[1]))
    for name, entry in entries.items():
        for lang in ("en", "zh"):
            style = styles.get((name, lang))
            variant = getattr(entry, lang)
            written_in = variant if variant is not None and variant.size_pt is not None else entry
            if style is not None and style.size_pt not in sizes:
                diags.error("off-scale", f"style '{name}' ({lang}) is {style.size_pt:g} pt, which is not a size "
                            "of the type scale", written_in.refs.get("size_pt", written_in.ref),
                            hint=f"use one of scale_pt: {named}")
        for i, step in enumerate(entry.steps or ()):
            where = entry.refs.get(f"steps[{i}]", entry.ref)
            if step not in sizes:
                diags.error("off-scale", f"style '{name}' steps down to {step:g} pt, which is not a size of the "
                            "type scale", where, hint=f"use one of scale_pt: {named}")
            # (steps at or above the style's own size are simply never taken: an edition that sets a
            # smaller size need not restate them)
            previous = entry.steps[i - 1] if i else math.inf
            if step >= previous:
                diags.error("copyfit-steps", f"style '{name}': each step must be smaller than the one before "
                            f"({step:g} pt after {previous:g} pt)", where, hint="list the steps largest first")
    for i, (upper, lower) in enumerate(itertools.pairwise(hierarchy)):
        if (upper, "en") not in styles or (lower, "en") not in styles:
            missing = upper if (upper, "en") not in styles else lower
            diags.error("unknown-style", f"hierarchy names style '{missing}', which styles.yaml does not define",
                        doc_ref, hint="styles: " + ", ".join(entries))
            continue
        for lang in ("en", "zh"):
            big, small = styles[(upper, lang)].size_pt, styles[(lower, lang)].size_pt
            if big <= small:
                where = entries[lower].refs.get("size_pt", entries[lower].ref)
                diags.error("type-hierarchy", f"style '{lower}' ({lang}, {small:g} pt) outranks or equals "
                            f"'{upper}' ({big:g} pt), which the hierarchy puts above it", where,
                            hint=f"make '{lower}' smaller than {big:g} pt, or change the hierarchy in styles.yaml")


def _names(styles: dict) -> str:
    return ", ".join(sorted({name for name, _ in styles}))


def _check_frame_cycle(tname: str, template, diags: Diagnostics) -> None:
    """Frames placed below each other in a circle can never be placed: said once, here, where the templates
    are read, so the build stops before any page is laid out (no dropped text follows from it)."""
    placed: set[str] = set()
    pending = dict(template.frames)  # (a name no frame has is reported as unknown-frame: not waited for)
    while True:
        ready = [n for n, f in pending.items() if all(b in placed or b not in template.frames for b in f.below or ())]
        if not ready:
            break
        placed.update(ready)
        for name in ready:
            del pending[name]
    if not pending:
        return

    def above(name: str) -> set[str]:  # every pending frame `name` is placed below, directly or not
        seen: set[str] = set()
        todo = [b for b in pending[name].below or () if b in pending]
        while todo:
            step = todo.pop()
            if step not in seen:
                seen.add(step)
                todo.extend(b for b in pending[step].below or () if b in pending)
        return seen

    circle = [n for n in pending if n in above(n)]
    after = [n for n in pending if n not in circle]
    first = pending[circle[0]]
    diags.error("frame-cycle", f"template '{tname}': frame{'s' if len(circle) > 1 else ''} {', '.join(circle)} "
                f"{'are' if len(circle) > 1 else 'is'} placed below {'each other' if len(circle) > 1 else 'itself'} "
                "in a circle, so none can be placed" + (f" (nor {', '.join(after)}, below them)" if after else ""),
                first.refs.get("below", first.ref),
                hint=f"give {circle[0]!r} top_mm instead of below" + (", or take it out of the others' below"
                                                                       if len(circle) > 1 else ""))


def _check_spacing(geometry: PageGeometry, diags: Diagnostics) -> None:
    """The named gaps are whole baseline-grid steps, so that a frame below a gap stays on the grid."""
    step = geometry.grid.baseline_pt
    for key in ("compact_spacing_pt", "loose_spacing_pt"):
        for name in getattr(geometry, key) or {}:
            if name not in (geometry.spacing_pt or {}):
                diags.error("unknown-gap", f"{key}.{name} names a gap spacing_pt does not have",
                            geometry.ref, hint="gaps: " + ", ".join(geometry.spacing_pt or {}))
    for name in (*geometry.fixed_steps, *((geometry.leading_step,) if geometry.leading_step else ())):
        if name not in (geometry.spacing_pt or {}):
            diags.error("unknown-gap", f"fixed_steps names '{name}', a gap spacing_pt does not have",
                        geometry.ref,
                        hint="gaps: " + ", ".join(geometry.spacing_pt or {}))
    every = [*(geometry.spacing_pt or {}).items(), *(geometry.compact_spacing_pt or {}).items(),
             *(geometry.loose_spacing_pt or {}).items()]
    for name, value in every:
        if abs(value / step - round(value / step)) > 1e-6:
            diags.error("gap-off-grid", f"spacing_pt.{name} is {value:g} pt, not a multiple of the {step:g} pt "
                        "baseline grid", geometry.ref,
                        hint=f"use {math.floor(value / step) * step:g} or {math.ceil(value / step) * step:g}")


def _override_files(folder: str | None, diags: Diagnostics) -> dict[str, str]:
    """The edition's layout files by name (page, styles, templates); any other YAML there is refused."""
    if not folder or not os.path.isdir(folder):
        return {}
    found = {}
    for filename in sorted(os.listdir(folder)):
        stem, ext = os.path.splitext(filename)
        if ext not in (".yaml", ".yml"):
            continue
        if stem not in LAYOUT_FILES:
            diags.fatal("layout-override-unknown", f"{display_path(os.path.join(folder, filename))} is not a layout "
                        "file: an edition's layout/ may hold only page.yaml, styles.yaml and templates.yaml, "
                        "each merged over the same file of layout/", SourceRef(display_path(os.path.join(folder, filename))),
                        hint="rename it to the layout file whose values it changes, e.g. styles.yaml")
            continue
        found[stem] = os.path.join(folder, filename)
    diags.raise_if_errors()
    return found


class _MergedReader(Reader):
    """A reader for a merged tree: each node's place is in the file it came from (marks carry the name)."""

    def ref(self, node, path: str) -> SourceRef:
        name = getattr(node.start_mark, "name", "") or ""
        ref = super().ref(node, path)
        return replace(ref, file=name) if name and not name.startswith("<") else ref


def _load_merged(path: str, override: str, spec, diags: Diagnostics, cache: dict | None):
    """`path` with `override` deep-merged over it (mappings key by key; lists and scalars replaced), read
    with `spec`; every value located in the file it came from. Cached like load_document, on both files."""
    import yaml

    key: tuple | None
    try:
        key = ("merged", file_stamp(path), file_stamp(override), id(spec))
    except (OSError, ValueError):
        key = None
    if cache is not None and key in cache:
        return cache[key]
    before = len(diags.items)
    base = load_yaml(path, diags)
    over = load_yaml(override, diags)
    root = base.root
    if over.root is not None:
        if not isinstance(over.root, yaml.MappingNode):
            diags.error("wrong-type", "an edition's layout file holds a mapping of the keys it changes, e.g. "
                        "styles: {stat-figure: {size_pt: 22}}", node_ref(over.path, over.root, "<root>"),
                        hint=f"write only the keys that differ from {base.path}")
            return INVALID
        _stamp(over.root, over.path)
        root = _merge(base.root, over.root) if base.root is not None else over.root
    value = read_document(root, spec, _MergedReader(base.path, diags))
    if cache is not None and key is not None and len(diags.items) == before:
        for stale in [k for k in cache if k[:1] == ("merged",) and k[1][0] == key[1][0] and k[2][0] == key[2][0]]:
            del cache[stale]
        cache[key] = value
    return value


def _stamp(node, shown: str) -> None:
    """Name the file on every mark of an override's tree, so a merged value is located in its own file."""
    import yaml

    stack = [node]
    while stack:
        item = stack.pop()
        m = item.start_mark
        item.start_mark = yaml.Mark(shown, m.index, m.line, m.column, None, 0)
        if isinstance(item, yaml.MappingNode):
            for k, v in item.value:
                km = k.start_mark
                k.start_mark = yaml.Mark(shown, km.index, km.line, km.column, None, 0)
                stack.append(v)
        elif isinstance(item, yaml.SequenceNode):
            stack.extend(item.value)


def _merge(base, over):
    """A deep merge of YAML nodes: mappings key by key (the override's keys after the base's), anything else
    (a list, a scalar, a mapping over a non-mapping) replaced whole by the override."""
    import yaml

    if not (isinstance(base, yaml.MappingNode) and isinstance(over, yaml.MappingNode)):
        return over
    values = list(base.value)
    index = {str(k.value): i for i, (k, _) in enumerate(values)}
    for key_node, value_node in over.value:
        i = index.get(str(key_node.value))
        if i is None:
            index[str(key_node.value)] = len(values)
            values.append((key_node, value_node))
        else:
            values[i] = (values[i][0], _merge(values[i][1], value_node))
    return yaml.MappingNode(base.tag, values, base.start_mark, base.end_mark, base.flow_style)


def _check_geometry(g: PageGeometry, diags: Diagnostics) -> None:
    """Margins, band and gutters must leave a body area: else every frame would overflow, and the error
    would be blamed on the content instead of on layout/page.yaml."""
    m = g.margins_mm
    width = g.page.width_mm - m.left - m.right - (g.grid.columns - 1) * g.grid.gutter_mm
    if width < 100:
        diags.error("layout-too-tight", f"margins ({m.left:g} + {m.right:g} mm) and {g.grid.columns - 1} gutters of "
                    f"{g.grid.gutter_mm:g} mm leave {width:g} mm of a {g.page.width_mm:g} mm page for the columns",
                    m.ref, hint="reduce margins_mm.left/right or grid.gutter_mm in layout/page.yaml")
    height = g.page.height_mm - m.top - m.bottom - g.title_band.height_mm
    if height < 100:
        diags.error("layout-too-tight", f"margins ({m.top:g} + {m.bottom:g} mm) and the title band "
                    f"({g.title_band.height_mm:g} mm) leave {height:g} mm of a {g.page.height_mm:g} mm page",
                    m.ref, hint="reduce margins_mm.top/bottom or title_band.height_mm in layout/page.yaml")
    if g.page.safe_mm * 2 >= min(g.page.width_mm, g.page.height_mm):
        diags.error("layout-too-tight", f"a safe area of {g.page.safe_mm:g} mm leaves nothing of the page",
                    g.page.ref, hint="page.safe_mm is a few millimetres (5 for the leaflet)")


def _check_leadings_on_grid(entries: dict, styles: dict, grid: Grid, diags: Diagnostics) -> None:
    """Every leading is a whole number of baseline-grid steps, so that consecutive lines of a style stay
    on the grid that English and Chinese share (the layout snaps each line down to the next grid line)."""
    step = grid.baseline_pt
    reported = set()
    for name, entry in entries.items():
        for lang in ("en", "zh"):
            style = styles.get((name, lang))
            if style is None:
                continue
            steps = style.leading_pt / step
            if abs(steps - round(steps)) < 1e-6:
                continue
            variant = getattr(entry, lang)
            written_in = variant if variant is not None and variant.leading_pt is not None else entry
            where = written_in.refs.get("leading_pt", written_in.ref)
            if where in reported:
                continue
            reported.add(where)
            below, above = math.floor(steps) * step, math.ceil(steps) * step
            diags.error("leading-off-grid", f"style '{name}' has leading_pt {style.leading_pt:g}, which is not a "
                        f"multiple of the {step:g} pt baseline grid, so its lines could not all sit on the grid",
                        where, hint=f"set leading_pt: {below:g} or {above:g} (or change grid.baseline_pt in "
                        "layout/page.yaml)")


def _check_leading_ratio(entries: dict, styles: dict, least: dict, grid: Grid, diags: Diagnostics) -> None:
    """Every style's leading is at least min_leading times its size in its language (DESIGN.md: English
    1.3, Chinese 1.5), notes and footnotes included: a note at 8 on 10 pt beside Chinese 8 on 12 reads
    cramped. The hint names the least leading on the baseline grid."""
    step = grid.baseline_pt
    for name, entry in entries.items():
        for lang in ("en", "zh"):
            style, ratio = styles.get((name, lang)), least.get(lang)
            if style is None or ratio is None or style.leading_pt >= style.size_pt * ratio - 1e-6:
                continue
            variant = getattr(entry, lang)
            written_in = variant if variant is not None and variant.leading_pt is not None else entry
            where = written_in.refs.get("leading_pt", written_in.ref)
            enough = math.ceil(style.size_pt * ratio / step - 1e-6) * step
            diags.error("leading-too-tight", f"style '{name}' ({lang}) is {style.size_pt:g} on "
                        f"{style.leading_pt:g} pt ({style.leading_pt / style.size_pt:.2f}×), under the "
                        f"{ratio:g}× that min_leading.{lang} asks of every {'English' if lang == 'en' else 'Chinese'} "
                        "style", where, hint=f"set {lang}: {{leading_pt: {enough:g}}} (the least on the "
                        f"{step:g} pt grid)")


def _resolve(name: str, lang: str, entry: StyleEntry, colours: dict, diags: Diagnostics) -> Style | None:
    written = [f.name for f in fields(StyleSpec) if f.name not in ("ref", "refs")]
    values = {key: getattr(entry, key) for key in written}
    variant = getattr(entry, lang)
    if variant is not None:
        values.update({key: getattr(variant, key) for key in written if getattr(variant, key) is not None})
    missing = [k for k in _REQUIRED_STYLE_KEYS if values.get(k) is None]
    if missing:
        diags.error("style-incomplete", f"style '{name}' ({lang}) does not set {', '.join(missing)}", entry.ref,
                    hint="set them on the style (or on its en: or zh: variant), e.g. weight: regular, size_pt: 9, "
                         "leading_pt: 12, colour: ink")
        return None
    if values["colour"] not in colours:
        diags.error("unknown-colour", f"style '{name}' uses colour '{values['colour']}', which is not defined",
                    entry.ref, hint="colours: " + ", ".join(colours))
        return None
    return Style(name=name, lang=lang, weight=values["weight"], size_pt=values["size_pt"],
                 leading_pt=values["leading_pt"], colour=colours[values["colour"]],
                 tracking_em=values["tracking_em"] or 0.0, align=values["align"] or "left",
                 space_before_pt=values["space_before_pt"] or 0.0, space_after_pt=values["space_after_pt"] or 0.0,
                 cjk_latin_gap_em=values["cjk_latin_gap_em"] if values["cjk_latin_gap_em"] is not None else 0.25,
                 ref=entry.ref, cjk_tighten_em=values["cjk_tighten_em"] or 0.0,
                 hang_punctuation=bool(values["hang_punctuation"]), hyphenate=bool(values["hyphenate"]),
                 punct_min_em=values["punct_min_em"] if values["punct_min_em"] is not None else 1.0)


__all__ = ["MM", "Colour", "FrameSpec", "Layout", "Style", "Template", "load_layout", "replace"]
