"""Copyfit: figures too wide at their style's size take the largest smaller step of the scale that fits
(`steps:` of the style). Every figure of a page takes the same step, the smallest step a section of it needs
(two designers' reviews in a row, of 863548c and of 4a3a1ba: page 5's HK$10M at 26 pt under a row of 21 pt figures,
"the smallest sum outranks the larger ones"; from the fifth review to then the step was the section's). A stat's
figure line holds its unit and change too (one stat anatomy, DESIGN.md): its figure has the room they leave. Only
when the smallest step fails is it an error.

A function of the page's template and blocks; its result (frozen) goes into each frame's context."""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from ..content import Page, Stat
from ..layout_spec import MM, Style
from ..text import spans_from_text
from .elements import figure_room
from .fill import cell_positions, cell_widths
from .items import CopyfitStep
from .stacking import FrameContext

PAGE = 0  # the one group a page's figures of a style step in (`further`'s key, Copyfit.smaller's one entry)


@dataclass(frozen=True)
class Copyfit:
    fitted: Mapping  # frame -> {style name -> the step its figures take}
    steps: tuple[CopyfitStep, ...] = ()  # for the report: each style stepped down, with the figure that asked
    # the sections whose figures could take a smaller step still, the one a page too full asks first at the
    # head: the lowest on the page (its head's figures keep the scale's top step, level with the facing page's)
    smaller: tuple = ()

    def of(self, frame: str) -> Mapping:
        return self.fitted.get(frame, MappingProxyType({}))


def at_size(style: Style, size_pt: float, grid: float) -> Style:
    """`style` at another size of the scale, its leading grown in whole baseline-grid steps."""
    if size_pt == style.size_pt:
        return style
    leading = math.ceil(size_pt * style.leading_pt / style.size_pt / grid - 1e-6) * grid
    return replace(style, size_pt=size_pt, leading_pt=leading)


def cell_width(ctx: FrameContext, frame, width: float, index: int = 0) -> float:
    """The width of the frame's cell that holds its `index`-th element, `width` its measure."""
    widths = cell_widths(frame, width, ctx.layout.geometry.grid.gutter_mm * MM)
    return widths[index % len(widths)]


def _columns_wanted(layout, needed: float, cell_w: float) -> str:
    """", its figure line wants N grid columns (its cell has M)": what a template's span or cell_spans must give."""
    widths = [layout.column_x_pt(1, k)[1] for k in range(1, layout.geometry.grid.columns + 1)]
    has = next((k for k, w in enumerate(widths, 1) if w >= cell_w - 0.5), len(widths))
    wants = next((k for k, w in enumerate(widths, 1) if w >= needed - 0.01), None)
    if wants is None:
        return f": its figure line wants {needed / MM:.1f} mm, more than the grid's {len(widths)} columns"
    return f": its figure line wants {wants} grid columns ({needed / MM:.1f} mm), its cell has {has}"


def neighboured(template, name: str, frame, index: int) -> bool:
    """Whether the `index`-th element of frame `name` has a cell beside it on its right in its row: the next cell
    of a frame of several, or a frame of its `align_rows` group standing right of it (review item 6 of the
    designer's last review: HK$104.4M filled its cell to 0.45 mm of the gutter and read as one run with HK$7.6M)."""
    if frame.cells > 1:
        return index % frame.cells != frame.cells - 1
    if not frame.align_rows:
        return False
    return any(other.align_rows == frame.align_rows and other.col >= frame.col + frame.span
               for key, other in template.frames.items() if key != name)


