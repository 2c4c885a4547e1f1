"""The frozen items a page is made of (the renderer's whole input), and the helpers that move them and
keep them on the baseline grid. Coordinates are points from the top-left corner of the trimmed page, y
growing downwards."""
from __future__ import annotations

import collections
import functools
import math
from dataclasses import dataclass, field, replace

from ..diagnostics import SourceRef
from ..layout_spec import Colour
from ..text import Line

# -- what an item is ----------------------------------------------------------
# The roles an item plays in the document, stamped by the layout where it places the item (never guessed
# from its look or its YAML path afterwards): the tagged PDF's structure tree (structure.py), `check`,
# `serve` and every backend read them. A Box or a Rule is always an artifact (no role field).
ROLES = (
    "title",  # the page's title (the title band)
    "heading",  # a heading; its level in Role.level (0 a page's second theme, 1 a section, 2 a sub-heading)
    "paragraph",  # running text, and each part of a stat, callout, ranking, partner, a QR code's caption
    "list-label",  # a list item's bullet or number, when it is text
    "list-body",  # a list item's text (Role.part: the item's index)
    "table-caption",  # a table's caption and unit
    "table-header",  # a table row's label (Role.part: the row's key)
    "table-cell",  # a table row's figure (Role.part: the row's key, Role.cell: its column)
    "caption",  # a picture's caption and credit
    "figure",  # a chart, a picture, a QR code
    "footnote-label",  # a footnote's marker
    "footnote",  # a footnote's text
    "artifact",  # drawn but not content: the folio, a running note, a chart's computed total
)


@dataclass(frozen=True)
class Role:
    """What an item is: its role (one of ROLES), the element it belongs to (its YAML path: the items of one
    element share it, "footnotes[0]" for a footnote, "title" for the page's title), the part of the element
    (a list item's index, a table row's key) and, for a heading, its level."""

    kind: str
    element: str = ""
    part: str = ""
    level: int = 0
    cell: int = 0  # a table cell's column (1 the count, 2 the percentage)

    def __post_init__(self) -> None:
        if self.kind not in ROLES:
            raise ValueError(f"'{self.kind}' is not a role (layout/items.py ROLES)")


ARTIFACT = Role("artifact")


# -- items a page is made of (the renderer's whole input) --------------------
_set = object.__setattr__  # (TextLine's own __init__ sets its fields with it)


@dataclass(frozen=True)
class TextLine:
    x_pt: float
    baseline_pt: float
    line: Line
    ref: SourceRef
    frame: str
    lang: str
    role: Role | None = None  # stamped by the layout; None only while an element's function sets it

    def __init__(self, x_pt: float, baseline_pt: float, line: Line, ref: SourceRef, frame: str, lang: str,
                 role: Role | None = None) -> None:
        # (what the frozen __init__ dataclasses writes does, the fields set in their order, without looking up
        # object.__setattr__ at each: the 200-page edition makes 100,000 lines, stacked and moved; set one by one, as
        # there, so that the instances share their keys: a dict update made each 190 bytes larger, 7 MB at the peak)
        _set(self, "x_pt", x_pt)
        _set(self, "baseline_pt", baseline_pt)
        _set(self, "line", line)
        _set(self, "ref", ref)
        _set(self, "frame", frame)
        _set(self, "lang", lang)
        _set(self, "role", role)


# The roles of running text: what a reader reads line after line, held to a reading measure (headings, figures,
# table rows and captions of charts are not)
RUNNING_TEXT = frozenset({"paragraph", "list-body", "footnote"})


def reading_length(item: TextLine) -> float | None:
    """A line of running text's length as a reader's measure counts it (DESIGN.md: English lines of about 55-80
    characters, Chinese of about 25-40 ideographs): an English line's characters, a Chinese line's width in ems of
    its text's size; None for a line that is no running text."""
    if item.role is None or item.role.kind not in RUNNING_TEXT:
        return None
    if item.lang == "zh":
        size = max((run.size_pt for run in item.line.runs if run.text.strip() and not run.rise_pt), default=0.0)
        return item.line.natural_pt / size if size else 0.0
    return float(len(item.line.text.strip()))


