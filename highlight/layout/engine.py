"""PageLayouter: an edition's pages, each from its template, as LaidOutPages. Never touches ReportLab.

A page is laid out in stages, each a function of explicit inputs (docs/architecture.md):
the title band, the footnotes (which fix the body's foot) and the folio (furniture.py); the copyfit steps
of its figures (copyfit.py); each frame filled at its width (fill.py, one frozen FrameContext per frame,
stacking.py; each element by its kind, elements.py); the rows of align_rows groups levelled; the frames
placed down the page (placement.py); then, only if needed, the remedies body() lists in the order it tries
them, each a method of _PageFrames (a page too full: frames crowded, widened, padded less, figures and rings a
step smaller; a page with room: rings a step larger, rows opened). No frame stretches: a panel is its content and its padding. What the layouter keeps
across pages is only what a build asks of it: the frame heights, for the next build's overflow messages.
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, replace

from ..content import Breakdown, BulletList, Edition, Heading, Page, Paragraph, QrCode, Ranking, Stat, ref_of
from ..diagnostics import Diagnostics
from ..fonts import FontSet
from ..layout_spec import MM, Layout
from ..text import TextSetter
from .copyfit import Copyfit, copyfit
from .elements import rank_column
from .fill import (
    FillMemo,
    align_rows,
    cell_boxes,
    cell_starts,
    choose_cell_spans,
    fewer_cells,
    fill_frame,
    fixed_row_cost,
    level_cell_spans,
)
from .furniture import folio, footnotes, title_band
from .items import (
    Box,
    CopyfitStep,
    FrameBox,
    LaidOutPage,
    Ring,
    Rule,
    TextLine,
    _first_baseline,
    _shift,
    _up_to_grid,
    ink_span,
)
from .placement import frame_height, frame_order, overflows, place_frames
from .stacking import BOTH, FrameContext, languages_of


@dataclass(frozen=True)
class _Body:
    """The body of a page as laid out: its frames and what the report says of them."""

    frames: tuple[FrameBox, ...] = ()
    overflowed: tuple[str, ...] = ()
    declared_space: tuple[float, float] | None = None
    copyfit: tuple[CopyfitStep, ...] = ()
    spacing: str = "stock"
    widened: tuple[str, ...] = ()
    room: float = 0.0
    room_choices: str = ""
    block_gap: float | None = None
    floor: float | None = None
    rings_fitted: tuple[float, float, tuple[str, ...]] | None = None
    padded: tuple[str, ...] = ()
    figure_step_given: bool = False  # a stat's figure under a rule at the letters' step: the page too full for a box's


SHARED_FOOTNOTE = "footnote-shared"  # the footnotes' style with both languages on one grid, where a page has room


def _costs_nothing(shared: LaidOutPage, own: LaidOutPage, said: Diagnostics, own_said: Diagnostics) -> bool:
    """Whether footnotes on the shared grid leave the page as it is with each language on its own leading: no
    overflow, the same gaps, figure steps, widened frames, ring and rhythm, and nothing said that was not."""
    return (not shared.overflowed and shared.spacing == own.spacing and shared.copyfit == own.copyfit
            and shared.widened == own.widened and shared.rings_fitted == own.rings_fitted and shared.padded == own.padded
            and shared.figure_step_given == own.figure_step_given
            and shared.rhythm_floor_pt is None and own.rhythm_floor_pt is None
            and {d.code for d in said.items} <= {d.code for d in own_said.items})


class PageLayouter:
    """Lays out every page of an edition; collects overflow and QR diagnostics."""

    def __init__(self, layout: Layout, setter: TextSetter, diags: Diagnostics, lang: str | None = None):
        self.layout = layout
        self.languages = languages_of(lang)  # both, or one for a single-language variant (`mixed` in both)
        self.setter = setter
        self.diags = diags
        self.grid = layout.geometry.grid.baseline_pt
        self.frame_heights: dict = {}  # (page, frame) -> height used, for the next build's overflow messages
        self.previous_heights: dict = {}  # the same, from the last good build of this edition
        self.fills = FillMemo()  # the frame fills made for the page being laid out (fill_frame takes them again)

    def context(self, page: int) -> FrameContext:
        """The page's context: no frame yet, no substitutions, no copyfit steps."""
        return FrameContext(self.layout, self.setter, self.diags, page, languages=self.languages, fills=self.fills)

    def layout_page(self, page: Page, edition: Edition) -> LaidOutPage:
        """The page laid out; its footnotes on one grid for both languages (the `footnote-shared` style, where the
        layout has one) when that costs the page nothing else: the same gaps, figure steps, measures and rings as
        with each language on its own leading (`footnote`), no overflow (the designer's fifth review, item 3)."""
        if (SHARED_FOOTNOTE, "en") not in self.layout.styles or not any(
                n.text.en and n.text.zh for n in page.footnotes):
            return self._layout_page(page, edition, shared=False)
        if self._notes_top(page, True) >= self._notes_top(page, False) - 0.01:
            return self._layout_page(page, edition, shared=True)  # (no deeper: the body above is the same)
        loud, own_diags, shared_diags = self.diags, Diagnostics(), Diagnostics()
        try:
            self.diags = own_diags
            own = self._layout_page(page, edition, shared=False)
            heights = dict(self.frame_heights)
            self.diags = shared_diags
            shared = self._layout_page(page, edition, shared=True)
        finally:
            self.diags = loud
        if _costs_nothing(shared, own, shared_diags, own_diags):
            self.diags.extend(shared_diags)
            return shared
        self.frame_heights = heights
        self.diags.extend(own_diags)
        return replace(own, footnotes_own_leading=True)

    def _notes(self, page: Page, shared: bool) -> tuple[list, float]:
        """The page's footnotes (footnotes()) and their height, on the shared grid or each language its own."""
        g = self.layout.geometry
        ctx = self.context(page.number)
        title_w = self.layout.page_width_pt - (g.margins_mm.left + g.margins_mm.right) * MM
        notes_ctx = ctx.but(substitutes={"footnote": SHARED_FOOTNOTE}) if shared else ctx
        return footnotes(notes_ctx, page, title_w, _body_columns(self.layout.templates.get(page.template), page))

    def _notes_top(self, page: Page, shared: bool) -> float:
        """Where the page's footnotes start (on the body's grid, their first baseline on it): the body's foot."""
        g = self.layout.geometry
        items, height = self._notes(page, shared)
        body_top = g.title_band.height_mm * MM + g.margins_mm.top * MM
        page_bottom = self.layout.page_height_pt - g.margins_mm.bottom * MM
        first = _first_baseline(items) or 0.0
        return _up_to_grid(page_bottom - height + first, body_top, self.grid) - first

    def _layout_page(self, page: Page, edition: Edition, shared: bool) -> LaidOutPage:
        lay = self.layout
        g = lay.geometry
        m = g.elements
        ctx = self.context(page.number)
        template = lay.templates.get(page.template)
        width = lay.page_width_pt
        title_w = width - (g.margins_mm.left + g.margins_mm.right) * MM
        items, title_overflows = title_band(ctx, page)

        footnote_items, footnote_h = self._notes(page, shared)
        band_h = g.title_band.height_mm * MM
        body_top = band_h + g.margins_mm.top * MM
        page_bottom = lay.page_height_pt - g.margins_mm.bottom * MM
        body_bottom = page_bottom
        body: _Body | None = None
        # Where the ink under the body begins (the notes, else the folio): a space declared at the foot is
        # measured down to it, as the eye sees it.
        under = [span for i in footnote_items if (span := ink_span(i)) is not None]
        folio_items = folio(ctx, page, edition, title_w)  # (set once: measured here, drawn below)
        folio_ink = [span for i in folio_items if (span := ink_span(i)) is not None]
        self._foot_ink = None if under else min((a for a, _ in folio_ink), default=None)
        if footnote_h:  # the notes stand at the foot, raised so that their lines keep the body's grid
            first = _first_baseline(footnote_items) or 0.0
            fy = _up_to_grid(page_bottom - footnote_h + first, body_top, self.grid) - first
            self._foot_ink = fy + min(a for a, _ in under) if under else None
            # Above the footnote rule the page's named `footnote` step (two lines of body) before any other gap
            # keeps its stock step: its compact step only on a page that overflows, leaves the grid or widens a
            # frame off its reading measure even with its gaps closed (tried quietly first).
            # The rule stands 2 pt above the notes; between it and the body at least the floor between blocks.
            floor = g.typography.min_block_gap_mm * MM + 2.0
            stock = max(floor, (g.spacing_pt or {}).get("footnote", g.footnote_gap_mm * MM))
            compact = max(floor, (g.compact_spacing_pt or {}).get("footnote", stock))
            body_bottom = fy - stock
            if compact < stock:
                loud, quiet = self.diags, Diagnostics()
                trial_items: list = []
                self.diags = quiet
                try:
                    trial = self.body(ctx.but(diags=quiet), page, template, body_top, body_bottom, trial_items)
                finally:
                    self.diags = loud
                if trial.overflowed or trial.widened or any(d.code == "off-grid" for d in quiet.items):
                    body_bottom = fy - compact
                else:  # the stock step stands: the trial is the body (a second fill would give the same)
                    body = trial
                    items.extend(trial_items)
                    self.diags.extend(quiet)
        if body is None:
            body = self.body(ctx, page, template, body_top, body_bottom, items)
        if footnote_h:
            rule = lay.colours["rule"]
            left = g.margins_mm.left * MM
            items.append(Rule(left, fy - 2.0, left + min(m.footnote_rule_mm * MM, title_w), fy - 2.0, rule, 0.4))
            items.extend(_shift(i, g.margins_mm.left * MM, fy) for i in footnote_items)
        items.extend(folio_items)
        safe = template.safe_mm if template is not None and template.safe_mm is not None else g.page.safe_mm
        frames = body.frames
        lowest = max((f.y_pt + (f.height_pt if f.fixed else f.used_pt) for f in frames if f.used_pt), default=body_top)
        underfull = g.underfull_mm * MM
        if body.declared_space is not None and body.declared_space[0] >= lowest - 0.5:
            # the declared space at the foot (and less than a grid step more: the spare is counted in whole steps)
            # (and the room under a grid step that neither could take: the spare is counted in whole steps, the
            # declared space's limit is not, so up to a step of each is left, never a hole)
            unplaced = body.room if body.room < self.grid else 0.0
            underfull = max(underfull, body.declared_space[1] - body.declared_space[0] + self.grid + unplaced)
        title = page.title.en or page.title.zh or page.title.mixed or ""
        overflowed = (("title-band",) if title_overflows else ()) + body.overflowed
        return LaidOutPage(page.number, tuple(items), frames, title, safe,
                           grid_top_pt=body_top, grid_pt=self.grid, foot_gap_pt=body_bottom - lowest,
                           body_bottom_pt=body_bottom,
                           underfull_pt=underfull, ref=page.ref, overflowed=overflowed,
                           declared_space_pt=body.declared_space, copyfit=body.copyfit,
                           spacing=body.spacing, widened=body.widened, room_pt=body.room,
                           room_choices=body.room_choices, block_gap_pt=body.block_gap,
                           rhythm_floor_pt=body.floor, rings_fitted=body.rings_fitted, padded=body.padded,
                           figure_step_given=body.figure_step_given)

    def body(self, ctx: FrameContext, page: Page, template, body_top: float, body_bottom: float,
             items: list) -> _Body:
        """The page's frames filled and placed between `body_top` and `body_bottom`, their items (and panels)
        appended to `items`."""
        layout = self.layout
        if template is None:
            self.diags.error("unknown-template", f"page {page.number} uses template '{page.template}', which "
                             "layout/templates.yaml does not define", ref_of(page, "template"), page=page.number,
                             hint="templates: " + ", ".join(layout.templates))
            return _Body()
        blocks, alias, leads = self._blocks(page, template)
        given = template
        # a frame whose cells follow its content given fewer elements than its cells: as many equal cells (fewer_cells)
        template = replace(template, frames={n: fewer_cells(f, len(blocks[n].elements)) if blocks.get(n) else f
                                             for n, f in template.frames.items()})

        def first(quiet: FrameContext) -> _PageFrames:
            """The frames filled first, their rows' headings levelled and codes hung: what no foot changes (said to
            `quiet`, as the page's own diagnostics say it)."""
            loud = self.diags
            self.diags = quiet.diags
            try:
                made = _PageFrames(self, quiet, page, template, blocks, leads, body_top, body_bottom)
                made.first_fill()
                made.level_heads()
                made.hang_codes()
            finally:
                self.diags = loud
            return made

        # (a page laid out again on another foot: its footnotes on one grid, or after its quiet trial: taken from the
        # page's fills, a copy, what it said said again)
        memo = ctx.fills
        if isinstance(memo, FillMemo) and ctx.diags is self.diags:
            frames = memo.taken(ctx, ("first frames", id(page), id(given), body_top),
                                lambda quiet: first(quiet).copy(None, None, body_bottom)).copy(self, ctx, body_bottom)
        else:
            frames = first(ctx)
        # Too full: the remedies in turn, each taken only while the page is still too full
        frames.own_columns()
        frames.crowd()
        frames.least_padding()
        frames.letters_step()
        frames.smaller_rings()
        frames.smaller_figures()
        frames.widen()
        frames.unlevel_heads()
        # Room: the rings a step larger; else the last resort of a page too full, or its rows opened
        frames.grow_rings()
        relax = frames.relaxed()
        foot_ink = getattr(self, "_foot_ink", None)
        foot_pt = max(0.0, foot_ink - body_bottom) if foot_ink is not None else 0.0
        if not relax:
            frames.open_rows(foot_pt)
        frames.level_codes()
        return self._placed(frames, relax, foot_pt, alias, items)

    def _blocks(self, page: Page, template) -> tuple[dict, dict, dict]:
        """The page's blocks by the frame they are set in (frame -> block), the frame each older frame name stands for
        (alias), and the paragraph leading into each frame's first row (frame -> paragraph); an unknown frame said."""
        # A frame may take the blocks of older frame names (`aliases`): last year's page files still build
        # after frames are merged; their elements join in page order.
        alias = {old: name for name, f in template.frames.items() for old in (f.aliases or ())}
        blocks: dict = {}
        for written in page.blocks:
            name = alias.get(written.frame, written.frame)
            if name in blocks:
                blocks[name] = replace(blocks[name], elements=blocks[name].elements + written.elements)
            else:
                blocks[name] = replace(written, frame=name) if name != written.frame else written
        for written in page.blocks:
            if written.frame not in template.frames and written.frame not in alias:
                self.diags.error("unknown-frame", f"frame '{written.frame}' is not in template '{page.template}'",
                                 ref_of(written, "frame"), page=page.number,
                                 hint="frames: " + ", ".join(template.frames))
        # A chart's table set in the frame its frame names (`legend`): the ring there, its key beside it (charts.py).
        for name, frame in template.frames.items():
            charts = [e for e in blocks[name].elements if isinstance(e, Breakdown)
                      and (e.chart or frame.chart) != "bars"] if blocks.get(name) else []
            if frame.legend and charts:
                there = blocks.get(frame.legend)
                blocks[frame.legend] = (replace(there, elements=there.elements + tuple(charts)) if there else
                                        replace(blocks[name], frame=frame.legend, elements=tuple(charts)))
        # A paragraph ending the frame a frame is `led_by` leads into that frame's first row: set there, over the
        # figures it leads into (fill.py), not as its own block above the row's lead-ins.
        leads: dict = {}
        for name, frame in template.frames.items():
            above = blocks.get(frame.led_by) if frame.led_by and blocks.get(name) else None
            if above is not None and above.elements and isinstance(above.elements[-1], Paragraph):
                leads[name] = above.elements[-1]
                blocks[frame.led_by] = replace(above, elements=above.elements[:-1])
        return blocks, alias, leads

    def _placed(self, frames: _PageFrames, relax: bool, foot_pt: float, alias: dict, items: list) -> _Body:
        """The page's frames as `frames` last filled them, placed (placement.py) and drawn: their panels, their items
        appended to `items` in the content's order, an overflow said where a frame runs past its foot."""
        page, template, blocks, order, filled = frames.page, frames.template, frames.blocks, frames.order, frames.filled
        layout, m, body_bottom = frames.layout, frames.m, frames.body_bottom
        holes, chosen, rings, fit, charted = frames.holes, frames.chosen, frames.rings, frames.fit, frames.charted()
        frames.fixed_costs()
        placement = frames.placement(relax, foot_pt)
        if placement.released:
            steps = ", ".join(layout.geometry.fixed_steps)
            self.diags.note("rhythm-floor", f"the page is too full for its rhythm: the space above its section "
                            f"headings ({steps}) closed to its compact step", page.ref, page=page.number,
                            hint="shorten the page's copy by a few lines, or give it fewer blocks (templates.yaml)")
        if placement.floor is not None:
            limit = layout.geometry.typography.min_block_gap_mm
            self.diags.note("rhythm-floor", f"the page is too full for its rhythm: the paper between its blocks "
                            f"closed to {placement.floor / MM:.1f} mm, under typography.min_block_gap_mm ({limit:g} mm)",
                            page.ref, page=page.number,
                            hint="shorten the page's copy by a few lines, or give it fewer blocks (templates.yaml)")
        tops = placement.tops
        room_choices = self._room(order, template, blocks, placement.room) if placement.room > 0 else ""
        boxes: list = []
        overflowed: list[str] = []
        # how far the lowest frame set against the page's foot reaches past it: what the page must lose
        page_over = max((tops[n] + filled[n][2] - body_bottom for n in order
                         if blocks.get(n) and not template.frames[n].height_mm), default=0.0)
        drawn: dict = {}  # frame -> its items placed, drawn (and read) in the content's order below
        for name in order:
            frame, block = template.frames[name], blocks.get(name)
            x, w, used, frame_items = filled[name]
            top = tops[name]
            out = drawn.setdefault(name, [])
            limit = top + frame.height_mm * MM if frame.height_mm else body_bottom
            if frame.panel and block:
                height = frame_height(frame, filled[name])  # its content and its padding, nothing more
                if frame.align_rows:  # cards of a row: one height, the tallest's
                    height = max(height, *(filled[n][2] for n in order if blocks.get(n)
                                           and template.frames[n].align_rows == frame.align_rows
                                           and abs(tops[n] - top) < 0.5))
                if frame.panel_cells and frame.cells > 1:  # a panel a cell, each on its cell's columns
                    pad = frame.padding_mm * MM
                    count = min(frame.cells, len(block.elements))
                    for left, cell_w in cell_boxes(frame, w, layout.geometry.grid.gutter_mm * MM)[:count]:
                        out.append(Box(x + left - pad, top, cell_w + 2 * pad, height, layout.colours[frame.panel],
                                       panel=True))
                else:
                    out.append(Box(x, top, w, height, layout.colours[frame.panel], panel=True))
            out.extend(_shift(item, 0.0, top) for item in frames.hung(name, frame_items))
            lifted = frames.lifted.get(name, 0.0)  # (a cell hung from the cell above it: the frame's box holds it)
            boxes.append(FrameBox(name, x, top - lifted, w, limit - top + lifted, used + lifted, fixed=bool(frame.height_mm),
                                  row_holes=tuple(holes.get(name, ())), cell_spans=chosen.get(name, ()),
                                  columns=frames.row_columns(name), columns_cost=frames.why.get(name, "")))
            if block and top + used > limit + 0.5:
                over = top + used - limit
                body = layout.style("body", "en").leading_pt
                fixed = f"its {frame.height_mm:g} mm" if frame.height_mm else "the page's"
                if top >= limit and overflowed:  # pushed past the foot by frames above that overflow: one cause
                    self.diags.error("overflow", f"frame '{name}' starts {(top - limit) / MM:.1f} mm below the "
                                     f"page's foot, so none of its {used / MM:.1f} mm of content fits: the frames "
                                     f"above it overflow ({', '.join(overflowed)})", block.ref, page=page.number,
                                     hint=f"make those frames fit first (see their overflow); then this frame "
                                     f"needs {used / MM:.1f} mm of the page")
                    overflowed.append(name)
                    continue
                overflowed.append(name)
                grew = self._growth(page, order, filled, blocks, name)
                room = f"in {(limit - top) / MM:.1f} mm" if limit > top else \
                    f"and it starts {(top - limit) / MM:.1f} mm below the foot"
                gaps = "; the page's gaps are already at their compact step" if placement.spacing_used == "compact" \
                    else ""
                taller = ", or give the frame more height (height_mm) in the edition's layout" if frame.height_mm \
                    else ""
                self.diags.error("overflow", f"frame '{name}' runs {over / MM:.1f} mm past {fixed} foot "
                                 f"(about {math.ceil(over / body - 1e-6)} line(s) of body at {body:g} pt; "
                                 f"{used / MM:.1f} mm of content {room}). {grew}",
                                 block.ref, page=page.number,
                                 hint=self._shorten(over, page_over if not frame.height_mm else over, body)
                                 + f", or move an element to another page{taller}{gaps}")
        # The frames' items in the order the content lists their blocks (the copy's order, which the PDF's text and
        # its tags read), whatever the rows a template sets them in: a row of tiles composed by the columns its
        # figures need may set a later tile in an earlier row (page 5's Career before Knowledge Transfer).
        listed: dict[str, int] = {}
        for index, written in enumerate(page.blocks):
            listed.setdefault(alias.get(written.frame, written.frame), index)
        items.extend(in_content_order([drawn.get(name, []) for name in
                                       sorted(order, key=lambda n: listed.get(n, len(page.blocks)))]))
        self.frame_heights.update({(page.number, n): filled[n][2] for n in order if blocks.get(n)})
        # a smaller ring only for a stated reason: the report's fitted list says which step and why
        # (`rings` holds the layouts the page's frames are set with: a ring's smaller step, or rows opened by the
        # page's room; only a charted frame's smaller ring is a ring step)
        stepped = sorted(n for n in charted if n in rings
                         and rings[n].geometry.elements.ring_radius_mm != m.ring_radius_mm)
        ringed = (rings[stepped[0]].geometry.elements.ring_radius_mm, m.ring_radius_mm,
                  tuple(stepped)) if stepped else None
        return _Body(tuple(boxes), tuple(overflowed), placement.declared_space, fit.steps, placement.spacing_used,
                     tuple(sorted(frames.widened)), placement.room, room_choices, placement.block_gap,
                     placement.floor if placement.floor is not None or not placement.released else placement.block_gap,
                     ringed, tuple(n for n in order if n in frames.padded),
                     not layout.geometry.elements.figure_box_step and m.figure_box_step)

    @staticmethod
    def _shorten(over: float, page_over: float, body: float) -> str:
        """How much text to take out: the frame's overflow, or (when frames below it are pushed off the page
        too) the page's, in mm and in lines of body, rounded up."""
        need = max(over, page_over)
        text = f"shorten the texts named by {need / MM:.1f} mm (about {math.ceil(need / body - 1e-6)} line(s) of body"
        if need > over + 0.5:
            text += f": its own {over / MM:.1f} mm and the frames below it that it pushes off the page"
        return text + ")"

    def _room(self, order: list, template, blocks: dict, room: float) -> str:
        """What a designer may do with height no step and no declared space takes (never stretch a box): the
        typography report gives it with the page's underfull foot."""
        frames = template.frames
        anchored = [n for n in order if frames[n].anchor == "foot" and blocks.get(n)]
        last = next((n for n in reversed(order) if blocks.get(n)), None)
        where = anchored[0] if anchored else last
        choices = [f"a picture frame of about {room / MM:.0f} mm (an image: element with height_mm) near '{where}'",
                   "a larger step of the figure scale for the page's stats (template styles:)",
                   "frames side by side instead of stacked, or on a reading measure (templates.yaml)"]
        if not anchored and last is not None:
            choices.append(f"a block anchored to the foot (anchor: foot on frame '{last}')")
        return "; ".join(choices)

    def _growth(self, page: Page, order: list, filled: dict, blocks: dict, overflowing: str) -> str:
        """Which frames made the page too full: against the last good build when there is one, else the
        tallest frames; each with its height and its place in the YAML."""
        previous = self.previous_heights
        named = []
        for n in order:
            block = blocks.get(n)
            if block is None:
                continue
            used = filled[n][2]
            before = previous.get((page.number, n))
            if before is not None and used > before + 0.5:
                named.append((used - before, f"'{n}' grew {(used - before) / MM:.1f} mm ({block.ref})"))
        if named:
            named.sort(key=lambda g: -g[0])
            return "Against the last good build, " + "; ".join(text for _, text in named[:4])
        if previous:
            return f"No frame grew against the last good build: '{overflowing}' itself is too long"
        tallest = sorted((n for n in order if blocks.get(n)), key=lambda n: -filled[n][2])[:3]
        return "The tallest frames: " + "; ".join(f"'{n}' {filled[n][2] / MM:.1f} mm ({blocks[n].ref})"
                                                  for n in tallest)


class _PageFrames:
    """A page's frames while PageLayouter.body tries its remedies, in turn: what each frame is set with (the copyfit
    steps `fit`; the frames `widened` or `padded` less on a page too full; other layouts in `rings`: a ring's step,
    rows opened; the depth of its opening heading in a row of frames; the cells its content chose) and each frame as
    last filled (`filled`: x, width, used, items; `started`: where its rows start; `holes`). fill() fills a frame
    again, realign() levels the rows of every align_rows group, attempt() tries a remedy and undoes it where the page
    does not hold it; too_full() is what most remedies ask."""

    def __init__(self, layouter: PageLayouter, ctx: FrameContext, page: Page, template, blocks: dict, leads: dict,
                 body_top: float, body_bottom: float):
        self.layouter, self.ctx, self.page, self.template = layouter, ctx, page, template
        self.blocks, self.leads = blocks, leads  # frame -> its block; frame -> the paragraph leading its first row
        self.body_top, self.body_bottom = body_top, body_bottom
        self.layout = layouter.layout  # (another where a stat's figure gives back its box's step: letters_step)
        self.m = self.layout.geometry.elements  # the page's own elements, whatever step a remedy takes
        frames = template.frames
        # the rows of each frame that are headings over a list (align_rows starts a row of them on one line and
        # levels no row under it: each list one step under its own heading, fill.py)
        self.heads = {n: {k: e.ref.yaml_path for k, e in enumerate(b.elements) if isinstance(e, Heading)
                          and k + 1 < len(b.elements) and isinstance(b.elements[k + 1], BulletList)}
                      for n, b in blocks.items()
                      if frames.get(n) is not None and frames[n].align_rows and frames[n].cells == 1}
        # the rows of each frame of a row group that are codes (align_rows always levels them: designer's reviews 21
        # and 23, item 5)
        self.codes = {n: {k for k, e in enumerate(b.elements) if isinstance(e, QrCode)} for n, b in blocks.items()
                      if frames.get(n) is not None and frames[n].align_rows}
        # the ranks of each frame's rankings, and those whose titles share one indent in a column of their own
        # (elements.rank_column): a frame of cells' are its own, the page's frames of one cell's are one group
        self.ranks = {n: ranks for n, b in blocks.items() if frames.get(n) is not None
                      and (ranks := tuple(e.rank for e in b.elements if isinstance(e, Ranking)))}
        self.column_ranks = tuple(r for n, ranks in self.ranks.items() if frames[n].cells == 1 for r in ranks)
        self.order = frame_order(page, template, layouter.diags)
        self.widened: set = set()  # frames set at their wide_span (wide_cell_spans) because the page was too full
        self.padded: set = set()  # panels padded at the least of panel_padding_range_mm because the page was too full
        self.least_pad = self.m.panel_padding_range_mm[0]
        self.gap_limit = self.layout.geometry.typography.max_panel_gap_mm * MM  # no card opens a hole past it in its panel
        self.rings: dict = {}  # frame -> the layout it is set with instead of the page's (a ring's step, rows opened)
        self.filled: dict = {}
        self.started: dict = {}
        self.holes: dict = {}  # frame -> its rows' holes (fill_frame): the report's max_row_hole_mm
        # frame -> the (English, Chinese) lines its opening sub-heading stands as deep as in its row of frames (its
        # row's deepest, align_rows): the same room under the shorter as in a row of cells (FrameContext.head_lines)
        self.head_depth: dict = {}
        self.chosen: dict = {}  # frame -> the cell_spans its content chose (cell_spans_by)
        self.why: dict = {}  # frame -> what the page's columns would cost its row, where it keeps others
        self.lifted: dict = {}  # frame -> how far hung() lifted its highest cell (its box reaches up by as much)
        self.structure = True  # the rows choose their columns preferring the page's other rows' (one structure)
        self.seen: dict = {}  # frame -> (the columns it chose its spans on, those spans, their cost): choose_spans
        self.fit = self.first_fit = Copyfit({})  # (first_fill's, then each remedy's)
        self.measured: dict = {}  # what each frame's items as filled measure, for every placement (place_frames)
        self.placed: tuple | None = None  # (fills then, relax, foot_pt, the placement, what it said): trial()'s last
        self.fills = 0  # frames filled so far: what too_full() found holds until the next fill
        self.judged: tuple[int, bool] = (-1, False)  # (fills then, too full?)

    @property
    def diags(self) -> Diagnostics:
        return self.layouter.diags

    def copy(self, layouter, ctx, body_bottom: float) -> _PageFrames:
        """These frames as they stand, for `layouter` in `ctx` over another foot: what a remedy changes copied,
        what it judged or placed forgotten (it was over another foot). (Kept in the page's fills, which the layouter
        and the context hold, with neither: a build process collects no cycle.)"""
        made = object.__new__(_PageFrames)
        made.__dict__.update(self.__dict__)
        made.layouter, made.ctx, made.body_bottom = layouter, ctx, body_bottom
        for name in ("blocks", "rings", "filled", "started", "holes", "head_depth", "chosen", "why", "seen", "lifted"):
            setattr(made, name, dict(getattr(self, name)))
        made.widened, made.padded = set(self.widened), set(self.padded)
        made.judged, made.placed = (-1, False), None
        return made

    @staticmethod
    def crowded_frame(frame):  # a frame at its composition for a page too full (crowded_*)
        return replace(frame, col=frame.crowded_col or frame.col, span=frame.crowded_span,
                       cells=frame.crowded_cells or frame.cells,
                       cell_spans=frame.crowded_cell_spans or (None if frame.crowded_cells else frame.cell_spans))

    def fitting(self):  # the template as copyfit measures it: the frames set at their wider cells (and padding) so
        widened, least_pad = self.widened, self.least_pad
        frames = {n: replace(f, padding_mm=least_pad) if n in self.padded else f
                  for n, f in self.template.frames.items()}
        return replace(self.template, frames={n: self.crowded_frame(f) if n in widened and f.crowded_span else
                                              replace(f, cell_spans=f.wide_cell_spans) if n in widened
                                              and f.wide_cell_spans else f for n, f in frames.items()})

    def charted(self) -> list:  # the frames of the page with a ring chart
        return [n for n in self.order if self.blocks.get(n) and self.template.frames[n].chart == "ring"
                and any(isinstance(e, Breakdown) for e in self.blocks[n].elements)]

    # -- filling -------------------------------------------------------------------------------------------
    def fill(self, name: str, row_tops: list | None = None, diags: Diagnostics | None = None) -> None:
        """(Re-)fill a frame into `filled` and `started`; `diags` a quiet one for a re-fill whose
        content was reported on its first fill."""
        self.fills += 1
        template, widened, blocks, layout = self.template, self.widened, self.blocks, self.layout
        frame = template.frames[name]
        if name in widened and frame.crowded_span:
            frame = self.crowded_frame(frame)
        span = (frame.wide_span or frame.span) if name in widened else frame.span
        x, w = layout.column_x_pt(frame.col, span)
        block = blocks.get(name)
        # the figures its stats print, and those of the frames it stands under (a section's lead figure over
        # its chart and what stands beside it) and of the frames beside it (under the same frames: a section's
        # lead figure at the top of the column beside its chart): a chart whose total they print needs no
        # caption of its own
        beside = [n for n, f in template.frames.items() if n != name and frame.below and f.below == frame.below]
        over = [blocks[b] for b in (*(frame.below or ()), *beside) if blocks.get(b)]
        printed = {e.figure: e.ref for one in ([block] if block else []) + over for e in one.elements
                   if isinstance(e, Stat)}
        frame_ctx = self.ctx.but(frame=name, diags=diags or self.diags, fitted=self.fit.of(name),
                                 layout=self.rings.get(name, layout), printed=printed,
                                 head_lines=self.head_depth.get(name),
                                 substitutes={**_on_panel(layout, frame), **(template.styles or {}),
                                              **(frame.styles or {})})
        frame_items: list = []
        if name in self.padded:  # a page too full: its panel at the least padding the layout allows
            frame = replace(frame, padding_mm=self.least_pad)
        if name in widened and frame.wide_cells:  # recomposed: its blocks side by side on the wider span
            frame = replace(frame, cells=frame.wide_cells, beside_mm=None)
        if name in widened and frame.wide_cell_spans:  # its deep cell wider, on a page too full
            frame = replace(frame, cell_spans=frame.wide_cell_spans)
        elif name in self.chosen:  # its cells' columns chosen by their content (cell_spans_by)
            frame = replace(frame, cell_spans=self.chosen[name])
        if name in self.ranks:  # its rankings' rank column: its group's widest rank and the gap before the words
            frame_ctx = frame_ctx.but(rank_column_pt=rank_column(
                frame_ctx, self.ranks[name] if frame.cells > 1 else self.column_ranks))
        self.holes[name] = []
        used, self.started[name] = (fill_frame(frame_ctx, frame, block.elements, x, 0.0, w, frame_items, row_tops,
                                               self.holes[name], self.leads.get(name)) if block else (0.0, []))
        if block and frame.monolingual == "keep-height" and self.layouter.languages != BOTH:
            # The layout asks this frame to hold its bilingual height in a single-language variant.
            used = max(used, fill_frame(frame_ctx.but(languages=BOTH), frame, block.elements, x, 0.0, w, [],
                                        row_tops)[0])
        # A frame is at least as tall as the lines it draws (a chart's table reports its last row's baseline
        # and not its descent): a frame anchored to the foot then keeps every line inside the body.
        used = max([used] + [i.baseline_pt + i.line.descent_pt for i in frame_items if isinstance(i, TextLine)])
        self.filled[name] = (x, w, used, frame_items)

    def refill(self, name: str, row_tops: list) -> None:  # (a row levelled: what its content says was said)
        self.fill(name, row_tops, Diagnostics())

    def realign(self) -> None:  # the rows of every align_rows group levelled again (fill.align_rows)
        align_rows(self.template, self.refill, self.started, self.filled, self.gap_limit, self.heads, self.codes)

    def refit(self, names, level: bool = True) -> None:
        """The frames `names` filled again (quietly: their content was reported on its first fill) and, unless
        not `level`, the rows realigned."""
        for name in names:
            self.fill(name, diags=Diagnostics())
        if level:
            self.realign()

    def attempt(self, change, undo, names, keep=None, level: bool = True) -> bool:
        """A remedy tried: `change` made, the frames `names` re-filled (and realigned, refit); kept where the page
        then holds (`keep`, else: no longer too full), else `undo` made and the frames re-filled as they were.
        Whether it was kept."""
        change()
        self.refit(names, level=level)
        if keep() if keep is not None else not self.too_full():
            return True
        undo()
        self.refit(names, level=level)
        return False

    def trial(self, relax: bool = False, foot_pt: float = 0.0, judge: bool = False):
        """The frames placed as filled, reported nowhere (placement.place_frames; `judge`: only whether they overflow
        or leave the grid, which the whole placement of the same fills also says). The last whole placement is kept
        (`placed`, with what it said) until a frame is filled again: asked again, or by the page's own placement
        (PageLayouter._placed), it is not placed again."""
        last = self.placed
        if last is not None and last[0] == self.fills and last[1] == relax and (judge or last[2] == foot_pt):
            return last[3]
        page = self.page
        said = Diagnostics()
        made = place_frames(self.layout, self.template, self.order, self.filled, self.body_top, self.body_bottom,
                            page.ref, page.number, said, relax=relax, foot_pt=foot_pt, judge=judge,
                            measured=self.measured)
        if not judge:
            self.placed = (self.fills, relax, foot_pt, made, tuple(said.items))
        return made

    def placement(self, relax: bool, foot_pt: float):
        """The frames placed as last filled, what that says reported (PageLayouter._placed): the last whole trial
        when nothing was filled since and it was asked alike (open_rows' last turn), else placed."""
        last = self.placed
        if last is not None and last[0] == self.fills and last[1] == relax and last[2] == foot_pt:
            self.diags.items.extend(last[4])
            return last[3]
        page = self.page
        return place_frames(self.layout, self.template, self.order, self.filled, self.body_top, self.body_bottom,
                            page.ref, page.number, self.diags, relax=relax, foot_pt=foot_pt, measured=self.measured)

    def overflows(self, trial) -> bool:  # overflows, or fits only with its frames off the baseline grid
        return overflows(self.template, self.order, self.filled, trial.tops, self.body_bottom) or trial.off_grid

    def too_full(self) -> bool:  # (asked again with no frame filled since: not placed again)
        if self.judged[0] != self.fills:
            self.judged = (self.fills, self.overflows(self.trial(judge=True)))
        return self.judged[1]

    def layouts_taken(self, taken: dict, keep=None) -> bool:  # frames set with these layouts (rings), if the page holds
        rings = self.rings
        kept = dict(rings)

        def undo() -> None:
            rings.clear()
            rings.update(kept)
        return self.attempt(lambda: rings.update(taken), undo, list(taken), keep)

    def take_fit(self, taken) -> None:  # the copyfit steps the page's frames are filled with
        self.fit = taken

    def steps_taken(self, further: dict) -> bool:  # the page's figures at these steps past their own, if it holds them
        kept = self.fit
        return self.attempt(lambda: self.take_fit(copyfit(self.ctx, self.page, self.fitting(), self.blocks, further)),
                            lambda: self.take_fit(kept), self.order)

    # -- the first fill ------------------------------------------------------------------------------------
    def first_fill(self) -> None:
        """The figures' copyfit steps (a figure too wide for its cell even at its smallest step: the frames that may set
        their cells wider, wide_cell_spans, take them before it is an error), the cells chosen by their content
        (cell_spans_by), then every frame filled, its content reported."""
        ctx, page, template, blocks = self.ctx, self.page, self.template, self.blocks
        quiet = Diagnostics()
        fit = copyfit(ctx.but(diags=quiet), page, template, blocks)
        if any(d.code == "copyfit" for d in quiet.items):
            self.widened.update(n for n, f in template.frames.items() if f.wide_cell_spans and blocks.get(n))
        if self.widened:
            self.fit = copyfit(ctx, page, self.fitting(), blocks)
        else:  # (nothing widened: fitting() is the template, and its steps and what they said are those above)
            self.fit = fit
            ctx.diags.items.extend(quiet.items)
        # A row whose template fixes its cells, where a word of this copy is wider than its cell, follows its content
        # on this page (as cell_spans_by: depth, the page's columns first): a next edition's longer word takes a
        # wider cell, never an overfull line that stops the build (the generated 200-page edition's 'computateonal').
        for name in self.order:
            frame = template.frames[name]
            if frame.cell_spans_by or frame.cells < 2 or not frame.cell_spans or not blocks.get(name):
                continue
            self.fill(name, diags=Diagnostics())
            if any(isinstance(i, TextLine) and i.line.overfull for i in self.filled[name][3]):
                template = self.template = replace(template, frames={
                    **template.frames, name: replace(frame, cell_spans_by="depth")})
        # The rows whose cells follow their content choose their columns, each preferring the grid columns the
        # page's other rows start on (one column structure a page, issue 22 round 12a); a row that moved changes
        # what the others prefer, so they choose again until none moves (a few rounds at most).
        choosing = [n for n in self.order if template.frames[n].cell_spans_by and template.frames[n].cells > 1
                    and blocks.get(n)]
        for _ in range(3):
            before = dict(self.chosen)
            for name in choosing:
                self.choose_spans(name)
            if self.chosen == before:
                break
        for name in self.order:
            self.fill(name)

    def other_columns(self, name: str) -> set[int]:
        """The grid columns the page's other frames with content start on (their cells' and tiles')."""
        return {c for n in self.order if n != name and self.blocks.get(n) for c in self.starts(n)}

    def choose_spans(self, name: str) -> None:
        """The columns of a row whose cells follow its content (cell_spans_by), chosen with the grid columns the
        page's other frames start on as they are set now."""
        ctx, template, blocks = self.ctx, self.template, self.blocks
        frame = template.frames[name]
        # (each row as it would alone, the page's other columns unweighed, on a page too full on them: own_columns)
        columns = self.other_columns(name) if self.structure else set()
        seen = (frozenset(columns), self.structure)
        if self.seen.get(name, (None,))[0] == seen:  # (chosen before on these columns: the same again)
            _, spans, why_text = self.seen[name]
            self.chosen.pop(name, None)
            if spans is not None:
                self.chosen[name] = spans
            self.why[name] = why_text
            return
        self.chosen.pop(name, None)
        if frame.cell_spans_by == "depth":
            def trial(spans, name=name):  # (its content said what it says on the first fill)
                self.chosen[name] = spans
                self.fill(name, diags=Diagnostics())
                return self.filled[name][0], self.filled[name][1], self.filled[name][3]
            why: list = []
            spans = level_cell_spans(ctx, frame, blocks[name].elements, trial, columns,
                                     why if self.structure else None)
            self.chosen.pop(name, None)
            self.why[name] = why[0] if why else ""
        else:
            self.fill(name, diags=Diagnostics())
            why = []
            spans = choose_cell_spans(ctx, frame, self.filled[name], columns, why if self.structure else None)
            self.why[name] = why[0] if why else ""
        if spans is not None:
            self.chosen[name] = spans
        self.seen[name] = (seen, spans, self.why[name])

    def hung(self, name: str, items: list) -> list:
        """A row of cells directly under a row of cells (`below` the one frame), each of its cells on the columns of
        cells above it and no two of them figures (the figures of a row stay level: page 2's), drawn with each cell
        hanging from the cells over it, a grid step at a time, not from the row's lowest (designer's review 21,
        item 3: page 1's '20 awards' 12.7 mm under 香港唯一一所大學, level with the code beside it, which stands
        under the deeper cells; edition-b 17.3 mm): its items lifted by the paper between those cells' ink and the
        lowest ink of the row above, once the page is placed (the frame's place, and so the page's, unchanged)."""
        self.lifted.pop(name, None)  # (what an earlier drawing of the page lifted)
        frame, block = self.template.frames[name], self.blocks.get(name)
        above = frame.below[0] if frame.below and len(frame.below) == 1 else None
        if block is None or frame.cells < 2 or above is None or above not in self.filled \
                or not self.blocks.get(above) or self.template.frames[above].cells < 2 \
                or sum(isinstance(e, (Stat, Ranking)) for e in block.elements) > 1:
            return items
        layout, grid = self.layout, self.layout.geometry.grid.baseline_pt
        lefts = [layout.column_x_pt(c, 1)[0] for c in range(1, layout.geometry.grid.columns + 1)]

        def edges(n: str) -> list[int]:  # the grid columns its cells start on, and the one after its last
            f = self.template.frames[n]
            return sorted(self.starts(n)) + [f.col + f.span]

        def column_of(item) -> int | None:
            x = getattr(item, "x_pt", getattr(item, "x1_pt", getattr(item, "cx_pt", None)))
            return None if x is None else max((c for c, at in enumerate(lefts, 1) if at <= x + 0.5), default=None)

        over, mine = edges(above), edges(name)
        if mine[0] != over[0] or mine[-1] != over[-1] or not set(mine) <= set(over):
            return items  # (a cell not on the columns of cells above it)
        feet: dict = {}  # a cell above (its first column) -> its lowest ink
        for item in self.filled[above][3]:
            col, span = column_of(item), ink_span(item)
            if col is not None and span is not None:
                start = max(c for c in over[:-1] if c <= col)
                feet[start] = max(feet.get(start, 0.0), span[1])
        if not feet:
            return items
        lowest = max(feet.values())
        lift = {a: math.floor((lowest - max(low for start, low in feet.items() if a <= start < b)) / grid + 1e-6) * grid
                for a, b in itertools.pairwise(mine) if any(a <= start < b for start in feet)}
        if not any(lift.values()):
            return items
        self.lifted[name] = max(lift.values())
        out = []
        for item in items:
            at = column_of(item)
            cell = max((c for c in mine[:-1] if at is not None and c <= at), default=None)
            dy = lift.get(cell, 0.0) if cell is not None else 0.0
            out.append(_shift(item, 0.0, -dy) if dy else item)
        return out

    def fixed_costs(self) -> None:
        """On a page whose rows of cells start on more grid columns than typography.max_column_edges: what the
        page's columns would cost each row its template fixes (no cell_spans_by) standing on one of its own, read
        off its fill (fill.fixed_row_cost), for the report's note."""
        limit = self.layout.geometry.typography.max_column_edges
        if not limit or len({c for n in self.order for c in self.row_columns(n)}) <= limit:
            return
        for name in self.order:
            frame, block = self.template.frames[name], self.blocks.get(name)
            if block is None or frame.cell_spans_by or frame.cells < 2 or name in self.why:
                continue
            columns = self.other_columns(name)
            if name in self.widened:  # (its cells as the template widens them on a page too full at its own)
                if self.starts(name) - columns:
                    self.why[name] = "its wider cells: the page is too full on its own"
                continue
            self.why[name] = fixed_row_cost(self.ctx, frame, block.elements, self.filled[name], columns)

    def starts(self, name: str) -> set[int]:
        """The grid columns the cells of a frame start on, as it is set now (its chosen or wider cells)."""
        frame = self.template.frames[name]
        if name in self.widened and frame.crowded_span:
            frame = self.crowded_frame(frame)
        elif name in self.widened and (frame.wide_span or frame.wide_cells or frame.wide_cell_spans):
            frame = replace(frame, span=frame.wide_span or frame.span, cells=frame.wide_cells or frame.cells,
                            cell_spans=frame.wide_cell_spans if frame.wide_cell_spans else
                            None if frame.wide_cells or frame.wide_span else frame.cell_spans)
        elif name in self.chosen:
            frame = replace(frame, cell_spans=self.chosen[name])
        return cell_starts(frame)

    def row_columns(self, name: str) -> tuple[int, ...]:
        """The grid columns a row of the page starts its cells on (a frame of several cells holding several
        elements: as many of its cells as they fill; a tile of a row of frames, align_rows: its own column), ()
        for a frame that is no row: what one column structure a page counts (typography.max_column_edges)."""
        frame, block = self.template.frames[name], self.blocks.get(name)
        if block is None or not block.elements:
            return ()
        cells = frame.cells
        if name in self.widened and frame.wide_cells:
            cells = frame.wide_cells
        elif name in self.widened and frame.crowded_span:
            cells = frame.crowded_cells or cells
        if cells > 1 and len(block.elements) > 1:
            return tuple(sorted(self.starts(name)))[:len(block.elements)]
        return tuple(sorted(self.starts(name)))[:1] if frame.align_rows and cells == 1 else ()

    def level_heads(self) -> None:
        """A row of frames (an align_rows group) whose sub-headings open them (page 5's tiles, page 1's lists): each
        heading set at its own measure, one that fits on one line on one (designer's review of df673b1, item 1:
        "Knowledge Transfer" broken beside "Arts and / Creativity" when it fit its 41.2 mm); the heading blocks hang
        from one top line and the shorter takes the room of the lines it lacks under its Chinese (head_depth), so that
        what they head starts level (page 1's lists were 5.7 mm apart; the lead's decision after designer reviews 4
        and 5 of main: bottom-aligned, a two-line heading climbed to 4.8 mm under the section rule while its
        one-line neighbours sat 9.8 mm under it). A row of stats keeps its figures level (align_rows) at its deepest
        tile's own stack (heading, lead-in, change), its headings taking no room: "Around" over 800 under a heading of
        two lines stands no deeper than "Arts and / Creativity / 藝術與創意" over 110+ (designer's review of 2824c5b,
        item 2: with the room it stood under a third heading line, 4.9 mm more paper over every figure)."""
        template, blocks, filled = self.template, self.blocks, self.filled
        rows_of: dict = {}
        for name in self.order:
            frame, block = template.frames[name], blocks.get(name)
            if frame.align_rows and block and len(block.elements) > 1 and isinstance(block.elements[0], Heading) \
                    and block.elements[0].level >= 2 and frame.cells == 1:
                rows_of.setdefault(frame.align_rows, []).append(name)
        for names in rows_of.values():  # (each heading's lines counted as its frame set them)
            if all(isinstance(blocks[n].elements[1], Stat) for n in names):
                # Stats under every heading: align_rows levels their figure lines at the deepest cell's own stack
                # (its heading, lead-in and change); the deepest heading's room added to every cell as well would
                # stack one cell's heading on another's lead-in (page 5: 4.9 mm of paper over every figure)
                continue
            lines = {n: [i.lang for i in filled[n][3] if isinstance(i, TextLine) and i.ref == blocks[n].elements[0].ref]
                     for n in names}
            counts = {n: (langs.count("en"), langs.count("zh")) for n, langs in lines.items() if langs}
            most = (max(c[0] for c in counts.values()), max(c[1] for c in counts.values())) if counts else (0, 0)
            self.head_depth.update({n: most for n, c in counts.items() if len(counts) > 1 and c != most})
        self.refit(self.head_depth)

    def hang_codes(self) -> None:
        """A column's closing code stands under the column beside it (code_beside) when that one ends higher and the
        two then end nearer level: two columns of a section of unequal length leave no hole under the shorter."""
        blocks, filled = self.blocks, self.filled

        def code_under(name: str, other: str) -> None:  # (kept where the taller of the two then ends higher)
            block, beside = blocks[name], blocks[other]
            before = max(filled[name][2], filled[other][2])
            moved = {name: replace(block, elements=block.elements[:-1]),
                     other: replace(beside, elements=beside.elements + block.elements[-1:])}
            self.attempt(lambda: blocks.update(moved), lambda: blocks.update({name: block, other: beside}),
                         (name, other), keep=lambda: max(filled[name][2], filled[other][2]) < before - 0.5,
                         level=False)

        for name, frame in self.template.frames.items():
            other = frame.code_beside
            block = blocks.get(name)
            if block and other and blocks.get(other) and len(block.elements) > 1 \
                    and isinstance(block.elements[-1], QrCode):
                code_under(name, other)

    # -- a page too full: the remedies, in the order body() tries them --------------------------------------
    def own_columns(self) -> None:
        """First, a page too full with its rows on its one column structure: the rows whose cells follow their
        content (cell_spans_by) choose again each as it would alone, the page's other columns unweighed (a cell
        narrowed onto the page's columns may take lines more: a long note on two columns), kept where the page
        then holds, before a figure takes a smaller step; the rows that moved say what the structure cost (the
        report's typo-column-edges note)."""
        choosing = [n for n in self.order if self.template.frames[n].cell_spans_by
                    and self.template.frames[n].cells > 1 and self.blocks.get(n)]
        if not choosing or not self.too_full():
            return
        chosen, why = dict(self.chosen), dict(self.why)

        def change() -> None:
            self.structure = False
            for name in choosing:
                self.choose_spans(name)

        def undo() -> None:
            self.structure = True
            self.chosen.clear()
            self.chosen.update(chosen)
            self.why.clear()
            self.why.update(why)
        if self.attempt(change, undo, choosing):
            for name in choosing:
                if self.chosen.get(name) != chosen.get(name):
                    self.why[name] = "on the page's columns the page is too full"

    def crowd(self) -> None:
        """First the frames with a composition for a page too full take it (page 6's roles side by side on eight
        columns, its code on four), before a ring or a figure takes a smaller step."""
        crowded = [n for n in self.order if self.template.frames[n].crowded_span and self.blocks.get(n)]
        if not (crowded and self.too_full()):
            return
        self.widened.update(crowded)
        said = Diagnostics()
        for name in self.order:
            self.fill(name, diags=said if name in crowded else Diagnostics())
        self.realign()
        self.fit = copyfit(self.ctx, self.page, self.fitting(), self.blocks)
        # (what their new composition says that their own did not: a code's caption now short of its measure)
        known = {(d.code, d.source, d.message) for d in self.diags.items}
        self.diags.items.extend(d for d in said.items if (d.code, d.source, d.message) not in known)

    def least_padding(self) -> None:
        """Then its panels padded more than the layout's least (panel_padding_range_mm) close to it, the panel still
        its content and its padding (DESIGN.md: 4-6 mm): paper that is no step of the rhythm, given before a ring, a
        figure or a step (a raised step under the rules takes it on edition-b's page 6)."""
        roomy = [n for n in self.order if self.blocks.get(n) and self.template.frames[n].panel
                 and self.template.frames[n].padding_mm > self.least_pad + 1e-6]
        if roomy and self.too_full():
            self.padded.update(roomy)
            self.refit(roomy)

    def letters_step(self) -> None:
        """Then a stat's figure first under a rule gives back the box's step it takes there (level with a ring beside
        it, items.box_first) before a ring or a figure takes a smaller size: letters' step."""
        m = self.m
        if m.figure_box_step and self.too_full():
            self.layout = replace(self.layout, geometry=replace(self.layout.geometry,
                                                                elements=replace(m, figure_box_step=False)))
            self.refit(self.order)

    def smaller_rings(self) -> None:
        """Then its rings take the next smaller step (every ring of the page one size), so that the figures beside
        them keep their size (a ring is drawn, not type: it gives room in larger steps)."""
        m, charted = self.m, self.charted()
        for radius in m.ring_steps_mm if charted else ():
            if radius >= m.ring_radius_mm or not self.too_full():
                break
            smaller = replace(self.layout, geometry=replace(self.layout.geometry,
                                                            elements=replace(m, ring_radius_mm=radius)))
            self.rings.update(dict.fromkeys(charted, smaller))
            self.refit(charted, level=False)  # (their rows levelled with the figures' steps next)

    def smaller_figures(self) -> None:
        """Then, while the page is too full, a section's figures take their next smaller step together (copyfit),
        one section at a time (the lowest on the page first), the anatomy of its stats unchanged; then the steps it
        took that the page does not need are given back."""
        self.first_fit = self.fit
        self.step_figures()

    def step_figures(self) -> None:  # (smaller_figures, and widen's from the figures' own steps again)
        further: dict = {}  # section -> the steps its figures take past their own
        while self.fit.smaller and self.too_full():
            further[self.fit.smaller[0]] = further.get(self.fit.smaller[0], 0) + 1
            self.take_fit(copyfit(self.ctx, self.page, self.fitting(), self.blocks, further))
            self.refit(self.order)
        for section in sorted(further, key=lambda s: -further[s]) if len(further) > 1 else ():
            # (a section stepped first may fit at its own size once another has stepped: the largest
            # figures the page holds)
            while further.get(section):
                fewer = {**further, section: further[section] - 1}
                if not self.steps_taken(fewer):
                    break
                further = fewer

    def widen(self) -> None:
        """Then, still too full at its smallest steps, the frames that may widen (a measure the design prefers
        narrower: an introduction on 8 columns) take their wider span, and the figures start again from their own
        steps, before the page leaves the grid or overflows."""
        wide = [n for n in self.order if (self.template.frames[n].wide_span or self.template.frames[n].wide_cell_spans)
                and self.blocks.get(n)]
        if wide and self.too_full():
            self.widened.update(wide)
            self.fit = self.first_fit
            self.refit(self.order)
            self.step_figures()

    def unlevel_heads(self) -> None:
        """Still too full: the headings of a row give back the room they take under them so that what they head
        starts level (each heading's own lines, what it heads under it), where that makes the page fit, before its blocks close
        under the rhythm's floor (the longer copy's page 1: its lists level cost 4.9 mm it does not have)."""
        head_depth, page = self.head_depth, self.page
        if not (head_depth and self.too_full()):
            return
        given = dict(head_depth)
        if self.attempt(head_depth.clear, lambda: head_depth.update(given), list(given)):
            self.diags.note("rows-unlevelled", "the page is too full for its rows of headings to level what they "
                            f"head (frames {', '.join(sorted(given))}): each heading takes its own lines, what it "
                            "heads under it", page.ref, page=page.number,
                            hint="shorten the page's copy by a line, or give the deeper heading a shorter text")

    # -- a page with room ------------------------------------------------------------------------------------
    def grow_rings(self) -> None:
        """A page with room gives its rings the next larger step of the declared scale (ring_larger_steps_mm,
        every ring of the page one size, at most ring_larger_share of its column wide), in turn, while the page
        still fits and no ring outgrows a key beside it that is not centred on it: its spare height goes to its
        charts before it is left as paper under them (designer's review of df673b1, item 3: page 3's 60 mm rings
        over 39 and 23 mm of paper); `rings` holds the layouts taken. Not on a page that took a remedy for being
        too full (a frame widened, a ring a step smaller)."""
        template, filled, charted = self.template, self.filled, self.charted()

        def key_level() -> bool:  # a ring beside its key (legend) no taller than the key beside it
            for name in charted:
                key = template.frames[name].legend
                if key in template.frames and name in (template.frames[key].middle_with or ()):
                    continue  # (a key centred on its ring stands level with it, however tall the ring)
                spans = [span for i in filled[key][3] if (span := ink_span(i)) is not None] if key in filled else []
                ring = max((i.outer_pt for i in filled[name][3] if isinstance(i, Ring)), default=0.0)
                if spans and 2 * ring > max(2 * self.m.ring_radius_mm * MM, max(b for _, b in spans)
                                            - min(a for a, _ in spans)) + 0.5:
                    return False
            return True

        drawn = [n for n in charted if any(isinstance(i, Ring) for i in filled[n][3])]  # (not a bar100's)
        if not drawn or self.widened or self.rings or self.too_full():
            return
        layout = self.layout
        m = layout.geometry.elements
        for radius in sorted(r for r in m.ring_larger_steps_mm if r > m.ring_radius_mm):
            larger = replace(layout, geometry=replace(layout.geometry, elements=replace(
                m, ring_radius_mm=radius, ring_max_share=max(m.ring_max_share, m.ring_larger_share))))
            if not self.layouts_taken(dict.fromkeys(drawn, larger), lambda: not self.too_full() and key_level()):
                break

    def relaxed(self) -> bool:
        """The last resort, for a page that overflows with every smaller step taken and every frame widened: the
        paper between its blocks closes under the rhythm's floor (placement's relax; a note says by how much)."""
        return self.too_full() and not self.overflows(self.trial(relax=True, judge=True))

    def open_rows(self, foot_pt: float) -> None:
        """Spare height past the page's larger steps and its declared space (a page with fewer words than it holds
        whose steps are all held: edition-b's page 4 of rankings) opens the rows of its frames, a grid step at a
        time: rows of one section are blocks of it, up to the loose block step; a grid of cards' rows (a frame of
        cells) up to the loose gutter step, the step rows of cards stand apart at (page 6's partners opened to the
        block's 12.5 mm, a 25 mm hole under the shorter card: designer's reviews of ff67c78, item 5, and of 02a15f4,
        item 2). Never a panel's rows: a panel is its content and its padding, its rows at their named step."""
        m, layout, grid = self.m, self.layout, self.layouter.grid
        loose = layout.geometry.loose_spacing_pt or {}
        most = {n: loose.get("gutter" if self.template.frames[n].cells > 1 else "block", 0.0) for n in self.order
                if self.blocks.get(n) and len(self.started.get(n) or ()) > 1 and not self.template.frames[n].panel}
        opened = 0.0
        while most and self.trial(foot_pt=foot_pt).room > 0:
            opened += grid
            rowed = [n for n, limit in most.items() if m.row_gap_mm * MM + opened <= limit + 0.01]
            if not rowed:
                break
            # (one layout for the frames set with one: the same values, made and keyed once)
            made = {id(base): replace(base, geometry=replace(base.geometry, elements=replace(
                    base.geometry.elements, row_gap_mm=m.row_gap_mm + opened / MM)))
                    for base in {id(b): b for b in (self.rings.get(name, layout) for name in rowed)}.values()}
            wider = {name: made[id(self.rings.get(name, layout))] for name in rowed}
            # (kept where the page is not too full: its whole placement says so, and is the next turn's room)
            if not self.layouts_taken(wider, lambda: not self.overflows(self.trial(foot_pt=foot_pt))):
                break

    def level_codes(self) -> None:
        """A column's closing code stands on the row it ends, level with that row of the column beside it (its
        code_beside), where the page has the room: second designer review of 269af3e, item 1: page 4's code at
        117.2 mm under Asia's #15, 4.6 mm over World's #64 beside it."""
        blocks, started = self.blocks, self.started
        for name, frame in self.template.frames.items():
            other, block = frame.code_beside, blocks.get(name)
            if not (other and block and blocks.get(other) and isinstance(block.elements[-1], QrCode)):
                continue
            mine, theirs = list(started.get(name) or ()), list(started.get(other) or ())
            k = len(mine) - 1
            if 0 < k < len(theirs) and theirs[k] > mine[k] + 0.01:
                self.fill(name, [*mine[:k], theirs[k]], Diagnostics())
                if self.too_full():
                    self.fill(name, diags=Diagnostics())


