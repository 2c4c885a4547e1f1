"""Issue 22, round 7 (the last designer review's items 1-4): page 5's tiles on one grid, page 2's seedbed figures
in one rhythm, a figure first under a rule, one spare place a page, and one QR unit on every page; asserted on
the built 2022-23 leaflet, edition-b and the generated longer copy."""
from __future__ import annotations

import itertools
import os

import pytest
from conftest import EDITION, project_with

from highlight.build import BuildOptions, build
from highlight.layout import QrMark, TextLine
from highlight.layout_spec import MM

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def leaflet(tmp_path_factory):
    return build(BuildOptions(EDITION, str(tmp_path_factory.mktemp("grid") / "x.pdf"), report=True))


@pytest.fixture(scope="module")
def edition_b(tmp_path_factory):
    return build(BuildOptions(os.path.join(ROOT, "tests", "fixtures", "edition-b"),
                              str(tmp_path_factory.mktemp("grid-b") / "b.pdf"), report=True))


@pytest.fixture(scope="module")
def longer(tmp_path_factory):
    from conftest import longer_copy

    tmp = tmp_path_factory.mktemp("grid-longer")
    return build(BuildOptions(longer_copy(tmp), str(tmp / "l.pdf"), report=True))


# -- item 4: one QR unit ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("edition", ["leaflet", "edition_b", "longer"])
def test_every_qr_caption_has_the_one_measure_or_a_note_saying_why_not(edition, request):
    """Designer's final review, item 4: pages 1, 5 and 8 set their QR captions on qr_caption_measure_mm (44 mm),
    pages 2 and 6 on their cells' 33.7 mm (three or four ragged lines). Where a row gives the code's cell less
    (page 2: its two rankings take the four columns each a rank needs beside its words; edition-b's page 6, too
    full for its roles stacked on seven columns, sets them side by side on eight and its code on four: the
    template's crowded_* composition) a located note says so and asks for the columns. Since designer's reviews 23
    and 24 (page 6's roles side by side on eight columns in every edition, its code on four) 2022-23's page 6 is
    noted too. Fails on d1b45c6: pages 2 and 6 set 33.7 mm with no note."""
    result = request.getfixturevalue(edition)
    measure = result.layout.geometry.elements.qr_caption_measure_mm * MM
    noted = {(d.page, d.source.yaml_path) for d in result.diagnostics.items if d.code == "qr-caption-measure"}
    short = set()
    for page in result.pages:
        boxes = {box.name: box for box in page.frames}
        for mark in (i for i in page.items if isinstance(i, QrMark)):
            caption = [i for i in page.items if isinstance(i, TextLine) and i.ref == mark.ref]
            box = boxes[caption[0].frame]
            room = box.x_pt + box.width_pt - min(i.x_pt for i in caption)  # (every code closes its row)
            if room < measure - 0.1:
                short.add((page.number, mark.ref.yaml_path))
    assert short == noted, (short, noted)
    if edition == "leaflet":
        assert {number for number, _ in short} == {2, 6}, short


# -- item 2: a row of figures in one rhythm ----------------------------------------------------------------------
@pytest.mark.parametrize("edition", ["leaflet", "edition_b", "longer"])
def test_a_row_of_figures_reads_as_a_rhythm_on_grid_columns(edition, request):
    """Designer's final review, item 2: page 2's seedbed (1,747 | 9 | 13 | HK$400B+ on 4/2/2/4 columns) left 38.1 mm
    of paper after 1,747's ink, 25.6 between 9 and 13 and 20.3 before HK$400B+ (edition-b 38.1 / 20.3 / 20.3). The
    frame's cells are chosen by their content (cell_spans_by: rhythm): every figure starts on a grid column, the
    three figures "HKUST has created/incubated" leads into stand at gaps within 6 mm of each other, and HK$400B+,
    under its own lead-in, apart by at least a gutter more (2022-23: 22.6 / 25.7, then 35.7 mm on 3/2/3/4;
    edition-b 22.6 / 20.4, then 35.7). Fails on d1b45c6 (38.1 / 25.6, then 20.3)."""
    result = request.getfixturevalue(edition)
    page = result.pages[1]
    size = max(max(r.size_pt for r in i.line.runs) for i in page.items
               if isinstance(i, TextLine) and i.frame == "seedbed-stats")
    figures = sorted((i for i in page.items if isinstance(i, TextLine) and i.frame == "seedbed-stats"
                      and max(r.size_pt for r in i.line.runs) == size), key=lambda i: i.x_pt)
    assert len(figures) == 4, [i.line.text for i in figures]
    columns = [result.layout.column_x_pt(k, 1)[0] for k in range(1, 13)]
    assert all(min(abs(i.x_pt - c) for c in columns) < 0.1 for i in figures), [i.x_pt / MM for i in figures]
    gaps = [(b.x_pt - a.x_pt - a.line.natural_pt) / MM for a, b in itertools.pairwise(figures)]
    gutter = result.layout.geometry.grid.gutter_mm
    assert max(gaps[:2]) - min(gaps[:2]) <= 6.0 and gaps[2] >= max(gaps[:2]) + gutter - 0.01, \
        [round(g, 1) for g in gaps]
    box = next(b for b in page.frames if b.name == "seedbed-stats")
    assert box.cell_spans and sum(box.cell_spans) == 12


# -- one column structure a page (issue 22, round 12a) ------------------------------------------------------------
def _row_starts(result, page, name: str) -> list[int]:
    """The grid columns the cells of frame `name` start on, as the page model records them for a row of cells or
    a tile of a row of frames (FrameBox.columns; () for a frame that is no row)."""
    box = next(b for b in page.frames if b.name == name)
    return list(getattr(box, "columns", ()))


@pytest.mark.parametrize("edition", ["leaflet", "edition_b", "longer"])
def test_the_rows_of_cells_of_a_page_stand_on_one_column_structure(edition, request):
    """Issue 22, round 12a (designer's review of 44b4221, its first item): page 2's items started at seven distances
    from the trim (its rows on 3/2/3/4, 6/6, 5/4/3 and 4/4/4 columns: 173 at 153.8 mm under HK$400B+ at 138.3), page
    5's AI row on 1, 4, 7, 10 under Talent rows on 1, 4, 6, 9. The rows of cells of a page (its frames of several
    cells, its rows of framed tiles) start their cells on at most typography.max_column_edges grid columns (layout
    data), or the report notes the page, naming every row and its columns (the better composition kept: a row whose
    cells on the page's columns would leave a hole past max_row_hole_mm, or break a word). The count is the page
    model's (FrameBox.columns), checked against the ink: each row's cells' lines start on those columns. Page 2 keeps
    its seedbed on 3/2/3/4 (on the rows' 1, 5, 7, 9 its exits' note, a bracketed phrase, broke over lines: the lead's
    note on b75c9fe) and says so, as page 5 its AI row. Fails on 44b4221 with the page model's columns recorded
    (2022-23's page 2 on seven columns, page 5 on six, no note)."""
    result = request.getfixturevalue(edition)
    limit = result.layout.geometry.typography.max_column_edges
    assert limit == 4
    columns = [result.layout.column_x_pt(k, 1)[0] for k in range(1, 13)]
    noted = {d.page: d for d in result.diagnostics.items if d.code == "typo-column-edges"}
    counted = {}
    for page in result.pages:
        edges = set()
        template = next(t for t in result.layout.templates.values() if {b.name for b in page.frames} <= set(t.frames))
        for box in page.frames:
            starts = _row_starts(result, page, box.name)
            edges.update(starts)
            if not starts:
                continue
            # (a panel's cells inset by its padding from the columns they stand on)
            pad = max(template.frames[box.name].padding_mm, result.layout.geometry.elements.panel_padding_mm) * MM \
                if template.frames[box.name].panel else 0.0
            lines = [i for i in page.items if getattr(i, "frame", None) == box.name and hasattr(i, "x_pt")]
            refs = {i.ref for i in lines if isinstance(i, TextLine)}
            lines += [i for i in page.items if isinstance(i, QrMark) and i.ref in refs]  # (a code beside its caption)
            lefts = {min(range(1, 13), key=lambda k, i=i: abs(columns[k - 1] + pad - i.x_pt)) for i in lines
                     if min(abs(columns[k] + pad - i.x_pt) for k in range(12)) < 0.1}
            assert set(starts) <= lefts, (page.number, box.name, starts, sorted(lefts))  # (the ink stands there)
        counted[page.number] = sorted(edges)
        if page.number in noted:
            message = noted[page.number].message
            assert len(edges) > limit and all(f"{b.name} on {', '.join(map(str, b.columns))}" in message
                                              for b in page.frames if b.columns), (page.number, message)
        else:
            assert len(edges) <= limit, (page.number, sorted(edges))
    # (a row that keeps columns of its own says what the page's would cost it: page 2's seedbed of four figures
    # over the Accelerator's thirds, its exits' bracketed note broken over lines on two columns; the longer copy's
    # page 2, too full on them. Page 5's AI row stands on its Talent rows' 1, 4, 6, 9 since the designer's review
    # of 2824c5b, item 6: its headlines set light, 'computational' 24.1 mm in its cell of 25.8; on 2824c5b it stood
    # on 1, 4, 7, 10, noted)
    assert 5 not in noted and counted[5] == [1, 4, 6, 9], (counted[5], noted.get(5))
    if edition != "longer":
        assert "seedbed-stats on 1, 4, 6, 9 (on 1, 5, 7, 9 it would break '（1" in noted[2].message, noted[2].message


@pytest.mark.parametrize("edition", ["leaflet", "edition_b"])
def test_the_rows_of_a_section_stand_on_its_columns_before_their_cells_end_level(edition, request):
    """Designer's reviews 20 to 23, each its first item: page 2's Accelerator rows started their cells on (1, 7),
    (1, 6, 10) and (1, 5, 9): five left edges in the section's right two-thirds, chosen because the events' row on
    the rankings' thirds leaves 16.9 mm under the licences and the income figure on eight columns 17.8 mm under
    edition-b's HK$14.6M. A row whose cells follow their content (cell_spans_by: depth), a row of two in a frame of
    three included, now takes the columns the page's other rows start on before it ends its cells level; what that
    leaves under a cell is a located note (typo-row-hole), not a second structure. Both editions: every row of the
    Accelerator on the rankings' 1, 5, 9 (the income figure on 1-8, the Engagement Day on 9-12). Fails on 2824c5b:
    (1, 7) and (1, 6, 10) in 2022-23, (1, 7) in edition-b."""
    result = request.getfixturevalue(edition)
    page = result.pages[1]
    rows = {b.name: b.columns for b in page.frames if b.name.startswith("accelerator-row") and b.columns}
    assert len(rows) == 3 and all(set(columns) <= {1, 5, 9} for columns in rows.values()), rows
    assert rows["accelerator-row-1"] == (1, 9), rows


