"""Every character the leaflet prints, where it first appears, and whether a face of its family draws it (before
anything is set: a missing glyph is located at the content that asks for it)."""
from __future__ import annotations

import unicodedata

from ..chars import BRACKET_PAIRS, split_bracket
from ..diagnostics import Diagnostics, SourceRef
from ..kinds import kind_of
from ..layout_spec import Layout
from ..model import Edition, page_texts, ref_of
from ..text import plain

# Characters the layout itself prints (figures of tables, page numbers, the slug line).
NO_BREAK_SPACES = "\u00a0\u202f"
GENERATED_CHARACTERS = set("0123456789,.%+- |") | set("Annual Highlights page highlight")


def characters_used(edition: Edition, layout: Layout | None = None) -> dict[str, SourceRef]:
    """Every character the leaflet prints, with where it first appears (`layout`: its furniture's too)."""
    seen: dict[str, SourceRef] = {}
    separator = layout.geometry.title_band.note_separator if layout is not None else None
    if len(_PAGES) > 4 * len(edition.pages) + 64:  # pages of earlier builds of a long session: not this edition's
        current = {id(page) for page in edition.pages}
        for key in [key for key in _PAGES if key not in current]:
            del _PAGES[key]
    for page in edition.pages:
        known = _PAGES.get(id(page))
        if known is None or known[0] is not page or known[1] != separator:
            known = _PAGES[id(page)] = (page, separator, _page_characters(page, separator))
        for char, ref in known[2].items():
            seen.setdefault(char, ref)
    for _, string in edition.title.strings():
        for char in string:
            seen.setdefault(char, edition.title.ref)
    for char in edition.edition:  # printed in the slug line
        seen.setdefault(char, ref_of(edition, "edition"))
    for char in GENERATED_CHARACTERS:
        seen.setdefault(char, edition.ref)
    measures = layout.geometry.elements if layout is not None else None
    if measures is not None:  # the furniture layout/page.yaml words: a footnote's stop, a placeholder's words
        for string in (measures.footnote_stop_en, measures.footnote_stop_zh, measures.picture_to_come_en,
                       measures.picture_to_come_zh):
            for char in string:
                seen.setdefault(char, measures.ref)
    return seen


_OPENING, _CLOSING = frozenset(BRACKET_PAIRS), frozenset(BRACKET_PAIRS.values())
_NO_BREAK = frozenset(NO_BREAK_SPACES)

# Each page's characters, for the very page object (a `watch` session's unchanged pages are the same objects):
# id -> (page, the title band's note separator, {character: where it first appears on the page}).
_PAGES: dict[int, tuple] = {}


def _page_characters(page, separator: str | None) -> dict[str, SourceRef]:
    seen: dict[str, SourceRef] = {}
    raw = [(t.ref, s) for t in page_texts(page) for _, s in t.strings()]
    # (plain() collapses whitespace: the no-break spaces that hold a figure to its unit are printed glyphs)
    strings = [(ref, plain(s)) for ref, s in raw] + [(ref, "".join(c for c in s if c in NO_BREAK_SPACES))
                                                     for ref, s in raw if not _NO_BREAK.isdisjoint(s)]
    for text in page_texts(page):  # the brackets the layout adds to a bracket split across the languages
        # (plain() only takes characters away: a text whose English opens no bracket or whose Chinese closes none
        # splits none, and is not made plain again for it: 4 ms of every build)
        if not hasattr(text, "zh") or _OPENING.isdisjoint(text.en or "") or _CLOSING.isdisjoint(text.zh or ""):
            continue
        split = split_bracket(plain(text.en or ""), plain(text.zh or ""))
        if split:
            strings.append((text.ref, "".join(split)))
    for block in page.blocks:
        for element in block.elements:
            for name in kind_of(element).figure_fields:  # a stat's figure, a ranking's number
                value = getattr(element, name, None)
                if isinstance(value, str):
                    strings.append((ref_of(element, name), value))
    strings += [(ref_of(note, "marker"), note.marker) for note in page.footnotes]
    if page.continued is not None:  # the title band's "continued" note (furniture, not a page text)
        strings += [(page.continued.ref, s) for _, s in page.continued.strings()]
        if separator is not None:
            strings.append((page.continued.ref, separator))
    for ref, string in strings:
        for char in string:
            seen.setdefault(char, ref)
    return seen


def check_glyphs(used: dict[str, SourceRef], coverage: dict, diags: Diagnostics, allow: bool = False) -> None:
    """Every character must be in a face the families draw it from; say which is not, and where it first
    appears (`coverage`: fonts.family_coverage)."""
    everything = frozenset().union(*coverage.values())
    for char, ref in sorted(used.items(), key=lambda kv: (kv[1], kv[0])):
        if ord(char) not in everything and not char.isspace():
            shown = char if char.isprintable() else ""
            message = f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed')} {shown!r} is in no embedded font"
            if allow:
                diags.warning("missing-glyph", message + "; it is printed as a box", ref,
                              hint="replace the character before this goes to print")
            else:
                diags.error("missing-glyph", message, ref,
                            hint="replace the character, add a face that has it to fonts/fonts.yaml, "
                                 "or build a proof with --allow-missing-glyphs")
