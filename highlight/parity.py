"""Bilingual parity: an element's English and Chinese must carry the same figures and footnote markers.

Figures are compared as values, so the ways each language writes a number
meet: HK$276M and HK$2.76億, July 1 and 7月1日, over 1,700 and 逾1,700, 30+ and
30多, two years and 兩年, 12th time and 十二度. Sets are compared, not
multisets: the Chinese sentence of a stat often repeats the figure the
English shows once, beside it. A text printed in one language only (a
change, a figure) belongs to both.
"""
from __future__ import annotations

import functools
import os
import re

from .content import MARKER_PATTERN, Edition, Text, ref_of
from .diagnostics import Diagnostics, SourceRef
from .kinds import parity_units

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_SCALE = {"K": 1e3, "M": 1e6, "B": 1e9, "千": 1e3, "萬": 1e4, "万": 1e4, "億": 1e8, "亿": 1e8}
_FIGURE = re.compile(r"(?<![A-Za-z0-9.])([+\-−]?)(HK\$|\$|#)?(\d[\d,]*(?:\.\d+)?)(\+)?"
                     r"(%|[KMB](?![A-Za-z&])|千|萬|万|億|亿)?")
_NUMBER = r"\d[\d,]*(?:\.\d+)?"


class _Words:
    """figure_words.yaml, compiled: the words of each language that stand for a figure."""

    def __init__(self, data: dict):
        en, zh = data["en"], data["zh"]
        self.numbers = {k.lower(): v for k, v in en["numbers"].items()}
        self.ordinals = {k.lower(): v for k, v in en["ordinals"].items()}
        self.multiples = {k.lower(): v for k, v in en["multiples"].items()}
        self.times = {k.lower(): v for k, v in en["times"].items()}
        self.fractions = {k.lower(): v for k, v in en["fractions"].items()}
        alternatives = lambda words: "|".join(sorted(map(re.escape, words), key=len, reverse=True))
        self.not_figures = re.compile(r"\b(?:" + alternatives(en["not_figures"]) + r")\b", re.IGNORECASE)
        self.number_re = re.compile(r"\b(" + alternatives(self.numbers) + r")\b", re.IGNORECASE)
        self.ordinal_re = re.compile(r"\b(" + alternatives(self.ordinals) + r")\b", re.IGNORECASE)
        self.times_re = re.compile(r"\b(" + alternatives(self.times) + r")\b", re.IGNORECASE)
        self.multiple_re = re.compile(rf"(?:\b(an?|one)|({_NUMBER}))\s+(" + alternatives(self.multiples) + r")\b", re.IGNORECASE)
        self.fraction_re = re.compile(r"(?:\b(an?|one)|\b(\d+))[\s-]+(" + alternatives(self.fractions)
                                      + r")\b(?=\s+(?:of|the)\b|\s*[,.;:)]|\s*$)", re.IGNORECASE)
        self.half_re = re.compile(r"\bhalf\b(?=\s+(?:of|the)\b)", re.IGNORECASE)
        self.cn_digits = dict(zh["digits"])
        self.cn_units = dict(zh["units"])
        self.cn_scales = dict(zh["scales"])
        numeral = "".join(self.cn_digits) + "".join(self.cn_units) + "".join(self.cn_scales)
        self.cn_number_re = re.compile(f"[{numeral}]+")
        self.measure = set(zh["measure_words"])
        self.cn_fraction_re = re.compile(rf"([{numeral}]+|\d+){re.escape(zh['fraction_mark'])}([{numeral}]+|\d+)")
        self.tenths_re = re.compile(f"(?<![{numeral}])([{''.join(self.cn_digits)}十]){re.escape(zh['tenths'])}"
                                    f"(?![{zh['tenths_not_before']}])")
        self.cn_phrases = {re.compile(f"(?<![{numeral}]){re.escape(k)}"): str(v) for k, v in zh["phrases"].items()}

    def cn_value(self, numeral: str) -> int:
        """一百 → 100, 三萬 → 30000, 十二 → 12, 兩億五千萬 → 250000000."""
        total, section, digit = 0, 0, None
        for char in numeral:
            if char in self.cn_digits:
                digit = self.cn_digits[char]
            elif char in self.cn_units:
                section += (digit if digit is not None else 1) * self.cn_units[char]
                digit = None
            else:
                total += (section + (digit or 0) or 1) * self.cn_scales[char]
                section, digit = 0, None
        return total + section + (digit or 0)

    def number(self, text: str) -> float:
        return float(text.replace(",", "")) if text[0].isdigit() else self.cn_value(text)