def copyfit(page_ctx: FrameContext, page: Page, template, blocks: dict, further: Mapping | None = None) -> Copyfit:
    """The copyfit steps of the page's frames (at their own span); `further` (section -> steps) smaller
    still, for a page too full at the steps its figures need: a section's figures step down together, one
    section at a time, and its stats keep their anatomy."""
    further = further or {}
    layout = page_ctx.layout
    groups: dict = {}
    measured: list = []  # (group key, frame, element, figure, the figure's width at each size, room, its cell's)
    for name, frame in template.frames.items():
        block = blocks.get(name)
        if block is None:
            continue
        _, width = layout.column_x_pt(frame.col, frame.span)
        ctx = page_ctx.but(frame=name, substitutes={**(template.styles or {}), **(frame.styles or {})})
        cells = cell_positions(block.elements, frame.cells)  # (a heading over the frame's cells takes none)
        for index, element in enumerate(block.elements):
            cell_w = cell_width(page_ctx, frame, width, cells[index])
            fit = figure_room(ctx, element, frame, cell_w)
            if fit is None:
                continue
            style_name, figure, room = fit
            if isinstance(element, Stat) and neighboured(template, name, frame, cells[index]):
                # a stat's figure line stands clear of the cell beside it (a rank's column has its own words beside it)
                room -= layout.geometry.elements.figure_clear_mm * MM
            style = ctx.style(style_name, "en")
            sizes = [style.size_pt] + list(layout.steps(ctx.substitutes.get(style_name, style_name)))
            natural = [ctx._natural(spans_from_text(figure, at_size(style, size, ctx.grid))) for size in sizes]
            # one step for every figure of the page: the smallest step a section of it needs (two designers' reviews
            # in a row, 863548c and 4a3a1ba: page 5's HK$10M at 26 pt under a row of 21 pt figures, the smallest sum
            # outranking the larger; by section since the fifth review, by page again)
            key = (PAGE, style_name)
            groups.setdefault(key, {"frames": [], "step": 0, "sizes": sizes, "style": style,
                                    "widest": (0.0, room, element.ref, figure)})
            measured.append((key, name, element, figure, natural, room, cell_w))
    for key, name, element, figure, natural, room, cell_w in measured:
        group = groups[key]
        sizes, style_name = group["sizes"], key[1]
        needed = next((k for k, w in enumerate(natural) if w <= room + 0.01), None)
        if name not in group["frames"]:
            group["frames"].append(name)
        if needed is None:
            smallest = sizes[-1]
            page_ctx.diags.error("copyfit", f"in frame '{name}' the figure '{figure}' is "
                                 f"{(natural[-1] - room) / MM:.1f} mm wider than the {room / MM:.1f} mm its line has "
                                 f"(its cell, less a stat's unit and change and the clear space before a cell "
                                 f"beside it) even at {smallest:g} pt, the smallest "
                                 f"step of style '{style_name}'{_columns_wanted(layout, natural[-1] + cell_w - room, cell_w)}",
                                 element.ref, page=page.number,
                                 hint="write the figure shorter (HK$1.02B for HK$1,024.5M), give its cell more "
                                 "columns (the frame's span or cell_spans) or the frame fewer cells in the edition's "
                                 "layout/templates.yaml, or add a "
                                 f"smaller step to '{style_name}' steps in layout/styles.yaml")
            needed = len(sizes) - 1
        if needed > group["step"] or (needed == group["step"] and natural[0] - room > group["widest"][0] - group["widest"][1]):
            group["widest"] = (natural[0], room, element.ref, figure)
        group["step"] = max(group["step"], needed)
    fitted: dict = {}
    steps = []
    nearest: dict = {}  # section -> how near its figures come to not fitting at its step
    for (section, style_name), group in sorted(groups.items()):
        step = min(group["step"] + further.get(section, 0), len(group["sizes"]) - 1)
        if step < len(group["sizes"]) - 1:
            natural, room = group["widest"][:2]
            share = natural * group["sizes"][step] / group["sizes"][0] / room if room > 0 else math.inf
            nearest[section] = max(nearest.get(section, 0.0), share)
        if step == 0:
            continue
        size = group["sizes"][step]
        style = at_size(group["style"], size, page_ctx.grid)
        for name in group["frames"]:
            fitted.setdefault(name, {})[style_name] = style
        natural, room, ref, figure = group["widest"]
        steps.append(CopyfitStep(tuple(group["frames"]), style_name, size, natural, room, ref, figure,
                                 too_full=step > group["step"]))
    fitted = {name: MappingProxyType(styles) for name, styles in fitted.items()}
    smaller = tuple(sorted(nearest, key=lambda section: -section))  # the lowest section first: the page's head keeps its size
    return Copyfit(MappingProxyType(fitted), tuple(steps), smaller)
