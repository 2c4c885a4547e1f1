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


def test_a_trial_asking_whether_a_page_is_too_full_says_what_the_whole_placement_says(monkeypatch, tmp_path):
    """The engine asks again and again whether a page is too full (too_full, relaxed): placement.place_frames with
    `judge` stops before giving out spare height (a larger step, the space above the frames anchored to the foot,
    what neither takes), which changes neither the overflow nor the grid. Every judged trial of 2022-23's,
    edition-b's and the longer copy's pages, and each on feet up to eight grid steps higher, relaxed or not,
    overflows and leaves the grid exactly where the whole placement does."""
    import os

    from conftest import EDITION, ROOT, longer_copy

    from highlight.build import load_inputs
    from highlight.diagnostics import Diagnostics
    from highlight.layout import engine, placement
    from highlight.layout.engine import layout_edition

    real = placement.place_frames
    judged: list = []

    def place_frames(layout, template, order, filled, body_top, body_bottom, *args, judge=False, **kwargs):
        if judge:  # (and on feet higher by up to eight grid steps: pages that close their gaps, leave the grid, overflow)
            grid = layout.geometry.grid.baseline_pt
            for foot in (body_bottom - k * grid for k in (0, 0.4, 1, 1.7, 3, 5, 8)):
                for relax in (False, True):
                    both = [real(layout, template, order, filled, body_top, foot, *args, **{**kwargs, "relax": relax},
                                 judge=judged) for judged in (True, False)]
                    judged.append(tuple((placement.overflows(template, order, filled, p.tops, foot), p.off_grid)
                                        for p in both))
        return real(layout, template, order, filled, body_top, body_bottom, *args, judge=judge, **kwargs)

    monkeypatch.setattr(engine, "place_frames", place_frames)
    for folder in (EDITION, os.path.join(ROOT, "tests", "fixtures", "edition-b"), longer_copy(tmp_path)):
        edition, layout, _ = load_inputs(folder, Diagnostics())
        layout_edition(edition, layout, TextSetter(_fonts(edition, layout)), Diagnostics())
    assert len(judged) > 500 and {whole for _, whole in judged} == {(False, False), (True, False), (False, True)}
    assert all(made == whole for made, whole in judged)


def test_what_a_frames_items_measure_is_kept_only_for_the_same_items_and_layout(monkeypatch):
    """A page's placements (its trials, then the one it keeps) measure each frame's items (first baseline, ink, whether
    a box's edge is its first ink under a held step) once while the same items stand in it (place_frames' `measured`,
    kept by the very items; the box edge by layout: letters_step gives a figure's box step back). Every placement of
    2022-23's and edition-b's pages, and each again with a figure's box step given back, is the one measured afresh."""
    import os
    from dataclasses import replace

    from conftest import EDITION, ROOT

    from highlight.build import load_inputs
    from highlight.diagnostics import Diagnostics
    from highlight.layout import engine, placement
    from highlight.layout.engine import layout_edition

    real = placement.place_frames
    compared: list = []

    def place_frames(layout, *args, measured=None, **kwargs):
        made = real(layout, *args, measured=measured, **kwargs)
        assert measured, "the engine keeps no measures"
        quiet = (*args[:-1], Diagnostics())  # (the engine's own placement reports to the page's diagnostics)
        assert made == real(layout, *quiet, **kwargs)
        given = replace(layout, geometry=replace(layout.geometry, elements=replace(
            layout.geometry.elements, figure_box_step=not layout.geometry.elements.figure_box_step)))
        other = real(given, *quiet, measured=measured, **kwargs)
        assert other == real(given, *quiet, **kwargs)
        compared.append(other != made)
        return made

    monkeypatch.setattr(engine, "place_frames", place_frames)
    for folder in (EDITION, os.path.join(ROOT, "tests", "fixtures", "edition-b")):
        edition, layout, _ = load_inputs(folder, Diagnostics())
        layout_edition(edition, layout, TextSetter(_fonts(edition, layout)), Diagnostics())
    assert len(compared) > 50 and any(compared)


def test_a_pages_placement_is_its_last_trial_only_while_nothing_is_filled_again(monkeypatch):
    """A page's whole placement on trial (open_rows' room) is kept until a frame is filled again: asked again (the
    next turn's room, whether the page is too full) or by the page's own placement (PageLayouter._placed) with the
    same relax and foot, it is not placed again. Every trial of 2022-23's and edition-b's pages equals the frames
    placed afresh as they then stand, and the pages and what the layout says are those of placing every time."""
    import os

    from conftest import EDITION, ROOT

    from highlight.build import load_inputs
    from highlight.diagnostics import Diagnostics
    from highlight.layout import engine, placement

    placed: list = []
    real_place = placement.place_frames
    monkeypatch.setattr(engine, "place_frames", lambda *a, **k: placed.append(1) or real_place(*a, **k))
    real_trial = engine._PageFrames.trial
    trials: list = []

    def trial(self, relax=False, foot_pt=0.0, judge=False):
        made = real_trial(self, relax, foot_pt, judge)
        page = self.page
        fresh = real_place(self.layout, self.template, self.order, self.filled, self.body_top, self.body_bottom,
                           page.ref, page.number, Diagnostics(), relax=relax, foot_pt=foot_pt)
        if judge:
            trials.append(self.overflows(made) == self.overflows(fresh) and made.off_grid == fresh.off_grid)
        else:
            trials.append(made == fresh)
        return made

    real_placement = engine._PageFrames.placement

    def placement(self, relax, foot_pt):
        made = real_placement(self, relax, foot_pt)
        page = self.page
        trials.append(made == real_place(self.layout, self.template, self.order, self.filled, self.body_top,
                                         self.body_bottom, page.ref, page.number, Diagnostics(), relax=relax,
                                         foot_pt=foot_pt))
        return made

    monkeypatch.setattr(engine._PageFrames, "trial", trial)
    monkeypatch.setattr(engine._PageFrames, "placement", placement)
    folders = (EDITION, os.path.join(ROOT, "tests", "fixtures", "edition-b"))
    inputs = [load_inputs(folder, Diagnostics())[:2] for folder in folders]
    fonts = [_fonts(edition, layout) for edition, layout in inputs]
    kept = [_laid_out(edition, layout, f) for (edition, layout), f in zip(inputs, fonts, strict=True)]
    assert len(trials) > 50 and all(trials)
    kept_placed = len(placed) - len(trials)  # (the test's own fresh placements left out)

    monkeypatch.setattr(engine._PageFrames, "trial", real_trial)
    monkeypatch.setattr(engine._PageFrames, "placement", real_placement)
    monkeypatch.setattr(engine._PageFrames, "placed", property(lambda self: None, lambda self, value: None),
                        raising=False)
    placed.clear()
    fresh = [_laid_out(edition, layout, f) for (edition, layout), f in zip(inputs, fonts, strict=True)]
    assert kept == fresh and kept_placed < len(placed)


def test_a_pages_first_frames_laid_out_again_on_another_foot_are_a_copy(monkeypatch):
    """A page laid out again on another foot (its footnotes on one grid, or after its quiet trial) takes its frames as
    first filled (first_fill, level_heads, hang_codes: what no foot changes) from the page's fills, a copy: what the
    remedies then change (frames filled again, widened, padded, rings) never reaches the frames kept. The pages and
    diagnostics are those of filling every time (test_a_frame_filled_again_with_the_same_inputs_is_taken_…)."""
    import os

    from conftest import EDITION, ROOT

    from highlight.build import load_inputs
    from highlight.diagnostics import Diagnostics
    from highlight.layout import fill

    kept: list = []  # (the frames kept, what they held when kept)
    real = fill.FillMemo.taken

    def state(frames) -> dict:
        return {name: (dict(value) if isinstance(value, dict) else set(value) if isinstance(value, set) else value)
                for name, value in vars(frames).items() if name != "measured"}  # (what items measure: shared)

    def taken(self, ctx, parts, make):
        made = real(self, ctx, parts, make)
        if parts[0] == "first frames" and not any(frames is made for frames, _ in kept):
            kept.append((made, state(made)))
        return made

    monkeypatch.setattr(fill.FillMemo, "taken", taken)
    for folder in (EDITION, os.path.join(ROOT, "tests", "fixtures", "edition-b")):
        edition, layout, _ = load_inputs(folder, Diagnostics())
        _laid_out(edition, layout, _fonts(edition, layout))
    assert len(kept) >= 16
    for frames, held in kept:
        assert state(frames) == held, f"page {frames.page.number}'s first frames changed after they were kept"


def test_laying_out_leaves_no_cycle_behind():
    """A build process runs without the cyclic garbage collector (cli.py), so what a page's layout keeps (its fills,
    its first frames) must be freed by reference counts alone: a kept frames object holding its layouter or its
    context (which hold the page's fills, which hold it) kept every page's fills in memory (7164f28: the 200-page
    edition's peak 135 -> 170 MB). Laying out 2022-23 leaves no layouter, fills or frames to the collector."""
    import gc

    from conftest import EDITION

    from highlight.build import load_inputs
    from highlight.diagnostics import Diagnostics
    from highlight.layout import engine, fill

    edition, layout, _ = load_inputs(EDITION, Diagnostics())
    fonts = _fonts(edition, layout)
    gc.collect()
    gc.disable()
    try:
        gc.set_debug(gc.DEBUG_SAVEALL)
        _laid_out(edition, layout, fonts)
        gc.collect()
        left = [o for o in gc.garbage if isinstance(o, (engine.PageLayouter, engine._PageFrames, fill.FillMemo))]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert not left, f"{len(left)} layouters, fills or frames left to the cyclic collector"


def test_a_frames_ink_merged_leaves_the_same_bands_without_ink():
    """A placement measures the bands without ink (its held gaps, its loose steps) from each frame's ink merged
    (placement._merged: the fewest spans reaching what they reach), shifted to the frame's top: the bands are those
    of every span, wherever the frame stands and whatever the band's top and foot (random spans, touching, nested,
    of no height)."""
    import random

    from highlight.layout.items import empty_bands
    from highlight.layout.placement import _merged

    rng = random.Random(28)
    for _ in range(3000):
        spans = []
        for _ in range(rng.randint(0, 12)):
            a = rng.choice([rng.uniform(0, 100), float(rng.randint(0, 20) * 5)])
            spans.append((a, a + rng.choice([0.0, 5.0, rng.uniform(0, 30)])))
        merged = _merged(spans)
        assert merged == sorted(merged) and all(b1 < a2 for (_, b1), (a2, _) in pairwise(merged))
        top = rng.uniform(-20, 200)
        start, foot = sorted((rng.uniform(-20, 400), rng.uniform(-20, 400)))
        assert empty_bands([(a + top, b + top) for a, b in merged], start, foot) == \
            empty_bands([(a + top, b + top) for a, b in spans], start, foot)


def test_a_text_with_nothing_to_normalise_is_not_copied():
    """An edition's typographic normalisation (edition.yaml typography:) copies only what it changes: a page of 2022-23
    with nothing to normalise in one of its texts keeps that text (and so each element and block of such texts)
    itself, where every text was copied (8,876 dataclasses.replace in the 200-page edition); a text it changes is
    changed."""
    from conftest import EDITION

    from highlight.build import load_inputs
    from highlight.content import _normalised
    from highlight.diagnostics import Diagnostics
    from highlight.model import Text

    edition, _, _ = load_inputs(EDITION, Diagnostics())
    typography = edition.typography
    assert typography is not None and typography.en_dash
    same = Text(None, en="HKUST opened", zh="香港科技大學")  # type: ignore[arg-type]
    assert _normalised(same, typography) is same
    dashed = Text(None, en="from 2022-23 on")  # type: ignore[arg-type]
    assert _normalised(dashed, typography).en == "from 2022\u201323 on"
    kept = [e for page in edition.pages for b in page.blocks for e in b.elements]
    assert kept and any(_normalised(e, typography) is e for e in kept)


def _fonts(edition, layout):
    from conftest import EDITION

    from highlight.build import characters_used, find_project
    from highlight.diagnostics import Diagnostics
    from highlight.fonts import load_manifest, prepare_fonts

    project = find_project(EDITION)
    diags = Diagnostics()
    manifest = load_manifest(f"{project}/fonts/fonts.yaml", diags)
    return prepare_fonts(manifest, set(characters_used(edition, layout)), diags, f"{project}/.cache/fonts")


def _laid_out(edition, layout, fonts):
    """Every page of the edition laid out afresh (a new setter: no line memo), and what the layout said."""
    from highlight.diagnostics import Diagnostics
    from highlight.layout.engine import layout_edition

    diags = Diagnostics()
    pages = layout_edition(edition, layout, TextSetter(fonts), diags)
    return pages, [(d.severity, d.code, d.message, d.source, d.hint, d.page) for d in diags.items]


def test_a_frame_filled_again_with_the_same_inputs_is_taken_and_equals_the_fill(monkeypatch):
    """A page fills a frame again with the same inputs (its footnotes on each language's leading and on one grid, the
    quiet trial before the body, a remedy tried and undone): the fill is taken from the page's fills (fill.FillMemo),
    its items, holes and what it said given again; so are its footnotes, set for each trial, and each element set at
    a width (FillMemo.laid). The pages and diagnostics are those of filling and setting every time."""
    from conftest import EDITION

    from highlight.build import load_inputs
    from highlight.diagnostics import Diagnostics
    from highlight.layout import fill

    edition, layout, _ = load_inputs(EDITION, Diagnostics())
    fonts = _fonts(edition, layout)
    monkeypatch.setattr(fill, "FILL_COUNTS", {})
    taken, taken_said = _laid_out(edition, layout, fonts)
    asked, made = (sum(counts[k] for counts in fill.FILL_COUNTS.values()) for k in (0, 1))
    assert made < asked, "no frame fill was taken"
    assert any(c[1] < c[0] for p, c in fill.FILL_COUNTS.items() if p == 4)  # (page 4: a step of its rows undone)

    monkeypatch.setattr(fill.FillMemo, "get", lambda self, key: None)  # every fill made, the footnotes set every time
    monkeypatch.setattr(fill.FillMemo, "taken", lambda self, ctx, parts, make: make(ctx))
    monkeypatch.setattr(fill.FillMemo, "laid", lambda self, setting, ctx, *args: fill.reading_measure(ctx, *args))
    monkeypatch.setattr(fill, "FILL_COUNTS", {})
    filled, filled_said = _laid_out(edition, layout, fonts)
    assert all(made == asked for asked, made in fill.FILL_COUNTS.values())
    assert taken == filled
    assert taken_said == filled_said and any(code == "qr-placeholder" for _, code, *_ in taken_said)


def test_a_fill_is_taken_only_for_the_very_same_inputs():
    """The key of a frame fill holds everything the fill reads: each field of its context (but where its diagnostics
    go), each field of the frame, its elements, position, measure, row tops, whether holes are asked and its lead;
    another layout is another key, another setter or page empties the page's fills. Where the diagnostics go does
    not change the key."""
    from dataclasses import fields, replace

    from conftest import EDITION

    from highlight.build import load_inputs
    from highlight.diagnostics import Diagnostics
    from highlight.layout.engine import PageLayouter
    from highlight.layout.fill import FILL_COUNTS, FillMemo, fill_frame

    edition, layout, _ = load_inputs(EDITION, Diagnostics())
    page = next(p for p in edition.pages if p.number == 5)
    template = layout.templates[page.template]
    block = next(b for b in page.blocks if len(b.elements) > 1)
    frame = template.frames[block.frame]
    setter = TextSetter(_fonts(edition, layout))
    ctx = PageLayouter(layout, setter, Diagnostics()).context(5).but(frame=block.frame)
    memo = ctx.fills
    assert isinstance(memo, FillMemo)
    args = (frame, block.elements, 30.0, 0.0, 200.0, None, True, None)
    key = memo.key(ctx, *args)
    assert key is not None and memo.key(ctx.but(diags=Diagnostics()), *args) == key

    other = object()  # (a value equal to no field's)
    for name in (f.name for f in fields(ctx) if f.name not in ("diags", "fills", "layout", "setter")):
        assert memo.key(replace(ctx, **{name: other}), *args) != key, f"the context's {name} is not in the key"
    for name in (f.name for f in fields(frame)):
        assert memo.key(ctx, replace(frame, **{name: other}), *args[1:]) != key, f"the frame's {name} is not in the key"
    wider = replace(layout, geometry=replace(layout.geometry, elements=replace(
        layout.geometry.elements, row_gap_mm=layout.geometry.elements.row_gap_mm + 1)))
    assert memo.key(ctx.but(layout=wider), *args) != key, "the layout (its row gap) is not in the key"
    variants = [block.elements[:-1], 31.0, 1.0, 201.0, [12.0], False, block.elements[0]]
    for k, variant in enumerate(variants, start=1):
        assert memo.key(ctx, *args[:k], variant, *args[k + 1:]) != key, f"argument {k} of the fill is not in the key"

    # Filled once; the same fill again is taken; another page, layout or setter is filled afresh (the first context
    # again after another setter is filled again: another setter or page empties the page's fills).
    def filled(context) -> tuple:
        out, holes = [], []
        used, started = fill_frame(context, frame, block.elements, 30.0, 0.0, 200.0, out, None, holes)
        return used, started, out, holes

    FILL_COUNTS.clear()
    first = filled(ctx)
    assert filled(ctx.but(diags=Diagnostics())) == first and FILL_COUNTS[5] == [2, 1]
    for context in (ctx.but(page=6), ctx.but(layout=replace(layout)), ctx.but(setter=TextSetter(setter.fonts)), ctx):
        filled(context)
    assert FILL_COUNTS[5] == [5, 4] and FILL_COUNTS[6] == [1, 1]


