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
import re

from .content import MARKER_PATTERN, Breakdown, BulletList, Edition, Text, element_texts, ref_of
from .diagnostics import Diagnostics

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_WORDS = {w: i for i, w in enumerate(["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                                      "eleven", "twelve"], 2)}
_WORDS.update({w: i for i, w in enumerate(["second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                                           "ninth", "tenth", "eleventh", "twelfth"], 2)})
_SCALE = {"K": 1e3, "M": 1e6, "B": 1e9, "千": 1e3, "萬": 1e4, "万": 1e4, "億": 1e8, "亿": 1e8}
_CN_DIGITS = {"兩": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100}
# Chinese numerals only before a measure word: 十二度, 兩年, 百大 — not 二 in 二氧化碳.
_CN_NUMBER = re.compile(r"[兩二三四五六七八九十百]+(?=[度年個家位項名所間大倍屆次週])")
_FIGURE = re.compile(r"(?<![A-Za-z0-9.])([+\-−]?)(HK\$|\$|#)?(\d[\d,]*(?:\.\d+)?)(\+)?"
                     r"(%|[KMB](?![A-Za-z&])|千|萬|万|億|亿)?")


def _cn_value(numeral: str) -> int:
    total, digit = 0, None
    for char in numeral:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        else:
            total += (digit if digit is not None else 1) * _CN_UNITS[char]
            digit = None
    return total + (digit or 0)


_MONTH_NUMBER = {month: number for number, month in enumerate(_MONTHS, 1)}
_MONTH = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b")
_WORD = re.compile(r"\b(" + "|".join(_WORDS) + r")\b", re.I)


@functools.lru_cache(maxsize=16384)  # a rebuild re-reads the same texts
def figures(text: str) -> frozenset:
    """The figures of a text as comparable values: (sign, '#' for a rank, value, '+', '%')."""
    text = MARKER_PATTERN.sub(" ", text)
    text = _MONTH.sub(lambda m: f" {_MONTH_NUMBER[m.group(1)]} ", text)
    text = _WORD.sub(lambda m: str(_WORDS[m.group(1).lower()]), text)
    text = re.sub(r"(\d+)(st|nd|rd|th)\b", r"\1", text)
    text = re.sub(r"\b(?:over|more than)\s+(\d[\d,.]*)", r"\1+", text)
    text = re.sub(r"逾\s*(\d[\d,.]*)", r"\1+", text)
    text = re.sub(r"(\d[\d,.]*)\s*多", r"\1+", text)
    text = _CN_NUMBER.sub(lambda m: str(_cn_value(m.group())), text)
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
    en_fig, zh_fig, en_mark, zh_mark = set(), set(), set(), set()
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


def check_parity(edition: Edition, diags: Diagnostics) -> None:
    """A warning for each element whose two languages disagree on a figure or a footnote marker."""
    for page in edition.pages:
        items = []
        for block in page.blocks:
            for element in block.elements:
                if isinstance(element, Breakdown):
                    continue  # its figures are printed once, for both languages
                if isinstance(element, BulletList):  # each item stands alone
                    items += [(item.ref, [item], []) for item in element.items]
                else:
                    shared = [v for v in (getattr(element, "figure", None), getattr(element, "rank", None)) if v]
                    items.append((element.ref, list(element_texts(element)), shared))
        items += [(ref_of(note, "text"), [note.text], []) for note in page.footnotes]
        for ref, texts, shared in items:
            en_fig, zh_fig, en_mark, zh_mark = _sides(texts, shared)
            if not any(t.en and t.zh for t in texts):
                continue
            english = " / ".join(t.en for t in texts if t.en and t.zh)
            chinese = " / ".join(t.zh for t in texts if t.en and t.zh)
            if en_fig != zh_fig:
                diags.warning("parity-figures", f"the English and Chinese disagree on figures: only in English "
                              f"{_show(en_fig - zh_fig)}; only in Chinese {_show(zh_fig - en_fig)}. "
                              f"en: {english!r} zh: {chinese!r}", ref, page=page.number,
                              hint="make both languages carry the same figures, signs and units")
            if en_mark != zh_mark:
                diags.warning("parity-markers", f"footnote markers differ: en has {sorted(en_mark) or 'none'}, "
                              f"zh has {sorted(zh_mark) or 'none'}. en: {english!r} zh: {chinese!r}", ref,
                              page=page.number, hint="put the same [^X] markers in both languages")
