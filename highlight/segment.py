"""Where Chinese text may break: word boundaries from a dictionary, and the edition's own words.

The line breaker (text.py) asks this module one question, the grade of a break before each character
of a paragraph, and sees no segmenter type: ALLOWED (between words), DISCOURAGED (inside a dictionary
word: 政|府, 人工|智能) or FORBIDDEN (inside one of the edition's own words: 研究資助局, 社會及管治).

The dictionary is ICU's (the word break iterator for zh_Hant_HK, as Typst uses through icu_segmenter):
10-20 ms to import and under 10 ms for the whole leaflet's Chinese, where jieba with a Traditional
dictionary takes about 2 s to load its dictionary (tests use it as the independent judge, see
tests/test_word_breaks.py). ICU is imported at the first paragraph with two ideographs in a row, so a
command that sets no Chinese never pays for it.

The edition's words are merged with the dictionary: inside one, no break; at its ends, a break is
allowed even where the dictionary saw one longer word across the edge.
"""
from __future__ import annotations

import functools
import re

ALLOWED, DISCOURAGED, FORBIDDEN = 0, 1, 2

# Two ideographs in a row: only such text has a break a dictionary can judge.
_HAN_PAIR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]{2}")


@functools.lru_cache(maxsize=1)
def _iterator():
    import icu  # the dictionary break iterator: imported when Chinese is first set (see the module's docstring)

    return icu.BreakIterator.createWordInstance(icu.Locale("zh_Hant_HK"))


def _dictionary_boundaries(text: str) -> set[int]:
    """Indices the dictionary puts a word boundary before (0 and len(text) included)."""
    iterator = _iterator()
    iterator.setText(text)
    bounds = {0}
    bounds.update(iterator)
    return bounds


@functools.lru_cache(maxsize=4096)
def break_grades(text: str, words: frozenset[str] = frozenset()) -> tuple[int, ...]:
    """The grade of a break before each character of `text` (index 0 included, always ALLOWED).

    Only breaks between two ideographs are graded by the dictionary (the line breaker's other rules,
    kinsoku, figures and their classifiers, Latin words, are its own); every break inside one of `words`
    is FORBIDDEN."""
    grades = [ALLOWED] * len(text)
    if not _HAN_PAIR.search(text):
        return tuple(grades)
    bounds = _dictionary_boundaries(text)
    for i in range(1, len(text)):
        if i not in bounds and _is_han(text[i - 1]) and _is_han(text[i]):
            grades[i] = DISCOURAGED
    for word in sorted((w for w in words if w in text), key=len):  # the longest last: its inside wins
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            for edge in (start, end):
                if edge < len(text) and grades[edge] == DISCOURAGED:
                    grades[edge] = ALLOWED
            for i in range(start + 1, end):
                grades[i] = FORBIDDEN
            start = text.find(word, start + 1)
    for word in (w for w in words if w in text):  # a shorter word's edge never opens a longer one
        start = text.find(word)
        while start >= 0:
            for i in range(start + 1, start + len(word)):
                grades[i] = FORBIDDEN
            start = text.find(word, start + 1)
    return tuple(grades)


def _is_han(char: str) -> bool:
    cp = ord(char)
    return 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF
