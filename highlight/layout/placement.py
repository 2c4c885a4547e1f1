"""Vertical placement: where each frame of a page stands, as functions of explicit inputs.

Frames stand in template order, each below the frames it names (`below`), a named gap of the spacing
scale apart (the page's own steps, else the leaflet's, else the compact ones; larger loose steps when
the copy is short), each frame's first baseline on the page's grid. Spare height goes where the template
says: to a frame that `grow`s, or above the frames anchored to the foot (the page's one deliberate space).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..content import Page
from ..diagnostics import Diagnostics, SourceRef
from ..layout_spec import MM, FrameSpec, Layout
from .items import TextLine, _down_to_grid


@dataclass(frozen=True)
class Placement:
    tops: dict  # frame -> its top
    grown: dict  # frame -> the height it grows by
    declared_space: tuple[float, float] | None  # the one empty band the template asks for (top, bottom)
    spacing: dict  # the named gaps it was set with…
    spacing_used: str  # …and which they are: "page", "stock", "compact" or "loose"


def frame_order(page: Page, template, diags: Diagnostics) -> list[str]:
    """Frames in an order where every frame comes after the frames it is placed below."""
    order: list[str] = []
    pending = dict(template.frames)
    while pending:
        ready = [n for n, f in pending.items() if all(b in order for b in (f.below or ()))]
        if not ready:
            diags.error("frame-cycle", f"frames {', '.join(pending)} are placed below each other in a "
                        "circle", next(iter(pending.values())).ref, page=page.number,
                        hint="give one of them top_mm instead of below")
            break
        for name in ready:
            order.append(name)
            del pending[name]
    return order


def gap_pt(frame: FrameSpec, spacing: dict) -> float:
    """The space above a frame placed below others: a named step of `spacing` (layout/page.yaml's), or gap_mm."""
    if frame.gap is not None:
        return spacing[frame.gap]
    return frame.gap_mm * MM


def frame_height(frame: FrameSpec, filled_entry: tuple) -> float:
    """A frame's height on the page: the template's fixed height, else what its content used."""
    return frame.height_mm * MM if frame.height_mm else filled_entry[2]


def overflows(template, order: list, filled: dict, tops: dict, body_bottom: float) -> bool:
    """Whether frames placed at `tops` run past the body's foot (or their fixed height)."""
    for name in order:
        frame = template.frames[name]
        limit = tops[name] + frame.height_mm * MM if frame.height_mm else body_bottom
        if tops[name] + filled[name][2] > limit + 0.5:
            return True
    return False


def place_frames(layout: Layout, template, order: list, filled: dict, body_top: float, body_bottom: float,
                 page_ref: SourceRef, page: int, diags: Diagnostics) -> Placement:
    """Tops (and grown heights) of the frames, and the one space the template declares, if any.

    Frames stack with the named gaps of the spacing scale; spare height is never spread into every
    gap. It goes where the template says: a frame that `grow`s (its panel takes it) or frames
    anchored to the foot (`anchor: foot`: they and the frames below them go down, leaving one
    deliberate space above). Each frame's first baseline sits on the page's baseline grid."""
    frames = template.frames
    grid = layout.geometry.grid.baseline_pt
    first_baseline = {name: min((i.baseline_pt for i in items if isinstance(i, TextLine)), default=None)
                      for name, (_, _, _, items) in filled.items()}

    def place(snap: bool, grown: dict) -> tuple[dict, float]:
        tops: dict[str, float] = {}
        bottoms: dict[str, float] = {}
        for name in order:
            f = frames[name]
            top = body_top + f.top_mm * MM if not f.below else max(bottoms[b] for b in f.below) + gap_pt(f, spacing)
            baseline = first_baseline[name]
            if snap and baseline is not None:
                top = _down_to_grid(top + baseline, body_top, grid) - baseline
            tops[name] = top
            bottoms[name] = top + frame_height(f, filled[name]) + grown.get(name, 0.0)
        return tops, max(bottoms.values(), default=body_top)

    # The page's own larger steps when they leave room, else the leaflet's steps: next year's longer
    # copy takes the air back before it overflows or leaves the grid.
    stock = dict(layout.geometry.spacing_pt or {})
    compact = {**stock, **(layout.geometry.compact_spacing_pt or {})}
    spacing = {**stock, **(getattr(template, "spacing_pt", None) or {})}
    used = "page" if spacing != stock else "stock"
    tops, lowest = place(True, {})
    for name, fallback in (("stock", stock), ("compact", compact)):
        if lowest <= body_bottom + 0.01 or spacing == fallback:
            continue
        spacing, used = fallback, name
        tops, lowest = place(True, {})
    snap = True
    if lowest > body_bottom + 0.01:
        unsnapped = place(False, {})
        if unsnapped[1] <= body_bottom + 0.01:  # fits only off the grid (a page that overflows keeps it)
            over = lowest - body_bottom
            snap = False
            tops, lowest = unsnapped
            diags.warning("off-grid", f"the page is {over / MM:.1f} mm too full for its frames to start on "
                               "the baseline grid: their lines are set off the grid", page_ref, page=page,
                               hint=f"shorten the text by {over / MM:.1f} mm (a line of body is "
                               f"{layout.style('body', 'en').leading_pt / MM:.1f} mm), or use a smaller gap step "
                               "in the edition's layout")
    growing = [n for n in order if frames[n].grow]
    geometry = layout.geometry
    loose = {name: max(spacing.get(name, 0.0), value) for name, value in (geometry.loose_spacing_pt or {}).items()}
    anchored = [n for n in order if frames[n].anchor == "foot"]
    # The deliberate space is the spare and the gap above the anchored frames together.
    room = (geometry.typography.deliberate_space_mm * MM - gap_pt(frames[anchored[0]], spacing)
            if anchored else geometry.underfull_mm * MM)
    if snap and not growing and loose and body_bottom - lowest > room and loose != spacing:
        # More spare than one deliberate space (or an underfull foot): a larger step everywhere on the
        # page (shorter copy than the page was made for), if the page still fits with it.
        # The largest share of the way to the loose steps that still fits, each gap in whole grid steps.
        before = spacing
        for share in (1.0, 0.75, 0.5, 0.25):
            spacing = {**before, **{name: before.get(name, 0.0) + math.floor(
                (value - before.get(name, 0.0)) * share / grid + 1e-6) * grid for name, value in loose.items()}}
            trial = place(True, {})
            if trial[1] <= body_bottom + 0.01:
                tops, lowest = trial
                used = "loose"
                break
        else:
            spacing = before
    spare = math.floor(max(0.0, body_bottom - lowest) / grid + 1e-6) * grid
    if spare <= 0:
        return Placement(tops, {}, None, spacing, used)
    if growing:  # it grows down to the foot (it may stand beside a taller column)
        name = growing[0]
        bottom = tops[name] + frame_height(frames[name], filled[name])
        grown = {name: spare + (lowest - bottom)}
        tops, lowest = place(snap, grown)
        if lowest > body_bottom + 0.01:  # whatever stands below it would be pushed off: grow by the spare only
            grown = {name: spare}
            tops = place(snap, grown)[0]
        return Placement(tops, grown, None, spacing, used)
    if anchored:
        moved = set(anchored)
        for name in order:  # whatever stands below a frame that moved down moves with it
            if set(frames[name].below or ()) & moved:
                moved.add(name)
        space_top = max((tops[n] + frame_height(frames[n], filled[n]) for n in order if n not in moved),
                        default=body_top)
        tops = {n: t + spare if n in moved else t for n, t in tops.items()}
        return Placement(tops, {}, (space_top, min(tops[n] for n in moved)), spacing, used)
    return Placement(tops, {}, None, spacing, used)
