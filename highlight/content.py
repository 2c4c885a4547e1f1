"""Content YAML → the content model (model.py): an Edition of Pages of Blocks of typed elements, read and checked.

Every element and every text keeps the `SourceRef` of the YAML that made it.
After the schema, this module checks what a schema cannot: footnote markers
used and defined on the same page, breakdown tables that add up, pages
numbered once each, one block per frame.
"""
from __future__ import annotations

import functools
import itertools
import os
import re
from dataclasses import replace

from .diagnostics import BuildFailed, Diagnostics, SourceRef
from .model import (
    ELEMENT_TEXTS,
    FOOTNOTE_MARKERS,
    MARKER_PATTERN,
    Block,
    Breakdown,
    BreakdownRow,
    BulletList,
    Callout,
    Edition,
    Element,
    Footnote,
    Heading,
    Image,
    Page,
    Paragraph,
    ParityAccept,
    Partner,
    QrCode,
    Ranking,
    Stat,
    Text,
    Typography,
    element_texts,
    footnotes_in_marker_order,
    page_texts,
    ref_of,
)
from .paths import EDITION_NAME_HINT, name_problem
from .schema import INVALID, Bool, Field, Int, Number, Reader, Seq, Str, Struct, Tagged, load_document
from .yamlsource import display_path

# The model's names are re-exported: the layers above read the model from here as well as from model.py.
__all__ = [
    "EDITION",
    "ELEMENT",
    "ELEMENT_TEXTS",
    "FOOTNOTE_MARKERS",
    "MARKER_PATTERN",
    "PAGE",
    "TEXT",
    "Block",
    "Breakdown",
    "BreakdownRow",
    "BulletList",
    "Callout",
    "Edition",
    "Element",
    "Footnote",
    "Heading",
    "Image",
    "Page",
    "Paragraph",
    "ParityAccept",
    "Partner",
    "QrCode",
    "Ranking",
    "Stat",
    "Text",
    "Typography",
    "check_breakdown",
    "check_edition",
    "element_texts",
    "footnotes_in_marker_order",
    "load_edition",
    "page_texts",
    "ref_of",
    "typographic",
]
PAGE_FILE_NAME = re.compile(r"[\w./-]+\.ya?ml")  # names with / or .. pass here and are refused as escapes


def _text_check(values: dict, node, path: str, r: Reader) -> bool:
    if values.get("mixed") and (values.get("en") or values.get("zh")):
        r.error(node, path, "mixed-and-bilingual", "'mixed' replaces 'en' and 'zh'; do not give both",
                "keep 'mixed' only for a line printed with both languages in one string")
        return False
    if not any(values.get(k) for k in ("en", "zh", "mixed")):
        r.error(node, path, "empty-text", "a text needs 'en', 'zh' or both", 'write en: "..." and zh: "..."')
        return False
    return True


TEXT = Struct(Text, {"en": Field(Str("English")), "zh": Field(Str("Traditional Chinese")),
                     "mixed": Field(Str("One string printed with both languages interleaved"))},
              "A bilingual text: en and/or zh", check=_text_check)


_opt = Field
REVIEW = Field(Bool("Copied from last year's edition: the build warns until this line is removed"), default=False)


MAX_PAGES = 500  # a leaflet has 8; the benchmark's generated editions 200
MAX_URL = 500  # characters of a QR code's link: longer codes get too dense to scan at their printed size
MAX_PAGE_TEXT = 20_000  # characters of text on one page (the fullest 2022-23 page has about 2,100)
_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)


def _qr_check(values: dict, node, path: str, r: Reader) -> bool:
    url = values.get("url")
    if url is None:
        return True
    if not _URL.fullmatch(url) or not url.isprintable():
        where = next((v for k, v in node.value if k.value == "url"), node)
        r.error(where, f"{path}.url", "bad-url", f"the QR code's url {url[:80]!r} is not an http:// or https:// "
                "address" + (" (it holds a space or a control character)" if _URL.match(url) else ""),
                "write the whole address, e.g. https://www.example.edu/annual-highlights, without spaces")
        return False
    return True


