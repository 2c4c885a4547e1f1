"""Work the text setter and the page layout do not redo (issue 28, the 200-page edition with nothing cached): each
shortcut gives what the work it saves would have given, and a change of its input is not served from it."""
from __future__ import annotations

from highlight.text import Span, TextSetter


class _CountingMemo(dict):
    """A memo that counts the lookups the setter makes (a stored memo digests the key at each)."""

    def __init__(self):
        super().__init__()
        self.asked = 0

    def get(self, key, default=None):
        self.asked += 1
        return super().get(key, default)


def test_a_paragraph_set_again_in_one_build_is_not_looked_up_again(setter_and_style):
    """A frame filled again (a trial, a copyfit step) sets the same paragraph at the same width: the lines come back
    without asking the memo again (a stored memo digests the whole key at each lookup: 21,000 of a 200-page
    build's 36,000 digests), equal to what setting it afresh gives; another width or another text is asked for."""
    fonts_setter, layout = setter_and_style
    style = layout.style("body", "en")
    memo = _CountingMemo()
    setter = TextSetter(fonts_setter.fonts, memo=memo)
    text = "Research funding reached a record high, with partners in industry across the region."

    first = setter.set([Span(text, style)], 120.0, "justify")
    again = setter.set([Span(text, style)], 120.0, "justify")  # equal spans, other objects
    assert memo.asked == 1 and setter.fresh == 1
    fresh = TextSetter(fonts_setter.fonts).set([Span(text, style)], 120.0, "justify")
    assert first == again == fresh

    narrower = setter.set([Span(text, style)], 90.0, "justify")
    other = setter.set([Span(text.replace("record", "new"), style)], 120.0, "justify")
    assert memo.asked == 3 and setter.fresh == 3
    assert narrower == TextSetter(fonts_setter.fonts).set([Span(text, style)], 90.0, "justify") != first
    assert other != first

    setter.used = {}  # a new build (build.py clears what the last one used): the memo is asked again
    assert setter.set([Span(text, style)], 120.0, "justify") == first
    assert memo.asked == 4 and setter.fresh == 3
