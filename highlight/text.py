"""Mixed English/Chinese text → measured lines of glyph runs.

Knows nothing of pages: spans of text with styles go in, `Line`s of
positioned `GlyphRun`s come out (fpdf2's line_break.py is the model).

1. Split into characters classed by script; pick the Latin or the CJK face
   per character (the other face for a glyph one lacks).
2. Group characters into unbreakable boxes, with the separators between them
   (a space, a CJK break, a break after a hyphen), applying the rules:
   English breaks only at spaces and after a hyphen between letters; CJK
   breaks between characters except before closing or after opening
   punctuation (kinsoku) and inside one of the edition's words, and a break
   inside a dictionary word is marked (segment.py grades them); a number stays
   whole with its sign, currency and unit; a footnote marker sticks to the word
   before it.
3. Choose the breaks for the whole paragraph at once (total fit, in the
   manner of Knuth and Plass): minimise the squared slack of every line but
   the last, with penalties for a runt last line, for hyphen line ends and for
   a line ending inside a Chinese word (dearer than any other line, in every
   measure); justified Chinese never closes a gap between ideographs (the
   break moves): a line a little long first gives up its punctuation's blank,
   mid-line too (down to the style's punct_min_em), before a shorter line
   opens its gaps, evenly, aiming at 0.05 em; a note of two lines that would
   open them past that is set ragged.
"""
from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import math
import operator
import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, replace

from .chars import is_cjk
from .fonts import FontSet
from .layout_spec import Colour, Style
from .model import MARKER_PATTERN
from .segment import ALLOWED, DISCOURAGED, FORBIDDEN, NAME, break_grades, listed_spans, term_joins

# Kinsoku (W3C clreq §3.1.7): characters that may not start a line ...
NO_LINE_START = set("、。，．：；！？）」』】〉》〕〗〙〛｝］％‰℃…‥・·ー゛゜ヽヾゝゞ々〻,.:;!?)]}%”’")
# ... and characters that may not end one.
NO_LINE_END = set("（「『【〈《〔〖〘〚｛［([{“‘$＄")
# SI units, set a thin space after their number; with the words below, the units a number keeps
# on its line when a space separates them ("93,923,338 kWh", "HK$2.76 billion").
SI_UNITS = {"kWh", "MWh", "GWh", "kg", "km", "m", "m²", "m³", "cm", "mm", "MW", "GW"}
UNITS = SI_UNITS | {"ton", "tons", "tonnes", "%", "million", "billion", "HK$"}
THIN_SPACE_EM = 1 / 6  # between a number and its SI unit ("93,923,338 kWh"), as a typesetter's thin space
MAX_HYPHENS_IN_A_ROW = 2
HYPHEN_COST = 20.0  # a line ending after a written hyphen ("start-|ups")
SOFT_HYPHEN_COST = 5.0  # a dictionary hyphen is worth it when it saves a line about a fifth short
HYPHEN_MIN = 3  # letters kept on each side of a dictionary hyphen
HANGING = set("，。、")  # may hang past the measure, where the style allows (hang_punctuation)
OPENING_BRACKETS = set("（「『【〈《〔〖〘〚｛［")
CLOSING_BRACKETS = set("）」』】〉》〕〗〙〛｝］")
MAX_JUSTIFY_EM = 0.2  # most extra space a justified English line may put into one word space
# Justified Chinese (DESIGN.md, "Chinese setting", after clreq and JIS X 4051): to fit a line, compress first
# (line-end punctuation, then mid-line punctuation: MID-LINE below), then stretch word spaces, ideograph gaps last.
# The Han–Latin gap is the style's quarter em on every line, never stretched or compressed: the break moves.
STRETCHED_SPACE_EM = 1 / 3  # word spaces stretched at most to this
MAX_IDEOGRAPH_GAP_EM = 0.1  # most a gap between ideographs may open (DESIGN.md: never past 0.1): wider is letter-spacing
AIM_IDEOGRAPH_GAP_EM = 0.05  # what justification aims at (DESIGN.md): a line opening its gaps wider costs…
# …up to this at MAX_IDEOGRAPH_GAP_EM, so a near break is taken instead; or, where leaving the line ragged costs less
# (ending on a phrase's punctuation: RAGGED_COST / 2), it is set ragged: no line opens past about 0.081 em there
GAP_OVER_AIM_COST = 40.0
RAGGED_COST = 60.0  # a justified Chinese line that could only fill its measure by letter-spacing is set ragged
PHRASE_END = set("，。、；：！？）」』")  # a ragged line ending on one of these ends a phrase: it costs half as much
# …and in a narrow measure (a callout, a card) less than a break between two words (NARROW_PHRASE_COST): there a
# phrase ending its line ragged reads better than a compound parted to fill it (…智慧生產、 | 生物科學及…)
NARROW_PHRASE_RAGGED_COST = 10.0
# …but only a little short: a ragged line more than FAR_SHORT_EM short in a wide measure (NARROW_MEASURE_EM or
# more; a cell's note may end a line short) costs RAGGED_COST however it ends, and on a
# phrase's punctuation HARD_RETURN_COST more, as it reads as the paragraph's end (page 5's ◊ footnote: …合辦的年度比賽，
# five ems short in 34): the line runs on into the next phrase (…比賽，為 | 程式人員…) where that is possible
FAR_SHORT_EM = 2.0
HARD_RETURN_COST = 30.0
FAR_SHORT_COST = 10.0  # …and this for each em it is shorter still, so the line runs on as far as it can
# In text this wide a break inside an ordinary word beats such a hole (DESIGN.md: under NARROW_MEASURE_EM only between
# words, wider a break inside a word the exception, where the alternative is worse; the Chinese review of 269af3e:
# …比賽，為程式 | 人員, not …比賽，為 | 程式人員 three ems short in 33): a far-short line of a justified paragraph
# costs this on top, more than one break inside a word (WORD_COST) but less than one inside a name, a Latin name or
# a quoted title (NAME_COST, LATIN_NAME_COST, TITLE_COST), which stay whole; so the paragraph justifies wherever a
# break within the limits exists. "Far short" means it cannot be justified within MAX_IDEOGRAPH_GAP_EM: a line that
# can is justified, its gaps costing at most GAP_OPEN_COST + GAP_OVER_AIM_COST, far below a break inside a word (the
# review of 595fc73: …比賽，為 | 程式人員…以發展意念及 | 產品原型 at 0.074 em, not …為程式 | 人員, …產品 | 原型)
# Line-end punctuation that may give up its blank to fit a line: a closing bracket its blank right half; the
# Hong Kong ，。、：； stand centred in the em (ink 0.35–0.65 em), so only a quarter em, keeping their ink inside.
END_COMPRESS_EM = {**dict.fromkeys("）」』】〉》〕", 0.5), **dict.fromkeys("，。、：；", 0.25)}
# MID-LINE punctuation compression, justified Chinese's first resource (clreq, JIS X 4051 line adjustment): a line one
# ideograph too long gives up its punctuation's blank, down to the style's punct_min_em (styles.yaml, zh), rather
# than break earlier and open its ideograph gaps. Noto Sans CJK HK draws ，。、：；centred (ink 0.35–0.65 em), so
# they give their blank from both sides evenly and the glyph stays centred, keeping punct_min_em. A bracket is full
# width mid-line, one width in every setting (港科大（廣州）: the review of 863548c saw it trimmed in one box and
# full in the next), and half an em only beside another mark (」， or 、「) or at a line's start or end.
CENTRED_MARKS = set("，。、：；")
COMPRESSIBLE = CENTRED_MARKS | OPENING_BRACKETS | CLOSING_BRACKETS
# A line that compresses costs this at most (all of its punctuation's blank taken): less than one opening its
# ideograph gaps by GAP_OPEN_EM (GAP_OPEN_COST), so a line takes one more ideograph where its punctuation can give
COMPRESS_COST = 0.5
# QUANTISED: a mid-line mark is set full width or gives all of its blank (its half em: punct_min_em), never an
# amount between (⅛, ⅙ em read as uneven spacing, line to line); a line needing less than the half-em steps give
# opens its gaps by the difference. Each mark that gives costs this: about what a line one ideograph short costs
# opening its gaps in a full measure, so a break that needs no mid-line compression is preferred.
MID_COMPRESS_COST = 3.0
# A justified Chinese line opening its ideograph gaps costs GAP_OPEN_COST at GAP_OPEN_EM, growing as the square
# (on top of GAP_OVER_AIM_COST past the aim): a near break that sets the line solid or compresses it is taken instead
GAP_OPEN_COST = 2.0
GAP_OPEN_EM = 0.03
# A break inside a word (segment.py's DISCOURAGED: 政|府, 官|員), in every measure only where no word boundary is
# within reach: dearer than any other line (a ragged, short or loose one), so the break moves to the word's edge
# (DESIGN.md, Chinese setting). Under NARROW_MEASURE_EM Chinese ems such a break is a warning, in wider text a
# located note (wordbreaks.py).
NARROW_MEASURE_EM = 22
# A term of two words (生成式人工智能) is kept whole in a narrow measure at the cost of this many more lines at most
# (DESIGN.md: under about 22 ems only between words, terms whole; the Chinese review of df673b1: p5's 1st-university
# callout set 支持於教學上使用生成式 | 人工智能，…, where a typesetter sets …使用 | 生成式人工智能， | 例如 ChatGPT)
TERM_LINES = 1
WORD_COST = 5000.0
FAR_SHORT_WIDE_COST = 1.2 * WORD_COST
LATIN_NAME_COST = 2 * WORD_COST  # a break inside a Latin name of Chinese text (Hong Kong | Techathon)
# A break at a space inside a Latin run of Chinese text (於 Hong Kong | Techathon 2023): dearer than a line a tenth
# loose or a ragged justified line, so the run goes down whole where a break beside it is near as good.
LATIN_RUN_COST = 80.0
# …and between a name and the short figure after it (Techathon◊ | 2023): cheaper than a break inside the name, a Latin
# name of Chinese text kept whole as a word is (於 Hong Kong Techathon◊ | 2023 榮獲…: the Chinese reviews 27 and 28, each
# its first item, against 於 Hong Kong | Techathon◊ 2023, which the Chinese review of 2824c5b, D1, had asked for), but
# dearer than any other break of the run, and than a stray line (於 | Hong Kong…)
NAME_YEAR_COST = WORD_COST
# In English, a break between a name's word and its short figure costs as much as a line half short (Hong Kong |
# Techathon◊ 2023, THE Rankings | 2024 not Rankings | 2024): the break moves to a word before the name's last
NAME_FIGURE_COST = 25.0
_LATIN_TAIL = re.compile(r"[A-Za-z]+$")  # a word's Latin letters at its end (_latin_run_cost)
# A year (2023), a range of years (2022–23) or an edition's number (48): what a name's word keeps on its line
NAME_FIGURE = re.compile(r"\d{1,4}(?:[\u2013-]\d{2,4})?[,.;:)]?")
# A break between two words of a Chinese run, not after punctuation (數據|科學, 香港|特區政府, 亞洲頂尖|600+):
# phrases end at punctuation, so a line that ends there reads better. In a narrow measure it is worth a line
# about two fifths short (100 × 0.39²); in wider text a little more than opening a justified line's ideograph
# gaps by 0.07 em (31 ems, two ideographs taken down: 100 × (2/31)² = 0.42).
NARROW_PHRASE_COST = 15.0
WIDE_PHRASE_COST = 1.0
# …and between two one-character words (獎|項: the dictionary's fallback where it lacks a compound), on top of that
NARROW_SINGLES_COST = 60.0
WIDE_SINGLES_COST = 10.0
PHRASE_BREAK = set("，。、；：！？）」』】〉》〕〗\u3000")  # a break after one of these ends a phrase
NAME_COST = 1e5  # a break inside one of the edition's names longer than the measure, at its own word boundary
CONNECTIVE_START_COST = 30.0  # a narrow line starting with a connective (及, 與: zh_words.yaml), where it can help it
# A narrow line ending with a one-character coverb (援助金予 | 236 位: zh_words.yaml) where it can help it: less than a
# break between two words (NARROW_PHRASE_COST), so the coverb goes down with its phrase when that costs no more
# breaks, but a paragraph does not take one more line for it (了解更多科大為 | 知識轉移所作出的努力, not a third line).
COVERB_END_COST = 10.0
# In wider text a line ending with one (全才。此 | 年度重點成果) costs about what opening a justified line's gaps to
# 0.068 em does (GAP_OVER_AIM_COST), so a near break that leaves the line a little looser is taken instead.
WIDE_COVERB_END_COST = 10.0
# A justified Chinese note of this many lines or fewer (a card's lead, a callout), or of any length in a narrow
# measure (under NARROW_MEASURE_EM: a card's cell), that would open a line's gaps past the aim is set ragged instead:
# in a short line the eye sees the letter-spacing at once (p6's card at 0.071 em, edition-b's in three lines)
SHORT_NOTE_LINES = 2
SHORT_LINE = 0.4  # a ragged non-last line filling less than this of its measure…
NARROWER_MEASURE_EMS = 2  # a justified Chinese paragraph with a short line mid-paragraph tries a measure this much narrower
SHORT_LINE_COST = 100.0  # …costs this on top of its slack (and of a ragged line's RAGGED_COST): no three-character line mid-paragraph (支持於 |)
# …and a line of one ideograph mid-paragraph as much as a break inside a name (於 | Hong Kong Techathon◊ | 2023 …: where
# a Latin name cannot stand whole on the coverb's line it breaks inside, 於 Hong Kong | Techathon◊ 2023)
STRAY_LINE_COST = 2 * WORD_COST
IDEOGRAPHIC_SPACE = "\u3000"  # a full-width space (between two Chinese phrases): a space one em wide
MAX_BRACKET_PHRASE = 8  # （…） 「…」 of this many characters or fewer is never broken
# A quoted title or name 「…」 『…』 《…》 of this many characters or fewer (「2028 可持續發展挑戰」, a programme's name):
# a break inside it is priced as one inside a word (TITLE_COST), so it goes down whole wherever its line allows
MAX_QUOTED_TITLE = 12
# …at a word boundary inside it, half a break inside a word (WORD_COST); inside a word of it, both: a title too long for
# its line parts between its words (「2028 | 可持續發展挑戰」), never inside one (可持續發|展)
TITLE_COST = 1.5 * WORD_COST  # (past FAR_SHORT_WIDE_COST: a title stays whole)
TITLE_MARKS = {"「": "」", "『": "』", "《": "》", "〈": "〉"}
SHORT_QUALIFIER = 4  # a bracketed phrase this short stays with the word it qualifies: 港科大（廣州）
MARKER_SCALE = 0.62  # marker size relative to its text…
MARKER_MIN_PT = 5.5  # …but never under 5.5 pt (DESIGN.md: 5 pt or larger): every marker of the small text one size
MARKER_RISE_EM = 0.38
MARKER_INK_MIDDLE_EM = 0.357  # every marker's ink centred where a capital's is (Noto Sans: cap height 0.714 em)
MARKER_BEARING_EM = 0.05  # most side bearing a marker keeps before its ink (*, Δ, Ω have about this; ◊ 0.21)
JOINING = set("—…")  # doubled in Chinese (——, ……): a pair set as one mark
# A character that is one horizontal stroke: doubled, its two strokes stand on one line and run together into a dash
# unless set apart; DOUBLED_STROKE_GAP_EM more between them (under the 0.08 em an ideograph pair may open).
DOUBLED_STROKES = frozenset("一")
DOUBLED_STROKE_GAP_EM = 0.07
SPACE = " "
NBSP = "\u00a0"
NARROW_NBSP = "\u202f"  # written in the content where a number and unit must stay together
SPACED_DASHES = frozenset({"\u2013", "\u2014", "-"})  # a dash standing between two words as a separator


