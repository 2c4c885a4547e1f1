"""Filling a frame: its elements row by row in its cells, each row's anchors level; and aligning the rows
of the frames of one `align_rows` group. Each element is set by its kind's layout function (elements.py).

Each element is set as two bands: the primary band (figures and English) and the secondary band
(Chinese). Elements that share a row of a multi-cell frame align their bands: every primary band starts at
the row's top (a figure at the row's figure line) and, with `bands: shared`, every secondary band at one
baseline below the tallest primary, so the English lines up with the English and the Chinese with the
Chinese across the row. Items are emitted in reading order.
"""
from __future__ import annotations

import atexit
import math
import os
import re
import sys
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import fields, replace

from ..content import Callout, Heading, Image, Paragraph, Partner, Stat
from ..diagnostics import Diagnostics
from ..layout_spec import MM, ElementMeasures, FrameSpec, PageGeometry
from ..text import is_runt
from .elements import head_lines, lay_out
from .items import Picture, Rule, TextLine, _Piece, box_first, empty_bands, ink_span, past_measure, rule_step
from .stacking import FrameContext

# Reading text set side by side on one row shares one size (designer's final review, item 7: page 8's introduction
# at the body's 8.5 pt beside its card's 8 pt): a paragraph in a row with cards is set in the cards' text style, a
# paragraph leading into a row of figures (`led_by`) in the lead-in style of the row's own lead-ins.
CARD_TEXT = {Callout: "callout-text", Partner: "partner-text"}
LEAD_TEXT = "stat-lead"


def as_beside(ctx: FrameContext, style: str) -> FrameContext:
    """The context a paragraph is set in beside text of `style`: its body style set as that one (on a panel, that
    one's own substitute)."""
    return ctx.but(substitutes={**ctx.substitutes, "body": ctx.substitutes.get(style, style)})


def cell_boxes(frame: FrameSpec, width: float, gutter: float) -> list[tuple[float, float]]:
    """Where each cell of a row of `frame` starts (from the frame's left edge) and how wide it is, `width` the
    frame's measure: equal cells, or `cell_spans` grid columns each (their gutters included). A padded frame (a
    panel) of several cells insets each cell by its padding on both sides from the grid columns it stands on
    (designer's review of main, item 4: the padding on every side of the panel, every cell's text the same inset
    from its own columns; before, the padding was taken off the frame's edges only, so its first cell's text
    stood 4 mm in and the others on the grid or off it)."""
    pad = frame.padding_mm * MM
    spans = list(frame.cell_spans or ())
    if not spans and frame.cells > 1 and frame.span % frame.cells == 0:
        spans = [frame.span // frame.cells] * frame.cells
    if pad and frame.cells > 1 and spans:
        n = sum(spans)
        column = (width - (n - 1) * gutter) / n
        boxes, left = [], 0.0
        for k in spans:
            grid = k * column + (k - 1) * gutter
            boxes.append((left + pad, grid - 2 * pad))
            left += grid + gutter
        return boxes
    inner = width - 2 * pad
    if not frame.cell_spans:
        widths = [(inner - (frame.cells - 1) * gutter) / frame.cells] * frame.cells
    else:
        n = sum(frame.cell_spans)
        column = (inner - (n - 1) * gutter) / n
        widths = [k * column + (k - 1) * gutter for k in frame.cell_spans]
    return [(pad + sum(widths[:c]) + c * gutter, w) for c, w in enumerate(widths)]


def fewer_cells(frame: FrameSpec, count: int) -> FrameSpec:
    """The frame as it sets `count` elements: a frame whose cells follow its content (`cell_spans_by: depth`) given
    fewer elements than its cells (an edition that composes a row of two where the template's row holds three) sets
    them on one row of as many cells, equal ones first, their columns then chosen as the full row's are
    (level_cell_spans: page 2's income figure on 1-8 beside the Engagement Day on the rankings' 9-12, designer's
    review 23, item 1; its cell_spans name a row of its full count); else the frame as the template gives it (a lone table in a frame of two cells keeps its half). (Designer's review of
    357772a, item 1: page 2's income figure, with nothing under it, composed beside the Engagement Day, a cell of
    its depth, and the licences with the events and the inventions: the template's rows take either composition.)"""
    if not 0 < count < frame.cells or frame.span % count or frame.cell_spans_by != "depth" \
            or frame.wide_cells or frame.wide_cell_spans or frame.crowded_cells or frame.crowded_cell_spans:
        return frame
    return replace(frame, cells=count, cell_spans=None)


def cell_widths(frame: FrameSpec, width: float, gutter: float) -> list[float]:
    """The width of each cell of a row of `frame`, `width` its measure (cell_boxes)."""
    return [w for _, w in cell_boxes(frame, width, gutter)]


class FillMemo:
    """The frame fills made while one page is laid out, by everything a fill reads (fill_frame's arguments and its
    context, the layout and text setter by identity, the rest by value; not where its diagnostics go): the result,
    the items and holes it appended and what it said. A page fills a frame again with the same inputs many times
    (the footnotes on each language's leading and on one grid, the quiet trial before the body, a remedy tried and
    undone); a fill is a function of those inputs, so it is taken. The elements a fill sets are kept alike
    (`laid`: each element at a width, by the same inputs, the layout by what an element's setting reads of it, every
    field but FILL_ONLY, which only fill_frame and placement read): a frame filled again on other row tops, a row
    gap opened (engine.open_rows), a figure's box step given back (letters_step) or cells on other columns (a row's
    spans chosen by depth) sets only what is new. Emptied when
    a fill for another page or setter is asked (a PageLayouter lays out page after page); the layouts a page's
    trials take (a ring's step, rows opened) are kept while it is laid out. FILL_COUNTS counts, per page number, the
    fills asked for and those made, in this process (HIGHLIGHT_FILL_COUNTS=1 prints them at exit, on stderr)."""

    def __init__(self):
        self.made: dict = {}
        self.scope: tuple = ()
        self.keep: dict = {}  # id -> the setter, layouts, frames and elements whose identity keys hold (kept alive)
        self.layouts: dict = {}  # id(layout) -> (its identity key for a fill, its key for an element's setting)
        self.frames: dict = {}  # id(frame) -> its fields as a key (a frame's key made once while the page is laid out)
        self.settings: dict = {}  # an element's setting's key (setting()), kept as one object with its hash

    def key(self, ctx: FrameContext, frame: FrameSpec, elements, x, top, width, row_tops, holes: bool, lead):
        """The key of a frame fill (unhashable, and so made every time, where a field is); counted in FILL_COUNTS.
        The elements and the lead by identity (kept), the frame by value."""
        self._layout(ctx)  # (the page's scope)
        keep = self.keep
        keep[id(elements)] = elements
        if lead is not None:
            keep[id(lead)] = lead
        key = self._key(ctx, ("fill", self._frame(frame), tuple(map(id, elements)), x, top, width,
                              None if row_tops is None else tuple(row_tops), holes, id(lead)))
        counts = FILL_COUNTS.get(ctx.page)
        if counts is None:
            counts = FILL_COUNTS[ctx.page] = [0, 0]
            if len(FILL_COUNTS) == 1 and os.environ.get("HIGHLIGHT_FILL_COUNTS"):
                atexit.register(_print_fill_counts)
        counts[0] += 1
        return key

    def _frame(self, frame: FrameSpec) -> tuple:
        """A frame's fields as a key (by value), made once for each frame object while the page is laid out."""
        known = self.frames.get(id(frame))
        if known is None:
            known = (type(frame), tuple(_frozen(getattr(frame, name)) for name in _FRAME_FIELDS))
            try:  # (its hash made once: the frame's refs were hashed again in every key that holds it)
                known = _Hashed(known)
            except TypeError:  # (something unhashable: the key is too, and the fill made every time)
                pass
            self.frames[id(frame)] = known
            self.keep[id(frame)] = frame
        return known

    def _layout(self, ctx: FrameContext) -> tuple:
        """(the layout's identity, what an element's setting reads of it): the second the same for layouts that
        differ in FILL_ONLY alone (engine.open_rows' and letters_step's trials), each sub-object by identity
        (dataclasses.replace keeps those it is not given), the element measures but FILL_ONLY by value."""
        layout = ctx.layout
        scope = (id(ctx.setter), ctx.page)
        if scope != self.scope:
            self.made, self.scope, self.keep = {}, scope, {id(ctx.setter): ctx.setter}
            self.layouts, self.frames, self.settings = {}, {}, {}
        known = self.layouts.get(id(layout))
        if known is None:
            g = layout.geometry
            read = (id(layout.colours), id(layout.styles), id(layout.templates), id(layout.copyfit_steps),
                    tuple(id(getattr(g, name)) for name in _GEOMETRY_FIELDS),
                    tuple(getattr(g.elements, name) for name in _ELEMENT_FIELDS))
            known = self.layouts[id(layout)] = (("layout", id(layout)), read)
            self.keep[id(layout)] = layout
        return known

    def _key(self, ctx: FrameContext, parts: tuple):
        key = self._layout(ctx)[0], tuple(_frozen(getattr(ctx, name)) for name in _CONTEXT_FIELDS), parts
        try:  # (hashed once for its look-up and its entry)
            return _Hashed(key)
        except TypeError:  # (something unhashable: made every time, get and put say so)
            return key

    def setting(self, ctx: FrameContext, frame: FrameSpec):
        """The part of an element's key (laid) that its context and frame make: what its setting reads of the
        layout, the context's other fields and the frame's, by value; one object for each, its hash made once (None:
        something unhashable)."""
        key = (self._layout(ctx)[1], tuple(_frozen(getattr(ctx, name)) for name in _CONTEXT_FIELDS), self._frame(frame))
        try:
            known = self.settings.get(key)
            if known is None:
                known = self.settings[key] = _Hashed(("laid", *key))
            return known
        except TypeError:  # (something unhashable: set every time)
            return None

    def laid(self, setting, ctx: FrameContext, element, width: float, frame: FrameSpec, column_w: float):
        """reading_measure(ctx, element, width, frame, column_w), taken when `setting` (ctx and frame: setting())
        asked for it at this width before: a copy of its piece (fill_frame moves a piece's anchor), what it said
        said again."""
        if setting is None:
            return reading_measure(ctx, element, width, frame, column_w)
        key = (setting, id(element), width, column_w)
        made = self.made.get(key)
        if made is None:
            said = Diagnostics()
            piece, at = reading_measure(ctx.but(diags=said), element, width, frame, column_w)
            made = self.made[key] = (piece, at, tuple(said.items))
            self.keep[id(element)] = element
        piece, at, said_items = made
        ctx.diags.items.extend(said_items)
        return _copied(piece), at

    def get(self, key):
        try:
            return self.made.get(key)
        except TypeError:  # (something unhashable: made every time)
            return None

    def put(self, key, made: tuple) -> tuple:
        FILL_COUNTS[self.scope[1]][1] += 1
        try:
            self.made[key] = made
        except TypeError:
            pass
        return made

    def taken(self, ctx: FrameContext, parts: tuple, make):
        """make(ctx) the first time this context (but where its diagnostics go) and `parts` ask, its value and what
        it said taken after that (a page's footnotes, set for each trial of the page's body: furniture.footnotes);
        `parts` hold what else it reads, each hashable (an object by identity: its id, the object kept in `parts`
        too would be hashed by value)."""
        key = self._key(ctx, parts)
        made = self.get(key)
        if made is None:
            said = Diagnostics()
            made = (make(ctx.but(diags=said)), tuple(said.items))
            try:
                self.made[key] = made
            except TypeError:
                pass
        ctx.diags.items.extend(made[1])
        return made[0]


class _Hashed(tuple):
    """A tuple whose hash is made once (a key part that many keys hold: each lookup hashes every key)."""

    hashed: int

    def __new__(cls, parts: tuple):
        made = super().__new__(cls, parts)
        made.hashed = tuple.__hash__(made)
        return made

    def __hash__(self) -> int:
        return self.hashed


def _copied(piece: _Piece) -> _Piece:
    """A copy of a piece, its bands new lists of the same (frozen) items."""
    made = object.__new__(_Piece)
    made.__dict__.update(piece.__dict__)
    made.primary, made.secondary = list(piece.primary), list(piece.secondary)
    return made


FILL_COUNTS: dict = {}  # page number -> [frame fills asked for, fills made] in this process (FillMemo)


def _print_fill_counts() -> None:
    asked, made = (sum(c[k] for c in FILL_COUNTS.values()) for k in (0, 1))
    print(f"frame fills: {asked} asked for, {made} made ({asked - made} taken from the page's fills); per page "
          "(asked/made): " + " ".join(f"{p}:{a}/{m}" for p, (a, m) in sorted(FILL_COUNTS.items())), file=sys.stderr)


# FrameContext's fields a fill reads (all but where its diagnostics go and the memo itself), the layout and the
# setter by identity (the scope) and the rest by value
_CONTEXT_FIELDS = tuple(f.name for f in fields(FrameContext) if f.name not in ("diags", "fills", "layout", "setter"))


_FRAME_FIELDS = tuple(f.name for f in fields(FrameSpec))  # (its refs too: what a diagnostic names)

# What an element's setting reads of the layout's geometry: every field (by identity) but the element measures, and
# of those every one (by value) but those only fill_frame and placement read: the row gap (between a frame's rows)
# and whether a figure first under a rule takes a box's step (items.box_first: engine.letters_step gives it back).
# No element's setting reads them (tests/test_setting_work.py).
FILL_ONLY = ("row_gap_mm", "figure_box_step")
_GEOMETRY_FIELDS = tuple(f.name for f in fields(PageGeometry) if f.name != "elements")
_ELEMENT_FIELDS = tuple(f.name for f in fields(ElementMeasures) if f.name not in FILL_ONLY)


_PLAIN = frozenset({str, int, float, bool, type(None), tuple, frozenset})  # (asked first: most fields are these)


def _frozen(value):
    """`value` as a key: a mapping as its items in order (a frame's styles, a context's substitutions)."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Mapping):
        return (Mapping, tuple((k, _frozen(v)) for k, v in value.items()))
    return value


def fill_frame(ctx: FrameContext, frame: FrameSpec, elements, x: float, top: float, width: float,
               out: list, row_tops: list | None = None, holes: list | None = None,
               lead=None) -> tuple[float, list]:
    """Place elements row by row in `cells` columns, no row's anchor (a stat's figure, else its top)
    above its entry in `row_tops`; append their items to `out`; return the height used and where each
    row's anchor stands. The rows keep their named step (row_gap_mm): a frame never spaces its rows out
    to fill a page (vertical justification in a box). For each row of more than one cell, `holes` gets
    the paper under its shortest cell down to its tallest cell's foot and that cell's element.

    `lead`, a paragraph that leads into the first row (the template's `led_by`: "HKUST has created/incubated"
    over 1,747 / 9 / 13), stands over the row's first cells that have no lead-in of their own (stats without
    one; the whole row if none), across their columns, its last line on the row's lead-ins' last line: directly
    above the figures it leads into, the row's figures level (designer's review of round 4, item 1: set above
    the frame it floated 16.6 mm over its figures, as the fourth cell's own lead-in ran three lines)."""
    memo = ctx.fills
    if not isinstance(memo, FillMemo):
        return _fill_frame(ctx, frame, elements, x, top, width, out, row_tops, holes, lead)
    key = memo.key(ctx, frame, elements, x, top, width, row_tops, holes is not None, lead)
    made = memo.get(key)
    if made is None:  # filled, what it says and appends recorded, to be said and appended again when taken
        said = Diagnostics()
        items: list = []
        its_holes: list | None = [] if holes is not None else None
        used, started = _fill_frame(ctx.but(diags=said), frame, elements, x, top, width, items, row_tops, its_holes,
                                    lead)
        made = memo.put(key, (used, tuple(started), tuple(items), its_holes and tuple(its_holes), tuple(said.items)))
    used, started, items, its_holes, said_items = made
    ctx.diags.items.extend(said_items)
    out.extend(items)
    if holes is not None and its_holes:
        holes.extend(its_holes)
    return used, list(started)


