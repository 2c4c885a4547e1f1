"""The frozen items a page is made of (the renderer's whole input), and the helpers that move them and
keep them on the baseline grid. Coordinates are points from the top-left corner of the trimmed page, y
growing downwards."""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from ..diagnostics import SourceRef
from ..layout_spec import Colour
from ..text import Line


# -- items a page is made of (the renderer's whole input) --------------------
@dataclass(frozen=True)
class TextLine:
    x_pt: float
    baseline_pt: float
    line: Line
    ref: SourceRef
    frame: str
    lang: str


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


@dataclass(frozen=True)
class QrMark:
    x_pt: float
    y_pt: float
    size_pt: float
    url: str | None
    colour: Colour
    ref: SourceRef
    error: str = "M"  # error-correction level (layout/page.yaml qr_error_correction)


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
    anchor_pt: float = 0.0  # how far below its top the line it aligns by starts (a stat's figure)
    anchored: bool = False  # a figure (stat, rank) that stands level with the row's other figures


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
        return TextLine(item.x_pt + dx, item.baseline_pt + dy, item.line, item.ref, item.frame, item.lang)
    if isinstance(item, Box):
        return Box(item.x_pt + dx, item.y_pt + dy, item.width_pt, item.height_pt, item.colour, item.bleeds, item.tint)
    if isinstance(item, Rule):
        return Rule(item.x1_pt + dx, item.y1_pt + dy, item.x2_pt + dx, item.y2_pt + dy, item.colour, item.width_pt)
    if isinstance(item, Ring):
        return Ring(item.cx_pt + dx, item.cy_pt + dy, item.outer_pt, item.inner_pt, item.start_deg, item.sweep_deg,
                    item.colour, item.tint)
    if isinstance(item, QrMark):
        return QrMark(item.x_pt + dx, item.y_pt + dy, item.size_pt, item.url, item.colour, item.ref, item.error)
    if isinstance(item, Picture):
        return replace(item, x_pt=item.x_pt + dx, y_pt=item.y_pt + dy)
    raise TypeError(item)
