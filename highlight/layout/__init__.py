"""Content + layout → pages of positioned items. Never touches ReportLab.

The package, by stage (docs/architecture.md):
  items.py      the frozen page items (TextLine, Box, Rule, Ring, QrMark, Picture, FrameBox, CopyfitStep,
                LaidOutPage)
                and the helpers that move them and keep them on the baseline grid;
  stacking.py   FrameContext, the frozen context of the frame being set (its styles in force, its copyfit
                steps), and the columns that stack lines on the baseline grid;
  elements.py   every element kind, one unit each (content class, layout function, styles, texts, figures),
                registered in ONE table, ELEMENTS;
  copyfit.py    the steps down their scale that figures too wide for their cells take;
  fill.py       a frame filled row by row in its cells; the rows of align_rows groups levelled;
  placement.py  where the frames stand down the page: named gaps, spacing (a larger step), anchor;
  furniture.py  the title band, the footnotes, the folio;
  engine.py     PageLayouter: each page through those stages.

Callers import from here: `from highlight.layout import LaidOutPage, TextLine, layout_edition`.
"""
from ..kinds import COPYFIT_STYLES
from .elements import ELEMENTS, ElementKind, kind_of
from .engine import PageLayouter, layout_edition
from .items import (
    Box,
    CopyfitStep,
    FrameBox,
    LaidOutPage,
    Picture,
    QrMark,
    Ring,
    Rule,
    TextLine,
    _down_to_grid,
    _first_baseline,
    _Piece,
    _shift,
    _up_to_grid,
)
from .stacking import BOLD_TWINS, FrameContext

__all__ = [
    "BOLD_TWINS",
    "COPYFIT_STYLES",
    "ELEMENTS",
    "Box",
    "CopyfitStep",
    "ElementKind",
    "FrameBox",
    "FrameContext",
    "LaidOutPage",
    "PageLayouter",
    "Picture",
    "QrMark",
    "Ring",
    "Rule",
    "TextLine",
    "_Piece",
    "_down_to_grid",
    "_first_baseline",
    "_shift",
    "_up_to_grid",
    "kind_of",
    "layout_edition",
]