def _fill_frame(ctx: FrameContext, frame: FrameSpec, elements, x: float, top: float, width: float,
                out: list, row_tops: list | None = None, holes: list | None = None,
                lead=None) -> tuple[float, list]:
    """fill_frame's work, every time."""
    m = ctx.m
    gutter = ctx.layout.geometry.grid.gutter_mm * MM
    pad = frame.padding_mm * MM
    cells = frame.cells
    boxes = cell_boxes(frame, width, gutter)
    widths = [w for _, w in boxes]
    y = top + pad
    rows = cell_rows(elements, cells)
    rows, row_boxes, marked = _marks_beside(ctx, frame, rows, boxes, gutter)
    started = []
    # The step from a heading's ink (its rule) to the first ink of what it heads, when the layout holds it
    # (fixed_steps: tight): the same under every heading, whether what it heads is in its frame or the next.
    g = ctx.layout.geometry
    held = rule_step(g)
    heading_ink = None  # the lowest ink of the heading row just set
    if frame.measure:  # its elements but headings on a reading measure (a heading's rule keeps the whole span)
        column = (width - 2 * pad + gutter) / frame.span - gutter
        measure = min(widths[0], frame.measure * column + (frame.measure - 1) * gutter)
    # a grid column, by which a reader's measure narrows an element (reading_measure); none for a frame set wider
    # than its template's span (a page too full even at its figures' smallest step: its last resort, wide_span)
    column_w = ctx.layout.column_x_pt(1, 1)[1]
    if width > ctx.layout.column_x_pt(frame.col, frame.span)[1] + 0.5:
        column_w = 0.0
    plain = ctx.but(head_lines=None) if ctx.head_lines else ctx  # (its opening heading's only)
    across = (pad, width - 2 * pad)  # a heading over a frame's cells: its row across them (cell_rows)
    memo = ctx.fills if isinstance(ctx.fills, FillMemo) else None
    settings: dict = {}  # id(context) -> (the context, its part of an element's key in the memo)

    def set_at(e_ctx: FrameContext, e, e_width: float) -> tuple[_Piece, float]:  # (reading_measure, taken from memo)
        if memo is None:
            return reading_measure(e_ctx, e, e_width, frame, column_w)
        known = settings.get(id(e_ctx))
        if known is None:
            known = settings[id(e_ctx)] = (e_ctx, memo.setting(e_ctx, frame))
        return memo.laid(known[1], e_ctx, e, e_width, frame, column_w)

    beside: dict = {}  # a card's text style -> the context a paragraph beside it is set in
    for r, row in enumerate(rows):
        if cells > 1 and len(row) == 1 and isinstance(row[0], Heading):
            boxes, widths = [across], [across[1]]
        else:
            boxes = row_boxes[r]
            widths = [w for _, w in boxes]
        cards = [CARD_TEXT[type(e)] for e in row if type(e) in CARD_TEXT]
        if cards and cards[0] not in beside:
            beside[cards[0]] = as_beside(plain, cards[0])
        set_at_row = [set_at(beside[cards[0]] if cards and isinstance(e, Paragraph)
                             else ctx if r == 0 and c == 0 and isinstance(e, Heading) else plain, e,
                             measure if frame.measure and not isinstance(e, Heading) else widths[c])
                      for c, e in enumerate(row)]
        pieces = [piece for piece, _ in set_at_row]
        at = [w for _, w in set_at_row]  # each element's measure (a reading measure may have narrowed it)
        heads = [head_lines(ctx, e, at[c]) for c, e in enumerate(row)] if len(row) > 1 else []
        if sum(h is not None for h in heads) > 1:
            # A row of cells opened by sub-headings: each set at its own measure, the shorter taking the deeper's
            # lines (the room under its Chinese), so that what they head starts level across the row (designer's
            # review of df673b1, items 1 and 3). A row of cards (page 6's partners, callouts) is not: each card one
            # tight stack, the cards top-aligned (the lead's note 2b37084)
            most = tuple(max(h[k] for h in heads if h is not None) for k in (0, 1))
            for c, (e, h) in enumerate(zip(row, heads, strict=True)):
                if h is not None and h != most:
                    pieces[c] = lay_out(plain.but(head_lines=most), e, at[c], frame)
        if any(p.led for p in pieces):
            # Cells of a row align their first lines of like role (designer's fourth review): the lead-ins on the
            # row's top, the callouts' headlines and the stats' figure lines on one line under them.
            for p in pieces:
                if p.headline_pt is not None:
                    p.anchor_pt, p.anchored = p.headline_pt, True
        # A row aligns its anchors (a stat's figure line, else the cell's top): each cell keeps its
        # Chinese directly under its English, so a cell with short English leaves no hole above its Chinese.
        anchor = max(p.anchor_pt for p in pieces)
        led = None
        if lead is not None and r == 0:
            led = _row_lead(ctx, lead, row, boxes, frame)
            # its last baseline where the row's own lead-ins have theirs (as far over the figure line), else its
            # foot on the figure line
            over = [p.anchor_pt - max(lines) for e, p in zip(row, pieces) if isinstance(e, Stat) and e.lead
                    and (lines := [i.baseline_pt for i in p.primary
                                   if isinstance(i, TextLine) and i.baseline_pt < p.anchor_pt])]
            led = (min(over) if over else led[0] - led[3], *led[1:])
            anchor = max(anchor, led[0] + led[3])
        if heading_ink is not None and held is not None and not all(isinstance(e, Heading) for e in row):
            inks = [(off + span[0], not box_first(item, ctx.layout)) for p in pieces
                    for off, band in ((anchor - p.anchor_pt if p.anchored else 0.0, p.primary),)
                    for item in band if (span := ink_span(item)) is not None]
            if inks:
                first, letters = min(inks)
                y = heading_ink + (rule_step(g, box_first=not letters) or 0.0) - first
        if row_tops and r < len(row_tops):
            y = max(y, row_tops[r] - anchor)
        started.append(y + anchor)
        lefts = [x + boxes[c][0] for c in range(len(row))]
        bottoms = []
        placed_from = len(out)
        if led is not None:  # the row's lead-in first (it reads first), ending where the figures start
            over_figure, piece, dx, last = led
            lead_top = ctx.place(out, piece.primary, x + dx, y + anchor - over_figure - last)
            if piece.secondary:
                ctx.place(out, piece.secondary, x + dx, lead_top + piece.words_h)  # (stacked as a lead-in is)
        if frame.bands == "shared":
            # Cells alike (two callouts, say): the English of the row on one band, then its Chinese on
            # the next, in that reading order.
            firsts = [ctx.place(out, p.primary, dx, y + anchor - p.anchor_pt if p.anchored else y)
                      for p, dx in zip(pieces, lefts)]
            below = max(t + p.words_h for t, p in zip(firsts, pieces))
            gap = m.band_gap_pt if any(p.secondary for p in pieces) else 0.0
            for first_top, piece, dx in zip(firsts, pieces, lefts):
                second_top = ctx.place(out, piece.secondary, dx, below + gap)
                bottoms.append(max(first_top + piece.primary_h, second_top + piece.secondary_h))
        for piece, dx in zip(pieces, lefts) if frame.bands != "shared" else ():
            # Figures stand level; a cell of text (a callout, a paragraph) starts at the row's top.
            first_top = ctx.place(out, piece.primary, dx, y + anchor - piece.anchor_pt if piece.anchored else y)
            second_top = first_top + piece.words_h + (m.band_gap_pt if piece.secondary and piece.primary
                                                         else 0.0)
            second_top = ctx.place(out, piece.secondary, dx, second_top)
            bottoms.append(max(first_top + piece.primary_h, second_top + piece.secondary_h))
        if r in marked:  # a mark beside its paragraph: its top on the capitals of the paragraph's first line
            caps = min(((i.baseline_pt, span[0]) for i in out[placed_from:] if isinstance(i, TextLine)
                        and (span := ink_span(i)) is not None), default=None)
            for k in range(placed_from, len(out)):
                if caps is not None and isinstance(out[k], Picture):
                    out[k] = replace(out[k], y_pt=caps[1])
                    bottoms.append(out[k].y_pt + out[k].height_pt)
        y = max(bottoms)
        ruled = all(isinstance(e, Heading) and e.level == 1 for e in row)  # (ruled: a theme band, a sub-heading keep their own step)
        heading_ink = max((span[1] for item in out[placed_from:] if (span := ink_span(item)) is not None),
                          default=None) if ruled else None
        if holes is not None and len(row) > 1:
            short = min(range(len(row)), key=lambda c: bottoms[c])
            holes.append((y - bottoms[short], row[short]))
        if r < len(rows) - 1:
            # A heading keeps to what it heads (only its style's space after it, a theme band its padding);
            # other rows are row_gap_mm apart.
            step = 0.0 if all(isinstance(e, Heading) for e in row) else m.row_gap_mm * MM
            y += step
            if frame.row_rules:  # a hairline halfway between the rows, across the frame's measure
                mid = y - step / 2
                out.append(Rule(x + pad, mid, x + width - pad, mid, ctx.layout.colours["rule"], 0.4))
    return y + pad - top, started


