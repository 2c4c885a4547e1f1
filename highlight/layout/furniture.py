"""The page's own parts around the body: the title band, the footnotes and the folio."""
from __future__ import annotations

from dataclasses import replace

from ..content import Edition, Page, footnotes_in_marker_order
from ..diagnostics import Diagnostics
from ..layout_spec import MM
from ..text import Span
from .items import ARTIFACT, Box, Role, TextLine, _first_baseline, _shift
from .stacking import FrameContext


def title_band(ctx: FrameContext, page: Page) -> tuple[list, bool]:
    """The band and the title on it; and whether the title overflows it (an error, reported here)."""
    layout = ctx.layout
    g = layout.geometry
    width = layout.page_width_pt
    band_h = g.title_band.height_mm * MM
    items: list = [Box(0, 0, width, band_h, layout.colours[g.title_band.colour], bleeds=True)]
    ctx = ctx.but(frame="title-band")
    title_items: list = []
    title_w = width - (g.margins_mm.left + g.margins_mm.right) * MM
    # English, then Chinese beneath, on every page: the first baseline stands at one height on all
    # pages, so the titles of a spread are level whatever their lengths.
    title_col = ctx.column(title_items, page.title.ref, "en", title_w, role=Role("title", "title"))
    title_col.text(page.title, "title")
    title_col.text(page.title, "title", "zh")
    en_style, zh_style = ctx.style("title", "en"), ctx.style("title", "zh")
    ascent = en_style.size_pt * 0.72  # cap height: the optical top of the English line
    standard_h = ascent + zh_style.leading_pt + zh_style.size_pt * 0.1  # to the foot of the ideographs
    baselines = [i.baseline_pt for i in title_items if isinstance(i, TextLine)]
    title_h = (baselines[-1] - baselines[0] + standard_h - zh_style.leading_pt) if baselines else 0.0
    room = band_h - 2 * g.page.safe_mm * MM
    overflowed = title_h > room + 0.5
    if overflowed:
        ctx.diags.error("overflow", f"the title is {(title_h - room) / MM:.1f} mm too tall for the title band "
                        f"({title_h / MM:.1f} mm of text, {room / MM:.1f} mm inside the safe area): each "
                        "language must keep to one line", page.title.ref, page=page.number,
                        hint="shorten the title, or raise title_band.height_mm in the edition's layout/page.yaml")
    first = _first_baseline(title_items) or 0.0
    # Optically centred (the English capitals to the foot of the ideographs), but never with the English
    # em box (0.88 em above its baseline) inside the safe margin.
    baseline = max((band_h - standard_h) / 2 + ascent, g.page.safe_mm * MM + 0.88 * en_style.size_pt)
    items.extend(_shift(i, g.margins_mm.left * MM, baseline - first) for i in title_items)
    if page.continued is not None:  # the theme goes on from the facing page: said at the band's right, level
        note_ctx = ctx.but(frame="title-note")  # with the English title (furniture: not in the printed source)
        en, zh = (note_ctx.spans(page.continued, "title-note", lang) for lang in ("en", "zh"))
        spans = en + [Span(g.title_band.note_separator, en[-1].style, lang="zh")] + zh if en and zh else en or zh
        lines = note_ctx.setter.set(spans, title_w, "right")
        if lines:
            items.append(TextLine(g.margins_mm.left * MM, baseline, lines[0], page.continued.ref, "title-note", "en",
                                  ARTIFACT))
    return items, overflowed


def footnotes(ctx: FrameContext, page: Page, width: float, columns: tuple[int, ...] = ()) -> tuple[list, float]:
    """The page's footnotes and their height (_footnotes), set once for a context, page, measure and columns while
    the page is laid out (the context's `fills`: a page asks for its notes on each grid at each trial of its
    body), the same items and diagnostics given again."""
    memo = getattr(ctx, "fills", None)
    if memo is None:
        return _footnotes(ctx, page, width, columns)

    def made(quiet: FrameContext) -> tuple:
        items, height = _footnotes(quiet, page, width, columns)
        return tuple(items), height, page  # (the page kept with them: its id is in the key)

    items, height, _ = memo.taken(ctx, ("footnotes", id(page), width, tuple(columns)), made)
    return list(items), height