def past_measure(items, most_en: float, most_zh: float) -> list[tuple[TextLine, float, float]]:
    """The lines of running text among `items` past a reader's measure (reading_length over its language's limit,
    0: none) that belong to a text of more than one line: a line read once, with no return sweep to a next one, is
    no measure's concern (designer's review of 835c7de, item 1: page 2's one-line Unicorn Day sentence, narrowed
    to 8 columns, left 88 x 65 mm of paper beside it). A text: one element's part in one language and one size.
    Each as (the line, its length, its language's limit)."""
    def text_of(item: TextLine) -> tuple:
        size = max((run.size_pt for run in item.line.runs), default=0.0)
        return item.ref, item.role.element if item.role else "", item.role.part if item.role else "", item.lang, size

    running = [(i, length) for i in items if isinstance(i, TextLine) and (length := reading_length(i)) is not None]
    over = [(item, length, most) for item, length in running
            if (most := most_zh if item.lang == "zh" else most_en) and length > most + 1e-6]
    if not over:  # (most fills: no text is counted)
        return []
    lines = collections.Counter(text_of(item) for item, _ in running)
    return [(item, length, most) for item, length, most in over if lines[text_of(item)] > 1]


@dataclass(frozen=True)
class Box:
    """A filled rectangle: title band, panel, bar, swatch."""

    x_pt: float
    y_pt: float
    width_pt: float
    height_pt: float
    colour: Colour
    bleeds: bool = False  # touches the trim edge: the renderer extends it into the bleed
    tint: float = 1.0
    panel: bool = False  # a frame's panel: a tint behind ink, itself no ink (the report measures past it)


@dataclass(frozen=True)
class Rule:
    x1_pt: float
    y1_pt: float
    x2_pt: float
    y2_pt: float
    colour: Colour
    width_pt: float


@dataclass(frozen=True)
class Ring:
    """A segment of a ring chart: centre, radii, angles in degrees (0 = 12 o'clock, clockwise)."""

    cx_pt: float
    cy_pt: float
    outer_pt: float
    inner_pt: float
    start_deg: float
    sweep_deg: float
    colour: Colour
    tint: float = 1.0
    role: Role | None = None  # the chart's figure (its table's element)


@dataclass(frozen=True)
class QrMark:
    x_pt: float
    y_pt: float
    size_pt: float
    url: str | None
    colour: Colour
    ref: SourceRef
    error: str = "M"  # error-correction level (layout/page.yaml qr_error_correction)
    role: Role | None = None  # a figure (its element's)


@dataclass(frozen=True)
class Picture:
    """A picture (photograph or logo) in its box: images.py prepares the file for the target, the renderer
    draws it clipped to the box. `path` None: a marked placeholder (the file is missing or refused)."""

    x_pt: float
    y_pt: float
    width_pt: float
    height_pt: float
    path: str | None
    fit: str  # cover or contain
    focus: tuple[float, float]
    colour: Colour  # the placeholder's outline
    ref: SourceRef
    bleeds: bool = False  # an edge on the trim runs on into the bleed
    frame: str = ""
    alt: tuple = ()  # (language, text) of its alternative text, for the tagged PDF's Figure /Alt
    role: Role | None = None  # a figure (its element's)


@dataclass(frozen=True)
class FrameBox:
    """Where a frame was and how full it got (for proofs and overflow reports)."""

    name: str
    x_pt: float
    y_pt: float
    width_pt: float
    height_pt: float
    used_pt: float
    fixed: bool = False  # its height is set in the template (else it may run down to the body's foot)
    # each row of cells: the paper under its shortest cell down to its tallest cell's foot, and that cell's element
    row_holes: tuple = ()
    cell_spans: tuple = ()  # the grid columns of its cells where its content chose them (cell_spans_by)
    # the grid columns a row's cells start on (a frame of several cells holding several elements, or a tile of an
    # align_rows row of frames); () for a frame that is no row: one column structure a page counts these
    columns: tuple = ()
    columns_cost: str = ""  # what its cells on the page's other columns would cost (a row keeping columns of its own)