def reading_measure(ctx: FrameContext, element, width: float, frame: FrameSpec,
                    column_w: float) -> tuple[_Piece, float]:
    """The element set at `width`, or, where a line of its running text would run past a reader's measure
    (layout/page.yaml typography.max_chars_per_line for English, max_ems_per_line_zh for Chinese: DESIGN.md,
    "Measures a reader can follow"), at the widest whole number of grid columns (`column_w` each) under `width`
    whose lines keep within it, as a template's `measure` narrows a frame by hand: (the piece, its width). A heading
    keeps its frame's width (its rule across the frame); figures, headings and table rows are no running text
    (items.reading_length), and a text of one line is read once (items.past_measure). Issue 22, round 11, item 2:
    page 2's "Inaugural HKUST Unicorn Day" sentence ran 89 characters a line across the 12 columns (edition-b 103); on
    8 columns it left 88 x 65 mm of paper beside it, and one line is kept (designer's review of 835c7de). What a setting at a rejected width said is not said."""
    limits = ctx.layout.geometry.typography
    if isinstance(element, Heading) or not column_w or not (limits.max_chars_per_line or limits.max_ems_per_line_zh):
        return lay_out(ctx, element, width, frame), width
    gutter = ctx.layout.geometry.grid.gutter_mm * MM
    said = Diagnostics()
    piece = lay_out(ctx.but(diags=said), element, width, frame)
    k = math.floor((width + gutter) / (column_w + gutter) + 1e-6)  # the whole columns it spans
    while k > 1 and over_measure(piece.primary + piece.secondary, limits):
        k -= 1
        narrower = k * column_w + (k - 1) * gutter
        if narrower < width - 0.01:
            said = Diagnostics()
            width = narrower
            piece = lay_out(ctx.but(diags=said), element, width, frame)
    ctx.diags.extend(said)
    return piece, width


def over_measure(items, limits) -> bool:
    """Whether a line of running text among `items` runs past the reading measure of its language (past_measure)."""
    return bool(past_measure(items, limits.max_chars_per_line, limits.max_ems_per_line_zh))


def cell_rows(elements, cells: int) -> list:
    """The rows of a frame's elements, `cells` to a row; a heading that opens what follows it (an element that is
    no heading) stands on a row of its own across the frame's cells, its rule across them, what it heads in the
    cells under it (issue 22, round 11: page 4's Programs and Fields over its three rankings side by side). A row
    of headings alone (page 3's two section heads) keeps its cells."""
    rows: list = []
    run: list = []
    for k, e in enumerate(elements):
        if cells > 1 and isinstance(e, Heading) and not run and k + 1 < len(elements) \
                and not isinstance(elements[k + 1], Heading):
            rows.append([e])
            continue
        run.append(e)
        if len(run) == cells:
            rows.append(run)
            run = []
    return rows + ([run] if run else [])


def cell_positions(elements, cells: int) -> list[int]:
    """The cell of its row each element stands in (cell_rows: a heading over the cells stands in the first)."""
    return [c for row in cell_rows(elements, cells) for c in range(len(row))]


def _mark_width(image: Image, height: float) -> float | None:
    """The width a small picture (a mark) draws at `height`: its own proportions (None: no file to measure)."""
    from ..images import PictureError, picture_path, probe

    path, _ = picture_path(os.path.dirname(image.ref.file) or ".", image.file) if image.file else (None, "")
    if path is None:
        return None
    try:
        return height * probe(path).aspect
    except PictureError:
        return None


def _marks_beside(ctx: FrameContext, frame: FrameSpec, rows: list, boxes: list,
                  gutter: float) -> tuple[list, list, set]:
    """The rows of a one-cell frame, each one's cell boxes and the rows that set a mark beside a paragraph: a small
    picture (a mark or logo: shorter than a QR code, with no caption or credit) that follows a paragraph stands beside
    it, in the fewest grid columns at the frame's right that hold it, its left on the first one's edge, the paragraph
    on the columns before them less a gutter (fill_frame hangs its top from the paragraph's first line's capitals);
    not on a row of its own, where it stands alone tied to nothing (designer's review of 357772a, item 2: edition-b's
    "H" mark alone at page 7's foot, on no grid line, 7 mm over the folio; review of b33891d, item 7: beside its
    paragraph, on no column line nor the line's capitals). One that would leave the paragraph under half the measure
    keeps its row."""
    if frame.cells != 1 or frame.measure:
        return rows, [boxes] * len(rows), set()
    small = ctx.layout.qr_size_mm * MM
    left, width = boxes[0]
    out_rows: list = []
    out_boxes: list = []
    marked: set = set()
    for row in rows:
        mark = row[0]
        if (out_rows and isinstance(mark, Image) and mark.height_mm and mark.height_mm * MM < small
                and mark.caption is None and mark.credit is None and not mark.bleed
                and len(out_rows[-1]) == 1 and isinstance(out_rows[-1][0], Paragraph)
                and (w := _mark_width(mark, mark.height_mm * MM)) is not None):
            columns = next((ctx.layout.column_x_pt(1, n)[1] for n in range(1, frame.span + 1)
                            if ctx.layout.column_x_pt(1, n)[1] >= w - 0.01), width)
            if columns + gutter <= width / 2:
                out_rows[-1] = [out_rows[-1][0], mark]
                out_boxes[-1] = [(left, width - columns - gutter), (left + width - columns, w)]
                marked.add(len(out_rows) - 1)
                continue
        out_rows.append(list(row))
        out_boxes.append(boxes)
    return out_rows, out_boxes, marked


def _row_lead(ctx: FrameContext, lead, row, boxes, frame: FrameSpec) -> tuple[float, _Piece, float, float]:
    """(its height, its piece, its left from the frame's, its last baseline from its top) of a paragraph leading
    into `row`: set across the row's first cells that are stats without a lead-in of their own (the whole row
    when there are none)."""
    covered = 0
    while covered < len(row) and isinstance(row[covered], Stat) and row[covered].lead is None:
        covered += 1
    end = (covered or len(row)) - 1
    left = boxes[0][0]
    piece = lay_out(as_beside(ctx, LEAD_TEXT) if isinstance(lead, Paragraph) else ctx, lead,
                    boxes[end][0] + boxes[end][1] - left, frame)
    gap = 0.0  # its Chinese directly under its English, as a stat's own lead-in stacks them (elements.stat)
    band, below = (piece.secondary, piece.primary_h + gap) if piece.secondary else (piece.primary, 0.0)
    last = below + max((i.baseline_pt for i in band if isinstance(i, TextLine)), default=0.0)
    return piece.primary_h + gap + piece.secondary_h, piece, left, last


def align_rows(template, fill, started: dict, filled: dict | None = None, max_gap: float | None = None,
               heads: dict | None = None, codes: dict | None = None) -> None:
    """Frames of one `align_rows` group set their k-th rows at one height (by their anchors: a stat's
    figure line, else the row's top), the lowest any of them needs: tiles side by side keep their
    headings and their figures level. Lowering a row can push the next one down in its frame, so
    this repeats until the rows stand still. `fill(name, row_tops)` re-fills a frame, updating `started`.

    A card on a panel is never lowered so far that a band without ink inside it passes `max_gap`
    (typography.max_panel_gap_mm): where one card's heading is much taller than another's, the row
    levels the most cards it can without opening a hole in the others (a row of cards hugs its content).

    A row that is a heading in every frame of the group (`heads`: each frame's rows that are headings) starts on
    one line (its frames' tops), a heading that wraps running down, and what each heads stands one step under its
    own heading: that row and the rows under it are not levelled (designer's review of round 5, item C: bottom-
    aligned, page 1's 'Forward-thinking research subjects include:' started 5.6 mm over '6 strategic research
    areas:'; levelled under the tallest, round 4 found a list 12 mm under its heading).

    A row of codes (`codes`: each frame's rows that are QR codes) always stands level, their tops on one line under
    the deepest column and their captions on one baseline, whatever paper that leaves over the shorter column's code
    (designer's reviews 21 and 23, item 5: page 8's codes hung each under its own text stood 14 mm apart in height,
    read as a mistake; the hole a level row leaves is the column's, not a band across the page)."""
    groups: dict = {}
    for name, frame in template.frames.items():
        if frame.align_rows:
            groups.setdefault(frame.align_rows, []).append(name)
    for names in groups.values():
        allow = {n: math.inf for n in names}
        if filled is not None and max_gap is not None:
            for n in names:
                if template.frames[n].panel:
                    spans = [span for item in filled[n][3] if (span := ink_span(item)) is not None]
                    if spans:
                        first, last = min(a for a, _ in spans), max(b for _, b in spans)
                        widest = max((b - a for a, b in empty_bands(spans, first, last)), default=0.0)
                        allow[n] = max(0.0, max_gap - widest)
        natural = {n: list(started[n]) for n in names}
        for _ in range(8):
            rows = max(len(started[n]) for n in names)
            wanted: dict = {n: [] for n in names}
            headed = False  # a row of headings set: it and the rows under it stand where their frames set them
            for k in range(rows):
                have = [n for n in names if k < len(started[n])]

                if len(have) > 1 and codes and all(k in codes.get(n, ()) for n in have):
                    lowest = max(started[n][k] for n in have)  # a row of codes: level, under the deepest column
                    for n in have:
                        wanted[n].append(lowest)
                    continue

                def reach(n: str, top: float, k: int = k, natural: dict = natural, allow: dict = allow) -> bool:
                    return started[n][k] - 0.01 <= top <= natural[n][k] + allow[n] + 0.01

                # a row of headings starts on one line, its wraps running down, and what each heads one step under
                # its own heading (designer's review of round 5, item C)
                headed = headed or (len(have) > 1 and heads is not None and all(k in heads.get(n, {}) for n in have))
                if headed:
                    for n in have:
                        wanted[n].append(started[n][k])
                    continue
                target = max(sorted({started[n][k] for n in have}),
                             key=lambda top: (sum(reach(n, top) for n in have), top))
                for n in have:  # level, or where it stands: never a near miss
                    wanted[n].append(target if reach(n, target) else started[n][k])
            if all(started[n] == wanted[n] for n in names):
                break
            for name in names:
                fill(name, wanted[name])