@functools.lru_cache(maxsize=1)
def _words() -> _Words:
    from .schema import package_data

    return _Words(package_data("figure_words.yaml"))


def _percent(part: float, whole: float) -> str:
    return f" {round(100 * part / whole, 4):g}% " if whole else " "


_MONTH_NUMBER = {month: number for number, month in enumerate(_MONTHS, 1)}
_MONTH = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b")


def _english_words(text: str, w: _Words) -> str:
    """Figure words of English as digits: a decade → 10, two thirds of → 66.6667%, doubled → 2."""
    text = w.not_figures.sub(" ", text)
    text = w.number_re.sub(lambda m: m.group() if w.numbers[m.group(1).lower()] == 1 else
                           str(w.numbers[m.group(1).lower()]), text)
    text = w.fraction_re.sub(lambda m: _percent(float(m.group(2) or 1), w.fractions[m.group(3).lower()]), text)
    text = w.half_re.sub(" 50% ", text)
    text = w.multiple_re.sub(lambda m: f"{(float(m.group(2).replace(',', '')) if m.group(2) else 1) * w.multiples[m.group(3).lower()]:f}".rstrip("0").rstrip("."), text)
    text = w.times_re.sub(lambda m: str(w.times[m.group(1).lower()]), text)
    return w.ordinal_re.sub(lambda m: str(w.ordinals[m.group(1).lower()]), text)


def _chinese_words(text: str, w: _Words) -> str:
    """Chinese numerals as digits: 十年 → 10年, 四成 → 40%, 三分之一 → 33.3333%, 三萬名 → 30000名."""
    for phrase, value in w.cn_phrases.items():
        text = phrase.sub(f" {value} ", text)
    text = w.cn_fraction_re.sub(lambda m: _percent(w.number(m.group(2)), w.number(m.group(1))), text)
    text = w.tenths_re.sub(lambda m: f" {w.cn_value(m.group(1)) * 10}% ", text)

    def numeral(m: re.Match) -> str:
        after = text[m.end():m.end() + 1]
        scaled = len(m.group()) > 1 and any(c in w.cn_scales for c in m.group())
        if m.group() == "一" or (len(m.group()) > 1 and all(c in w.cn_digits for c in m.group())):
            return m.group()  # 一 alone is as often "a" (一所大學) as a count; 唯一一所 holds no numeral
        if after in w.measure or scaled:
            return f" {w.cn_value(m.group())} "
        return m.group()

    return w.cn_number_re.sub(numeral, text)


# Figures found by an earlier process (check_parity's `kept` file): text -> figures. A build of unchanged texts
# compiles none of figure_words' expressions (10 ms).
_KEPT: dict = {}
_KEPT_FROM: list = [None]  # the file _KEPT was read from
_FOUND: dict = {}  # what this check looked up or worked out: written back when something was new
_NEW: list = [False]
_KEPT_FORMAT = "highlight-figures/1"


def figures(text: str) -> frozenset:
    """The figures of a text as comparable values: (sign, '#' for a rank, value, '+', '%')."""
    found = _KEPT.get(text)
    if found is None:
        found = _figures(text)
        _NEW[0] = True
    _FOUND[text] = found
    return found