# -- item 1: one tile grid for a section ------------------------------------------------------------------------
@pytest.mark.parametrize("edition", ["leaflet", "edition_b", "longer"])
def test_the_rows_of_tiles_of_a_section_share_their_column_lines(edition, request):
    """Designer's final review, item 1: page 5's tiles stood on 5/3/4 columns over 3/3/2/4 (lines at 1, 6, 9 over
    1, 4, 7, 9: two grids in one section). A row of tiles (frames of one align_rows group) under another starts its
    tiles on the column lines the row over it uses, and more (a tile may span): now 1, 6, 9 over 1, 4, 6, 9, in
    every edition. Fails on d1b45c6 (column 6 of the first row is no line of the second)."""
    result = request.getfixturevalue(edition)
    checked = 0
    for page in result.pages:
        boxes = {box.name: box for box in page.frames}
        template = next(t for t in result.layout.templates.values() if set(boxes) <= set(t.frames))
        groups: dict = {}
        for name, frame in template.frames.items():
            if frame.align_rows:
                groups.setdefault(frame.align_rows, []).append(name)
        for upper, lower in itertools.permutations(groups.values(), 2):
            if not all(set(upper) <= set(template.frames[n].below or ()) for n in lower):
                continue  # (not the row directly under it)
            over = {round(boxes[n].x_pt / MM, 1) for n in upper if n in boxes}
            under = {round(boxes[n].x_pt / MM, 1) for n in lower if n in boxes}
            assert over <= under, (page.number, sorted(over), sorted(under))
            checked += 1
    assert checked >= 1


# -- item 3: one place for a page's spare height ----------------------------------------------------------------
@pytest.mark.parametrize("edition", ["leaflet", "edition_b", "longer"])
def test_page_6s_spare_height_is_in_one_place_above_its_roles_panel(edition, request):
    """Designer's final review, item 3: page 6's spare height stood in two places, 13.2 mm of paper over the AUA/AEARU
    panel (its block step opened to loose_spacing_pt) and 9.3 mm under it at the foot. The template declared the
    second section anchored to the foot, which its held section step never lets move; the panel and its code are
    the frames anchored now: the panel's foot on the body's foot (within a grid step), the page's spare over it, its
    one declared space, at most typography.deliberate_space_mm, measured from the lowest ink over it (the ring's
    included: a Ring item stands in no frame). Fails on d1b45c6 (9.3 mm under the panel). A page with more room
    than that space (2022-23's page 6 since its roles stand side by side, designer's review 24 item 6; the report
    notes it) leaves the rest at the foot: there the panel ends within two grid steps of it, and the step its grid of
    partner cards no longer takes (a grid of cards opens its rows to the loose gutter step, not the loose block's:
    designer's reviews of ff67c78, item 5, and 02a15f4, item 2): 5.6 mm in 2022-23."""
    from highlight.layout import Box
    from highlight.layout.items import ink_span

    result = request.getfixturevalue(edition)
    g = result.layout.geometry
    page = result.pages[5]
    panel = next(i for i in page.items if isinstance(i, Box) and i.panel and i.y_pt > 100 * MM)
    foot = (g.page.height_mm - g.margins_mm.bottom) * MM
    given_up = g.loose_spacing_pt["block"] - g.loose_spacing_pt["gutter"]
    assert foot - (panel.y_pt + panel.height_pt) <= 2 * g.grid.baseline_pt + given_up + 0.01, \
        (foot - panel.y_pt - panel.height_pt) / MM
    above = max(s[1] for i in page.items if (s := ink_span(i)) is not None and s[1] < panel.y_pt)
    assert panel.y_pt - above <= g.typography.deliberate_space_mm * MM + 0.01


@pytest.fixture(scope="module")
def figure_by_ring(tmp_path_factory):
    """2022-23 with a lead figure over page 6's ring key (since round 10 the page prints its total once, in the ring,
    and has none): a figure other than the total, first under the section's rule beside the ring."""
    folder = tmp_path_factory.mktemp("figure-by-ring")
    edition = project_with(folder, "content/2022-23/p6-growth.yaml", "  - frame: partnerships-figure ",
                           "  - frame: partnerships-stat\n    elements:\n      - stat:\n          figure: \"41\"\n"
                           "          label: {en: \"countries\", zh: \"國家\"}\n\n  - frame: partnerships-figure ")
    return build(BuildOptions(edition, str(folder / "x.pdf"), report=True))


@pytest.mark.parametrize("edition", ["figure_by_ring"])
def test_a_figure_first_under_a_rule_takes_a_boxs_step_level_with_the_ring_beside_it(edition, request):
    """Designer's final review, item 3: page 6's "315" (26 pt) stood with its ink 1.5 mm under the section's rule (its
    cap top 1.75 mm) beside its ring's edge 4.7 mm under it: one step for the first ink under every rule, whatever it
    is. A stat's figure (letters of the figure scale, items.box_first) takes the box's step (items.rule_step): its
    ink level with the ring's top within a grid step, every ring still 30 mm in radius. Fails on d1b45c6 (1.5 against
    4.8 mm). A page too full for it (edition-b's since its roles' Chinese headlines, main f94707c) gives the step
    back before its ring or figures take a smaller size (elements.figure_box_step), and its report says so."""
    from highlight import typography
    from highlight.layout import Ring, Rule
    from highlight.layout.items import ink_span

    result = request.getfixturevalue(edition)
    page = result.pages[5]
    rings = [i for i in page.items if isinstance(i, Ring)]
    ring_top = min(r.cy_pt - r.outer_pt for r in rings)
    rule = max(i.y1_pt for i in page.items if isinstance(i, Rule) and i.x2_pt - i.x1_pt > 150 * MM
               and i.y1_pt < ring_top)
    figure = min(ink_span(i)[0] for i in page.items if isinstance(i, TextLine) and i.frame == "partnerships-stat")
    assert {round(r.outer_pt / MM, 1) for r in rings} == {result.layout.geometry.elements.ring_radius_mm}
    if page.figure_step_given:  # a page too full for the box's step there gives it back first, and says so
        step = result.layout.geometry.spacing_pt
        assert figure - rule <= (step["tight"] + page.grid_pt) + 1.5 * MM
        assert any("figure_box_step" in line for line in typography._fitted(page))
        return
    # (each frame's first baseline on the grid: a grid step apart at most, and the ring's edge against letters' ink)
    assert abs(figure - ring_top) <= page.grid_pt + 0.3, ((figure - rule) / MM, (ring_top - rule) / MM)


