"""Every element kind's layout, one unit each, registered in ONE table: ELEMENTS.

A kind's layout is its layout function (the element set at a cell's width as a _Piece: its English on the
primary band, its Chinese on the secondary) and, for a figure that cannot wrap, the room it has. Its content
facets (the styles it sets, the texts it holds, the figures it prints once for both languages, what it
prints) are kinds.py's table, KINDS, which the content, the checks and parity read without the layout. A new
kind is one more entry there and one more unit and entry here (docs/architecture.md walks through it).

A layout function takes the frame's context `ctx` (stacking.FrameContext: its styles in force, columns that
stack lines on the baseline grid), the element, the cell's width and the frame's spec (FrameSpec: cells,
beside_mm, …), and returns the element's _Piece; it changes nothing else.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from .. import kinds
from ..chars import JOINING_PUNCTUATION, split_bracket
from ..content import (
    Breakdown,
    BulletList,
    Callout,
    Heading,
    Image,
    Paragraph,
    Partner,
    QrCode,
    Ranking,
    Stat,
    Text,
    ref_of,
)
from ..diagnostics import shown
from ..kinds import Kind
from ..layout_spec import MM, FrameSpec
from ..text import CLOSING_BRACKETS, OPENING_BRACKETS, Span, spans_from_text
from .items import Box, Picture, QrMark, Ring, Role, Rule, TextLine, _Piece
from .stacking import FrameContext, twin_style


@dataclass(frozen=True)
class ElementKind:
    """A kind's layout facets; its content facets (styles, figures, what it prints) are kinds.py's Kind."""

    content: type  # the content dataclass (content.py)
    lay_out: Callable  # (ctx, element, width, frame) -> _Piece
    # a figure that cannot wrap steps down its kind's copyfit style instead: (ctx, element, frame, cell_w) ->
    # (figure, room)
    figure_room: Callable | None = None

    @property
    def kind(self) -> Kind:
        return kinds.kind_of_class(self.content)

    @property
    def styles(self) -> tuple[str, ...]:
        return self.kind.styles


# -- the kinds' layout ------------------------------------------------------------------------------------
def paragraph(ctx: FrameContext, paragraph: Paragraph, width: float, frame: FrameSpec) -> _Piece:
    """English, then Chinese. A bracket that opens in one language and closes in the other (the copy deck's
    （2014–15 as baseline 2014–15 為基線）: the English opens it, the Chinese closes it) is completed in each
    language as furniture, "(2014–15 as baseline)" over "（2014–15 為基線）": the bracket the layout adds is
    drawn as its glyph's outline (an artifact, not text), so the text layer and a screen reader read the
    source's words and the eye sees each language's brackets balanced (chars.split_bracket)."""
    text = paragraph.text
    split = split_bracket(text.en or "", text.zh or "")
    if split is None:
        return ctx.stacked(text.ref, width, [(text, "body")])
    en_closer, zh_opener = split
    piece = _Piece()
    en_style, zh_style = ctx.style("body", "en"), ctx.style("body", "zh")
    closer_w = ctx._natural([Span(en_closer, en_style, lang="en")])
    en = ctx.column(piece.primary, text.ref, "en", width - closer_w)
    start = len(piece.primary)
    en.text(text, "body")
    lines = [item for item in piece.primary[start:] if isinstance(item, TextLine)]
    if lines:  # the closing bracket after the English's last word
        at = piece.primary.index(lines[-1])
        piece.primary[at] = _with_furniture(ctx, lines[-1], Span(en_closer, en_style, lang="en"), False)
    # The Chinese after its opening bracket; a full-width bracket's blank half hangs, as at any line's start
    # (text.py sets it so: its natural width is its ink's half), so its ink stands on the English one's edge.
    indent = ctx._natural([Span(zh_opener, zh_style, lang="zh")])
    zh = ctx.column(piece.secondary, text.ref, "zh", width - indent, indent)
    start = len(piece.secondary)
    zh.text(text, "body")
    lines = [item for item in piece.secondary[start:] if isinstance(item, TextLine)]
    if lines:  # the opening bracket before the Chinese's first character
        at = piece.secondary.index(lines[0])
        piece.secondary[at] = _with_furniture(ctx, lines[0], Span(zh_opener, zh_style, lang="zh"), True)
    piece.primary_h, piece.secondary_h = en.y, zh.y
    return piece


def _label_unit_brackets(ctx: FrameContext, style) -> tuple:
    """The brackets a stat's Chinese unit stands between after its label (elements.label_unit_brackets_zh), each as
    (its runs from 0, its advance): full width, as a bracket inside a line of the copy is set, its blank half kept
    (not hung as at a line's start); or (None, None)."""
    brackets = ctx.m.label_unit_brackets_zh
    if not brackets:
        return None, None
    set_ = []
    for mark in brackets:
        runs = ctx.setter.set([Span(mark, style, lang="zh")], 1e6, "left")[0].runs
        start = min(r.x_pt for r in runs)
        set_.append((tuple(replace(r, x_pt=r.x_pt - start, artifact=True, outline=True) for r in runs),
                     max(r.x_pt + r.width_pt for r in runs) - start))
    return tuple(set_)


def _bracketed(item: TextLine, opener, closer, own_line: bool) -> TextLine:
    """The unit's line between its brackets, drawn as furniture (耗電量（千瓦小時）: Chinese reviews 27 and 28, item 2,
    the unit a word space after the label read as a label of its own): the eye sees them, no text extractor reads
    them, so the text layer keeps the copy's words. On a line of its own the opener stands at the line's start."""
    (open_runs, open_w), (close_runs, close_w) = opener, closer
    end = open_w + item.line.natural_pt
    runs = open_runs + tuple(replace(r, x_pt=r.x_pt + open_w) for r in item.line.runs) \
        + tuple(replace(r, x_pt=r.x_pt + end) for r in close_runs)
    line = replace(item.line, runs=runs, width_pt=item.line.width_pt + open_w + close_w,
                   natural_pt=end + close_w)
    return TextLine(item.x_pt if own_line else item.x_pt - open_w, item.baseline_pt, line, item.ref, item.frame,
                    item.lang, item.role)


def _with_furniture(ctx: FrameContext, item: TextLine, span: Span, before: bool) -> TextLine:
    """`item` with `span` added before its first character (or after its last), drawn as its glyphs' outlines:
    furniture the eye sees and no text extractor reads (an artifact)."""
    added = ctx.setter.set([span], 1e6, "left")[0]
    w = added.natural_pt
    runs = item.line.runs
    if before:
        runs = tuple(replace(r, artifact=True, outline=True) for r in added.runs) + tuple(
            replace(r, x_pt=r.x_pt + w) for r in runs)
        x = item.x_pt - w
    else:
        end = item.line.natural_pt
        runs = runs + tuple(replace(r, x_pt=r.x_pt + end, artifact=True, outline=True) for r in added.runs)
        x = item.x_pt
    line = replace(item.line, runs=runs, width_pt=item.line.width_pt + w, natural_pt=item.line.natural_pt + w,
                   ascent_pt=max(item.line.ascent_pt, added.ascent_pt),
                   descent_pt=max(item.line.descent_pt, added.descent_pt))
    return TextLine(x, item.baseline_pt, line, item.ref, item.frame, item.lang, item.role)


def heading(ctx: FrameContext, heading: Heading, width: float, frame: FrameSpec) -> _Piece:
    """A heading in the one form of its level on every page (DESIGN.md, "Headings"): its English, then its
    Chinese beneath, whatever their lengths (never inline on one page and stacked on the next); a level-1
    heading ruled beneath; level 0, a page's second theme, white on a navy band of its own (the panel
    padding around it), so that it never reads as one more section heading."""
    style = {0: "theme-heading", 1: "heading1"}.get(heading.level, "heading2")
    piece = _Piece()
    if heading.level == 0:
        return _theme_band(ctx, heading, width)
    col = ctx.column(piece.primary, heading.ref, "en", width)
    col.text(heading.text, style, balance=True)
    piece.primary_h = col.text(heading.text, style, "zh", balance=True)
    if heading.level >= 2 and ctx.head_lines:
        # In a row of them (head_lines: a row of cells, fill.fill_frame, or of frames, engine.body) the heading blocks
        # hang from one top line and the shorter takes the room of the lines it lacks under its Chinese, so that what
        # they head starts level (the lead's decision after designer reviews 4 and 5 of main: a two-line heading
        # bottom-aligned climbed to 4.8 mm under the section rule, its one-line neighbours 9.8 mm under it)
        have = [sum(1 for i in piece.primary if isinstance(i, TextLine) and i.lang == lang) for lang in ("en", "zh")]
        piece.primary_h += sum(max(0, want - got) * ctx.style(style, lang).leading_pt
                               for want, got, lang in zip(ctx.head_lines, have, ("en", "zh"), strict=True))
    rule = ctx.style(style, "en")
    if heading.level == 1:
        weight = ctx.m.heading_rule_pt
        piece.primary.append(Rule(0, piece.primary_h + 1.5, width, piece.primary_h + 1.5, rule.colour, weight))
        piece.primary_h += 1.5 + weight + 2.0
    return piece


def head_lines(ctx: FrameContext, element, width: float) -> tuple[int, int] | None:
    """(English, Chinese) lines of `element` at `width` where it is a sub-heading (what may open a cell of a row
    whose heading blocks hang from one line); None for any other element: a card (a partner's name and text, a
    callout's headline and text) is one tight stack, no room inside it (the lead's note 2b37084)."""
    if not (isinstance(element, Heading) and element.level >= 2):
        return None
    counts = []
    for lang in ("en", "zh"):
        spans = ctx.spans(element.text, "heading2", lang)
        counts.append(len(ctx.setter.set(spans, width, spans[0].style.align, True)) if spans else 0)
    return counts[0], counts[1]


def _theme_band(ctx: FrameContext, heading: Heading, width: float) -> _Piece:
    """A page's second theme: white on a navy band across the frame, its English then its Chinese beneath, as
    in the title band and every heading (one form for every level, whatever the lengths)."""
    piece = _Piece()
    pad, side = (v * MM for v in ctx.m.theme_band_mm)
    col = ctx.column(piece.primary, heading.ref, "en", width - 2 * side, side, pad)
    col.text(heading.text, "theme-heading", balance=True)
    col.y -= ctx.style("theme-heading", "en").space_after_pt  # the style's space is under the band, not inside it
    after = ctx.style("theme-heading", "zh").space_after_pt  # under the band, before what the theme holds
    height = col.text(heading.text, "theme-heading", "zh", balance=True) - after + pad
    band = ctx.style("heading1", "en").colour  # the navy of the headings and the title band
    piece.primary.insert(0, Box(0.0, 0.0, width, height, band))
    piece.primary_h = height + after
    return piece


def bullets(ctx: FrameContext, element: BulletList, width: float, frame: FrameSpec) -> _Piece:
    """Bulleted items, English then Chinese each, filled down the frame's `list_columns` columns, balanced."""
    columns = frame.list_columns
    piece = _Piece()
    indent = ctx.m.bullet_indent_mm * MM
    gutter = ctx.layout.geometry.grid.gutter_mm * MM
    col_w = (width - (columns - 1) * gutter) / columns
    gold = ctx.layout.colours["accent"]
    starts = _balanced(ctx, element, columns, col_w - indent)
    bottom = 0.0
    for c in range(columns):
        # a column's first item takes no space before it (the space between items): its first line on the row's
        # top, level with a paragraph's beside it (page 8's Well-being list 0.7 mm under its row's paragraph)
        y = -ctx.style("list", "en").space_before_pt
        x = c * (col_w + gutter)
        for n, item in enumerate(element.items[starts[c]:starts[c + 1]], starts[c]):
            start = len(piece.primary)
            role = Role("list-body", element.ref.yaml_path or "", str(n))  # the bullet is a Box: an artifact
            col = ctx.column(piece.primary, item.ref, "en", col_w - indent, x + indent, y, role)
            col.text(item, "list")
            y = col.text(item, "list", "zh")
            first = next((i for i in piece.primary[start:] if isinstance(i, TextLine)), None)
            if first is not None:  # the bullet sits at the x-height of the item's first line
                size = ctx.style("list", "en").size_pt
                piece.primary.append(Box(x, first.baseline_pt - first.line.ascent_pt + size * 0.32,
                                         size * 0.42, size * 0.42, gold))
        bottom = max(bottom, y)
    piece.primary_h = bottom
    return piece


def _balanced(ctx: FrameContext, element: BulletList, columns: int, width: float) -> list[int]:
    """Where each column of a list starts: the items in their order, in columns as even as they can be (the
    tallest as short as it can be, measured as set; of equal ones the split with the earlier columns fuller),
    so that seven items never fall 3 / 3 / 1; and the first columns fullest (DESIGN.md: 3 / 2 / 2): where a split
    allows, no column holds more items than one before it, and the columns' counts differ by one at most."""
    from itertools import combinations, pairwise

    heights = []
    for item in element.items:
        probe: list = []
        col = ctx.column(probe, item.ref, "en", width)
        col.text(item, "list")
        heights.append(col.text(item, "list", "zh"))
    n = len(heights)
    if columns <= 1 or n <= columns:
        return [min(c, n) for c in range(columns)] + [n]
    best = None
    for cuts in combinations(range(1, n), columns - 1):
        starts = [0, *cuts, n]
        sizes = [sum(heights[a:b]) for a, b in pairwise(starts)]
        counts = [b - a for a, b in pairwise(starts)]
        even = max(counts) - min(counts) <= 1
        fullest_first = all(x >= y for x, y in pairwise(counts))
        key = (not even, round(max(sizes), 3), not fullest_first, [-s for s in sizes])
        if best is None or key < best[0]:
            best = (key, starts)
    assert best is not None
    return best[1]


# A stat's parts in the order they read (and are drawn, so that text taken from the PDF follows the
# source): "93,923,338 kWh 千瓦小時", "external funding 校外資助", "Greenhouse gas 溫室氣體" then "GHG",
# "in scholarships … (+9% YoY)".
_READING = ("lead-en", "figure", "unit-zh", "label-en", "label-zh", "badge", "note-en", "change-en",
            "note-zh", "change-zh")
# A change with a Chinese twin reads in each language's sentence, after its label and before its note: "took part
# in outbound exchange (+100% YoY)", "約800名學生參與海外交流（按年 +100%）及240名學生…".
_READING_TWIN = ("lead-en", "figure", "unit-zh", "label-en", "change-en", "note-en", "label-zh",
                 "change-zh", "badge", "note-zh")


def _reading_order(stat: Stat, twin: bool) -> tuple:
    """The order a stat's parts read in (_READING, or _READING_TWIN for a change with a Chinese twin), its Chinese
    lead-in just before the first Chinese part it has: a lead-in's Chinese runs on into the Chinese sentence under
    the figure, where the copy writes it so (舉辦科大旗艦活動，吸引了逾 | 1,700 位投資者…: the designer's reviews 28,
    item 8, and 30, item 2, found the Chinese restated under the figure), and each language reads as its own
    sentence."""
    order = _READING_TWIN if twin else _READING
    has = {"label-zh": stat.label is not None and bool(stat.label.zh), "change-zh": twin,
           "note-zh": stat.note is not None and bool(stat.note.zh)}
    at = next((k for k, part in enumerate(order) if has.get(part)), len(order))
    return order[:at] + ("lead-zh",) + order[at:]


def stat(ctx: FrameContext, stat: Stat, width: float, frame: FrameSpec) -> _Piece:
    """One anatomy in every cell (DESIGN.md, "One stat anatomy"): the lead-in, English then Chinese on
    lines of their own; the figure line: figure, unit and change (the change in gold, `stat-change`: one size
    and one place for every change of the leaflet, on white or on a tint: beside the unit, its stack standing on
    the figure's baseline, a lone change on it, a pair's Chinese twin on it under the English, set as it); the
    label (bold) and the note; then the Chinese label (bold) and note, stacked under the English in the same
    cell. The figure line holds its unit and change: where they do not fit, copyfit sets the section's figures a
    step smaller, and where they do not fit at the smallest step the cell wants more columns (a copyfit error
    that says so): a change never leaves its figure line. A row aligns its figures, not its languages. With
    `beside_mm` on the frame the figure stands in a column of its own and the words beside it, English then
    Chinese.

    The parts are drawn in reading order (_reading_order), which is not top to bottom: a change reads after its
    label and note ("in scholarships for academic talents (+9% YoY)") though it stands on the figure line, and a
    Chinese lead-in with the Chinese under the figure ("舉辦科大旗艦活動，吸引了逾1,700位…") though it stands over it."""
    piece = _Piece()
    out = piece.primary
    ranks: list[int] = []
    figure, unit, change = figure_parts(ctx, stat, "en")
    _, zh_unit, zh_change = figure_parts(ctx, stat, "zh")
    order = _reading_order(stat, bool(zh_change))

    def read_as(part: str) -> None:  # the items added since the last call read as `part`
        ranks.extend([order.index(part)] * (len(out) - len(ranks)))

    beside = frame.beside_mm * MM if frame.beside_mm else 0.0
    figure_w = beside or width
    col = ctx.column(out, stat.ref, "en", figure_w)
    col.text(stat.lead, "stat-lead")  # a lead-in and its Chinese both stand above the figure
    read_as("lead-en")
    col.text(stat.lead, "stat-lead", "zh")
    read_as("lead-zh")
    piece.anchor_pt, piece.anchored = col.y, True  # a row aligns its figures, whatever stands above them
    piece.headline_pt = col.y  # (its figure line's top, under its lead-in: where a row of led callouts aligns it)
    first = len(out)
    col.add(figure + unit)
    read_as("figure")
    figure_line = out[-1] if len(out) > first else None
    if figure_line is not None:  # a row aligns its figures' tops, however the lines above them fell on the grid
        piece.anchor_pt = out[first].baseline_pt - out[first].line.ascent_pt
    # The Chinese unit goes with the Chinese label, at the label's size (耗電量 千瓦小時): under the English
    # unit it would be a line of figure-line weight hanging mid-cell, outranking the label.
    label_unit = ctx.spans(stat.unit, "stat-label-unit", "zh") if zh_unit and stat.label and stat.label.zh else []
    if label_unit:
        zh_unit = []
    if not change and zh_change:  # a variant in Chinese alone: its change stands where the English one would
        change, zh_change, change_lang = zh_change, [], "zh"
    else:
        change_lang = "en"
    change_x = None
    if change and figure_line is not None:
        # The one place of a change in every callout (DESIGN.md, "One stat anatomy"): beside the figure line, a
        # word space after its unit, its stack standing on the figure's baseline: a lone change on the baseline,
        # a pair's Chinese twin on it and the English a change-leading over it, in one gold and size, on white or
        # on a tint. An opening bracket's blank half hangs before the English one (text.py), so the two
        # brackets' inks stand on one edge.
        change_x = figure_line.x_pt + figure_line.line.natural_pt + _change_space(ctx, stat)
        twin = bool(zh_change) and change_pair(ctx, stat)
        step = ctx.style("stat-change", "en").leading_pt if twin else 0.0
        out.append(_set_at(ctx, change[1:], change_x, figure_line.baseline_pt - step, stat.ref, change_lang))
        read_as(f"change-{change_lang}")
        if twin:
            out.append(_set_at(ctx, zh_change[1:], change_x, figure_line.baseline_pt, stat.ref, "zh"))
            read_as("change-zh")
    if zh_unit and figure_line is not None:
        # The Chinese unit under the English one (as far right as the cell lets it stand)
        x = figure_line.x_pt + ctx._natural(figure) + _space(ctx, "stat-unit", "en")
        hang = _hang(zh_unit[1:])
        x = max(-hang, min(x - hang, figure_w - ctx._natural(zh_unit[1:])))
        twin_col = ctx.column(out, stat.ref, "zh", figure_w - x, x, col.y)
        twin_col.add(zh_unit[1:])
        read_as("unit-zh")
        col.y = twin_col.y
    gutter = ctx.layout.geometry.grid.gutter_mm * MM
    words = (ctx.column(out, stat.ref, "en", width - beside - gutter, beside + gutter, piece.anchor_pt)
             if beside else col)
    before = len(out)
    words.add(ctx.spans(stat.label, "stat-label", "en"))
    read_as("label-en")
    badge_after = out[-1] if len(out) > before else None
    _note(ctx, words, stat.note, "stat-note", "en")
    read_as("note-en")
    # Its Chinese under the English: the label in bold, the note. In a frame whose cells share their
    # bands (`bands: shared`) it goes on the secondary band, under the English of the whole row.
    shared = frame.bands == "shared" and not beside
    zh = (ctx.column(piece.secondary, stat.ref, "zh", width) if shared else
          ctx.column(out, stat.ref, "zh", words.width, words.x, words.y + (ctx.m.band_gap_pt if words.y else 0.0)))
    zh.add(ctx.spans(stat.label, "stat-label", "zh"))
    read_as("label-zh")
    if label_unit:  # after the label on its last line, or on a line of its own if it does not fit there
        items = piece.secondary if shared else out
        last = items[-1]
        opener, closer = _label_unit_brackets(ctx, label_unit[0].style)
        unit_x = last.x_pt + last.line.natural_pt + (opener[1] if opener else _space(ctx, "stat-label-unit", "zh"))
        if unit_x + ctx._natural(label_unit) + (closer[1] if closer else 0.0) <= zh.x + zh.width + 0.01:
            items.append(_set_at(ctx, label_unit, unit_x, last.baseline_pt, stat.ref, "zh"))
        else:
            zh.add(label_unit)
        if opener and closer:
            items[-1] = _bracketed(items[-1], opener, closer, own_line=items[-1].x_pt == zh.x)
        if not shared:
            read_as("unit-zh")  # read after the figure and its English unit: "93,923,338 kWh 千瓦小時"
    if stat.badge:  # a tag such as GHG rides on the English label's line, read after both labels
        badge = ctx.spans(stat.badge, "badge", "en")
        if badge and badge_after is not None:
            out.append(_set_at(ctx, badge, badge_after.x_pt + badge_after.line.natural_pt + _space(
                ctx, "stat-label", "en"), badge_after.baseline_pt, stat.ref, "en"))
        elif badge:
            words.add(badge)
        read_as("badge")
    _note(ctx, zh, stat.note, twin_style([(stat.label, "stat-label"), (stat.note, "stat-note")], stat.note,
                                         "stat-note"), "zh")
    read_as("note-zh")
    out[:] = [item for _, _, item in sorted(zip(ranks, range(len(out)), out), key=lambda t: t[:2])]
    if shared:
        piece.primary_h, piece.secondary_h = col.y, zh.y
    else:
        piece.primary_h = max(col.y, zh.y)
    return piece


def _note(ctx: FrameContext, col, note, style: str, lang: str) -> None:
    """A stat's note in `lang`. A note that opens with joining punctuation (，) continues the copy's sentence from
    the change the layout sets on the figure line ("（按年 +4%），為專利申請及許可作準備": the copy deck prints them as
    one sentence): the note is set from after the mark, and the mark rides at the start of its first line hidden,
    in the text layer (the PDF reads the copy whole, in its order) but not drawn (no line opens with a comma)."""
    string = getattr(note, lang, None) if note is not None else None
    if not string or string[0] not in JOINING_PUNCTUATION or not string[1:].strip() or lang not in ctx.languages:
        col.text(note, style, lang)
        return
    start = len(col.out)
    col.text(replace(note, **{lang: string[1:].lstrip()}), style, lang)
    at = next((i for i in range(start, len(col.out)) if isinstance(col.out[i], TextLine)), None)
    if at is None:
        return
    item = col.out[at]
    x = item.line.runs[0].x_pt if item.line.runs else 0.0
    mark = ctx.setter.set([Span(string[0], ctx.style(style, lang), lang=lang)], 1e6, "left")[0].runs
    runs = tuple(replace(run, x_pt=x, hidden=True) for run in mark) + item.line.runs
    col.out[at] = TextLine(item.x_pt, item.baseline_pt, replace(item.line, runs=runs), item.ref, item.frame,
                           item.lang, item.role)


def _change_space(ctx: FrameContext, stat: Stat) -> float:
    """The space before a change: the word space of what it follows on the figure line, its unit (12 pt) or its
    figure, at least `change_space_mm` (the designer's fifth review, item 2: 1.1 mm left the Chinese bracket
    touching "students")."""
    word = _space(ctx, "stat-unit" if figure_parts(ctx, stat, "en")[1] else "stat-figure", "en")
    return max(word, ctx.m.change_space_mm * MM)


def _ink_width(ctx: FrameContext, spans: list[Span]) -> float:
    """The width of `spans` on a line of their own to their last ink: a full-width closing bracket at the end
    keeps its blank half out (a line-end bracket takes half an em, DESIGN.md "Chinese setting")."""
    tail = 0.5 * spans[-1].style.size_pt if spans and spans[-1].text[-1:] in CLOSING_BRACKETS else 0.0
    return ctx._natural(spans) - tail


def _hang(spans: list[Span]) -> float:
    """The blank half of an opening bracket that starts `spans` (（按年 hangs it before the English above it)."""
    return 0.5 * spans[0].style.size_pt if spans and spans[0].text[:1] in OPENING_BRACKETS else 0.0


def _space(ctx: FrameContext, style: str, lang: str) -> float:
    """The width of a word space in `style`."""
    st = ctx.style(style, lang)
    return ctx._natural([Span("0 0", st)]) - ctx._natural([Span("00", st)])


def _set_at(ctx: FrameContext, spans: list[Span], x: float, baseline: float, ref, lang: str) -> TextLine:
    """`spans` set on one line from (x, baseline): a change after the figure and unit it belongs to."""
    return TextLine(x, baseline, ctx.setter.set(spans, 1e6, "left")[0], ref, ctx.frame, lang, ctx.role)


def figure_parts(ctx: FrameContext, stat: Stat, lang: str) -> tuple[list[Span], list[Span], list[Span]]:
    """A stat's figure (English only: it is printed once), and its unit and change in `lang`, each with the
    word space before it."""
    figure_line = spans_from_text(stat.figure, ctx.style("stat-figure", "en")) if lang == "en" else []
    unit = ctx.spans(stat.unit, "stat-unit", lang)
    change = ctx.spans(stat.change, "stat-change", lang)
    if lang == "zh" and stat.change and stat.change.zh == stat.change.en:
        change = []  # a change written the same in both languages is printed once, on the figure line
    unit_space = [Span(" ", ctx.style("stat-unit", lang), lang=lang)] if unit else []
    change_space = [Span(" ", ctx.style("stat-change", lang), lang=lang)] if change else []
    return figure_line, unit_space + unit, change_space + change


def change_pair(ctx: FrameContext, stat: Stat) -> bool:
    """Whether the stat prints its change in both languages: the English over its Chinese twin."""
    change = stat.change
    return bool(change and change.en and change.zh and change.zh != change.en and {"en", "zh"} <= ctx.languages)


def change_room(ctx: FrameContext, element, *_) -> float:
    """The width a stat's change takes on its figure line (with the space before it; a pair, the wider of its
    two); 0 without one."""
    if not isinstance(element, Stat) or not element.change:
        return 0.0
    change = figure_parts(ctx, element, "en")[2] or figure_parts(ctx, element, "zh")[2]  # (a Chinese-only variant's)
    if not change:
        return 0.0
    zh_change = figure_parts(ctx, element, "zh")[2] if change_pair(ctx, element) else []
    return _change_space(ctx, element) + max(_ink_width(ctx, change[1:]),
                                             _ink_width(ctx, zh_change[1:]) if zh_change else 0.0)


def figure_line_room(ctx: FrameContext, stat: Stat, room: float) -> float:
    """The room a stat's figure has on its line: the cell's (or figure column's), less its unit and change."""
    figure, unit, _ = figure_parts(ctx, stat, "en")
    # (the unit as the figure line sets it, after the figure: measured alone it came 1.4 pt short of page 5's
    # "800 students", whose change then overran its cell by 0.5 mm once it stood 2 mm from the unit)
    return room - (ctx._natural(figure + unit) - ctx._natural(figure) if unit else 0.0) - change_room(ctx, stat)


def callout(ctx: FrameContext, callout: Callout, width: float, frame: FrameSpec) -> _Piece:
    """Lead-in, headline and text, English then Chinese. Where its headline starts is kept (fill.py: in a row of
    callouts with lead-ins, the headlines stand on one line under the lead-ins, and a callout without one no
    longer starts a lead-in's height above the others' first line). A Chinese lead-in with no English one is the
    Chinese sentence that ends in the headline (擔任 … 亞洲大學聯盟（15家成員大學）執行主席大學): its headline
    stands first, as the English headline does, and the sentence under it as the callout's text; they are drawn
    in the sentence's order, so the PDF's text reads as the copy deck prints it."""
    texts = [(callout.lead, "stat-lead"), (callout.headline, "callout-headline"), (callout.text, "callout-text")]
    lead, headline = callout.lead, callout.headline
    if not (lead and lead.zh and not lead.en and not lead.mixed and headline.zh and "zh" in ctx.languages):
        piece = ctx.stacked(callout.ref, width, texts)
        if headline is not None and headline.en:
            led = ctx.stacked(callout.ref, width, [(lead, "stat-lead")]) if lead else None
            piece.headline_pt = led.primary_h if led is not None else 0.0
            piece.led = bool(piece.headline_pt)
        return piece
    piece = _Piece()
    en, zh = ctx.bands(piece, callout.ref, width)
    for text, style in texts[1:]:
        en.text(text, style)
    zh.text(headline, "callout-headline")
    first = len(piece.secondary)
    zh.text(lead, "callout-text")
    sentence = len(piece.secondary)
    zh.text(callout.text, twin_style(texts, callout.text, "callout-text"))
    band = piece.secondary
    band[:sentence] = band[first:sentence] + band[:first]  # the sentence, then the headline it ends in
    piece.primary_h, piece.secondary_h = en.y, zh.y
    return piece


def ranking(ctx: FrameContext, ranking: Ranking, width: float, frame: FrameSpec) -> _Piece:
    """One ranking form in every cell and column of the leaflet (DESIGN.md: the rank with its name beside it; designer's
    review 20, item 5): the rank as a large number in a column of its own, its title, note and source beside it,
    English then Chinese, its first line level with the rank's. The column is its group's (`ctx.rank_column_pt`,
    rank_column: a page's rankings in columns, a frame of cells' rankings), so every title of a group starts at one
    indent and a cell of '#1's gives its words the width '#60' would take. A cell whose words beside the rank would
    be narrower than `rank_words_min_em` ems of the Chinese title wants more columns: a located warning says so."""
    piece = _Piece()
    rank_w = ctx.rank_column_pt or rank_column(ctx, (ranking.rank,))  # (a ranking set alone: its own column)
    em = ctx.style("rank-title", "zh").size_pt
    if width - rank_w < ctx.m.rank_words_min_em * em - 0.01:
        ctx.diags.warning("ranking-measure", f"the ranking '{shown(ranking.rank, 20)}' has "
                          f"{(width - rank_w) / em:.1f} ems for its words beside its rank, under the "
                          f"{ctx.m.rank_words_min_em:g} its lines need (layout/page.yaml elements.rank_words_min_em)",
                          ranking.ref, page=ctx.page,
                          hint="give its cell more grid columns (the frame's span or cell_spans in "
                          "layout/templates.yaml), or the frame fewer cells")
    piece.anchored = True
    piece.primary_h = ctx.column(piece.primary, ranking.ref, "en", rank_w).add([Span(ranking.rank,
                                                                                     ctx.style("rank", "en"))])
    texts = _ranking_texts(ranking)
    rank_h, piece.primary_h = piece.primary_h, 0.0
    twin = title_twin_line(ranking)
    if twin is None or "zh" not in ctx.languages:
        piece = ctx.stacked(ranking.ref, width - rank_w, texts, piece, rank_w)
    else:
        en, zh = ctx.bands(piece, ranking.ref, width - rank_w, rank_w)
        _set_ranking_texts(ctx, en, zh, texts, twin, piece)
    # Its Chinese follows its English words (they stand beside the rank, as the Chinese does): under a rank taller
    # than two lines of English it stood the rank's height down, 3.6 mm under its English where a three-line
    # title left 2.2 mm (designer's final review, page 4). The rank's foot stays inside the piece.
    piece.secondary_at, piece.primary_h = piece.primary_h, max(piece.primary_h, rank_h)
    if piece.secondary:
        piece.secondary_h = max(piece.secondary_h, rank_h - piece.secondary_at - ctx.m.band_gap_pt)
    return piece


def rank_column(ctx: FrameContext, ranks) -> float:
    """The rank column of a group of rankings whose titles share one indent, pt: its widest rank in the rank style
    (at the frame's copyfit step) and the gap before the words (layout/page.yaml elements.rank_gap_mm)."""
    style = ctx.style("rank", "en")
    return max((ctx._natural([Span(rank, style)]) for rank in ranks), default=0.0) + ctx.m.rank_gap_mm * MM


def _ranking_texts(ranking: Ranking) -> list:
    """A ranking's texts under its rank and their styles: its title (a note's where it has no twin), note, source."""
    return [(ranking.title, "rank-note" if untwinned_title(ranking) else "rank-title"), (ranking.note, "rank-note"),
            (ranking.source, "rank-source")]


def _set_ranking_texts(ctx: FrameContext, en, zh, texts: list, twin: Text | None, piece: _Piece) -> None:
    """A ranking's `texts`, the English in `en`, the Chinese in `zh` (the line holding the title's twin as the
    title's: _title_twin_line), and the piece's heights from them."""
    for text, style in texts:
        en.text(text, style)
    for text, style in texts:
        if twin is not None and text is twin:
            _title_twin_line(ctx, zh, text)
        else:
            zh.text(text, twin_style(texts, text, style))
    piece.primary_h, piece.secondary_h = en.y, zh.y


def title_twin_line(ranking: Ranking) -> Text | None:
    """The text whose Chinese holds the title's twin as a bold run beside the source's words: the title's own zh
    with a bold run (edition-b: 2024《泰晤士高等教育》**全球頂尖 670+ 所年輕學校**排名榜), or, for an English title with no
    zh, the note's or source's zh whose bold run twins it (2022-23: source.zh 2024《QS 全球大學排名》**世界頂尖 1400+
    所大學**排名榜). None for a title whose Chinese is all title (set bold) or that has no twin."""
    title = ranking.title
    if title is None or title.mixed:
        return None
    if title.zh:
        return title if BOLD_RUN in title.zh else None
    if not title.en or untwinned_title(ranking):
        return None
    return next((part for part in (ranking.note, ranking.source) if part is not None and part.zh
                 and BOLD_RUN in part.zh), None)


BOLD_RUN = "**"


def _title_twin_line(ctx: FrameContext, col, text: Text) -> None:
    """The Chinese line that holds a ranking title's twin, however it is authored (title.zh, or the source's zh
    beside an English-only title): at the title's size and leading, the twin's words (its bold run) bold and the
    source's words at the source's weight (Chinese review of main df673b1: 2022-23's source line was 8 pt beside the
    8.5 pt English title, edition-b's title line 8.5 pt bold throughout, its source part too). Where the words before
    the twin fit on one line, the twin starts a line of its own, as the English title does."""
    title = ctx.style("rank-title", "zh")
    spans = spans_from_text(text.zh or "", replace(title, weight=ctx.style("rank-source", "zh").weight), lang="zh")
    start = next((i for i, span in enumerate(spans) if span.style.weight != spans[0].style.weight), 0) \
        if spans and spans[0].style.weight != title.weight else 0
    head = spans[:start]
    if head:
        head[-1] = replace(head[-1], text=head[-1].text.rstrip())
    if not head or not head[-1].text or len(ctx.setter.set(head, col.width, title.align)) > 1:
        col.add(spans)
        return
    first = len(col.out)
    # the source's words on a line of their own at the source's size, as the English source is (designer's review 27,
    # item 9: 8.5 pt beside the English source's 8); the twin's line at the title's, as the English title
    source = ctx.style("rank-source", "zh")
    col.add([span if span.marker else replace(span, style=source) for span in head])
    col.add(spans[start:])
    # one paragraph with a break before the twin, not two: its lines numbered as one (the report's and the audit's
    # line breaks see the break)
    lines = [i for i in range(first, len(col.out)) if isinstance(col.out[i], TextLine)]
    for index, at in enumerate(lines):
        item = col.out[at]
        col.out[at] = replace(item, line=replace(item.line, position=(index, len(lines))))


def untwinned_title(ranking: Ranking) -> bool:
    """A title with no Chinese twin (no zh of its own, no bold words in its Chinese note or source that twin it):
    set regular as its note, not as a bold English label with no bold Chinese beside it (both languages equal).
    Bold Chinese words twin the title unless the English note or source has bold words of its own (page 2's
    "**Industry Income Index 2023**" / "**工業收益指數 2023**": the ranking's name, marked in the content)."""
    title = ranking.title
    if title is None or not title.en or title.zh or title.mixed:
        return False
    parts = [part for part in (ranking.note, ranking.source) if part is not None]
    if any(part.en and "**" in part.en for part in parts):
        return True
    return not any(part.zh and "**" in part.zh for part in parts)


def partner(ctx: FrameContext, partner: Partner, width: float, frame: FrameSpec) -> _Piece:
    return ctx.stacked(partner.ref, width, [(partner.name, "partner-name"), (partner.status, "partner-status"),
                                             (partner.text, "partner-text")])


def qr(ctx: FrameContext, qr: QrCode, width: float, frame: FrameSpec) -> _Piece:
    piece = _Piece()
    size = ctx.layout.qr_size_mm * MM
    g = ctx.layout.geometry
    piece.primary.append(QrMark(0, 0, size, qr.url, ctx.layout.colours["text"], qr.ref, g.qr_error_correction))
    if qr.url is not None:
        from ..qrsize import check_module_size

        check_module_size(qr.url, g.qr_size_mm, g.qr_error_correction, g.qr_min_module_mm, ref_of(qr, "url"),
                          ctx.page, ctx.diags)
    text_x = size + ctx.m.qr_caption_gap_mm * MM
    # one QR unit on every page (designer's final review: captions 31 mm on pages 2 and 6, 64 mm on 1 and 8, the
    # boxes all 20 mm): the caption on the layout's measure, its cell's rest only where that is narrower
    measure = ctx.m.qr_caption_measure_mm * MM
    col = ctx.column(piece.primary, qr.ref, "en", min(width - text_x, measure) if measure else width - text_x, text_x)
    col.text(qr.caption, "qr-caption")
    piece.primary_h = max(size, col.text(qr.caption, "qr-caption", "zh"))
    if qr.url is None:
        ctx.diags.warning("qr-placeholder", "QR code has no url: a marked placeholder is printed", qr.ref,
                           page=ctx.page, hint="add url: https://... to print a real code")
    return piece


def picture(ctx: FrameContext, image: Image, width: float, frame: FrameSpec) -> _Piece:
    """The picture's box at the cell's width (its own proportions, or `height_mm`), then its caption and
    credit, English then Chinese. A missing file is a marked placeholder and a warning; a name that leaves
    the edition's folder is refused. With `bleed`, a frame on the grid's outer columns runs the box out to
    the trim and on into the bleed (images.py crops the picture for the whole box)."""
    import os

    from ..images import PictureError, picture_path, probe

    folder = os.path.dirname(image.ref.file) or "."
    path, problem = picture_path(folder, image.file) if image.file else (None, "to come")
    where = ref_of(image, "file") if image.file else image.ref
    aspect = 1.5  # a placeholder's box: a landscape photograph's proportions
    if path is None and problem == "to come":
        what = image.alt.en or image.alt.zh or image.alt.mixed or ""
        ctx.diags.warning("image-placeholder", f"the picture '{shown(what, 60)}' has no file yet: a marked "
                          "placeholder of its box is printed", where, page=ctx.page,
                          hint=f"add file: <name> (the picture's file in {folder}); a --final press build refuses "
                          "the placeholder")
    elif path is None and problem != "missing":
        ctx.diags.error("image-path", f"the picture '{image.file}' {problem}", where, page=ctx.page,
                        hint="put the picture's file in the edition's folder and give its name relative to it")
    elif path is None:
        ctx.diags.warning("image-placeholder", f"the picture '{image.file}' is not in the edition's folder: "
                          "a marked placeholder is printed", where, page=ctx.page,
                          hint=f"put {image.file} in {folder}; a --final press build refuses the placeholder")
    else:
        try:
            aspect = probe(path).aspect
        except PictureError as exc:
            ctx.diags.error("image-unusable", f"the picture '{image.file}' {exc}", where, page=ctx.page,
                            hint="export it again as JPEG, PNG or TIFF (photographs) or PDF/SVG (logos)")
            path = None
    height = image.height_mm * MM if image.height_mm else width / aspect
    x0, x1 = 0.0, width
    if image.bleed:
        page_w = ctx.layout.page_width_pt
        bleed = ctx.layout.geometry.page.bleed_mm * MM
        left, span_w = ctx.layout.column_x_pt(frame.col, frame.span)
        pad = frame.padding_mm * MM
        columns = ctx.layout.geometry.grid.columns
        if frame.cells != 1 or (frame.col != 1 and frame.col + frame.span - 1 != columns):
            ctx.diags.warning("image-bleed", "a picture bleeds only from a one-cell frame on the grid's first or "
                              "last column", ref_of(image, "bleed"), page=ctx.page,
                              hint="place it in such a frame, or remove `bleed: true`")
        else:
            if frame.col == 1:
                x0 = -(left + pad + bleed)
            if frame.col + frame.span - 1 == columns:
                x1 = width + (page_w - left - span_w) + pad + bleed
    piece = _Piece()
    piece.primary.append(Picture(x0, 0.0, x1 - x0, height, path, image.fit, image.focus,
                                 ctx.layout.colours["text"], image.ref, image.bleed and (x0 < 0 or x1 > width),
                                 ctx.frame, tuple(image.alt.strings()),
                                 # a placeholder is not the picture: an artifact, its alt text kept for the photograph
                                 Role("artifact", image.ref.yaml_path or "") if path is None else None))
    if path is None and (ctx.m.picture_to_come_en or ctx.m.picture_to_come_zh):
        # What the box waits for (layout/page.yaml: picture_to_come_en/zh), as furniture: each line centred on the
        # box, over the middle of its full cross, on a paper-white patch. In a corner the patch cut one diagonal
        # short, which read as a drawing error (designer's review 23, item 12).
        inset = 2.0 * MM
        label = ctx.column(piece.primary, image.ref, "en", max(1.0, x1 - x0 - 2 * inset), x0 + inset, inset,
                           role=Role("artifact", image.ref.yaml_path or ""))
        words = Text(image.ref, ctx.m.picture_to_come_en or None, ctx.m.picture_to_come_zh or None)
        first = len(piece.primary)
        label.text(words, "picture-credit")
        label.text(words, "picture-credit", "zh")
        said = [i for i in piece.primary[first:] if isinstance(i, TextLine)]
        if said:
            pad = 1.0 * MM
            high = min(i.baseline_pt - i.line.ascent_pt for i in said)
            low = max(i.baseline_pt + i.line.descent_pt for i in said)
            middle_x, down = (x0 + x1) / 2, height / 2 - (high + low) / 2
            piece.primary[first:] = [replace(i, x_pt=middle_x - i.line.right_pt / 2, baseline_pt=i.baseline_pt + down)
                                     if isinstance(i, TextLine) else i for i in piece.primary[first:]]
            centred = [i for i in piece.primary[first:] if isinstance(i, TextLine)]
            left = min(i.x_pt for i in centred) - pad
            right = max(i.x_pt + i.line.right_pt for i in centred) + pad
            piece.primary.insert(first, Box(left, high + down - pad, right - left, low - high + 2 * pad,
                                            ctx.layout.colours["white"]))
    col = ctx.column(piece.primary, image.ref, "en", width, 0.0, height + ctx.m.band_gap_pt)
    for text, style in ((image.caption, "picture-caption"), (image.credit, "picture-credit")):
        col.text(text, style)
        col.text(text, style, "zh")
    piece.primary_h = col.y if (image.caption or image.credit) else height
    return piece


def breakdown(ctx: FrameContext, table: Breakdown, width: float, frame: FrameSpec) -> _Piece:
    from ..charts import breakdown  # charts.py sets tables and their charts (and builds on the items)

    return breakdown(ctx, table, width, frame)


# -- the one table ------------------------------------------------------------------------------------------
ELEMENTS: tuple[ElementKind, ...] = (
    ElementKind(Heading, heading),
    ElementKind(Paragraph, paragraph),
    ElementKind(BulletList, bullets),
    ElementKind(Stat, stat,
                figure_room=lambda ctx, e, frame, cell_w: (e.figure, figure_line_room(
                    ctx, e, frame.beside_mm * MM if frame.beside_mm else cell_w))),
    ElementKind(Callout, callout),
    ElementKind(Ranking, ranking,
                figure_room=lambda ctx, e, frame, cell_w: (e.rank, (ctx.m.rank_column_max_mm - ctx.m.rank_gap_mm) * MM)),
    ElementKind(Breakdown, breakdown),
    ElementKind(Partner, partner),
    ElementKind(QrCode, qr),
    ElementKind(Image, picture),
)
_BY_CONTENT = {kind.content: kind for kind in ELEMENTS}


def kind_of(element) -> ElementKind:
    kind = _BY_CONTENT.get(type(element))
    if kind is None:
        raise TypeError(f"{type(element).__name__} is not an element kind of highlight/layout/elements.py")
    return kind


def lay_out(ctx: FrameContext, element, width: float, frame: FrameSpec) -> _Piece:
    """The element set at `width` in a cell of `frame`, each of its items stamped with its role: what its
    kind's function stamped (a list item, a table's header), else its kind's role (kinds.py), a picture's
    or a QR code's mark a figure; the element named by its YAML path, a heading's level kept."""
    key = element.ref.yaml_path or ""
    role = Role(kinds.kind_of(element).role, key, level=getattr(element, "level", 0) or 0)
    piece = kind_of(element).lay_out(ctx.but(role=role), element, width, frame)
    figure = Role("figure", key)
    for band in (piece.primary, piece.secondary):
        band[:] = [_stamped(item, role, figure) for item in band]
    return piece


def _stamped(item, role: Role, figure: Role):
    if type(item) is TextLine and item.role is None:  # (the constructor: dataclasses.replace costs 5x more)
        return TextLine(item.x_pt, item.baseline_pt, item.line, item.ref, item.frame, item.lang, role)
    if isinstance(item, (Picture, QrMark, Ring)) and item.role is None:
        return replace(item, role=figure)
    return item


def figure_room(ctx: FrameContext, element, frame: FrameSpec, cell_w: float) -> tuple[str, str, float] | None:
    """(style, figure, room) of an element whose figure cannot wrap, else None."""
    kind = kind_of(element)
    style = kind.kind.copyfit_style
    if kind.figure_room is None or style is None:  # a figure that cannot wrap has a style to step down
        return None
    figure, room = kind.figure_room(ctx, element, frame, cell_w)
    return style, figure, room
