"""Lines that break inside a Chinese word: each one located, from the set lines (build, report) or the PDF (`check`).

DESIGN.md, Chinese setting: in measures under about 22 ems a line breaks only between words, and a name
never. The breaker (text.py) breaks inside a word there only when no other break exists; such a break
is a warning (so `--strict` fails on it). In wider text a break inside a word is the exception: a note
(never failing a build). Both name the page, the characters around the break and the measure, and the
typography report lists each one.
"""
from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Diagnostics, SourceRef
from .layout import LaidOutPage, TextLine
from .segment import ALLOWED, NAME, break_grades, listed_spans
from .text import NARROW_MEASURE_EM, is_ideograph


@dataclass(frozen=True)
class WordBreak:
    page: int
    ref: SourceRef | None
    around: str  # the characters either side of the break: "香港研|究資助局"
    measure_em: float  # the measure, in the em of the text's Chinese
    name: bool = False  # inside a name longer than the measure, at its own word boundary (the one way to set it)

    @property
    def narrow(self) -> bool:
        return self.measure_em < NARROW_MEASURE_EM - 0.01

    def describe(self) -> str:
        return f"{self.around} in a {self.measure_em:.1f} em measure"


def in_pages(pages: list[LaidOutPage]) -> list[WordBreak]:
    """Each set line that ends inside a word (the breaker records it on the line)."""
    found = []
    for page in pages:
        for item in page.items:
            if isinstance(item, TextLine) and item.line.split_word:
                found.append(WordBreak(page.number, item.ref, item.line.split_word, _measure_em(item),
                                       item.line.split_name))
    return found


def _measure_em(item: TextLine) -> float:
    sizes = [r.size_pt for r in item.line.runs if not r.rise_pt and any(is_ideograph(c) for c in r.text)]
    return item.line.width_pt / max(sizes or [r.size_pt for r in item.line.runs] or [1.0])


def add_diagnostics(breaks: list[WordBreak], diags: Diagnostics) -> None:
    """A warning for each break inside a word in a narrow measure (it fails --strict); a note, located the same
    way, for each in a wider one (the exception DESIGN.md allows there: it never fails a build)."""
    for found in breaks:
        if found.name:
            diags.note("name-break", f"a name longer than its measure breaks at its own word boundary: "
                       f"{found.describe()}", found.ref, page=found.page,
                       hint="widen the frame to keep it whole, or list the name's parts in edition.yaml's words")
        elif found.narrow:
            diags.warning("word-break", f"a line breaks inside a word: {found.describe()} (under "
                          f"{NARROW_MEASURE_EM} ems a line breaks only between words)", found.ref, page=found.page,
                          hint="no other break fits this measure: reword, widen the frame, or shorten the text "
                          "before the word")
        else:
            diags.note("word-break", f"a line breaks inside a word: {found.describe()} (allowed in a wide measure "
                       "when every other break is worse)", found.ref, page=found.page,
                       hint="if it is a name or a fixed term, list it in edition.yaml's words: to keep it whole")


# -- from the PDF (`highlight check`) -------------------------------------------------------------------

@dataclass(frozen=True)
class _PdfLine:
    text: str  # as drawn, spaces removed
    width_em: float  # from its first glyph's left to its last glyph's right, in its Chinese em


def pdf_lines(pdf_path: str) -> list[list[_PdfLine]]:
    """Per page, its lines in the order drawn (pdfium's reading of the text, lines as it splits them)."""
    import ctypes

    import pypdfium2 as pdfium
    from pypdfium2 import raw

    pages = []
    document = pdfium.PdfDocument(pdf_path)
    try:
        for index in range(len(document)):
            textpage = document[index].get_textpage()
            lines: list[_PdfLine] = []
            chars: list[str] = []
            left: float | None = None
            right = em = 0.0
            count = textpage.count_chars()
            text = textpage.get_text_range(0, count) if count else ""
            for i in range(count + 1):
                char = text[i] if i < count else "\n"
                if char in "\r\n":
                    if chars:
                        lines.append(_PdfLine("".join(chars), (right - left) / em if em and left is not None else 0.0))
                    chars, left, right, em = [], None, 0.0, 0.0
                    continue
                if char.isspace():
                    continue
                box = textpage.get_charbox(i, loose=True)
                left = box[0] if left is None else left
                right = max(right, box[2])
                if is_ideograph(char):
                    em = max(em, float(raw.FPDFText_GetFontSize(textpage, ctypes.c_int(i))))
                chars.append(char)
            pages.append(lines)
    finally:
        document.close()
    return pages


@dataclass(frozen=True)
class PdfBreak:
    page: int
    ref: SourceRef | None
    text: str  # the text as printed, spaces removed
    offset: int  # the break falls before text[offset]
    measure_em: float  # the widest line the text spans, in its Chinese em


def pdf_breaks(texts: list[tuple[int, SourceRef | None, str]], pages: list[list[_PdfLine]]) -> list[PdfBreak]:
    """The line breaks inside each of the given texts ((page, where, text as printed)) on its page of the PDF:
    where its characters run over two or more consecutive lines, the offsets where a line ends."""
    found = []
    for number, ref, string in texts:
        target = "".join(string.split())
        if number < 1 or number > len(pages) or not any(is_ideograph(c) for c in target):
            continue
        lines = pages[number - 1]
        joined = "".join(line.text for line in lines)
        start = joined.find(target)
        if start < 0:
            continue  # not set as one run of lines (check_content reports text missing from the page)
        ends, at = [], 0
        for line in lines:
            at += len(line.text)
            ends.append(at)
        spanned = [k for k, end in enumerate(ends) if start < end and end - len(lines[k].text) < start + len(target)]
        measure = max(lines[k].width_em for k in spanned)
        found += [PdfBreak(number, ref, target, ends[k] - start, measure) for k in spanned
                  if 0 < ends[k] - start < len(target)]
    return found


def in_pdf(texts: list[tuple[int, SourceRef | None, str]], pages: list[list[_PdfLine]],
           words: frozenset[str] = frozenset()) -> list[WordBreak]:
    """The breaks of `pdf_breaks` that fall inside a word (segment.py's grades, with the edition's words)."""
    found = []
    for each in pdf_breaks(texts, pages):
        text, offset = each.text, each.offset
        grade = break_grades(text, words)[offset]
        # a name longer than the measure, broken at its own word boundary: the one way to set it (a note)
        name = grade == NAME and all(end - start > each.measure_em for start, end in listed_spans(text, words)
                                     if start < offset < end)
        if grade != ALLOWED:
            found.append(WordBreak(each.page, each.ref, f"{text[max(0, offset - 3):offset]}|{text[offset:offset + 3]}",
                                   each.measure_em, name))
    return found


def check_pdf(edition, pdf_path: str, diags: Diagnostics) -> list[WordBreak]:
    """`highlight check`: the breaks inside a word of the edition's texts as the PDF prints them; a warning for
    each in a narrow measure (the measure read as the widest line the text spans)."""
    from .content import page_texts
    from .text import plain

    texts = [(page.number, text.ref, plain(string)) for page in edition.pages for text in page_texts(page)
             for _, string in text.strings()]
    found = in_pdf(texts, pdf_lines(pdf_path), frozenset(edition.words))
    add_diagnostics(found, diags)
    return found
