"""Vertical placement: where each frame of a page stands, as functions of explicit inputs.

Frames stand in template order, each below the frames it names (`below`), a named gap of the spacing
scale apart (the page's own steps, else the leaflet's, else the compact ones; larger loose steps when
the copy is short), each frame's first baseline on the page's grid. Spare height goes to that larger step
and then above the frames anchored to the foot (the page's one deliberate space); no frame stretches.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

from ..content import Page
from ..diagnostics import Diagnostics, SourceRef
from ..layout_spec import MM, FrameSpec, Layout
from .items import TextLine, _down_to_grid, box_first, empty_bands, ink_span, rule_step

FOOT_IF_SPARE = "foot-if-spare"  # (anchor: a frame that follows, anchored to the foot only on a page with room to spare)


@dataclass(frozen=True)
class Placement:
    tops: dict  # frame -> its top
    declared_space: tuple[float, float] | None  # the one empty band the template asks for (top, bottom)
    spacing: dict  # the named gaps it was set with…
    spacing_used: str  # …and which they are: "page", "stock", "compact" or "loose"
    room: float = 0.0  # spare height neither a larger step nor the declared space could take
    off_grid: bool = False  # it fits only with its frames off the baseline grid
    floor: float | None = None  # the paper between blocks it closed to, under typography.min_block_gap_mm (a last resort)
    block_gap: float | None = None  # the least paper between two blocks as placed (ink or a panel's edge)
    released: bool = False  # the held steps (fixed_steps) closed: the last resort of a page too full for them


def frame_order(page: Page, template, diags: Diagnostics) -> list[str]:
    """Frames in an order where every frame comes after the frames it is placed below."""
    order: list[str] = []
    pending = dict(template.frames)
    while pending:
        ready = [n for n, f in pending.items()
                 if all(b in order for b in (*(f.below or ()), *(f.foot_with or ()), *(f.middle_with or ())))]
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


def _through_empty(frames: dict, order: list, filled: dict) -> dict:
    """The frames as placed: a frame standing only under frames with nothing in them (an edition without those
    blocks) stands under what they stand under, with its own gap (an empty frame takes none); and where they
    stood first under a heading's rule (the `tight` step) it is what stands first under that rule, and takes that
    step: page 6's key, its caption heading the column beside the ring, when the lead figure over it is left out
    (its total printed once, in the ring), not a figure's step under an empty frame."""
    def empty(name: str) -> bool:
        return name in filled and not filled[name][3] and not frame_height(frames[name], filled[name])

    out = dict(frames)
    for name in order:
        f = out[name]
        if f.below and all(empty(b) and out[b].below for b in f.below):
            under = tuple(dict.fromkeys(n for b in f.below for n in out[b].below))
            tight = all(out[b].gap == "tight" for b in f.below)
            out[name] = replace(f, below=under, **({"gap": "tight", "gap_mm": 0.0} if tight else {}))
    return out


def _measured(items: list) -> tuple:
    """(the items, their first baseline, their ink's spans, {}: whether a box's edge is their first ink, by layout,
    their ink's spans merged: _merged)."""
    spans = [span for i in items if (span := ink_span(i)) is not None]
    return (items, min((i.baseline_pt for i in items if isinstance(i, TextLine)), default=None), spans, {},
            _merged(spans))