def _breakdown_check(values: dict, node, path: str, r: Reader) -> bool:
    keys = [i for i, row in enumerate(values["rows"]) if row.key]
    if len(keys) > 1:
        r.diags.error("breakdown-key", f"rows {', '.join(str(i) for i in keys)} are all marked key: a chart has one "
                      "key region", ref_of(values["rows"][keys[1]], "key"), hint="keep key: true on one row only")
        return False
    return True


PARITY = Field(Struct(ParityAccept, {
    "accept": Field(Str("The difference as the parity warning states it, e.g. "
                        "\"only in English 10; only in Chinese none\""), required=True),
    "reason": Field(Str("Why the two languages rightly differ, for the next reviewer"), required=True)},
    "A reviewed difference between the English and Chinese, accepted: the parity warning is not given "
    "while the difference is exactly this one"))


def _image_check(values: dict, node, path: str, r: Reader) -> bool:
    """Alternative text in both languages (a reader of either leaflet meets the picture); focus is a point."""
    def where(key: str):
        return next((v for k, v in node.value if k.value == key), node)

    ok = True
    alt = values.get("alt")
    missing = [name for lang, name in (("en", "English"), ("zh", "Chinese")) if alt and not getattr(alt, lang)]
    if missing:
        r.error(where("alt"), f"{path}.alt", "image-alt",
                f"the picture's alternative text has no {' and no '.join(missing)}",
                'describe what it shows in both: alt: {en: "...", zh: "..."}')
        ok = False
    if len(values.get("focus") or (0.5, 0.5)) != 2:
        r.error(where("focus"), f"{path}.focus", "bad-value", "focus is one point: [x, y]",
                "e.g. focus: [0.5, 0.3] keeps the upper middle in view")
        ok = False
    return ok


def _element(cls, fields: dict, description: str, check=None) -> Struct:
    """An element kind: its own fields, and `review:` and `parity:` which every kind takes."""
    return Struct(cls, {**fields, "review": REVIEW, "parity": PARITY}, description, check=check)