@dataclass(frozen=True)
class CopyfitStep:
    """A figure style set a step down its scale so that the widest figure of its group fits (the design
    working, not a fault): which frames, which style, the size taken and the figure that asked for it."""

    frames: tuple[str, ...]
    style: str
    size_pt: float
    natural_pt: float  # the widest figure of the group at the style's own size…
    room_pt: float  # …and the room it had
    ref: SourceRef
    figure: str = ""
    too_full: bool = False  # taken (a step further) because the page was too full at its figures' own step


@dataclass(frozen=True)
class LaidOutPage:
    number: int
    items: tuple
    frames: tuple[FrameBox, ...]
    title: str
    safe_mm: float = 5.0  # how far from the trim its text must keep (page.yaml's, or its template's)
    grid_top_pt: float = 0.0  # the baseline grid the body's lines sit on: its origin (the body's top)…
    grid_pt: float = 0.0  # …and its step (0: no grid)
    foot_gap_pt: float = 0.0  # between the lowest content and the foot of the body area…
    body_bottom_pt: float = 0.0  # …which is here
    underfull_pt: float = 0.0  # more than this unfilled (at the foot, or in a fixed frame) is underfull
    ref: SourceRef | None = None  # the page's file
    overflowed: tuple[str, ...] = ()  # frames (and "title-band") reported as overflowing
    declared_space_pt: tuple[float, float] | None = None  # the one empty band the template asks for (top, bottom)
    copyfit: tuple[CopyfitStep, ...] = ()  # figure styles stepped down on this page
    spacing: str = "stock"  # the gaps it was set with: its template's larger steps, the leaflet's, or compact
    widened: tuple[str, ...] = ()  # frames set at their wide_span because the page was too full
    room_pt: float = 0.0  # spare height no larger step and no declared space could take…
    room_choices: str = ""  # …and what a designer may do with it (the report's underfull foot says so)
    block_gap_pt: float | None = None  # the least paper between two blocks (ink or a panel's edge), as placed…
    rhythm_floor_pt: float | None = None  # …and the floor a page too full for its rhythm closed it to (noted)
    rings_fitted: tuple[float, float, tuple[str, ...]] | None = None  # (radius taken, own radius, frames), mm: a
    # page too full for its rings at the leaflet's size set them a declared step smaller (ring_steps_mm)
    padded: tuple[str, ...] = ()  # panels padded at the least of panel_padding_range_mm: the page too full at theirs
    figure_step_given: bool = False  # a stat's figure under a rule at the letters' step, not a box's (too full)
    # its footnotes each language on its own leading because the page had no room for their shared grid
    footnotes_own_leading: bool = False

    def on_grid(self, baseline_pt: float) -> bool:
        if not self.grid_pt:
            return True
        steps = (baseline_pt - self.grid_top_pt) / self.grid_pt
        return abs(steps - round(steps)) < 1e-3


@dataclass
class _Piece:
    """An element set at width: items relative to its own top-left, per band."""

    primary: list = field(default_factory=list)
    secondary: list = field(default_factory=list)
    primary_h: float = 0.0
    secondary_h: float = 0.0
    # where its secondary band starts (None: under the primary band's height): a ranking's Chinese follows its
    # English words, not the rank figure beside them, so every ranking has one English-to-Chinese gap
    secondary_at: float | None = None
    anchor_pt: float = 0.0  # how far below its top the line it aligns by starts (a stat's figure)
    anchored: bool = False  # a figure (stat, rank) that stands level with the row's other figures
    # a callout's headline (a stat's figure line): how far below its top it starts (its lead-in above it), and
    # whether a callout has a lead-in; in a row where a callout's headline stands under a lead-in, every headline
    # and figure line of the row stands on that line
    headline_pt: float | None = None
    led: bool = False

    @property
    def words_h(self) -> float:
        """How far below its top its secondary band follows (the band gap added to it)."""
        return self.primary_h if self.secondary_at is None else self.secondary_at


