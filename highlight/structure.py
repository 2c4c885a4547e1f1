"""What each drawn item *is*: the logical structure of laid-out pages, for tagged PDF (and any other output).

The layout stamps every item it places with its role (layout/items.py `Role`: title, heading, paragraph,
list body, table caption / header / cell, caption, figure, footnote label and text, artifact), the element
it belongs to and the part of it (a list item, a table row); this module builds the element tree from those
roles alone. An item without a role is refused (a bug of the layout), never guessed into a P. Rings are the
Figure of their table, QR codes and pictures a Figure each, boxes and rules (panels, bars, the bullets)
artifacts, and so are the lines of the folio, a running note and a chart's computed total.

Language belongs to the run, not the line: an English line that carries Chinese
("Research Power 研究實力") is split into an English and a Chinese segment, each
its own marked content with its own language. Within each element its English
comes first, then its Chinese, whatever order the layout drew them in, so a
screen reader reads each pair together.

`page_structure(page)` returns the page's element tree (a Sect) and, for each
item, what the renderer marks it as; the renderer only emits MCIDs, and
`tags.py` writes the tree into the PDF.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .layout import LaidOutPage, Picture, QrMark, Ring, TextLine
from .layout.items import Role

EN, ZH = "en", "zh-Hant"
# The standard structure type of a leaf, by the role of its lines (layout/items.py ROLES; tables, lists,
# footnotes and the title are built above). A picture's caption and credit stay a P beside its Figure.
LEAF_TAGS = {"heading": "H2", "paragraph": "P", "caption": "P"}
STRUCTURED = ("title", "table-caption", "table-header", "table-cell", "list-body", "list-label", "footnote",
              "footnote-label", "figure", "artifact")  # the roles page_structure builds an element of its own for


# Han characters, CJK punctuation and full-width forms (a regular expression of these ranges takes milliseconds
# to compile, at every start-up).
_HAN_RANGES = ((0x3000, 0x303F), (0x3400, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))
_LETTER = re.compile(r"[^\W\d_]")


def has_han(text: str) -> bool:
    """Han characters, CJK punctuation or full-width forms: text a Chinese reader reads."""
    if not text or max(text) < "\u3000":  # (most Latin lines stop here)
        return False
    return any(low <= code <= high for code in map(ord, text) for low, high in _HAN_RANGES)


@dataclass(eq=False)
class Marked:
    """One marked-content sequence: its page (0-based) and MCID, its language and text."""

    page: int
    mcid: int
    lang: str
    text: str


@dataclass(eq=False)
class Element:
    kind: str  # a PDF standard structure type: Document, Sect, H1, H2, P, L, LI, LBody, Table, TR, TH, TD, …
    ref: object = None  # the SourceRef of the YAML that made it
    lang: str | None = None
    alt: str | None = None
    title: str | None = None
    scope: str | None = None  # TH: Row or Column
    children: list = field(default_factory=list)  # Elements and Marked
    url: str | None = None  # a Link's target (its annotation is attached by tags.py)
    note_id: str | None = None  # a Note's /ID
    key: str = ""  # the YAML path of the element it stands for (where one page's lookups need it)

    def add(self, child):
        self.children.append(child)
        return child

    def text(self, lang: str | None = None) -> str:
        """The element's text in one language (both when None), lines joined by spaces."""
        parts = []
        for child in self.children:
            if isinstance(child, Marked):
                if lang is None or child.lang == lang:
                    parts.append(child.text.strip())
            else:
                parts.append(child.text(lang))
        out = ""
        for part in (p for p in parts if p):
            # Lines of Chinese join with nothing between them; English ones with a space.
            out += part if not out or has_han(out[-1]) or has_han(part[0]) else " " + part
        return out

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.walk()

    def finish(self) -> None:
        """Each leaf: its English, then its Chinese; a leaf of two languages is split into a Span per language."""
        for element in list(self.walk()):
            marked = [c for c in element.children if isinstance(c, Marked)]
            if not marked:
                continue
            marked.sort(key=lambda m: m.lang != EN)  # stable: each language keeps its reading order
            langs = [m.lang for m in marked]
            if len(set(langs)) == 1:
                element.lang = langs[0]
                element.children = marked
            else:
                element.lang = EN
                spans: dict[str, Element] = {}
                for m in marked:
                    spans.setdefault(m.lang, Element("Span", element.ref, m.lang)).children.append(m)
                element.children = list(spans.values())