def _compositions(total: int, least: list[int]) -> list[tuple[int, ...]]:
    """Every way of dividing `total` grid columns among the cells, each at least its `least`."""
    if len(least) == 1:
        return [(total,)] if total >= least[0] else []
    return [(k,) + rest for k in range(least[0], total - sum(least[1:]) + 1)
            for rest in _compositions(total - k, least[1:])]


def _nearest_on(frame: FrameSpec, columns: AbstractSet[int], least: list[int], base: tuple) -> tuple[int, ...]:
    """The spans of a row whose cells start on `columns`, as many as they can (a row of more cells than the page
    has columns starts the rest on columns of its own: page 2's seedbed of four figures over the Accelerator's
    thirds), that fall least short of the columns each cell needs (`least`: the fewest columns short, then the
    fewest cells short, then the template's `base` spans nearest)."""
    on = _compositions(frame.span, [1] * frame.cells)
    return min(on, key=lambda c: (len(cell_starts(frame, c) - columns),
                                  sum(max(0, need - n) for n, need in zip(c, least, strict=True)),
                                  sum(n < need for n, need in zip(c, least, strict=True)),
                                  sum(abs(n - b) for n, b in zip(c, base, strict=True))), default=())


def grid_spans(frame: FrameSpec) -> tuple[int, ...]:
    """The grid columns each cell of `frame` spans: its `cell_spans`, else equal cells where they divide its span;
    () where they do not."""
    if frame.cell_spans:
        return tuple(frame.cell_spans)
    return (frame.span // frame.cells,) * frame.cells if frame.span % frame.cells == 0 else ()


def cell_starts(frame: FrameSpec, spans: tuple | None = None) -> set[int]:
    """The grid columns a frame's cells start on (its `cell_spans`, or `spans`; equal cells where they divide)."""
    spans = spans or grid_spans(frame) or (frame.span,)
    return {frame.col + sum(spans[:k]) for k in range(len(spans))}


def level_cell_spans(ctx: FrameContext, frame: FrameSpec, elements, trial, columns: set,
                     why: list | None = None) -> tuple[int, ...] | None:
    """The grid columns of a row's cells that end them most level (the template's `cell_spans_by: depth`); None
    keeps the template's `cell_spans`. `trial(spans)` fills the frame on `spans` and gives (its left, its measure,
    its items). Among the spans on which every stat's figure line (figure, unit and change) fits its cell, with the
    clear space before a cell beside it (elements.figure_clear_mm), and each cell its widest unit no line breaks
    (unbreakable), the one that breaks the fewest words or leaves the fewest alone (broken_words), then has the
    fewest cells starting on a grid column no other row of the page starts on (`columns`: the page's one column
    structure, issue 22 round 12a: page 2's rows stood on seven column lines), then leaves the least paper past
    typography.max_row_hole_mm under its shortest cell down to its deepest cell's foot (whole mm; designer's
    reviews 20-23, each its first item: a second structure reads worse than a hole the report notes), then the least
    paper under its shortest cell, then under all its cells; the template's spans on a tie, then the fewest
    columns moved from them; what the page's columns would cost it appended to `why`. Designer's review of
    357772a, item 1:
    a row of a section's figures whose copy differs from one edition to the next (2022-23's events with a note of
    four lines beside the inventions' and the licences' shorter cells, edition-b's inventions with the longer note)
    stands on the columns its copy needs, not on one edition's."""
    base = grid_spans(frame)
    if len(base) != frame.cells or len(elements) != frame.cells:
        return None  # (one row of cells: a frame of several rows keeps its columns)
    gutter = ctx.layout.geometry.grid.gutter_mm * MM
    keys = [e.ref.yaml_path for e in elements]

    def needs(spans: tuple, x: float, width: float, items: list) -> list[tuple[float, float]]:
        return _row_needs(ctx, frame, elements, spans, x, width, items)

    def cell_w(k: int, n: int, width: float) -> float:  # cell k's width on n columns (the others sharing the rest)
        return _cell_width(frame, k, n, width, gutter)

    # (each cell at least the columns its figure line takes, as set on the template's cells: it does not wrap; and
    # the columns its widest unit no line breaks takes, a word or a short bracketed phrase: spans that would break
    # one are not tried)
    x, width, items = trial(base)
    least, words = _least_columns(ctx, frame, elements, x, width, items)
    limit = ctx.layout.geometry.typography.max_row_hole_mm * MM
    best = kept = None  # (the best spans; the best on the page's columns alone)
    for spans in _compositions(frame.span, least):
        off = len(cell_starts(frame, spans) - columns)
        if best is not None and best[0][0] == 0 and off > best[0][1]:
            # (no fill can make it win: its key is at least (0, off, …), past the best; nor is it on the page's
            # columns alone, `kept`)
            continue
        x, width, items = trial(spans)
        found = [[i.baseline_pt + i.line.descent_pt for i in items if isinstance(i, TextLine) and i.role
                  and i.role.element == key] for key in keys]
        if not all(found) or any(need > room + 0.01 for need, room in needs(spans, x, width, items)):
            continue
        feet = [max(f) for f in found]
        holes = [max(feet) - foot for foot in feet]
        over = round(max(0.0, max(holes) - limit) / MM) if limit else 0
        key = (broken_words(items), off, over, round(max(holes) / MM),
               round(sum(holes) / MM), spans != base, sum(abs(a - b) for a, b in zip(spans, base, strict=True)))
        if best is None or key < best[0]:
            best = (key, spans)
        if key[1] == 0 and (kept is None or key < kept[0]):
            kept = (key, spans, round(max(holes) / MM, 1))
    if why is not None and best is not None and best[0][1]:  # (what the page's columns would cost the row)
        if kept is not None:
            (broken, _, _, _, _, _, _), spans, hole = kept
            cost = (f"break or leave alone {broken} word{'s' if broken > 1 else ''}" if broken else
                    f"leave {hole:.1f} mm under a cell")
            why.append(f"on {', '.join(map(str, sorted(cell_starts(frame, spans))))} it would {cost}")
        else:  # (none tried: a cell too narrow for its figure line or a unit no line breaks)
            why += _too_narrow(frame, columns, least, base, words, lambda k, n: cell_w(k, n, width))
    return None if best is None or best[1] == base else best[1]


def _row_needs(ctx: FrameContext, frame: FrameSpec, elements, spans: tuple, x: float, width: float,
               items: list) -> list[tuple[float, float]]:
    """Per cell of a row of `elements` filled on `spans` (its `items`, the frame at `x`, `width` its measure): (the
    room its stat's figure line takes: figure, unit and change, and the clear space before a cell beside it; the
    room the cell has)."""
    gutter = ctx.layout.geometry.grid.gutter_mm * MM
    clear = ctx.layout.geometry.elements.figure_clear_mm * MM
    out = []
    for k, (left, w) in enumerate(cell_boxes(replace(frame, cell_spans=spans), width, gutter)):
        lines = [i for i in items if isinstance(i, TextLine) and i.role and i.role.element == elements[k].ref.yaml_path]
        if not isinstance(elements[k], Stat) or not lines:
            out.append((0.0, w))
            continue
        figure = max(lines, key=lambda i: max(r.size_pt for r in i.line.runs))
        top, bottom = figure.baseline_pt - figure.line.ascent_pt, figure.baseline_pt + figure.line.descent_pt
        right = max(i.x_pt + i.line.right_pt for i in lines
                    if i.baseline_pt - i.line.ascent_pt < bottom and i.baseline_pt > top - 1)
        out.append((right - x - left + (clear if k < len(elements) - 1 else 0.0), w))
    return out


def _cell_width(frame: FrameSpec, k: int, n: int, width: float, gutter: float) -> float:
    """Cell k's width on n grid columns, the row's other cells sharing the rest, `width` the frame's measure."""
    spans = [1] * frame.cells
    spans[k] = n
    spans[(k + 1) % frame.cells] += frame.span - sum(spans)
    return cell_boxes(replace(frame, cell_spans=tuple(spans)), width, gutter)[k][1]


def _least_columns(ctx: FrameContext, frame: FrameSpec, elements, x: float, width: float, items: list) \
        -> tuple[list[int], list[tuple[float, str]]]:
    """Per cell of a row of `elements` as filled on its template's cells (`items`): the fewest grid columns it
    takes (its figure line, as set: it does not wrap; its widest unit no line breaks, a word or a short bracketed
    phrase: unbreakable), and that unit."""
    gutter = ctx.layout.geometry.grid.gutter_mm * MM
    units = [unbreakable(ctx, [i for i in items if isinstance(i, TextLine) and i.role
                               and i.role.element == e.ref.yaml_path]) for e in elements]
    needs = _row_needs(ctx, frame, elements, grid_spans(frame), x, width, items)
    least = [next((n for n in range(2, frame.span - 2 * (frame.cells - 1) + 1)
                   if _cell_width(frame, k, n, width, gutter) >= max(need, units[k][0]) - 0.01), frame.span)
             for k, (need, _) in enumerate(needs)]
    return least, units


def fixed_row_cost(ctx: FrameContext, frame: FrameSpec, elements, filled: tuple, columns: AbstractSet[int]) \
        -> str:
    """What the page's columns (`columns`) would cost a row whose template fixes its cells (no cell_spans_by)
    and which starts one on a column of its own, read off its fill (`filled`: x, width, used, items), no frame
    filled again: the nearest spans on them and the first cell they leave too narrow for its figure line or a
    unit no line breaks (page 5's AI row on the Talent rows' 1, 4, 6, 9: 'computational' in two columns). ""
    where none is too narrow (what else they would cost, a hole, a ranking's words, only a fill would tell)."""
    base = grid_spans(frame)
    if len(base) != frame.cells or len(elements) != frame.cells or not cell_starts(frame) - columns:
        return ""
    x, width, _, items = filled
    gutter = ctx.layout.geometry.grid.gutter_mm * MM
    least, units = _least_columns(ctx, frame, elements, x, width, items)
    said = _too_narrow(frame, columns, least, base, units, lambda k, n: _cell_width(frame, k, n, width, gutter))
    return said[0] if said else ""


def _too_narrow(frame: FrameSpec, columns: AbstractSet[int], least: list[int], base: tuple, units: list,
                cell_w) -> list[str]:
    """What the page's columns would cost a row none of whose spans on them was tried: the nearest such spans
    (_nearest_on) and the first cell they leave too narrow, for its widest unit no line breaks (`units`, per
    cell: width and text) or its figure line; `cell_w(k, n)` the width of cell k on n columns."""
    spans = _nearest_on(frame, columns, least, base)
    short = next((k for k, n in enumerate(spans) if n < least[k]), None)
    if short is None:
        return []
    wide = units[short][1] if cell_w(short, spans[short]) < units[short][0] - 0.01 else ""
    return [f"on {', '.join(map(str, sorted(cell_starts(frame, spans))))} it would "
            + (f"break '{wide}', wider than its cell of {spans[short]} columns" if wide else
               f"set cell {short + 1}'s figure line wider than its {spans[short]} columns")]


def unbreakable(ctx: FrameContext, lines) -> tuple[float, str]:
    """The widest unit of `lines` (an element's or a cell's, as set) that a line never breaks, and its text: a
    Latin word (a line breaks between words and after a hyphen, never inside one), or a bracketed phrase of at
    most typography.max_cell_bracket_phrase characters, which a row whose columns follow its content keeps on
    one line (the lead's note on b75c9fe: page 2's '(11 IPOs and / 2 M&As)' on two columns read as a broken
    word). The least measure its cell must give."""
    faces, limit = ctx.setter.fonts.faces, ctx.layout.geometry.typography.max_cell_bracket_phrase
    widest = (0.0, "")
    texts: dict = {}  # (element, language) -> its characters in reading order, each with its advance
    for item in sorted((i for i in lines if isinstance(i, TextLine)), key=lambda i: (i.baseline_pt, i.x_pt)):
        chars = texts.setdefault((item.ref, item.lang), [])
        for run in item.line.runs:
            face = faces.get(run.face)
            if face is None or run.artifact or run.hidden or run.rise_pt:
                continue
            if chars and chars[-1][0] != " " and item.line.runs[0] is run:
                chars.append((" ", face.width_pt(" ", run.size_pt)))  # (a line's end: a word space)
            chars += [(c, face.width_pt(c, run.size_pt) + run.char_space_pt) for c in run.text]
            for word in run.text.replace("-", "- ").split():
                if word.isascii():
                    widest = max(widest, (face.width_pt(word, run.size_pt) + run.char_space_pt * (len(word) - 1),
                                          word))
    for chars in texts.values() if limit else ():
        text = "".join(c for c, _ in chars)
        for found in _BRACKETED.finditer(text):
            if len(found.group()) <= limit:
                widest = max(widest, (sum(w for _, w in chars[found.start():found.end()]), found.group()))
    return widest


_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")


def broken_words(items) -> int:
    """The lines of `items` that break a word or leave one alone: an overfull line (a word wider than its measure),
    one ending at a dictionary hyphen or inside a word of the edition's (segment.py), a paragraph's last line a
    runt (text.is_runt: "generative / AI literacy / course" on a cell of two columns)."""
    def runt(line) -> bool:
        index, count = line.position
        return count >= 2 and index == count - 1 and is_runt("".join(r.text for r in line.runs if not r.rise_pt))
    return sum(1 for i in items if isinstance(i, TextLine) and (
        i.line.overfull or i.line.split_word or runt(i.line)
        or any(r.artifact and r.text.strip() == "-" for r in i.line.runs[-1:])))


def choose_cell_spans(ctx: FrameContext, frame: FrameSpec, filled: tuple, columns: AbstractSet[int] = frozenset(),
                      why: list | None = None) -> tuple[int, ...] | None:
    """The grid columns of a row's cells chosen by their content (the template's `cell_spans_by: rhythm`); None
    keeps the template's `cell_spans`. `filled` is the frame filled on the template's cells ((x, width, used,
    items)). Every cell keeps at least the columns its widest line takes, a figure line with the clear space
    before a cell beside it (elements.figure_clear_mm), and its widest unit no line breaks (unbreakable: a word,
    a short bracketed phrase); among those spans the fewest cells starting on a grid column no other row of the
    page starts on (`columns`: the page's one column structure, issue 22 round 12a), then the paper between
    consecutive figures' ink made most even within each group of figures (a cell with a lead-in of its own opens
    a group: the rest are led by the frame's `led_by` paragraph), a group standing apart from the next by a
    gutter more than its own figures do, the template's cells kept on a tie (a mm) and the fewest columns moved
    from them; what the page's columns would cost it appended to `why`.
    Designer's final review, item 2: page 2's seedbed on 4/2/2/4 columns left 38.1 mm after 1,747, 25.6 between
    9 and 13 and 20.3 before HK$400B+; a row of figures reads as a rhythm, and "HKUST has created/incubated"
    leads into three of them, "with a total economic impact of" into the fourth."""
    x, width, _, items = filled
    gutter = ctx.layout.geometry.grid.gutter_mm * MM
    base = grid_spans(frame)
    if len(base) != frame.cells:
        return None
    boxes = cell_boxes(frame, width, gutter)
    lead = {i.role.element for i in items if isinstance(i, TextLine) and i.role and frame.led_by
            and i.role.element.endswith(".paragraph")}  # a row's lead-in over several cells (led_by)
    cells: list[list] = [[] for _ in boxes]
    for line in (i for i in items if isinstance(i, TextLine) and not (i.role and i.role.element in lead)):
        at = max((k for k, (left, _) in enumerate(boxes) if left <= line.x_pt - x + 0.5), default=0)
        cells[at].append(line)
    if not all(cells) or len({i.role.element for i in items if isinstance(i, TextLine) and i.role
                              and i.role.element not in lead}) > frame.cells:
        return None  # (one row of figures: a frame of several rows keeps its columns)
    clear = ctx.layout.geometry.elements.figure_clear_mm * MM

    def size_of(line) -> float:
        return max(r.size_pt for r in line.line.runs)

    def cell_w(k: int, n: int) -> float:  # cell k's width on n columns (the others sharing the rest)
        spans = [1] * frame.cells
        spans[k] = n
        spans[(k + 1) % frame.cells] += frame.span - sum(spans)
        return cell_boxes(replace(frame, cell_spans=tuple(spans)), width, gutter)[k][1]

    figure_ink, least, opens, units = [], [], [], []
    for k, lines in enumerate(cells):
        left = x + boxes[k][0]
        size = max(size_of(i) for i in lines)
        base_line = min(i.baseline_pt for i in lines if size_of(i) == size)
        opens.append(k == 0 or any(i.baseline_pt < base_line - size for i in lines))  # its own lead-in: a group
        figure_ink.append(max(i.x_pt + i.line.natural_pt for i in lines
                              if base_line - size <= i.baseline_pt <= base_line + 0.5) - left)
        widest = max(i.x_pt + i.line.natural_pt - left for i in lines)
        if k < len(cells) - 1:
            widest = max(widest, figure_ink[-1] + clear)
        unit = unbreakable(ctx, lines)  # (its longest word, a short bracketed phrase: no line breaks them)
        units.append(unit)
        least.append(next((n for n in range(1, frame.span - frame.cells + 2)
                           if cell_w(k, n) >= max(widest, unit[0]) - 0.01), base[k]))
    options = _compositions(frame.span, least)
    if not options:
        return None

    def spread(spans: tuple) -> tuple[bool, float]:
        """(whether a group of figures under one lead-in stands apart from the next by less than a gutter more
        than its own figures do, the spread of the gaps inside the groups)"""
        starts = [left for left, _ in cell_boxes(replace(frame, cell_spans=spans), width, gutter)]
        gaps = [starts[k + 1] - starts[k] - figure_ink[k] for k in range(len(starts) - 1)]
        inside = [g for k, g in enumerate(gaps) if not opens[k + 1]] or gaps
        between = [g for k, g in enumerate(gaps) if opens[k + 1]]
        return (bool(between) and min(between) < max(inside) + gutter), max(inside) - min(inside)

    def moved(spans: tuple) -> int:
        return sum(abs(a - b) for a, b in zip(spans, base, strict=True))

    def score(spans: tuple) -> tuple:
        apart, uneven = spread(spans)
        return len(cell_starts(frame, spans) - columns), apart, round(uneven / MM), moved(spans)

    best = min(options, key=score)
    if why is not None and score(best)[0]:  # (what the page's columns would cost the row: a cell too narrow)
        why += _too_narrow(frame, columns, least, base, units, cell_w)
    return None if best == base or base in options and score(best)[:3] >= score(base)[:3] else best
