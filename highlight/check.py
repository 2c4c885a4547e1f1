"""A PDF's text read back and compared with a plain-text source (a copy deck, or last year's extracted text).

Normalisation is that of ../shared/tools/seed_coverage.py: Unicode NFKC, and
every whitespace character removed, with a minus sign or an en dash read as the
hyphen the source prints (an edition may set them, see `typography:` in edition.yaml) (or, with `strict`, runs of whitespace
collapsed to one space). A source line is found when it is a substring of the
document's text. The other way round, each piece of text the PDF shows is
"extra" when it is not in the source. Furniture — text the renderer marks as
an /Artifact, such as the folio — is left out of both.

This is the read-back of `highlight check`: a PDF (or its source) after the build. The in-build check that
every text is on its page is checks/layout.py; the visual diff of two PDFs is visual_diff.py.
"""
from __future__ import annotations

import codecs
import functools
import os
import re
import unicodedata
from dataclasses import dataclass, field, replace

# An edition's typographic normalisation (edition.yaml `typography:`) prints these for the source's hyphen.
# (a full-width ／ is NFKC's /, and the Chinese —— one hyphen); and the Chinese name's interpunct · (or ‧) for
# the source's katakana middle dot ・ (艾琳・柯林斯 → 艾琳·柯林斯).
_TYPOGRAPHIC = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2014": "-", "\u00b7": "\u30fb", "\u2027": "\u30fb"})


_SPACES = re.compile(r"\s+")
_DASHES = re.compile("-{2,}")


def normalise(text: str, strict: bool = False) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHIC)
    text = _SPACES.sub(" ", text).strip() if strict else _SPACES.sub("", text)
    return _DASHES.sub("-", text) if "--" in text else text


@dataclass(frozen=True)
class PageText:
    number: int
    pieces: tuple[str, ...]  # what each text-showing operator drew, furniture left out

    @property
    def text(self) -> str:
        return "\n".join(self.pieces)


def read_pages(pdf_path: str) -> list[PageText]:
    """The text of each page, piece by piece, skipping marked-content /Artifact sections (a web page
    written by `build --to html`: its leaflet pages' text, furniture left out)."""
    if pdf_path.lower().endswith((".html", ".htm")):
        from .web.readback import read_html_pages

        return [PageText(number, pieces) for number, pieces in enumerate(read_html_pages(pdf_path), 1)]
    from pypdf import PdfReader

    return [PageText(number, _pieces(page)) for number, page in enumerate(PdfReader(pdf_path).pages, 1)]


def _pieces(page) -> tuple[str, ...]:
    """What each text-showing operator of a pypdf page drew outside /Artifact marked content."""
    pieces: list[str] = []
    depth = [0]  # nesting of marked content, and whether we are inside an artifact
    artifact_at: list[int] = []

    def before(operator, operands, cm, tm):
        if operator in (b"BMC", b"BDC"):
            depth[0] += 1
            if operands and str(operands[0]) == "/Artifact":
                artifact_at.append(depth[0])
        elif operator == b"EMC":
            if artifact_at and artifact_at[-1] == depth[0]:
                artifact_at.pop()
            depth[0] -= 1

    def text(value, cm, tm, font, size):
        if not artifact_at and value:
            pieces.append(value)

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return tuple(p for p in pieces if p.strip())


@dataclass
class SourceReport:
    source_lines: int
    missing: list = field(default_factory=list)  # (page or None, line number, text)
    extra: list = field(default_factory=list)  # (page, text)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.extra

    def as_dict(self) -> dict:
        return {"source_lines": self.source_lines, "covered": self.source_lines - len(self.missing),
                "missing": [{"page": p, "line": n, "text": t} for p, n, t in self.missing],
                "extra": [{"page": p, "text": t} for p, t in self.extra]}


MAX_SOURCE_BYTES = 16 * 1024 * 1024  # a copy deck is text: a leaflet's is 30 kB


def read_source(source_path: str, diags) -> str:
    """The copy deck's text; a deck that is not plain UTF-8 text (a binary file, a Word document, a legacy
    Big5 export) or is too large is blamed at its own line, and BuildFailed raised: it is the deck that is
    wrong, not the PDF it is compared with."""
    from .diagnostics import BuildFailed, SourceRef

    with open(source_path, "rb") as f:
        data = f.read(MAX_SOURCE_BYTES + 1)

    def refuse(why: str, at: int, hint: str) -> None:
        line = data.count(b"\n", 0, at) + 1
        column = at - (data.rfind(b"\n", 0, at) + 1) + 1
        diags.fatal("source-unreadable", f"the copy deck cannot be read as text: {why}",
                    SourceRef(source_path, line, column), hint=hint)
        raise BuildFailed(diags)

    export = "export the copy deck as plain text in UTF-8 (e.g. Word: Save As → Plain Text, Unicode (UTF-8))"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Word's and Notepad's "Unicode" text
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            refuse(f"it starts as UTF-16 text, but byte {exc.start} is not", 0, export)
    if len(data) > MAX_SOURCE_BYTES:
        refuse(f"it is larger than {MAX_SOURCE_BYTES // 2**20} MB", 0, "give the leaflet's own copy deck; " + export)
    if b"\0" in data:
        refuse("it holds a NUL byte, so it is a binary file, not text", data.index(b"\0"), export)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        refuse(f"byte 0x{data[exc.start]:02x} is not UTF-8", exc.start, export)
    raise AssertionError  # unreachable: refuse raised


