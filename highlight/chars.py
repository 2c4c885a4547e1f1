"""What a character is, for every layer: CJK or not (the fonts' coverage check and the line breaker ask)."""
from __future__ import annotations

import functools


@functools.lru_cache(maxsize=8192)
def is_cjk(char: str) -> bool:
    """A character of the CJK blocks: radicals to ideographs, compatibility forms, full-width forms."""
    cp = ord(char)
    return (0x2E80 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0xFE30 <= cp <= 0xFE4F
            or 0xFF00 <= cp <= 0xFFEF or 0x20000 <= cp <= 0x3FFFF)


# Punctuation that joins what comes before it to what follows, and that no line opens with: a note that opens
# with one goes on from the change set before it (the print keeps the mark in its text but does not draw it).
JOINING_PUNCTUATION = frozenset("，、；：,;:")

# A bracket and its other half, Latin and full-width.
BRACKET_PAIRS = dict(zip("([{（「『【〈《〔［｛", ")]}）」』】〉》〕］｝"))


def split_bracket(en: str, zh: str) -> tuple[str, str] | None:
    """(the bracket that closes the English, the one that opens the Chinese) when the English opens a bracket it
    never closes and the Chinese closes one it never opened (the copy deck's one bracket round both languages,
    （2014-15 as baseline 2014-15 為基線）); None otherwise. The English closes as it opened, the Chinese opens as
    it closes: the layout adds them as furniture (layout/elements.py paragraph)."""
    def outermost_unmatched(text: str, opening: bool) -> str | None:
        pushes, pops = (BRACKET_PAIRS, BRACKET_PAIRS.values()) if opening else (BRACKET_PAIRS.values(), BRACKET_PAIRS)
        stack: list[str] = []
        for c in (text if opening else reversed(text)):
            if c in pushes:
                stack.append(c)
            elif c in pops and stack:
                stack.pop()
        return stack[0] if stack else None

    opener, closer = outermost_unmatched(en, True), outermost_unmatched(zh, False)
    if opener is None or closer is None:
        return None
    return BRACKET_PAIRS[opener], next(o for o, c in BRACKET_PAIRS.items() if c == closer)
