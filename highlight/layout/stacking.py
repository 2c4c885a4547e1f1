"""Stacking lines on the baseline grid, in a frozen context that says which frame is being set and how.

A FrameContext is everything setting text in one frame needs: the layout and the text setter, where the
diagnostics go, the page, the frame's name (stamped on its lines), the languages set, the style
substitutions in force (the page's template's, then the frame's) and the copyfit steps its figures take. It is frozen: a re-fill (a trial, a wider span,
a frame that grows, a single-language variant holding its bilingual height) gets a new context with
`replace`, never an attribute swapped in and out. Element layout functions (elements.py) receive one.

A _Column is the one mutable thing here: an element's cursor down one language's lines.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from itertools import pairwise
from types import MappingProxyType

from ..content import Text
from ..diagnostics import Diagnostics, SourceRef
from ..layout_spec import MM, Layout, Style
from ..text import IDEOGRAPHIC_SPACE, Span, TextSetter, spans_from_text
from .items import Role, TextLine, _down_to_grid, _first_baseline, _Piece, _shift

BOTH = frozenset({"en", "zh", "mixed"})  # the languages of the bilingual leaflet (`mixed` lines are in both)
_EMPTY: Mapping = MappingProxyType({})


def languages_of(lang: str | None) -> frozenset:
    """The languages set: both, or one for a single-language variant (`mixed` lines are in both)."""
    return BOTH if lang is None else frozenset({lang, "mixed"})


@dataclass(frozen=True)
class FrameContext:
    """What setting a frame's elements reads besides them: the layout, the setter, the page and frame, and what
    the page chose for the frame (languages, substituted styles, copyfit steps, the row's heading lines …)."""

    layout: Layout
    setter: TextSetter
    diags: Diagnostics
    page: int = 0
    frame: str = ""  # the frame being filled ("title-band", "footnotes", "folio" for the page's own)
    languages: frozenset = BOTH
    # style name -> the style set instead (the template's, then the frame's)
    substitutes: Mapping = field(default_factory=lambda: _EMPTY)
    fitted: Mapping = field(default_factory=lambda: _EMPTY)  # style name -> the copyfit step its figures take
    # the figures the frame's stats (and those over and beside it) print, each to its stat's place: a chart's total
    # among them is printed twice (charts.chart-total-twice)
    printed: Mapping = field(default_factory=lambda: _EMPTY)
    role: Role | None = None  # the role of the element being set (elements.lay_out): its lines' by default
    # (English, Chinese) lines of the sub-heading opening a cell in a row, whether the cells of a frame
    # (fill.fill_frame) or the frames of an align_rows group (engine.body): the row's largest counts; the heading
    # blocks hang from one top line and the shorter takes the room of the lines it does not set under its Chinese, so
    # that what they head starts level across the row (elements.heading). Never a card's: a card is a tight stack
    head_lines: tuple[int, int] | None = None
    # the rank column of the frame's rankings, pt (0: each its own): its group's widest rank and elements.rank_gap_mm,
    # the group a page's rankings in columns or a frame of cells' (engine, elements.rank_column)
    rank_column_pt: float = 0.0
    # the frame fills made for the page being laid out (fill.FillMemo): the same frame filled again with the same
    # inputs (the trial before the body, each language's footnotes, a remedy undone) is taken, not set again.
    # Not part of what the context says: equal contexts with different memos are equal.
    fills: object = field(default=None, compare=False, repr=False)

    def but(self, **changes) -> FrameContext:
        """This context with `changes` (a frame, a quiet Diagnostics for a trial, …): what dataclasses.replace
        gives (the class has no __post_init__ and every field is an __init__ argument), made by copying the fields
        instead of calling the frozen __init__ (21,700 contexts in the 200-page edition). An unknown name is a
        TypeError, as replace says."""
        if not changes.keys() <= _FIELD_NAMES:
            return replace(self, **changes)  # (its TypeError)
        made = object.__new__(FrameContext)
        state = made.__dict__
        state.update(self.__dict__)
        state.update(changes)
        return made

    @property
    def m(self):
        """Spacing inside elements, from layout/page.yaml."""
        return self.layout.geometry.elements

    @property
    def grid(self) -> float:
        return self.layout.geometry.grid.baseline_pt

    # -- text ---------------------------------------------------------------------------------------
    def style(self, name: str, lang: str) -> Style:
        fitted = self.fitted.get(name)
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
        """English and Chinese on one line, a full-width space apart: 'Mainland　內地'. (A word space let the two
        languages run together as one label, the Han-Latin quarter em between them: Chinese review 24, item 5.)"""
        if text is None:
            return []
        en, zh = self.spans(text, style, "en"), self.spans(text, style, "zh")
        if en and zh:
            return en + [Span(IDEOGRAPHIC_SPACE, zh[0].style, lang="zh")] + zh
        return en or zh

    def _natural(self, spans: list[Span]) -> float:
        """The width of spans set on one line."""
        return self.setter.set(spans, 1e6, "left")[0].natural_pt

    # -- the grid ------------------------------------------------------------------------------------
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

    # -- columns ---------------------------------------------------------------------------------------
    def column(self, out: list, ref: SourceRef, lang: str, width: float, x: float = 0.0, y: float = 0.0,
               role: Role | None = None) -> _Column:
        """A column whose lines take `role` (by default the element's: elements.lay_out sets it)."""
        return _Column(self, out, ref, lang, width, x, y, role or self.role)

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
        if not balance and (lang or col.lang) == "en" and (align or first.align) == "left" and _one_word_last(lines):
            lines = _no_word_alone(self.setter, spans, lines, col.width)
        baseline = col.y + first.space_before_pt
        # (on_grid's anchor, the first line in the column's items, asked once: the first line set here when none)
        anchor, grid = _first_baseline(col.out), self.grid
        for index, line in enumerate(lines):
            baseline += line.ascent_pt if index == 0 else lines[index - 1].descent_pt + line.ascent_pt
            if anchor is not None:
                baseline = _down_to_grid(baseline, anchor, grid)
            else:
                anchor = baseline
            col.out.append(TextLine(col.x, baseline, line, col.ref, self.frame, lang or col.lang, col.role))
            if line.overfull and first.name not in self.fitted:  # a figure too wide at every step: copyfit says so
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
                col.text(text, style if col is en else twin_style(texts, text, style))
        piece.primary_h, piece.secondary_h = max(piece.primary_h, en.y), zh.y
        return piece


SHORT_RAGGED_LINES = (2, 3)  # a ragged text of this many lines keeps no word alone on its last line where it can
NARROWER_STEP_PT, NARROWER_TRIES = 1.5, 8  # …set on measures these steps short of its line before the last, in turn


def _one_word_last(lines: list) -> bool:
    """Whether a short ragged text (SHORT_RAGGED_LINES) ends on a line of one word (words spaced: English)."""
    return len(lines) in SHORT_RAGGED_LINES and " " not in lines[-1].text.strip() and \
        any(" " in line.text.strip() for line in lines[:-1])


def _no_word_alone(setter: TextSetter, spans: list[Span], lines: list, width: float) -> list:
    """A short ragged English text that ends on a word alone set again with the fewest words moved down: on a measure
    a step short of its line before the last, then another (up to 12 pt), else its last two lines balanced (the
    lines before kept), else the whole text balanced; each taken only where its last line then holds more than one
    word in as many lines, none overfull, no more hyphenated or split and no more broken between bold words (a
    name: "Hong Kong / Techathon"); else as it was (designer's review of df673b1, item 4: page 6's "More about HKUST
    global / engagement" beside its code). The lines keep the column's measure (ragged: the breaks move)."""
    def marks(found: list) -> int:
        return sum(bool(line.ends_with_hyphen or line.split_word) for line in found) + _bold_breaks(found)

    def kept(trial: list) -> bool:
        return len(trial) == len(lines) and not any(line.overfull for line in trial) \
            and marks(trial) <= marks(lines) and not _one_word_last(trial)

    measure = lines[-2].natural_pt
    for _ in range(NARROWER_TRIES):  # (a line's word spaces may close a little: a few steps under its width)
        measure -= NARROWER_STEP_PT
        trial = setter.set(spans, measure, "left")
        if kept(trial):
            return [replace(line, width_pt=width) for line in trial]
        if len(trial) != len(lines) or not _one_word_last(trial):
            break
    tail = _tail(spans, lines)  # (a line before the last two could not keep its words at that measure)
    if tail:
        trial = lines[:-2] + setter.set(tail, width, "left", True)
        if kept(trial):
            return [replace(line, width_pt=width) for line in trial]
    balanced = setter.set(spans, width, "left", True)  # (a line before could not give its last word alone)
    return balanced if kept(balanced) else lines


def _visible(line) -> str:
    """A set line's characters of the copy (no dictionary hyphen, no space)."""
    return "".join(r.text for r in line.runs if not r.artifact and not r.hidden).replace(" ", "").replace("\u00ad", "")


def _tail(spans: list[Span], lines: list) -> list[Span] | None:
    """The spans of a text's last two lines as set in `lines` (those before taken off), or None where the lines do not
    read back as the spans' characters (a hyphen the setter added, a character it drew otherwise)."""
    skip = sum(len(_visible(line)) for line in lines[:-2])
    rest = "".join(_visible(line) for line in lines[-2:])
    out: list[Span] = []
    for span in spans:
        text = span.text
        if skip:
            cut = 0
            while cut < len(text) and skip:
                skip -= text[cut] not in " \u00ad"
                cut += 1
            text = text[cut:]
            if skip:
                continue
        if not out:
            text = text.lstrip(" ")
        if text:
            out.append(replace(span, text=text))
    read = "".join(s.text for s in out).replace(" ", "").replace("\u00ad", "")
    return out if out and read == rest else None


def _bold_breaks(lines: list) -> int:
    """Line ends between two bold words of a text (inside a bold name or label)."""
    def face(line, at: int) -> str:
        runs = [r for r in line.runs if r.text.strip() and not r.artifact]
        return runs[at].face.lower() if runs else ""

    return sum("bold" in face(a, -1) and "bold" in face(b, 0) for a, b in pairwise(lines))


_FIELD_NAMES = frozenset(f.name for f in fields(FrameContext))  # (FrameContext.but)


@dataclass
class _Column:
    """Where an element stacks one language's lines: the items they join, the element's place in the
    YAML, the column's left edge and width, and how far down it is filled so far."""

    ctx: FrameContext
    out: list
    ref: SourceRef
    lang: str = "en"
    width: float = 0.0
    x: float = 0.0
    y: float = 0.0
    role: Role | None = None  # what its lines are (None: the element's role, stamped by elements.lay_out)

    def add(self, spans: list[Span], align: str | None = None, balance: bool = False) -> float:
        """Set `spans` under what the column holds; return its new bottom."""
        self.y = self.ctx.stack(spans, self, align, balance)
        return self.y

    def text(self, text: Text | None, style: str, lang: str | None = None, balance: bool = False) -> float:
        """The column's language (or `lang`) of `text` in `style`, under what the column holds."""
        lang = lang or self.lang
        self.y = self.ctx.stack(self.ctx.spans(text, style, lang), self, None, balance, lang)
        return self.y


BOLD_TWINS = ("callout-headline", "stat-label")  # bold English parts whose Chinese a following text may carry


def twin_style(texts: list, text: Text | None, style: str) -> str:
    """The style a text's Chinese is set in. Where the English has a bold part (a headline, a label) whose
    Chinese is missing, and the next text has Chinese but no English, that Chinese translates the bold
    English: it takes its style, so the Chinese has its bold twin (DESIGN.md, "Both languages equal")."""
    if text is None or not text.zh or text.en:
        return style
    index = next(i for i, (t, _) in enumerate(texts) if t is text)
    before = [(t, s) for t, s in texts[:index] if t is not None and (t.en or t.mixed)]
    if before and not before[-1][0].zh and style != before[-1][1] and before[-1][1] in BOLD_TWINS:
        return before[-1][1]
    return style
