"""A PDF's text read back and compared with a plain-text source (a copy deck, or last year's extracted text).

Normalisation is that of ../shared/tools/seed_coverage.py: Unicode NFKC, and
every whitespace character removed (or, with `strict`, runs of whitespace
collapsed to one space). A source line is found when it is a substring of the
document's text. The other way round, each piece of text the PDF shows is
"extra" when it is not in the source. Furniture — text the renderer marks as
an /Artifact, such as the folio — is left out of both.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


def normalise(text: str, strict: bool = False) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", " ", text).strip() if strict else re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class PageText:
    number: int
    pieces: tuple[str, ...]  # what each text-showing operator drew, furniture left out

    @property
    def text(self) -> str:
        return "\n".join(self.pieces)


def read_pages(pdf_path: str) -> list[PageText]:
    """The text of each page, piece by piece, skipping marked-content /Artifact sections."""
    from pypdf import PdfReader

    pages = []
    for number, page in enumerate(PdfReader(pdf_path).pages, 1):
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
        pages.append(PageText(number, tuple(p for p in pieces if p.strip())))
    return pages


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


def check_source(source_path: str, pdf_path: str, strict: bool = False) -> SourceReport:
    """Lines of the source missing from the PDF, and PDF text that is not in the source.

    A source with form feeds (as `pdftotext` writes) is compared page by page;
    otherwise every line is looked for in the whole document.
    """
    with open(source_path, encoding="utf-8-sig") as f:
        source = f.read()
    pages = read_pages(pdf_path)
    chunks = source.split("\f") if "\f" in source and len(source.split("\f")) >= len(pages) else [source]
    report = SourceReport(sum(1 for ln in source.splitlines() if ln.strip()))
    whole_pdf = normalise("".join(p.text for p in pages), strict)
    line_number = 0
    for index, chunk in enumerate(chunks):
        page = index + 1 if len(chunks) > 1 else None
        hay = normalise(pages[index].text, strict) if page and index < len(pages) else whole_pdf
        for line in chunk.split("\n"):
            line_number += 1
            if line.strip() and normalise(line, strict) not in hay:
                report.missing.append((page, line_number, line.strip()))
    whole_source = normalise(source, strict)
    for page in pages:
        for piece in page.pieces:
            if normalise(piece, strict) not in whole_source:
                report.extra.append((page.number, piece.strip()))
    return report