# How far a line's ink reaches above and below its baseline, in ems of its size: ideographs nearly fill
# the em box; Latin capitals, figures and ascenders stand 0.76 high, a line of
# lower case without them at the x-height; descenders reach 0.24 below. (Ideographs: 0.83 and 0.08 of
# the em box as Noto Sans CJK draws them.)
_HIGH = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789bdfhklt#$%&@!?()[]{}/\\|'\"“”‘’*^+")
_LOW = set("gjpqy,;()[]{}|Q")


_INK: dict = {}  # id(line) -> (line, its extent): every placement trial of a page asks for each of its lines' again
_INK_MAX = 2**16  # entries kept before the memo starts afresh (a 200-page edition sets ~7,000 lines)


def _ink_extent(line) -> tuple[float, float]:
    """Above and below the baseline, in points, the ink of a set line reaches (0, 0: no ink). Lines are frozen, and
    the setter gives the same objects for the same paragraph: kept by the very object (held, so its id is not
    reused)."""
    known = _INK.get(id(line))
    if known is not None and known[0] is line:
        return known[1]
    extent = _measured_ink(line)
    if len(_INK) >= _INK_MAX:
        _INK.clear()
    _INK[id(line)] = (line, extent)
    return extent


def _measured_ink(line) -> tuple[float, float]:
    up = down = 0.0
    for run in line.runs:
        text = run.text.strip()
        if not text:
            continue
        size, rise = run.size_pt, run.rise_pt
        if not text.isascii() and any("\u2e80" <= c <= "\u9fff" or "\uf900" <= c <= "\uffef" for c in text):
            top, bottom = 0.83, 0.08
        else:
            top = 0.76 if not _HIGH.isdisjoint(text) else 0.54
            bottom = 0.24 if not _LOW.isdisjoint(text) else 0.01
        up = max(up, top * size + rise)
        down = max(down, bottom * size - rise)
    return up, down


def ink_span(item) -> tuple[float, float] | None:
    """The vertical extent (top, bottom) of what an item puts on paper; None for a panel (a tint, no ink)
    or a line with nothing drawn."""
    if isinstance(item, TextLine):
        if item.line is None:
            return None
        up, down = _ink_extent(item.line)
        return (item.baseline_pt - up, item.baseline_pt + down) if up or down else None
    if isinstance(item, Box):
        return None if item.panel else (item.y_pt, item.y_pt + item.height_pt)
    if isinstance(item, Picture):
        return (item.y_pt, item.y_pt + item.height_pt)
    if isinstance(item, Rule):
        half = item.width_pt / 2
        return (min(item.y1_pt, item.y2_pt) - half, max(item.y1_pt, item.y2_pt) + half)
    if isinstance(item, Ring):
        return (item.cy_pt - item.outer_pt, item.cy_pt + item.outer_pt)
    if isinstance(item, QrMark):  # a code's quiet zone is paper; a placeholder is drawn to its edges
        inset = item.size_pt * _quiet_share(item.url, item.error) if item.url else 0.0
        return (item.y_pt + inset, item.y_pt + item.size_pt - inset)
    return None


def rule_step(geometry, box_first: bool = False) -> float | None:
    """The step from a section heading's rule (its lowest ink) to the first ink of what it heads, when the layout
    holds it (layout/page.yaml fixed_steps: tight): the `tight` step under letters (their ascent gives them air
    above their ink), the `block` step, if larger, under a box's hard edge first (a picture, a code, a ring: a
    hard edge a letter's step under a rule reads as touching it): the leaflet's steps, one on every page. None
    where the layout holds no step under its rules."""
    if "tight" not in (geometry.fixed_steps or ()):
        return None
    steps = geometry.spacing_pt or {}
    step = steps.get("tight", 0.0)
    return max(step, steps.get("block", 0.0)) if box_first else step


