"""The typography report: what a bilingual designer checks, counted on every laid-out line.

Per page: runts (a paragraph ending on one or two ideographs, or on one short
English word), loose lines (word spaces stretched past 1.5 × by
justification, or Chinese gaps past 0.15 em), hyphenated lines, compressed
punctuation, rule breaks (a line starting or ending against the line-breaking
rules, a Latin comma or quote against a Chinese character, a typewriter quote
where a typographic one belongs), lines of the
body off the page's baseline grid, frames that overflowed, and underfull space:
a page whose content ends well above its foot (its gaps could stretch no
further, as TeX calls a box underfull) or a fixed-height frame left half empty.

And what a Hong Kong editorial designer sees at a glance, measured on the
glyphs as placed (each glyph's advance from its face, so what is measured is
what the renderer draws): the tallest band across the body with nothing drawn
in it, the text sizes in use, neighbouring ideographs set apart (letter-spaced
Chinese), a break inside a short bracketed phrase, Han next to Latin spaced
other than the one rule, and a footnote marker set apart from its word. Their
limits are layout data (`typography:` in layout/page.yaml).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import wordbreaks
from .diagnostics import Diagnostics, SourceRef, shown
from .layout import Box, LaidOutPage, Picture, QrMark, TextLine
from .layout.items import empty_bands, ink_span, past_measure
from .layout_spec import MM, TypographyLimits
from .model import Callout, Ranking, Stat
from .text import (
    CLOSING_BRACKETS,
    DOUBLED_STROKES,
    NO_LINE_END,
    NO_LINE_START,
    OPENING_BRACKETS,
    is_cjk,
    is_han_latin_pair,
    is_ideograph,
    is_runt,
)

# A Latin comma, stop, colon or quote against a Chinese character, where Chinese takes the full-width one.
LATIN_PUNCTUATION_IN_CHINESE = re.compile(r"(?<=[\u3400-\u9fff])[,.;:!?\"']|[,.;:!?\"'](?=[\u3400-\u9fff])")
# A typewriter quote where the printed source always has a typographic one (’ “ ”).
STRAIGHT_QUOTE = re.compile(r"['\"]")
MAX_SPACE_RATIO = 1.5
MAX_GAP_EM = 0.15
OFF_THE_BODY = ("title-band", "title-note", "folio")  # text not on the body's baseline grid by design


@dataclass
class PageTypography:
    page: int
    ref: SourceRef | None = None
    lines: int = 0
    runts: list = field(default_factory=list)
    loose: list = field(default_factory=list)
    tight: list = field(default_factory=list)  # ideograph gaps closed below solid: the setter never does (DESIGN.md)
    hyphenated: list = field(default_factory=list)
    compressed: int = 0
    hanging: int = 0  # lines whose final ，。、 hangs past the measure
    rule_breaks: list = field(default_factory=list)
    off_grid: list = field(default_factory=list)  # body lines whose baseline misses the baseline grid
    overfull_frames: list = field(default_factory=list)
    underfull: list = field(default_factory=list)  # "page foot: 18.6 mm unfilled", "frame 'x': …"
    empty_band_mm: float = 0.0  # the tallest band across the body with nothing drawn in it
    empty_bands: list = field(default_factory=list)  # bands taller than the limit
    sizes: list = field(default_factory=list)  # distinct text sizes drawn on the page, pt
    size_uses: dict = field(default_factory=dict)  # size -> [runs drawn in it, the first line with it]
    widest_gap_em: float = 0.0  # the widest gap between neighbouring ideographs
    spaced: list = field(default_factory=list)  # lines with ideographs set further apart than the limit
    spaced_pairs: int = 0  # neighbouring ideographs set further apart than the limit
    bracket_breaks: list = field(default_factory=list)  # a line break inside a short bracketed phrase
    han_latin: list = field(default_factory=list)  # Han next to Latin spaced other than the one rule
    detached_markers: list = field(default_factory=list)  # a footnote marker set apart from its word
    fitted: list = field(default_factory=list)  # the design fitting the copy: figure steps, closer gaps, wider frames
    room_choices: str = ""  # the layout's choices for the room its page has left (with an underfull foot)
    panel_edge_mm: float = 0.0  # the most paper between a panel's edge and its first or last ink
    panel_gap_mm: float = 0.0  # the tallest band without ink inside a panel
    block_gap_mm: float | None = None  # the least paper between two blocks (ink or a panel's edge)
    panel_space: list = field(default_factory=list)  # panels past either limit
    row_holes: list = field(default_factory=list)  # rows of cells with a cell shorter than the tallest past the limit
    column_edges: list = field(default_factory=list)  # the page's rows of cells on more column edges than the limit
    edges: int = 0  # the grid columns the page's rows of cells start their cells on (one column structure: few)
    stats: list = field(default_factory=list)  # the stat anatomies and figure sizes in use (anatomy_report)
    word_breaks: list = field(default_factory=list)  # lines breaking inside a Chinese word (wordbreaks.py)
    long_lines: list = field(default_factory=list)  # lines of running text past the reading measure


@dataclass(frozen=True)
class _Glyph:
    char: str
    left_pt: float  # from the line's start
    right_pt: float
    size_pt: float
    marker: bool  # a raised footnote marker


def _glyphs(line, fonts) -> list[_Glyph]:
    """Each character of a line where the renderer draws it: from its run's x, by each glyph's advance
    in its face (runs are split wherever a kern or a gap moves the next glyph, so within a run only the
    tracking lies between glyphs). Without fonts, ideographs are taken as one em and the rest share
    their run's width."""
    out = []
    for run in line.runs:
        if run.artifact:
            continue
        face = fonts.faces.get(run.face) if fonts is not None else None
        x = run.x_pt
        for char in run.text:
            if face is not None:
                width = face.width_pt(char, run.size_pt) * run.scale
            elif is_ideograph(char):
                width = run.size_pt
            else:
                width = run.width_pt / len(run.text) - run.char_space_pt
            out.append(_Glyph(char, x, x + width, run.size_pt, run.rise_pt > 0))
            x += width + run.char_space_pt
    return out