@pytest.mark.parametrize("edition", ["leaflet", "edition_b", "longer"])
def test_a_small_picture_after_a_paragraph_stands_beside_it(edition, request):
    """Designer's review of 357772a, item 2 (and of 4a3a1ba, item (d)): edition-b's 12 mm "H" mark stood alone at
    the left of page 7's foot, on no grid line, about 7 mm over the folio, tied to nothing (the report's
    picture-alone note said so). A small picture (shorter than a QR code, no caption) that follows a paragraph in
    a one-cell frame stands beside it, anchored to the grid (review of b33891d, item 7): its left on a grid column's
    edge, inside its frame, its top on the capitals of the paragraph's first line, the paragraph's lines a gutter
    clear of it; no edition has a picture alone. Fails on 357772a (the mark on a row of its own, under the
    paragraph's last line, and the note) and on b33891d (its left at 121.3 mm, on no column; its top on the line's
    box, 0.9 mm over its capitals)."""
    from highlight.layout import Picture
    from highlight.layout.items import ink_span

    result = request.getfixturevalue(edition)
    assert [d for d in result.diagnostics.items if d.code == "picture-alone"] == []
    layout = result.layout
    small = layout.qr_size_mm * MM
    gutter = layout.geometry.grid.gutter_mm * MM
    edges = [layout.column_x_pt(c, 1)[0] for c in range(1, layout.geometry.grid.columns + 1)]
    marks = 0
    for page in result.pages:
        for mark in (i for i in page.items if isinstance(i, Picture) and i.height_pt < small):
            words = [i for i in page.items if isinstance(i, TextLine) and i.frame == mark.frame]
            assert words, (page.number, mark.frame)
            first = min(words, key=lambda i: i.baseline_pt)
            assert abs(mark.y_pt - ink_span(first)[0]) < 0.2, (page.number, (mark.y_pt - ink_span(first)[0]) / MM)
            assert min(abs(mark.x_pt - edge) for edge in edges) < 0.2, (page.number, mark.x_pt / MM)  # on a column
            assert max(i.x_pt + i.line.width_pt for i in words) <= mark.x_pt - gutter + 0.5
            frame = next(f for f in page.frames if f.name == mark.frame)
            assert mark.x_pt + mark.width_pt <= frame.x_pt + frame.width_pt + 0.2  # inside its frame
            marks += 1
    assert marks == (1 if edition == "edition_b" else 0)


@pytest.mark.parametrize("edition", ["leaflet", "edition_b"])
def test_a_sub_heading_that_wraps_in_a_row_of_frames_is_a_located_note(edition, request):
    """Designer's final review, item 1, and the review of 4a3a1ba, item (e): page 5's "Arts and Creativity" on two
    lines in its two-column tile, page 1's "Forward-thinking research subjects include:" on two in its four. What
    the layout leaves undone the report says (--report), at the heading, with the choices (the frame's columns, or
    a shorter heading): the seven tiles' figure lines want 25 columns of a row pair's 24 at 21 pt. Fails on d1b45c6
    (no such note)."""
    result = request.getfixturevalue(edition)
    found = {d.page for d in result.diagnostics.items if d.code == "tile-heading-lines"}
    assert 5 in found, found
    assert all("grid columns" in d.message for d in result.diagnostics.items if d.code == "tile-heading-lines")


def _rows_opened_by_headings(result, page):
    """{align_rows group: {frame: (its English heading lines, its Chinese ones, the first line after the heading, the
    first line of what the heading heads: its list's first item, else its figure line; the frame's width)}} of the
    page's rows of frames that sub-headings open."""
    lines = [i for i in page.items if isinstance(i, TextLine) and i.role is not None]
    boxes = {box.name: box for box in page.frames}
    template = next(t for t in result.layout.templates.values() if set(boxes) <= set(t.frames))
    rows: dict = {}
    for name, frame in template.frames.items():
        mine = sorted((i for i in lines if i.frame == name), key=lambda i: i.baseline_pt)
        heads = [i for i in mine if i.role.kind == "heading" and i.role.level == 2]
        if not (frame.align_rows and heads and mine[0] in heads and len(mine) > len(heads)):
            continue
        rest = [i for i in mine if i not in heads and i.baseline_pt > heads[-1].baseline_pt]
        items = [i for i in rest if i.role.kind == "list-body"]
        if not items:
            size = max(max(r.size_pt for r in i.line.runs) for i in rest)
            items = [i for i in rest if max(r.size_pt for r in i.line.runs) == size]
        rows.setdefault(frame.align_rows, {})[name] = (
            [i for i in heads if i.lang == "en"], [i for i in heads if i.lang == "zh"], rest[0], items[0],
            boxes[name].width_pt)
    return rows


@pytest.mark.parametrize("edition", ["leaflet", "edition_b", "longer"])
def test_a_row_of_sub_headings_breaks_only_what_must_and_levels_what_follows(edition, request):
    """Designer's reviews of df673b1 (items 1, 3) and 9a0f0fe (item 1), the lead's rule. Page 5's second row of tiles
    set "Knowledge Transfer" (34.2 mm), "Service Learning" and "Global Connectivity" on two lines in cells of 41.2 and
    56.7 mm, balanced into the row's count because "Arts and Creativity" must wrap in 26.1; page 1's lists under
    "6 strategic research areas:" (one line) and "Forward-thinking / research subjects include:" (two) started
    5.7 mm apart. In a row of frames that sub-headings open (an align_rows group: tiles, lists): an English heading
    that fits its frame's measure stands on one line; the heading blocks hang from one top line (the shorter's room
    under its Chinese: the lead's decision after designer reviews 4 and 5 of main, e1c4854), every cell's stack tight
    (English to Chinese one step, the same in every cell), and what they head (a list's first item, a figure line)
    starts level (a lead-in over one figure, "Around", is a slot of the row). A page too full for that says so
    (rows-unlevelled). Fails on df673b1 in all three editions: page 1's Chinese sub-headings 5.6 mm apart (2022-23:
    111.9 and 117.5 mm), its lists too; page 5's "Knowledge Transfer" on two lines (34.1 mm of words in its 41.2 mm
    cell). Fails on main 1932ae1 (bottom-aligned) in all three: page 1's English headings' first lines 4.9-5.0 mm apart."""
    result = request.getfixturevalue(edition)
    unlevelled = {d.page for d in result.diagnostics.items if d.code == "rows-unlevelled"}
    checked = 0
    for page in result.pages:
        for group, frames in _rows_opened_by_headings(result, page).items():
            if len(frames) < 2:
                continue
            steps = []
            for name, (en, zh, _, _, width) in frames.items():
                if len(en) > 1:  # wrapped: its words on one line would not fit its frame (a word space: 1 mm)
                    whole = sum(i.line.natural_pt for i in en) + (len(en) - 1) * MM
                    assert whole > width, (page.number, name, round(whole / MM, 1), round(width / MM, 1))
                if zh:
                    steps.append(round((zh[0].baseline_pt - en[-1].baseline_pt) / MM, 1))
            assert len(set(steps)) <= 1, (page.number, group, steps)  # English to Chinese: one step, no room
            if page.number in unlevelled:
                continue
            for which in (0, 3):  # the English headings' first lines, what they head
                firsts = [(v[0][0] if which == 0 else v[3]).baseline_pt for v in frames.values() if v[0] or which == 3]
                assert max(firsts) - min(firsts) < 0.1, (page.number, group, which, [round(f / MM, 1) for f in firsts])
            checked += 1
    assert checked >= (2 if edition != "longer" else 1), checked
    assert unlevelled <= ({1} if edition == "longer" else set()), unlevelled


# Ten sentences more in page 1's introduction: too full by less than the room its shorter list heading takes under it
# so that the lists start level (14 pt) once every smaller step is taken and the introduction widened (with nine the
# figures' steps make it fit; with twelve it closes its rhythm's floor instead: rhythm-floor).
LONGER_INTRO = " Our researchers work with partners in industry and government across the region." * 10


def test_a_page_too_full_to_level_its_rows_of_headings_says_so_and_fits(tmp_path):
    """The fallback of engine.body for a row of frames opened by sub-headings (page 1's two lists): a page too full
    for the shorter heading's room under it gives that room back before it closes its blocks under the rhythm's
    floor, and a located note says so (rows-unlevelled): the headings start on one line, each list one step under its
    own heading (the lists not level), and the page fits. No edition reaches it; this page does. Fails with the fallback taken out of
    engine.body (the `if head_depth and too_full()` remedy): page 1 then closes its floor (rhythm-floor), no note.
    (The stock page 1 no longer levels its lists since designer reviews 20 and 21: a layout that does, align_rows on
    the two list frames, is written here; page 5's tiles are the stock rows this fallback serves.)"""
    old = "achievements, and impact on society."
    folder = project_with(tmp_path, "content/2022-23/p1-research-power.yaml", old, old + LONGER_INTRO)
    templates = tmp_path / "layout" / "templates.yaml"
    text = templates.read_text(encoding="utf-8")
    for frame in ("research-areas:    {col: 1, span: 8, below: [discoveries-head], gap: tight, list_columns: 2",
                  "subjects:          {col: 9, span: 4, below: [discoveries-head], gap: tight"):
        assert frame + "}" in text
        text = text.replace(frame + "}", frame + ", align_rows: discoveries}")
    templates.write_text(text, encoding="utf-8")
    result = build(BuildOptions(folder, str(tmp_path / "x.pdf")))
    page = result.pages[0]
    said = [d for d in result.diagnostics.items if d.page == 1 and d.code != "qr-placeholder"]
    (note,) = [d for d in said if d.code == "rows-unlevelled"]
    assert note.severity.name == "NOTE" and "research-areas" in note.message and note.hint
    assert note.source is not None and note.source.file.endswith("p1-research-power.yaml") and note.source.line >= 1
    # the page fits: nothing past its foot, on the grid, its rhythm's floor held
    assert not [d for d in said if d.code in ("overflow", "off-grid", "rhythm-floor")], [d.format() for d in said]
    assert page.rhythm_floor_pt is None and not page.overflowed
    assert all(f.y_pt + f.used_pt <= page.body_bottom_pt + 0.5 for f in page.frames if f.used_pt)
    # each heading its own lines: the two English headings start on one line, each list one step under its own (the
    # room under the shorter heading given back: the lists no longer level)
    ((_, frames),) = _rows_opened_by_headings(result, page).items()
    assert set(frames) == {"research-areas", "subjects"}
    firsts = [en[0].baseline_pt for en, _, _, _, _ in frames.values()]
    assert max(firsts) - min(firsts) < 0.1, [round(f / MM, 1) for f in firsts]
    lists = [item.baseline_pt for _, _, _, item, _ in frames.values()]
    assert max(lists) - min(lists) > MM, [round(f / MM, 1) for f in lists]


