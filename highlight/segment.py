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

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"  # the Han blocks: ideographs, no kana


@functools.cache
def _han_pattern(pair: bool) -> re.Pattern:
    """[Han] (or two in a row: only such text has a break a dictionary can judge), compiled on first use:
    a character class this large costs milliseconds to compile, and a build whose lines all come from the
    line store sets no Chinese."""
    return re.compile(f"[{_HAN}]{{2}}" if pair else f"[{_HAN}]")


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
    if not _han_pattern(True).search(text):
        return tuple(grades)
    bounds = _dictionary_boundaries(text)
    suffixes = _suffixes()
    for i in range(1, len(text)):
        if _is_han(text[i - 1]) and _is_han(text[i]) and (
                i not in bounds or any(text.startswith(suffix, i) and i + len(suffix) in bounds
                                       for suffix in suffixes)):
            grades[i] = DISCOURAGED  # inside a word, or before a suffix the dictionary left apart (創業|家, 程式|人員)
    spans = listed_spans(text, words)
    for start, end in spans:  # at a listed word's ends a break is allowed, where no other word covers them
        for edge in (start, end):
            if edge < len(text) and grades[edge] == DISCOURAGED:
                grades[edge] = ALLOWED
    for i in range(1, len(text)):
        around = [(s, e) for s, e in spans if s < i < e]
        if around:
            grades[i] = NAME if len(around) == 1 and _own_boundary(text, spans, *around[0], i) else FORBIDDEN
    return tuple(grades)


@functools.lru_cache(maxsize=4096)
def listed_spans(text: str, words: frozenset[str]) -> tuple[tuple[int, int], ...]:
    """Every occurrence of one of `words` in `text`: (start, end)."""
    spans = []
    for word in (w for w in words if w in text):
        start = text.find(word)
        while start >= 0:
            spans.append((start, start + len(word)))
            start = text.find(word, start + 1)
    return tuple(spans)


def _own_boundary(text: str, spans, start: int, end: int, i: int) -> bool:
    """Whether `i`, inside the one listed name text[start:end], is at one of the name's own word boundaries (the
    dictionary's, or the edge of a shorter listed word inside it) two characters or more from its ends: there a
    name too long for its measure may break; inside a word within it (人工|智能 in 教育及生成式人工智能基金), never."""
    if i - start < 2 or end - i < 2:
        return False
    return i - start in _own_boundaries(text[start:end]) or any(
        start <= s2 and e2 <= end and (s2, e2) != (start, end) and i in (s2, e2) for s2, e2 in spans)


@functools.lru_cache(maxsize=1024)
def _own_boundaries(word: str) -> frozenset[int]:
    """The dictionary's word boundaries inside a listed word, segmented alone (the text around it may pull a
    boundary across its edge: 科|大學 in 科大學者)."""
    return frozenset(_dictionary_boundaries(word))


@functools.lru_cache(maxsize=1024)
def term_joins(text: str, words: frozenset[str] = frozenset()) -> frozenset[int]:
    """Where the two words of a term meet in `text`, a break a narrow measure keeps whole (text.py, _set): two listed
    words side by side (生成式|人工智能, each a house word), or a modifier and the word it qualifies: a word the
    dictionary left apart from its attributive suffix (生成|式, 互動|式, 創新|型: zh_words.yaml's modifiers) before
    an ideograph that is no connective or coverb (生成式|人工智能, 互動式|學習平台, 創新型|企業; not 互動式|及…)."""
    spans = listed_spans(text, words)
    ends = {e for _s, e in spans}
    joins = {st for st, _e in spans if st in ends}
    modifiers, joining = _modifiers()
    if not any(text.find(m, 2) > 0 for m in modifiers) or not _han_pattern(True).search(text):
        return frozenset(joins)
    bounds = _dictionary_boundaries(text)
    for i in range(2, len(text)):
        if text[i - 1] in modifiers and i - 1 in bounds and i in bounds and _is_han(text[i - 2]) \
                and _is_han(text[i]) and text[i] not in joining:
            joins.add(i)
    return frozenset(joins)


@functools.cache
def _modifiers() -> tuple[frozenset[str], frozenset[str]]:
    """zh_words.yaml's modifiers (the attributive suffixes), and the connectives and coverbs a term never spans."""
    from .schema import package_data

    data = package_data("zh_words.yaml")
    return (frozenset(data.get("modifiers") or ()),
            frozenset(data.get("connectives") or ()) | frozenset(data.get("coverbs") or ()))


@functools.cache
def _suffixes() -> frozenset[str]:
    """zh_words.yaml's suffixes: a character (or a two-character head noun, 人員) that makes a noun of the word before
    it (創業家, 研究員, 程式人員), which the dictionary may leave as a word of its own (創業|家): a break before it is a
    break inside a word."""
    from .schema import package_data

    return frozenset(package_data("zh_words.yaml").get("suffixes") or ())


def _is_han(char: str) -> bool:
    return _han_pattern(False).match(char) is not None