def _line_findings(item: TextLine, fonts, limits: TypographyLimits, counts: PageTypography) -> None:
    """Letter-spaced ideographs, Han–Latin spacing and detached markers on one line."""
    glyphs = _glyphs(item.line, fonts)
    widest = None
    spaced = 0
    least, most = limits.han_latin_gap_em
    for k in range(1, len(glyphs)):
        b = glyphs[k]
        j = k - 1
        while j >= 0 and glyphs[j].char.isspace():
            j -= 1
        if j < 0:
            if b.marker:
                counts.detached_markers.append((item, f"'{b.char}' starts a line, apart from its word"))
            continue
        a, spaced_by = glyphs[j], j < k - 1
        gap_em = (b.left_pt - a.right_pt) / max(a.size_pt, b.size_pt)
        if b.marker and not a.marker and (spaced_by or gap_em > 0.05):
            counts.detached_markers.append((item, f"'{a.char} {b.char}': the marker {gap_em:.2f} em from its word"))
        if a.marker or b.marker:
            continue
        if not spaced_by and is_ideograph(a.char) and is_ideograph(b.char) \
                and not (a.char == b.char and a.char in DOUBLED_STROKES):  # (一一 set apart on purpose: text.py)
            if widest is None or gap_em > widest[0]:
                widest = (gap_em, a.char + b.char)
            spaced += gap_em > limits.max_ideograph_gap_em + 0.001
        elif is_han_latin_pair(a.char, b.char) and not least - 0.01 <= gap_em <= most + 0.01 \
                and not (spaced_by and abs(gap_em - 1.0) <= 0.01):  # (a typed full-width space: a label's languages)
            counts.han_latin.append((item, f"'{a.char}{' ' if spaced_by else ''}{b.char}' {gap_em:.2f} em apart "
                                           f"(the rule: {least:g}–{most:.3g} em)"))
    if widest is not None:
        counts.widest_gap_em = max(counts.widest_gap_em, round(widest[0], 3))
        if spaced:
            counts.spaced_pairs += spaced
            counts.spaced.append((item, f"{spaced} pair(s) up to '{widest[1]}' {widest[0]:.2f} em apart in: "
                                        f"{item.line.text.strip()[:30]}"))


def _bracket_break(before: TextLine, after: TextLine, limit: int) -> str | None:
    """The bracketed phrase a break between two lines of a paragraph falls inside, if it is `limit` or fewer
    characters long."""
    text = before.line.text.rstrip()
    depth = 0
    for at in range(len(text) - 1, -1, -1):
        if text[at] in CLOSING_BRACKETS:
            depth += 1
        elif text[at] in OPENING_BRACKETS:
            if depth:
                depth -= 1
                continue
            following = after.line.text.lstrip()
            close = next((k for k, c in enumerate(following) if c in CLOSING_BRACKETS), None)
            if close is None:
                return None
            inner = text[at + 1:] + following[:close]
            return f"{text[at:]}|{following[:close + 1]}" if len(inner) <= limit else None
    return None


def _empty_bands(page: LaidOutPage) -> list[tuple[float, float]]:
    """Bands across the body (top, bottom) with no ink, from the body's top to its lowest ink (the space below
    that is underfull space, reported as such). Ink as the eye sees it: a panel's tint is not ink, what
    stands on it is (layout.ink_span)."""
    spans = [span for item in page.items if not (isinstance(item, TextLine) and item.frame in OFF_THE_BODY)
             and (span := ink_span(item)) is not None]
    inside = [(a, b) for a, b in spans if b > page.grid_top_pt and a < page.body_bottom_pt]
    if not inside:
        return []
    return empty_bands(inside, page.grid_top_pt, min(page.body_bottom_pt, max(b for _, b in inside)))


def _panel_ink(page: LaidOutPage, panel: Box) -> list[tuple[float, float]]:
    """The vertical extents of the ink standing on a panel."""
    out = []
    for item in page.items:
        span = ink_span(item)
        if span is None or item is panel or span[1] <= panel.y_pt or span[0] >= panel.y_pt + panel.height_pt:
            continue
        x = item.x_pt if isinstance(item, (TextLine, Box, Picture, QrMark)) else \
            getattr(item, "x1_pt", getattr(item, "cx_pt", 0.0))
        if panel.x_pt - 0.5 <= x < panel.x_pt + panel.width_pt:
            out.append(span)
    return out


def _panel_findings(page: LaidOutPage, limits: TypographyLimits, counts: PageTypography) -> None:
    """Per panel: paper between its edge and its first and its last ink, and the tallest band without ink
    inside it, against typography.max_panel_edge_mm and max_panel_gap_mm. Cards of one row (panels side
    by side at one top and height) are as tall as their tallest card: its head and its foot are judged on that one
    (page 3's two stat cards: 75.1% level with 74, under the slot of 74's lead-in, DESIGN.md's figures of a row level)."""
    panels = [i for i in page.items if isinstance(i, Box) and i.panel]
    inks = [_panel_ink(page, panel) for panel in panels]  # each panel's once: a row's foot reads its neighbours'
    for panel, ink in zip(panels, inks):
        first = min((a for a, _ in ink), default=None)
        last = max((b for _, b in ink), default=None)
        if first is None or last is None:
            continue
        row = [(p, p_ink) for p, p_ink in zip(panels, inks)
               if abs(p.y_pt - panel.y_pt) < 0.5 and abs(p.height_pt - panel.height_pt) < 0.5]
        foot = min(panel.y_pt + panel.height_pt - max((b for _, b in p_ink), default=0.0) for p, p_ink in row)
        head = min(min((a for a, _ in p_ink), default=first) - p.y_pt for p, p_ink in row)
        inner = max((b - a for a, b in empty_bands(ink, first, last)), default=0.0)
        counts.panel_edge_mm = max(counts.panel_edge_mm, round(max(head, foot) / MM, 1))
        counts.panel_gap_mm = max(counts.panel_gap_mm, round(inner / MM, 1))
        line = min((i for i in page.items if isinstance(i, TextLine) and i.frame not in OFF_THE_BODY
                    and panel.y_pt <= i.baseline_pt <= panel.y_pt + panel.height_pt
                    and panel.x_pt <= i.x_pt < panel.x_pt + panel.width_pt), key=lambda i: i.baseline_pt, default=None)
        where = (f"the panel {panel.width_pt / MM:.0f} × {panel.height_pt / MM:.0f} mm "
                 f"{(panel.y_pt - page.grid_top_pt) / MM:.0f} mm below the body's top")
        for name, value in (("its head", head), ("its foot", foot)):
            if value > limits.max_panel_edge_mm * MM + 0.01:
                counts.panel_space.append((line, f"{where}: {value / MM:.1f} mm without ink at {name} "
                                                 f"(limit {limits.max_panel_edge_mm:g} mm)"))
        if inner > limits.max_panel_gap_mm * MM + 0.01:
            counts.panel_space.append((line, f"{where}: a band of {inner / MM:.1f} mm without ink inside it "
                                             f"(limit {limits.max_panel_gap_mm:g} mm)"))


def _measure_findings(page: LaidOutPage, limits: TypographyLimits, counts: PageTypography) -> None:
    """The lines of running text past a reader's measure (typography.max_chars_per_line, max_ems_per_line_zh) in a
    text of more than one line (items.past_measure): the layout narrows an element's measure in whole grid columns to
    keep within it (fill.reading_measure), so a line still past it is set where no column could be given (a
    footnote, a frame of one column)."""
    for item, length, most in past_measure([i for i in page.items if isinstance(i, TextLine) and i.frame != "folio"],
                                           limits.max_chars_per_line, limits.max_ems_per_line_zh):
        unit = "ems" if item.lang == "zh" else "characters"
        counts.long_lines.append((item, f"'{shown(item.line.text.strip(), 30)}' runs {length:.0f} {unit} "
                                        f"(limit {most:g})"))


def _deliberate(page: LaidOutPage, band: tuple[float, float], limits: TypographyLimits) -> bool:
    """A space the template declares: above a frame anchored to the foot (a frame field `anchor`, read
    where the layout records it), or on a page whose template the typography limits name."""
    if getattr(page, "template", None) in limits.deliberate_space_templates:
        return True
    declared = page.declared_space_pt  # recorded by the layout: above the frames anchored to the foot
    return declared is not None and band[0] < declared[1] and band[1] > declared[0]  # the ink band around it


def _row_findings(page: LaidOutPage, limits: TypographyLimits, counts: PageTypography) -> None:
    """A row of cells whose shortest cell leaves more paper under it than typography.max_row_hole_mm down to the
    foot of its tallest (designer's review of main: an 85 x 27 mm hole under page 2's HK$13.1M beside its two
    rankings): one finding per row, at the short cell's element."""
    if not limits.max_row_hole_mm:
        return
    for frame in page.frames:
        for row, (hole, element) in enumerate(frame.row_holes, 1):
            if hole > limits.max_row_hole_mm * MM + 0.01:
                counts.row_holes.append((element.ref, f"frame '{frame.name}', row {row}: {hole / MM:.1f} mm of paper "
                                                      f"under this cell beside its row's tallest"))


def column_edges(page: LaidOutPage) -> list[int]:
    """The grid columns the rows of cells of a page start their cells on (its rows of framed tiles too), as the
    page model records them (FrameBox.columns): one column structure a page is few of them."""
    return sorted({c for frame in page.frames for c in frame.columns})


def _column_findings(page: LaidOutPage, limits: TypographyLimits, counts: PageTypography) -> None:
    """A page whose rows of cells start them on more grid columns than typography.max_column_edges (issue 22, round
    12a: page 2's rows on seven column lines, page 5's AI row off its Talent rows'): one finding naming the rows
    and their columns. The rows whose cells follow their content choose the page's columns first, within their
    holes and their figures' room; what is left here is the better composition kept, said."""
    edges = column_edges(page)
    counts.edges = len(edges)
    if not limits.max_column_edges or len(edges) <= limits.max_column_edges:
        return
    rows = "; ".join(f"{frame.name} on {', '.join(map(str, frame.columns))}"
                     + (f" ({frame.columns_cost})" if frame.columns_cost else "") for frame in page.frames
                     if frame.columns)
    counts.column_edges.append((page.ref, f"its rows of cells start on {len(edges)} grid columns "
                                          f"({', '.join(map(str, edges))}): {rows}"))


def _band_findings(page: LaidOutPage, limits: TypographyLimits, counts: PageTypography) -> None:
    bands = sorted(_empty_bands(page), key=lambda b: b[0] - b[1])  # tallest first
    if not bands:
        return
    counts.empty_band_mm = round((bands[0][1] - bands[0][0]) / MM, 1)
    allowance_used = False
    for band in bands:
        height_mm = (band[1] - band[0]) / MM
        if height_mm <= limits.max_empty_band_mm:
            break
        if not allowance_used and height_mm <= limits.deliberate_space_mm and _deliberate(page, band, limits):
            allowance_used = True
            continue
        below = min((i for i in page.items if isinstance(i, TextLine) and i.frame not in OFF_THE_BODY
                     and i.baseline_pt >= band[1]), key=lambda i: i.baseline_pt, default=None)
        where = f"{(band[0] - page.grid_top_pt) / MM:.0f}–{(band[1] - page.grid_top_pt) / MM:.0f} mm below the body's top"
        counts.empty_bands.append((below, f"{height_mm:.1f} mm with nothing drawn across the body, {where}"))


def _is_runt(item: TextLine) -> bool:
    index, count = item.line.position
    return count >= 2 and index == count - 1 and is_runt("".join(r.text for r in item.line.runs if not r.rise_pt))


def report(pages: list[LaidOutPage], fonts=None, limits: TypographyLimits | None = None) -> list[PageTypography]:
    """Per page, what the report counts; `fonts` (the FontSet the pages were set with) measures each glyph
    as drawn, and `limits` are layout/page.yaml's `typography:`."""
    limits = limits or TypographyLimits()
    out = []
    for page in pages:
        counts = PageTypography(page.number, page.ref, room_choices=page.room_choices)
        previous = None
        for item in page.items:
            if isinstance(item, TextLine):
                for run in item.line.runs:
                    if run.text.strip() and not run.artifact:
                        counts.size_uses.setdefault(round(run.size_pt, 2), [0, item])[0] += 1
            if isinstance(item, TextLine) and item.frame != "folio":
                _line_findings(item, fonts, limits, counts)
                if previous is not None and previous.ref == item.ref and previous.lang == item.lang \
                        and previous.line.position[0] + 1 == item.line.position[0] != 0:
                    phrase = _bracket_break(previous, item, limits.max_bracket_phrase)
                    if phrase:
                        counts.bracket_breaks.append((previous, f"a break inside the bracketed phrase {phrase}"))
                previous = item
        _measure_findings(page, limits, counts)
        counts.sizes = sorted(counts.size_uses)
        counts.fitted = _fitted(page)
        counts.word_breaks = [(found.ref, found.describe()) for found in wordbreaks.in_pages([page]) if not found.name]
        _band_findings(page, limits, counts)
        _panel_findings(page, limits, counts)
        _row_findings(page, limits, counts)
        _column_findings(page, limits, counts)
        if page.block_gap_pt is not None:
            counts.block_gap_mm = round(page.block_gap_pt / MM, 1)  # the layout keeps the floor (a noted page apart)
        for item in page.items:
            if not isinstance(item, TextLine) or item.frame in ("folio",):
                continue
            line = item.line
            text = line.text.strip()
            counts.lines += 1
            counts.compressed += line.compressed
            counts.hanging += line.hang_pt > 0
            if _is_runt(item):
                counts.runts.append((item, text))
            # Word spaces judge an English line; a line with Chinese gaps is judged by the gaps.
            if (not line.gap_em and line.space_ratio > MAX_SPACE_RATIO) or line.gap_em > MAX_GAP_EM:
                counts.loose.append((item, f"{text[:30]}… spaces ×{line.space_ratio:.2f}, gaps {line.gap_em:.2f} em"))
            if line.gap_em < 0:
                counts.tight.append((item, f"{text[:30]}… gaps {line.gap_em * 1000:.1f}/1000 em"))
            if line.ends_with_hyphen:
                counts.hyphenated.append((item, text))
            if text and ((text[0] in NO_LINE_START and is_cjk(text[0])) or text[-1] in NO_LINE_END):
                counts.rule_breaks.append((item, text))
            if item.lang == "zh" and LATIN_PUNCTUATION_IN_CHINESE.search(text):
                counts.rule_breaks.append((item, f"Latin punctuation in Chinese: {text}"))
            elif STRAIGHT_QUOTE.search(text):
                counts.rule_breaks.append((item, f"a straight quote where ’ “ ” belong: {text}"))
            if item.frame not in OFF_THE_BODY and not page.on_grid(item.baseline_pt):
                offset = (item.baseline_pt - page.grid_top_pt) % page.grid_pt
                counts.off_grid.append((item, f"{text[:30]}… {offset:.2f} pt below a grid line"))
        counts.overfull_frames = [f.name for f in page.frames if f.used_pt > f.height_pt + 0.5]
        if page.underfull_pt and page.foot_gap_pt > page.underfull_pt:
            counts.underfull.append(f"page foot: {page.foot_gap_pt / MM:.1f} mm unfilled")
        counts.underfull += [f"frame '{f.name}': {(f.height_pt - f.used_pt) / MM:.1f} mm unfilled" for f in page.frames
                             if f.fixed and f.used_pt and f.height_pt - f.used_pt > page.underfull_pt]
        out.append(counts)
    return out