def _merged(spans: list) -> list:
    """Spans of ink as the fewest that reach what they reach (sorted, none touching the next): the bands without ink
    between them are those between the spans (items.empty_bands), measured from fewer."""
    out: list = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def place_frames(layout: Layout, template, order: list, filled: dict, body_top: float, body_bottom: float,
                 page_ref: SourceRef, page: int, diags: Diagnostics, relax: bool = False,
                 foot_pt: float = 0.0, judge: bool = False, measured: dict | None = None,
                 spare_to_foot: bool = False) -> Placement:
    """Tops of the frames, the one space the template declares (if any) and the room left over.

    Frames stack with the named gaps of the spacing scale, each frame as tall as its content (a panel is
    its content and its padding: nothing stretches). Spare height is never spread into every gap: first a
    larger step for the whole page (up to loose_spacing_pt, as far as the page fits and no band of the
    page without ink grows past typography.max_empty_band_mm, measured on the ink of its items: so the
    step adapts to whatever the text styles and the copy make of the page), then the space above the
    frames anchored to the foot (`anchor: foot`: they and the frames below them go down, leaving one
    deliberate space of at most typography.deliberate_space_mm). What neither takes is `room`: the page
    has too few words for its frames, and says so. Each frame's first baseline sits on the page's grid.
    Between blocks at least typography.min_block_gap_mm of paper; with `relax` (the engine's last resort, for a
    page that overflows with every smaller step taken) that floor closes a grid step at a time until it fits.

    With `judge`, only whether the page overflows (placement.overflows) or leaves the grid (off_grid) is asked: the
    tops are those before any spare height is given out (a larger step, the space above the frames anchored to the
    foot), which changes neither: spare height goes only where the page still fits, and a page that does not fit
    has none (the engine's too_full trials; the room, the declared space and the gaps are not measured).

    `measured` (the engine's, for one page) keeps what a frame's items as filled measure (their first baseline, their
    ink, whether a box's edge is their first ink) from one placement to the next, by the very items (frozen, kept
    while it is kept: a fill taken from the page's fills gives the same objects).

    A frame with `anchor: foot-if-spare` (a closing paragraph) follows the frames above it, its gap one of the page's,
    unless the page then has more room than its steps and the space at its foot take: then it is anchored to the foot
    as `anchor: foot` is (placed again with `spare_to_foot`)."""
    frames = _through_empty(template.frames, order, filled)
    geometry = layout.geometry
    limits = geometry.typography
    grid = geometry.grid.baseline_pt
    first_baseline: dict = {}
    inks: dict = {}
    known: dict = {}  # frame -> what its items measure (_measured)
    for name, (_, _, _, items) in filled.items():
        same = tuple(map(id, items)) if measured is not None else None  # (a frame filled again with the same items)
        got = measured.get(same) if measured is not None else None
        if got is None:
            got = _measured(items)
            if measured is not None:
                measured[same] = got
        known[name] = got
        first_baseline[name], inks[name] = got[1], got[2]
    # What a reader sees of each frame, from its top: a panel from edge to edge, else its ink. Between blocks
    # (every gap but a heading's `tight` one to what it heads) at least typography.min_block_gap_mm of paper:
    # a page too full for its steps takes a smaller step of the scale, never a gap the eye reads as none.
    seen = {name: (0.0, frame_height(frames[name], filled[name])) if frames[name].panel or not inks[name] else
            (min(a for a, _ in inks[name]), max(b for _, b in inks[name])) for name in filled}
    floor = limits.min_block_gap_mm * MM
    # A box's edge (a picture, a code) first under a heading's rule stands a line of body (the `block` step) under
    # it, not the `tight` step held for letters (items.rule_step; designer's review, round 3: page 7's pictures).

    def edge_first(name: str) -> bool:  # (asked only of a frame whose tight step is held)
        edges = known[name][3]  # (layout -> whether a box's edge is the first ink of the frame's items)
        edge = edges.get(id(layout))
        if edge is None or edge[0] is not layout:
            items = known[name][0]
            top = min((span[0] for i in items if (span := ink_span(i)) is not None), default=None)
            edge = edges[id(layout)] = (layout, top is not None and any(
                box_first(i, layout) for i in items if (span := ink_span(i)) is not None and span[0] == top))
        return edge[1]
    # Steps held on every page, ink to ink (layout/page.yaml fixed_steps: the space above a section heading): a
    # page's spare room goes to its other steps, its figures and rings, or its foot; never into uneven heading spaces.
    fixed = set(geometry.fixed_steps or ())

    # Frames of one align_rows group under the same frames share their top (their rows were levelled from it): a
    # held step stands from the group's first ink, not each frame's (a heading lowered to end level with a taller
    # one beside it stays lowered).
    first_ink = {name: min((seen[m][0] for m, g in frames.items() if g.align_rows == f.align_rows
                            and g.below == f.below and inks.get(m)), default=seen[name][0])
                 if f.align_rows and inks[name] else seen[name][0] for name, f in frames.items() if name in seen}

    def held(name: str) -> bool:
        return bool(frames[name].below) and frames[name].gap in fixed and bool(inks[name])

    # (a frame with nothing in it, asked twice a frame at each of a placement's many trials: place)
    empty = {name: not filled[name][3] and not frame_height(frames[name], filled[name]) for name in filled}.__getitem__

    def place(snap: bool, spacing: dict, moved: dict | None = None, extra: dict | None = None) -> tuple[dict, float]:
        extra, moved = extra or {}, moved or {}
        tops: dict[str, float] = {}
        bottoms: dict[str, float] = {}
        beside: dict = {}  # (frames above, gap) -> the top of the first frame placed under them (before any move)
        for name in order:
            f = frames[name]
            # A frame with nothing in it (an edition without that block) takes no gap: what stands below it
            # keeps the one step it would have had below the frames above.
            gap = gap_pt(f, spacing) + extra.get(name, 0.0) if f.below and not empty(name) else 0.0
            top = body_top + f.top_mm * MM if not f.below else max(bottoms[b] for b in f.below) + gap
            need = -math.inf
            if held(name):  # from the lowest ink above to this frame's first ink: the step itself, on every page
                step = (rule_step(geometry, edge_first(name)) or 0.0) if f.gap == "tight" else spacing[f.gap]
                step += extra.get(name, 0.0)  # the leading step, opened first by spare height (below)
                top = max(tops[b] + seen[b][1] for b in f.below) + step - first_ink[name]
            elif extra.get(name, 0.0) > 0 and inks[name]:
                # An opened step (spare height) is measured as the eye does, ink to ink like the held ones: every
                # gap of the kind opened is one step on paper, whatever the ink inside the frames (a figure's cap,
                # a line's descent): page 2's block gaps were 10.4 / 10.9 / 9.7 mm at one opened step.
                # (from the first ink of its align_rows group: a frame whose first ink stands lower than its
                # neighbours' stays lower, as under a held step)
                need = max(tops[b] + seen[b][1] for b in f.below) + gap - first_ink[name]
                top = need
            elif f.below and f.gap is not None and f.gap != "tight" and floor and inks[name]:  # a gap_mm is the author's
                need = max(tops[b] + seen[b][1] for b in f.below) + floor - first_ink[name]
                top = max(top, need)
            if f.foot_with:  # down (never up) until its foot is level with the lowest foot of the frames beside it
                # (their ink's foot: a chart's last row, not its frame's descent below it)
                foot = max(tops[n] + seen[n][1] for n in f.foot_with)
                level = foot - seen[name][1]
                if level > top + 1e-6:
                    top = level
            inked = [n for n in f.middle_with or () if inks[n] and n in tops]
            if inked and inks[name]:  # down (never up) until its ink's middle is level with theirs: a key on its ring
                middle = (min(tops[n] + seen[n][0] for n in inked) + max(tops[n] + seen[n][1] for n in inked)) / 2
                level = middle - (seen[name][0] + seen[name][1]) / 2
                if level > top + 1e-6:
                    top = level
            baseline = first_baseline[name]
            if empty(name):
                tops[name] = bottoms[name] = top
                continue
            if snap and baseline is not None:
                # Its first baseline onto the nearest grid line: up only while some of its gap (and its floor) stays.
                down = _down_to_grid(top + baseline, body_top, grid) - baseline
                up = down - grid if down - top > 1e-6 else down
                if held(name) or extra.get(name, 0.0) > 0:  # never less than the step, less than a grid step more
                    top = down
                else:
                    top = up if f.below and top - up < gap - 1e-6 and up >= need - 1e-6 else down
                    # (frames side by side under the same frames with one gap, page 6's roles' panel and its code:
                    # the grid line nearest the first one's top, so their tops stand level within a grid step)
                    first = beside.get((tuple(f.below or ()), f.gap))
                    if first is not None and f.below and abs(down - first) < abs(top - first):
                        top = down
            if f.below:
                beside.setdefault((tuple(f.below), f.gap), top)
            top += moved.get(name, 0.0)
            tops[name] = top
            bottoms[name] = top + frame_height(f, filled[name])
        return tops, max(bottoms.values(), default=body_top)

    banded: dict = {}  # (frames, from the top?, where the inked ones stand) -> their tallest band without ink

    def tallest_band(tops: dict, names=None, from_top: bool = True) -> float:
        """The tallest band without ink between the body's top (or the first ink of `names`) and the lowest ink
        of `names` (all frames). A round of steps tries arrangements it has measured (the one it holds, and
        trials that move only frames without ink or other frames): each is measured once."""
        names = order if names is None else names
        key = (tuple(names), from_top, tuple(tops[n] for n in names if inks[n]))
        band = banded.get(key)
        if band is None:
            spans = [(a + top, b + top) for n in names for top in (tops[n],) for a, b in known[n][4]]
            if not spans:
                band = 0.0
            else:
                start = body_top if from_top else min(a for a, _ in spans)
                bands = empty_bands(spans, start, max(b for _, b in spans))
                band = max((b - a for a, b in bands), default=0.0)
            banded[key] = band
        return band

    # The page's own larger steps when they leave room, else the leaflet's steps: next year's longer
    # copy takes the air back before it overflows or leaves the grid.
    stock = dict(geometry.spacing_pt or {})
    compact = {**stock, **{k: v for k, v in (geometry.compact_spacing_pt or {}).items() if k not in fixed}}
    spacing = {**stock, **(getattr(template, "spacing_pt", None) or {})}
    used = "page" if spacing != stock else "stock"
    tops, lowest = place(True, spacing)
    for name, fallback in (("stock", stock), ("compact", compact)):
        if lowest <= body_bottom + 0.01 or spacing == fallback:
            continue
        spacing, used = fallback, name
        tops, lowest = place(True, spacing)
    relaxed = None
    released = False
    if relax and lowest > body_bottom + 0.01 and fixed:
        # The last resort's first step: the held steps close to their compact step, like the others (noted).
        fixed.clear()
        released = True
        compact = {**stock, **(geometry.compact_spacing_pt or {})}
        spacing = {**spacing, **{k: compact[k] for k in (geometry.fixed_steps or ()) if k in compact}}
        tops, lowest = place(True, spacing)
    last = limits.last_block_gap_mm * MM
    while relax and lowest > body_bottom + 0.01 and floor - grid >= last - 0.01:
        floor -= grid
        relaxed = floor
        tops, lowest = place(True, spacing)
    snap = True
    if lowest > body_bottom + 0.01:
        unsnapped = place(False, spacing)
        if unsnapped[1] <= body_bottom + 0.01:  # fits only off the grid (a page that overflows keeps it)
            over = lowest - body_bottom
            snap = False
            tops, lowest = unsnapped
            diags.warning("off-grid", f"the page is {over / MM:.1f} mm too full for its frames to start on "
                               "the baseline grid: their lines are set off the grid", page_ref, page=page,
                               hint=f"shorten the text by {over / MM:.1f} mm (a line of body is "
                               f"{layout.style('body', 'en').leading_pt / MM:.1f} mm), or use a smaller gap step "
                               "in the edition's layout")
    # A frame anchored to the foot goes down only where that leaves every held step as it is: under a section
    # heading's held step it stays, and the page's one declared space is at its foot (as on a page without one).
    anchored = [n for n in order if (frames[n].anchor == "foot" or spare_to_foot and frames[n].anchor == FOOT_IF_SPARE)
                and frames[n].gap not in fixed]
    moved_set = set(anchored)
    for name in order:  # whatever stands below a frame that moved down moves with it
        if set(frames[name].below or ()) & moved_set:
            moved_set.add(name)
    staying = [n for n in order if n not in moved_set]

    def tallest(tops: dict) -> float:
        """The tallest band without ink above the frames anchored to the foot, and among them: the band between
        is the declared space, held to its own limit."""
        return max(tallest_band(tops, staying), tallest_band(tops, sorted(moved_set), False) if moved_set else 0.0)

    loose = {name: max(spacing.get(name, 0.0), value) for name, value in (geometry.loose_spacing_pt or {}).items()
             if name not in fixed or name == geometry.leading_step}
    hole = limits.max_empty_band_mm * MM - grid  # a grid step short of the limit: the layout's ink is an estimate
    extra: dict = {}
    # Every gap of one kind on the page is one step (second designer review of 269af3e, item 8: page 2's block gaps
    # 11.0 / 11.0 / 9.7 mm, each group opened on its own turn): the frames of one named gap open and close together,
    # frames side by side under the same frames among them, so their tops stay level.
    growing: dict = {}
    for n in order:
        if frames[n].below and frames[n].gap in spacing and n not in anchored:
            growing.setdefault(((), frames[n].gap), []).append(n)

    # The hierarchy holds as a class (third designer review of 595fc73, item 1: page 2's rows stood 10.2-10.9 mm
    # apart under an 8.5 mm step above its section heading): spare height opens the step that leads (layout/page.yaml
    # leading_step, the one above every section heading of the page) first, and every other step stays
    # leading_margin_pt under it, so a row never reads as a new section. A page too full closes the others first.
    lead = geometry.leading_step if geometry.leading_step in spacing else None
    growing = dict(sorted(growing.items(), key=lambda item: item[0][1] != lead))  # the leading step's turn first

    def lead_cap() -> float:
        names = growing.get(((), lead)) if lead else None
        return spacing[lead] + extra.get(names[0], 0.0) - geometry.leading_margin_pt if names else math.inf

    def step_round(direction: float, allowed) -> bool:
        """Each group's gap a grid step up (or down) where `allowed(trial)` holds; whether any moved."""
        nonlocal extra, tops, lowest
        moved = False
        for (_, gap), names in growing.items():
            step = extra.get(names[0], 0.0) + direction * grid
            if not compact.get(gap, 0.0) - 0.01 <= spacing[gap] + step <= loose.get(gap, spacing[gap]) + 0.01:
                continue
            if direction > 0 and lead and gap != lead and spacing[gap] + step > lead_cap() + 0.01:
                continue  # the step above a section heading leads: no other step opens up to it
            more = {**extra, **{n: step for n in names}}
            trial = place(True, spacing, {}, more)
            if allowed(trial):
                extra, (tops, lowest), moved = more, trial, True
        return moved

    if snap:
        # A gap whose band without ink already passes the limit (a step beside a panel's padding, which is paper
        # too) closes toward its compact step.
        while tallest(tops) > hole + 0.01 and step_round(-1, lambda t: tallest(t[0]) < tallest(tops)):
            pass
    if judge:
        return Placement(tops, None, spacing, used, 0.0, not snap, relaxed, None, released)
    if snap and loose and body_bottom - lowest >= grid:
        # Spare height: a larger step everywhere on the page, one grid step at a time round the page's gaps,
        # each up to its loose step, as long as the page fits and no band without ink passes the limit.
        limit = max(hole, tallest(tops))
        while step_round(1, lambda t: t[1] <= body_bottom + 0.01 and tallest(t[0]) <= limit + 0.01):
            used = "loose" if used in ("stock", "page") else used
    spare = math.floor(max(0.0, body_bottom - lowest) / grid + 1e-6) * grid if snap else 0.0
    declared = None
    if spare > 0 and anchored:
        # The rest above the frames anchored to the foot: one deliberate space, at most its limit of paper
        # without ink, measured from the ink above it to the ink of the anchored frames.
        above = max((b + tops[n] for n in staying for _, b in inks[n]), default=body_top)
        below = min((a + tops[n] for n in moved_set for a, _ in inks[n]), default=body_bottom)
        allowed = max(0.0, limits.deliberate_space_mm * MM - grid - max(0.0, below - above))  # a step short: an estimate
        move = min(spare, math.floor(allowed / grid + 1e-6) * grid)
        if move > 0:
            tops, lowest = place(True, spacing, {n: move for n in anchored}, extra)  # those below follow
            spare -= move
        space_top = max((tops[n] + frame_height(frames[n], filled[n]) for n in staying), default=body_top)
        declared = (space_top, min(tops[n] for n in moved_set))
    if spare > 0 and declared is None:
        # The declared space at the foot: from the page's lowest content toward the body's foot, at most its limit
        # measured down to the ink under the body (`foot_pt` of paper below its foot: the notes, else the folio).
        space_top = max((tops[n] + frame_height(frames[n], filled[n]) for n in order), default=body_top)
        allowed = max(0.0, limits.deliberate_space_mm * MM - grid - foot_pt)
        declared = (space_top, min(body_bottom, space_top + allowed))
        spare = max(0.0, spare - (declared[1] - declared[0]))
        if spare > 0 and not spare_to_foot and any(frames[n].anchor == FOOT_IF_SPARE and n not in anchored
                                                   and frames[n].gap not in fixed and inks[n] for n in order):
            # more room than the foot takes: the closing frames go to the foot after all (what the page said, said)
            return place_frames(layout, template, order, filled, body_top, body_bottom, page_ref, page, Diagnostics(),
                                relax, foot_pt, judge, measured, spare_to_foot=True)
    gaps = [tops[n] + seen[n][0] - max(tops[b] + seen[b][1] for b in frames[n].below) for n in order
            if frames[n].below and frames[n].gap is not None and frames[n].gap != "tight" and inks[n]]
    return Placement(tops, declared, spacing, used, spare, not snap, relaxed, min(gaps, default=None), released)