@pytest.mark.parametrize("edition", ["leaflet", "edition_b", "longer"])
def test_a_row_of_cards_stacks_each_card_tight_from_one_top_line(edition, request):
    """Cards side by side (a partner's name and text, a callout's headline and text: page 6's partners, edition-b's
    roles on two cells) are each one unit (the lead's note 2b37084 after designer reviews 4 and 5: "cells top-aligned
    and stacked by cell, not by language"): the cards hang from one top line, and each is a tight stack, its English
    name, its English text, its Chinese name and its Chinese text at their own steps, the same steps in every card;
    no room inside a card (their texts or Chinese names need not be level). Fails on main 1932ae1 (names
    bottom-aligned: page 6's first lines 57.5 and 62.5 mm) and on 9fd5aac (the room under Wuxi's English name: name
    to text 9.9 mm beside 4.9), in all three editions."""
    result = request.getfixturevalue(edition)
    navy = result.layout.colours["primary"]
    checked = 0
    for page in result.pages:
        cards: dict = {}
        for i in page.items:
            if isinstance(i, TextLine) and i.role is not None and i.role.element.endswith((".partner", ".callout")):
                cards.setdefault((i.frame, i.role.element), []).append(i)
        rows: dict = {}
        for (frame, _), found in cards.items():
            def named(i) -> bool:
                runs = [r for r in i.line.runs if r.text.strip()]
                return bool(runs) and all("bold" in r.face.lower() and r.colour.cmyk == navy.cmyk for r in runs)

            en = sorted((i for i in found if i.lang == "en"), key=lambda i: i.baseline_pt)
            zh = sorted((i for i in found if i.lang == "zh"), key=lambda i: i.baseline_pt)
            if not en or not named(en[0]) or all(named(i) for i in en):
                continue
            after = next(i for i in en if not named(i)).baseline_pt
            last_name = max(i.baseline_pt for i in en if named(i))
            # (steps in mm: its English name to its text, its English to its Chinese name)
            to_zh = round((zh[0].baseline_pt - en[-1].baseline_pt) / MM, 1) if zh and named(zh[0]) else None
            rows.setdefault(frame, []).append((en[0].baseline_pt, after, round((after - last_name) / MM, 1), to_zh))
        grouped: dict = {}
        for frame, found in rows.items():  # a row: the cards whose names to texts overlap
            for card in sorted(found):
                group = grouped.setdefault(frame, [])
                if group and card[0] <= max(c[1] for c in group[-1]):
                    group[-1].append(card)
                else:
                    group.append([card])
        for key, row in ((frame, g) for frame, groups in grouped.items() for g in groups):
            if len(row) < 2:
                continue
            tops = [t for t, _, _, _ in row]  # the cards hang from one top line
            assert max(tops) - min(tops) < 0.1, (page.number, key, [round(t / MM, 1) for t in tops])
            assert len({step for _, _, step, _ in row}) == 1, (page.number, key, row)  # a name to its text: tight
            steps = {step for _, _, _, step in row if step is not None}
            assert len(steps) <= 1, (page.number, key, row)  # its English to its Chinese name: tight
            checked += 1
    assert checked >= 2, checked


@pytest.mark.parametrize("edition", ["leaflet", "edition_b", "longer"])
def test_every_heading_of_one_size_has_one_line_pitch(edition, request):
    """Designer's review of df673b1, item 2: the 10 pt bold navy headings of two lines stood 5.6-5.7 mm line to line
    on pages 1 and 5 (heading2 on 16 pt) and 4.9 mm on page 2 ("Industry Engagement / Day Series", a callout's
    headline on 14): one heading style, one leading (about 14 pt), its second line never moved to another grid.
    Every English line pair of one heading (a sub-heading, a section heading, a callout's headline, a partner's
    name: bold text in the headings' navy), one after the other, stands at one pitch for its size on every page.
    Fails on df673b1: 10 pt at 5.6 and 4.9 mm."""
    result = request.getfixturevalue(edition)
    navy = result.layout.colours["primary"]
    pitches: dict = {}
    for page in result.pages:
        found: dict = {}
        for i in page.items:
            runs = [r for r in i.line.runs if r.text.strip()] if isinstance(i, TextLine) else []
            if i.__class__ is TextLine and i.lang == "en" and i.role is not None and runs \
                    and all("bold" in r.face.lower() and r.colour.cmyk == navy.cmyk for r in runs) and i.role.kind != "title":
                size = max(r.size_pt for r in runs)
                if size <= 12:  # (not a figure)
                    found.setdefault((i.role.element, i.role.part, round(i.x_pt, 1), size), []).append(i.baseline_pt)
        for (element, _, _, size), baselines in found.items():
            for a, b in itertools.pairwise(sorted(baselines)):
                pitches.setdefault(size, set()).add(round((b - a) / MM, 1))
                pitches.setdefault((size, "where"), set()).add((page.number, element, round((b - a) / MM, 1)))
    assert 10 in pitches, pitches
    for size in [k for k in pitches if not isinstance(k, tuple)]:
        assert len(pitches[size]) == 1, (size, sorted(pitches[(size, "where")]))
    assert pitches[10] == {4.9}, pitches[10]