def _fitted(page: LaidOutPage) -> list[str]:
    """What the layout did to fit the page's copy, each in a line a designer can check: not faults (the
    design working), so they are listed, not warned about."""
    out = [f"{step.style} at {step.size_pt:g} pt in {', '.join(step.frames)}: " + (
        "the page is too full at its figures' own size" if step.too_full else
        f"'{step.figure}' ({step.ref}) is {step.natural_pt / MM:.1f} mm at full size, {step.room_pt / MM:.1f} mm "
        "of room on its figure line (its cell less its unit, change and clear space)") for step in page.copyfit]
    if page.spacing == "compact":
        out.append("gaps closed to compact_spacing_pt: the page is too full for its steps")
    elif page.spacing == "loose":
        out.append("gaps opened to loose_spacing_pt: the page has more spare height than one deliberate space")
    out += [f"frame '{name}' set at its wide_span, wide_cell_spans or crowded_span: the page is too full at its own" for name in page.widened]
    if page.rings_fitted is not None:
        radius, own, frames = page.rings_fitted
        out.append(f"rings at {radius:g} mm radius (ring_steps_mm) in {', '.join(frames)}: the page is too full for "
                   f"them at their own {own:g} mm" if radius < own else
                   f"rings at {radius:g} mm radius (ring_larger_steps_mm) in {', '.join(frames)}: the page's room "
                   f"went to its charts, a larger step than their own {own:g} mm")
    if page.padded:
        out.append(f"panels padded at the least of panel_padding_range_mm in {', '.join(page.padded)}: the page is "
                   "too full at their own padding")
    if page.figure_step_given:
        out.append("a stat's figure first under a heading's rule at the letters' step, not level with the ring or "
                   "picture beside it (elements.figure_box_step): the page is too full for a box's step there")
    if page.footnotes_own_leading:
        out.append("footnotes each language on its own leading (style 'footnote'): the page is too full for their "
                   "shared grid (style 'footnote-shared'), which would close its gaps, step its figures or widen a frame")
    return out


def add_diagnostics(pages: list[PageTypography], diags: Diagnostics, limits: TypographyLimits | None = None) -> None:
    """A warning per rule broken (errors under --strict come from the exit code)."""
    limits = limits or TypographyLimits()
    for page in pages:
        for item, text in page.empty_bands:
            diags.warning("typo-empty-band", f"an empty band: {text} (limit {limits.max_empty_band_mm:g} mm)",
                          item.ref if item is not None else page.ref, page=page.page,
                          hint="spare height belongs where the template puts it (a block anchored to the foot, a "
                          "larger step for the page), not in one gap")
        for item, text in page.panel_space:
            diags.warning("typo-panel-space", f"a panel with paper to spare: {text}",
                          item.ref if item is not None else page.ref, page=page.page,
                          hint="a panel is its content and its padding (elements.panel_padding_mm): let it hug its "
                          "content; give its cells one anatomy, or balance a row of cards")
        for ref, text in page.row_holes:
            diags.note("typo-row-hole", f"a row of uneven cells: {text} (limit {limits.max_row_hole_mm:g} mm)", ref,
                       page=page.page, hint="balance the row in layout/templates.yaml: cell_spans giving the taller "
                       "cells more width (fewer lines) and the shorter less, or move an element to the short cell's row")
        for ref, text in page.column_edges:
            diags.note("typo-column-edges", f"more than one column structure: {text} (limit "
                       f"{limits.max_column_edges} columns)", ref, page=page.page,
                       hint="one column structure a page: give the rows' cell_spans (layout/templates.yaml) the "
                       "columns the page's other rows start on, or let a row's content choose them (cell_spans_by)")
        by_element: dict = {}  # one warning an element (its longest line first), not one a line
        for item, text in page.long_lines:
            by_element.setdefault(item.ref, []).append(text)
        for ref, texts in by_element.items():
            more = len(texts) - 1
            diags.warning("typo-measure", f"a line past a reader's measure: {texts[0]}"
                          + (f", and {more} more line{'s' if more > 1 else ''} of it" if more else ""), ref,
                          page=page.page, hint="set the text on fewer grid columns (its frame's span or measure in "
                          "layout/templates.yaml), or raise typography.max_chars_per_line in layout/page.yaml")
        for item, text in page.spaced:
            diags.warning("typo-spaced", f"letter-spaced Chinese: {text} (limit {limits.max_ideograph_gap_em:g} em)",
                          item.ref, page=page.page, hint="the line breaker should have chosen another break or left "
                          "the line ragged; reword, or change the measure")
        for item, text in page.bracket_breaks:
            diags.warning("typo-bracket-break", text, item.ref, page=page.page,
                          hint="a short bracketed phrase is never broken; reword or change the measure")
        for item, text in page.han_latin:
            diags.warning("typo-han-latin", f"Han next to Latin spaced otherwise: {text}", item.ref, page=page.page,
                          hint="write no space between Chinese and Latin or figures: the quarter em is added "
                          "when the line is set")
        for item, text in page.detached_markers:
            diags.warning("typo-marker", f"a footnote marker apart from its word: {text}", item.ref, page=page.page,
                          hint="write the marker right after its word, with no space: word[^*]")
        for item, text in page.runts:
            diags.warning("typo-runt", f"the paragraph ends on a runt: '{text}'", item.ref, page=page.page,
                          hint="reword, or let the frame be a little wider or narrower")
        for item, text in page.loose:
            diags.warning("typo-loose", f"a loose line: {text}", item.ref, page=page.page,
                          hint="a justified line stretched past the limit; reword or change the measure")
        for item, text in page.rule_breaks:
            diags.warning("typo-rule", f"a line starts or ends against the line-breaking rules: '{text}'", item.ref,
                          page=page.page)
        # One warning a page, not one a line (a page set off the grid moves all its lines): none when the build
        # already said why the page is off the grid (its `off-grid` warning names the cause and the fix).
        caused = any(d.code == "off-grid" and d.page == page.page for d in diags.items)
        if page.off_grid and not caused:
            item, text = page.off_grid[0]
            more = len(page.off_grid) - 1
            diags.warning("typo-off-grid", f"a line off the baseline grid: {text}"
                          + (f", and {more} more line{'s' if more > 1 else ''} of the page" if more else ""),
                          item.ref, page=page.page,
                          hint="a style's leading that is no whole number of grid steps, or a frame whose top is "
                               "off the grid, moves the lines; the report's off-grid column counts them")
        for text in page.underfull:
            choices = page.room_choices if text.startswith("page foot") else ""
            # A page whose larger step and declared space are used up has fewer words than it holds: a note for
            # the designer with the room and the choices (never a stretched box), not a fault of the layout.
            (diags.note if choices else diags.warning)("typo-underfull", f"underfull: {text}, more than a larger step and the declared space "
                          "could take up (no box is stretched to fill it)", page.ref, page=page.page,
                          hint=("choices: " + choices) if choices else "set larger styles on the page (template "
                          "styles:), or add content: a picture frame fills it (an image: element whose height_mm "
                          "takes up the space)")
    _size_diagnostic(pages, diags, limits)