@functools.lru_cache(maxsize=8192)
def is_ideograph(char: str) -> bool:
    """A Han character or kana: the letters of CJK text (not its punctuation)."""
    return is_cjk(char) and unicodedata.category(char).startswith("L")


@functools.lru_cache(maxsize=8192)
def _is_cjk_punctuation(char: str) -> bool:
    return is_cjk(char) and not unicodedata.category(char).startswith("L")


@functools.lru_cache(maxsize=8192)
def _latin_or_digit(char: str) -> bool:
    return not is_cjk(char) and (char.isalnum() or char in "$")


FIGURE_SIGNS = "$%+#−±"  # what a figure carries in Chinese text: HK$, %, 800+, #1, −3.9% (a true minus), ±


@functools.lru_cache(maxsize=8192)
def is_latin_run_char(char: str) -> bool:
    """A letter or figure of a Latin run, or the $, %, + and # a figure carries (HK$2.76億, 75.1%, 100+, 全港 #1):
    each takes the one Han–Latin gap, never the Latin word space (0.26 em) typed before a rank's #."""
    return not is_cjk(char) and (char.isalnum() or char in FIGURE_SIGNS)


def is_han_latin_pair(a: str, b: str) -> bool:
    """Han next to a Latin or figure run: the pair that takes the quarter em (DESIGN.md, Chinese setting)."""
    return (is_ideograph(a) and is_latin_run_char(b)) or (is_latin_run_char(a) and is_ideograph(b))


