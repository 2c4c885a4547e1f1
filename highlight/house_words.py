"""layout/words.yaml → the house's words: names and terms every edition meets (the university and its
campuses, its funders and rankers, recurring terms), which the Chinese line breaker keeps whole.

They are merged with the edition's own `words:` (content/<edition>/edition.yaml: what only that year prints)
and the segmenter's dictionary (segment.py), so a new edition written by hand, with no `words:` of its own,
still never sets 香港 | 研究資助局 or 科 | 睿唯安. The file is optional (a project made before it existed
builds as it did; `highlight init` adds it); its words are checked like an edition's.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from .content import MAX_WORD, _words_check
from .diagnostics import BuildFailed, Diagnostics
from .schema import INVALID, Field, Seq, Str, Struct, load_document


@dataclass(frozen=True)
class HouseWords:
    ref: object = None
    refs: object = None
    words: tuple = ()


WORDS = Struct(HouseWords, {
    "words": Field(Seq(Str("A name or term as printed, e.g. 研究資助局", max_length=MAX_WORD),
                       description="Names and terms every edition meets: a line never breaks inside one; merged "
                       "with the edition's own words and the Chinese dictionary", max_items=2000), default=()),
}, "The house's words, inherited by every edition: layout/words.yaml",
    check=lambda values, node, path, r: _words_check(values.get("words") or (), node, r))


def load_house_words(project: str, diags: Diagnostics, cache: dict | None = None) -> tuple[str, ...]:
    """The words of the project's layout/words.yaml (none when the file is missing); BuildFailed if it is wrong."""
    path = os.path.join(project, "layout", "words.yaml")
    if not os.path.isfile(path):
        return ()
    loaded = load_document(path, WORDS, diags, cache)
    if loaded is INVALID:
        raise BuildFailed(diags)
    return tuple(loaded.words)


def merged(house: tuple[str, ...], own: tuple[str, ...]) -> tuple[str, ...]:
    """The house's words, then the edition's own that the house does not list (order kept, each once)."""
    return tuple(dict.fromkeys((*house, *own)))
