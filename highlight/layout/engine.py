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
from dataclasses import dataclass, replace

from ..content import ref_of, Edition, Page, Stat, Text
from ..diagnostics import Diagnostics, SourceRef
from ..fonts import FontSet
from ..layout_spec import MM, FrameSpec, Layout, Style
from ..text import Span, TextSetter, spans_from_text
from .elements import COPYFIT_STYLES, _twin_style, figure_and_extras, figure_room, lay_out
from .items import (Box, CopyfitStep, FrameBox, LaidOutPage, Rule, TextLine, _down_to_grid,
                    _first_baseline, _Piece, _shift, _up_to_grid)



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
        self.fitted: dict = {}  # (frame, style) -> the copyfit step its figures take on this page
        self.spacing: dict = dict(layout.geometry.spacing_pt or {})  # the named gaps in force on this page
        self.spacing_used = "stock"  # which: the page's own larger steps, the leaflet's, or the compact ones
        self.units_below: set = set()  # frames whose stats set unit and change under the figure
        self.template = None  # the template of the page being laid out
        self.frame_heights: dict = {}  # (page, frame) -> height used, for the next build's overflow messages
        self.previous_heights: dict = {}  # the same, from the last good build of this edition

    # -- text blocks --------------------------------------------------------
    def style(self, name: str, lang: str) -> Style:
        fitted = self.fitted.get((self.frame, name))
        if fitted is not None:
            return fitted
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
        if not lines:
            return col.y
        baseline = col.y + first.space_before_pt
        for index, line in enumerate(lines):
            baseline += line.ascent_pt if index == 0 else lines[index - 1].descent_pt + line.ascent_pt
            baseline = self.on_grid(col.out, baseline)
            col.out.append(TextLine(col.x, baseline, line, col.ref, self.frame, lang or col.lang))
            if line.overfull and not (first.name in COPYFIT_STYLES and (self.frame, first.name) in self.fitted):
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
                col.text(text, style if col is en else _twin_style(texts, text, style))
        piece.primary_h, piece.secondary_h = max(piece.primary_h, en.y), zh.y
        return piece

    def _natural(self, spans: list[Span]) -> float:
        """The width of spans set on one line."""
        return self.setter.set(spans, 1e6, "left")[0].natural_pt

    # -- frames and pages --------------------------------------------------------
    def fill_frame(self, name: str, frame: FrameSpec, elements, x: float, top: float, width: float,
                   out: list, row_tops: list | None = None, row_extra: float = 0.0) -> tuple[float, list]:
        """Place elements row by row in `cells` columns, no row's anchor (a stat's figure, else its top)
        above its entry in `row_tops`; return the height used and where each row's anchor stands.
        `row_extra` more space above, between and below the rows: a frame that grows spaces its rows."""
        self.frame = name
        self.substitutes = {**self.page_substitutes, **(frame.styles or {})}
        gutter = self.layout.geometry.grid.gutter_mm * MM
        pad = frame.padding_mm * MM
        cells = frame.cells
        cell_w = (width - 2 * pad - (cells - 1) * gutter) / cells
        y = top + pad + row_extra
        rows = [elements[i:i + cells] for i in range(0, len(elements), cells)]
        started = []
        for r, row in enumerate(rows):
            pieces = [lay_out(self, e, cell_w, frame) for e in row]
            # A row aligns its anchors (a stat's figure line, else the cell's top): each cell keeps its
            # Chinese directly under its English, so a cell with short English leaves no hole above its Chinese.
            anchor = max(p.anchor_pt for p in pieces)
            if row_tops and r < len(row_tops):
                y = max(y, row_tops[r] - anchor)
            started.append(y + anchor)
            lefts = [x + pad + c * (cell_w + gutter) for c in range(len(row))]
            bottoms = []
            if frame.bands == "shared":
                # Cells alike (two callouts, say): the English of the row on one band, then its Chinese on
                # the next, in that reading order.
                firsts = [self.place(out, p.primary, dx, y + anchor - p.anchor_pt if p.anchored else y)
                          for p, dx in zip(pieces, lefts)]
                below = max(t + p.primary_h for t, p in zip(firsts, pieces))
                gap = self.m.band_gap_pt if any(p.secondary for p in pieces) else 0.0
                for first_top, piece, dx in zip(firsts, pieces, lefts):
                    second_top = self.place(out, piece.secondary, dx, below + gap)
                    bottoms.append(max(first_top + piece.primary_h, second_top + piece.secondary_h))
            for piece, dx in zip(pieces, lefts) if frame.bands != "shared" else ():
                # Figures stand level; a cell of text (a callout, a paragraph) starts at the row's top.
                first_top = self.place(out, piece.primary, dx, y + anchor - piece.anchor_pt if piece.anchored else y)
                second_top = first_top + piece.primary_h + (self.m.band_gap_pt if piece.secondary and piece.primary
                                                             else 0.0)
                second_top = self.place(out, piece.secondary, dx, second_top)
                bottoms.append(max(first_top + piece.primary_h, second_top + piece.secondary_h))
            y = max(bottoms)
            if r < len(rows) - 1:
                y += self.m.row_gap_mm * MM + row_extra
                if frame.row_rules:  # a hairline halfway between the rows, across the frame's measure
                    mid = y - (self.m.row_gap_mm * MM + row_extra) / 2
                    out.append(Rule(x + pad, mid, x + width - pad, mid, self.layout.colours["rule"], 0.4))
        return y + pad + row_extra - top, started

    def layout_page(self, page: Page, edition: Edition) -> LaidOutPage:
        self.page = page.number
        self.overflowed: list[str] = []
        self.declared_space = None
        self.copyfit: list[CopyfitStep] = []
        self.widened: set = set()  # frames set at their wide_span because the page was too full
        self.fitted: dict[tuple[str, str], Style] = {}  # (frame, style) -> the step its group takes
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
        # English, then Chinese beneath, on every page: the first baseline stands at one height on all
        # pages, so the titles of a spread are level whatever their lengths.
        title_col = self.column(title_items, page.ref, "en", title_w)
        title_col.text(page.title, "title")
        title_col.text(page.title, "title", "zh")
        en_style, zh_style = self.style("title", "en"), self.style("title", "zh")
        ascent = en_style.size_pt * 0.72  # cap height: the optical top of the English line
        standard_h = ascent + zh_style.leading_pt + zh_style.size_pt * 0.1  # to the foot of the ideographs
        baselines = [i.baseline_pt for i in title_items if isinstance(i, TextLine)]
        title_h = (baselines[-1] - baselines[0] + standard_h - zh_style.leading_pt) if baselines else 0.0
        room = band_h - 2 * g.page.safe_mm * MM
        if title_h > room + 0.5:
            self.overflowed.append("title-band")
            self.diags.error("overflow", f"the title is {(title_h - room) / MM:.1f} mm too tall for the title band "
                             f"({title_h / MM:.1f} mm of text, {room / MM:.1f} mm inside the safe area): each "
                             "language must keep to one line", page.title.ref, page=page.number,
                             hint="shorten the title, or raise title_band.height_mm in the edition's layout/page.yaml")
        first = _first_baseline(title_items) or 0.0
        baseline = (band_h - standard_h) / 2 + ascent
        items.extend(_shift(i, g.margins_mm.left * MM, baseline - first) for i in title_items)

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
                           underfull_pt=g.underfull_mm * MM, ref=page.ref, overflowed=tuple(self.overflowed),
                           declared_space_pt=self.declared_space, copyfit=tuple(self.copyfit),
                           spacing=self.spacing_used, widened=tuple(sorted(self.widened)))

    @staticmethod
    def _height(items: list) -> float:
        return max((i.baseline_pt + i.line.descent_pt for i in items if isinstance(i, TextLine)), default=0.0)

    def frames(self, page: Page, template, body_top: float, body_bottom: float, items: list) -> list[FrameBox]:
        if template is None:
            self.diags.error("unknown-template", f"page {page.number} uses template '{page.template}', which "
                             "layout/templates.yaml does not define", ref_of(page, "template"), page=page.number,
                             hint="templates: " + ", ".join(self.layout.templates))
            return []
        # A frame may take the blocks of older frame names (`aliases`): last year's page files still build
        # after frames are merged; their elements join in page order.
        alias = {old: name for name, f in template.frames.items() for old in (f.aliases or ())}
        blocks: dict = {}
        for block in page.blocks:
            name = alias.get(block.frame, block.frame)
            if name in blocks:
                blocks[name] = replace(blocks[name], elements=blocks[name].elements + block.elements)
            else:
                blocks[name] = replace(block, frame=name) if name != block.frame else block
        for block in page.blocks:
            if block.frame not in template.frames and block.frame not in alias:
                self.diags.error("unknown-frame", f"frame '{block.frame}' is not in template '{page.template}'",
                                 ref_of(block, "frame"), page=page.number,
                                 hint="frames: " + ", ".join(template.frames))
        self.page_substitutes = template.styles or {}
        self.template = template
        order = self._frame_order(page, template)
        filled, started = {}, {}

        def fill(name: str, row_tops: list | None = None, row_extra: float = 0.0) -> None:
            frame = template.frames[name]
            span = frame.wide_span if name in self.widened else frame.span
            x, w = self.layout.column_x_pt(frame.col, span)
            block = blocks.get(name)
            frame_items: list = []
            used, started[name] = (self.fill_frame(name, frame, block.elements, x, 0.0, w, frame_items, row_tops,
                                                   row_extra) if block else (0.0, []))
            if block and frame.monolingual == "keep-height" and len(self.languages) < 3:
                # The layout asks this frame to hold its bilingual height in a single-language variant.
                languages, self.languages = self.languages, {"en", "zh", "mixed"}
                used = max(used, self.fill_frame(name, frame, block.elements, x, 0.0, w, [], row_tops)[0])
                self.languages = languages
            self.substitutes = {}
            filled[name] = (x, w, used, frame_items)

        self._copyfit(page, template, blocks)
        for name in order:
            fill(name)
        self._align_rows(template, fill, started)
        self.page_substitutes = {}
        quiet, self.diags = self.diags, Diagnostics()  # a trial: the page may still widen its frames
        trial = self._place_frames(template, order, filled, body_top, body_bottom, page.ref)
        self.diags = quiet
        wide = [n for n in order if template.frames[n].wide_span and blocks.get(n)]
        if wide and self._overflows(template, order, filled, trial[0], body_bottom):
            # Too full: the frames that may widen (a measure the design prefers narrower) take their
            # wider span before the page leaves the grid or overflows.
            self.widened = set(wide)
            self.page_substitutes = template.styles or {}
            reported, self.diags = self.diags, Diagnostics()
            for name in wide:
                fill(name)
            self.diags = reported
            self.page_substitutes = {}
        tops, grown, self.declared_space = self._place_frames(template, order, filled, body_top, body_bottom,
                                                              page.ref)
        for name, extra in list(grown.items()):
            # A frame that grows spaces its rows evenly in its new height (its panel holds the space),
            # in whole grid steps; what the steps cannot take stays at its foot.
            block = blocks.get(name)
            if block is None:
                continue
            frame = template.frames[name]
            rows = -(-len(block.elements) // frame.cells)
            step = math.floor(extra / (rows + 1) / self.grid + 1e-6) * self.grid
            if step <= 0:
                continue
            before = filled[name][2]
            self.page_substitutes = template.styles or {}
            reported, self.diags = self.diags, Diagnostics()  # its content was reported on the first fill
            fill(name, None, step)
            self.diags = reported
            self.page_substitutes = {}
            grown[name] = max(0.0, before + extra - filled[name][2])
        boxes = []
        for name in order:
            frame, block = template.frames[name], blocks.get(name)
            x, w, used, frame_items = filled[name]
            top = tops[name]
            limit = top + frame.height_mm * MM if frame.height_mm else body_bottom
            if frame.panel and block:
                height = (frame.height_mm * MM if frame.height_mm else used) + grown.get(name, 0.0)
                if frame.align_rows:  # cards of a row: one height, the tallest's
                    height = max(height, *(filled[n][2] for n in order if blocks.get(n)
                                           and template.frames[n].align_rows == frame.align_rows
                                           and abs(tops[n] - top) < 0.5))
                items.append(Box(x, top, w, height, self.layout.colours[frame.panel]))
            items.extend(_shift(item, 0.0, top) for item in frame_items)
            boxes.append(FrameBox(name, x, top, w, limit - top, used + grown.get(name, 0.0), fixed=bool(frame.height_mm)))
            if block and top + used > limit + 0.5:
                self.overflowed.append(name)
                over = top + used - limit
                body = self.style("body", "en").leading_pt
                grew = self._growth(page, order, filled, blocks, name)
                fixed = f"its {frame.height_mm:g} mm" if frame.height_mm else "the page's"
                self.diags.error("overflow", f"frame '{name}' runs {over / MM:.1f} mm past {fixed} foot "
                                 f"(about {math.ceil(over / body - 1e-6)} line(s) of body at {body:g} pt; "
                                 f"{used / MM:.1f} mm of content in {(limit - top) / MM:.1f} mm). {grew}",
                                 block.ref, page=page.number,
                                 hint=f"shorten the texts named by {over / MM:.1f} mm, or in the edition's "
                                 "layout give the page a smaller gap step (spacing_pt) or the frame more columns")
        self.frame_heights.update({(page.number, n): filled[n][2] for n in order if blocks.get(n)})
        return boxes

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

    def _overflows(self, template, order, filled, tops: dict, body_bottom: float) -> bool:
        """Whether frames placed at `tops` run past the body's foot (or their fixed height)."""
        for name in order:
            frame = template.frames[name]
            limit = tops[name] + frame.height_mm * MM if frame.height_mm else body_bottom
            if tops[name] + filled[name][2] > limit + 0.5:
                return True
        return False

    def _copyfit(self, page: Page, template, blocks: dict) -> None:
        """Figures too wide at their style's size take the largest smaller step of the scale that fits
        (`steps:` of the style). Every figure of a frame, and of all frames of its align_rows group, takes
        the same step, so a row stays one size. Only when the smallest step fails is it an error."""
        self.fitted = {}
        groups: dict = {}
        gutter = self.layout.geometry.grid.gutter_mm * MM
        for name, frame in template.frames.items():
            block = blocks.get(name)
            if block is None:
                continue
            _, width = self.layout.column_x_pt(frame.col, frame.span)
            cell_w = (width - 2 * frame.padding_mm * MM - (frame.cells - 1) * gutter) / frame.cells
            self.frame = name
            self.substitutes = {**(template.styles or {}), **(frame.styles or {})}
            for element in block.elements:
                fit = figure_room(self, element, frame, cell_w)
                if fit is None:
                    continue
                style_name, figure, room = fit
                style = self.style(style_name, "en")
                sizes = [style.size_pt] + list(self.layout.steps(self.substitutes.get(style_name, style_name)))
                natural = [self._natural(spans_from_text(figure, self._at_size(style, size))) for size in sizes]
                needed = next((k for k, w in enumerate(natural) if w <= room + 0.01), None)
                key = (frame.align_rows or name, style_name)
                group = groups.setdefault(key, {"frames": [], "step": 0, "sizes": sizes, "style": style,
                                                "widest": (0.0, room, element.ref, figure)})
                if name not in group["frames"]:
                    group["frames"].append(name)
                if needed is None:
                    smallest = sizes[-1]
                    self.diags.error("copyfit", f"in frame '{name}' the figure '{figure}' is "
                                     f"{(natural[-1] - room) / MM:.1f} mm wider than its {room / MM:.1f} mm cell even "
                                     f"at {smallest:g} pt, the smallest step of style '{style_name}'",
                                     element.ref, page=page.number,
                                     hint="write the figure shorter (HK$1.02B for HK$1,024.5M), give the frame more "
                                     "columns (span) or fewer cells in the edition's layout/templates.yaml, or add a "
                                     f"smaller step to '{style_name}' steps in layout/styles.yaml")
                    needed = len(sizes) - 1
                if needed > group["step"] or (needed == group["step"] and natural[0] - room > group["widest"][0] - group["widest"][1]):
                    group["widest"] = (natural[0], room, element.ref, figure)
                group["step"] = max(group["step"], needed)
        self.substitutes = {}
        self.units_below = set()
        for (_, style_name), group in sorted(groups.items()):
            if group["step"] == 0:
                continue
            size = group["sizes"][group["step"]]
            fitted = self._at_size(group["style"], size)
            for name in group["frames"]:
                self.fitted[(name, style_name)] = fitted
            natural, room, ref, figure = group["widest"]
            self.copyfit.append(CopyfitStep(tuple(group["frames"]), style_name, size, natural, room, ref, figure))
        # One anatomy per frame: the unit and change stand on the figure line in every cell, or under the
        # figure in every cell, never one way here and the other way beside it.
        for name, frame in template.frames.items():
            block = blocks.get(name)
            if block is None:
                continue
            self.frame = name
            _, width = self.layout.column_x_pt(frame.col, frame.span)
            cell_w = (width - 2 * frame.padding_mm * MM - (frame.cells - 1) * gutter) / frame.cells
            for element in block.elements:
                if isinstance(element, Stat):
                    figure_line, extras = figure_and_extras(self, element)
                    room = frame.beside_mm * MM if frame.beside_mm else cell_w
                    if extras and len(self.setter.set(figure_line + extras, room)) > 1:
                        self.units_below.add(name)

    def _at_size(self, style: Style, size_pt: float) -> Style:
        """`style` at another size of the scale, its leading grown in whole baseline-grid steps."""
        if size_pt == style.size_pt:
            return style
        leading = math.ceil(size_pt * style.leading_pt / style.size_pt / self.grid - 1e-6) * self.grid
        return replace(style, size_pt=size_pt, leading_pt=leading)

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

    def gap_pt(self, frame: FrameSpec) -> float:
        """The space above a frame placed below others: a named step of layout/page.yaml's spacing, or gap_mm."""
        if frame.gap is not None:
            return self.spacing[frame.gap]
        return frame.gap_mm * MM

    def _place_frames(self, template, order, filled, body_top: float, body_bottom: float,
                      page_ref: SourceRef) -> tuple[dict, dict, tuple | None]:
        """Tops (and grown heights) of the frames, and the one space the template declares, if any.

        Frames stack with the named gaps of the spacing scale; spare height is never spread into every
        gap. It goes where the template says: a frame that `grow`s (its panel takes it) or frames
        anchored to the foot (`anchor: foot`: they and the frames below them go down, leaving one
        deliberate space above). Each frame's first baseline sits on the page's baseline grid."""
        frames = template.frames
        grid = self.grid
        first_baseline = {name: min((i.baseline_pt for i in items if isinstance(i, TextLine)), default=None)
                          for name, (_, _, _, items) in filled.items()}

        def place(snap: bool, grown: dict) -> tuple[dict, float]:
            tops, bottoms = {}, {}
            for name in order:
                f = frames[name]
                top = body_top + f.top_mm * MM if not f.below else max(bottoms[b] for b in f.below) + self.gap_pt(f)
                if snap and first_baseline[name] is not None:
                    top = _down_to_grid(top + first_baseline[name], body_top, grid) - first_baseline[name]
                tops[name] = top
                height = f.height_mm * MM if f.height_mm else filled[name][2]
                bottoms[name] = top + height + grown.get(name, 0.0)
            return tops, max(bottoms.values(), default=body_top)

        # The page's own larger steps when they leave room, else the leaflet's steps: next year's longer
        # copy takes the air back before it overflows or leaves the grid.
        stock = dict(self.layout.geometry.spacing_pt or {})
        compact = {**stock, **(self.layout.geometry.compact_spacing_pt or {})}
        self.spacing = {**stock, **(getattr(template, "spacing_pt", None) or {})}
        self.spacing_used = "page" if self.spacing != stock else "stock"
        tops, lowest = place(True, {})
        for name, fallback in (("stock", stock), ("compact", compact)):
            if lowest <= body_bottom + 0.01 or self.spacing == fallback:
                continue
            self.spacing, self.spacing_used = fallback, name
            tops, lowest = place(True, {})
        snap = True
        if lowest > body_bottom + 0.01:
            unsnapped = place(False, {})
            if unsnapped[1] <= body_bottom + 0.01:  # fits only off the grid (a page that overflows keeps it)
                over = lowest - body_bottom
                snap = False
                tops, lowest = unsnapped
                self.diags.warning("off-grid", f"the page is {over / MM:.1f} mm too full for its frames to start on "
                                   "the baseline grid: their lines are set off the grid", page_ref, page=self.page,
                                   hint=f"shorten the text by {over / MM:.1f} mm (a line of body is "
                                   f"{self.style('body', 'en').leading_pt / MM:.1f} mm), or use a smaller gap step "
                                   "in the edition's layout")
        growing = [n for n in order if frames[n].grow]
        geometry = self.layout.geometry
        loose = {name: max(self.spacing.get(name, 0.0), value) for name, value in (geometry.loose_spacing_pt or {}).items()}
        anchored_first = next((n for n in order if frames[n].anchor), None)
        # The deliberate space is the spare and the gap above the anchored frames together.
        room = (geometry.typography.deliberate_space_mm * MM - self.gap_pt(frames[anchored_first])
                if anchored_first else geometry.underfull_mm * MM)
        if snap and not growing and loose and body_bottom - lowest > room and loose != self.spacing:
            # More spare than one deliberate space (or an underfull foot): a larger step everywhere on the
            # page (shorter copy than the page was made for), if the page still fits with it.
            # The largest share of the way to the loose steps that still fits, each gap in whole grid steps.
            spacing = self.spacing
            for share in (1.0, 0.75, 0.5, 0.25):
                self.spacing = {**spacing, **{name: spacing.get(name, 0.0) + math.floor(
                    (value - spacing.get(name, 0.0)) * share / grid + 1e-6) * grid for name, value in loose.items()}}
                trial = place(True, {})
                if trial[1] <= body_bottom + 0.01:
                    tops, lowest = trial
                    self.spacing_used = "loose"
                    break
            else:
                self.spacing = spacing
        spare = math.floor(max(0.0, body_bottom - lowest) / grid + 1e-6) * grid
        if spare <= 0:
            return tops, {}, None
        anchored = [n for n in order if frames[n].anchor == "foot"]
        if growing:  # it grows down to the foot (it may stand beside a taller column)
            name = growing[0]
            bottom = tops[name] + (frames[name].height_mm * MM if frames[name].height_mm else filled[name][2])
            grown = {name: spare + (lowest - bottom)}
            tops, lowest = place(snap, grown)
            if lowest > body_bottom + 0.01:  # whatever stands below it would be pushed off: grow by the spare only
                grown = {name: spare}
                tops = place(snap, grown)[0]
            return tops, grown, None
        if anchored:
            moved = set(anchored)
            for name in order:  # whatever stands below a frame that moved down moves with it
                if set(frames[name].below or ()) & moved:
                    moved.add(name)
            space_top = max((tops[n] + (frames[n].height_mm * MM if frames[n].height_mm else filled[n][2])
                             for n in order if n not in moved), default=body_top)
            tops = {n: t + spare if n in moved else t for n, t in tops.items()}
            return tops, {}, (space_top, min(tops[n] for n in moved))
        return tops, {}, None

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


def layout_edition(edition: Edition, layout: Layout, fonts: FontSet | TextSetter,
                   diags: Diagnostics, lang: str | None = None, previous_heights: dict | None = None) -> list[LaidOutPage]:
    """Every page of the edition (in one language if `lang`); pass a TextSetter to reuse its memo across builds,
    and the frame heights of the last good build ((page, frame) -> pt) so that an overflow names what grew."""
    setter = fonts if isinstance(fonts, TextSetter) else TextSetter(fonts)
    layouter = PageLayouter(layout, setter, diags, lang)
    layouter.previous_heights = previous_heights or {}
    return [layouter.layout_page(page, edition) for page in sorted(edition.pages, key=lambda p: p.number)]