RUNT_WORD = 7  # characters: a last line holding one word this short is a runt
_FIGURE_RUN = re.compile(r"[^\s\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def is_runt(text: str) -> bool:
    """A last line too short to stand: at most two ideographs (with their punctuation), a figure counting as one
    (18區, 2023 年), or one short word."""
    text = text.strip()
    if text.isascii():  # (no ideograph: most last lines, asked at every width a paragraph is set at)
        return bool(text) and " " not in text and len(text) <= RUNT_WORD
    ideographs = sum(1 for c in text if is_ideograph(c))
    if ideographs:
        figures = _FIGURE_RUN.findall(text)
        return ideographs + len(figures) <= 2 and all(len(f) <= RUNT_WORD and not f.isalpha() for f in figures)
    return bool(text) and " " not in text and len(text) <= RUNT_WORD


def _replaced(obj, **changes):
    """dataclasses.replace for the setter's frozen Line and _Sep (no __post_init__, no field outside __init__):
    the same object, its fields copied rather than passed through __init__ again (a fifth of the time; 13,000
    calls in the 200-page edition)."""
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    new.__dict__.update(changes)
    return new


@dataclass(frozen=True)
class Span:
    """A piece of text in one style; `marker` sets it as a superscript footnote marker."""

    text: str
    style: Style
    marker: bool = False
    lang: str = "en"



_set = object.__setattr__  # (a frozen class's own __init__ sets its fields with it)


@dataclass(frozen=True, slots=True)  # (slots: the 200-page edition keeps 47,000 of them, 1-2 MB less)
class GlyphRun:
    x_pt: float  # from the line's start
    text: str
    face: str
    size_pt: float
    rise_pt: float
    colour: Colour
    char_space_pt: float
    width_pt: float
    artifact: bool = False  # drawn but not content: a dictionary hyphen, which text extraction must not see
    scale: float = 1.0  # horizontal scale of its glyphs (the two dashes of a Chinese ——, drawn two ems wide)
    # drawn as its glyphs' outlines, not as text (an artifact no text extractor sees): punctuation the layout adds
    # as furniture, such as the bracket that closes in English what the source closes only in Chinese
    outline: bool = False
    # in the text layer, not drawn (text render mode 3): punctuation of the copy that joined two parts the layout
    # sets apart (the comma after a change the copy prints inside its note: "（按年 +4%），為專利…")
    hidden: bool = False

    def __init__(self, x_pt: float, text: str, face: str, size_pt: float, rise_pt: float, colour: Colour,
                 char_space_pt: float, width_pt: float, artifact: bool = False, scale: float = 1.0,
                 outline: bool = False, hidden: bool = False) -> None:
        # (the frozen __init__ dataclasses writes, each field set in its order, without looking up object.__setattr__
        # at each: about 45,000 runs made in the 200-page edition; a test compares it with the written one)
        _set(self, "x_pt", x_pt)
        _set(self, "text", text)
        _set(self, "face", face)
        _set(self, "size_pt", size_pt)
        _set(self, "rise_pt", rise_pt)
        _set(self, "colour", colour)
        _set(self, "char_space_pt", char_space_pt)
        _set(self, "width_pt", width_pt)
        _set(self, "artifact", artifact)
        _set(self, "scale", scale)
        _set(self, "outline", outline)
        _set(self, "hidden", hidden)


# A run pickled (every laid-out page kept in .cache/pages: 33,000 runs in the 200-page edition) as its fields' values
# in one C call: dataclasses' own __getstate__ for a class with slots asks fields() and getattr for each run. It is
# read back by its own __init__ with those values (__reduce__), not by dataclasses' __setstate__, which asks fields()
# again and sets each field from a Python loop: 1,235 runs read back in a build after a one-word edit, 3.8 -> 2.2 ms.
# (A run pickled by the older __getstate__ still reads back through that __setstate__.)
_RUN_STATE = operator.attrgetter(*GlyphRun.__slots__)


def _run_reduce(run: GlyphRun) -> tuple:
    return GlyphRun, _RUN_STATE(run)


setattr(GlyphRun, "__reduce__", _run_reduce)  # noqa: B010 (a class with slots: no attribute to declare)


@dataclass(frozen=True)
class Line:
    runs: tuple[GlyphRun, ...]
    width_pt: float  # the measure it was set to
    natural_pt: float  # its content width before justification
    leading_pt: float
    ascent_pt: float
    descent_pt: float
    ends_with_hyphen: bool
    overfull: bool
    position: tuple = (0, 1)  # (index, lines in its paragraph)
    space_ratio: float = 1.0  # word spaces as set, to their natural width (justified lines stretch them)
    gap_em: float = 0.0  # extra space put into each CJK gap by justification, in em
    compressed: int = 0  # adjacent punctuation compressed on this line
    hang_pt: float = 0.0  # how far its final ，。、 hangs past the measure
    split_word: str = ""  # the line ends inside a word (segment.py): the characters around the break, "政|府"
    split_name: bool = False  # …inside a name longer than the measure, at the name's own word boundary

    def __init__(self, runs: tuple[GlyphRun, ...], width_pt: float, natural_pt: float, leading_pt: float,
                 ascent_pt: float, descent_pt: float, ends_with_hyphen: bool, overfull: bool, position: tuple = (0, 1),
                 space_ratio: float = 1.0, gap_em: float = 0.0, compressed: int = 0, hang_pt: float = 0.0,
                 split_word: str = "", split_name: bool = False) -> None:
        # (the frozen __init__ dataclasses writes, the fields set in their order without looking up object.__setattr__
        # at each; one by one, as there, so that the instances share their keys; a test compares it)
        _set(self, "runs", runs)
        _set(self, "width_pt", width_pt)
        _set(self, "natural_pt", natural_pt)
        _set(self, "leading_pt", leading_pt)
        _set(self, "ascent_pt", ascent_pt)
        _set(self, "descent_pt", descent_pt)
        _set(self, "ends_with_hyphen", ends_with_hyphen)
        _set(self, "overfull", overfull)
        _set(self, "position", position)
        _set(self, "space_ratio", space_ratio)
        _set(self, "gap_em", gap_em)
        _set(self, "compressed", compressed)
        _set(self, "hang_pt", hang_pt)
        _set(self, "split_word", split_word)
        _set(self, "split_name", split_name)

    @property
    def text(self) -> str:
        """The line as the eye reads it (a hidden run, in the text layer only, left out)."""
        return "".join(run.text for run in self.runs if not run.hidden)

    @property
    def right_pt(self) -> float:
        return max((r.x_pt + r.width_pt for r in self.runs), default=0.0)


@dataclass(slots=True)  # (not frozen: made once, never changed nor hashed; a frozen __init__ cost twice as much)
class _Frag:
    text: str
    face: str
    size_pt: float
    rise_pt: float
    colour: Colour
    tracking_pt: float
    width_pt: float  # drawn advance, unkerned
    leading_pt: float
    kern_after_pt: float = 0.0  # pair kerning before the next glyph
    compressed: int = 0  # a closing bracket followed by punctuation, set half an em narrower
    scale: float = 1.0  # horizontal scale (the dashes of ——: see _dash_scale)

    @property
    def advance_pt(self) -> float:
        return self.width_pt + self.kern_after_pt


@dataclass(slots=True)
class _Box:
    frags: list
    width_pt: float = 0.0
    hang_pt: float = 0.0  # a line ending here may run this far into the margin (hanging ，。、)
    end_shrink_pt: float = 0.0  # a line ending here may give up this much of its final punctuation's blank
    # justified Chinese: its punctuation's blank that may give mid-line (CENTRED_MARKS): (offset in its text, from
    # the left, from the right) per mark, their sum, and what of it its first and its last character give
    marks: tuple = ()
    mid_shrink_pt: float = 0.0
    lead_mark_pt: float = 0.0
    last_mark_pt: float = 0.0


@dataclass(frozen=True)
class _Sep:
    """What lies between two boxes."""

    width_pt: float  # its width when the line does not break here
    breakable: bool
    kind: str  # "space", "cjk", "hyphen", "glue" (unbreakable)
    space_text: str = ""  # the space character to draw when kept (for text extraction)
    hyphen_pt: float = 0.0  # a dictionary break ("soft"): the width of the hyphen drawn when the line ends here
    stretch_pt: float = 0.0  # justified Chinese: how far a word space may open, first…
    last_stretch_pt: float = 0.0  # …and a gap between CJK characters, only once those are full
    han_latin: bool = False  # the quarter em between Han and a Latin or figure run
    word_em_pt: float = 0.0  # a break inside a word (a DISCOURAGED one): the em of its text, else 0
    lone: bool = False  # …that leaves one character of the word alone on a line (程式人 | 員)
    title: bool = False  # inside a short quoted title, or between a Latin name and the Chinese name it runs into
    phrase_em_pt: float = 0.0  # a break between two words of Chinese text, not after punctuation: its em, else 0
    name: bool = False  # a break inside one of the edition's words, at its own word boundary (segment.NAME)
    connective: bool = False  # the next line would start with a connective (及, 與: zh_words.yaml)
    coverb: bool = False  # the line would end with a one-character coverb (予, 於, 為: zh_words.yaml)
    after_connective: bool = False  # the line would end with a connective (「教育及 |: zh_words.yaml)
    singles: bool = False  # between two one-character words of the dictionary (獎|項: perhaps a word it lacks)
    # a space inside a Latin run of Chinese text (Hong Kong | Techathon), or in any text between a name and its
    # short figure (Techathon◊ | 2023): what breaking costs
    latin_run: float = 0.0


# A word: characters that are no space (str.isspace: re's \s is the same test), NBSP and NARROW NBSP among them
_WORD = re.compile("(?:[^\\s]|[\u00a0\u202f])+")


class _Char:
    """A character of a paragraph and its span (a plain class: a frozen dataclass per character was a tenth of
    setting a paragraph)."""

    __slots__ = ("char", "span")

    def __init__(self, char: str, span: Span):
        self.char = char
        self.span = span


BOLD_PATTERN = re.compile(r"\*\*(.+?)\*\*")  # **…**: a bold part of a text (a label's Chinese twin in a sentence)


def spans_from_text(string: str, style: Style, marker_style: Style | None = None, lang: str = "en") -> list[Span]:
    """Split `[^Δ]` footnote markers out of a text into superscript spans, and `**…**` into spans of the
    style in bold."""
    # A page's texts are split again at every trial fill (27,000 splits of 5,000 texts in the 200-page edition):
    # the spans of the last texts kept, keyed by the very styles (ids, the styles held by the entry), a new list each
    key = (string, id(style), id(marker_style), lang)
    kept = _RECENT_SPANS.get(key)
    if kept is None or kept[0] is not style or kept[1] is not marker_style:
        kept = _RECENT_SPANS[key] = (style, marker_style, tuple(_split_spans(string, style, marker_style, lang)))
        if len(_RECENT_SPANS) > RECENT_TEXTS:
            _RECENT_SPANS.popitem(last=False)  # (the oldest)
    return list(kept[2])


RECENT_TEXTS = 1024  # texts whose spans spans_from_text keeps (a page has a few hundred)
# (an OrderedDict: its oldest entry goes in a step; a dict's first key, past those deleted before it, is looked for
# from its start, 0.3 % of the 200-page edition)
_RECENT_SPANS: OrderedDict = OrderedDict()


@functools.lru_cache(maxsize=256)
def _weighted(style: Style, weight: str) -> Style:
    """`style` in `weight`, the same object each time: a paragraph is set many times over (trial fills, copyfit
    steps), and the setter's memo compares its key's spans' styles by identity first and hashes each once
    (Style.__hash__)."""
    return replace(style, weight=weight)


def _split_spans(string: str, style: Style, marker_style: Style | None, lang: str) -> list[Span]:
    if "**" in string:
        spans, pos = [], 0
        bold = _weighted(style, "bold")
        for match in BOLD_PATTERN.finditer(string):
            spans += _split_spans(string[pos:match.start()], style, marker_style, lang)
            spans += _split_spans(match.group(1), bold, marker_style, lang)
            pos = match.end()
        return spans + _split_spans(string[pos:], style, marker_style, lang)
    spans = []
    pos = 0
    for match in MARKER_PATTERN.finditer(string):
        if match.start() > pos:
            spans.append(Span(string[pos:match.start()], style, lang=lang))
        # a marker takes the regular weight, whatever its word's (page 3's # and ^ after bold labels were set bold
        # beside every other marker's regular: the designer's fifth review, item 3)
        spans.append(Span(match.group(1), _weighted(marker_style or style, "regular"), marker=True, lang=lang))
        pos = match.end()
    if pos < len(string):
        spans.append(Span(string[pos:], style, lang=lang))
    return spans


def plain(string: str) -> str:
    """The text as printed: markers without their `[^ ]` syntax, bold without its `**`, whitespace collapsed (split
    and joined: str.split and re's \\s take the same characters for whitespace). A string without a marker or a `**`
    is not searched for one (2022-23's 422 page texts: 1.3 → 0.2 ms)."""
    if "[^" in string:
        string = MARKER_PATTERN.sub(r"\1", string)
    if "**" in string:
        string = BOLD_PATTERN.sub(r"\1", string)
    return " ".join(string.split())


@dataclass(frozen=True)
class _MissingFace:
    """Stands in for a glyph no face has: a box 0.6 em wide that the renderer outlines."""

    name: str = ""
    advances: dict | None = None  # (none: its width is 0.6 em whatever the character)
    units_per_em: int = 1000

    def width_pt(self, text: str, size_pt: float) -> float:
        return 0.6 * size_pt * len(text)

    def kern_pt(self, left: str, right: str, size_pt: float) -> float:
        return 0.0

    def has(self, char: str) -> bool:
        return True


MISSING_FACE = _MissingFace()


RECENT_PARAGRAPHS = 16  # paragraphs whose boxes a setter keeps (_boxes_of)


class TextSetter:
    """Sets spans into lines with one FontSet.

    Results are memoised by (spans, width, align, balance): a rebuild after a
    one-word edit sets only the paragraph that changed.
    """

    def __init__(self, fonts: FontSet, greedy: bool = False, memo: dict | None = None,
                 words: frozenset[str] = frozenset()):
        self.fonts = fonts
        self.words = words  # the edition's own words, never broken (segment.py)
        self.greedy = greedy  # first-fit breaking, only to compare with total fit
        self._memo: dict = memo if memo is not None else {}  # may start from a stored memo (linestore.py)
        self.used: dict = {}  # what the current build set or reused, to be stored
        self.fresh = 0  # paragraphs set (not found in the memo) since `used` was cleared
        self._word_starts: frozenset[int] = frozenset()  # of the paragraph being set (see _boxes)
        self._joined: str = ""  # …its text, and where its spans after the first start (_box_key)
        self._span_starts: list[int] | None = None
        self._keep_terms = False  # a break between two listed words side by side priced as inside a word (_set)
        self._faces: dict = {}  # (char, after CJK?, weight, lang) -> Face
        self._keyed_words: frozenset | None = None
        self._words_digest = ""
        # (text, its spans' styles, the neighbours' kinds) -> _Box: a word met again (a Chinese character, a common
        # English word) is not measured again; per setter, so per FontSet (_box_key)
        self._box_memo: dict = {}
        # (spans, _keep_terms) -> (boxes, separators) of the last paragraphs (_boxes_of), the oldest first
        self._recent_boxes: OrderedDict = OrderedDict()

    def forget_boxes(self) -> None:
        """Empty the memo of boxes (a build's pages are laid out: its lines are in the line memo), so that what
        comes next (drawing) takes its memory; the 200-page edition's is about 10,000 boxes, 8 MB."""
        self._box_memo = {}
        self._recent_boxes = OrderedDict()
        _RECENT_SPANS.clear()  # (the texts' spans kept for the next trial fill: spans_from_text)

    def _words_key(self) -> str:
        """The edition's words as part of every memo key (a stored line was set with one list): a short digest,
        the same in every process (a frozenset's repr is not)."""
        words = self.words
        if words is not self._keyed_words:
            self._keyed_words = words
            self._words_digest = hashlib.sha256("\0".join(sorted(words)).encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return self._words_digest

    # -- faces ----------------------------------------------------------
    def face_for(self, char: str, prev: str, style: Style, lang: str):
        key = (char, bool(prev) and is_cjk(prev), style.weight, lang)
        face = self._faces.get(key)
        if face is None:
            face = self._faces[key] = self._face_for(char, prev, style, lang)
        return face

    def _face_for(self, char: str, prev: str, style: Style, lang: str):
        fonts = self.fonts
        weight = style.weight
        primary = "cjk" if is_cjk(char) else "latin"
        # Dashes and curly quotes between Chinese characters belong to the Chinese face.
        if primary == "latin" and char in "—–“”‘’…·" and lang != "en" and prev and is_cjk(prev):
            primary = "cjk"
        if primary == "latin" and char in "—…" and lang == "zh":
            primary = "cjk"  # the second dash of a Chinese —— (or dot group of ……) too: one face, so they join
        face = fonts.face(primary, weight)
        if not face.has(char):
            other = fonts.face("latin" if primary == "cjk" else "cjk", weight)
            if other.has(char):
                return other
            return None  # in no face: set as a visible box (allowed only with --allow-missing-glyphs)
        return face

    # -- boxes and separators --------------------------------------------
    def _frag(self, chars: list[_Char], prev: str) -> list[_Frag]:
        # A run is built up in a list ([text, face, size, rise, colour, tracking, width, leading, kern after,
        # compressed, scale], _Frag's fields) and made a _Frag once it is complete: a frozen _Frag per character
        # cost a 200-page edition a tenth of its build.
        frags: list[list] = []
        last: list | None = None
        faces, of_span = self._faces, None
        for n, item in enumerate(chars):
            span = item.span
            char = item.char
            if span is not of_span:  # (what a span's characters share, once per span)
                of_span, style, lang = span, span.style, span.lang
                size = max(style.size_pt * MARKER_SCALE, MARKER_MIN_PT) if span.marker else style.size_pt
                rise = style.size_pt * MARKER_RISE_EM if span.marker else 0.0
                tracking = style.tracking_em * size
            face = faces.get((char, bool(prev) and is_cjk(prev), style.weight, lang)) \
                or self.face_for(char, prev, style, lang) or MISSING_FACE
            if span.marker:  # every marker's ink centred on one height, whatever its glyph's place in its font
                rise = style.size_pt * MARKER_RISE_EM - _marker_drop(face, char, size)
            advances = face.advances  # (one character: the font's advance, without a generator)
            width = (advances.get(ord(char), 0) * size / face.units_per_em if advances is not None
                     else face.width_pt(char, size)) + tracking
            # a dash of a doubled —— is drawn wider, so the pair is exactly two ems (see _dash_scale); a single one
            # between two ideographs (凱洛格—科大, a connector) one em, not the font's 0.894 em that reads as Latin
            scale = 1.0
            if char == "—":
                before, after = chars[n - 1].char if n else "", chars[n + 1].char if n + 1 < len(chars) else ""
                if "—" in (before, after):
                    scale = _dash_scale(face)
                elif before and after and is_cjk(before) and is_cjk(after) and _advance(face, "—"):
                    scale = face.units_per_em / _advance(face, "—")
            width = (width - tracking) * scale + tracking
            same = squeeze = False
            kern = 0.0
            if last is not None:
                last_char = last[0][-1]
                same = last[1] == face.name and last[2] == size and last[3] == rise \
                    and (last[4] is style.colour or last[4] == style.colour) and last[5] == tracking \
                    and last[10] == scale
                kern = face.kern_pt(last_char, char, size) if same else 0.0
                squeeze = last_char in CLOSING_BRACKETS and _is_cjk_punctuation(char)
                opening = char in OPENING_BRACKETS and _is_cjk_punctuation(last_char) and not squeeze \
                    and last_char not in CLOSING_BRACKETS
                if squeeze:
                    # Adjacent punctuation (clreq §3.1.6.1): a closing bracket's blank right half goes, so
                    # `）、` and `」。` take one and a half ems, not two.
                    kern -= 0.5 * last[2]
                elif opening:
                    # …and an opening bracket's blank left half after another mark: `：「` and `、《` one and a half
                    # ems too (`）（` keeps its closing bracket's squeeze only: one and a half as well)
                    kern -= 0.5 * size
                    squeeze = True
                if char in JOINING and last_char == char and last[1] == face.name:
                    # ——: the two dashes of a Chinese dash (or the two halves of ……) join ink to ink, as U+2E3A does
                    left, right = _ink(face, char)
                    kern -= (_advance(face, char) - right + left) * size * scale / face.units_per_em \
                        if char == "—" else 0.0
                    same = same and not kern
                if span.marker:
                    # A marker touches its word: a glyph with a wide side bearing (◊ from the CJK face) is moved to
                    # its ink.
                    left, _right = _ink(face, char)
                    bearing = left * size / face.units_per_em
                    if bearing > MARKER_BEARING_EM * size:
                        kern -= bearing - MARKER_BEARING_EM * size
            if kern and last is not None:
                # Pair kerning from the font's GPOS: the next glyph starts a new run, moved by the kern.
                last[8], last[9] = kern, last[9] + squeeze
                last = [char, face.name, size, rise, style.colour, tracking, width, last[7], 0.0, 0, scale]
                frags.append(last)
            elif same and last is not None:
                last[0:7] = [last[0] + char, face.name, size, rise, style.colour, tracking, last[6] + width]
                last[10] = scale
            else:
                leading = 0.0 if span.marker else style.leading_pt
                last = [char, face.name, size, rise, style.colour, tracking, width, leading, 0.0, 0, scale]
                frags.append(last)
            prev = char
        return [_Frag(*values) for values in frags]

    def _boxes_of(self, spans: list[Span]) -> tuple[list[_Box], list[_Sep]]:
        """The paragraph's boxes and separators (_boxes), the same lists when it was set a moment ago at another
        measure (a trial fill, a narrower measure: 1,241 of the 200-page edition's 6,093, most of them the very
        paragraph set before); they depend on the spans and on whether a term is kept whole (_keep_terms) only."""
        key = (tuple(spans), self._keep_terms)
        made = self._recent_boxes.get(key)
        if made is None:
            made = self._recent_boxes[key] = self._boxes(spans)
            if len(self._recent_boxes) > RECENT_PARAGRAPHS:
                self._recent_boxes.popitem(last=False)  # (the oldest)
        return made

    def _boxes(self, spans: list[Span]) -> tuple[list[_Box], list[_Sep]]:
        chars = [_Char(c, s) for s in spans for c in s.text]
        joined = "".join(s.text for s in spans)  # (chars' characters: joined[i] is chars[i].char)
        markers: set[int] = set()
        for span, start in zip(spans, itertools.accumulate((len(s.text) for s in spans), initial=0)):
            if span.marker:
                markers.update(range(start, start + len(span.text)))
        words: list[list[int]]
        if not markers:  # (most paragraphs: a word is a run of what is no space, NBSP and NARROW NBSP kept in it)
            words = [list(range(*m.span())) for m in _WORD.finditer(joined)]
        else:
            words = [[]]
            for i, char in enumerate(joined):
                if char.isspace() and char not in (NBSP, NARROW_NBSP) and i not in markers:
                    if words[-1]:
                        words.append([])
                else:
                    words[-1].append(i)
            words = [w for w in words if w]
        # (a paragraph without brackets, most of them, has no bracketed phrase or quoted title to look for)
        bound = _bracket_bound(chars) if not OPENING_BRACKETS.isdisjoint(joined) else set()
        titled = _quoted_titles(chars) if not TITLE_MARKS.keys().isdisjoint(joined) else set()
        grades = break_grades(joined, self.words)
        joins = _term_joins(joined, self.words) if self._keep_terms else frozenset()
        # where one of the edition's words begins, its first character is no classifier: 2022 | 人工智能
        self._word_starts = _word_starts(joined, self.words) if self.words else frozenset()
        self._joined, self._span_starts = joined, list(itertools.accumulate(len(s.text) for s in spans[:-1]))  # (_box_key)
        boxes: list[_Box] = []
        seps: list[_Sep] = []
        hyphenating = any(span.style.hyphenate for span in spans)
        terms = _bold_terms(spans)
        texts = ["".join(chars[i].char for i in word if not chars[i].span.marker) for word in words] if markers \
            else [joined[word[0]:word[-1] + 1] for word in words]  # (a word's characters are side by side)
        latin = [True] * len(joined) if joined.isascii() else [not is_cjk(char) for char in joined]
        for w_index, word in enumerate(words):
            if w_index:
                sep = self._space_between(chars, words[w_index - 1], word, bound, texts[w_index - 1], texts[w_index])
                grade = grades[word[0]]
                if grade == FORBIDDEN and sep.breakable:
                    sep = _replaced(sep, breakable=False, kind="glue")  # a space inside a listed name
                sep = _classed(sep, chars, words[w_index - 1][-1], word[0], grade, grades)
                if sep.breakable and sep.kind == "space" and chars[word[0]].span.lang == "zh":
                    sep = _replaced(sep, latin_run=_latin_run_cost(chars, words[w_index - 1], word))
                elif sep.breakable and sep.kind == "space" and texts[w_index][:1].isdigit() \
                        and _name_figure(texts[w_index - 1], texts[w_index], chars[words[w_index - 1][-1]].span.marker):
                    sep = _replaced(sep, latin_run=NAME_FIGURE_COST)
                left_end = chars[words[w_index - 1][-1]]
                if sep.breakable and (word[0] in titled or (left_end.char.isascii() or left_end.span.marker)
                                      and _latin_han_name(chars, words[w_index - 1][-1], word[0])):
                    sep = _replaced(sep, title=True)
                seps.append(sep)
            soft = _hyphenation_points(chars, word) if hyphenating else ()
            if not soft and not markers and "-" not in texts[w_index][:-1] and all(map(latin.__getitem__, word)):
                boxes.append(self._make_box(chars, word))  # a Latin word, no break in it: one box (as below, sooner)
                continue
            current: list[int] = [word[0]]
            for k in range(1, len(word)):
                i, p = word[k], word[k - 1]
                if latin[i] and latin[p] and i not in soft and chars[p].char != "-" and i not in markers \
                        and p not in markers:
                    current.append(i)  # inside a Latin word, no hyphen: no break, no gap (as below, sooner)
                    continue
                kind, gap = self._inner_break(chars, p, i, markers)
                grade = grades[i]
                if i in bound or grade == FORBIDDEN or (grade == NAME and kind != "cjk"):
                    kind = None  # inside a short bracketed phrase, or between it and the word it qualifies; a name
                if kind is None and gap == 0 and i in soft:
                    boxes.append(self._make_box(chars, current))
                    seps.append(self._soft_hyphen(chars[p], chars[i]))
                    current = [i]
                    continue
                if kind is None and gap == 0 and not _even_gap(chars[p], chars[i]):
                    current.append(i)
                    continue
                if kind is None and gap == 0:
                    # Two ideographs that may not part (inside a name, a short bracket, a figure's unit): no break,
                    # but their gap opens with the line's others, so a justified line is spaced evenly.
                    boxes.append(self._make_box(chars, current))
                    seps.append(_stroke_apart(_Sep(0.0, False, "glue",
                                                   last_stretch_pt=MAX_IDEOGRAPH_GAP_EM * chars[i].span.style.size_pt),
                                              chars, p, i))
                    current = [i]
                    continue
                boxes.append(self._make_box(chars, current))
                sep = _inner_sep(chars[i].span.style, kind, gap)
                if kind == "cjk" and chars[i].char in OPENING_BRACKETS and _is_cjk_punctuation(chars[p].char) \
                        and chars[p].char not in CLOSING_BRACKETS:
                    # ：「 unbroken take one and a half ems, the bracket's blank left half given (as in _frag); broken,
                    # the bracket starts the next line, its blank half hanging in the margin
                    sep = _replaced(sep, width_pt=-0.5 * chars[i].span.style.size_pt)
                if kind == "cjk" and i in joins and grade == ALLOWED:
                    sep = _replaced(sep, word_em_pt=chars[i].span.style.size_pt)  # a term's two words (_set)
                if kind == "cjk" and grade == DISCOURAGED:
                    lone = grades[p] != DISCOURAGED or i + 1 >= len(grades) or grades[i + 1] != DISCOURAGED
                    sep = _replaced(sep, word_em_pt=chars[i].span.style.size_pt, lone=lone)
                if kind == "cjk" and chars[i].span in terms and chars[p].span is chars[i].span:
                    # a bold term (a label's twin) as a title: whole, whatever a far-short line costs
                    sep = _replaced(sep, word_em_pt=chars[i].span.style.size_pt, title=True)
                if kind is not None and (i in titled or (chars[p].char.isascii() or chars[p].span.marker)
                                         and _latin_han_name(chars, p, i)):
                    sep = _replaced(sep, title=True)
                seps.append(_stroke_apart(_classed(sep, chars, p, i, grade, grades), chars, p, i))
                current = [i]
            boxes.append(self._make_box(chars, current))
        return boxes, seps

    def _soft_hyphen(self, left: _Char, right: _Char) -> _Sep:
        """A dictionary break inside a word: unbroken, the pair keeps its kerning; broken, a hyphen is drawn."""
        style = left.span.style
        face = self.face_for(left.char, "", style, left.span.lang) or MISSING_FACE
        kern = face.kern_pt(left.char, right.char, style.size_pt)
        hyphen = face.width_pt("-", style.size_pt) + style.tracking_em * style.size_pt
        return _Sep(kern, True, "soft", hyphen_pt=hyphen)

    def _make_box(self, chars: list[_Char], indices: list[int]) -> _Box:
        """The box of the characters at `indices` (consecutive), from the memo of boxes when one of the same
        characters in the same styles, between the same kinds of neighbour, was made before (_box_key)."""
        key = _box_key(chars, indices, self._joined, self._span_starts)
        if key is None:
            return self._new_box(chars, indices)
        box = self._box_memo.get(key)
        if box is None:
            box = self._box_memo[key] = self._new_box(chars, indices)
        return box

    def _new_box(self, chars: list[_Char], indices: list[int]) -> _Box:
        prev = chars[indices[0] - 1].char if indices[0] else ""
        frags = self._frag([chars[i] for i in indices], prev)
        last = chars[indices[-1]]
        hang = last.span.style.size_pt if last.span.style.hang_punctuation and last.char in HANGING else 0.0
        end_shrink = END_COMPRESS_EM.get(last.char, 0.0) * frags[-1].size_pt if not last.span.marker else 0.0
        box = _Box(frags, sum(f.advance_pt for f in frags), hang, end_shrink)
        marks = []
        for offset, i in enumerate(indices):
            item = chars[i]
            if item.char not in COMPRESSIBLE:
                continue
            give = 1.0 - item.span.style.punct_min_em
            if give <= 0 or item.span.marker:
                continue
            size = item.span.style.size_pt
            if item.char in CENTRED_MARKS and any(0 <= n < len(chars) and _is_cjk_punctuation(chars[n].char)
                                                  for n in (i - 1, i + 1)):
                left = right = give / 2 * size  # beside another mark (。」 or ，「): the pair may take 1.5 ems
            elif item.char in CENTRED_MARKS:
                continue  # a lone mark mid-line is always full width (DESIGN.md): the break moves instead
            else:
                # a bracket mid-line stays full width, one width in every setting (港科大（廣州）); one beside another
                # mark (」， or ：「) has given its blank half already (_frag's squeeze)
                continue
            if left or right:
                marks.append((offset, left, right))
        if marks:
            box.marks = tuple(marks)
            box.mid_shrink_pt = sum(left + right for _o, left, right in marks)
            box.lead_mark_pt = marks[0][1] + marks[0][2] if marks[0][0] == 0 else 0.0
            box.last_mark_pt = marks[-1][1] + marks[-1][2] if marks[-1][0] == len(indices) - 1 else 0.0
        return box

    def _space_between(self, chars: list[_Char], left: list[int], right: list[int], bound: set,
                       left_word: str, right_word: str) -> _Sep:
        """The separator a typed space makes between two words (`left_word`, `right_word`: their text, markers
        left out)."""
        last, first = chars[left[-1]], chars[right[0]]
        # Between a big figure and its small unit, the space is the unit's, not the figure's.
        style = first.span.style if first.span.style.size_pt < last.span.style.size_pt else last.span.style
        face = self._faces.get((SPACE, is_cjk(last.char), style.weight, last.span.lang)) \
            or self.face_for(SPACE, last.char, style, last.span.lang) or MISSING_FACE
        advances = face.advances  # (one character: the font's advance, as Face.width_pt gives it)
        width = (advances.get(32, 0) * style.size_pt / face.units_per_em if advances is not None
                 else face.width_pt(SPACE, style.size_pt)) + style.tracking_em * style.size_pt
        if first.span.marker:
            # A marker written after a space ("地區 [^#]") still touches its word: the space is not set.
            return _GLUE
        keep_together = (
            not left_word or not right_word  # a marker set apart by a space still sticks to its word
            or right[0] in bound  # inside a short bracketed phrase: （按年 +100%）
            or (left_word[-1:].isdigit() and (right_word in UNITS or right_word.rstrip(",.;:)）") in UNITS))
            or ((left_word[-1:].isdigit() or left_word[-1:] in "%+") and _takes_figure(right_word)
                and right[0] not in self._word_starts)  # 800+ 所
            or left_word in ("HK$", "+", "-", "#", "No.")
            # a rank after the place it ranks in, in Chinese (大中華 #5): the pair goes down whole, never 大中華 | #5
            or (first.span.lang == "zh" and is_ideograph(last.char) and right_word[:1] == "#"
                and right_word[1:2].isdigit())
            or right_word[0] in NO_LINE_START
            or right_word in SPACED_DASHES  # Rankings – | Kellogg: a spaced dash ends its line, never starts one
            or left_word[-1] in NO_LINE_END
        )
        if left_word[-1:].isdigit() and right_word.rstrip(",.;:)") in SI_UNITS \
                and last.span.style.size_pt == first.span.style.size_pt:
            # In running text; a callout's big figure keeps the small unit's word space, which reads better.
            width = THIN_SPACE_EM * style.size_pt  # still drawn as a space, so the text reads "5 km"
        if _is_cjk_punctuation(last.char) or _is_cjk_punctuation(first.char):
            width = 0.0  # full-width punctuation carries its own space: a typed space would double it
        kind = "space" if not keep_together else "glue"
        if chars[left[-1] + 1].char == IDEOGRAPHIC_SPACE:
            # a full-width space between two Chinese phrases, or between a label's two languages ('Mainland　內地',
            # stacking.inline_pair): one em (drawn as a space), typed on purpose, so never the Han-Latin quarter em
            return _space_sep(style.size_pt, not keep_together, kind, style.size_pt)
        if is_han_latin_pair(left_word[-1:] or " ", right_word[:1] or " "):
            # A space typed between Han and Latin is the one Han–Latin gap, a quarter em, like an untyped one.
            sep = _inner_sep(first.span.style if is_ideograph(first.char) else last.span.style,
                             None if keep_together else kind, first.span.style.cjk_latin_gap_em)
            return _replaced(sep, space_text=SPACE)
        return _space_sep(width, not keep_together, kind, style.size_pt)

    def _inner_break(self, chars: list[_Char], p: int, i: int, markers: set) -> tuple[str | None, float]:
        """Break kind and CJK–Latin gap (in em) between two adjacent characters of one word."""
        a, b = chars[p].char, chars[i].char
        if i in markers:
            return None, 0.0  # a marker touches the word it annotates
        gap = 0.0
        if p not in markers and is_han_latin_pair(a, b):
            gap = chars[i].span.style.cjk_latin_gap_em
        if p in markers:
            a_cjk = any(is_cjk(chars[j].char) for j in (p - 1,) if j >= 0 and j not in markers)
        else:
            a_cjk = is_cjk(a)
        if not (a_cjk or is_cjk(b)):
            # Latin: only after a hyphen between letters ("start-|ups"), never inside numbers.
            if a == "-" and b.isalpha() and p > 0 and chars[p - 1].char.isalpha():
                return "hyphen", gap
            return None, gap
        if b in NO_LINE_START or a in NO_LINE_END:
            return None, gap
        if a in JOINING and p and chars[p - 1].char == a and is_ideograph(b):
            return "cjk", gap  # after a Chinese —— (or ……), whole, as after any other mark: 擴展內地足跡—— | 港科大
        if (a.isdigit() or a in "%+") and _takes_figure(b) and i not in self._word_starts:
            return None, gap  # 74個, HK$2.76億: a number keeps its measure word (zh_words.yaml), not any word
        if not is_cjk(b) and not b.isalnum():
            return None, gap  # Latin punctuation after CJK stays with it
        if not is_cjk(a) and not a.isalnum() and not a_cjk:
            return None, gap
        if _latin_or_digit(a) and _latin_or_digit(b):
            return None, gap
        return "cjk", gap

    # -- line breaking ----------------------------------------------------
    def set(self, spans: list[Span], width_pt: float, align: str = "left", balance: bool = False) -> list[Line]:
        """Break `spans` into lines no wider than `width_pt` (an overfull line is flagged, never dropped).

        `balance` evens out the lengths of all lines, the last included (for headings)."""
        spans = [s for s in spans if s.text]
        if not spans:
            return []
        key = (tuple(spans), width_pt, align, balance, self._words_key())
        # Set or looked up before in this build (a trial fill, a frame filled again after a copyfit step): what
        # the memo gave then, without asking it again (a stored memo names its entries by a digest of the key).
        lines = self.used.get(key)
        if lines is None:
            lines = self._memo.get(key)
            if lines is None:
                lines = self._memo[key] = self._set(spans, width_pt, align, balance)
                self.fresh += 1
            self.used[key] = lines
        return list(lines)

    def _set(self, spans: list[Span], width_pt: float, align: str, balance: bool) -> tuple[Line, ...]:
        """The lines at the measure (_set_lines); in a narrow measure, where the text holds a term of two words
        (segment.term_joins: 生成式人工智能, two house words; 互動式學習, a modifier and its word), set again keeping the
        term whole (TERM_COST), taken where that costs no line and sets none overfull (edition-b p5's callout: 向全體學生
        提供 | 生成式人工智能工具, not …提供生成式 | 人工智能工具); else, a note of SHORT_NOTE_LINES, set ragged on its whole
        measure (not the justified one of whole ems) where that costs no line; else at TERM_LINES more (2022-23 p5's
        callout: 支持於教學上使用 | 生成式人工智能，例如 ChatGPT, not …使用生成式 | 人工智能，…)."""
        lines = self._set_lines(spans, width_pt, align, balance)
        texts = [s for s in spans if not s.marker]
        if len(lines) < 2 or not texts or any(s.lang != "zh" for s in texts) \
                or width_pt >= NARROW_MEASURE_EM * max(s.style.size_pt for s in texts) - 0.01 \
                or not _term_joins("".join(s.text for s in spans), self.words):
            return lines
        split = sum(bool(line.split_word) for line in lines)

        def whole(align: str, more: int) -> tuple[Line, ...] | None:
            self._keep_terms = True
            try:
                kept = self._set_lines(spans, width_pt, align, balance)
            finally:
                self._keep_terms = False
            # (a term parted all the same, as no other break fits, is the first setting's)
            good = len(kept) <= len(lines) + more and not any(line.overfull for line in kept) \
                and sum(bool(line.split_word) for line in kept) <= split
            return kept if good else None

        ragged = whole("left", 0) if align == "justify" and len(lines) <= SHORT_NOTE_LINES else None
        return whole(align, 0) or ragged or whole(align, TERM_LINES) or lines

    def _set_lines(self, spans: list[Span], width_pt: float, align: str, balance: bool) -> tuple[Line, ...]:
        """The lines at the measure; a justified Chinese paragraph that leaves a line mid-paragraph short (_short_lines:
        ragged, as it could fill its measure only by opening its gaps past MAX_IDEOGRAPH_GAP_EM) is set on a
        measure an em narrower, then two (a right indent makes up the rest), so that its breaks move; the first
        with no such line and no more lines is kept, else the measure's own. A note of SHORT_NOTE_LINES or fewer
        that would still open a line's gaps past the aim is set ragged."""
        lines = self._set_measure(spans, width_pt, align, balance)
        texts = [s for s in spans if not s.marker]
        if align != "justify" or len(lines) < 2 or not texts or any(s.lang != "zh" for s in texts):
            return lines
        lines = self._set_narrower(spans, lines, align, balance)
        em = max(s.style.size_pt for s in texts)
        note = len(lines) <= SHORT_NOTE_LINES or width_pt < NARROW_MEASURE_EM * em - 0.01
        if note and max(line.gap_em for line in lines) > AIM_IDEOGRAPH_GAP_EM:
            ragged = self._set_measure(spans, width_pt, "left", True)
            if len(ragged) <= len(lines):
                return ragged
        if _short_lines(lines, em) and any(line.gap_em for line in lines[:-1]):
            # one treatment a paragraph: where a line before the last is left ragged, no other line opens its gaps
            # (page 5's ◊ footnote: line 1 2.9 em short beside line 2 at +0.037 em, the review of 4a3a1ba): the
            # same breaks, every line solid
            solid = self._set_measure(spans, lines[0].width_pt, align, balance, solid=True)
            if not any(line.overfull for line in solid):
                return solid
        return lines

    def _set_narrower(self, spans: list[Span], lines: tuple[Line, ...], align: str, balance: bool) -> tuple[Line, ...]:
        """`lines`, or the paragraph set on a measure an em or two narrower where that leaves no short line (or sets
        a line opening its gaps past the aim closer) in no more lines."""
        em = max(s.style.size_pt for s in spans if not s.marker)
        short = _short_lines(lines, em)
        widest = max(line.gap_em for line in lines)
        if not short and widest <= AIM_IDEOGRAPH_GAP_EM:
            return lines
        best = lines
        # a setting taken that still opens a line's gaps past the aim: one em narrower still is tried for one within
        # it (the Chinese review of 9a0f0fe: page 5's ◊ footnote on 34 ems took 32, …比賽，為 at 0.074 em, where 31
        # sets every line within 0.05)
        kept = None
        for narrower in range(1, NARROWER_MEASURE_EMS + 2):
            measure = lines[0].width_pt - narrower * em
            if measure < 8 * em or narrower > NARROWER_MEASURE_EMS and kept is None:
                break
            trial = self._set_measure(spans, measure, align, balance)
            # …as does one opening a line's gaps past the aim, kept where the narrower sets them closer
            # (never one that trades a short line for letter-spacing, its gaps past the aim: page 5's footnote)
            gap = max(line.gap_em for line in trial)
            if len(trial) <= len(lines) and not _short_lines(trial, em) \
                    and (short and (gap <= MAX_IDEOGRAPH_GAP_EM or len(trial) <= SHORT_NOTE_LINES)
                         or gap < widest):  # (a short note opening its gaps is set ragged: _set)
                if gap <= AIM_IDEOGRAPH_GAP_EM or len(lines) <= SHORT_NOTE_LINES:
                    return trial  # (a short note opening its gaps past the aim is set ragged: _set_lines)
                kept = kept or trial
                continue
            if narrower > NARROWER_MEASURE_EMS:
                continue
            # a line that must stop short stops as little short as it can: where every measure leaves it, the
            # narrower on which it stops least short, the same line (its break kept: a phrase's end stays one), other
            # lines breaking anew, as many of them at a phrase's end (never 另有HK$9,500萬 | 來自業界 for a break after
            # 研究資助局，), its gaps within the aim and no more lines inside a word (page 5's ◊ footnote:
            # …比賽，為 3.9 em short then 產品 | 原型 on 34 ems; …比賽，為 2.9 em short then 產品原型 whole on 33)
            if short and len(trial) <= len(lines) and gap <= max(widest, AIM_IDEOGRAPH_GAP_EM) \
                    and [line.text for line in trial] != [line.text for line in best] \
                    and {line.text for line in trial[:-1] if _shortfall((line, line), em)} \
                    <= {line.text for line in best[:-1]} and _phrase_ends(trial) >= _phrase_ends(best) \
                    and _shortfall(trial, em) < _shortfall(best, em) - 0.5 * em \
                    and sum(bool(line.split_word) for line in trial) <= sum(bool(line.split_word) for line in best):
                best = trial
        return kept or best

    def _set_measure(self, spans: list[Span], width_pt: float, align: str, balance: bool,
                     solid: bool = False) -> tuple[Line, ...]:
        """The lines at the measure (`solid`: broken as justified, but no line stretched)."""
        boxes, seps = self._boxes_of(spans)
        chinese = any(sep.kind == "cjk" or sep.han_latin for sep in seps)
        justify = chinese and align == "justify"
        texts = [s for s in spans if not s.marker]
        if justify and texts and all(s.lang == "zh" for s in texts):
            # A measure of whole Chinese ems (a right indent makes up the rest), so a line of ideographs
            # fills it solid, with no gap to open.
            em = max(s.style.size_pt for s in texts)
            whole = math.floor(width_pt / em + 1e-6) * em
            width_pt = whole if whole >= 8 * em else width_pt
        breaks = self._choose_breaks(boxes, seps, width_pt, balance, justify, align in ("left", "justify"))
        lines = []
        start = 0
        for n, end in enumerate(breaks):
            last = n == len(breaks) - 1
            line = self._make_line(boxes, seps, start, end, width_pt, "left" if solid else align, last, chinese)
            if not last and (seps[end - 1].word_em_pt or seps[end - 1].name or seps[end - 1].title):
                before = "".join(f.text for b in boxes[max(0, end - 3):end] for f in b.frags)[-3:]
                after = "".join(f.text for b in boxes[end:end + 3] for f in b.frags)[:3]
                line = _replaced(line, split_word=f"{before}|{after}", split_name=seps[end - 1].name)
            lines.append(line)
            start = end
        for i, line in enumerate(lines):
            # (each line made just now, seen by no one: its position set, not the line copied; a copy's fields went
            # into a dict of its own, 190 bytes more a line than the shared keys of one made by its __init__)
            _set(line, "position", (i, len(lines)))
        return tuple(lines)

    def _choose_breaks(self, boxes: list[_Box], seps: list[_Sep], width_pt: float, balance: bool,
                       justify: bool = False, bracket_hangs: bool = False) -> list[int]:
        """Ends of lines (exclusive box indices) minimising the total cost of the paragraph.

        A state is a line end and how many lines in a row before it ended in a hyphen,
        so that no more than MAX_HYPHENS_IN_A_ROW do. In justified Chinese (`justify`), a line
        that could fill its measure only by opening its ideograph gaps wider than
        MAX_IDEOGRAPH_GAP_EM costs RAGGED_COST: it is set ragged, so another break is chosen
        wherever one is near as good."""
        if self.greedy:
            return self._greedy_breaks(boxes, seps, width_pt)
        n = len(boxes)
        if ONE_LINE and n and not balance and _fits_one_line(boxes, seps, width_pt, bracket_hangs):
            return [n]  # (what the loop below chooses then, without pricing every pair of line ends)
        inf = float("inf")
        # Without a hyphen to break at, one state per line end is enough.
        depth = MAX_HYPHENS_IN_A_ROW + 1 if any(sep.kind in ("hyphen", "soft") for sep in seps) else 1
        best = [[inf] * (n + 1) for _ in range(depth)]
        back: list[list[tuple[int, int]]] = [[(0, 0)] * (n + 1) for _ in range(depth)]
        best[0][0] = 0.0
        tolerance = 0.01
        limit = width_pt + tolerance
        # Plain lists for the inner loop, which runs for every pair of possible line ends.
        box_w = [b.width_pt for b in boxes]
        hang = [b.hang_pt for b in boxes]
        end_shrink = [b.end_shrink_pt for b in boxes]
        sep_w = [sep.width_pt for sep in seps]
        start_hang = [0.5 * b.frags[0].size_pt if b.frags and b.frags[0].text[0] in OPENING_BRACKETS else 0.0
                      for b in boxes]
        can_end_at = [sep.breakable for sep in seps] + [True]
        last_line_cost = self._last_line_cost
        # Chinese: a line mid-paragraph that fills less than SHORT_LINE of its measure reads as a stray.
        short_line = SHORT_LINE * width_pt if any(s.kind == "cjk" or s.han_latin for s in seps) else 0.0
        end_penalty = [HYPHEN_COST if sep.kind == "hyphen" else SOFT_HYPHEN_COST if sep.kind == "soft"
                       else _break_cost(sep, width_pt) for sep in seps] + [0.0]
        if depth == 1 and not justify and PLAIN_LOOP:  # (most paragraphs: English, no hyphen to break at)
            return _plain_breaks(boxes, seps, width_pt, balance, box_w, sep_w, hang, end_shrink,
                                 start_hang if bracket_hangs else None, can_end_at, end_penalty, short_line,
                                 last_line_cost)
        end_bracket = [bool(b.end_shrink_pt and b.frags and b.frags[-1].text[-1:] in CLOSING_BRACKETS) for b in boxes]
        most_end_shrink = max(end_shrink, default=0.0)
        mid_shrink = [b.mid_shrink_pt for b in boxes] if justify else [0.0] * n
        lead_mark = [b.lead_mark_pt for b in boxes]
        last_mark = [b.last_mark_pt for b in boxes]
        mark_count = [len(b.marks) for b in boxes]
        # (what only justified Chinese prices, made for it only: a ragged line, a far-short one)
        ragged_cost = [_ragged_cost(b, width_pt) for b in boxes] if justify else []
        if justify:
            # …and a ragged line far short on a phrase's punctuation reads as the paragraph's end (HARD_RETURN_COST)
            long_note = not balance and sum(box_w) + sum(sep_w) > SHORT_NOTE_LINES * width_pt  # (summed once)
            far_short = [FAR_SHORT_EM * b.frags[-1].size_pt
                         if b.frags and width_pt >= NARROW_MEASURE_EM * b.frags[-1].size_pt - 0.01 and long_note
                         else width_pt  # (a balanced note's lines, or a short note's, _set, are short by design)
                         for b in boxes]
            hard_return = [RAGGED_COST + HARD_RETURN_COST if b.frags and b.frags[-1].text[-1] in PHRASE_END
                           else RAGGED_COST for b in boxes]
        else:
            far_short = hard_return = []
        sep_stretch = [sep.stretch_pt + sep.last_stretch_pt for sep in seps]
        sep_gap_room = [sep.last_stretch_pt for sep in seps]
        hyphen_at = [sep.hyphen_pt if sep.kind == "soft" else 0.0 for sep in seps] + [0.0]
        hyphenated_at = [sep.kind in ("hyphen", "soft") for sep in seps] + [False]
        best0, back0 = best[0], back[0]
        for i in range(n):
            states = [(h, best[h][i]) for h in range(depth) if best[h][i] < inf]
            if not states:
                continue
            start_cost = states[0][1]
            # a line starting with an opening bracket hangs its blank half into the margin (_make_line)
            width = -start_hang[i] if bracket_hangs else 0.0
            stretch = gap_room = mid = 0.0
            count = 0
            could_end_earlier = False
            for j in range(i + 1, n + 1):
                if j - 1 > i:
                    width += sep_w[j - 2]
                    stretch += sep_stretch[j - 2]
                    gap_room += sep_gap_room[j - 2]
                width += box_w[j - 1]
                mid += mid_shrink[j - 1]
                count += mark_count[j - 1]
                # Hanging punctuation only where the line would not fit otherwise.
                fit = (width - hang[j - 1] if width > limit else width) + hyphen_at[j - 1]
                # Only punctuation's blank may give (its final mark's, and in justified Chinese its others'):
                # ideograph gaps never close (DESIGN.md)
                can_shrink = end_shrink[j - 1]
                if mid:
                    can_shrink += mid - last_mark[j - 1] - lead_mark[i]
                overfull = fit - can_shrink > limit
                too_wide = width - most_end_shrink - mid > limit  # and so is every longer line
                if overfull and could_end_earlier and too_wide:
                    break
                if not can_end_at[j - 1]:
                    continue
                if overfull:
                    # nothing shorter fits: set it overfull (the layout reports it), as little over as it can and
                    # priced as any break: an overfull line was one price however far over, so a break inside a name
                    # after the overflow cost no more than one before it (hypothesis: 2022，，特區|政府 at 4 em)
                    cost = 1e9 + end_penalty[j - 1] + 100.0 * (fit - can_shrink - limit) / width_pt
                else:
                    if j == n and not balance:  # (a last line costs nothing unless it is a runt: _last_line_cost)
                        cost = last_line_cost(boxes, seps, i, j) if i > 0 and j - i <= 3 else 0.0
                    else:  # inline: this runs for every candidate line of every paragraph
                        slack = (width_pt - fit) / width_pt
                        cost = 100.0 * slack * slack + end_penalty[j - 1]
                        if fit < short_line and j < n:
                            cost += SHORT_LINE_COST + (STRAY_LINE_COST if j - i == 1 and _stray(boxes[i]) else 0.0)
                        if justify and j < n and width_pt - fit > stretch + tolerance:
                            short_by = width_pt - fit - far_short[j - 1]
                            cost += ragged_cost[j - 1] if short_by <= 0 else \
                                hard_return[j - 1] + FAR_SHORT_COST * short_by / far_short[j - 1] * FAR_SHORT_EM \
                                + FAR_SHORT_WIDE_COST
                        elif justify and j < n and gap_room and width_pt - fit > stretch - gap_room:
                            # the ideograph gaps this line opens, past the aim of 0.05 em: dearer the nearer 0.1
                            opened = (width_pt - fit - stretch + gap_room) / gap_room * MAX_IDEOGRAPH_GAP_EM
                            # the ideograph gaps this line opens (a line compressing its punctuation instead is
                            # cheaper), or set ragged, where that is cheaper (_make_line)
                            if width_pt - fit > far_short[j - 1]:
                                # far short but justifiable within MAX_IDEOGRAPH_GAP_EM: justified (_make_line), its
                                # gaps' cost (at most GAP_OPEN_COST + GAP_OVER_AIM_COST) far below a break inside a
                                # word (WORD_COST) or a ragged far-short line (FAR_SHORT_WIDE_COST)
                                cost += _gap_cost(opened)
                            else:
                                cost += min(_gap_cost(opened), ragged_cost[j - 1])
                    if fit > limit and justify and fit - end_shrink[j - 1] > limit:
                        # Mid-line punctuation gives its blank in half-em steps (QUANTISED, _make_line): each mark
                        # costs MID_COMPRESS_COST, and what the steps give past the need opens the line's gaps
                        half = (mid - last_mark[j - 1] - lead_mark[i]) / max(1, count - (last_mark[j - 1] > 0)
                                                                              - (lead_mark[i] > 0))
                        steps = math.ceil((fit - end_shrink[j - 1] - width_pt - tolerance) / half)
                        given = steps * half
                        cost += MID_COMPRESS_COST * steps
                        slack = width_pt - (fit - given)
                        if slack > 0 and j < n:
                            if slack > stretch + tolerance:
                                cost += 2 * RAGGED_COST  # its gaps would open past the limit: another break
                            elif gap_room and slack > stretch - gap_room:
                                cost += _gap_cost((slack - stretch + gap_room) / gap_room * MAX_IDEOGRAPH_GAP_EM)
                    elif fit > limit and justify:
                        # Compressed, its final mark only: cheaper than opening the gaps (GAP_OPEN_COST); a closing
                        # bracket gives its whole half em (_end_give), and what that gives past the need opens the gaps
                        cost += COMPRESS_COST * ((fit - width_pt) / can_shrink) ** 2
                        if end_bracket[j - 1] and j < n and gap_room:
                            excess = end_shrink[j - 1] - (fit - width_pt)
                            cost += _gap_cost(max(0.0, excess - stretch + gap_room) / gap_room * MAX_IDEOGRAPH_GAP_EM)
                    elif fit > limit:
                        # Compressed: cheaper than a line a tenth short, dearer the nearer the limit.
                        cost += 1.0 + 4.0 * ((fit - width_pt) / can_shrink) ** 2
                if depth == 1:  # the common case, kept lean
                    if start_cost + cost < best0[j]:
                        best0[j] = start_cost + cost
                        back0[j] = (i, 0)
                else:
                    step = hyphenated_at[j - 1]
                    for h, so_far in states:
                        h_next = h + 1 if step else 0
                        if h_next >= depth:
                            continue  # a third hyphenated line in a row
                        if so_far + cost < best[h_next][j]:
                            best[h_next][j] = so_far + cost
                            back[h_next][j] = (i, h)
                if overfull and too_wide:
                    break
                if not overfull:
                    could_end_earlier = True
        h = min(range(depth), key=lambda k: best[k][n])
        breaks = []
        j = n
        while j > 0:
            breaks.append(j)
            j, h = back[h][j]
        return breaks[::-1]

    @staticmethod
    def _greedy_breaks(boxes: list[_Box], seps: list[_Sep], width_pt: float) -> list[int]:
        """Each line as full as it goes: the usual word processor's way, kept to show what total fit buys."""
        breaks, start, width, last_fit = [], 0, 0.0, None
        j = 0
        while j < len(boxes):
            width += boxes[j].width_pt + (seps[j - 1].width_pt if j > start else 0.0)
            can_end = j == len(boxes) - 1 or (seps[j].breakable and seps[j].kind != "soft" and not seps[j].name)
            if width > width_pt + 0.01 and last_fit is not None:
                breaks.append(last_fit)
                start, width, last_fit = last_fit, 0.0, None
                j = start
                continue
            if can_end:
                last_fit = j + 1
            j += 1
        breaks.append(len(boxes))
        return breaks

    @staticmethod
    def _last_line_cost(boxes, seps, i, j) -> float:
        """A last line costs nothing, unless it is a runt: one short word or one or two ideographs."""
        if i > 0 and j - i <= 3 and is_runt(" ".join("".join(f.text for f in b.frags) for b in boxes[i:j])
                                           if all(s.kind == "space" for s in seps[i:j - 1])
                                           else "".join(f.text for b in boxes[i:j] for f in b.frags)):
            return 400.0
        return 0.0

    def _make_line(self, boxes, seps, start, end, width_pt, align, last, chinese=False) -> Line:
        natural = sum(b.width_pt for b in boxes[start:end]) + sum(s.width_pt for s in seps[start:end - 1])
        inner = range(start, end - 1)
        hyphen = seps[end - 1].hyphen_pt if end < len(boxes) and seps[end - 1].kind == "soft" else 0.0
        natural += hyphen
        hang_end = boxes[end - 1].hang_pt if natural > width_pt + 0.01 else 0.0
        fit = natural - hang_end  # what must fit the measure: a hanging ，。 lies outside it
        first = boxes[start].frags[0] if boxes[start].frags else None
        offset = 0.0
        if first and first.text[0] in OPENING_BRACKETS and align in ("left", "justify"):
            # The blank left half of a full-width opening bracket hangs into the margin,
            # so the bracket's ink aligns with the text edge (clreq §3.1.6).
            offset = -0.5 * first.size_pt
            natural += offset
            fit += offset
        delta: dict[int, float] = {}  # separator index -> space added
        squeeze: dict[tuple[int, int], tuple[float, float]] = {}  # (box, offset) -> blank a mark gives, left, right
        end_given = 0.0  # blank given up by the line's final punctuation
        if fit > width_pt + 0.01:
            # Too long by a little: the final punctuation gives up its blank (a closing bracket its right half,
            # ，。、 a quarter em). Nothing else gives: ideograph gaps never close below solid and the Han–Latin
            # gap is fixed (DESIGN.md, Chinese setting), so a line that needs more has its break moved.
            end_given = _end_give(boxes[end - 1], fit - width_pt)
            if fit - end_given > width_pt + 0.01 and chinese and align == "justify":
                # justified Chinese: its mid-line punctuation gives the rest, a mark all of its blank or none
                # (QUANTISED), marks beside other punctuation first, then from the line's end back
                marks = _line_marks(boxes, start, end)
                if fit - end_given - sum(left + right for _k, _o, left, right in marks) <= width_pt + 0.01:
                    for k, o, left, right in _squeeze_order(boxes, marks):
                        if fit - end_given - sum(a + b for a, b in squeeze.values()) <= width_pt + 0.01:
                            break
                        squeeze[(k, o)] = (left, right)
                    fit -= sum(left + right for left, right in squeeze.values())
                    end_given = _end_give(boxes[end - 1], fit - width_pt)
            if fit - end_given > width_pt + 0.01:
                end_given = 0.0  # it does not fit even so: set it as it is, overfull (reported)
                fit += sum(left + right for left, right in squeeze.values())
                squeeze = {}
        excess = end_given - max(0.0, fit - width_pt)  # what a line-end bracket's half em gave past the need
        if (squeeze or excess > 0.01 and chinese and align == "justify") and not last \
                and fit - end_given < width_pt - 0.01:
            # the blank its half-em steps gave past what the line needed opens its gaps (the break choice keeps
            # that within MAX_IDEOGRAPH_GAP_EM): word spaces first, then the gaps between CJK characters
            slack = width_pt - (fit - end_given)
            first_room = sum(seps[k].stretch_pt for k in inner)
            last_room = sum(seps[k].last_stretch_pt for k in inner)
            share = min(1.0, slack / first_room) if first_room else 0.0
            rest = max(0.0, slack - first_room) / last_room if last_room else 0.0
            for k in inner:
                grow = seps[k].stretch_pt * share + seps[k].last_stretch_pt * min(1.0, rest)
                if grow:
                    delta[k] = grow  # never past MAX_IDEOGRAPH_GAP_EM: a line that would is left a little short
        elif align == "justify" and not last and fit < width_pt - 0.01:
            slack = width_pt - fit
            if chinese:
                # Word spaces open first (to ⅓ em), then the gaps between CJK characters
                # (to MAX_IDEOGRAPH_GAP_EM); a line that needs more is left ragged rather than letter-spaced.
                first_room = sum(seps[k].stretch_pt for k in inner)
                last_room = sum(seps[k].last_stretch_pt for k in inner)
                rest = max(0.0, slack - first_room) / last_room if last_room else 0.0
                # a line opening its gaps far past the aim is set ragged where that costs less (a phrase's end)
                # …and a line far short in a wide measure never opens them past the aim (FAR_SHORT_EM)
                em = boxes[end - 1].frags[-1].size_pt
                # …but a line far short in a wide measure that can justify within the limit does (the break choice
                # prices it so), rather than be left a hole
                far = slack > FAR_SHORT_EM * em and width_pt >= NARROW_MEASURE_EM * em - 0.01
                gaping = not far and _gap_cost(rest * MAX_IDEOGRAPH_GAP_EM) > _ragged_cost(boxes[end - 1], width_pt)
                if slack <= first_room + last_room + 0.01 and not gaping:
                    share = min(1.0, slack / first_room) if first_room else 0.0
                    for k in inner:
                        grow = seps[k].stretch_pt * share + seps[k].last_stretch_pt * min(1.0, rest)
                        if grow:
                            delta[k] = grow
            else:
                adjustable = [k for k in inner if seps[k].breakable and seps[k].kind != "soft"]
                extra = slack / len(adjustable) if adjustable else 0.0
                if adjustable and extra <= MAX_JUSTIFY_EM * boxes[start].frags[0].size_pt:
                    delta = dict.fromkeys(adjustable, extra)  # else a line that would gape is left ragged
        if align == "center":
            offset = (width_pt - natural) / 2
        elif align == "right":
            offset = width_pt - natural
        # A run is built up in a list ([x, text, face, size, rise, colour, char space, width, scale]: GlyphRun's
        # fields) and made a GlyphRun once complete, not a frozen GlyphRun again for each piece added to it.
        pending: list[list] = []
        spaces_drawn: dict = {}  # (face, size, character space) -> a drawn space's width
        x = offset
        def add(frag: _Frag, text: str, x: float, width: float) -> None:
            if pending:
                tail = pending[-1]
                if tail[2] == frag.face and tail[3] == frag.size_pt and tail[4] == frag.rise_pt \
                        and (tail[5] is frag.colour or tail[5] == frag.colour) and tail[6] == frag.tracking_pt \
                        and tail[8] == frag.scale and abs(tail[0] + tail[7] - x) < 0.01:
                    tail[1] += text
                    tail[7] += width
                    return
            pending.append([x, text, frag.face, frag.size_pt, frag.rise_pt, frag.colour, frag.tracking_pt, width,
                            frag.scale])

        for k in range(start, end):
            if k > start:
                sep = seps[k - 1]
                x += sep.width_pt + delta.get(k - 1, 0.0)
                if sep.space_text and pending:
                    # Draw the space as a real character so the text extracts with it;
                    # the next word is placed at its own x whatever the justification.
                    prev = pending[-1]
                    drawn = spaces_drawn.get((prev[2], prev[3], prev[6]))  # (a line's spaces are mostly of one run)
                    if drawn is None:
                        face = self.fonts.faces.get(prev[2], MISSING_FACE)
                        advances = face.advances  # (one character: the font's advance, as Face.width_pt gives it)
                        drawn = spaces_drawn[(prev[2], prev[3], prev[6])] = (
                            advances.get(32, 0) * prev[3] / face.units_per_em if advances is not None
                            else face.width_pt(SPACE, prev[3])) + prev[6]
                    if prev[8] == 1.0:
                        prev[1] += SPACE
                        prev[7] += drawn
                    else:  # after a widened dash: the space at its own width
                        pending.append([prev[0] + prev[7], SPACE, *prev[2:7], drawn, 1.0])
            offset = 0
            for frag in boxes[k].frags:
                cuts = [o - offset for o in range(offset, offset + len(frag.text)) if (k, o) in squeeze] \
                    if squeeze else []
                if not cuts:
                    add(frag, frag.text, x, frag.width_pt)
                    x += frag.advance_pt
                else:
                    # a compressed mark is drawn at its own x, its blank given from its sides; the rest after it
                    face = self.fonts.faces.get(frag.face, MISSING_FACE)
                    piece, piece_x, piece_w = "", x, 0.0
                    for c, char in enumerate(frag.text):
                        w = face.width_pt(char, frag.size_pt) + frag.tracking_pt
                        if c in cuts:
                            if piece:
                                add(frag, piece, piece_x, piece_w)
                            left, right = squeeze[(k, offset + c)]
                            add(frag, char, piece_x + piece_w - left, w)
                            piece, piece_x, piece_w = "", piece_x + piece_w + w - left - right, 0.0
                        else:
                            piece, piece_w = piece + char, piece_w + w
                    if piece:
                        add(frag, piece, piece_x, piece_w)
                    x = piece_x + piece_w + frag.kern_after_pt
                offset += len(frag.text)
        runs = [GlyphRun(x_pt, text, face_name, size_pt, rise_pt, colour, char_space_pt, run_w, scale=scale)
                for x_pt, text, face_name, size_pt, rise_pt, colour, char_space_pt, run_w, scale in pending]
        if hyphen:  # a dictionary break: the hyphen in the word's own face, marked as not part of the text
            last_run = runs[-1]
            runs.append(GlyphRun(x, "-", last_run.face, last_run.size_pt, last_run.rise_pt, last_run.colour,
                                 last_run.char_space_pt, hyphen, artifact=True))
        sizes = [r.size_pt for r in runs if not r.rise_pt] or [r.size_pt for r in runs]
        leading = max(f.leading_pt for b in boxes[start:end] for f in b.frags)
        size = max(sizes)
        leading = leading or size * 1.2
        # Half-leading, as CSS does it: the line box is `leading` tall and the em box
        # (0.88 em above the baseline, 0.12 below, where ideographs sit) is centred in it.
        half = (leading - size) / 2
        spaces = [k for k in inner if seps[k].kind == "space" and seps[k].width_pt and not seps[k].han_latin]
        space_ratio = (sum(seps[k].width_pt + delta.get(k, 0.0) for k in spaces) / sum(seps[k].width_pt for k in spaces)
                       if spaces and delta else 1.0)
        gaps = [delta.get(k, 0.0) for k in inner if seps[k].last_stretch_pt]
        gap_em = (max(gaps, key=abs) / size) if gaps and any(gaps) else 0.0
        width_used = fit - end_given + sum(delta.values())
        compressed = sum(f.compressed for b in boxes[start:end] for f in b.frags) + (end_given > 0) + len(squeeze)
        return Line(tuple(runs), width_pt, natural, leading_pt=leading, ascent_pt=half + 0.88 * size,
                    descent_pt=half + 0.12 * size, ends_with_hyphen=(end < len(boxes) and seps[end - 1].kind in ("hyphen", "soft")),
                    overfull=width_used > width_pt + 0.01, space_ratio=space_ratio, gap_em=gap_em,
                    compressed=compressed, hang_pt=hang_end)


PLAIN_LOOP = True  # _choose_breaks takes _plain_breaks where it can (a test compares the two loops)
ONE_LINE = True  # …and a paragraph that fits its measure is one line, unpriced (_fits_one_line; a test compares)


def _fits_one_line(boxes: list, seps: list, width_pt: float, bracket_hangs: bool) -> bool:
    """Whether a paragraph set unbalanced is one line for TextSetter._choose_breaks: its whole width, summed as that
    loop sums its first line's, within the measure, and no box or separator of a negative width (so no shorter line
    is overfull before it). That line is then no compressed line, a last line costing nothing, and every price a
    break adds (slack, the kind of break, a short line, a runt …) is none or more: no other setting costs less. A
    label, a figure, a heading, a text measured at its natural width (FrameContext._natural): 3,500 of the 200-page
    edition's 5,900 settings are one line."""
    first = boxes[0]
    width = -(0.5 * first.frags[0].size_pt if first.frags and first.frags[0].text[0] in OPENING_BRACKETS else 0.0) \
        if bracket_hangs else 0.0
    for k, box in enumerate(boxes):
        if k:
            gap = seps[k - 1].width_pt
            if gap < 0:
                return False
            width += gap
        if box.width_pt < 0:
            return False
        width += box.width_pt
    return width <= width_pt + 0.01


def _stray(box) -> bool:
    """Whether a box is one ideograph alone (於 before a Latin run): on a line by itself, mid-paragraph, a stray
    (asked only of a short line of one box: _choose_breaks, _plain_breaks)."""
    text = "".join(f.text for f in box.frags).strip()
    return len(text) == 1 and is_ideograph(text)


def _plain_breaks(boxes: list, seps: list, width_pt: float, balance: bool, box_w: list, sep_w: list, hang: list,
                  end_shrink: list, start_hang: list | None, can_end_at: list, end_penalty: list, short_line: float,
                  last_line_cost) -> list[int]:
    """TextSetter._choose_breaks where nothing is justified Chinese and no break is a hyphen's (one state per line
    end, most paragraphs): the same costs from the same sums in the same order, without the terms only those
    price, which its loop (run for every candidate line) summed for every English line too."""
    n = len(boxes)
    inf = float("inf")
    best0 = [inf] * (n + 1)
    back0 = [0] * (n + 1)
    best0[0] = 0.0
    limit = width_pt + 0.01
    most_end_shrink = max(end_shrink, default=0.0)
    for i in range(n):
        start_cost = best0[i]
        if not start_cost < inf:
            continue
        # a line starting with an opening bracket hangs its blank half into the margin (_make_line)
        width = -start_hang[i] if start_hang is not None else 0.0
        could_end_earlier = False
        for j in range(i + 1, n + 1):
            if j - 1 > i:
                width += sep_w[j - 2]
            width += box_w[j - 1]
            # Hanging punctuation only where the line would not fit otherwise.
            fit = width - hang[j - 1] if width > limit else width
            can_shrink = end_shrink[j - 1]
            overfull = fit - can_shrink > limit
            too_wide = width - most_end_shrink > limit  # and so is every longer line
            if overfull and could_end_earlier and too_wide:
                break
            if not can_end_at[j - 1]:
                continue
            if overfull:  # (as _choose_breaks prices it)
                cost = 1e9 + end_penalty[j - 1] + 100.0 * (fit - can_shrink - limit) / width_pt
            else:
                if j == n and not balance:  # (a last line costs nothing unless it is a runt: _last_line_cost)
                    cost = last_line_cost(boxes, seps, i, j) if i > 0 and j - i <= 3 else 0.0
                else:
                    slack = (width_pt - fit) / width_pt
                    cost = 100.0 * slack * slack + end_penalty[j - 1]
                    if fit < short_line and j < n:
                        cost += SHORT_LINE_COST + (STRAY_LINE_COST if j - i == 1 and _stray(boxes[i]) else 0.0)
                if fit > limit:
                    # Compressed: cheaper than a line a tenth short, dearer the nearer the limit.
                    cost += 1.0 + 4.0 * ((fit - width_pt) / can_shrink) ** 2
            if start_cost + cost < best0[j]:
                best0[j] = start_cost + cost
                back0[j] = i
            if overfull and too_wide:
                break
            if not overfull:
                could_end_earlier = True
    breaks = []
    j = n
    while j > 0:
        breaks.append(j)
        j = back0[j]
    return breaks[::-1]


def _box_key(chars: list[_Char], indices: list[int], joined: str = "", starts: list | None = None) -> tuple | None:
    """What a box of the characters at `indices` depends on (TextSetter._new_box): their text, the style, marker
    flag and language of each of their spans (with where each span starts), whether the character before is
    CJK (its face: _frag's `prev`) or CJK punctuation, and whether the character after is CJK punctuation (a
    centred mark beside another may give its blank: the box's marks). None for characters not side by side.
    `joined` and `starts` (the paragraph's text and where each of its spans but the first starts, in order) key
    characters of one span without a loop over them (the same key)."""
    first, last = indices[0], indices[-1]
    if last - first + 1 != len(indices):
        return None
    span = chars[first].span
    after_first = bisect.bisect_right(starts, first) if starts is not None else -1  # (the next span's start)
    if starts is not None and (after_first == len(starts) or starts[after_first] > last):
        text, runs = joined[first:last + 1], [span.style, span.marker, span.lang]  # (no span starts inside)
    else:
        runs = [span.style, span.marker, span.lang]
        text = chars[first].char
        for k in range(first + 1, last + 1):
            item = chars[k]
            text += item.char
            if item.span is not span:
                span = item.span
                runs += (k - first, span.style, span.marker, span.lang)
    prev = chars[first - 1].char if first else ""
    after = chars[last + 1].char if last + 1 < len(chars) else ""
    return (text, tuple(runs), bool(prev) and is_cjk(prev), bool(prev) and _is_cjk_punctuation(prev),
            bool(after) and _is_cjk_punctuation(after))


_GLUE = _Sep(0.0, False, "glue")  # (a _Sep is frozen: one object serves every separator of the same values)


@functools.lru_cache(maxsize=1024, typed=True)
def _space_sep(width: float, breakable: bool, kind: str, em: float) -> _Sep:
    """A typed space's separator (TextSetter._space_between), one object for the same values."""
    return _Sep(width, breakable, kind, SPACE if width else "",
                stretch_pt=max(0.0, STRETCHED_SPACE_EM * em - width) if width else 0.0)


def _end_give(box: _Box, need: float) -> float:
    """What a line's final mark gives of its blank when the line is `need` too long: a closing bracket all of its
    blank half or nothing (half an em at a line's end, or full: one of two widths, as mid-line), a centred mark
    what is needed, up to its quarter em (its ink stays inside the measure either way)."""
    if need <= 0.0 or not box.end_shrink_pt:
        return 0.0
    if box.frags and box.frags[-1].text[-1:] in CLOSING_BRACKETS:
        return box.end_shrink_pt
    return min(need, box.end_shrink_pt)


def _line_marks(boxes: list[_Box], start: int, end: int) -> list[tuple[int, int, float, float]]:
    """The marks of a line that may give blank mid-line: (box, offset, left, right); not its first opening bracket
    (its blank half hangs in the margin) nor its final mark (END_COMPRESS_EM)."""
    marks = []
    for k in range(start, end):
        box = boxes[k]
        for offset, left, right in box.marks:
            if (k == start and offset == 0 and box.lead_mark_pt) or (k == end - 1 and box.last_mark_pt
                                                                      and offset == box.marks[-1][0]):
                continue
            marks.append((k, offset, left, right))
    return marks


def _squeeze_order(boxes: list[_Box], marks: list[tuple[int, int, float, float]]) -> list[tuple[int, int, float, float]]:
    """The order in which a line's mid-line marks give their blank: a mark beside other punctuation first (、「 or
    」，: the blank between them reads as a hole), then from the line's end back."""
    def beside(mark: tuple[int, int, float, float]) -> bool:
        k, o = mark[0], mark[1]
        text = "".join(f.text for f in boxes[k].frags)
        return any(0 <= p < len(text) and _is_cjk_punctuation(text[p]) for p in (o - 1, o + 1))
    return sorted(marks, key=lambda m: (not beside(m), -m[0], -m[1]))


def _classed(sep: _Sep, chars: list, p: int, i: int, grade: int, grades: tuple = ()) -> _Sep:
    """`sep` (between characters `p` and `i`) with its class of break: between two words of Chinese text or
    after punctuation, inside a name, before or after a connective, after a coverb that is a word of its own
    (援助金予 | 236 位: the dictionary's boundaries each side of 予, so not 給予 or 現在)."""
    if not sep.breakable:
        return sep
    a, b = chars[p].char, chars[i].char
    chinese = (sep.kind == "cjk" or sep.han_latin) and a not in PHRASE_BREAK and not chars[i].span.marker
    coverb = a in _zh_words()["coverbs"] and grade == ALLOWED and p < len(grades) and grades[p] == ALLOWED
    # two one-character words in a row (獎|項, 聯|同): where the dictionary does not know a compound it falls back to
    # single characters, so such a break may well split a word; a connective or coverb is a word of its own
    words = _zh_words()
    singles = sep.kind == "cjk" and grade == ALLOWED and len(grades) > i and is_ideograph(a) and is_ideograph(b) \
        and p > 0 and is_ideograph(chars[p - 1].char) and grades[p] == ALLOWED \
        and (i + 1 >= len(grades) or grades[i + 1] == ALLOWED) \
        and not {a, b} & (words["connectives"] | words["coverbs"])
    connective, after_connective = b in words["connectives"], a in words["connectives"]
    if not (chinese or grade == NAME or connective or after_connective or singles or sep.phrase_em_pt or sep.name
            or sep.connective or sep.coverb or sep.after_connective or sep.singles):
        return sep  # no class, and none before: the separator as it is, not a copy (most spaces of English text)
    return _replaced(sep, phrase_em_pt=chars[i].span.style.size_pt if chinese else 0.0, name=grade == NAME,
                   connective=connective, coverb=chinese and coverb,
                   after_connective=after_connective, singles=singles)


@functools.lru_cache(maxsize=1)
def _zh_words() -> dict:
    """zh_words.yaml: the classifiers a figure keeps and the connectives a line avoids starting with."""
    from .schema import package_data

    data = package_data("zh_words.yaml")
    connectives, coverbs = frozenset(data["connectives"]), frozenset(data["coverbs"])
    return {"classifiers": frozenset(w[0] for w in data["classifiers"]), "connectives": connectives,
            "coverbs": coverbs, "joining": connectives | coverbs}


def _term_joins(text: str, words: frozenset[str]) -> frozenset[int]:
    """Where a term's two words meet in `text` (segment.term_joins: two listed words side by side, 生成式|人工智能, or
    a modifier and the word it qualifies, 互動式|學習)."""
    return term_joins(text, words)


def _word_starts(text: str, words: frozenset[str]) -> frozenset[int]:
    """Where one of `words` begins in `text`."""
    return frozenset(start for start, _ in listed_spans(text, words))


def _takes_figure(word: str) -> bool:
    """A classifier or unit a figure before it keeps on its line (800+ 所, 105,635 平方米, 2023 年內)."""
    return bool(word) and word[0] in _zh_words()["classifiers"]


def _break_cost(sep: _Sep, width_pt: float) -> float:
    """What a line ending at `sep` costs for the kind of break it is (hyphens aside)."""
    cost = _word_cost(sep.word_em_pt, width_pt) + (TITLE_COST if sep.title else 0.0)
    if sep.lone and width_pt >= NARROW_MEASURE_EM * sep.word_em_pt - 0.01:
        cost += LONE_COST
    narrow = width_pt < NARROW_MEASURE_EM * sep.phrase_em_pt - 0.01
    if sep.phrase_em_pt:
        cost += NARROW_PHRASE_COST if narrow else WIDE_PHRASE_COST
    if sep.name:
        cost += NAME_COST
    if sep.connective and (sep.name or narrow):
        # in a narrow measure a line starting with 及 reads as a stray; inside a name, only if no other break of
        # it fits (教育 | 及生成式); in wide justified text it is common and costs nothing
        cost += NAME_COST if sep.name else CONNECTIVE_START_COST
    if sep.after_connective and sep.name:  # 及 joins the two parts of a name it stands in: not 「教育及 | 生成式…」
        cost += NAME_COST
    elif sep.after_connective and narrow:  # 學生及 | 職員: in a narrow measure 及 stays with what it joins, both ways
        cost += CONNECTIVE_START_COST
    if sep.coverb:  # 援助金予 | 236 位: the coverb belongs to the phrase it introduces (as 及 does)
        cost += COVERB_END_COST if narrow else WIDE_COVERB_END_COST
    if sep.singles:
        cost += NARROW_SINGLES_COST if narrow else WIDE_SINGLES_COST
    return cost + sep.latin_run


MAX_BOLD_TERM = 8  # characters: a bold part of Chinese text this short is a term (a label's twin), kept whole as a word


def _bold_terms(spans: list[Span]) -> set[Span]:
    """The bold parts of a Chinese text that also has regular parts (**執行主席大學**: the Chinese twin of a bold
    English label, a term), of at most MAX_BOLD_TERM characters: a break inside one is priced as inside a word."""
    texts = [s for s in spans if not s.marker]
    if not any(s.style.weight != "bold" for s in texts):
        return set()
    return {s for s in texts if s.lang == "zh" and s.style.weight == "bold" and len(s.text.strip()) <= MAX_BOLD_TERM
            and any(is_ideograph(c) for c in s.text)}


def _short_lines(lines: tuple[Line, ...], em: float) -> bool:
    """Whether a line before the last stops short of its measure: more than an em mid-phrase (a justified line set
    ragged where no phrase ends), more than two at a phrase's punctuation (a ragged line there, a little short,
    is the breaker's choice)."""
    return any(line.right_pt < line.width_pt - (em if line.text.rstrip()[-1:] not in PHRASE_BREAK else 2 * em) - 0.01
               for line in lines[:-1])


def _phrase_ends(lines: tuple[Line, ...]) -> int:
    """How many of the lines before the last end a phrase (on its punctuation)."""
    return sum(line.text.rstrip()[-1:] in PHRASE_BREAK for line in lines[:-1])


def _shortfall(lines: tuple[Line, ...], em: float) -> float:
    """How far the lines before the last stop short of their measure past what _short_lines allows, in all."""
    return sum(max(0.0, line.width_pt - line.right_pt - (em if line.text.rstrip()[-1:] not in PHRASE_BREAK else 2 * em))
               for line in lines[:-1])


def _ragged_cost(box: _Box, width_pt: float) -> float:
    """What leaving a justified Chinese line ragged costs, by how it ends: on a phrase's punctuation less (and in a
    narrow measure less still), on an ideograph RAGGED_COST."""
    if box.frags and box.frags[-1].text[-1] in PHRASE_END:
        narrow = width_pt < NARROW_MEASURE_EM * box.frags[-1].size_pt - 0.01
        return NARROW_PHRASE_RAGGED_COST if narrow else RAGGED_COST / 2
    return RAGGED_COST


def _over_aim_cost(opened_em: float) -> float:
    """What a justified Chinese line opening its ideograph gaps by `opened_em` costs: nothing up to the aim
    (AIM_IDEOGRAPH_GAP_EM), GAP_OVER_AIM_COST at the most they may open, growing as the square between."""
    if opened_em <= AIM_IDEOGRAPH_GAP_EM:
        return 0.0
    return GAP_OVER_AIM_COST * ((opened_em - AIM_IDEOGRAPH_GAP_EM) / (MAX_IDEOGRAPH_GAP_EM - AIM_IDEOGRAPH_GAP_EM)) ** 2


def _gap_cost(opened_em: float) -> float:
    """What a justified Chinese line opening its ideograph gaps by `opened_em` costs: GAP_OPEN_COST at GAP_OPEN_EM,
    growing as the square (so a line that compresses its punctuation instead is cheaper), and past the aim more."""
    return GAP_OPEN_COST * (opened_em / GAP_OPEN_EM) ** 2 + _over_aim_cost(opened_em)


def _latin_run_cost(chars: list[_Char], left: list[int], right: list[int]) -> float:
    """What a break at the space between two words of Chinese text costs when both are Latin (clreq: a Latin run in
    Chinese text is not broken where that can be helped): inside a name (two capitalised words: Hong | Kong, Kong |
    Techathon) as inside a word, LATIN_NAME_COST, the dearest; between a name and the short figure after it
    (Techathon◊ | 2023) NAME_YEAR_COST; anywhere else in the run LATIN_RUN_COST. A name stays whole where its year
    cannot stay on its line too (the Chinese reviews 27 and 28)."""
    before = "".join(chars[i].char for i in left if not chars[i].span.marker)
    after = "".join(chars[i].char for i in right if not chars[i].span.marker)
    if not before or not after or not is_latin_run_char(before[-1]) or not is_latin_run_char(after[0]):
        return 0.0
    name = _LATIN_TAIL.search(before)
    if name and name.group()[0].isupper() and after[0].isupper():
        return LATIN_NAME_COST
    if name and name.group()[0].isupper() and after[0].isdigit():
        return NAME_YEAR_COST
    return LATIN_RUN_COST


def _name_figure(left: str, right: str, marked: bool) -> bool:
    """A short figure after a name's word (Techathon◊ 2023, Rankings 2024, Expo 2025, 2022–23): `left` a capitalised
    Latin word of two letters or more, or one a footnote marker ends (`marked`), `right` a year, a range of years or
    an edition's number (NAME_FIGURE)."""
    return (marked or (len(left) > 1 and left[0].isupper() and left.isalpha())) \
        and NAME_FIGURE.fullmatch(right) is not None


def _word_cost(word_em_pt: float, width_pt: float) -> float:
    """What a line ending inside a word costs: nothing between words; in any measure as much as only the lack
    of any other break within reach justifies."""
    return WORD_COST if word_em_pt else 0.0


# A break inside a word leaving one of its characters alone (程式人 | 員): in wider text dearer than a far-short line
# (FAR_SHORT_WIDE_COST), so where a word must part for the paragraph to justify, it parts at a boundary inside it
# (程式 | 人員), else the line stays short; in a narrow measure, where a word breaks only if nothing else fits, as any
LONE_COST = WORD_COST


def _even_gap(a: _Char, b: _Char) -> bool:
    """Two ideographs of one size side by side: their gap opens as every other when a Chinese line is justified."""
    return is_ideograph(a.char) and is_ideograph(b.char) and not a.span.marker and not b.span.marker \
        and a.span.style.size_pt == b.span.style.size_pt


def _stroke_apart(sep: _Sep, chars: list[_Char], p: int, i: int) -> _Sep:
    """`sep` between characters `p` and `i`, wider by DOUBLED_STROKE_GAP_EM where they are one stroke doubled: 一一's
    strokes stand on one line with 0.074 em of paper between their inks in the bold face and read as one dash (唯一一所
    read as 唯——所: the Chinese reviews of 1f9582f and b33891d)."""
    if chars[i].char in DOUBLED_STROKES and chars[p].char == chars[i].char:
        return _replaced(sep, width_pt=sep.width_pt + DOUBLED_STROKE_GAP_EM * chars[i].span.style.size_pt)
    return sep


def _inner_sep(style: Style, kind: str | None, gap_em: float) -> _Sep:
    """The separator between two characters of one word: a CJK break (its gap may open a little when the
    line is justified), a Han–Latin quarter em (fixed: DESIGN.md, one gap on every line), or glue."""
    em = style.size_pt
    if gap_em:
        return _Sep(gap_em * em, kind is not None, kind or "glue", han_latin=True)
    if kind == "cjk":
        return _Sep(0.0, True, "cjk", last_stretch_pt=MAX_IDEOGRAPH_GAP_EM * em)
    return _Sep(0.0, kind is not None, kind or "glue")


def _bracket_bound(chars: list[_Char]) -> set[int]:
    """Indices a line may not break before: inside a bracketed phrase of at most MAX_BRACKET_PHRASE characters
    （按年 +100%） 「…」, and before one of at most SHORT_QUALIFIER that qualifies the word before it (港科大（廣州）)."""
    bound: set[int] = set()
    for start, char in enumerate(chars):
        if char.char not in OPENING_BRACKETS:
            continue
        depth = 0
        for end in range(start + 1, min(len(chars), start + 2 * MAX_BRACKET_PHRASE)):
            c = chars[end].char
            if c in OPENING_BRACKETS:
                depth += 1
            elif c in CLOSING_BRACKETS:
                if depth:
                    depth -= 1
                    continue
                inner = sum(1 for k in range(start + 1, end) if not chars[k].char.isspace())
                if inner <= MAX_BRACKET_PHRASE:
                    bound.update(range(start + 1, end + 1))
                    if inner <= SHORT_QUALIFIER and start and is_ideograph(chars[start - 1].char):
                        bound.add(start)
                break
    return bound


def _latin_han_name(chars: list[_Char], p: int, i: int) -> bool:
    """Whether a break between characters `p` and `i` parts a Latin name from the Chinese name it runs into (INNOTECH
    創科嘉年華, EMBA 課程, QS 全球大學排名): a capitalised Latin word (two letters or more) before an ideograph that is no
    connective or coverb (Emerging | 於《泰晤士…》 is a break between two phrases)."""
    after = chars[i].char
    if not is_ideograph(after) or chars[i].span.marker or after in _zh_words()["joining"]:
        return False
    k = p
    while k >= 0 and chars[k].span.marker:
        k -= 1  # a marker on the name (Techathon◊) is the name's
    letters = 0
    while k >= 0 and chars[k].char.isascii() and chars[k].char.isalpha():
        letters, k = letters + 1, k - 1
    return letters >= 2 and chars[k + 1].char.isupper() and (k < 0 or not chars[k].char.isalnum())


def _quoted_titles(chars: list[_Char]) -> set[int]:
    """Indices a break before falls inside a quoted title or name of at most MAX_QUOTED_TITLE characters (spaces not
    counted): 「2028 可持續發展挑戰」, a shorter one's brackets bound already (_bracket_bound)."""
    inside: set[int] = set()
    for start, item in enumerate(chars):
        close = TITLE_MARKS.get(item.char)
        if close is None:
            continue
        for end in range(start + 1, min(len(chars), start + 3 * MAX_QUOTED_TITLE)):
            if chars[end].char == close:
                if sum(1 for k in range(start + 1, end) if not chars[k].char.isspace()) <= MAX_QUOTED_TITLE:
                    inside.update(range(start + 1, end + 1))
                break
    return inside


@functools.lru_cache(maxsize=8)
def _dictionary(lang: str):
    import pyphen  # imported when a style hyphenates: it costs 20 ms of every start otherwise

    return pyphen.Pyphen(lang=lang, left=HYPHEN_MIN, right=HYPHEN_MIN)


def _hyphenation_points(chars: list[_Char], word: list[int]) -> set[int]:
    """Indices of the characters a dictionary hyphen may go before, in a word whose style hyphenates.

    Only runs of Latin letters are looked up, so "HK$2.76" or "co-operate" are left as they are."""
    points: set[int] = set()
    run: list[int] = []
    for index in word + [-1]:
        if index >= 0 and chars[index].char.isascii() and chars[index].char.isalpha() \
                and chars[index].span.style.hyphenate and not chars[index].span.marker:
            run.append(index)
            continue
        if len(run) >= 2 * HYPHEN_MIN:
            letters = "".join(chars[k].char for k in run)
            points.update(run[position] for position in _dictionary("en_US").positions(letters))
        run = []
    return points


def _bounds(face, char: str) -> tuple[float, float, float, float] | None:
    """`char`'s ink box in `face`, in font units: from the face's measured inks (fonts.INK_MEASURED, no fontTools),
    else read from its file."""
    inks = getattr(face, "inks", None) or {}
    if ord(char) in inks:
        return inks[ord(char)]
    path = getattr(face, "path", "")
    return _ink_at(path, char) if path else None


def _ink(face, char: str) -> tuple[float, float]:
    """The left and right edges of `char`'s ink in `face`, in font units (its advance's ends if it has none)."""
    bounds = _bounds(face, char)
    return (bounds[0], bounds[2]) if bounds else (0.0, float(_advance(face, char)))


def _marker_drop(face, char: str, size: float) -> float:
    """How far a marker's glyph is lowered (raised, negative) from the marker rise so that the middle of its ink
    stands where a capital's does (MARKER_INK_MIDDLE_EM): ^ and * sit high in their fonts and floated over Δ, #
    and Ω beside them at one rise (the designer's fifth review, item 3: page 3's ^ at 5.5 pt)."""
    bounds = _bounds(face, char)
    if not bounds or not face.units_per_em:
        return 0.0
    return ((bounds[1] + bounds[3]) / 2 / face.units_per_em - MARKER_INK_MIDDLE_EM) * size


@functools.lru_cache(maxsize=256)
def _ink_at(path: str, char: str) -> tuple[float, float, float, float] | None:
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        name = font.getBestCmap().get(ord(char))
        if name is None:
            return None
        glyphs = font.getGlyphSet()
        pen = BoundsPen(glyphs)
        glyphs[name].draw(pen)
        return tuple(pen.bounds) if pen.bounds else None


def _dash_scale(face) -> float:
    """How much wider each dash of a doubled —— is drawn so that the pair, joined ink to ink, is exactly two ems
    (DESIGN.md: —— two ems; Noto Sans HK's U+2014 is 0.894 em with 0.05 em side bearings, so two dashes joined ink
    to ink make 1.70 em, and its U+2E3A two-em dash 1.68 em): the pair's extent is (ink + advance) × scale."""
    left, right = _ink(face, "—")
    extent = (right - left + _advance(face, "—")) / face.units_per_em
    return 2.0 / extent if extent > 0 else 1.0


def _advance(face, char: str) -> int:
    return (face.advances or {}).get(ord(char), int(0.6 * face.units_per_em))