@pytest.mark.parametrize("edition", ["leaflet", "edition_b", "longer"])
def test_a_short_ragged_text_leaves_no_word_alone_on_its_last_line(edition, request):
    """Designer's review of df673b1, item 4: page 6's code caption "More about HKUST global / engagement" left one
    word on its last line. A ragged English text of two or three lines (a caption beside a code, a stat's label or
    note, a list item, a short paragraph, a footnote) moves a word down where that costs no line (else breaks
    balanced): its last line holds more than one word. Fails on df673b1: eight such texts in 2022-23 (page 6's
    caption, "Biomedical Science and Translational / Medicine", "…growth and / advancement", …)."""
    result = request.getfixturevalue(edition)
    alone = []
    for page in result.pages:
        texts: dict = {}
        for i in page.items:
            if isinstance(i, TextLine) and i.lang == "en" and i.role is not None \
                    and i.role.kind not in ("heading", "title", "artifact") and i.line.runs:
                key = (i.role.element, i.role.part, round(i.x_pt, 1), i.line.runs[0].size_pt)
                texts.setdefault(key, []).append(i)
        for key, found in texts.items():
            words = [i.line.text.strip() for i in sorted(found, key=lambda i: i.baseline_pt)]
            if 2 <= len(words) <= 3 and " " not in words[-1] and any(" " in w for w in words[:-1]):
                alone.append((page.number, key[0], words))
    assert alone == [], alone


@pytest.mark.parametrize("edition", ["leaflet", "edition_b", "longer"])
def test_a_columns_closing_code_stands_on_the_row_beside_it(edition, request):
    """Second designer review of 269af3e, item 1: page 4's code under Asia's #15 at 117.2 mm, 4.6 mm over World's
    #64, the row it ends, beside it. A column's closing code (its frame's code_beside) stands level with the row of
    the column beside it that it ends: its top within 1 mm of a rank's top there, or under every rank of it. Fails
    on 269af3e (page 4: code 117.2 mm, ranks 66.7, 94.2, 121.8)."""
    result = request.getfixturevalue(edition)
    checked = 0
    for page in result.pages:
        boxes = {box.name: box for box in page.frames}
        template = next(t for t in result.layout.templates.values() if set(boxes) <= set(t.frames))
        for name, frame in template.frames.items():
            if not (frame.code_beside and name in boxes and frame.code_beside in boxes):
                continue
            mine, theirs = boxes[name], boxes[frame.code_beside]
            codes = [i for i in page.items if isinstance(i, QrMark)
                     and mine.x_pt - 0.01 <= i.x_pt < mine.x_pt + mine.width_pt]
            ranks = [i.baseline_pt - i.line.ascent_pt for i in page.items if isinstance(i, TextLine)
                     and i.frame == frame.code_beside and abs(i.x_pt - theirs.x_pt) < 0.01 and i.lang == "en"
                     and i.role is not None and i.role.kind != "heading"]
            for code in codes:
                if ranks:
                    assert any(abs(top - code.y_pt) < 1.0 * MM for top in ranks) or code.y_pt > max(ranks) + MM, \
                        (page.number, round(code.y_pt / MM, 1), [round(t / MM, 1) for t in ranks])
                    checked += 1
    if edition == "leaflet":
        assert checked >= 1


def _edition_b_with(tmp_path, clauses: int):
    """Edition-b whose page 2's exits note runs past typography.max_cell_bracket_phrase ('(13 IPOs and 3 mergers
    and acquisitions)': a line may break it) and whose Unicorn Day is `clauses` clauses longer, built."""
    from conftest import copy_project

    copy_project(tmp_path, parts=("layout", "fonts", "profiles", "schema", os.path.join("tests", "fixtures", "edition-b")))
    page_file = tmp_path / "tests" / "fixtures" / "edition-b" / "p2-knowledge-transfer.yaml"
    text = page_file.read_text("utf-8")
    old = 'note: {en: "(13 IPOs and 3 M&As)", zh: "（13 間上市集資及 3 間被併購）"}'
    assert old in text
    text = text.replace(old, 'note: {en: "(13 IPOs and 3 mergers and acquisitions)", '
                             'zh: "（13 間公司上市集資，另有 3 間公司被其他企業併購）"}')
    if clauses:
        text = text.replace('explored partnership opportunities"', 'explored partnership opportunities'
                            + " and".join([" shared what they learned with students"] * clauses) + '"')
        text = text.replace('並探索新的合作機會"', '並探索新的合作機會，' + "，".join(["並與學生分享經驗"] * clauses) + '"')
    page_file.write_text(text, "utf-8")
    result = build(BuildOptions(str(page_file.parent), str(tmp_path / "b.pdf"), report=True))
    assert not result.diagnostics.has_errors()
    return result


def test_a_next_editions_page_stands_on_one_column_structure_unless_it_is_too_full(tmp_path):
    """Issue 22, round 12a: a hand-written next edition with other copy lengths gets one structure too, and where
    one structure costs more than it gives (a figure step lost, the page overflowing) the better composition is kept
    and the report says so. Edition-b's page 2 with a long exits note (one a line may break): its seedbed takes the
    columns the rows under it start on (4/2/2/4 on 1, 5, 7, 9, the note on more lines of its two columns), the page
    on four columns, no note. With its Unicorn Day two clauses longer the page is too full on them at its figures'
    own size (every figure of the page a step down, to 20 pt, and its section steps closed under the rhythm's
    floor, without the remedy); its rows choose their columns again as each would alone (the seedbed's rhythm:
    3/2/3/4), the page holds its 26 pt, and the note says what moved and why. Fails with own_columns' call removed
    (seedbed on 1, 5, 7, 9 at 20 pt) and on 44b4221 (seedbed 3/2/3/4 in both, no columns recorded)."""
    fits = _edition_b_with(tmp_path / "fits", 0)
    seedbed = next(b for b in fits.pages[1].frames if b.name == "seedbed-stats")
    assert seedbed.columns == (1, 5, 7, 9) and fits.typography[1].edges == 4, (seedbed.columns, fits.typography[1].edges)
    assert not [d for d in fits.diagnostics.items if d.code == "typo-column-edges" and d.page == 2]

    full = _edition_b_with(tmp_path / "full", 2)
    seedbed = next(b for b in full.pages[1].frames if b.name == "seedbed-stats")
    assert seedbed.columns == (1, 4, 6, 9), seedbed.columns
    assert not [step for step in full.typography[1].fitted if step.startswith("stat-figure")], full.typography[1].fitted
    note = next(d for d in full.diagnostics.items if d.code == "typo-column-edges" and d.page == 2)
    assert "seedbed-stats on 1, 4, 6, 9 (on the page's columns the page is too full)" in note.message, note.message


