"""What a character is, for every layer: CJK or not (the fonts' coverage check and the line breaker ask)."""
from __future__ import annotations

import functools


@functools.lru_cache(maxsize=8192)
def is_cjk(char: str) -> bool:
    """A character of the CJK blocks: radicals to ideographs, compatibility forms, full-width forms."""
    cp = ord(char)
    return (0x2E80 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0xFE30 <= cp <= 0xFE4F
            or 0xFF00 <= cp <= 0xFFEF or 0x20000 <= cp <= 0x3FFFF)
