"""The content model → one semantic HTML document (the leaflet as a web page).

Read from the edition (pages, blocks, elements, footnotes) and the layout's templates, never from the PDF:
one <h1> for the leaflet, each page a <section> titled by an <h2>, its headings ranked below it without a
skipped level; English then Chinese in every element, each Chinese run inside an element of lang
zh-Hant-HK; stats as <dl>, breakdowns as a <figure> holding an SVG chart with its own text alternative and a
<table> with row headers; pictures as <figure>/<figcaption> with the content's alt text; footnote markers
linked to their notes and back. Text the reader gets from the page's furniture (skip link, language switch,
back links) carries `data-furniture`, as the PDF marks its folio an artifact, so `check` reads the leaflet's
text only.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from html import escape

from ..chars import JOINING_PUNCTUATION
from ..content import (
    MARKER_PATTERN,
    Breakdown,
    BulletList,
    Callout,
    Edition,
    Heading,
    Image,
    Page,
    Paragraph,
    Partner,
    QrCode,
    Ranking,
    Stat,
    Text,
    footnotes_in_marker_order,
)
from ..diagnostics import Diagnostics
from ..text import BOLD_PATTERN
from .settings import WebSettings

ZH = "zh-Hant-HK"
# Ideographs, CJK punctuation and full-width forms: a run of these inside English text is Chinese.
_CJK_RUN = re.compile("[\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f"
                      "\uff00-\uffef\U00020000-\U0003ffff]+")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_INLINE = re.compile(MARKER_PATTERN.pattern + "|" + BOLD_PATTERN.pattern)


@dataclass
class PictureRef:
    """A picture the page shows: the element, its file, and what assets.py made of it (empty: left out)."""

    element: Image
    path: str | None
    src: str = ""
    srcset: str = ""
    width: int = 0
    height: int = 0


@dataclass
class _PageState:
    page: Page
    notes: dict  # marker -> note id
    refs: dict = field(default_factory=dict)  # marker -> id of its first reference in the text
    count: int = 0
    headings: list = field(default_factory=list)  # ranks of the open headings (0 theme, 1 section, 2 sub)
    share: float = 1.0  # the part of the grid's width the block being written takes on a wide screen


class HtmlWriter:
    """Writes one edition's web page (`html()`): each element kind by its writer (WRITERS), each picture
    prepared by `picture_for` (assets.py, through web_files) as it is met."""

    def __init__(self, edition: Edition, layout, settings: WebSettings, diags: Diagnostics,
                 colours: dict, picture_for=None, variant: str = ""):
        self.edition, self.layout, self.settings, self.diags = edition, layout, settings, diags
        # the languages shown: both, or one for a single-language variant (`build --lang`), as the PDF's
        self.langs = (variant,) if variant in ("en", "zh") else ("en", "zh")
        # English (a mixed line's) in a Chinese page says so; in the others English is the page's language
        self.en_mark = ' lang="en"' if self.langs == ("zh",) else ""
        self.colours = colours  # name -> screen #rrggbb (swatches use tints of them)
        self.words = frozenset(edition.words)
        self.picture_for = picture_for or (lambda image: None)
        self._ids = 0

    # -- text -----------------------------------------------------------------------------------------------
    def _id(self, stem: str) -> str:
        self._ids += 1
        return f"{stem}-{self._ids}"

    def zh_text(self, string: str) -> str:
        """Chinese text escaped, with a <wbr> at every word boundary between two ideographs (segment.py's
        dictionary and the edition's words): with `word-break: keep-all` Chinese breaks only there and at
        punctuation, never inside a word, as the print does."""
        from ..segment import ALLOWED, break_grades

        if len(_HAN.findall(string)) < 2:
            return escape(string, quote=False)
        grades = break_grades(string, self.words)
        out = []
        for i, char in enumerate(string):
            if i and grades[i] == ALLOWED and _HAN.match(char) and _HAN.match(string[i - 1]):
                out.append("<wbr>")
            out.append(escape(char, quote=False))
        return "".join(out)

    def en_text(self, string: str) -> str:
        """English text escaped, any Chinese run in it marked as Chinese."""
        out, at = [], 0
        for match in _CJK_RUN.finditer(string):
            out.append(escape(string[at:match.start()], quote=False))
            out.append(f'<span lang="{ZH}">{self.zh_text(match.group())}</span>')
            at = match.end()
        out.append(escape(string[at:], quote=False))
        return "".join(out)

    def inline(self, string: str, lang: str, state: _PageState | None) -> str:
        """A content string as HTML: **bold** as <strong>, [^m] as a link to its note (and an id to come
        back to); `lang` en or zh (mixed text is English with its Chinese runs marked)."""
        plain = self.zh_text if lang == "zh" else self.en_text
        out, at = [], 0
        for match in _INLINE.finditer(string):
            out.append(plain(string[at:match.start()]))
            marker, bold = match.group(1), match.group(2)
            if bold is not None:  # its footnote markers are links too (**Techathon[^◊]**)
                out.append(f"<strong>{self.inline(bold, lang, state)}</strong>")
            elif state is not None and marker in state.notes:
                state.count += 1
                ref_id = f"{state.notes[marker]}-ref-{state.count}"
                state.refs.setdefault(marker, ref_id)
                out.append(f'<sup class="noteref"><a id="{ref_id}" href="#{state.notes[marker]}" '
                           f'role="doc-noteref">{escape(marker)}</a></sup>')
            else:
                out.append(escape(marker or ""))
            at = match.end()
        out.append(plain(string[at:]))
        return "".join(out)

    def both(self, text: Text | None, state: _PageState | None, tag: str = "span", cls: str = "",
             sep: str = " ") -> str:
        """A Text's English then its Chinese, each in a `tag` of its own (mixed: one element)."""
        if text is None:
            return ""
        parts = []
        klass = f' class="{cls}"' if cls else ""
        if text.mixed:
            parts.append(f"<{tag}{klass}{self.en_mark}>{self.inline(text.mixed, 'en', state)}</{tag}>")
        if text.en and "en" in self.langs:
            parts.append(f'<{tag} class="en{" " + cls if cls else ""}">{self.inline(text.en, "en", state)}</{tag}>')
        if text.zh and "zh" in self.langs:
            parts.append(f'<{tag} lang="{ZH}"{klass}>{self.inline(text.zh, "zh", state)}</{tag}>')
        return sep.join(parts)

    def one(self, text: Text | None, lang: str, state: _PageState | None, tag: str = "p", cls: str = "") -> str:
        """One language of a Text (mixed counts as English, and is shown in either variant), in a `tag`, or ""
        when it has none or its language is not shown."""
        if text is None:
            return ""
        klass = f' class="{cls}"' if cls else ""
        if lang == "en":
            english = text.en if "en" in self.langs else None
            string = english or text.mixed
            if not string:
                return ""
            en_class = f' class="en{" " + cls if cls else ""}"' if english else klass
            return f"<{tag}{en_class}{self.en_mark}>{self.inline(string, 'en', state)}</{tag}>"
        if not text.zh or "zh" not in self.langs:
            return ""
        return f'<{tag} lang="{ZH}"{klass}>{self.inline(text.zh, "zh", state)}</{tag}>'

    def stacked(self, state, parts: list[tuple[Text | None, str]], tag: str = "p") -> str:
        """(text, class) pairs: every English one, then every Chinese one (the print's two bands)."""
        return "".join(self.one(text, lang, state, tag, cls) for lang in ("en", "zh") for text, cls in parts)

    # -- the document ---------------------------------------------------------------------------------------
    def html(self, css_href: str) -> str:
        edition, labels = self.edition, self.settings.labels
        # The document's title in its own language (a <title> holds no element to mark a Chinese run in)
        chinese = self.langs == ("zh",)
        title = (edition.title.zh if chinese else edition.title.en) or edition.title.mixed or edition.title.en or ""
        title_plain = re.sub(r"\s+", " ", title)

        def word(name: str) -> str:  # a label of the page's furniture in the page's own language
            text = labels[name]
            return escape((text.zh if chinese else text.en) or text.en or text.zh or "")

        pages = sorted(edition.pages, key=lambda p: p.number)
        nav = "".join(f'<li><a href="#page-{p.number}"><span class="number">{p.number}</span> '
                      f'{self.both(p.title, None)}</a></li>' for p in pages)
        switch = "" if len(self.langs) == 1 else (
                  f'<nav class="languages" aria-label="{word("languages")}" data-furniture>'
                  f'<a href="#en" lang="en">{escape(labels["english"].en or "")}</a>'
                  f'<a href="#zh" lang="{ZH}">{escape(labels["chinese"].zh or "")}</a>'
                  f'<a href="#top">{escape(labels["both"].en or "")} <span lang="{ZH}">'
                  f'{escape(labels["both"].zh or "")}</span></a></nav>\n')
        body = "".join(self.page(p) for p in pages)
        return ("<!DOCTYPE html>\n"
                f'<html lang="{ZH if chinese else "en"}">\n<head>\n<meta charset="utf-8">\n'
                '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                '<meta name="color-scheme" content="light">\n'
                # no icon: a browser would ask the host's root for /favicon.ico, outside the folder
                '<link rel="icon" href="data:,">\n'
                f"<title>{escape(title_plain)}</title>\n"
                f'<link rel="stylesheet" href="{escape(css_href)}">\n</head>\n'
                '<body id="top">\n'
                '<span id="en" class="target"></span><span id="zh" class="target"></span>\n'
                f'<a class="skip" href="#main" data-furniture>{word("skip")}</a>\n'
                f'<header class="masthead">\n<div class="wrap">\n{switch}'
                f'<h1 data-furniture>{self.both(edition.title, None)}</h1>\n'
                f'<nav class="contents" aria-label="{word("contents")}" data-furniture>'
                f'<details><summary>{self.both(labels["contents"], None)}</summary>'
                f"<ol>{nav}</ol></details></nav>\n</div>\n</header>\n"
                f'<main id="main">\n{body}</main>\n'
                + ('<script src="lang.js" defer></script>\n' if len(self.langs) > 1 else "")
                + '</body>\n</html>\n')

    def page(self, page: Page) -> str:
        notes = {note.marker: f"p{page.number}-note-{i}" for i, note in enumerate(footnotes_in_marker_order(page), 1)}
        state = _PageState(page, notes)
        title_id = f"page-{page.number}-title"
        band = self.layout.geometry.title_band
        continued = ""
        if page.continued is not None:
            continued = (f' <span class="continued" data-furniture>'
                         f'{self.both(page.continued, None, sep=escape(band.note_separator.strip()))}</span>')
        head = (f'<h2 id="{title_id}" class="band">{self.both(page.title, state)}{continued}</h2>')
        rows = "".join(self.row(page, blocks, state) for blocks in self._rows(page))
        notes_html = self.notes(page, state)
        template = self.layout.templates.get(page.template)
        style = _substitutions(template.styles if template is not None else None)
        return (f'<section class="page" id="page-{page.number}" aria-labelledby="{title_id}"{style}>\n{head}\n'
                f'<div class="body">\n{rows}</div>\n{notes_html}</section>\n')

    def _frame(self, page: Page, name: str):
        template = self.layout.templates.get(page.template)
        frames = template.frames if template is not None else {}
        if name in frames:
            return frames[name]
        return next((f for f in frames.values() if f.aliases and name in f.aliases), None)

    def _rows(self, page: Page) -> list[list]:
        """The page's blocks in content order, those whose frames stand side by side (narrower than the grid,
        placed below the same frames) grouped as one row."""
        columns = self.layout.geometry.grid.columns
        rows: list[list] = []
        last_key = None
        for block in page.blocks:
            frame = self._frame(page, block.frame)
            key = None
            if frame is not None and frame.span < columns:
                key = (tuple(frame.below or ()), frame.top_mm, frame.align_rows)
            if key is not None and key == last_key and rows:
                rows[-1].append(block)
            else:
                rows.append([block])
            last_key = key
        return rows

    def row(self, page: Page, blocks: list, state: _PageState) -> str:
        if len(blocks) == 1:
            return self.block(page, blocks[0], state)
        spans = []
        for block in blocks:
            frame = self._frame(page, block.frame)
            spans.append(frame.span if frame is not None else 1)
        columns = " ".join(f"{s}fr" for s in spans)
        inner = "".join(self.block(page, b, state) for b in blocks)
        return f'<div class="row" style="--columns: {columns}">\n{inner}</div>\n'

    def block(self, page: Page, block, state: _PageState) -> str:
        frame = self._frame(page, block.frame)
        cells = frame.cells if frame is not None else 1
        columns = self.layout.geometry.grid.columns
        state.share = (frame.span / columns / cells) if frame is not None else 1.0
        classes = ["block", f"frame-{re.sub(r'[^a-z0-9-]', '', block.frame.lower())}"]
        if frame is not None and frame.panel:
            classes.append("panel")
        if frame is not None and frame.list_columns > 1:
            classes.append("list-columns")
        style = _substitutions(frame.styles if frame is not None else None)
        if cells > 1:
            classes.append("cells")
            spans = frame.cell_spans if frame is not None and frame.cell_spans else None
            style = (style[:-1] + "; " if style else ' style="') + f"--cells: {cells}" + (
                f"; --cell-spans: {' '.join(f'{s}fr' for s in spans)}" if spans else "") + '"'
            if spans:
                classes.append("cell-spans")
        shared = frame is not None and frame.bands == "shared" and cells > 1
        if shared and all(isinstance(e, Stat) for e in block.elements):
            inner = self.shared_stats(block.elements, state)
        else:
            inner = "".join(self.element(e, state, cells > 1) for e in block.elements)
        return f'<div class="{" ".join(classes)}"{style}>\n{inner}</div>\n'

    # -- elements -------------------------------------------------------------------------------------------
    def element(self, element, state: _PageState, in_cell: bool = False) -> str:
        name = WRITERS.get(type(element))
        if name is None:  # tests/test_web.py fails first: every kind of model.Element has its writer
            raise TypeError(f"{type(element).__name__} has no writer in highlight/web/html.py (WRITERS)")
        html = getattr(self, name)(element, state)
        return f'<div class="cell">{html}</div>\n' if in_cell and not isinstance(element, Heading) else html + "\n"

    def heading(self, heading: Heading, state: _PageState) -> str:
        """Ranked under the page's <h2>: a theme (level 0) above sections (1) above sub-headings (2); a
        heading is one level below the nearest open heading of a higher rank, so no level is skipped."""
        while state.headings and state.headings[-1] >= heading.level:
            state.headings.pop()
        state.headings.append(heading.level)
        level = min(6, 2 + len(state.headings))
        kind = {0: "theme", 1: "section", 2: "sub"}.get(heading.level, "sub")
        return f'<h{level} class="{kind}">{self.both(heading.text, state)}</h{level}>'

    def paragraph(self, paragraph: Paragraph, state: _PageState) -> str:
        return self.stacked(state, [(paragraph.text, "")])

    def bullets(self, bullets: BulletList, state: _PageState) -> str:
        items = "".join(f"<li>{self.both(item, state, sep='')}</li>" for item in bullets.items)
        return f'<ul class="list">{items}</ul>'

    def _figure_line(self, stat: Stat, state) -> str:
        """The figure, its unit (English, then Chinese) and its change: one line that wraps where it must."""
        parts = [f'<span class="figure">{escape(stat.figure)}</span>']
        for text, cls in ((stat.unit, "unit"), (None if self._change_reads_in_label(stat) else stat.change, "change")):
            if text is None:
                continue
            if text.mixed or (text.en and "en" in self.langs):
                parts.append(f'<span class="{cls}"{self.en_mark}>{self.inline(text.en or text.mixed or "", "en", state)}'
                             "</span>")
            # (a change written the same in both languages is printed once, on the figure line)
            if text.zh and "zh" in self.langs and (cls == "unit" or text.zh != text.en or "en" not in self.langs):
                parts.append(f'<span class="{cls}" lang="{ZH}">{self.inline(text.zh, "zh", state)}</span>')
        return " ".join(parts)

    def _stat_words(self, stat: Stat, state, langs=("en", "zh")) -> str:
        """A stat's words: its label (bold) in English then Chinese, its badge, its note in English then
        Chinese (the print's reading order)."""
        langs = tuple(lang for lang in langs if lang in self.langs)
        out = [self.one(stat.label, lang, state, "dd", "label") for lang in langs]
        if self._change_reads_in_label(stat) and stat.change is not None:
            # each language's sentence in turn, its change after its label: "… talents (+9% YoY)", "…交流（按年
            # +100%）及240名學生…" (the print's reading order for a change with its Chinese twin)
            change = {lang: f' <span class="change">{self.inline(getattr(stat.change, lang), lang, state)}</span></dd>'
                      for lang in langs}
            notes = [self.one(stat.note, lang, state, "dd", "note") for lang in langs]
            for n, lang in enumerate(langs):
                # a note that goes on from the change with a comma ("（按年 +4%），為專利…"): the comma after the
                # change, where the copy deck prints it, not at the head of the note's line
                string = getattr(stat.note, lang, None) if stat.note is not None else None
                if notes[n] and string and string[0] in JOINING_PUNCTUATION:
                    mark = escape(string[0], quote=False)
                    notes[n] = notes[n].replace(f">{mark}", ">", 1)
                    change[lang] = change[lang].replace("</span></dd>", f"{mark}</span></dd>")
            return "".join(dd.replace("</dd>", change[lang]) + note for dd, note, lang in zip(out, notes, langs))
        if "en" in langs and stat.badge:
            out.append(f'<dd class="badge">{self.both(stat.badge, state)}</dd>')
        out += [self.one(stat.note, lang, state, "dd", "note") for lang in langs]
        return "".join(out)

    def _change_reads_in_label(self, stat: Stat) -> bool:
        """A change with its Chinese twin reads in each language's label, as the print draws it and the copy deck
        prints it ("in scholarships for academic talents (+9% YoY)"): on the web page it stands there."""
        change, label = stat.change, stat.label
        return bool(change and change.en and change.zh and change.zh != change.en and label and label.en
                    and label.zh and {"en", "zh"} <= set(self.langs))

    def stat(self, stat: Stat, state: _PageState) -> str:
        stat = _chinese_lead_read_on(stat, self.langs)
        lead = self.stacked(state, [(stat.lead, "lead")], "span")
        dt = f'<dt>{lead}<span class="figure-line">{self._figure_line(stat, state)}</span></dt>'
        dds = self._stat_words(stat, state)
        if not dds:  # a figure alone (its words in its lead): no term without a description
            return f'<p class="stat stat-alone">{dt[4:-5]}</p>'
        return f'<dl class="stat">{dt}{dds}</dl>'

    def shared_stats(self, stats, state: _PageState) -> str:
        """A row of stats whose cells share their bands (`bands: shared`): each figure with its English, then
        the row's Chinese beneath, as the print sets it."""
        en = "".join(f'<div class="cell"><dl class="stat">'
                     f'<dt>{self.stacked(state, [(s.lead, "lead")], "span")}'
                     f'<span class="figure-line">{self._figure_line(s, state)}</span></dt>'
                     f'{self._stat_words(s, state, ("en",)) or "<dd></dd>"}</dl></div>' for s in stats)
        zh = "".join(f'<div class="cell zh-band">{self._stat_words(s, state, ("zh",)).replace("<dd", "<p").replace("</dd>", "</p>")}'
                     "</div>" for s in stats)
        return en + zh

    def callout(self, callout: Callout, state: _PageState) -> str:
        return ('<div class="callout">' + self.stacked(state, [(callout.lead, "lead"), (callout.headline, "headline"),
                                                               (callout.text, "")]) + "</div>")

    def ranking(self, ranking: Ranking, state: _PageState) -> str:
        words = self.stacked(state, [(ranking.title, "title"), (ranking.note, "note"), (ranking.source, "source")])
        return (f'<div class="ranking"><p class="rank">{escape(ranking.rank)}</p>'
                f'<div class="words">{words}</div></div>')

    def partner(self, partner: Partner, state: _PageState) -> str:
        return ('<div class="partner">' + self.stacked(state, [(partner.name, "name"), (partner.status, "status"),
                                                               (partner.text, "")]) + "</div>")

    def qr(self, qr: QrCode, state: _PageState) -> str:
        """The link the code stands for; a placeholder (no url) is left out, its caption kept as text."""
        caption = self.stacked(state, [(qr.caption, "")])
        if qr.url is None:
            self.diags.warning("web-qr-placeholder", "QR code has no url: the web page shows its caption without "
                               "a link", qr.ref, page=state.page.number,
                               hint="add url: https://... to the element to link it")
            return f'<div class="qr-caption">{caption}</div>'
        return (f'<p class="qr"><a href="{escape(qr.url)}">{self.both(qr.caption, state, sep=" ")}</a></p>')

    def picture(self, image: Image, state: _PageState) -> str:
        placed = self.picture_for(image)
        caption = self.stacked(state, [(image.caption, "caption"), (image.credit, "credit")], "span")
        figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
        # The alternative text in the page's language (an alt attribute cannot mark a second one); on a bilingual
        # page the Chinese follows for screen readers alone, in an element of its own language
        first = "zh" if self.langs == ("zh",) else "en"
        alt = (image.alt.zh if first == "zh" else image.alt.en) or image.alt.mixed or image.alt.en or image.alt.zh or ""
        second = (f'<span class="sr-only" lang="{ZH}">{escape(image.alt.zh)}</span>'
                  if len(self.langs) == 2 and image.alt.zh and image.alt.en else "")
        if placed is None or not placed.src:
            return f'<figure class="picture missing">{figcaption}</figure>' if figcaption else ""
        # The width it is shown at: its cell's share of the page's 72rem measure on a wide screen, the
        # window's width on a phone (where cells stack)
        sizes = f"(min-width: 72rem) {72 * state.share:.1f}rem, (min-width: 48rem) {100 * state.share:.0f}vw, 100vw"
        srcset = f' srcset="{escape(placed.srcset)}" sizes="{sizes}"' if placed.srcset else ""
        cls = f"picture fit-{image.fit}"
        # The print's box height (height_mm) at the screen's scale: a point of type is px_per_pt CSS pixels,
        # so a millimetre is px_per_pt * 72 / 25.4 of them; the picture fills it as the print does (fit, focus)
        height = (f"height: {image.height_mm * self.settings.px_per_pt * 72 / 25.4:.0f}px; "
                  if image.height_mm else "")
        style = f' style="{height}object-position: {image.focus[0] * 100:g}% {image.focus[1] * 100:g}%"'
        return (f'<figure class="{cls}"><img src="{escape(placed.src)}"{srcset} width="{placed.width}" '
                f'height="{placed.height}" alt="{escape(alt)}" loading="lazy" decoding="async"{style}>{second}'
                f"{figcaption}</figure>")

    # -- breakdowns -----------------------------------------------------------------------------------------
    def breakdown(self, table: Breakdown, state: _PageState) -> str:
        from ..chartrows import chart_rows

        spec = self.layout.geometry.charts
        rows = chart_rows(table, spec)
        cap_id = self._id(f"p{state.page.number}-chart")
        caption = self.both(table.caption, state) if table.caption else ""
        total = f'<span class="figure" data-derived>{table.total:,}</span>'
        if table.unit:
            total += " " + self.both(table.unit, state)
        chart = self.ring_svg(rows, cap_id)
        body = []
        for row in rows:
            colour = self._swatch(row.swatch)
            swatch = f'<span class="swatch" style="background: {colour}"></span>'
            body.append(self._row(row.label, row.count, row.percent, swatch, state, "group" if row.members else "",
                                  derived=bool(row.members)))
            for member in row.members:
                body.append(self._row(member.label, member.count, member.percent, "", state, "member"))
        return (f'<figure class="breakdown"><figcaption id="{cap_id}">{caption}'
                f'<span class="total">{total}</span></figcaption>'
                f'<div class="chart">{chart}</div>'
                f'<table aria-labelledby="{cap_id}"><tbody>{"".join(body)}</tbody></table></figure>')

    def _row(self, label: Text, count: int, percent, swatch: str, state, cls: str, derived: bool = False) -> str:
        """A table row: its label as the row's header, its count and share. An Others row's figures are sums
        the content does not print (`data-derived`, as the PDF makes them artifacts: `check` skips them)."""
        klass = f' class="{cls}"' if cls else ""
        mark = " data-derived" if derived else ""
        percent_cell = f"<td{mark}>{percent:.1f}%</td>" if percent is not None else "<td></td>"
        return (f'<tr{klass}><th scope="row">{swatch}{self.both(label, state)}</th>'
                f"<td{mark}>{count:,}</td>{percent_cell}</tr>")

    def _swatch(self, swatch) -> str:
        if swatch is None:
            return self.colours.get("primary", "#000000")
        base = self.colours.get(swatch.colour, "#000000")
        channels = [int(base[i:i + 2], 16) for i in (1, 3, 5)]
        return "#" + "".join(f"{round(255 - (255 - c) * swatch.tint):02x}" for c in channels)

    def ring_svg(self, rows, cap_id: str) -> str:
        """The ring of the print, as inline SVG: one arc per legend row, largest first from twelve o'clock;
        its text alternative is each row's label and share, in English (title) and Chinese (desc)."""
        total = sum(row.count for row in rows) or 1
        radius, hole = 50.0, 50.0 * self.layout.geometry.elements.ring_hole
        labelled = self.settings.ring_label_min_percent
        paths, labels, angle = [], [], -math.pi / 2

        def point(r: float, a: float) -> str:
            return f"{60 + r * math.cos(a):.2f} {60 + r * math.sin(a):.2f}"

        for row in rows:
            sweep = 2 * math.pi * row.count / total
            if sweep <= 0:
                continue
            end = angle + sweep
            if sweep >= 2 * math.pi - 1e-9:
                end = angle + 2 * math.pi - 1e-4
            large = 1 if sweep > math.pi else 0
            d = (f"M{point(radius, angle)} A{radius:g} {radius:g} 0 {large} 1 {point(radius, end)} "
                 f"L{point(hole, end)} A{hole:.2f} {hole:.2f} 0 {large} 0 {point(hole, angle)}Z")
            paths.append(f'<path d="{d}" fill="{self._swatch(row.swatch)}"/>')
            portion = 100.0 * row.count / total
            if portion >= labelled and not row.members:  # a large segment's count and share beside it
                middle = (angle + end) / 2
                x, y = 60 + (radius + 7) * math.cos(middle), 60 + (radius + 7) * math.sin(middle)
                anchor = "start" if math.cos(middle) > 0.25 else "end" if math.cos(middle) < -0.25 else "middle"
                y += -6 if math.sin(middle) < -0.5 else 4 if math.sin(middle) > 0.5 else -1
                percent = f'<tspan x="{x:.2f}" dy="9">{row.percent:.1f}%</tspan>' if row.percent is not None else ""
                labels.append(f'<text x="{x:.2f}" y="{y:.2f}" text-anchor="{anchor}">'
                              f'<tspan class="count">{row.count:,}</tspan>{percent}</text>')
            angle = end

        def share(row, lang: str) -> str:
            label = (row.label.en or row.label.mixed or row.label.zh) if lang == "en" else (row.label.zh or row.label.en)
            figure = f"{row.percent:.1f}%" if row.percent is not None else f"{row.count:,}"
            return f"{re.sub(r'[*]{2}', '', MARKER_PATTERN.sub('', label or ''))} {figure}"

        # its text alternative in each language shown: the first the SVG's <title>, the second its <desc>
        names = []
        for n, lang in enumerate(self.langs):
            words = ("; " if lang == "en" else "、").join(share(row, lang) for row in rows)
            tag, element_id = ("title", "desc")[n], self._id(f"chart-{lang}")
            mark = f' lang="{ZH}"' if lang == "zh" else ""
            names.append((element_id, f'<{tag} id="{element_id}"{mark}>{escape(words)}</{tag}>'))
        named_by = " ".join([cap_id] + [element_id for element_id, _ in names])
        return (f'<svg viewBox="-34 -14 188 148" role="img" aria-labelledby="{named_by}" '
                f'focusable="false">{"".join(markup for _, markup in names)}'
                f'<g stroke="{self.colours.get("white", "#ffffff")}" stroke-width="0.8">{"".join(paths)}</g>'
                f'<g class="values">{"".join(labels)}</g></svg>')

    # -- notes ----------------------------------------------------------------------------------------------
    def notes(self, page: Page, state: _PageState) -> str:
        if not page.footnotes:
            return ""
        back = self.settings.labels["back"]
        # the back link's name in the page's language (its own element: it may stand in a note's other language)
        back_lang, back_name = (ZH, back.zh) if self.langs == ("zh",) and back.zh else ("en", back.en)
        items = []
        for note in footnotes_in_marker_order(page):
            note_id = state.notes[note.marker]
            ref = state.refs.get(note.marker)
            back_link = ""
            if ref:
                back_link = (f' <a class="back" lang="{back_lang}" href="#{ref}" role="doc-backlink" data-furniture '
                             f'aria-label="{escape(back_name or "")}"><span aria-hidden="true">↩</span></a>')
            text = self.both(note.text, state)
            if back_link and text.endswith("</span>"):  # at the end of the note's last language
                text, back_link = text[:-len("</span>")] + back_link + "</span>", ""
            items.append(f'<li id="{note_id}"><span class="marker">{escape(note.marker)}</span> {text}{back_link}</li>')
        return f'<footer class="notes"><ol role="list">{"".join(items)}</ol></footer>\n'


# Each element kind's writer (a method of HtmlWriter), by its content dataclass: a kind added to the model
# without one here is a test failure (tests/test_web.py), never an element silently left out of the page.
WRITERS: dict[type, str] = {Heading: "heading", Paragraph: "paragraph", BulletList: "bullets", Stat: "stat",
                            Callout: "callout", Ranking: "ranking", Breakdown: "breakdown", Partner: "partner",
                            QrCode: "qr", Image: "picture"}


def _substitutions(styles: dict | None) -> str:
    """A template's or frame's style substitutions (templates.yaml `styles:`, e.g. page 5's labels set as
    stat-label-long) as the custom properties the style sheet sizes those styles by."""
    if not styles:
        return ""
    props = "; ".join(f"--fs-{re.sub(r'[^a-z0-9-]', '', old)}: var(--fs-{re.sub(r'[^a-z0-9-]', '', new)})"
                      for old, new in sorted(styles.items()))
    return f' style="{props}"'


def _chinese_lead_read_on(stat: Stat, langs) -> Stat:
    """A stat whose Chinese lead-in runs on into the Chinese under its figure (舉辦科大旗艦活動，吸引了逾 | 1,700 位投資者…):
    on the web page, which reflows, the Chinese is one sentence, its lead-in at the head of its label or note, as the
    print reads it (layout.elements._reading_order) and the copy deck prints it; the English lead-in stays over the
    figure. A stat with no Chinese under its figure keeps its Chinese lead-in there."""
    lead = stat.lead
    if lead is None or not lead.zh or "zh" not in langs:
        return stat
    for name in ("label", "note"):
        words = getattr(stat, name)
        if words is not None and words.zh:
            return replace(stat, lead=replace(lead, zh=None) if lead.en else None,
                           **{name: replace(words, zh=lead.zh + words.zh)})
    return stat
