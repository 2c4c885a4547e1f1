"""Layout YAML → page geometry, grid, templates with named frames, colours and type styles.

All positions and sizes of the leaflet live in `layout/*.yaml`; this module
only reads and checks them, converting millimetres to points once, here.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, fields, replace

from .diagnostics import BuildFailed, Diagnostics, SourceRef
from .schema import INVALID, Bool, Field, Int, Named, Number, Reader, Seq, Str, Struct, load_document

MM = 72.0 / 25.4  # points per millimetre


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
        r.error(node, path, "bad-colour", f"rgb must be '#rrggbb', found {rgb!r}")
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
    hyphenate: bool | None = None
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
    cjk_tighten_em: float = 0.0  # most a CJK gap may shrink to save a line or a runt
    hang_punctuation: bool = False  # a line-final ，。、 may hang into the margin rather than go down
    hyphenate: bool = False  # English words may break at dictionary points (pyphen, en_US)


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
    panel: str | None = None  # colour name of a tinted panel behind the frame
    padding_mm: float = 0.0
    label_above: bool = False  # stat labels above the figure (metric tiles) instead of below
    styles: dict | None = None  # style name -> style used instead inside this frame
    list_columns: int = 1
    chart: str = "bars"  # how breakdown tables are drawn: bars per row, or a ring above
    stretch: bool = True  # the gap above may grow to fill the page (false: keeps to its heading)
    monolingual: str = "collapse"  # in a one-language variant: shrink to its text, or keep the bilingual height
    align_rows: str | None = None  # frames naming one group start their k-th elements at one height


@dataclass(frozen=True)
class Template:
    ref: SourceRef
    frames: dict
    styles: dict | None = None  # style substitutions for the whole page (a frame's own win)
    safe_mm: float | None = None  # this page's distance from the trim that text keeps (default: page.yaml's)


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


@dataclass(frozen=True)
class ElementMeasures:
    """Spacing inside elements: set in layout/page.yaml so no measure lives in code."""

    ref: SourceRef
    band_gap_pt: float = 2.5
    row_gap_mm: float = 3.0
    bullet_indent_mm: float = 3.2
    rank_column_mm: float = 13.0
    table_figures_mm: float = 21.0
    table_swatch_mm: float = 4.0
    ring_radius_mm: float = 26.0
    ring_hole: float = 0.58
    qr_caption_gap_mm: float = 3.0
    footnote_rule_mm: float = 40.0
    heading_rule_pt: float = 0.6


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
    max_gap_stretch_mm: float
    underfull_mm: float  # more unfilled height than this at a page's foot (or in a fixed frame) is reported
    elements: ElementMeasures


@dataclass(frozen=True)
class Layout:
    """Everything in layout/, checked and with styles resolved per language."""

    geometry: PageGeometry
    colours: dict
    styles: dict  # (name, lang) -> Style
    templates: dict

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

    def column_x_pt(self, col: int, span: int) -> tuple[float, float]:
        """Left edge and width of `span` grid columns starting at 1-based column `col`."""
        g = self.geometry
        inner = g.page.width_mm - g.margins_mm.left - g.margins_mm.right
        col_w = (inner - (g.grid.columns - 1) * g.grid.gutter_mm) / g.grid.columns
        left = g.margins_mm.left + (col - 1) * (col_w + g.grid.gutter_mm)
        return left * MM, (span * col_w + (span - 1) * g.grid.gutter_mm) * MM


_num = lambda d="": Number(d)  # noqa: E731
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
    "cjk_tighten_em": Field(Number("Most each gap between ideographs may tighten, em (a few thousandths)", 0, maximum=0.02)),
    "hang_punctuation": Field(Bool("A line-final ，。、 may hang into the margin rather than go down a line")),
    "hyphenate": Field(Bool("English words may break at dictionary points, 3 letters each side")),
}
STYLE_VARIANT = Struct(StyleSpec, dict(_style_fields), "One language's overrides")
STYLE = Struct(StyleEntry, {**_style_fields, "en": Field(STYLE_VARIANT), "zh": Field(STYLE_VARIANT)},
               "A type style; en/zh override the shared values")
COLOUR = Struct(Colour, {"cmyk": Field(Seq(Number(), 4), required=True), "rgb": Field(Str("#rrggbb"))},
                "A process colour with its screen twin", check=_colour_check)
FRAME = Struct(FrameSpec, {
    "col": Field(Int("First grid column, 1-based", 1, MAX_COLUMNS), required=True),
    "span": Field(Int("Number of grid columns", 1, MAX_COLUMNS), required=True),
    "top_mm": Field(Number("Top, mm below the top of the body area", 0, maximum=MAX_PAGE_MM)),
    "below": Field(Seq(Str(), 1, "Place this frame under the lowest content of these frames")),
    "gap_mm": Field(Number("Gap under the frame named in 'below', mm", 0, maximum=MAX_PAGE_MM), default=0.0),
    "height_mm": Field(Number("Height, mm (default: down to the footnotes)", 1, maximum=MAX_PAGE_MM)),
    "cells": Field(Int("Elements per row, side by side", 1, 12), default=1),
    "panel": Field(Str("Colour of a tinted panel behind the frame")),
    "padding_mm": Field(Number("Inner padding of the panel, mm", 0, maximum=50), default=0.0),
    "label_above": Field(Bool("Set stat labels above their figures"), default=False),
    "list_columns": Field(Int("Columns a list is set in", 1, 6), default=1),
    "chart": Field(Str("Breakdown drawing", choices=("bars", "ring")), default="bars"),
    "stretch": Field(Bool("The gap above may grow to fill the page"), default=True),
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
        "safe_mm": Field(Number("Text keeps this far from the trim on this page, mm", 0, maximum=50))})),
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
                                      "colour": Field(Str(), required=True)}), required=True),
    "footnote_gap_mm": Field(Number("Gap above the footnotes, mm", 0, maximum=100), default=3.0),
    "folio_mm": Field(Number("Folio baseline, mm above the trim", 0, maximum=100), default=8.0),
    "qr_size_mm": Field(Number("Side of a QR code with its quiet zone, mm", 10, maximum=200), default=20.0),
    "max_gap_stretch_mm": Field(Number("Most a gap between frames may grow to fill the page, mm", 0,
                                       maximum=MAX_PAGE_MM), default=0.0),
    "underfull_mm": Field(Number("A page whose content ends more than this above its foot, or a fixed-height "
                                 "frame with this much left empty, is reported underfull, mm", 0,
                                 maximum=MAX_PAGE_MM), default=10.0),
    "elements": Field(Struct(ElementMeasures, {
        "band_gap_pt": Field(Number("Between an element's English and its Chinese, pt", 0, maximum=200), default=2.5),
        "row_gap_mm": Field(Number("Between rows of a multi-cell frame", 0, maximum=200), default=3.0),
        "bullet_indent_mm": Field(Number("Text indent of list items", 0, maximum=200), default=3.2),
        "rank_column_mm": Field(Number("Width of the rank column of rankings", 0, maximum=200), default=13.0),
        "table_figures_mm": Field(Number("Width of the figures column of breakdowns", 0, maximum=200), default=21.0),
        "table_swatch_mm": Field(Number("Colour key before each breakdown label", 0, maximum=200), default=4.0),
        "ring_radius_mm": Field(Number("Largest outer radius of a ring chart", 1, maximum=200), default=26.0),
        "ring_hole": Field(Number("Inner radius of a ring as a share of the outer", 0, maximum=0.95), default=0.58),
        "qr_caption_gap_mm": Field(Number("Between a QR code and its caption", 0, maximum=200), default=3.0),
        "footnote_rule_mm": Field(Number("Length of the rule above footnotes", 0, maximum=200), default=40.0),
        "heading_rule_pt": Field(Number("Weight of the rule under section headings", 0, maximum=200), default=0.6),
    }), default=None),
}, "Page size, margins, grid")
STYLES = Struct(lambda ref, colours, styles: (colours, styles), {
    "colours": Field(Named(COLOUR), required=True),
    "styles": Field(Named(STYLE), required=True)})

_REQUIRED_STYLE_KEYS = ("weight", "size_pt", "leading_pt", "colour")
# The styles and colours the layout engine sets its elements with: styles.yaml must define them all.
ENGINE_STYLES = (
    "title", "heading1", "heading2", "body", "list", "stat-figure", "stat-unit", "stat-change", "stat-lead",
    "stat-label", "stat-note", "badge", "callout-headline", "callout-text", "rank", "rank-title", "rank-note",
    "rank-source", "table-caption", "table-label", "table-figure", "table-percent", "partner-name",
    "partner-status", "partner-text", "qr-caption", "footnote", "folio", "folio-number")
ENGINE_COLOURS = ("primary", "accent", "rule", "text")


def load_layout(folder: str, diags: Diagnostics, cache: dict | None = None) -> Layout:
    """Read layout/page.yaml, styles.yaml and templates.yaml; raise BuildFailed on errors."""
    parsed = {}
    for name, spec in (("page", GEOMETRY), ("styles", STYLES), ("templates", TEMPLATES)):
        try:
            parsed[name] = load_document(os.path.join(folder, f"{name}.yaml"), spec, diags, cache)
        except BuildFailed:
            continue
    if len(parsed) < 3 or INVALID in parsed.values():
        raise BuildFailed(diags)
    geometry, (colours, entries), templates = parsed["page"], parsed["styles"], parsed["templates"]
    _check_geometry(geometry, diags)
    if geometry.elements is None:
        geometry = replace(geometry, elements=ElementMeasures(geometry.ref))
    styles = {}
    for name, entry in entries.items():
        for lang in ("en", "zh"):
            style = _resolve(name, lang, entry, colours, diags)
            if style:
                styles[(name, lang)] = style
    _check_leadings_on_grid(entries, styles, geometry.grid, diags)
    styles_ref = next(iter(entries.values())).ref if entries else geometry.ref
    for name in ENGINE_STYLES:
        if name not in entries:
            diags.error("missing-style", f"styles.yaml does not define the style '{name}'", SourceRef(styles_ref.file),
                        hint="every element kind needs its styles: " + ", ".join(ENGINE_STYLES))
    for name in ENGINE_COLOURS:
        if name not in colours:
            diags.error("missing-colour", f"styles.yaml does not define the colour '{name}'",
                        SourceRef(styles_ref.file), hint="colours needed: " + ", ".join(ENGINE_COLOURS))
    if geometry.title_band.colour not in colours:
        diags.error("unknown-colour", f"colour '{geometry.title_band.colour}' is not defined in styles.yaml",
                    geometry.title_band.ref)
    for tname, template in templates.items():
        for original, substitute in (template.styles or {}).items():
            if (substitute, "en") not in styles:
                diags.error("unknown-style", f"template '{tname}' substitutes style '{substitute}', which "
                            "styles.yaml does not define", template.ref)
        for fname, frame in template.frames.items():
            if frame.col + frame.span - 1 > geometry.grid.columns:
                diags.error("frame-off-grid", f"frame '{fname}' spans columns {frame.col}–{frame.col + frame.span - 1} "
                            f"but the grid has {geometry.grid.columns}", frame.ref)
            if (frame.top_mm is None) == (frame.below is None):
                diags.error("frame-position", f"frame '{fname}' needs exactly one of top_mm or below", frame.ref,
                            hint="top_mm: 0 puts it at the top of the body area")
            for other in frame.below or ():
                if other not in template.frames:
                    diags.error("unknown-frame", f"frame '{fname}' is below '{other}', which template "
                                f"'{tname}' does not define", frame.ref)
            for original, substitute in (frame.styles or {}).items():
                if (substitute, "en") not in styles:
                    diags.error("unknown-style", f"frame '{fname}' substitutes style '{substitute}', which "
                                "styles.yaml does not define", frame.ref)
            if frame.panel is not None and frame.panel not in colours:
                diags.error("unknown-colour", f"panel colour '{frame.panel}' is not defined", frame.ref)
    diags.raise_if_errors()
    return Layout(geometry, colours, styles, templates)


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


def _resolve(name: str, lang: str, entry: StyleEntry, colours: dict, diags: Diagnostics) -> Style | None:
    written = [f.name for f in fields(StyleSpec) if f.name not in ("ref", "refs")]
    values = {key: getattr(entry, key) for key in written}
    variant = getattr(entry, lang)
    if variant is not None:
        values.update({key: getattr(variant, key) for key in written if getattr(variant, key) is not None})
    missing = [k for k in _REQUIRED_STYLE_KEYS if values.get(k) is None]
    if missing:
        diags.error("style-incomplete", f"style '{name}' ({lang}) does not set {', '.join(missing)}", entry.ref)
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
                 hang_punctuation=bool(values["hang_punctuation"]), hyphenate=bool(values["hyphenate"]))


__all__ = ["Layout", "Style", "Colour", "FrameSpec", "Template", "load_layout", "MM", "replace"]