ELEMENT = Tagged({
    "heading": _element(Heading, {"en": _opt(Str()), "zh": _opt(Str()),
                                "level": _opt(Int("0 a page's second theme (a band of its own), 1 section heading, "
                                                    "2 sub-heading", 0, 2), default=1)},
                      "A heading in both languages", check=_text_check),
    "paragraph": _element(Paragraph, {"en": _opt(Str()), "zh": _opt(Str()), "mixed": _opt(Str())},
                        "Running text", check=_text_check),
    "list": _element(BulletList, {"items": Field(Seq(TEXT, 1), required=True)}, "A bulleted list"),
    "stat": _element(Stat, {
        "figure": Field(Str("The big figure, as printed: HK$956M, 1,572, 75.1%"), required=True),
        "lead": _opt(TEXT), "unit": _opt(TEXT), "change": _opt(TEXT),
        "label": _opt(TEXT), "note": _opt(TEXT), "badge": _opt(TEXT)}, "A stat callout"),
    "callout": _element(Callout, {"headline": Field(TEXT, required=True), "lead": _opt(TEXT), "text": _opt(TEXT)},
                      "A highlighted statement without a single figure"),
    "ranking": _element(Ranking, {
        "rank": Field(Str("#2, No.1"), required=True), "title": Field(TEXT, required=True),
        "year": Field(Int("The ranking's year as printed", 1900, 2200), required=True),
        "source": _opt(TEXT), "note": _opt(TEXT)}, "A ranking badge"),
    "breakdown": _element(Breakdown, {
        "total": Field(Int("The declared total; rows must add up to it", 1), required=True),
        "rows": Field(Seq(Struct(BreakdownRow, {
            "label": Field(TEXT, required=True), "count": Field(Int(minimum=0), required=True),
            "percent": _opt(Number("Percent of the total, as printed", 0, maximum=100)),
            "key": _opt(Bool("The key region of this chart: its swatch is charts.key (gold) whatever the "
                             "region's own"), default=False),
            "region": _opt(Str("The region's name in charts.regions of layout/page.yaml, where the label "
                               "differs (default: the English label)"))}), 1, max_items=100), required=True),
        "caption": _opt(TEXT),
        "unit": _opt(TEXT),
        "order": _opt(Str("size: rows largest first (the chart in the same order); fixed: as written",
                          choices=("size", "fixed")), default="size"),
        "group_small": _opt(Bool("Rows under charts.others_below_percent (layout/page.yaml) become one Others "
                                 "row; false when the source prints every row"), default=True),
        "others_label": _opt(TEXT),
        "chart": _opt(Str("This table's chart instead of its frame's", choices=("bars", "ring", "bar100")))},
        "A breakdown table with its chart (a ring, a 100 % bar, or a bar per row)", check=_breakdown_check),
    "partner": _element(Partner, {"name": Field(TEXT, required=True), "text": Field(TEXT, required=True),
                                "status": _opt(TEXT)}, "A named partner and one sentence"),
    "project": _element(Partner, {"name": Field(TEXT, required=True), "text": Field(TEXT, required=True),
                                "status": _opt(TEXT)}, "A named project, its status and one sentence"),
    "qr": _element(QrCode, {"caption": Field(TEXT, required=True),
                          "url": _opt(Str("The link, http:// or https://; without it a marked placeholder is printed",
                                          max_length=MAX_URL))},
                 "A QR code with its caption", check=_qr_check),
    "image": _element(Image, {
        "file": _opt(Str("The picture's file name, inside the edition's folder (JPEG, PNG, TIFF, PDF or SVG); "
                         "without it (a picture still to come) a marked placeholder of the box's size is printed")),
        "alt": Field(TEXT, required=True),
        "caption": _opt(TEXT), "credit": _opt(TEXT),
        "fit": _opt(Str("cover: fill the box, cropping around the focus; contain: the whole picture inside it",
                        choices=("cover", "contain")), default="cover"),
        "focus": _opt(Seq(Number("0 (left, top) to 1 (right, bottom)", 0, maximum=1), 2,
                          "[x, y]: the point kept in view when the picture is cropped"), default=(0.5, 0.5)),
        "height_mm": _opt(Number("The picture's height; without it, its own proportions at the cell's width", 5)),
        "bleed": _opt(Bool("Run the picture out to the trim and into the bleed (a frame on the grid's outer "
                           "columns)"), default=False)},
        "A photograph or logo", check=_image_check),
}, "One element of a block")

PAGE = Struct(Page, {
    "page": Field(Int("Page number, 1-based", 1, MAX_PAGES), required=True),
    "template": Field(Str("A template name from layout/templates.yaml"), required=True),
    "title": Field(TEXT, required=True),
    "continued": Field(TEXT),  # the theme goes on from the facing page: its band says so ("continued ／ 續")
    "blocks": Field(Seq(Struct(Block, {
        "frame": Field(Str("A frame name of the page's template"), required=True),
        "elements": Field(Seq(ELEMENT, 1), required=True)})), required=True),
    "footnotes": Field(Seq(Struct(Footnote, {
        "marker": Field(Str("The marker", choices=FOOTNOTE_MARKERS), required=True),
        "text": Field(TEXT, required=True), "review": REVIEW, "parity": PARITY})), default=()),
}, "One page of the leaflet")

def _edition_check(values: dict, node, path: str, r: Reader) -> bool:
    import datetime

    date = values["date"]
    try:
        day = datetime.date.fromisoformat(date) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else None
    except ValueError:
        day = None
    if day is None or not 1970 <= day.year <= 2200:
        r.error(next(v for k, v in node.value if k.value == "date"), "date", "bad-date",
                f"{date!r} is not a real date from 1970 to 2200 written YYYY-MM-DD (it dates the PDF)",
                'write the day of publication, e.g. date: "2023-06-30"')
        return False
    why = name_problem(values["edition"])
    if why:  # an office's own name (年報 2023 edition) is fine; a path or a control character is not
        r.error(node.value[[k.value for k, _ in node.value].index("edition")][1], "edition", "bad-edition-name",
                f"the edition's name {values['edition']!r} cannot be used: {why}", EDITION_NAME_HINT)
        return False
    return _words_check(values.get("words") or (), node, r)


MAX_WORD = 24  # characters of one listed word: a name, never a sentence


def _words_check(words: tuple, node, r: Reader) -> bool:
    """Each listed word is one run of text (no space, at least two characters) and listed once."""
    items = next((v for k, v in node.value if k.value == "words"), None)
    seen: set = set()
    good = True
    for index, word in enumerate(words):
        where = items.value[index] if items is not None else node
        if len(word) < 2 or any(c.isspace() for c in word):
            r.error(where, f"words[{index}]", "bad-word", f"{word!r} is not a word the line breaker can keep whole: "
                    "a listed word has two characters or more and no space",
                    "list a name, term or fixed translation as it is printed, e.g. 研究資助局")
            good = False
        elif word in seen:
            r.error(where, f"words[{index}]", "duplicate-word", f"{word!r} is listed twice", "remove one of them")
            good = False
        seen.add(word)
    return good


EDITION = Struct(Edition, {
    "edition": Field(Str("The edition's name, e.g. 2022-23"), required=True),
    "title": Field(TEXT, required=True),
    "date": Field(Str("The edition's date, YYYY-MM-DD (used for the PDF's dates)", max_length=10), required=True),
    "pages": Field(Seq(Str("A page file in this folder"), 1, max_items=MAX_PAGES), required=True),
    "typography": Field(Struct(Typography, {
        "minus": Field(Bool("Set a negative figure with a true minus (−37.9%), not a hyphen"), default=False),
        "en_dash": Field(Bool("Set ' - ' separators and ranges of years (2019-2023) with an en dash"), default=False),
        "zh_punctuation": Field(Bool("In Chinese, a full-width ／ for ' / ', —— for ' - ' or ' – ', and · for a "
                                     "katakana ・ between Han (a name: 艾琳·柯林斯)"),
                                default=False),
        "unit_space": Field(Seq(Str("A unit as printed after a figure, e.g. m²", max_length=12),
                                description="Units that take a narrow no-break space after a figure in the "
                                "running text (105,635m² → 105,635 m²)", max_items=100), default=()),
    }, "Typographic normalisation of the printed text; `check` reads either character as the source's"),
        default=None),
    "words": Field(Seq(Str("A name, term or fixed translation as printed, e.g. 研究資助局", max_length=MAX_WORD),
                       description="The edition's own words (names, terms, fixed translations): a line never "
                       "breaks inside one; merged with the Chinese dictionary", max_items=2000), default=()),
}, "The edition: its name, folio title and page files in order", check=_edition_check)


def load_edition(folder: str, diags: Diagnostics, cache: dict | None = None) -> Edition:
    """Load and check `folder/edition.yaml` and its pages; raise BuildFailed on errors."""
    index = os.path.join(folder, "edition.yaml")
    before = len(diags.items)  # the edition's own errors fail it, not a caller's earlier findings
    if not os.path.isfile(index):
        diags.fatal("no-edition", f"{display_path(folder)} has no edition.yaml", SourceRef(display_path(folder)),
                    hint="pass a folder such as content/2022-23")
        raise BuildFailed(diags)
    edition = load_document(index, EDITION, diags, cache)
    if edition is INVALID:
        raise BuildFailed(diags)
    pages = []
    for i, name in enumerate(edition.pages):
        if not PAGE_FILE_NAME.fullmatch(name):
            diags.error("bad-file-name", f"page file name {name!r} is not a plain file name ending in .yaml",
                        ref_of(edition, f"pages[{i}]"),
                        hint="use letters, digits, '-', '_' and '.', e.g. p1-research-power.yaml")
            continue
        path = os.path.normpath(os.path.join(folder, name))
        if os.path.isabs(name) or os.path.dirname(path) != os.path.normpath(folder) or os.path.islink(path):
            diags.error("path-escape", f"page file '{name}' must be a file directly inside {display_path(folder)}",
                        ref_of(edition, f"pages[{i}]"),
                        hint="list the page files of this folder by name, e.g. p1-research-power.yaml")
            continue
        try:
            page = load_document(path, PAGE, diags, cache)
        except BuildFailed:
            continue  # reported; go on so every broken file is listed in one run
        if page is not INVALID:
            pages.append(page)
    diags.raise_if_errors(since=before)
    edition = replace(edition, pages=tuple(pages))
    check_edition(edition, diags)
    diags.raise_if_errors(since=before)
    typography = edition.typography
    if typography is not None and (typography.minus or typography.en_dash or typography.zh_punctuation
                                   or typography.unit_space):
        # Each page normalised once per parsed page object, so a build session that reuses an unchanged
        # file's pages (matched by identity) gets the very same normalised page back.
        flags = (typography.minus, typography.en_dash, typography.zh_punctuation, tuple(typography.unit_space))
        memo = cache if cache is not None else {}
        for key in [k for k in memo if k[0] == _NORMALISED and (k[2] != flags or all(memo[k][0] is not p
                                                                                      for p in edition.pages))]:
            del memo[key]
        pages = []
        for page in edition.pages:
            key = (_NORMALISED, id(page), flags, _NORMALISED)
            if key not in memo or memo[key][0] is not page:
                memo[key] = (page, _normalised(page, typography))
            pages.append(memo[key][1])
        edition = replace(edition, title=_normalised(edition.title, typography), pages=tuple(pages))
    return edition