def _read_kept(path: str) -> None:
    """_KEPT from `path` (none, damaged or foreign: nothing kept)."""
    import json

    _KEPT.clear()
    try:
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
        if type(document) is not dict or document.get("format") != _KEPT_FORMAT:
            return
        kept = {}
        for text, found in document["figures"].items():
            values = frozenset(tuple(value) for value in found)
            if type(text) is not str or not all(
                    len(v) == 5 and type(v[0]) is str and type(v[1]) is str and type(v[2]) in (int, float)
                    and type(v[3]) is str and type(v[4]) is str for v in values):
                return
            kept[text] = frozenset((s, p, float(v), plus, u) for s, p, v, plus, u in values)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return
    _KEPT.update(kept)


def _write_kept(path: str) -> None:
    """The figures this process looked up or worked out, for the next (only when one was new)."""
    import json

    from .atomic import replace_file

    if not _NEW[0]:
        return
    _NEW[0] = False
    document = {"format": _KEPT_FORMAT, "figures": {text: sorted(list(v) for v in found)
                                                    for text, found in _FOUND.items()}}
    try:
        replace_file(path, json.dumps(document, ensure_ascii=False).encode("utf-8"))
        folder = os.path.dirname(path)
        for old in os.listdir(folder):  # the files of other versions of the package: never read again
            if old != os.path.basename(path) and old.endswith(".json"):
                os.remove(os.path.join(folder, old))
    except OSError:
        pass


@functools.lru_cache(maxsize=16384)  # a rebuild re-reads the same texts
def _figures(text: str) -> frozenset:
    text = MARKER_PATTERN.sub(" ", text)
    words = _words()
    text = _MONTH.sub(lambda m: f" {_MONTH_NUMBER[m.group(1)]} ", text)
    text = _english_words(text, words)
    text = re.sub(r"(\d+)(st|nd|rd|th)\b", r"\1", text)
    text = re.sub(r"\b(?:over|more than)\s+(\d[\d,.]*)", r"\1+", text)
    text = re.sub(r"逾\s*(\d[\d,.]*)", r"\1+", text)
    text = re.sub(r"(\d[\d,.]*)\s*多", r"\1+", text)
    text = _chinese_words(text, words)
    found = set()
    for sign, prefix, number, plus, unit in _FIGURE.findall(text):
        value = float(number.replace(",", ""))
        if unit and unit != "%":
            value, unit = value * _SCALE[unit], ""
        found.add((sign.replace("−", "-"), "#" if prefix == "#" else "", round(value, 6), plus, unit))
    return frozenset(found)


def markers(text: str) -> frozenset:
    return frozenset(MARKER_PATTERN.findall(text))


def _sides(texts: list[Text], shared: list[str]) -> tuple[set, set, set, set]:
    en_fig: set[str] = set()
    zh_fig: set[str] = set()
    en_mark: set[str] = set()
    zh_mark: set[str] = set()
    for text in texts:
        if text.en and text.zh:
            en_fig |= figures(text.en)
            zh_fig |= figures(text.zh)
            en_mark |= markers(text.en)
            zh_mark |= markers(text.zh)
        else:  # printed once, for readers of both languages
            one = text.en or text.zh or text.mixed or ""
            for side in (en_fig, zh_fig):
                side |= figures(one)
            for side in (en_mark, zh_mark):
                side |= markers(one)
    for value in shared:
        for side in (en_fig, zh_fig):
            side |= figures(value)
    return en_fig, zh_fig, en_mark, zh_mark


def _show(found: set) -> str:
    return ", ".join(sorted(f"{s}{p}{v:g}{plus}{u}" for s, p, v, plus, u in found)) or "none"


