"""A web page's text read back, as `check` reads a PDF's: one PageText per leaflet page (<section
class="page">), each piece a run of text the page shows, the furniture (`data-furniture`, as the PDF's
artifacts) and sums the content does not print (`data-derived`) and what is not shown as text (<script>, <style>, an SVG's <title> and <desc>, `hidden`) left out.
"""
from __future__ import annotations

from html.parser import HTMLParser

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr"})
_UNSHOWN = frozenset({"script", "style", "title", "desc", "template", "head"})


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, skipped, starts a page)
        self.pages: list[list[str]] = []
        self.langs: list[tuple[str, str]] = []  # (text, the language it stands in)
        self._lang: list[str] = []

    def _skipping(self) -> bool:
        return any(skipped for _, skipped, _ in self.stack)

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        names = dict(attrs)
        classes = (names.get("class") or "").split()
        skipped = tag in _UNSHOWN or "data-furniture" in names or "data-derived" in names or "hidden" in names \
            or "sr-only" in classes  # (a picture's Chinese alternative text: for screen readers, never printed)
        page = tag == "section" and "page" in (names.get("class") or "").split()
        if page:
            self.pages.append([])
        self.stack.append((tag, skipped, page))
        self._lang.append(names.get("lang") or (self._lang[-1] if self._lang else ""))

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        while self.stack:
            open_tag, _, _ = self.stack.pop()
            self._lang.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not data.strip():
            return
        lang = self._lang[-1] if self._lang else ""
        self.langs.append((data, lang))
        if self._skipping() or not self.pages or not any(page for _, _, page in self.stack):
            return
        self.pages[-1].append(data.strip())


def read_html(path: str) -> _Reader:
    with open(path, encoding="utf-8") as f:
        source = f.read()
    reader = _Reader()
    reader.feed(source)
    reader.close()
    return reader


def read_html_pages(path: str) -> list[tuple[str, ...]]:
    """The pieces of text of each leaflet page of a web page written by `build --to html`, page by page."""
    return [tuple(pieces) for pieces in read_html(path).pages]