def _size_diagnostic(pages: list[PageTypography], diags: Diagnostics, limits: TypographyLimits) -> None:
    """The one finding of the whole document: more distinct text sizes than the limit, located at the first line
    set in the size used least."""
    uses: dict = {}
    for page in pages:
        for size, (count, item) in page.size_uses.items():
            total, first = uses.get(size, (0, (page.page, item)))
            uses[size] = (total + count, first)
    sizes = sorted(uses)
    if len(sizes) <= limits.max_text_sizes:
        return
    rarest = min(uses, key=lambda size: (uses[size][0], size))
    number, item = uses[rarest][1]
    diags.warning("typo-sizes", f"{len(sizes)} distinct text sizes are drawn (limit {limits.max_text_sizes}): "
                  + ", ".join(f"{size:g}" for size in sizes) + f" pt; the rarest, {rarest:g} pt, first here",
                  item.ref, page=number, hint="set every text in a size of the one type scale (layout/styles.yaml)")


# The report's columns: a heading and the count it shows for one page (a list field counts its findings).
_COLUMNS = [("lines", "lines"), ("runts", "runts"), ("loose", "loose"), ("tight", "tight"),
            ("hyphenated", "hyphenated"), ("compressed", "compressed"), ("hanging", "hanging"),
            ("rule-breaks", "rule_breaks"), ("off-grid", "off_grid"), ("underfull", "underfull"),
            ("band-mm", "empty_band_mm"), ("bands", "empty_bands"), ("panel-edge", "panel_edge_mm"),
            ("panel-gap", "panel_gap_mm"), ("panels", "panel_space"), ("row-holes", "row_holes"), ("edges", "edges"), ("block-gap", "block_gap_mm"), ("sizes", "sizes"),
            ("gap-em", "widest_gap_em"), ("spaced", "spaced"), ("pairs", "spaced_pairs"), ("brackets", "bracket_breaks"),
            ("han-latin", "han_latin"), ("markers", "detached_markers"), ("fitted", "fitted"),
            ("word-breaks", "word_breaks")]
_LARGEST = ("empty_band_mm", "widest_gap_em", "panel_edge_mm", "panel_gap_mm", "edges")  # columns whose total is the largest of the pages, not the sum


def _counts(p: PageTypography) -> list:
    values = [getattr(p, name) for _, name in _COLUMNS]
    return [len(v) if isinstance(v, list) else "-" if v is None else v for v in values]


def table(pages: list[PageTypography]) -> str:
    def row(first: str, values: list, frames: str) -> str:
        cells = "  ".join(f"{v:>{len(heading)}}" for v, (heading, _) in zip(values, _COLUMNS))
        return f"{first:<5} {cells}  {frames:>15}"

    rows = [row("page", [heading for heading, _ in _COLUMNS], "overfull-frames")]
    rows += [row(f"{p.page:>4}", _counts(p), ", ".join(p.overfull_frames) or "-") for p in pages]
    totals = []
    for k, (_, name) in enumerate(_COLUMNS):
        column = [_counts(p)[k] for p in pages] or [0]
        if name in _LARGEST:
            totals.append(max(column))
        elif name == "block_gap_mm":  # the least of the pages
            totals.append(min((v for v in column if v != "-"), default="-"))
        elif name == "sizes":  # the sizes of the whole document, not the sum of each page's
            totals.append(len({size for p in pages for size in p.sizes}))
        else:
            totals.append(sum(column))
    rows.append(row("total", totals, str(sum(len(p.overfull_frames) for p in pages))))
    rows += [f"page {p.page}: fitted: {text}" for p in pages for text in p.fitted]
    rows += [f"page {p.page}: stats: {text}" for p in pages for text in p.stats]
    rows += [f"page {p.page}: a break inside a word: {text} ({ref})" for p in pages for ref, text in p.word_breaks]
    return "\n".join(rows)


def as_dict(pages: list[PageTypography]) -> list[dict]:
    """Per page, each column's findings as text (a count or a measure where the column is one)."""
    def texts(value):
        return [v[1] if isinstance(v, tuple) else v for v in value] if isinstance(value, list) else value

    return [{"page": p.page, **{name: texts(getattr(p, name)) for _, name in _COLUMNS},
             "overfull_frames": p.overfull_frames, "stats": p.stats} for p in pages]


# -- One stat anatomy, one figure size a section, bold twins, typed dashes (issue 22) ------------------------
# Read from the laid-out lines, as the eye reads the page: a stat's figure is its largest run in the primary
# colour, its change its runs in the accent; an element's bold runs below the unit's size are its labels and
# headlines. The limits are layout/page.yaml's `typography:`.
_HAN_CHAR = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_DASHES = (  # (what, pattern): a typewriter character where a typesetter sets another
    ("a hyphen for a minus", re.compile(r"(?<![\w.\-])-(?=\d)")),
    ("a spaced hyphen between words", re.compile(r"(?<=\w) - (?=\w)")),
    ("a year range with a hyphen", re.compile(r"(?<![\d.\-])(?:19|20)\d\d-(?:19|20)?\d\d(?![\d\-])")),
    ("a spaced half-width slash in Chinese", re.compile("(?<=[\u3400-\u9fff]) +/ +(?=[\u3400-\u9fff])")),
    ("a Latin dash between Chinese words", re.compile("(?<=[\u3400-\u9fff]) *[-\u2013] *(?=[\u3400-\u9fff])")),
)