def _footnotes(ctx: FrameContext, page: Page, width: float, columns: tuple[int, ...] = ()) -> tuple[list, float]:
    """The page's footnotes from y = 0, and their height, in the order their markers first appear on the
    page. A bilingual note is a row of two columns on the grid, its English on the left columns and its Chinese
    on the rest, each marker on its grid column's edge and its text after it on one indent (the measure holds
    both: nothing hangs in the margin or the gutter): a long note reads on a measure of some 60 characters (DESIGN.md: long footnotes in two columns), a
    short one takes one line, and both languages carry the marker. The notes stand on the page's own columns:
    their Chinese starts on the page's half (`footnote_english_columns` + 1) or a grid column where a frame or cell
    of the body above starts (`columns`, 1-based), the one that sets the notes shortest, the nearest to the half
    among equals, the English on at most one column more. A note in one language (or a single-language
    variant) runs across the page. Every note ends with its language's full stop (`footnote_stop_en`,
    `footnote_stop_zh`): where the copy has none the layout adds it, as furniture."""
    grid = ctx.layout.geometry.grid
    preferred = min(ctx.m.footnote_english_columns, grid.columns - 1)
    # neither language on under a third of the grid, nor the English past one column over the half (a reading
    # measure, DESIGN.md: 55-80 characters; 8 columns of 7 pt run to 90)
    reach = range(grid.columns // 3, preferred + 2)
    # (the page's half always among them: the leaflet's notes stand alike on every page where the half sets them as
    # short; page 5 on 1, 4, 6, 9 set its English on five columns, six lines to the folio, designer's review 24)
    choices = sorted({c - 1 for c in columns if c - 1 in reach} | {preferred}, key=lambda e: (abs(e - preferred), e))
    if not page.footnotes or len(choices) == 1:
        return _notes(ctx, page, width, choices[0])
    tried = []  # (the notes set on each choice, what that said): the shortest taken, what it said said
    for english in choices:
        said = Diagnostics()
        tried.append((_notes(ctx.but(diags=said), page, width, english), said))
    (items, height), said = min(tried, key=lambda t: t[0][1])  # (the first of the shortest)
    ctx.diags.extend(said)
    return items, height


def _notes(ctx: FrameContext, page: Page, width: float, english: int) -> tuple[list, float]:
    """The footnotes with their English on the first `english` grid columns, their Chinese on the rest."""
    out: list = []
    y = 0.0
    ctx = ctx.but(frame="footnotes")
    grid = ctx.layout.geometry.grid
    gutter = grid.gutter_mm * MM
    column = (width - (grid.columns - 1) * gutter) / grid.columns
    en_w = english * column + (english - 1) * gutter  # on the grid: English on its columns, Chinese on the rest
    notes = footnotes_in_marker_order(page)
    # Each marker stands on its column's edge, inside the measure (not hanging in the margin or the gutter), and
    # the notes' texts after it on one indent: the page's widest marker and a quarter em (Han–Latin's gap).
    indent = {lang: max((ctx._natural([Span(note.marker, ctx.style("footnote", lang), lang=lang)]) for note in notes),
                        default=0.0) + 0.25 * ctx.style("footnote", lang).size_pt for lang in ("en", "zh")}
    for note in notes:
        key = note.ref.yaml_path or ""  # footnotes[i]: the note, its marker and its text
        both = bool((note.text.en or note.text.mixed) and note.text.zh) and len(ctx.languages) == 3
        columns = ([("en", 0.0, en_w), ("zh", en_w + gutter, width - en_w - gutter)] if both
                   else [(None, 0.0, width)])
        bottoms = []
        for lang, x, column_w in columns:
            start = len(out)
            # the Chinese column starts where its first baseline stands level with the English one's
            level = (ctx.style("footnote", "en").leading_pt - ctx.style("footnote", "zh").leading_pt) / 2 \
                if lang == "zh" else 0.0
            # the text after its marker's indent, to its column's edge
            inset = indent[lang or "en"]
            col = ctx.column(out, note.ref, lang or "en", column_w - inset, x + inset, y + level,
                             Role("footnote", key))
            for text_lang in ([lang] if lang else ["en", "zh"]):
                before = len(out)
                spans = ctx.spans(note.text, "footnote", text_lang)
                stop = _full_stop(ctx, note.text, text_lang) if spans else []
                col.add(spans + stop)
                if stop and len(out) > before:
                    out[-1] = _stop_as_furniture(ctx, out[-1], stop[0])
            bottoms.append(col.y)
            first = next((i for i in out[start:] if isinstance(i, TextLine)), None)
            if first is None:
                continue
            mark_style = ctx.style("footnote", lang or "en")
            mark = TextLine(x, first.baseline_pt, ctx.setter.set(
                [Span(note.marker, mark_style, lang=lang or "en")], inset, "left")[0], note.ref, ctx.frame,
                lang or "en", Role("footnote-label", key))
            # The Chinese marker is drawn after its note, so that text taken from the PDF reads as the
            # source does ("… June 30, 2023. 2022年7月1日…").
            out.insert(len(out) if lang == "zh" else start, mark)
        y = max(bottoms)
    return out, y


def _full_stop(ctx: FrameContext, text, lang: str) -> list:
    """The full stop a note in `lang` is closed with, as a span, where the layout asks for one and the note's
    text ends without closing punctuation; else none."""
    stop = ctx.m.footnote_stop_zh if lang == "zh" else ctx.m.footnote_stop_en
    string = (getattr(text, lang, None) or (text.mixed if lang == "en" else None) or "").rstrip()
    if not stop or not string or string[-1] in ".。!?！？" or string.endswith(stop):
        return []
    return [Span(stop, ctx.style("footnote", lang), lang=lang)]


def _stop_as_furniture(ctx: FrameContext, line: TextLine, stop: Span) -> TextLine:
    """The note's last line with the full stop the layout added split off its last run as an artifact: drawn,
    but not the copy's text (check --source reads the note as the copy deck prints it)."""
    runs = list(line.line.runs)
    last = runs[-1]
    if not last.text.endswith(stop.text) or len(last.text) <= len(stop.text):
        return line
    head = last.text[: -len(stop.text)]
    style = replace(stop.style, size_pt=last.size_pt)
    w = ctx._natural([Span(last.text, style, lang=stop.lang)]) - ctx._natural([Span(head, style, lang=stop.lang)])
    runs[-1:] = [replace(last, text=head, width_pt=last.width_pt - w),
                 replace(last, x_pt=last.x_pt + last.width_pt - w, text=stop.text, width_pt=w, artifact=True)]
    return replace(line, line=replace(line.line, runs=tuple(runs)))


def folio(ctx: FrameContext, page: Page, edition: Edition, width: float) -> list:
    """The edition's title and the page number in the foot margin, mirrored across the spread: the number
    outside (left on even pages, right on odd), the title inside."""
    g = ctx.layout.geometry
    out: list = []
    ctx = ctx.but(frame="folio")
    spans = ctx.inline_pair(edition.title, "folio")
    baseline = ctx.layout.page_height_pt - g.folio_mm * MM
    number = [Span(str(page.number), ctx.style("folio-number", "en"))]
    left = g.margins_mm.left * MM
    even = page.number % 2 == 0
    for spans_, align in ((spans, "right" if even else "left"), (number, "left" if even else "right")):
        lines = ctx.setter.set(spans_, width, align)
        if lines:
            out.append(TextLine(left, baseline, lines[0], page.ref, "folio", "en", ARTIFACT))
    return out