_POSITION = re.compile(r"blocks\[(\d+)\](?:\.elements\[(\d+)\])?")


def _position(item) -> tuple[int, int] | None:
    """(block, element) of the content an item sets, from its role's YAML path; None for an item of no element
    (a panel, a rule, a bar, a swatch)."""
    role = getattr(item, "role", None)
    found = _POSITION.match(role.element) if role is not None and role.element else None
    return (int(found[1]), int(found[2] or 0)) if found else None


def in_content_order(frames: list[list]) -> list:
    """The items of a page's frames, each block's items at its place in the content whatever frame they were set in
    (a code moved under the column beside it, a chart's key in its legend frame, a lead-in over the row it leads,
    the blocks of a frame's alias): the PDF is drawn, read and tagged in the copy's order. A block set in two frames
    reads the frame with its earlier elements first; within a frame a block's items keep the order the frame set
    them in (a row of cells: its English, then its Chinese). Panels first (tints under every ink); an item of no
    element keeps the place of the item it stands with in its frame (the next one, else the one before)."""
    panels = [i for items in frames for i in items if isinstance(i, Box) and i.panel]
    keyed: list = []
    for items in frames:
        rest = [i for i in items if not (isinstance(i, Box) and i.panel)]
        places = [_position(i) for i in rest]
        following = None
        for k in range(len(rest) - 1, -1, -1):  # an unplaced item: the place of the next placed one
            places[k] = following = following if places[k] is None else places[k]
        preceding = None
        for k, place in enumerate(places):  # trailing unplaced items: the place before them
            places[k] = preceding = preceding if place is None else place
        first: dict[int, int] = {}  # block -> its first element in this frame
        for place in places:
            if place is not None:
                first[place[0]] = min(first.get(place[0], place[1]), place[1])
        keyed.extend(((-1, -1) if place is None else (place[0], first[place[0]]), len(keyed), item)
                     for place, item in zip(places, rest))
    return panels + [item for _, _, item in sorted(keyed, key=lambda t: (t[0], t[1]))]