def test_an_elements_setting_is_taken_only_for_the_same_inputs():
    """A frame filled again (on other row tops, its row gap opened a grid step at a time, its cells on other columns)
    sets each element at a width once while its page is laid out (fill.FillMemo.laid): the key holds every field of
    the context but where its diagnostics go, every field of the frame, every part of the layout (its element
    measures by value) but the row gap and a figure's box step (FILL_ONLY: fill_frame and placement read them), the
    element and the width. A piece taken is a copy (fill_frame moves a piece's anchor) and equals the element set
    afresh."""
    from dataclasses import fields, replace

    from conftest import EDITION

    from highlight.build import load_inputs
    from highlight.content import Breakdown
    from highlight.diagnostics import Diagnostics
    from highlight.layout.engine import PageLayouter
    from highlight.layout.fill import FILL_ONLY, reading_measure
    from highlight.layout_spec import Layout

    edition, layout, _ = load_inputs(EDITION, Diagnostics())
    page = next(p for p in edition.pages if any(isinstance(e, Breakdown) for b in p.blocks for e in b.elements))
    block = next(b for b in page.blocks if any(isinstance(e, Breakdown) for e in b.elements))
    chart = next(e for e in block.elements if isinstance(e, Breakdown))
    frame = layout.templates[page.template].frames[block.frame]
    ctx = PageLayouter(layout, TextSetter(_fonts(edition, layout)), Diagnostics()).context(page.number)
    ctx = ctx.but(frame=block.frame)
    memo = ctx.fills
    key = memo.setting(ctx, frame)
    assert key is not None and memo.setting(ctx.but(diags=Diagnostics()), frame) == key

    other = object()  # (a value equal to no field's)
    for name in (f.name for f in fields(ctx) if f.name not in ("diags", "fills", "layout", "setter")):
        assert memo.setting(replace(ctx, **{name: other}), frame) != key, f"the context's {name} is not in the key"
    for name in (f.name for f in fields(frame)):
        assert memo.setting(ctx, replace(frame, **{name: other})) != key, f"the frame's {name} is not in the key"
    g, m = layout.geometry, layout.geometry.elements
    for name in (f.name for f in fields(Layout) if f.name != "geometry"):
        assert memo.setting(ctx.but(layout=replace(layout, **{name: other})), frame) != key, f"layout.{name}"
    for name in (f.name for f in fields(g) if f.name != "elements"):
        assert memo.setting(ctx.but(layout=replace(layout, geometry=replace(g, **{name: other}))), frame) != key, \
            f"layout.geometry.{name} is not in the key"
    for name in (f.name for f in fields(m)):
        changed = ctx.but(layout=replace(layout, geometry=replace(g, elements=replace(m, **{name: other}))))
        assert (memo.setting(changed, frame) == key) is (name in FILL_ONLY), f"the element measures' {name}"

    column = layout.column_x_pt(1, 1)[1]

    def laid(context, width=240.0):
        return memo.laid(memo.setting(context, frame), context, chart, width, frame, column)

    def fresh(context, width=240.0):
        return reading_measure(context.but(fills=None), chart, width, frame, column)

    first = laid(ctx)
    assert first == fresh(ctx)
    count = len(memo.made)
    first[0].anchor_pt = -1.0
    first[0].primary.clear()
    assert laid(ctx.but(diags=Diagnostics())) == fresh(ctx) and len(memo.made) == count  # taken, a copy
    gap = ctx.but(layout=replace(layout, geometry=replace(g, elements=replace(m, row_gap_mm=m.row_gap_mm + 5))))
    assert laid(gap) == fresh(gap) == fresh(ctx) and len(memo.made) == count  # (the row gap: taken)
    ring = ctx.but(layout=replace(layout, geometry=replace(g, elements=replace(m, ring_radius_mm=m.ring_radius_mm - 6))))
    assert laid(ring) == fresh(ring) != fresh(ctx) and len(memo.made) == count + 1
    assert laid(ctx, 200.0) == fresh(ctx, 200.0) != fresh(ctx) and len(memo.made) == count + 2


def test_no_element_is_set_by_what_its_key_leaves_out(monkeypatch):
    """An element's setting taken from the page's fills (FillMemo.laid) is keyed by every element measure but FILL_ONLY
    (the row gap, a figure's box step): no element of 2022-23 or edition-b reads them while it is set (while
    reading_measure runs), on any trial of any page (the measures read are recorded: a ring's radius is)."""
    import os
    from dataclasses import fields, replace

    from conftest import EDITION, ROOT

    from highlight.build import load_inputs
    from highlight.diagnostics import Diagnostics
    from highlight.layout import fill
    from highlight.layout.engine import layout_edition
    from highlight.layout_spec import ElementMeasures

    setting: list = []  # (inside reading_measure)
    read: set = set()

    class Recording(ElementMeasures):
        def __getattribute__(self, name):
            if setting:
                read.add(name)
            return object.__getattribute__(self, name)

    real = fill.reading_measure

    def reading_measure(*args):
        setting.append(True)
        try:
            return real(*args)
        finally:
            setting.pop()

    monkeypatch.setattr(fill, "reading_measure", reading_measure)
    for folder in (EDITION, os.path.join(ROOT, "tests", "fixtures", "edition-b")):
        edition, layout, _ = load_inputs(folder, Diagnostics())
        m = layout.geometry.elements
        recording = Recording(**{f.name: getattr(m, f.name) for f in fields(m)})
        layout = replace(layout, geometry=replace(layout.geometry, elements=recording))
        layout_edition(edition, layout, TextSetter(_fonts(edition, layout)), Diagnostics())
    assert {"ring_radius_mm", "band_gap_pt", "rank_words_min_em"} <= read  # (a rank column is its context's: rank_column_pt)
    assert not read & set(fill.FILL_ONLY)


