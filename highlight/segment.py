"""Where Chinese text may break: word boundaries from a dictionary, and the edition's own words.

The line breaker (text.py) asks this module one question, the grade of a break before each character
of a paragraph, and sees no segmenter type: ALLOWED (between words), DISCOURAGED (inside a dictionary
word: 政|府, 人工|智能) or FORBIDDEN (inside one of the edition's own words: 研究資助局, 社會及管治), and NAME
inside one of the edition's words at a word boundary of its own (教育及生成式|人工智能基金): the only place a
name longer than the measure may break (text.py makes it dearer than any other break).

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

ALLOWED, DISCOURAGED, FORBIDDEN, NAME = 0, 1, 2, 3

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
    is FORBIDDEN, but at a boundary of the dictionary's or of a shorter listed word inside it: NAME."""
    grades = [ALLOWED] * len(text)
    if not _HAN_PAIR.search(text):
        return tuple(grades)
    bounds = _dictionary_boundaries(text)
    for i in range(1, len(text)):
        if i not in bounds and _is_han(text[i - 1]) and _is_han(text[i]):
            grades[i] = DISCOURAGED
    spans = []  # every occurrence of a listed word: (start, end)
    for word in (w for w in words if w in text):
        start = text.find(word)
        while start >= 0:
            spans.append((start, start + len(word)))
            start = text.find(word, start + 1)
    for start, end in spans:  # at a listed word's ends a break is allowed, where no other word covers them
        for edge in (start, end):
            if edge < len(text) and grades[edge] == DISCOURAGED:
                grades[edge] = ALLOWED
    for i in range(1, len(text)):
        around = [(s, e) for s, e in spans if s < i < e]
        if not around:
            continue
        # Inside one name, at one of its own word boundaries (the dictionary's, or the edge of a shorter listed
        # word inside it) two characters or more from its ends: a NAME break; inside a word within a name (人工|智能 in 教育及生成式人工智能基金), never.
        (s, e), = around if len(around) == 1 else ((0, 0),)
        own = e and i - s >= 2 and e - i >= 2 and (i - s in _own_boundaries(text[s:e]) or any(s <= s2 and e2 <= e and (s2, e2) != (s, e) and i in (s2, e2)
                                        for s2, e2 in spans))
        grades[i] = NAME if own else FORBIDDEN
    return tuple(grades)


@functools.lru_cache(maxsize=1024)
def _own_boundaries(word: str) -> frozenset[int]:
    """The dictionary's word boundaries inside a listed word, segmented alone (the text around it may pull a
    boundary across its edge: 科|大學 in 科大學者)."""
    return frozenset(_dictionary_boundaries(word))


def _is_han(char: str) -> bool:
    cp = ord(char)
    return 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF
