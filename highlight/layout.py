"""Content + layout → pages of positioned items. Never touches ReportLab.

Coordinates are points from the top-left corner of the trimmed page, y
growing downwards. Each element is set as two bands: the primary band
(figures and English) and the secondary band (Chinese). Elements that share
a row of a multi-cell frame align their bands: every primary band starts at
the row's top and every secondary band at one baseline below the tallest
primary, so the English lines up with the English and the Chinese with the
Chinese across the row. Items are emitted in reading order: a row's primary
bands, then its secondary bands.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from .content import (ref_of, Breakdown, BulletList, Callout, Edition, Element, Heading, Page, Paragraph, Partner, QrCode,
                      Ranking, Stat, Text)
from .diagnostics import Diagnostics, SourceRef
from .fonts import FontSet
from .layout_spec import MM, Colour, FrameSpec, Layout, Style
from .text import Line, Span, TextSetter, spans_from_text



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
    raise TypeError(item)


@dataclass
class _Column:
    """Where an element stacks one language's lines: the items they join, the element's place in the
    YAML, the column's left edge and width, and how far down it is filled so far."""

    layouter: "PageLayouter"
    out: list
    ref: SourceRef
    lang: str = "en"
    width: float = 0.0
    x: float = 0.0
    y: float = 0.0

    def add(self, spans: list[Span], align: str | None = None, balance: bool = False) -> float:
        """Set `spans` under what the column holds; return its new bottom."""
        self.y = self.layouter.stack(spans, self, align, balance)
        return self.y

    def text(self, text: Text | None, style: str, lang: str | None = None, balance: bool = False) -> float:
        """The column's language (or `lang`) of `text` in `style`, under what the column holds."""
        lang = lang or self.lang
        self.y = self.layouter.stack(self.layouter.spans(text, style, lang), self, None, balance, lang)
        return self.y