def test_a_pages_footnotes_are_set_once_for_each_grid_and_measure(monkeypatch):
    """A page asks for its footnotes at each trial of its body (where the notes start, on each language's leading
    and on one grid): furniture.footnotes sets them once for a context, page, measure and columns while the page is
    laid out, the same items and diagnostics given again; another measure, columns, page or context is set afresh."""
    from conftest import EDITION

    from highlight.build import load_inputs
    from highlight.diagnostics import Diagnostics
    from highlight.layout import furniture
    from highlight.layout.engine import SHARED_FOOTNOTE, PageLayouter

    edition, layout, _ = load_inputs(EDITION, Diagnostics())
    page = next(p for p in edition.pages if p.footnotes)
    set_: list = []
    real = furniture._footnotes
    monkeypatch.setattr(furniture, "_footnotes", lambda *a: set_.append(a[1:]) or real(*a))
    ctx = PageLayouter(layout, TextSetter(_fonts(edition, layout)), Diagnostics()).context(page.number)
    fresh = real(ctx.but(fills=None), page, 480.0, (1, 5))
    first = furniture.footnotes(ctx, page, 480.0, (1, 5))
    quiet = ctx.but(diags=Diagnostics())
    assert furniture.footnotes(quiet, page, 480.0, (1, 5)) == first == fresh and len(set_) == 1
    for other in [(ctx, page, 470.0, (1, 5)), (ctx, page, 480.0, (1, 7)),
                  (ctx.but(substitutes={"footnote": SHARED_FOOTNOTE}), page, 480.0, (1, 5)),
                  (ctx, next(p for p in edition.pages if p.footnotes and p is not page), 480.0, (1, 5))]:
        count = len(set_)
        assert furniture.footnotes(*other) == real(other[0].but(fills=None), *other[1:])
        assert len(set_) == count + 1


def test_a_pages_footnotes_are_set_once_on_each_choice_of_their_columns(monkeypatch):
    """A page's footnotes are set on each grid column their Chinese may start on (the shortest kept): the notes of the
    shortest are those set then, what that said said, not set once more (furniture._footnotes set the chosen one
    again: a fourth of the footnotes' work). The same items, height and diagnostics as setting the chosen one afresh."""
    from conftest import EDITION

    from highlight.build import load_inputs
    from highlight.diagnostics import Diagnostics
    from highlight.layout import furniture
    from highlight.layout.engine import PageLayouter

    edition, layout, _ = load_inputs(EDITION, Diagnostics())
    page = next(p for p in edition.pages if p.footnotes)
    ctx = PageLayouter(layout, TextSetter(_fonts(edition, layout)), Diagnostics()).context(page.number).but(fills=None)
    asked: list = []
    real = furniture._notes
    monkeypatch.setattr(furniture, "_notes", lambda *a: asked.append(a[3]) or real(*a))
    items, height = furniture._footnotes(ctx, page, 480.0, (1, 5, 6, 7, 8))
    assert len(asked) >= 3 and len(asked) == len(set(asked)), "a choice of columns set twice"
    heights = {english: real(ctx.but(diags=Diagnostics()), page, 480.0, english)[1] for english in asked}
    chosen = min(asked, key=lambda english: heights[english])
    alone = Diagnostics()
    assert (items, height) == real(ctx.but(diags=alone), page, 480.0, chosen)
    assert [d.message for d in ctx.diags.items] == [d.message for d in alone.items]