_NORMALISED = "#typographic"  # the build session's file cache also keeps normalised pages, under this key


# A hyphen standing for a minus: before a figure, and not after a letter, figure or point (COVID-19, 2022-23).
_MINUS = re.compile(r"(?<![\w.\-])-(?=\d)")
_SEPARATOR = re.compile(r"(?<=\S) - (?=\S)")
_YEAR_RANGE = re.compile(r"(?<![\d.\-])((?:19|20)\d\d)-((?:19|20)?\d\d)(?![\d\-])")  # 自2014-15年度 too


# Between Chinese words (a Han character or full-width punctuation each side, spaces around the mark).
# Compiled on first use, and used only on a string holding the mark each rewrites: their large character classes
# cost milliseconds each to compile.
_HAN = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_ZH_RULES = {
    "slash": f"(?<=[{_HAN}]) */ *(?=[{_HAN}])",
    "space": "(?<=[\u3400-\u9fff\uf900-\ufaff]) (?=[\u3400-\u9fff\uf900-\ufaff])",  # Han, space, Han
    "dash": f"(?<=[{_HAN}]) +[-\u2013\u2014] +(?=[{_HAN}])",
    # a separator in a transliterated name between Han (艾琳・柯林斯): the katakana middle dot U+30FB (and its
    # half-width U+FF65) is Japanese; Chinese sets the interpunct U+00B7 (clreq, 間隔號)
    "name dot": "(?<=[\u3400-\u9fff\uf900-\ufaff]) *[\u30fb\uff65] *(?=[\u3400-\u9fff\uf900-\ufaff])",
}


@functools.cache
def _zh_rule(name: str) -> re.Pattern:
    return re.compile(_ZH_RULES[name])


@functools.cache
def _unit_space(units: tuple) -> re.Pattern:
    """Between a figure and a unit of `units` written hard against it (105,635m²), not inside a longer word."""
    alternatives = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    return re.compile(rf"(?<=\d)(?=(?:{alternatives})(?![\w\u00b2\u00b3]))")


def typographic(string: str, typography: Typography, lang: str = "en") -> str:
    """`string` (in `lang`) with the normalisation `typography` turns on (see Typography)."""
    if typography.zh_punctuation and lang == "zh":
        if "/" in string:
            string = _zh_rule("slash").sub("\uff0f", string)
        if " " in string:  # (each rule below needs a space, or an em dash)
            string = _zh_rule("dash").sub("\u2014\u2014", string)
            string = _zh_rule("space").sub("\u3000", string)
        if "\u30fb" in string or "\uff65" in string:
            string = _zh_rule("name dot").sub("\u00b7", string)  # 艾琳・柯林斯 → 艾琳·柯林斯 (an interpunct, clreq)
    if typography.unit_space and lang != "zh":
        string = _unit_space(tuple(typography.unit_space)).sub("\u202f", string)
    if "-" not in string:  # (each rule below rewrites a hyphen: most strings hold none, 3 searches saved)
        return string
    if typography.minus:
        string = _MINUS.sub("\u2212", string)
    if typography.en_dash:
        string = _SEPARATOR.sub(" \u2013 ", string)
        string = _YEAR_RANGE.sub("\\1\u2013\\2", string)
    return string