def _colour_name(run) -> str:
    return run.colour.ref.yaml_path.rsplit(".", 1)[-1] if run.colour.ref else ""


def _bold(run) -> bool:
    return run.face.endswith("-bold")


def _change_key(text: str) -> str:
    """A change's words as compared with the content's: no spaces, any dash or minus as the hyphen typed."""
    return re.sub(r"\s+", "", text).translate(str.maketrans("\u2212\u2013\u2014", "---"))


def _stat_anatomy(lines: list, layout, change=None) -> tuple[tuple[str, ...], float | None]:
    """The ways a stat's lines depart from the one anatomy (none: the anatomy), and its figure's size. `change`,
    the stat's change as the content writes it, finds its lines by their words, whatever their colour (a change
    set in another ink is a departure); without it, the lines in the accent are taken for the change."""
    runs = [(line, run) for line in lines for run in line.line.runs if run.text.strip()]
    figures = [(line, run) for line, run in runs if _colour_name(run) == "primary" and line.lang == "en"]
    if not figures:
        return (), None
    figure_line, figure = max(figures, key=lambda lr: lr[1].size_pt)
    baseline, unit_pt = figure_line.baseline_pt, layout.style("stat-unit", "en").size_pt
    departs = []
    wanted = {_change_key(s) for s in ((change.en, change.zh, change.mixed) if change is not None else ()) if s}
    if wanted:
        found = [(line, run) for line, run in runs if _change_key(line.line.text) in wanted]
        if not found:
            departs.append("its change stands off the figure line")  # (run into its label or note)
        if any(_colour_name(run) != "accent" for _, run in found):
            departs.append("its change is not in the leaflet's one gold (stat-change's accent)")
    else:
        found = [(line, run) for line, run in runs if _colour_name(run) == "accent"]
    change_en = [(line, run) for line, run in found if line.lang == "en"]
    change_zh = [(line, run) for line, run in found if line.lang == "zh"]
    # The one place of a change (elements.stat): beside the figure line, right of the figure and its unit, its
    # stack standing on the figure's baseline: a lone change on it; a pair's English a change-leading over it and
    # the Chinese twin straight under the English on the baseline, left edges aligned.
    figure_right = figure_line.x_pt + figure_line.line.natural_pt
    step = layout.style("stat-change", "en").leading_pt if change_zh else 0.0
    if any(abs(line.baseline_pt - (baseline - step)) > 0.01 or line.x_pt < figure_right - 0.01
           for line, _ in change_en):
        departs.append("its change stands off the figure line")
    # One change size and one gold in the leaflet (layout/styles.yaml's stat-change), on white or on a tint.
    change_pt = layout.style("stat-change", "en").size_pt
    if any(abs(run.size_pt - change_pt) > 0.01 for _, run in change_en + change_zh):
        departs.append(f"its change is not at the leaflet's one change size ({change_pt:g} pt, stat-change)")
    if change_zh and (not change_en or any(run.size_pt != change_en[0][1].size_pt or not _bold(run)
                                           for _, run in change_zh)):
        departs.append("its Chinese change is not set as the English one")
    for (en, _), (zh, _) in zip(change_en[:1], change_zh[:1]):
        if abs(zh.baseline_pt - baseline) > 0.01 or abs(zh.x_pt - en.x_pt) >= 0.5:
            departs.append("its Chinese change is not stacked under the English one")
    labels = [line for line, run in runs if _bold(run) and run.size_pt < unit_pt and line.lang == "en"
              and _colour_name(run) == "text"]
    if any(line.baseline_pt < baseline and line.x_pt < figure_right for line in labels):
        departs.append("its label stands above the figure")
    words = [line for line in lines if line.baseline_pt > baseline + 0.01  # under the figure and its unit line
             and not any(r.size_pt >= unit_pt or _colour_name(r) == "accent" for r in line.line.runs)]
    en = [line.baseline_pt for line in words if line.lang == "en"]
    zh = [line.baseline_pt for line in words if line.lang == "zh"]
    if en and zh and max(en) > min(zh):
        departs.append("its Chinese does not follow its English")
    if any(line.lang == "en" and _HAN_CHAR.search(line.line.text) for line in lines):
        departs.append("English and Chinese run on one line")
    return tuple(departs), figure.size_pt


def anatomy_report(reports: list[PageTypography], pages: list[LaidOutPage], edition, layout,
                   diags: Diagnostics) -> None:
    """Stat anatomies in use, figure sizes per section, bold English without a bold Chinese twin, and typed
    dashes, each a located warning against its limit in layout/page.yaml (`typography:`); the anatomies and
    sizes in use go to each page's report line."""
    limits = layout.geometry.typography
    by_number = {page.number: page for page in edition.pages}
    unit_pt = layout.style("stat-unit", "en").size_pt
    anatomies: dict = {}  # departures -> [(page, ref, figure text)]
    for report, page in zip(reports, pages):
        content = by_number.get(page.number)
        found = _stats_and_callouts(content)  # the element each line belongs to (its role's), by its key
        elements: dict = {}
        for item in page.items:
            if isinstance(item, TextLine) and item.role is not None and item.role.element in found:
                elements.setdefault(item.role.element, []).append(item)
        section_of = _sections(content) if content is not None else {}
        sizes: dict = {}  # section -> {size: [refs]}
        for key, lines in elements.items():
            block, element = found[key]
            ref = lines[0].ref
            if isinstance(element, Stat):
                departs, size = _stat_anatomy(lines, layout, element.change)
                if size is not None:
                    figure = element.figure or max(
                        (r for line in lines for r in line.line.runs), key=lambda r: r.size_pt).text.strip()
                    anatomies.setdefault(departs, []).append((page.number, ref, figure))
                    sizes.setdefault(section_of.get(block, 0), {}).setdefault(size, []).append((ref, figure))
            for message, hint in _bold_twin_mismatches(element, lines, unit_pt):
                diags.warning("typo-bold-twin", f"{message} (limit {limits.max_bold_twin_mismatches})", ref,
                              page=page.number, hint=hint)
        for section, by_size in sorted(sizes.items()):
            report.stats.append(f"section {section}: figures at " + ", ".join(f"{size:g} pt" for size in by_size))
            if len(by_size) > limits.max_figure_sizes_per_section:
                common = max(by_size, key=lambda size: len(by_size[size]))
                for size, found in by_size.items():
                    for ref, figure in found if size != common else ():
                        diags.warning("typo-figure-sizes", f"'{figure}' is set at {size:g} pt beside figures at "
                                      f"{common:g} pt in the same section (limit "
                                      f"{limits.max_figure_sizes_per_section} size a section)", ref,
                                      page=page.number, hint="copyfit steps every figure of a page together; a "
                                      "figure set otherwise comes from a template's styles: or a second style")
        for item in page.items:
            if not isinstance(item, TextLine) or item.frame == "folio-slug":
                continue
            text = "".join(run.text for run in item.line.runs if not run.artifact)
            for what, pattern in _DASHES:
                for match in pattern.finditer(text):
                    diags.warning("typo-dash", f"{what}: '{text[max(0, match.start() - 12):match.end() + 12]}' "
                                  f"(limit {limits.max_typewriter_dashes})", item.ref, page=page.number,
                                  hint="turn on the edition's typography: {minus: true, en_dash: true, "
                                  "zh_punctuation: true} in edition.yaml, or write the character")
    for report in reports:
        used = sorted({d for d, found in anatomies.items() if any(p == report.page for p, _, _ in found)})
        report.stats.insert(0, f"{len(anatomies)} stat anatomies in the leaflet" if report is reports[0] and
                            len(anatomies) > 1 else "one stat anatomy" if report is reports[0] else "")
        report.stats[:] = [s for s in report.stats if s] + [f"anatomy: {'; '.join(d)}" for d in used if d]
    _qr_caption_findings(pages, layout, diags)
    _spread_foot_findings(pages, limits, diags)
    _lone_picture_findings(pages, layout, diags)
    _tile_heading_findings(pages, layout, diags)
    # Every stat that departs is named, even where all depart alike (one way of setting them, not the anatomy).
    for departs, found in anatomies.items():
        for number, ref, figure in found if departs else ():
            diags.warning("typo-stat-anatomy", f"the stat '{figure}' departs from the one anatomy: "
                          f"{'; '.join(departs)} ({len(anatomies)} way(s) of setting a stat in use, limit "
                          f"{limits.max_stat_anatomies})", ref, page=number,
                          hint="figure, unit and change on the figure line, the change in stat-change's gold and size "
                          "beside the unit, standing on the figure's baseline (a pair: the English over its Chinese "
                          "twin), then the label and note, English then Chinese (elements.stat); a template's styles: "
                          "or a '<style>-on-panel' twin that sets stat-change otherwise makes a second form")


def _qr_caption_findings(pages: list[LaidOutPage], layout, diags: Diagnostics) -> None:
    """A note for each QR code whose caption has less than the leaflet's one caption measure
    (elements.qr_caption_measure_mm) to the end of its cell, with the grid columns its cell would need (designer's
    final review, item 4: 33.7 mm on pages 2 and 6, three or four ragged lines beside the others' 44 mm)."""
    measure = layout.geometry.elements.qr_caption_measure_mm * MM
    if not measure:
        return
    for page in pages:
        boxes = {box.name: box for box in page.frames}
        for mark in (i for i in page.items if isinstance(i, QrMark)):
            caption = [i for i in page.items if isinstance(i, TextLine) and i.ref == mark.ref]
            box = boxes.get(caption[0].frame) if caption else None
            if box is None:
                continue
            left = min(i.x_pt for i in caption)
            room = box.x_pt + box.width_pt - left  # (a code closes its row: its cell ends with the frame)
            if room >= measure - 0.1:
                continue
            wants = next((k for k in range(1, layout.geometry.grid.columns + 1)
                          if layout.column_x_pt(1, k)[1] >= left - mark.x_pt + measure - 0.01), None)
            diags.note("qr-caption-measure", f"the QR code's caption is set on {room / MM:.1f} mm, the rest of its "
                       f"cell, not on the leaflet's one caption measure of {measure / MM:g} mm "
                       "(elements.qr_caption_measure_mm)", mark.ref, page=page.number,
                       hint=(f"give the code's cell {wants} grid columns in the edition's layout/templates.yaml (its "
                             "frame's span or cell_spans) where its row allows" if wants else ""))


def _last_ink(page: LaidOutPage) -> float | None:
    """Where a page's ink ends above its folio: its body's or its notes' lowest ink (pt from the top). (Above the
    folio's ink, not 30 mm under the body's foot: page 5's notes on five columns end 33 mm under it.)"""
    folio = min((span[0] for i in page.items if getattr(i, "frame", "") == "folio"
                 and (span := ink_span(i)) is not None), default=page.body_bottom_pt + 30 * MM)
    return max((b for i in page.items if getattr(i, "frame", "") not in ("folio", "folio-slug")
                and not (isinstance(i, Box) and i.bleeds) and (span := ink_span(i)) is not None
                for b in (span[1],) if b <= folio), default=None)


def _spread_foot_findings(pages: list[LaidOutPage], limits: TypographyLimits, diags: Diagnostics) -> None:
    """A note for the page of a spread (2-3, 4-5, ...: the leaflet lies open, the last page alone) whose ink ends more
    than typography.max_spread_foot_mm above its facing page's (designer's review 20 of 44b4221, item 4: page 4's
    last ranking at 263 mm, 24 mm of paper over its folio, page 5's notes to 281 mm). The layout has taken every
    larger step the page may; the rest is the page's one deliberate space at its foot. The copy is short for the page
    at the house rhythm, which the layout cannot make up without a stretch: the note gives the room and the choices."""
    if not limits.max_spread_foot_mm:
        return
    by_number = {page.number: page for page in pages}
    count = max(by_number, default=0)
    for left in range(2, count, 2):
        pair = [p for p in (by_number.get(left), by_number.get(left + 1)) if p is not None]
        ends = [end for p in pair if (end := _last_ink(p)) is not None]
        if len(ends) < 2:
            continue
        short, other = (0, 1) if ends[0] < ends[1] else (1, 0)
        apart = ends[other] - ends[short]
        if apart <= limits.max_spread_foot_mm * MM + 0.01:
            continue
        page, facing = pair[short], pair[other]
        diags.note("spread-foot", f"the page ends {apart / MM:.1f} mm above page {facing.number} facing it (its last "
                   f"ink {ends[short] / MM:.1f} mm from the top, page {facing.number}'s {ends[other] / MM:.1f}; limit "
                   f"{limits.max_spread_foot_mm:g} mm, typography.max_spread_foot_mm): its copy leaves "
                   f"{(page.body_bottom_pt - ends[short]) / MM:.1f} mm of its body under its last block"
                   + (", its steps at their larger size (loose_spacing_pt)" if page.spacing == "loose" else ""),
                   page.ref, page=page.number,
                   hint="more for the page to hold: a picture frame (an image: element with height_mm) or a block "
                   "of copy; its frames side by side instead of stacked, or on a reading measure (templates.yaml); "
                   "a larger step of the figure scale for its stats (template styles:); a block anchored to the foot "
                   "(anchor: foot) moves down only under a step the page does not hold (fixed_steps)")