def test_a_context_but_a_change_is_what_replace_gives_without_its_init(monkeypatch):
    """FrameContext.but (21,700 contexts in the 200-page edition) copies the fields instead of calling the frozen
    __init__ through dataclasses.replace: for a change of each field the context equals replace's, field for field
    (the page's fills too), the original is unchanged, and an unknown name is replace's TypeError."""
    from dataclasses import fields, replace

    import pytest

    from highlight.diagnostics import Diagnostics
    from highlight.layout.stacking import FrameContext

    ctx = FrameContext(object(), object(), Diagnostics(), 3, "body", fills=object())
    inits: list = []
    real = FrameContext.__init__
    monkeypatch.setattr(FrameContext, "__init__", lambda self, *a, **k: inits.append(1) or real(self, *a, **k))
    for f in fields(FrameContext):
        value = object()
        made = ctx.but(**{f.name: value})
        expected = replace(ctx, **{f.name: value})
        assert type(made) is FrameContext and all(getattr(made, g.name) is getattr(expected, g.name)
                                                  for g in fields(FrameContext))
        assert getattr(ctx, f.name) is not value
    assert len(inits) == len(fields(FrameContext))  # (replace's, not but's)
    with pytest.raises(TypeError):
        ctx.but(colour="red")



def test_the_page_models_own_inits_are_the_ones_dataclasses_would_make():
    """TextLine's, Line's and GlyphRun's own __init__ (issue 28: the 200-page edition makes 100,000 lines stacked and
    moved, 45,000 runs) take the fields' names, order and defaults and set them in their order, as the frozen
    __init__ dataclasses writes: each compared with a twin class that has the written one (this test failed with a
    field added to a class and not to its __init__)."""
    import dataclasses
    import inspect
    import pickle
    import tracemalloc

    from highlight.layout.items import TextLine
    from highlight.text import GlyphRun, Line

    for cls, values in ((TextLine, (1.5, 2.5, "line", "ref", "frame", "zh")),
                        (Line, ((), 100.0, 90.0, 12.0, 9.0, 3.0, False, False)),
                        (GlyphRun, (1.0, "ab", "F1", 9.0, 0.0, "black", 0.0, 8.5))):
        fields = dataclasses.fields(cls)
        slots = "__slots__" in cls.__dict__
        twin = dataclasses.make_dataclass(cls.__name__, [(f.name, f.type, f) for f in fields], frozen=True,
                                          slots=slots)
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]
        assert [(p.name, p.default) for p in params] == \
            [(p.name, p.default) for p in inspect.signature(twin.__init__).parameters.values()][1:], cls
        for made, written in ((cls(*values), twin(*values)),
                              (cls(*values, *(f.default for f in fields[len(values):])),
                               twin(*values, *(f.default for f in fields[len(values):])))):
            if slots:
                assert [getattr(made, f.name) for f in fields] == [getattr(written, f.name) for f in fields]
            else:
                assert list(made.__dict__.items()) == list(written.__dict__.items())
            assert pickle.loads(pickle.dumps(made)) == made and hash(made) == hash(cls(*values))
            try:
                setattr(made, fields[0].name, 0.0)
            except dataclasses.FrozenInstanceError:
                pass
            else:
                raise AssertionError(f"a {cls.__name__} is frozen")
        # …and as small: instances whose fields share their keys (set one by one in order, not by one dict update,
        # which made a TextLine 190 bytes larger and the 200-page edition's peak 7 MB higher: this test failed then)
        sizes = []
        for make in (cls, twin):
            tracemalloc.start()
            kept = [make(*values) for _ in range(2000)]
            sizes.append(tracemalloc.get_traced_memory()[0] / len(kept))
            tracemalloc.stop()
        assert sizes[0] <= sizes[1] * 1.05, (cls, sizes)
