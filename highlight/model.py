"""The content model: an Edition of Pages of Blocks of typed elements, as frozen dataclasses (content.py reads
them from the YAML, with their schema), and what every layer asks of them: the texts each element kind holds,
in reading order (ELEMENT_TEXTS), the footnote markers, where a key of an item stands in its YAML (ref_of).

Every element and every text keeps the `SourceRef` of the YAML that made it.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .diagnostics import SourceRef

FOOTNOTE_MARKERS = ("*", "Δ", "Ω", "◊", "#", "^")
# A footnote marker inside text: `annual highlight[^*],` — explicit, so a rank
# like "#2" or a literal asterisk is never mistaken for one.
MARKER_PATTERN = re.compile(r"\[\^([^\]\s]{1,3})\]")


def ref_of(item, key: str) -> SourceRef:
    """Where `key` of a content item stands in its YAML (the item's own place if not recorded)."""
    refs = getattr(item, "refs", None) or {}
    return refs.get(key) or item.ref.child(key)


@dataclass(frozen=True)
class Text:
    """A bilingual text. `mixed` is one string that interleaves both languages as printed."""

    ref: SourceRef
    en: str | None = None
    zh: str | None = None
    mixed: str | None = None

    def strings(self) -> list[tuple[str, str]]:
        """(language, string) pairs present, in reading order."""
        return [(lang, s) for lang, s in (("en", self.en), ("zh", self.zh), ("mixed", self.mixed)) if s]


@dataclass(frozen=True)
class ParityAccept:
    """A difference between an element's English and Chinese that a person reviewed and accepted."""

    ref: SourceRef
    accept: str  # the difference as the parity warning states it: "only in English 10; only in Chinese none"
    reason: str  # why the two languages rightly differ


@dataclass(frozen=True)
class Heading:
    ref: SourceRef
    en: str | None = None
    zh: str | None = None
    level: int = 1
    review: bool = False  # copied from last year and not yet checked: a warning until removed
    parity: ParityAccept | None = None  # a reviewed difference of figures or markers, accepted

    @property
    def text(self) -> Text:
        return Text(self.ref, self.en, self.zh)


@dataclass(frozen=True)
class Paragraph:
    ref: SourceRef
    en: str | None = None
    zh: str | None = None
    mixed: str | None = None
    review: bool = False  # copied from last year and not yet checked: a warning until removed
    parity: ParityAccept | None = None  # a reviewed difference of figures or markers, accepted

    @property
    def text(self) -> Text:
        return Text(self.ref, self.en, self.zh, self.mixed)


@dataclass(frozen=True)
class BulletList:
    ref: SourceRef
    items: tuple[Text, ...]
    review: bool = False  # copied from last year and not yet checked: a warning until removed
    parity: ParityAccept | None = None  # a reviewed difference of figures or markers, accepted


@dataclass(frozen=True)
class Stat:
    ref: SourceRef
    figure: str
    lead: Text | None = None
    unit: Text | None = None
    change: Text | None = None
    label: Text | None = None
    note: Text | None = None
    badge: Text | None = None
    review: bool = False  # copied from last year and not yet checked: a warning until removed
    parity: ParityAccept | None = None  # a reviewed difference of figures or markers, accepted
    refs: dict = field(default_factory=dict, compare=False, repr=False)  # SourceRef per key


@dataclass(frozen=True)
class Callout:
    ref: SourceRef
    headline: Text
    lead: Text | None = None
    text: Text | None = None
    review: bool = False  # copied from last year and not yet checked: a warning until removed
    parity: ParityAccept | None = None  # a reviewed difference of figures or markers, accepted


@dataclass(frozen=True)
class Ranking:
    ref: SourceRef
    rank: str
    title: Text
    year: int
    source: Text | None = None
    note: Text | None = None
    review: bool = False  # copied from last year and not yet checked: a warning until removed
    parity: ParityAccept | None = None  # a reviewed difference of figures or markers, accepted
    refs: dict = field(default_factory=dict, compare=False, repr=False)  # SourceRef per key


@dataclass(frozen=True)
class BreakdownRow:
    ref: SourceRef
    label: Text
    count: int
    percent: float | None = None
    key: bool = False  # the key region of this chart: its swatch is charts.key (gold) whatever its region's
    region: str | None = None  # its swatch's name in charts.regions (layout/page.yaml); default its English label
    refs: dict = field(default_factory=dict, compare=False, repr=False)  # SourceRef per key


@dataclass(frozen=True)
class Breakdown:
    ref: SourceRef
    total: int
    rows: tuple[BreakdownRow, ...]
    caption: Text | None = None
    unit: Text | None = None  # what one count is ("Full-time Equivalent"), set under the total
    order: str = "size"  # rows largest first; "fixed": as written
    group_small: bool = True  # rows under the layout's charts.others_below_percent become one "Others" row
    others_label: Text | None = None  # that row's label (needed only when rows are grouped)
    chart: str | None = None  # ring, bar100 or bars: this table's chart instead of its frame's
    review: bool = False  # copied from last year and not yet checked: a warning until removed
    parity: ParityAccept | None = None  # a reviewed difference of figures or markers, accepted
    refs: dict = field(default_factory=dict, compare=False, repr=False)  # SourceRef per key


@dataclass(frozen=True)
class Partner:
    ref: SourceRef
    name: Text
    text: Text
    status: Text | None = None
    review: bool = False  # copied from last year and not yet checked: a warning until removed
    parity: ParityAccept | None = None  # a reviewed difference of figures or markers, accepted


@dataclass(frozen=True)
class QrCode:
    ref: SourceRef
    caption: Text
    url: str | None = None
    review: bool = False  # copied from last year and not yet checked: a warning until removed
    parity: ParityAccept | None = None  # a reviewed difference of figures or markers, accepted
    refs: dict = field(default_factory=dict, compare=False, repr=False)  # SourceRef per key (the url's line)


@dataclass(frozen=True)
class Image:
    """A photograph or logo placed in its frame's cell: a file inside the edition's folder (raster: JPEG, PNG,
    TIFF; vector: PDF, SVG), what it shows in both languages (alt: for readers who cannot see it, never
    printed), an optional caption and credit, and how it fills its box. No file: a picture still to come, printed
    as a marked placeholder of its box (as a QR code without its url)."""

    ref: SourceRef
    file: str | None
    alt: Text
    caption: Text | None = None
    credit: Text | None = None
    fit: str = "cover"  # cover: fills the box, cropped around `focus`; contain: whole, inside the box
    focus: tuple[float, float] = (0.5, 0.5)  # the point kept in view when cropping, 0..1 from the top-left
    height_mm: float | None = None  # the box's height (default: the picture's own proportions at the cell's width)
    bleed: bool = False  # in a frame on the grid's outer columns, the picture runs to the trim and into the bleed
    review: bool = False  # copied from last year and not yet checked: a warning until removed
    parity: ParityAccept | None = None  # a reviewed difference of figures or markers, accepted
    refs: dict = field(default_factory=dict, compare=False, repr=False)  # SourceRef per key


Element = Heading | Paragraph | BulletList | Stat | Callout | Ranking | Breakdown | Partner | QrCode | Image


@dataclass(frozen=True)
class Block:
    """The elements placed, top to bottom (or cell by cell), into one named frame."""

    ref: SourceRef
    frame: str
    elements: tuple[Element, ...]
    refs: dict = field(default_factory=dict, compare=False, repr=False)  # SourceRef per key


@dataclass(frozen=True)
class Footnote:
    ref: SourceRef
    marker: str
    text: Text
    review: bool = False  # copied from last year and not yet checked: a warning until removed
    parity: ParityAccept | None = None  # a reviewed difference of figures or markers, accepted
    refs: dict = field(default_factory=dict, compare=False, repr=False)  # SourceRef per key


@dataclass(frozen=True)
class Page:
    ref: SourceRef
    page: int
    template: str
    title: Text
    blocks: tuple[Block, ...]
    footnotes: tuple[Footnote, ...] = ()
    refs: dict = field(default_factory=dict, compare=False, repr=False)  # SourceRef per key
    continued: Text | None = None  # a theme continued from the facing page: what its title band says

    @property
    def number(self) -> int:
        return self.page


@dataclass(frozen=True)
class Typography:
    """Typographic normalisation an edition may turn on (edition.yaml); the content files keep what the
    source prints, so turning it off gives the source's characters back."""

    ref: SourceRef
    minus: bool = False  # a true minus (U+2212) for a negative figure: -37.9% → −37.9%
    en_dash: bool = False  # an en dash for a spaced separator and a range of years: " - " → " – ", 2019-23 → 2019–23
    # Chinese punctuation: a full-width slash for a spaced half-width one (科大創造 / 孵化了 → 科大創造／孵化了)
    # and a two-em dash for a spaced hyphen or Latin dash between Chinese words (足跡 – 港科大 → 足跡——港科大)
    zh_punctuation: bool = False
    # units that take a narrow no-break space (U+202F) after a figure in the running text: 105,635m² → 105,635 m²
    unit_space: tuple = ()


@dataclass(frozen=True)
class Edition:
    ref: SourceRef
    edition: str
    title: Text
    date: str
    pages: tuple  # file names in edition.yaml, then replaced by Page objects
    refs: dict = field(default_factory=dict, compare=False, repr=False)  # SourceRef per key
    typography: Typography | None = None
    words: tuple = ()  # names, terms, fixed translations never broken across lines: after load_inputs the house's (layout/words.yaml) and the edition's own


def footnotes_in_marker_order(page: Page) -> list:
    """The page's footnotes in the order their markers first appear in its text (a reader meets * before
    Δ, so * comes first); a note whose marker appears nowhere keeps its place after them."""
    first: dict = {}
    for n, text in enumerate(page_texts(page)):
        for _, string in text.strings():
            for marker in MARKER_PATTERN.findall(string):
                first.setdefault(marker, n)
    notes = list(page.footnotes)
    return sorted(notes, key=lambda note: (first.get(note.marker, len(first) + len(notes)), notes.index(note)))


def page_texts(page: Page):
    """Every Text of a page (title, elements, footnotes), in reading order."""
    yield page.title
    for block in page.blocks:
        for element in block.elements:
            yield from element_texts(element)
    for note in page.footnotes:
        yield note.text


def _fields(*names: str) -> Callable[..., Iterable[Text]]:
    """The texts of an element's fields `names`, in that order, those it has."""
    def texts(element) -> Iterable[Text]:
        for name in names:
            value = getattr(element, name, None)
            if isinstance(value, Text):
                yield value
    return texts


def _breakdown_texts(table: Breakdown) -> Iterable[Text]:
    if table.caption:
        yield table.caption
    if table.unit:
        yield table.unit
    for row in table.rows:
        yield row.label
    if table.others_label:
        yield table.others_label


# Every Text an element of each kind holds, in reading order: the content's own facet of each kind (kinds.py
# holds the others: styles, figures, what it prints, its role). An image's alt text is not printed: its
# caption and credit are (check expects only those on the page).
ELEMENT_TEXTS: dict[type, Callable[..., Iterable[Text]]] = {
    Heading: lambda e: (e.text,),
    Paragraph: lambda e: (e.text,),
    BulletList: lambda e: e.items,
    Stat: _fields("lead", "unit", "change", "label", "note", "badge"),
    Callout: _fields("lead", "headline", "text"),
    Ranking: _fields("title", "note", "source"),
    Breakdown: _breakdown_texts,
    Partner: _fields("name", "status", "text"),
    QrCode: _fields("caption"),
    Image: _fields("caption", "credit"),
}


def element_texts(element: Element) -> Iterable[Text]:
    """Every Text of an element, in reading order."""
    texts = ELEMENT_TEXTS.get(type(element))
    if texts is None:
        raise TypeError(f"{type(element).__name__} is not an element kind of highlight/model.py")
    return texts(element)
