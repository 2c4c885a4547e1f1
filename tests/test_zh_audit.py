"""Chinese setting, round 7 (issue 22, the independent Chinese review of main 863548c): one Han–Latin gap for every
sign a figure carries (# of a rank too), brackets full or exactly half an em, and an audit of every Chinese line break
of both editions and the longer copy: none inside a segmenter's word, a house or edition word, a short quoted title
or a Latin–Han name."""
from __future__ import annotations

from highlight.typography import _glyphs


def _pair_gaps(setter, line, pair: str) -> list[float]:
    """The gaps (em) between the two characters of `pair` wherever they stand side by side in a set line, a typed
    space between them counted as part of the gap."""
    glyphs = [g for g in _glyphs(line, setter.fonts) if not g.char.isspace()]
    return [(b.left_pt - a.right_pt) / max(a.size_pt, b.size_pt) for a, b in zip(glyphs, glyphs[1:])
            if a.char == pair[0] and b.char == pair[1]]


def test_a_rank_sign_takes_the_one_han_latin_gap(zh_setter):
    """Page 4's rankings: 全港 #1、大中華 #5、亞洲 #8 set the typed space before # as a Latin word space (0.26 em
    beside 0.25 for every other figure: 9 such gaps in each edition). # is a sign a figure carries, as $ % + are:
    a quarter em, like 亞洲頂尖 600+ beside it."""
    setter, layout, lines = zh_setter
    for line in lines("工程學科全港 #1、大中華 #5、亞洲 #8，按年上升四位", "rank-note", 30, "left"):
        gaps = _pair_gaps(setter, line, "港#") + _pair_gaps(setter, line, "華#") + _pair_gaps(setter, line, "洲#")
        assert len(gaps) == 3 and all(abs(g - 0.25) < 0.002 for g in gaps), gaps