@dataclass
class PagePlan:
    """What the renderer marks each item as: `segments[i]` for a TextLine is [(first run, end run, Element
    or None for an artifact, lang)]; `figures[i]` the Figure a Ring or QrMark belongs to. Anything absent
    from both is an artifact."""

    sect: Element
    segments: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)
    captions: dict = field(default_factory=dict)  # a QR code's Figure -> the P of its caption


def _languages(runs, line_lang: str) -> list:
    """Each run's language: Chinese if it holds Han (or the line is Chinese), English if it holds letters,
    except a Latin word inside Chinese with no space before it ("生成式AI開創"). Figures, punctuation and
    spaces go with what they stand beside: with what follows after a space ("areas: 6 大策略性"), else with
    what precedes. A Chinese line is Chinese, unless it holds no Han at all (an English name the Chinese sentence
    quotes, broken onto a line of its own in a narrow cell: "Techathon◊ 2023"): that line reads as English."""
    if line_lang == "zh" and any(has_han(run.text) for run in runs):
        return [ZH] * len(runs)
    langs: list = []
    previous, previous_text = EN, ""
    for run in runs:
        text = run.text
        if has_han(text):
            lang = ZH
        elif _LETTER.search(text):
            joined = previous == ZH and not text[:1].isspace() and not previous_text[-1:].isspace()
            lang = ZH if joined else EN
        else:
            lang = None
        langs.append(lang)
        if lang is not None:
            previous = lang
        previous_text = text
    for i, run in enumerate(runs):
        if langs[i] is None:
            spaced = run.text[:1].isspace() or (i and runs[i - 1].text[-1:].isspace())
            after = next((lang for lang in langs[i + 1:] if lang is not None), None)
            before = next((lang for lang in reversed(langs[:i]) if lang is not None), None)
            langs[i] = (after if spaced and after else before or after) or EN
    return langs


def _segments(item: TextLine, element_for_lang) -> list:
    """(start, end, element or None, lang): runs split where the language changes; artifact runs apart."""
    out: list[list] = []
    runs = item.line.runs
    langs = _languages(runs, item.lang)
    for i, run in enumerate(runs):
        if run.artifact or not run.face:
            key = (None, "")
        else:
            key = (element_for_lang(langs[i]), langs[i])
        if out and (out[-1][2], out[-1][3]) == key:
            out[-1][1] = i + 1
        else:
            out.append([i, i + 1, *key])
    return [tuple(s) for s in out]


def page_structure(page: LaidOutPage) -> PagePlan:
    """The page's element tree, built from the role the layout stamped on each item (layout/items.py ROLES):
    an item with no role is a bug of the layout, refused here, never guessed into a P."""
    tree = _Tree(page)
    for index, item in enumerate(page.items):
        if not isinstance(item, (TextLine, Picture, QrMark, Ring)):
            continue  # a Box or a Rule: always an artifact
        role = item.role
        if role is None:
            raise ValueError(f"a {type(item).__name__} on page {page.number} has no role: the "
                             "layout stamps every item it places (layout/elements.py lay_out)")
        if role.kind == "artifact":
            continue
        if not isinstance(item, TextLine):
            tree.mark(index, item, role)
        elif not all(run.artifact for run in item.line.runs):  # (a line all of whose runs are not content: none)
            leaf = _LEAVES.get(role.kind, _Tree.leaf)(tree, item, role)
            tree.plan.segments[index] = _segments(item, lambda lang, leaf=leaf: leaf)
    tree.close_tables()
    return tree.plan


