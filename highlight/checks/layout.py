"""The in-build layout check: every text and figure of the content is among the lines laid out on its page
(before anything is drawn; a miss is a bug of the layout, and the build stops rather than drop it)."""
from __future__ import annotations

import functools

from ..check import expected_texts, normalise


@functools.lru_cache(maxsize=512)
def _normalised(expected: str) -> str:
    return normalise(expected)


def _needle(expected: str) -> str:
    """normalise(expected); a text of more than ASCII once while it is printed again (a generated edition's Chinese,
    on every copy of its page; a page checked again in a later build of a session): NFKC of such a text was most of
    this check. (The last 512: 224 of every eight pages of the generated editions; 4,096 of every text took the
    200-page edition's peak memory 2 MB up.)"""
    return normalise(expected) if expected.isascii() else _normalised(expected)


def check_laid_out(edition, pages, diags, lang: str | None = None, charts=None) -> None:
    """Before anything is drawn: every text and figure of the content is among the lines laid out on its
    page (breakdown tables as `charts`, the layout's ChartSpec, prints them). A miss is a bug of the
    layout, never of the content; the build stops rather than drop it."""
    from ..layout import TextLine

    by_number = {p.number: p for p in pages}
    for page in edition.pages:
        laid = by_number.get(page.number)
        if laid is None:
            continue
        hay = normalise("".join("".join(run.text for run in item.line.runs if not run.artifact)
                                for item in laid.items if isinstance(item, TextLine)))
        for group in expected_texts(page, lang, charts):
            for kind, expected, ref in group:
                if _needle(expected) not in hay:
                    diags.error("dropped-text", f"the {kind} '{expected[:60]}' was not set on page {page.number}",
                                ref, page=page.number,
                                hint="this is a bug of highlight's layout, not of the content: please report it "
                                     "with this file")