def box_first(item, layout) -> bool:
    """Whether `item`, the first ink under a heading's rule, takes the box step there (rule_step's box_first): a
    box's hard edge (a picture, a code, a ring), and a stat's figure, letters at a size of the figure scale
    (stat-figure's size or a smaller step of it), whose cap height stands as hard as a box's edge: page 6's "315"
    stood 1.75 mm under its rule beside its ring's 4.7 mm (designer's final review, item 3: one step for the first
    ink under every rule, whatever it is)."""
    if not isinstance(item, TextLine):
        return True
    if not getattr(layout.geometry.elements, "figure_box_step", True):  # (given back on a page too full)
        return False
    figure = layout.styles.get(("stat-figure", "en"))
    least = min((figure.size_pt, *layout.steps("stat-figure"))) if figure is not None else math.inf
    return max(r.size_pt for r in item.line.runs) >= least - 1e-6


@functools.lru_cache(maxsize=64)
def _quiet_share(url: str, error: str) -> float:
    """The share of a QR code's side its quiet zone (four modules) takes at each edge, as render.py draws it."""
    import segno

    modules = len(list(segno.make(url, error=error.lower(), boost_error=False, micro=False).matrix_iter(border=4)))
    return 4 / modules


def empty_bands(spans, top: float, bottom: float) -> list[tuple[float, float]]:
    """The bands between `top` and `bottom` that no span of ink reaches, top to bottom."""
    # (max and min as ifs: the same values, without two calls a span; the 200-page edition clips some 125,000)
    clipped = sorted((a if a >= top else top, b if b <= bottom else bottom)  # noqa: FURB136
                     for a, b in spans if b > top and a < bottom)
    bands, reached = [], top
    for a, b in clipped:
        if a > reached:
            bands.append((reached, a))
        if b > reached:  # noqa: PLR1730 (max(reached, b), without the call)
            reached = b
    if bottom > reached:
        bands.append((reached, bottom))
    return bands


def _first_baseline(items) -> float | None:
    return next((item.baseline_pt for item in items if isinstance(item, TextLine)), None)


def _down_to_grid(value: float, anchor: float, step: float) -> float:
    """The first grid line at or below `value` (y grows downwards) of the grid through `anchor`."""
    return anchor + math.ceil((value - anchor) / step - 1e-6) * step


def _up_to_grid(value: float, anchor: float, step: float) -> float:
    """The first grid line at or above `value` of the grid through `anchor`."""
    return anchor + math.floor((value - anchor) / step + 1e-6) * step


def _shift(item, dx: float, dy: float):
    if isinstance(item, TextLine):
        return TextLine(item.x_pt + dx, item.baseline_pt + dy, item.line, item.ref, item.frame, item.lang, item.role)
    if isinstance(item, Box):
        return replace(item, x_pt=item.x_pt + dx, y_pt=item.y_pt + dy)
    if isinstance(item, Rule):
        return Rule(item.x1_pt + dx, item.y1_pt + dy, item.x2_pt + dx, item.y2_pt + dy, item.colour, item.width_pt)
    if isinstance(item, Ring):
        return Ring(item.cx_pt + dx, item.cy_pt + dy, item.outer_pt, item.inner_pt, item.start_deg, item.sweep_deg,
                    item.colour, item.tint, item.role)
    if isinstance(item, QrMark):
        return QrMark(item.x_pt + dx, item.y_pt + dy, item.size_pt, item.url, item.colour, item.ref, item.error,
                      item.role)
    if isinstance(item, Picture):
        return replace(item, x_pt=item.x_pt + dx, y_pt=item.y_pt + dy)
    raise TypeError(item)