class _Tree:
    """One page's element tree as its items are met: each element made when its first item is."""

    def __init__(self, page: LaidOutPage):
        self.page = page
        self.sect = Element("Sect", page.ref, title=page.title)
        self.plan = PagePlan(self.sect)
        self.h1: Element | None = None
        self.elements: dict = {}  # element key (its YAML path, and a part) -> Element
        self.tables: dict = {}  # a table's element key -> its Div, Table, Figure, Caption and rows

    def element(self, key: str, make) -> Element:
        if key not in self.elements:
            self.elements[key] = make()
        return self.elements[key]

    def table_of(self, key: str, ref) -> dict:
        if key not in self.tables:
            div = self.sect.add(Element("Div", ref))
            table = div.add(Element("Table", ref))
            self.tables[key] = {"div": div, "table": table, "figure": Element("Figure", ref), "caption": None,
                                "rows": {}}
        return self.tables[key]

    # -- marks: figures ---------------------------------------------------------------------------------
    def mark(self, index: int, item, role: Role) -> None:
        plan = self.plan
        if isinstance(item, Ring):  # a segment of a chart: the Figure of its table, standing before it
            plan.figures[index] = self.table_of(role.element, None)["figure"]
        elif isinstance(item, Picture):  # a photograph or logo: a Figure, its Alt the content's in both languages
            figure = self.sect.add(Element("Figure", item.ref))
            figure.alt = " / ".join(text for _, text in item.alt if text) or None
            plan.figures[index] = figure
        else:  # a QR code: a Figure, its Alt written from its caption (the element's P) and url
            figure = self.element(role.element + "#figure", lambda: self.sect.add(Element("Figure", item.ref)))
            figure.url = item.url
            plan.figures[index] = figure
            plan.captions[figure] = role.element

    # -- lines: the leaf each role's lines join ------------------------------------------------------------
    def title(self, item: TextLine, role: Role) -> Element:
        if self.h1 is None:
            self.h1 = self.sect.add(Element("H1", self.page.ref))
            self.sect.children.insert(0, self.sect.children.pop())
        return self.h1

    def footnote(self, item: TextLine, role: Role) -> Element:
        """A Note (with an /ID, PDF/UA 7.9) holding its marker as a Lbl, then its text."""
        key, label = role.element, role.kind == "footnote-label"
        note = self.element(key, lambda: self.sect.add(Element("Note", item.ref,
                                                               note_id=f"note-{self.page.number}-{key}")))
        return self.element(key + (".label" if label else ".text"),
                            lambda: note.add(Element("Lbl" if label else "P", item.ref)))

    def caption(self, item: TextLine, role: Role) -> Element:
        t = self.table_of(role.element, item.ref)
        if t["caption"] is None:
            t["caption"] = t["table"].add(Element("Caption", item.ref))
            t["table"].children.insert(0, t["table"].children.pop())
        return t["caption"]

    def cell(self, item: TextLine, role: Role) -> Element:
        """A row's header (TH) or one of its cells (TD, by its column), the row made on first use."""
        t = self.table_of(role.element, item.ref)
        tr = t["rows"].get(role.part)
        if tr is None:
            tr = t["rows"][role.part] = t["table"].add(Element("TR", item.ref))
        if role.kind == "table-header":
            return self.element(f"{role.element}#row{role.part}", lambda: tr.add(Element("TH", item.ref, scope="Row")))
        return self.element(f"{role.element}#row{role.part}#cell{role.cell}", lambda: tr.add(Element("TD", item.ref)))

    def list_item(self, item: TextLine, role: Role) -> Element:
        lst = self.element(role.element + "#list", lambda: self.sect.add(Element("L", item.ref)))
        li = self.element(f"{role.element}#item{role.part}", lambda: lst.add(Element("LI", item.ref)))
        label = role.kind == "list-label"
        return self.element(f"{role.element}#item{role.part}" + ("#label" if label else "#body"),
                            lambda: li.add(Element("Lbl" if label else "LBody", item.ref)))

    def leaf(self, item: TextLine, role: Role) -> Element:
        """A heading, a paragraph, a caption: one element of its own (LEAF_TAGS), its lines joined."""
        key = role.element
        return self.element(key, lambda: self.sect.add(Element(LEAF_TAGS[role.kind], item.ref, key=key)))

    def close_tables(self) -> None:
        """Each chart's Figure before its table (it says what the table says, written from the data); every row
        as many columns, a row whose figures are not content (an Others row's sums) filled with empty cells
        (PDF/UA: a regular table)."""
        for t in self.tables.values():
            if any(f is t["figure"] for f in self.plan.figures.values()):
                t["div"].children.insert(0, t["figure"])
            rows = list(t["rows"].values())
            columns = max((len(tr.children) for tr in rows), default=0)
            for tr in rows:
                tr.children.extend(Element("TD", tr.ref) for _ in range(columns - len(tr.children)))