def check_source(source_path: str, pdf_path: str, strict: bool = False, source: str | None = None) -> SourceReport:
    """Lines of the source missing from the PDF, and PDF text that is not in the source.

    A source with form feeds (as `pdftotext` writes) is compared page by page;
    otherwise every line is looked for in the whole document. `source`: the deck's text, when read already
    (by `read_source`).
    """
    if source is None:
        with open(source_path, encoding="utf-8-sig") as f:
            source = f.read()
    pages = read_pages(pdf_path)
    chunks = source.split("\f") if "\f" in source and len(source.split("\f")) >= len(pages) else [source]
    report = SourceReport(sum(1 for ln in source.splitlines() if ln.strip()))
    whole_pdf = normalise("".join(p.text for p in pages), strict)
    line_number = 0
    for index, chunk in enumerate(chunks):
        page_number = index + 1 if len(chunks) > 1 else None
        hay = normalise(pages[index].text, strict) if page_number and index < len(pages) else whole_pdf
        for line in chunk.split("\n"):
            line_number += 1
            if line.strip() and not source_line_found(line, hay, strict):
                report.missing.append((page_number, line_number, line.strip()))
    whole_source = normalise(source, strict)
    for page in pages:
        for piece in page.pieces:
            if normalise(piece, strict) not in whole_source:
                report.extra.append((page.number, piece.strip()))
    return report


# An English label followed by its Chinese: "North America 北美".
@functools.cache
def _pair() -> re.Pattern:  # (compiled on first use: a large character class, and most lines are found as they stand)
    return re.compile(r"[A-Za-z][^\u3400-\u9fff]*?[\u3400-\u9fff][\u3400-\u9fff\s]*")


def source_line_found(line: str, hay: str, strict: bool = False) -> bool:
    """Whether a source line is in `hay` (a document's normalised text). A line that is two or more
    bilingual labels read across a table's columns ("North America 北美 Mainland 內地") is found when each
    label pair is: a table may print its rows re-sorted (largest first), as
    ../shared/tools/seed_coverage.py also reads it."""
    if normalise(line, strict) in hay:
        return True
    pairs = _pair().findall(line)
    return len(pairs) >= 2 and "".join(pairs).replace(" ", "") == line.replace(" ", "") \
        and all(normalise(pair, strict) in hay for pair in pairs)


# Figures whole (HK$956M, +31.2%, 1,700+, 47th), then words, then any other character on its own.
_TOKEN = re.compile(r"(?:HK\$|\$|#)?[+\-−]?\d[\d,.]*(?:%|[KMB]\b|\+|(?:st|nd|rd|th)\b)?|[A-Za-z]+|[^\sA-Za-z\d]")
_GAP = re.compile(r"\s+")
# Characters that take no space before them when a line or a piece of the page ends there: footnote
# markers (set as superscripts, each a piece of its own) and closing punctuation.
_TIGHT_BEFORE = set("*†‡§¶#Δ◊※,.;:!?)]}’”") | set("，。、；：！？）」』》")


def _wide(char: str) -> bool:
    """A Han character, kana or CJK punctuation: no space is read between two of them."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def _reader_spacing(text: str) -> str:
    """Whitespace of extracted text as a reader sees the page: none between Han characters, none at a
    piece's end before a superscript marker or punctuation, one space between words."""
    def gap(match: re.Match) -> str:
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if not before or not after:
            return ""
        if _wide(before) and _wide(after):
            return ""
        if " " not in match.group() and (after in _TIGHT_BEFORE or _wide(before) or _wide(after)):
            return ""  # only a piece or line boundary, not a space the page shows
        return " "

    return _GAP.sub(gap, text)


def shown_tokens(text: str, first: int = 0, last: int | None = None) -> str:
    """Tokens `first`..`last` of `text` (all by default) as printed: the page's own text from the first
    to the last, with reader's spacing (so 數據分析機構 and 47th, never 數 據 分 析 機 構 or 47 th)."""
    text = unicodedata.normalize("NFKC", text)
    found = list(_TOKEN.finditer(text))[first:last]
    if not found:
        return ""
    return _reader_spacing(text[found[0].start():found[-1].end()])