def _normalised(item, typography: Typography):
    """A copy of a content item with every Text normalised (items are frozen dataclasses, held in tuples)."""
    if isinstance(item, Text):
        def fixed(s: str | None, lang: str = "en") -> str | None:
            return typographic(s, typography, lang) if s else s

        en, zh, mixed = fixed(item.en), fixed(item.zh, "zh"), fixed(item.mixed)
        if en is item.en and zh is item.zh and mixed is item.mixed:  # (re's sub gives back a string it changed not)
            return item  # (nothing to normalise: the item itself, and so its page's, as for a plain string below)
        return replace(item, en=en, zh=zh, mixed=mixed)
    if isinstance(item, tuple):
        return tuple(_normalised(i, typography) for i in item)
    names = _WALKED.get(type(item))
    if names is None:
        from dataclasses import fields, is_dataclass

        if not is_dataclass(item) or isinstance(item, type):
            return item
        names = _WALKED[type(item)] = tuple(f.name for f in fields(item) if f.name not in ("ref", "refs"))
    changes = {}
    for name in names:
        value = getattr(item, name)
        if isinstance(value, (Text, tuple)) or hasattr(type(value), "__dataclass_fields__"):
            new = _normalised(value, typography)
            if new is not value:
                changes[name] = new
        elif name in ("en", "zh", "mixed") and isinstance(value, str):  # a heading's or a paragraph's own strings
            new = typographic(value, typography, "zh" if name == "zh" else "en")
            if new is not value:
                changes[name] = new
    return replace(item, **changes) if changes else item


_WALKED: dict = {}  # a content dataclass -> the fields _normalised walks (all but its refs)


def _review_deletion(ref: SourceRef) -> str:
    """How to remove the `review: true` at `ref`: the whole line when it stands alone on it, else (inside
    `{review: true, en: …}`, as `highlight new` writes it in a flow mapping) the key and its comma."""
    try:
        with open(ref.file, encoding="utf-8-sig") as f:
            line = f.read().split("\n")[ref.line - 1]
    except (OSError, ValueError, IndexError):
        line = ""
    if line.strip() in ("review: true", "- review: true") or not line.strip():
        return f"delete the line `review: true` (line {ref.line})"
    return f"delete `review: true, ` from inside the braces on line {ref.line}, leaving the rest of the line"


def check_edition(edition: Edition, diags: Diagnostics) -> None:
    numbers: dict[int, Page] = {}
    for page in edition.pages:
        if page.page in numbers:
            diags.error("page-twice", f"page {page.page} is defined twice (also in {numbers[page.page].ref.file})",
                        ref_of(page, "page"), hint="give each page file its own number")
        numbers[page.page] = page
        _check_page(page, diags)
    missing = sorted(set(range(1, len(edition.pages) + 1)) - set(numbers))
    if missing:
        diags.error("page-missing", f"page number(s) {', '.join(map(str, missing))} are missing; "
                    f"pages must be numbered 1 to {len(edition.pages)}", ref_of(edition, "pages"),
                    hint="set `page:` in each page file so the numbers run 1, 2, 3 … without a gap")


