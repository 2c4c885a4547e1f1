"""Every element kind's content facets, in ONE table, KINDS (the model: no layout here).

A kind is its content dataclass (content.py: what the YAML holds, and the texts it holds, content.ELEMENT_TEXTS),
the styles its layout sets (styles.yaml must define them all: layout_spec checks), the figures it prints once
for both languages, what it prints when that is not simply its texts and figures (a table's rows as grouped),
and the units whose two languages must agree (parity.py). The layout function of each kind is
layout/elements.py's table, ELEMENTS, keyed by the same dataclass; tests/test_elements.py fails when a kind
is missing from either. Build, check (dropped text), parity and the glyph check read these through kind_of.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from . import chartrows
from .diagnostics import SourceRef
from .model import (
    Breakdown,
    BulletList,
    Callout,
    Heading,
    Image,
    Paragraph,
    Partner,
    QrCode,
    Ranking,
    Stat,
    Text,
    element_texts,
)


@dataclass(frozen=True)
class Kind:
    content: type  # the content dataclass (model.py)
    # the role of its lines and marks (layout/items.py ROLES) where its layout function stamps no other: what
    # the tagged PDF, `check`, `serve` and every backend read it as (a kind without one is refused here)
    role: str
    styles: tuple[str, ...]  # the styles its layout sets: styles.yaml must define them
    figure_fields: tuple[str, ...] = ()  # fields whose figure is printed once, for both languages
    # (element, charts) -> (texts, [(figure, ref)]) as it prints, when that is not simply its texts and figures
    printed: Callable | None = None
    # element -> [(ref, texts, shared figures)]: the units whose two languages must agree; default the element
    parity_units: Callable | None = None
    copyfit_style: str | None = None  # a figure that cannot wrap steps down this style's scale instead

    def texts(self, element) -> Iterable[Text]:
        """Every Text the element holds, in reading order (content.ELEMENT_TEXTS)."""
        return element_texts(element)

    def figures(self, element) -> tuple[str, ...]:
        """The figures it prints once, for both languages (a stat's figure, a ranking's number)."""
        return tuple(value for name in self.figure_fields if (value := getattr(element, name, None)))


KINDS: tuple[Kind, ...] = (
    Kind(Heading, "heading", ("theme-heading", "heading1", "heading2")),
    Kind(Paragraph, "paragraph", ("body",)),
    Kind(BulletList, "list-body", ("list",),  # each item's lines stamped with its index
         parity_units=lambda e: [(item.ref, [item], []) for item in e.items]),  # each item stands alone
    Kind(Stat, "paragraph", ("stat-figure", "stat-unit", "stat-change", "stat-lead", "stat-label", "stat-label-unit",
                             "stat-note", "badge"),
         figure_fields=("figure",), copyfit_style="stat-figure"),
    Kind(Callout, "paragraph", ("stat-lead", "callout-headline", "callout-text")),
    Kind(Ranking, "paragraph", ("rank", "rank-title", "rank-note", "rank-source"),
         figure_fields=("rank",), copyfit_style="rank"),  # the number in the rank column
    # charts.py stamps a table's caption, row labels and figures, its chart a figure, its total an artifact
    Kind(Breakdown, "table-cell", ("table-caption", "table-label", "table-figure", "table-percent", "chart-total"),
         printed=chartrows.printed,  # as the table prints: small rows grouped as Others
         parity_units=lambda e: []),  # its figures are printed once, for both languages
    Kind(Partner, "paragraph", ("partner-name", "partner-status", "partner-text")),
    Kind(QrCode, "paragraph", ("qr-caption",)),  # its caption; the code itself a figure
    Kind(Image, "caption", ("picture-caption", "picture-credit")),  # its caption and credit; the picture a figure
)
_BY_CONTENT = {kind.content: kind for kind in KINDS}

PAGE_STYLES = ("title", "title-note", "footnote", "folio", "folio-number")  # the page's own: title band, footnotes, folio
COPYFIT_STYLES = tuple(kind.copyfit_style for kind in KINDS if kind.copyfit_style)  # step down, never wrap


def kind_of(element) -> Kind:
    return kind_of_class(type(element))


def kind_of_class(content: type) -> Kind:
    kind = _BY_CONTENT.get(content)
    if kind is None:
        raise TypeError(f"{content.__name__} is not an element kind of highlight/kinds.py")
    return kind


def printed(element, charts=None) -> tuple[list[Text], list[tuple[str, SourceRef]]]:
    """What the element prints: its texts, and its figures with their places (a table's as it prints them
    with `charts`, the layout's ChartSpec)."""
    kind = kind_of(element)
    if kind.printed is not None:
        return kind.printed(element, charts)
    return list(kind.texts(element)), [(figure, element.ref) for figure in kind.figures(element)]


def parity_units(element) -> list[tuple[SourceRef, list[Text], list[str]]]:
    """(ref, texts, figures printed once) per unit whose English and Chinese must agree."""
    kind = kind_of(element)
    if kind.parity_units is not None:
        return kind.parity_units(element)
    return [(element.ref, list(kind.texts(element)), list(kind.figures(element)))]


def engine_styles() -> tuple[str, ...]:
    """Every style the engine sets: the page's title first, every kind's, then footnotes and folio."""
    names = [PAGE_STYLES[0]] + [name for kind in KINDS for name in kind.styles] + list(PAGE_STYLES[1:])
    return tuple(dict.fromkeys(names))