def _tile_heading_findings(pages: list[LaidOutPage], layout, diags: Diagnostics) -> None:
    """A note for a sub-heading that takes more than one line in a frame of a row (its template's align_rows):
    the frame's columns are too few for its heading's measure (designer's final review, item 1: page 5's "Arts and
    Creativity" on two lines in its two-column tile, the row's figure lines leaving it no third column)."""
    for page in pages:
        template = next((t for t in layout.templates.values() if {b.name for b in page.frames} <= set(t.frames)),
                        None)
        if template is None:
            continue
        lines: dict = {}
        measures: dict = {}  # element -> its Chinese lines' measure, the frame's
        for item in page.items:
            if isinstance(item, TextLine) and item.role is not None and item.role.kind == "heading" \
                    and item.role.level >= 2 and item.frame in template.frames \
                    and template.frames[item.frame].align_rows:
                if item.lang == "en":
                    lines.setdefault(item.role.element, []).append(item)
                else:
                    measures[item.role.element] = item.line.width_pt
        # (a heading that wraps at its frame's own measure: one set narrower on purpose is not noted)
        for heading in (found for element, found in lines.items() if len(found) > 1
                        and found[0].line.width_pt >= measures.get(element, 0.0) - 0.01):
            frame = template.frames[heading[0].frame]
            text = " ".join(i.line.text for i in heading)
            diags.note("tile-heading-lines", f"the heading '{text}' takes {len(heading)} lines in its frame of "
                       f"{frame.span} grid columns beside its row's (align_rows {frame.align_rows})",
                       heading[0].ref, page=page.number,
                       hint="give the frame the columns its heading's measure needs where its row allows "
                       "(layout/templates.yaml), or a shorter heading in the copy")


def _lone_picture_findings(pages: list[LaidOutPage], layout, diags: Diagnostics) -> None:
    """A note for a small picture (a logo: shorter than a QR code) standing alone at the foot of the page's body:
    the lowest ink of the body, with nothing beside it across its height (designer's review of 4a3a1ba, item (d):
    edition-b's 12 mm "H" mark alone at the left of page 7's foot, tied to nothing). The layout cannot tell what
    it belongs to; the note says where it stands and the choices."""
    small = layout.qr_size_mm * MM
    for page in pages:
        body = [(span, i) for i in page.items if (span := ink_span(i)) is not None
                and getattr(i, "frame", "") not in (*OFF_THE_BODY, "footnotes", "folio-slug")
                and not (isinstance(i, Box) and not i.panel)]  # (the title band, swatches: not the body's blocks)
        if not body:
            continue
        lowest = max(b for (_, b), _ in body)
        for picture in (i for i in page.items if isinstance(i, Picture) and i.height_pt < small):
            if picture.y_pt + picture.height_pt < lowest - 0.5:
                continue
            beside = [i for (a, b), i in body if i is not picture and a < picture.y_pt + picture.height_pt
                      and b > picture.y_pt]
            if beside:
                continue
            what = dict(picture.alt).get("en", "") or picture.frame
            diags.note("picture-alone", f"the picture '{what[:60]}' "
                       f"(its box {picture.width_pt / MM:.0f} × {picture.height_pt / MM:.0f} mm) stands alone at the foot "
                       "of the page's body, with nothing beside it", picture.ref, page=page.number,
                       hint="set it with what it belongs to: beside the paragraph it closes (the frame's cells), "
                       "or move it to the frame it marks")


def _bold_twin_mismatches(element, lines: list, unit_pt: float) -> list[tuple[str, str]]:
    """How an element's bold English and its bold Chinese twin differ, as the eye reads them (DESIGN.md, "Both
    languages equal"): bold English with no bold Chinese; a bold English headline or label standing before its
    sentence while its Chinese twin stands after the Chinese sentence; a Chinese figure left regular before the
    bold twin of its unit (20個**獎項** beside "20 awards")."""
    def words(line):
        return [r for r in line.line.runs if r.text.strip() and not r.artifact]

    en = sorted((line for line in lines if line.lang == "en"), key=lambda i: (i.baseline_pt, i.x_pt))
    zh = sorted((line for line in lines if line.lang == "zh"), key=lambda i: (i.baseline_pt, i.x_pt))
    en_bold = [line for line in en if any(_bold(r) and r.size_pt < unit_pt and _colour_name(r) != "accent"
                                          for r in words(line))]
    zh_bold = [line for line in zh if any(_bold(r) and r.size_pt < unit_pt for r in words(line))]
    found = []
    if en_bold and zh and not zh_bold:
        found.append((f"bold English '{en_bold[0].line.text.strip()}' has no bold Chinese twin",
                      "give the label or headline its zh: in the same field, or mark the Chinese words that "
                      "translate it **bold** in the Chinese sentence"))
    small = [line for line in en if all(r.size_pt < unit_pt for r in words(line))]
    heads = small[:1] and small[0] in en_bold and all(_bold(r) for r in words(small[0]))
    zh_words = [line for line in zh if all(r.size_pt < unit_pt for r in words(line))]
    zh_heads = [line for line in zh_bold if all(_bold(r) for r in words(line))]  # a bold twin on lines of its own
    if heads and zh_heads and zh_words and zh_words[0] not in zh_bold:
        found.append((f"the bold Chinese '{zh_heads[0].line.text.strip()}' stands after its Chinese sentence, while "
                      f"its English '{small[0].line.text.strip()}' heads its own",
                      "set the Chinese headline first, as the English (callout: its headline's zh, the sentence "
                      "as the lead's zh when it ends in the headline)"))
    figure = getattr(element, "figure", None)
    if isinstance(element, Stat) and figure and element.unit is not None and element.unit.en:
        pattern = re.compile(re.escape(figure) + r"\s*[\u3400-\u9fff]?\s*$")
        for line in zh:
            runs = words(line)
            if any(_bold(b) and not _bold(runs[k]) and pattern.search("".join(r.text for r in runs[:k + 1]))
                   for k, b in enumerate(runs[1:])):
                found.append((f"the Chinese '{line.line.text.strip()}' sets its unit's twin bold and its figure "
                              f"'{figure}' regular, while '{figure} {element.unit.en}' is one figure line",
                              f"mark the figure with its unit's twin bold: **{figure}…**"))
                break
    return found


def _stats_and_callouts(page) -> dict:
    """element key (its YAML path, as the layout stamps it in each line's role) -> (block index, element), for
    the page's stats and callouts."""
    if page is None:
        return {}
    return {element.ref.yaml_path: (index, element) for index, block in enumerate(page.blocks)
            for element in block.elements if isinstance(element, (Stat, Callout, Ranking))}


def _sections(page) -> dict:
    """block index -> the section it is in: a block holding a level-1 heading starts the next."""
    from .content import Heading

    section, out = 0, {}
    for index, block in enumerate(page.blocks):
        if any(isinstance(e, Heading) and e.level == 1 for e in block.elements):
            section += 1
        out[index] = section
    return out