def _check_page(page: Page, diags: Diagnostics) -> None:
    length = sum(len(s) for text in page_texts(page) for _, s in text.strings())
    if length > MAX_PAGE_TEXT:
        diags.error("page-too-long", f"this page holds {length:,} characters of text, more than the "
                    f"{MAX_PAGE_TEXT:,} a page can hold", page.ref, page=page.page,
                    hint="move text to another page or shorten it; an A4 page of the leaflet holds about 3,000")
        return
    frames: dict[str, Block] = {}
    in_figures: set[str] = set()  # markers reported as misplaced: not also "unused"
    for block in page.blocks:
        if block.frame in frames:
            diags.error("frame-twice", f"frame '{block.frame}' is claimed by two blocks (first at line "
                        f"{frames[block.frame].ref.line})", ref_of(block, "frame"), page=page.page,
                        hint="put both elements in one block, or use another frame")
        frames[block.frame] = block
        for element in block.elements:
            if isinstance(element, Breakdown):
                check_breakdown(element, diags, page.page)
            for name in ("figure", "rank"):
                value = getattr(element, name, None)
                if isinstance(value, str) and MARKER_PATTERN.search(value):
                    in_figures.update(MARKER_PATTERN.findall(value))
                    diags.error("marker-in-figure", f"a footnote marker stands in the {name} {value!r}, which is "
                                "printed as it is", ref_of(element, name), page=page.page,
                                hint="put the marker after a word of the label, lead or note, e.g. "
                                     "label: {en: \"patents granted[^*]\"}")
            if element.review:
                diags.warning("unreviewed", "this element was copied from last year's edition and its figures "
                              "and dates are not checked yet", ref_of(element, "review"), page=page.page,
                              hint="check every number and date, then " + _review_deletion(ref_of(element, "review")))
    _check_theme_headings(page, diags)
    _check_headline_twins(page, diags)
    _check_ranking_twins(page, diags)
    defined = {note.marker: note for note in page.footnotes}
    used: set[str] = set(in_figures)
    for text in page_texts(page):
        if any(text is note.text for note in page.footnotes):
            continue
        for _, string in text.strings():
            for marker in MARKER_PATTERN.findall(string):
                used.add(marker)
                if marker not in FOOTNOTE_MARKERS:
                    diags.error("bad-marker", f"'[^{marker}]' is not a footnote marker; use one of "
                                + " ".join(FOOTNOTE_MARKERS), text.ref, page=page.page,
                                hint="markers are * Δ Ω ◊ # ^, written [^Δ] right after the word")
                elif marker not in defined:
                    diags.error("marker-undefined", f"footnote marker '{marker}' is used but this page has no "
                                "footnote for it", text.ref, page=page.page,
                                hint=f'add to footnotes: - marker: "{marker}"')
    for note in page.footnotes:
        if note.review:
            diags.warning("unreviewed", "this footnote was copied from last year's edition and its dates are not "
                          "checked yet", ref_of(note, "review"), page=page.page,
                          hint="check the dates, then " + _review_deletion(ref_of(note, "review")))
    for marker, note in defined.items():
        if marker not in used:
            diags.error("marker-unused", f"footnote '{marker}' is defined but no text on page {page.page} uses it",
                        note.ref, page=page.page, hint=f"write [^{marker}] after the word it annotates, or remove it")


def _check_theme_headings(page: Page, diags: Diagnostics) -> None:
    """The first heading under a theme's band (a level-0 heading) is the level of the page's first heading under
    its title (designer's review: 'Generative AI…' a 10 pt sub-heading under page 5's second band where 'Talent
    Incubator' under its first is a 12 pt ruled section heading): every theme opens on a heading of one form."""
    headings = [e for block in page.blocks for e in block.elements if isinstance(e, Heading)]
    if not headings or headings[0].level == 0:
        return
    first = headings[0].level
    if first > 1 and not any(h.level == 1 for h in headings):
        # a page whose sections are headed one level down: every other page heads its sections at level 1 (one
        # form per level on the leaflet); a note, the page file's (or the template's) call
        diags.note("section-heading-level", f"the page's first heading, '{headings[0].en or headings[0].zh}', is "
                   f"level {first} and the page has no level-1 heading: its sections are headed as sub-sections",
                   ref_of(headings[0], "level"), page=page.page,
                   hint="set level: 1 where the heading opens a section of the page (12 pt, ruled), as on the "
                   "other pages")
    for band, heading in itertools.pairwise(headings):
        if band.level == 0 and heading.level not in (0, first):
            diags.warning("theme-heading-level", f"the first heading under the theme band '{band.en or band.zh}' "
                          f"is level {heading.level}; the page's first heading under its title is level {first}",
                          ref_of(heading, "level"), page=page.page,
                          hint=f"set level: {first}, so each theme of the page opens on a heading of one form")


BOLD_RUN = re.compile(r"\*\*(.+?)\*\*")