class PageLayouter:
    """Lays out every page of an edition; collects overflow and QR diagnostics."""

    def __init__(self, layout: Layout, setter: TextSetter, diags: Diagnostics, lang: str | None = None):
        self.layout = layout
        # The languages set: both, or one for a single-language variant (`mixed` lines are in both).
        self.languages = {"en", "zh", "mixed"} if lang is None else {lang, "mixed"}
        self.setter = setter
        self.m = layout.geometry.elements  # spacing inside elements, from layout/page.yaml
        self.grid = layout.geometry.grid.baseline_pt
        self.diags = diags
        self.frame = ""  # name of the frame being filled, stamped on its lines
        self.substitutes: dict = {}  # style substitutions in force (page's, then frame's)
        self.page_substitutes: dict = {}
        self.page = 0

    # -- text blocks --------------------------------------------------------
    def style(self, name: str, lang: str) -> Style:
        return self.layout.style(self.substitutes.get(name, name), lang)

    def spans(self, text: Text | None, style: str, lang: str) -> list[Span]:
        """One language of a text in a style; `[^Δ]` markers become superscript spans.

        A `mixed` text (both languages in one string) stands where its English would: it is set once,
        in the English band, and in both single-language variants."""
        if text is not None and lang == "en" and not text.en and text.mixed:
            lang = "mixed"
        if text is None or lang not in self.languages:
            return []
        string = getattr(text, lang)
        if not string:
            return []
        return spans_from_text(string, self.style(style, lang), lang=lang)

    def inline_pair(self, text: Text | None, style: str) -> list[Span]:
        """English and Chinese on one line: 'external funding 校外資助'."""
        if text is None:
            return []
        en, zh = self.spans(text, style, "en"), self.spans(text, style, "zh")
        if en and zh:
            return en + [Span(" ", en[-1].style, lang="en")] + zh
        return en or zh

    def on_grid(self, out: list, baseline: float) -> float:
        """`baseline` moved down onto the baseline grid the lines already in `out` sit on.

        Every list of items (an element's band, a frame, the footnotes) keeps its lines on one grid
        through its first line; placing the list then puts that line on the page's grid, and so all."""
        anchor = _first_baseline(out)
        return baseline if anchor is None else _down_to_grid(baseline, anchor, self.grid)

    def place(self, out: list, items: list, dx: float, dy: float) -> float:
        """Append `items` moved by (dx, dy), dy grown so that their lines fall on `out`'s grid; return that dy."""
        first = _first_baseline(items)
        if first is not None:
            dy = self.on_grid(out, dy + first) - first
        out.extend(_shift(item, dx, dy) for item in items)
        return dy

    def column(self, out: list, ref: SourceRef, lang: str, width: float, x: float = 0.0, y: float = 0.0) -> _Column:
        return _Column(self, out, ref, lang, width, x, y)

    def bands(self, piece: _Piece, ref: SourceRef, width: float, x: float = 0.0) -> tuple[_Column, _Column]:
        """An English column on the piece's primary band and a Chinese one on its secondary."""
        return self.column(piece.primary, ref, "en", width, x), self.column(piece.secondary, ref, "zh", width, x)

    def stack(self, spans: list[Span], col: _Column, align: str | None = None, balance: bool = False,
              lang: str | None = None) -> float:
        """Set spans at the column's width, append TextLines from its current bottom; return the new bottom.

        Each line goes down to the next line of the column's baseline grid (its items' first line), as
        a designer's "align to baseline grid" does; leadings are whole grid steps (layout_spec checks),
        so a paragraph moves at most once, at its first line."""
        if not spans:
            return col.y
        first = spans[0].style
        lines = self.setter.set(spans, col.width, align or first.align, balance)
        baseline = col.y + first.space_before_pt
        for index, line in enumerate(lines):
            baseline += line.ascent_pt if index == 0 else lines[index - 1].descent_pt + line.ascent_pt
            baseline = self.on_grid(col.out, baseline)
            col.out.append(TextLine(col.x, baseline, line, col.ref, self.frame, lang or col.lang))
            if line.overfull:
                self.diags.error("overfull-line", f"in frame '{self.frame}' a word is "
                                 f"{(line.natural_pt - col.width) / MM:.1f} mm wider than its {col.width / MM:.1f} mm "
                                 f"column: '{line.text}'", col.ref, page=self.page,
                                 hint="widen the frame in layout/templates.yaml or shorten the word")
        return baseline + lines[-1].descent_pt + first.space_after_pt

    def stacked(self, ref: SourceRef, width: float, texts: list, piece: _Piece | None = None,
                x: float = 0.0) -> _Piece:
        """(text, style) pairs one under another: their English on the piece's primary band, then their
        Chinese on its secondary band."""
        piece = piece or _Piece()
        en, zh = self.bands(piece, ref, width, x)
        for col in (en, zh):
            for text, style in texts:
                col.text(text, style)
        piece.primary_h, piece.secondary_h = max(piece.primary_h, en.y), zh.y
        return piece

    # -- elements -------------------------------------------------------------
    def element(self, element: Element, width: float, frame: FrameSpec) -> _Piece:
        if isinstance(element, Heading):
            return self.heading(element, width)
        if isinstance(element, Paragraph):
            return self.stacked(element.text.ref, width, [(element.text, "body")])
        if isinstance(element, BulletList):
            return self.bullets(element, width, frame.list_columns)
        if isinstance(element, Stat):
            return self.stat(element, width, frame)
        if isinstance(element, Callout):
            return self.callout(element, width)
        if isinstance(element, Ranking):
            return self.ranking(element, width)
        if isinstance(element, Breakdown):
            return self.breakdown(element, width, frame.chart)
        if isinstance(element, Partner):
            return self.partner(element, width)
        if isinstance(element, QrCode):
            return self.qr(element, width)
        raise TypeError(element)

    def heading(self, heading: Heading, width: float) -> _Piece:
        style = "heading1" if heading.level == 1 else "heading2"
        piece = _Piece()
        pair = self.inline_pair(heading.text, style)
        trial = self.setter.set(pair, width, "left")
        col = self.column(piece.primary, heading.ref, "en", width)
        if len(trial) == 1 or not (heading.en and heading.zh):
            piece.primary_h = col.add(pair, balance=True)
        else:  # too long for one line: English, then Chinese beneath
            col.text(heading.text, style, balance=True)
            piece.primary_h = col.text(heading.text, style, "zh", balance=True)
        rule = self.style(style, "en")
        if heading.level == 1:
            weight = self.m.heading_rule_pt
            piece.primary.append(Rule(0, piece.primary_h + 1.5, width, piece.primary_h + 1.5, rule.colour, weight))
            piece.primary_h += 1.5 + weight + 2.0
        return piece

    def bullets(self, element: BulletList, width: float, columns: int = 1) -> _Piece:
        """Bulleted items, English then Chinese each, filled down `columns` columns."""
        piece = _Piece()
        indent = self.m.bullet_indent_mm * MM
        gutter = self.layout.geometry.grid.gutter_mm * MM
        col_w = (width - (columns - 1) * gutter) / columns
        gold = self.layout.colours["accent"]
        per_column = -(-len(element.items) // columns)
        bottom = 0.0
        for c in range(columns):
            y = 0.0
            x = c * (col_w + gutter)
            for item in element.items[c * per_column:(c + 1) * per_column]:
                start = len(piece.primary)
                col = self.column(piece.primary, item.ref, "en", col_w - indent, x + indent, y)
                col.text(item, "list")
                y = col.text(item, "list", "zh")
                first = next((i for i in piece.primary[start:] if isinstance(i, TextLine)), None)
                if first is not None:  # the bullet sits at the x-height of the item's first line
                    size = self.style("list", "en").size_pt
                    piece.primary.append(Box(x, first.baseline_pt - first.line.ascent_pt + size * 0.32,
                                             size * 0.42, size * 0.42, gold))
            bottom = max(bottom, y)
        piece.primary_h = bottom
        return piece

    def stat(self, stat: Stat, width: float, frame: FrameSpec) -> _Piece:
        piece = _Piece()
        col = self.column(piece.primary, stat.ref, "en", width)
        col.text(stat.lead, "stat-lead")
        figure_line = spans_from_text(stat.figure, self.style("stat-figure", "en"))
        extras: list[Span] = []
        if stat.unit:
            extras += [Span(" ", self.style("stat-unit", "en"))] + self.inline_pair(stat.unit, "stat-unit")
        if stat.change and (stat.change.en or stat.change.mixed):
            extras += [Span(" ", self.style("stat-change", "en"))] + self.spans(stat.change, "stat-change", "en")
        if extras and len(self.setter.set(figure_line + extras, width)) > 1:
            figure_lines = [figure_line, extras[1:]]  # unit and change join the figure only when they fit
        else:
            figure_lines = [figure_line + extras]
        label = self.inline_pair(stat.label, "stat-label")
        if stat.badge:  # a tag such as GHG rides on the label's line
            label += [Span(" ", self.style("stat-label", "en"))] + self.inline_pair(stat.badge, "badge")
        if frame.label_above:
            col.add(label)
        piece.anchor_pt = col.y  # tiles in a row align their figures, whatever stands above them
        for spans in figure_lines:
            col.add(spans)
        if not frame.label_above:
            col.add(label)
        piece.primary_h = col.text(stat.note, "stat-note")
        zh = self.column(piece.secondary, stat.ref, "zh", width)  # its Chinese: lead, change and note
        zh.text(stat.lead, "stat-lead")
        if stat.change and stat.change.zh:
            zh.text(stat.change, "stat-change")
        piece.secondary_h = zh.text(stat.note, "stat-note")
        return piece

    def callout(self, callout: Callout, width: float) -> _Piece:
        return self.stacked(callout.ref, width, [(callout.lead, "stat-lead"), (callout.headline, "callout-headline"),
                                                 (callout.text, "callout-text")])

    def ranking(self, ranking: Ranking, width: float) -> _Piece:
        piece = _Piece()
        rank_style = self.style("rank", "en")
        rank_natural = self._natural([Span(ranking.rank, rank_style)])
        rank_w = max(rank_natural + 1.5 * rank_style.size_pt / 10, self.m.rank_column_mm * MM)
        piece.primary_h = self.column(piece.primary, ranking.ref, "en", rank_w).add([Span(ranking.rank, rank_style)])
        return self.stacked(ranking.ref, width - rank_w, [(ranking.title, "rank-title"), (ranking.note, "rank-note"),
                                                          (ranking.source, "rank-source")], piece, rank_w)

    def _natural(self, spans: list[Span]) -> float:
        """The width of spans set on one line."""
        return self.setter.set(spans, 1e6, "left")[0].natural_pt

    def breakdown(self, table: Breakdown, width: float, chart: str = "bars") -> _Piece:
        """Labels, then figures, then proportional bars (or a ring chart above, with swatches)."""
        piece = _Piece()
        out = piece.primary
        y = self.column(out, table.ref, "en", width).add(self.inline_pair(table.caption, "table-caption"))
        tints = _ring_tints([row.count for row in table.rows])
        if chart == "ring":
            y = self.ring(table, width, y, tints, out)
        label_style = self.style("table-label", "en")
        whole_steps = lambda h: math.ceil(h / self.grid - 1e-6) * self.grid  # noqa: E731 (rows keep the grid)
        min_row_h = whole_steps(label_style.leading_pt * 1.55)
        gap = self.m.bullet_indent_mm * MM / 2
        figures_w = self.m.table_figures_mm * MM * (1.0 if any(r.percent is not None for r in table.rows) else 0.5)
        swatch_w = self.m.table_swatch_mm * MM if chart == "ring" else 0.0
        label_w = width - figures_w - swatch_w - gap if chart == "ring" else width * 0.5
        bar_x = label_w + gap
        bar_w = width - label_w - figures_w - 2 * gap
        biggest = max(r.count for r in table.rows) or 1
        labels = []  # each row's label lines, set first: a long label makes its row taller
        for row in table.rows:
            lines: list = []
            labels.append((lines, self.column(lines, row.ref, "en", label_w).add(self.inline_pair(row.label, "table-label"))))
        pad = label_style.leading_pt * 0.25
        first_label = _first_baseline(labels[0][0]) if labels else None
        if first_label is not None:  # rows are whole grid steps tall: put the first label on the grid
            y = self.on_grid(out, y + pad + first_label) - pad - first_label
        tops, heights = [], []
        for _, label_h in labels:
            tops.append(y)
            heights.append(whole_steps(max(min_row_h, label_h + label_style.leading_pt * 0.55)))
            y += heights[-1]
        # Labels, then figures, then bars: the figures column reads as one sequence.
        for top, (lines, _) in zip(tops, labels):
            out.extend(_shift(item, swatch_w, top + pad) for item in lines)
        # Counts and percentages in two columns, each aligned right (so on the decimal point: one decimal
        # each): the percentages as wide as the widest, the counts a word space before them.
        count_style, percent_style = self.style("table-figure", "en"), self.style("table-percent", "en")
        percents = [f"{row.percent:.1f}%" if row.percent is not None else "" for row in table.rows]
        percent_w = max((self._natural([Span(p, percent_style)]) for p in percents if p), default=0.0)
        if percent_w:
            percent_w += self._natural([Span("0 0", count_style)]) - self._natural([Span("00", count_style)])
        for top, row, percent in zip(tops, table.rows, percents):
            self.column(out, row.ref, "en", figures_w - percent_w, width - figures_w, top + pad).add(
                [Span(f"{row.count:,}", count_style)], align="right")
            if percent:
                self.column(out, row.ref, "en", percent_w, width - percent_w, top + pad).add(
                    [Span(percent, percent_style)], align="right")
        navy = self.layout.colours["primary"]
        bar_h = label_style.size_pt * 0.9
        if chart == "ring":
            swatch = label_style.size_pt * 0.8
            for top, tint in zip(tops, tints):
                out.append(Box(0.0, top + pad + label_style.size_pt * 0.1, swatch, swatch, navy, tint=tint))
            bar_w = 0.0
        for top, row in zip(tops, table.rows) if bar_w else ():
            bar_y = top + pad + label_style.size_pt * 0.05
            bar_len = max(bar_w * row.count / biggest, 0.6)
            out.append(Box(bar_x, bar_y, bar_w, bar_h, navy, tint=0.12))
            out.append(Box(bar_x, bar_y, bar_len, bar_h, navy))
        for top in tops[1:]:
            out.append(Rule(0, top, width, top, self.layout.colours["rule"], 0.3))
        piece.primary_h = y
        return piece

    def ring(self, table: Breakdown, width: float, y: float, tints: list, out: list) -> float:
        """A ring chart of the rows, centred above the table; returns the y below it."""
        outer = min(width * 0.3, self.m.ring_radius_mm * MM)
        inner = outer * self.m.ring_hole
        cx, cy = width / 2, y + outer * 0.1 + outer
        start = 0.0
        navy = self.layout.colours["primary"]
        for row, tint in zip(table.rows, tints):
            sweep = 360.0 * row.count / table.total
            out.append(Ring(cx, cy, outer, inner, start, sweep, navy, tint))
            start += sweep
        return cy + outer * 1.15

    def partner(self, partner: Partner, width: float) -> _Piece:
        return self.stacked(partner.ref, width, [(partner.name, "partner-name"), (partner.status, "partner-status"),
                                                 (partner.text, "partner-text")])

    def qr(self, qr: QrCode, width: float) -> _Piece:
        piece = _Piece()
        size = self.layout.qr_size_mm * MM
        g = self.layout.geometry
        piece.primary.append(QrMark(0, 0, size, qr.url, self.layout.colours["text"], qr.ref, g.qr_error_correction))
        if qr.url is not None:
            from .qrsize import check_module_size

            check_module_size(qr.url, g.qr_size_mm, g.qr_error_correction, g.qr_min_module_mm, ref_of(qr, "url"),
                              self.page, self.diags)
        text_x = size + self.m.qr_caption_gap_mm * MM
        col = self.column(piece.primary, qr.ref, "en", width - text_x, text_x)
        col.text(qr.caption, "qr-caption")
        piece.primary_h = max(size, col.text(qr.caption, "qr-caption", "zh"))
        if qr.url is None:
            self.diags.warning("qr-placeholder", "QR code has no url: a marked placeholder is printed", qr.ref,
                               page=self.page, hint="add url: https://... to print a real code")
        return piece

    # -- frames and pages --------------------------------------------------------
    def fill_frame(self, name: str, frame: FrameSpec, elements, x: float, top: float, width: float,
                   out: list, row_tops: list | None = None) -> tuple[float, list]:
        """Place elements row by row in `cells` columns, no row's anchor (a stat's figure, else its top)
        above its entry in `row_tops`; return the height used and where each row's anchor stands."""
        self.frame = name
        self.substitutes = {**self.page_substitutes, **(frame.styles or {})}
        gutter = self.layout.geometry.grid.gutter_mm * MM
        pad = frame.padding_mm * MM
        cells = frame.cells
        cell_w = (width - 2 * pad - (cells - 1) * gutter) / cells
        y = top + pad
        rows = [elements[i:i + cells] for i in range(0, len(elements), cells)]
        started = []
        for r, row in enumerate(rows):
            pieces = [self.element(e, cell_w, frame) for e in row]
            anchor = max(p.anchor_pt for p in pieces)
            if row_tops and r < len(row_tops):
                y = max(y, row_tops[r] - anchor)
            started.append(y + anchor)
            lefts = [x + pad + c * (cell_w + gutter) for c in range(len(row))]
            first_tops = [self.place(out, p.primary, dx, y) for p, dx in zip(pieces, lefts)]
            if len({type(e) for e in row}) == 1:
                # Elements of one kind side by side: English beside English, Chinese beside Chinese.
                below = max(t + p.primary_h for t, p in zip(first_tops, pieces))
                second_tops = [below + (self.m.band_gap_pt if any(q.secondary for q in pieces) else 0.0)] * len(row)
            else:  # unlike elements: each keeps its Chinese directly under its English
                second_tops = [t + p.primary_h + (self.m.band_gap_pt if p.secondary else 0.0)
                               for t, p in zip(first_tops, pieces)]
            second_tops = [self.place(out, p.secondary, dx, t) for p, dx, t in zip(pieces, lefts, second_tops)]
            y = max(max(t + p.primary_h for t, p in zip(first_tops, pieces)),
                    max(t + p.secondary_h for t, p in zip(second_tops, pieces)))
            if r < len(rows) - 1:
                y += self.m.row_gap_mm * MM
        return y + pad - top, started

    def layout_page(self, page: Page, edition: Edition) -> LaidOutPage:
        self.page = page.number
        self.overflowed: list[str] = []
        lay = self.layout
        g = lay.geometry
        template = lay.templates.get(page.template)
        items: list = []
        width = lay.page_width_pt
        band_h = g.title_band.height_mm * MM
        band = lay.colours[g.title_band.colour]
        items.append(Box(0, 0, width, band_h, band, bleeds=True))
        self.frame = "title-band"
        title_items: list = []
        title_w = width - (g.margins_mm.left + g.margins_mm.right) * MM
        one_line = self.inline_pair(page.title, "title")
        title_col = self.column(title_items, page.ref, "en", title_w)
        if len(self.setter.set(one_line, title_w)) == 1:
            title_col.add(one_line)
        else:
            title_col.text(page.title, "title")
            title_col.text(page.title, "title", "zh")
        title_h = self._height(title_items)
        room = band_h - 2 * g.page.safe_mm * MM
        if title_h > room + 0.5:
            self.overflowed.append("title-band")
            self.diags.error("overflow", f"the title is {(title_h - room) / MM:.1f} mm too tall for the title band "
                             f"({title_h / MM:.1f} mm of text, {room / MM:.1f} mm inside the safe area)",
                             page.title.ref, page=page.number,
                             hint="shorten the title, or raise title_band.height_mm in layout/page.yaml")
        items.extend(_shift(i, g.margins_mm.left * MM, (band_h - title_h) / 2 + 1.5) for i in title_items)

        footnote_items, footnote_h = self.footnotes(page, title_w)
        body_top = band_h + g.margins_mm.top * MM
        page_bottom = lay.page_height_pt - g.margins_mm.bottom * MM
        body_bottom = page_bottom
        if footnote_h:  # the notes stand at the foot, raised so that their lines keep the body's grid
            first = _first_baseline(footnote_items) or 0.0
            fy = _up_to_grid(page_bottom - footnote_h + first, body_top, self.grid) - first
            body_bottom = fy - g.footnote_gap_mm * MM
        frames = self.frames(page, template, body_top, body_bottom, items)
        if footnote_h:
            rule = lay.colours["rule"]
            left = g.margins_mm.left * MM
            items.append(Rule(left, fy - 2.0, left + self.m.footnote_rule_mm * MM, fy - 2.0, rule, 0.4))
            items.extend(_shift(i, g.margins_mm.left * MM, fy) for i in footnote_items)
        items.extend(self.folio(page, edition, title_w))
        safe = template.safe_mm if template is not None and template.safe_mm is not None else g.page.safe_mm
        lowest = max((f.y_pt + (f.height_pt if f.fixed else f.used_pt) for f in frames if f.used_pt), default=body_top)
        title = page.title.en or page.title.zh or page.title.mixed or ""
        return LaidOutPage(page.number, tuple(items), tuple(frames), title, safe,
                           grid_top_pt=body_top, grid_pt=self.grid, foot_gap_pt=body_bottom - lowest,
                           body_bottom_pt=body_bottom,
                           underfull_pt=g.underfull_mm * MM, ref=page.ref, overflowed=tuple(self.overflowed))

    @staticmethod
    def _height(items: list) -> float:
        return max((i.baseline_pt + i.line.descent_pt for i in items if isinstance(i, TextLine)), default=0.0)

    def frames(self, page: Page, template, body_top: float, body_bottom: float, items: list) -> list[FrameBox]:
        if template is None:
            self.diags.error("unknown-template", f"page {page.number} uses template '{page.template}', which "
                             "layout/templates.yaml does not define", ref_of(page, "template"), page=page.number,
                             hint="templates: " + ", ".join(self.layout.templates))
            return []
        blocks = {b.frame: b for b in page.blocks}
        for block in page.blocks:
            if block.frame not in template.frames:
                self.diags.error("unknown-frame", f"frame '{block.frame}' is not in template '{page.template}'",
                                 ref_of(block, "frame"), page=page.number,
                                 hint="frames: " + ", ".join(template.frames))
        self.page_substitutes = template.styles or {}
        order = self._frame_order(page, template)
        filled, started = {}, {}

        def fill(name: str, row_tops: list | None = None) -> None:
            frame = template.frames[name]
            x, w = self.layout.column_x_pt(frame.col, frame.span)
            block = blocks.get(name)
            frame_items: list = []
            used, started[name] = (self.fill_frame(name, frame, block.elements, x, 0.0, w, frame_items, row_tops)
                                   if block else (0.0, []))
            if block and frame.monolingual == "keep-height" and len(self.languages) < 3:
                # The layout asks this frame to hold its bilingual height in a single-language variant.
                languages, self.languages = self.languages, {"en", "zh", "mixed"}
                used = max(used, self.fill_frame(name, frame, block.elements, x, 0.0, w, [], row_tops)[0])
                self.languages = languages
            self.substitutes = {}
            filled[name] = (x, w, used, frame_items)

        for name in order:
            fill(name)
        self._align_rows(template, fill, started)
        self.page_substitutes = {}
        tops = self._vertical_justify(template, order, filled, body_top, body_bottom, page.ref)
        boxes = []
        for name in order:
            frame, block = template.frames[name], blocks.get(name)
            x, w, used, frame_items = filled[name]
            top = tops[name]
            limit = top + frame.height_mm * MM if frame.height_mm else body_bottom
            if frame.panel and block:
                height = frame.height_mm * MM if frame.height_mm else used
                items.append(Box(x, top, w, height, self.layout.colours[frame.panel]))
            items.extend(_shift(item, 0.0, top) for item in frame_items)
            boxes.append(FrameBox(name, x, top, w, limit - top, used, fixed=bool(frame.height_mm)))
            if block and top + used > limit + 0.5:
                self.overflowed.append(name)
                self.diags.error("overflow", f"frame '{name}' overflows by {(top + used - limit) / MM:.1f} mm "
                                 f"({used / MM:.1f} mm of content in {(limit - top) / MM:.1f} mm)",
                                 block.ref, page=page.number,
                                 hint="shorten the text, or enlarge the frame in layout/templates.yaml")
        return boxes

    @staticmethod
    def _align_rows(template, fill, started: dict) -> None:
        """Frames of one `align_rows` group set their k-th rows at one height (by their anchors: a stat's
        figure line, else the row's top), the lowest any of them needs: tiles side by side keep their
        headings and their figures level. Lowering a row can push the next one down in its frame, so
        this repeats until the rows stand still."""
        groups: dict = {}
        for name, frame in template.frames.items():
            if frame.align_rows:
                groups.setdefault(frame.align_rows, []).append(name)
        for names in groups.values():
            for _ in range(8):
                rows = max(len(started[n]) for n in names)
                tops = [max(started[n][k] for n in names if k < len(started[n])) for k in range(rows)]
                if all(started[n] == tops[:len(started[n])] for n in names):
                    break
                for name in names:
                    fill(name, tops)

    def _frame_order(self, page: Page, template) -> list[str]:
        """Frames in an order where every frame comes after the frames it is placed below."""
        order: list[str] = []
        pending = dict(template.frames)
        while pending:
            ready = [n for n, f in pending.items() if all(b in order for b in (f.below or ()))]
            if not ready:
                self.diags.error("frame-cycle", f"frames {', '.join(pending)} are placed below each other in a "
                                 "circle", next(iter(pending.values())).ref, page=page.number)
                break
            for name in ready:
                order.append(name)
                del pending[name]
        return order

    def _vertical_justify(self, template, order, filled, body_top: float, body_bottom: float,
                          page_ref: SourceRef) -> dict:
        """Tops of the frames, with the page's spare height shared among the gaps of the longest chain.

        Each frame is moved down (by less than one grid unit) so that its first baseline sits on
        the page's baseline grid, counted from the top of the body area; frames side by side then
        share their first baselines. A page too full for that keeps its unsnapped tops."""
        frames = template.frames
        grid = self.layout.geometry.grid.baseline_pt
        first_baseline = {name: min((i.baseline_pt for i in items if isinstance(i, TextLine)), default=None)
                          for name, (_, _, _, items) in filled.items()}

        def place(extra: float, snap: bool) -> tuple[dict, float]:
            tops, bottoms = {}, {}
            for name in order:
                f = frames[name]
                top = (body_top + f.top_mm * MM if not f.below
                       else max(bottoms[b] for b in f.below) + f.gap_mm * MM + (extra if f.stretch else 0.0))
                if snap and first_baseline[name] is not None:
                    top = _down_to_grid(top + first_baseline[name], body_top, grid) - first_baseline[name]
                tops[name] = top
                bottoms[name] = top + (f.height_mm * MM if f.height_mm else filled[name][2])
            return tops, max(bottoms.values(), default=body_top)

        depth: dict[str, int] = {}
        for name in order:
            f = frames[name]
            depth[name] = (int(f.stretch) + max(depth[b] for b in f.below)) if f.below else 0
        snap = True
        tops, lowest = place(0.0, snap)
        if lowest > body_bottom + 0.01:
            unsnapped = place(0.0, False)
            if unsnapped[1] <= body_bottom + 0.01:  # fits only off the grid (a page that overflows keeps it)
                snap = False
                tops, lowest = unsnapped
                self.diags.warning("off-grid", "the page is too full for its frames to start on the baseline "
                                   "grid: their lines are set off the grid", page_ref, page=self.page,
                                   hint="shorten the text a little, or lower a frame's gap_mm in "
                                   "layout/templates.yaml")
        chain = max(depth.values(), default=0)
        cap = self.layout.geometry.max_gap_stretch_mm * MM
        if chain == 0 or lowest >= body_bottom or cap == 0:
            return tops
        extra = min(cap, (body_bottom - lowest) / chain)
        for _ in range(20):  # a chain that is not the lowest may need less; settle deterministically
            stretched, lowest = place(extra, snap)
            if lowest <= body_bottom + 0.01:
                return stretched
            extra *= 0.9
        return tops

    def footnotes(self, page: Page, width: float) -> tuple[list, float]:
        out: list = []
        y = 0.0
        self.frame = "footnotes"
        style = self.style("footnote", "en")
        indent = 2.2 * style.size_pt  # markers hang in their own column; both languages align after it
        for note in page.footnotes:
            self.column(out, note.ref, "en", indent, 0.0, y).add([Span(note.marker, style)])
            col = self.column(out, note.ref, "en", width - indent, indent, y)
            col.text(note.text, "footnote")
            y = col.text(note.text, "footnote", "zh")
        return out, y

    def folio(self, page: Page, edition: Edition, width: float) -> list:
        g = self.layout.geometry
        out: list = []
        self.frame = "folio"
        spans = self.inline_pair(edition.title, "folio")
        baseline = self.layout.page_height_pt - g.folio_mm * MM
        number = [Span(str(page.number), self.style("folio-number", "en"))]
        left = g.margins_mm.left * MM
        for spans_, align in ((spans, "left"), (number, "right")):
            lines = self.setter.set(spans_, width, align)
            if lines:
                out.append(TextLine(left, baseline, lines[0], page.ref, "folio", "en"))
        return out


def _ring_tints(counts: list[int]) -> list[float]:
    """A tint of the primary colour per row: the biggest share darkest, evenly spaced down to light."""
    if len(counts) <= 1:
        return [1.0] * len(counts)
    by_size = sorted(range(len(counts)), key=lambda i: (-counts[i], i))
    step = 0.82 / (len(counts) - 1)
    tints = [0.0] * len(counts)
    for rank, index in enumerate(by_size):
        tints[index] = round(1.0 - step * rank, 3)
    return tints


def layout_edition(edition: Edition, layout: Layout, fonts: FontSet | TextSetter,
                   diags: Diagnostics, lang: str | None = None) -> list[LaidOutPage]:
    """Every page of the edition (in one language if `lang`); pass a TextSetter to reuse its memo across builds."""
    setter = fonts if isinstance(fonts, TextSetter) else TextSetter(fonts)
    layouter = PageLayouter(layout, setter, diags, lang)
    return [layouter.layout_page(page, edition) for page in sorted(edition.pages, key=lambda p: p.number)]