def layout_edition(edition: Edition, layout: Layout, fonts: FontSet | TextSetter,
                   diags: Diagnostics, lang: str | None = None, previous_heights: dict | None = None) -> list[LaidOutPage]:
    """Every page of the edition (in one language if `lang`); pass a TextSetter to reuse its memo across builds,
    and the frame heights of the last good build ((page, frame) -> pt) so that an overflow names what grew."""
    setter = fonts if isinstance(fonts, TextSetter) else TextSetter(fonts, words=frozenset(edition.words))
    layouter = PageLayouter(layout, setter, diags, lang)
    layouter.previous_heights = previous_heights or {}
    return [layouter.layout_page(page, edition) for page in sorted(edition.pages, key=lambda p: p.number)]


def _body_columns(template, page: Page) -> tuple[int, ...]:
    """The grid columns (1-based) where the page's frames and their cells start: the columns the body stands on,
    which its footnotes keep to."""
    if template is None:
        return ()
    written = {block.frame for block in page.blocks}
    starts: set = set()
    for name, frame in template.frames.items():
        if name not in written and not written & set(frame.aliases or ()):
            continue
        starts |= cell_starts(frame)
    return tuple(sorted(starts))


def _on_panel(layout: Layout, frame) -> dict:
    """On a tinted panel each style that has a twin named '<style>-on-panel' in styles.yaml is set in it (the gold
    of a change darkened so that it reads on the tint: DESIGN.md, gold only where it reads)."""
    if not frame.panel:
        return {}
    return {name: f"{name}-on-panel" for name, lang in layout.styles if lang == "en"
            and (f"{name}-on-panel", "en") in layout.styles}