@pytest.mark.parametrize("edition", ["leaflet", "edition_b"])
def test_a_cell_under_a_row_of_cells_hangs_from_the_cells_over_its_columns(edition, request):
    """Designer's review 21, item 3: page 1's '20 awards' stood 12.7 mm under 香港唯一一所大學 (edition-b's '23
    awards' 17.3 mm), level with the code beside it, because its row hung from the row above's lowest cell (the
    funding figure's, over the code). A row of cells under a row of cells, each cell on the columns of cells above
    it and no two of them figures, hangs each cell from the cells over its own columns: the paper over the awards'
    figure is the paper over the code (within a couple of mm: a figure's ink against a code's box, a grid step),
    and the code keeps its place. Fails on 71f2d56 (13.3 / 17.0 mm over the figure, 7.5 / 9.2 over the code)."""
    from highlight.layout.items import ink_span

    result = request.getfixturevalue(edition)
    page = result.pages[0]
    col7 = result.layout.column_x_pt(7, 1)[0]

    def spans(frame: str, right: bool) -> list:
        return [s for i in page.items if getattr(i, "frame", "") == frame and hasattr(i, "x_pt")
                and (i.x_pt >= col7 - 1) == right and (s := ink_span(i)) is not None]
    figure = min(a for a, _ in spans("excellence-row-2", False)) - max(b for _, b in spans("excellence-row-1", False))
    code = min(a for a, _ in spans("excellence-row-2", True)) - max(b for _, b in spans("excellence-row-1", True))
    assert figure <= code + 2 * MM, (round(figure / MM, 1), round(code / MM, 1))


# -- a row of stat tiles: its figure line at the deepest tile's own stack ------------------------------------------
def _figure_lines(result, page: int) -> dict:
    """{tile: (its figure line's baseline, the baseline of its lowest Chinese heading line)} of page `page`'s second
    row of tiles (talent-2): each frame's largest line, its sub-heading's last line."""
    found = {}
    for name in ("knowledge-transfer", "arts-creativity", "service-learning", "global-connectivity"):
        lines = [i for i in result.pages[page - 1].items if isinstance(i, TextLine) and i.frame == name]
        figure = max(lines, key=lambda i: max(r.size_pt for r in i.line.runs))
        heading = max(i.baseline_pt for i in lines if i.role and i.role.kind == "heading")
        found[name] = (figure.baseline_pt, heading)
    return found


@pytest.mark.parametrize("edition", ["2022-23", "edition-b"])
def test_a_row_of_stat_tiles_stands_its_figures_at_its_deepest_tiles_own_stack(edition, tmp_path):
    """Designer's review of 2824c5b, item 2: page 5's second row of tiles (Knowledge Transfer, Arts and Creativity,
    Service Learning, Global Connectivity) left 12 mm of paper between three headings and their figures. Its figure
    line stood at the sum of each slot's deepest over the tiles (Arts and Creativity's three heading lines, and Global
    Connectivity's "Around" lead-in under its heading padded to three lines as well), not at the deepest tile's own
    stack (its heading, lead-in and change). Global Connectivity's heading and lead-in stand no deeper than "Arts and /
    Creativity / 藝術與創意": so its lead-in takes no room of the row, which stands where it stands without it; and the
    lead-in stands under its own heading, one step, no room between them. Fails on 2824c5b: the figure line rises
    4.9 mm (2022-23 and edition-b) with "Around" taken out, and the lead-in stands 10.5 mm under its heading."""
    import shutil

    old = 'lead: {en: "Around"}'
    results = []
    for lead in (old, '# (no lead-in)'):
        project = tmp_path / ("with" if lead == old else "without")
        folder = project_with(project, "content/2022-23/p5-whole-person.yaml", old, lead)
        if edition == "edition-b":
            folder = str(project / "content" / "edition-b")
            shutil.copytree(os.path.join(ROOT, "tests", "fixtures", "edition-b"), folder)
            page = project / "content" / "edition-b" / "p5-whole-person.yaml"
            page.write_text(page.read_text(encoding="utf-8").replace(old, lead, 1), encoding="utf-8")
        results.append(build(BuildOptions(folder, str(project / "x.pdf"))))
    with_lead, without = (_figure_lines(r, 5) for r in results)
    levels = {round(v[0], 2) for v in with_lead.values()}
    assert len(levels) == 1, with_lead  # the row's figures level
    moved = (with_lead["arts-creativity"][0] - without["arts-creativity"][0]) / MM
    assert abs(moved) < 0.1, round(moved, 1)
    # the lead-in one step under its heading's Chinese: as near as the figure line under "藝術與創意" in its tile
    lines = [i for i in results[0].pages[4].items if isinstance(i, TextLine) and i.frame == "global-connectivity"]
    (around,) = [i for i in lines if i.line.text == "Around"]
    step = (around.baseline_pt - with_lead["global-connectivity"][1]) / MM
    assert step < (with_lead["arts-creativity"][0] - with_lead["arts-creativity"][1]) / MM, round(step, 1)
