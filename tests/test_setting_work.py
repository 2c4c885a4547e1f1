"""Work the text setter and the page layout do not redo (issue 28, the 200-page edition with nothing cached): each
shortcut gives what the work it saves would have given, and a change of its input is not served from it."""
from __future__ import annotations

from itertools import pairwise

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


def test_a_lines_ink_is_measured_once_and_another_line_has_its_own(setter_and_style, monkeypatch):
    """Every placement trial of a page measures the ink of each of its lines (46,000 times for 7,000 lines in the
    200-page edition): a line, the very object the setter gave, is measured once; an equal line (another object)
    and another line are measured for themselves, and every answer is the measurement's."""
    from highlight.layout import items

    setter, layout = setter_and_style
    style = layout.style("body", "en")
    measured: list = []
    real = items._measured_ink
    monkeypatch.setattr(items, "_measured_ink", lambda line: measured.append(line) or real(line))
    monkeypatch.setattr(items, "_INK", {})
    low = TextSetter(setter.fonts).set([Span("a rare gypsy query", style)], 300.0)[0]
    high = TextSetter(setter.fonts).set([Span("a new MEMO", style)], 300.0)[0]
    assert items._ink_extent(low) == items._ink_extent(low) == real(low)
    assert len(measured) == 1
    assert items._ink_extent(high) == real(high) != real(low)  # (no descender: its ink reaches less far down)
    equal = TextSetter(setter.fonts).set([Span("a rare gypsy query", style)], 300.0)[0]
    assert equal == low and equal is not low
    assert items._ink_extent(equal) == real(low) and len(measured) == 3


def test_a_placement_is_judged_once_until_a_frame_changes(monkeypatch):
    """Laying out a page places its frames on trial again and again (is it too full? which step leaves no hole?):
    a trial with no frame filled since the last is not placed again, and within a placement the tallest band
    without ink of one arrangement of the frames is not measured twice. Every page comes out as before
    (tests/expected holds the page model; the 200-page edition's PDF is byte-identical)."""
    from conftest import EDITION

    from highlight.build import load_inputs
    from highlight.diagnostics import Diagnostics
    from highlight.layout import engine, placement
    from highlight.layout.engine import layout_edition

    edition, layout, _ = load_inputs(EDITION, Diagnostics())
    placed: list = []  # per placement: the (spans, top, bottom) of every band measure
    real_place, real_bands = placement.place_frames, placement.empty_bands

    def place_frames(layout, template, order, filled, *args, **kwargs):
        trial = kwargs.get("relax") is None and len(args) == 5 and not args[4].items  # too_full's quiet trial
        placed.append(((trial, {n: (entry[2], id(entry[3])) for n, entry in filled.items()}, kwargs.get("foot_pt")),
                       []))
        return real_place(layout, template, order, filled, *args, **kwargs)

    def empty_bands(spans, top, bottom):
        placed[-1][1].append((tuple(spans), top, bottom))
        return real_bands(spans, top, bottom)

    monkeypatch.setattr(engine, "place_frames", place_frames)
    monkeypatch.setattr(placement, "empty_bands", empty_bands)
    layout_edition(edition, layout, TextSetter(_fonts(edition, layout)), Diagnostics())
    assert placed
    for (before, _), (after, _) in pairwise(placed):
        # (the same question: the same frames as filled, and the same foot; a trial measuring the page's room under
        # the ink at its foot asks another than whether it is too full)
        assert not (before[0] and after[0] and before[1:] == after[1:]), "a trial placed again with nothing refilled"
    for _, measures in placed:
        assert len(measures) == len(set(measures)), "a band measured twice in one placement"


def _fonts(edition, layout):
    from conftest import EDITION

    from highlight.build import characters_used, find_project
    from highlight.diagnostics import Diagnostics
    from highlight.fonts import load_manifest, prepare_fonts

    project = find_project(EDITION)
    diags = Diagnostics()
    manifest = load_manifest(f"{project}/fonts/fonts.yaml", diags)
    return prepare_fonts(manifest, set(characters_used(edition, layout)), diags, f"{project}/.cache/fonts")