def _tokens(text: str) -> list[str]:
    """Words and figures whole, every other character on its own (so Chinese diffs by character)."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text))


def word_diff(expected: str, page_text: str) -> str:
    """Where the page comes closest to `expected`, the words that differ: '-expected +found'."""
    import difflib

    want = _tokens(expected)
    have = _tokens(page_text)
    if not want or not have:
        return f"expected: {expected}"
    if len(want) == 1:  # one figure or word: the most alike one on the page, character by character
        near = max(have, key=lambda t: (difflib.SequenceMatcher(None, want[0], t).ratio(), -have.index(t)))
        if difflib.SequenceMatcher(None, want[0], near).ratio() >= 0.6:
            return f"-{want[0]} +{near}"
        return f"missing: {expected!r}"
    size = len(want)
    best, best_at = -1.0, 0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(want)
    for start in range(max(1, len(have) - size + 1)):
        matcher.set_seq1(have[start:start + size])
        ratio = matcher.quick_ratio()
        if ratio > best:
            best_ratio = matcher.ratio()
            if best_ratio > best:
                best, best_at = best_ratio, start
    if best < 0.6:  # nothing on the page resembles it: it is simply not there
        return f"missing: {expected!r}"
    found = have[best_at:best_at + size]
    changes = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, want, found, autojunk=False).get_opcodes():
        if op != "equal":
            changes.append(" ".join(filter(None, ("-" + shown_tokens(expected, a1, a2) if a2 > a1 else "",
                                                  "+" + shown_tokens(page_text, best_at + b1, best_at + b2)
                                                  if b2 > b1 else ""))))
    return "; ".join(changes) if changes else f"expected: {expected}"


def expected_texts(page, lang: str | None = None, charts=None) -> list:
    """Per element (and footnote), in content order: [(kind, expected text, SourceRef)]; with `lang`,
    the texts a single-language variant sets (that language's, and mixed ones). A breakdown table is
    expected as it prints (charts.printed): with `charts` (the layout's ChartSpec), small rows grouped."""
    from .kinds import printed
    from .model import footnotes_in_marker_order
    from .text import plain

    def strings(text):
        return [s for text_lang, s in text.strings() if lang is None or text_lang in (lang, "mixed")]

    groups = [[("title", plain(s), page.title.ref) for s in strings(page.title)]]
    for block in page.blocks:
        for element in block.elements:
            texts, figures = printed(element, charts)  # its kind's entry in the one table of element kinds
            group = [("text", plain(s), text.ref) for text in texts for s in strings(text)]
            group += [("figure", figure, ref) for figure, ref in figures]
            groups.append(group)
    for note in footnotes_in_marker_order(page):  # a footnote starts with its marker; in the layout's order
        group = [("text", plain(s), note.text.ref) for s in strings(note.text)]
        group.insert(0, ("text", note.marker + group[0][1], note.ref)) if group else None
        groups.append(group)
    return groups


def check_content(edition_dir: str, pdf_path: str, diags) -> None:
    """Each element's texts on their page, elements in content order, every figure unchanged, markers in place.

    Texts are compared after NFKC with whitespace removed, with footnote markers as printed
    (so `highlight[^*]` must read `highlight*`: the marker touching its anchor).
    """
    from .content import load_edition
    from .layout_spec import load_layout
    from .paths import find_project

    edition = load_edition(edition_dir, diags)
    charts = load_layout(os.path.join(find_project(edition_dir), "layout"), diags, None,
                         os.path.join(edition_dir, "layout")).geometry.charts  # tables as printed, the edition's own layout
    pages = read_pages(pdf_path)
    if len(pages) != len(edition.pages):
        diags.error("check-pages", f"the PDF has {len(pages)} pages, the edition {len(edition.pages)}",
                    edition.ref, hint="rebuild the PDF from this edition")
    for page in sorted(edition.pages, key=lambda p: p.number):
        if page.number > len(pages):
            continue
        shown = "\n".join(pages[page.number - 1].pieces)
        hay = normalise(shown)
        previous = 0
        for group in expected_texts(page, charts=charts):
            after, before = [], []  # where the element's texts are found: after the element above, or only before
            for kind, expected, ref in group:
                needle = normalise(expected)
                if not needle:
                    continue
                at = hay.find(needle, previous)
                if at >= 0:
                    after.append(at)
                elif hay.find(needle) >= 0:
                    before.append((expected, ref))
                else:
                    code = "check-figure" if kind == "figure" else "check-missing"
                    diags.error(code, f"not found on page {page.number} as written: {word_diff(expected, shown)}",
                                ref, page=page.number,
                                hint="rebuild the PDF, or correct the content if the PDF is right")
            if before and not after:
                expected, ref = before[0]
                diags.error("check-order", f"'{expected[:50]}' comes before the element above it on page "
                            f"{page.number}", ref, page=page.number,
                            hint="the layout draws this element out of the content's order")
            if after:
                previous = min(after)
    if pdf_path.lower().endswith((".html", ".htm")):
        return  # a web page's lines break where the reader's browser breaks them
    from .house_words import load_house_words, merged
    from .wordbreaks import check_pdf

    house = load_house_words(find_project(edition_dir), diags)  # the names the build kept whole: the house's too
    check_pdf(replace(edition, words=merged(house, edition.words)), pdf_path, diags)  # a break inside a word