# The leaf a line joins, by its role (the rest, LEAF_TAGS's, an element of their own: _Tree.leaf).
_LEAVES = {"title": _Tree.title, "footnote": _Tree.footnote, "footnote-label": _Tree.footnote,
           "table-caption": _Tree.caption, "table-header": _Tree.cell, "table-cell": _Tree.cell,
           "list-body": _Tree.list_item, "list-label": _Tree.list_item}


def finish_page(plan: PagePlan) -> None:
    """After drawing: bilingual alternative texts written from the data (a chart's from its table, a QR
    code's from its caption and url), and each leaf's English before its Chinese."""
    sect = plan.sect
    for div in [e for e in sect.walk() if e.kind == "Div"]:
        figures = [c for c in div.children if isinstance(c, Element) and c.kind == "Figure"]
        tables = [c for c in div.children if isinstance(c, Element) and c.kind == "Table"]
        if figures and tables:
            figures[0].alt = _chart_alt(tables[0])
    for e in sect.walk():
        if e.kind == "Figure" and e.alt is None:
            key = plan.captions.get(e)
            caption = next((c for c in sect.children if isinstance(c, Element) and c.key == key), None) \
                if key else None
            e.alt = " / ".join(p for p in (caption.text(EN) if caption else "", caption.text(ZH) if caption else "")
                               if p)
            e.alt = (e.alt + (f" ({e.url})" if e.url else " (QR code placeholder)")).strip()
    sect.finish()


def _chart_alt(table: Element) -> str:
    """"Caption: label figure (share), …" in English, then the same in Chinese."""
    caption = next((c for c in table.children if isinstance(c, Element) and c.kind == "Caption"), None)
    halves = []
    for lang, sep, colon in ((EN, ", ", ": "), (ZH, "、", "：")):
        if not (caption and caption.text(lang)) and not any(
                head.text(lang) for tr in table.children if isinstance(tr, Element)
                for head in tr.children if isinstance(head, Element) and head.kind == "TH"):
            continue  # a single-language variant: no half of numbers without their words
        rows = []
        for tr in (c for c in table.children if isinstance(c, Element) and c.kind == "TR"):
            head = next((c for c in tr.children if c.kind == "TH"), None)
            cells = [text for c in tr.children if c.kind == "TD" and (text := c.text())]
            label = head.text(lang) if head else ""
            figures = cells[0] + (f" ({', '.join(cells[1:])})" if len(cells) > 1 else "") if cells else ""
            rows.append(f"{label} {figures}".strip())
        title = caption.text(lang) if caption else ""
        halves.append((title + colon if title else "") + sep.join(rows))
    return " / ".join(halves)
