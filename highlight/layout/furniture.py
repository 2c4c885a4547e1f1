"""The page's own parts around the body: the title band, the footnotes and the folio."""
from __future__ import annotations

from ..content import Edition, Page, footnotes_in_marker_order
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
    title_col = ctx.column(title_items, page.ref, "en", title_w, role=Role("title", "title"))
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


def footnotes(ctx: FrameContext, page: Page, width: float) -> tuple[list, float]:
    """The page's footnotes from y = 0, and their height, in the order their markers first appear on the
    page. A bilingual note is a row of two columns, its English on the left and its Chinese on the
    right, each after the note's marker hanging in its own column: a long note reads on a measure of
    some 60 characters (DESIGN.md: long footnotes in two columns), a short one takes one line, and both
    languages carry the marker. A note in one language (or a single-language variant) runs across the
    page."""
    out: list = []
    y = 0.0
    ctx = ctx.but(frame="footnotes")
    style = ctx.style("footnote", "en")
    indent = 2.2 * style.size_pt  # markers hang in their own column; the text aligns after it
    grid = ctx.layout.geometry.grid
    gutter = grid.gutter_mm * MM
    column = (width - (grid.columns - 1) * gutter) / grid.columns
    english = min(ctx.m.footnote_english_columns, grid.columns - 1)
    en_w = english * column + (english - 1) * gutter  # on the grid: English on its columns, Chinese on the rest
    for note in footnotes_in_marker_order(page):
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
            col = ctx.column(out, note.ref, lang or "en", column_w - indent, x + indent, y + level,
                             Role("footnote", key))
            for text_lang in ([lang] if lang else ["en", "zh"]):
                col.text(note.text, "footnote", text_lang)
            bottoms.append(col.y)
            first = next((i for i in out[start:] if isinstance(i, TextLine)), None)
            if first is None:
                continue
            mark_style = ctx.style("footnote", lang or "en")
            mark = TextLine(x, first.baseline_pt, ctx.setter.set([Span(note.marker, mark_style, lang=lang or "en")],
                                                                  indent, "left")[0], note.ref, ctx.frame, lang or "en",
                            Role("footnote-label", key))
            # The Chinese marker is drawn after its note, so that text taken from the PDF reads as the
            # source does ("… June 30, 2023. 2022年7月1日…").
            out.insert(len(out) if lang == "zh" else start, mark)
        y = max(bottoms)
    return out, y


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