def _check_headline_twins(page: Page, diags: Diagnostics) -> None:
    """A callout whose headline is English only while its text has Chinese (DESIGN.md, "Both languages equal"):
    the English headline stands on its own line in the headline style, and the Chinese reader gets its words,
    if at all, as a bold run inside a sentence (a designer's review of edition-b: 'The Only University in Hong
    Kong' in 10 pt navy over 8 pt black bold 香港唯一一所大學 in the text). The office writes the Chinese
    headline; the build cannot know where it ends."""
    for block in page.blocks:
        for element in block.elements:
            if not isinstance(element, Callout) or not element.headline.en or element.headline.zh:
                continue
            chinese = [t.zh for t in (element.lead, element.text) if t is not None and t.zh]
            text = element.text
            if not chinese or (text is not None and text.zh and not text.en and not text.mixed):
                # an English-only callout (an English edition, a name with no translation), or a text that is the
                # headline's Chinese alone: it is set as the headline's twin (stacking.twin_style)
                continue
            bold = next((m.group(1) for zh in chinese for m in BOLD_RUN.finditer(zh)), None)
            carried = f": its Chinese is only the bold run '{bold}' inside the text" if bold else ""
            diags.warning("headline-twin", f"the headline '{element.headline.en}' has no Chinese headline{carried}",
                          ref_of(element, "headline"), page=page.page,
                          hint="give the headline its zh: (set on its own line in the headline style, as the "
                               "English), and keep the Chinese text for the sentence that follows it")


SOURCE_WORD = re.compile(r"[A-Za-z][A-Za-z&.]+")


def _check_ranking_twins(page: Page, diags: Diagnostics) -> None:
    """A ranking's title.zh that names its source (a title in 《》, or a word of the English source) with no bold run:
    the layout cannot tell the source's words from the title's twin, so the whole line is set as the title, its
    source part bold beside the English source's regular (Chinese review of main df673b1, edition-b page 4). The
    author marks the twin with **…**, as 2022-23 marks it in its source.zh: then both authorings print the same line,
    the source's words regular and the twin bold (layout/elements.py, _title_twin_line)."""
    for block in page.blocks:
        for element in block.elements:
            if not isinstance(element, Ranking):
                continue
            title = element.title
            if title is None or not title.zh or BOLD_RUN.search(title.zh):
                continue
            source_en = element.source.en if element.source is not None and element.source.en else ""
            named = [w for w in SOURCE_WORD.findall(source_en) if re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])",
                                                                          title.zh)]
            if "《" not in title.zh and not named:
                continue
            what = "a title in 《》" if "《" in title.zh else f"the source's word '{named[0]}'"
            diags.warning("ranking-title-twin", f"the ranking '{element.rank}' has a Chinese title that names its "
                          f"source ({what}) with no bold run: all of it is set bold as the title, the source's words "
                          "too", ref_of(title, "zh"), page=page.page,
                          hint="mark the words that translate the English title with **…** in this zh (the source's "
                               "《…》 and year left outside them, docs/authoring.md, its ranking element): they are set bold, "
                               "the source's words regular; a line that is all title: wrap it whole in **…**")


def check_breakdown(table: Breakdown, diags: Diagnostics, page: int) -> None:
    """Rows add up to the declared total; each printed percent agrees with its count within 0.1 point."""
    total = sum(row.count for row in table.rows)
    if total != table.total:
        diags.error("breakdown-sum", f"the rows add up to {total:,} but the declared total is {table.total:,} "
                    f"(off by {total - table.total:+,})", ref_of(table, "total"), page=page,
                    hint="correct a row's count or the total")
    with_percent = [(row, row.percent) for row in table.rows if row.percent is not None]
    if with_percent and len(with_percent) != len(table.rows):
        diags.error("breakdown-percent", "some rows have a percent and some do not", ref_of(table, "rows"),
                    page=page, hint="give every row a percent, or none")
    for row, percent in with_percent:
        exact = 100.0 * row.count / table.total
        if abs(exact - percent) > 0.1 + 1e-9:
            diags.error("breakdown-percent", f"{row.count:,} of {table.total:,} is {exact:.2f}%, but the row says "
                        f"{percent}%", ref_of(row, "percent"), page=page,
                        hint=f"use {exact:.1f}")