def _accepting(difference: str, accepted, used: set, hint: str, holder: SourceRef | None = None) -> str:
    """The hint of a parity warning, or "" when a reviewed acceptance names exactly this difference.
    `holder`: the element that takes `parity:` when the unit is part of it (a list's item), else None."""
    if accepted is not None and " ".join(accepted.accept.split()) == difference:
        used.add(id(accepted))
        return ""
    kind = holder.yaml_path.rsplit(".", 1)[-1] if holder is not None else ""
    where = "on the element" if holder is None else \
        (f"on the {kind} it is part of (the `{kind}:` of {holder.yaml_path}, line {holder.line}), as a key beside "
         f"its other keys, not on the part")
    return f'{hint}; if the difference is right, accept it {where}: parity: {{accept: "{difference}", reason: "…"}}'



def check_parity(edition: Edition, diags: Diagnostics, kept: str | None = None, write: bool = True) -> None:
    """A warning for each element whose two languages disagree on a figure or a footnote marker, unless the
    element accepts that very difference (`parity: {accept, reason}`); an acceptance that matches nothing
    any more is a warning too, so a stale one does not hide the next difference. `kept`: a file of the figures
    found by an earlier process (named by the build for this package's source: its code and figure_words),
    read before and written after when a text was new (`write` False: by write_kept, later)."""
    if kept is not None and kept != _KEPT_FROM[0]:
        _read_kept(kept)
        _KEPT_FROM[0] = kept
    _FOUND.clear()
    _check(edition, diags)
    if kept is not None and write:
        _write_kept(kept)


def write_kept(path: str) -> None:
    """Write the figures the last check_parity looked up or worked out to `path`, when one was new (for a
    check_parity told not to: `watch` writes them between saves, off the path from a save to the PDF)."""
    _write_kept(path)


def _check(edition: Edition, diags: Diagnostics) -> None:
    for page in edition.pages:
        items: list = []
        acceptances: list = []
        used: set = set()
        for block in page.blocks:
            for element in block.elements:
                if element.parity is not None:
                    acceptances.append(element.parity)
                # Per its kind (layout/elements.py): a list's items stand alone, a table prints its figures once.
                items += [(ref, texts, shared, element.parity, None if ref == element.ref else element.ref)
                          for ref, texts, shared in parity_units(element)]
        items += [(ref_of(note, "text"), [note.text], [], note.parity, None) for note in page.footnotes]
        acceptances += [note.parity for note in page.footnotes if note.parity is not None]
        for ref, texts, shared, accepted, holder in items:
            en_fig, zh_fig, en_mark, zh_mark = _sides(texts, shared)
            if not any(t.en and t.zh for t in texts):
                continue
            english = " / ".join(t.en for t in texts if t.en and t.zh)
            chinese = " / ".join(t.zh for t in texts if t.en and t.zh)
            if en_fig != zh_fig:
                difference = f"only in English {_show(en_fig - zh_fig)}; only in Chinese {_show(zh_fig - en_fig)}"
                hint = _accepting(difference, accepted, used, "make both languages carry the same figures, "
                                  "signs and units", holder)
                if hint:
                    diags.warning("parity-figures", f"the English and Chinese disagree on figures: {difference}. "
                                  f"en: {english!r} zh: {chinese!r}", ref, page=page.number, hint=hint)
            if en_mark != zh_mark:
                difference = f"en has {sorted(en_mark) or 'none'}, zh has {sorted(zh_mark) or 'none'}"
                hint = _accepting(difference, accepted, used, "put the same [^X] markers in both languages",
                                  holder)
                if hint:
                    diags.warning("parity-markers", f"footnote markers differ: {difference}. en: {english!r} "
                                  f"zh: {chinese!r}", ref, page=page.number, hint=hint)
        for accepted in acceptances:
            if id(accepted) not in used:
                diags.warning("parity-accept-stale", f"the accepted difference {accepted.accept!r} is not found: "
                              "the two languages now agree, or differ otherwise", accepted.ref, page=page.number,
                              hint="delete the parity: line, or accept the difference the parity warning now names")
