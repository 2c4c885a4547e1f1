"""Content + layout → pages of positioned items. Never touches ReportLab.

The package, by stage (docs/architecture.md):
  items.py     the frozen page items (TextLine, Box, Rule, Ring, QrMark, FrameBox, CopyfitStep, LaidOutPage)
               and the helpers that move them and keep them on the baseline grid;
  elements.py  every element kind, one unit each (content class, layout function, styles, texts, figures),
               registered in ONE table, ELEMENTS;
  engine.py    PageLayouter: a page's title band, frames, footnotes and folio.

Callers import from here: `from highlight.layout import LaidOutPage, TextLine, layout_edition`.
"""
from .items import (Box, CopyfitStep, FrameBox, LaidOutPage, QrMark, Ring, Rule, TextLine, _down_to_grid,
                    _first_baseline, _Piece, _shift, _up_to_grid)
from .elements import BOLD_TWINS, COPYFIT_STYLES, ELEMENTS, ElementKind, kind_of
from .engine import PageLayouter, layout_edition

__all__ = ["Box", "CopyfitStep", "FrameBox", "LaidOutPage", "QrMark", "Ring", "Rule", "TextLine", "_down_to_grid",
           "_first_baseline", "_Piece", "_shift", "_up_to_grid", "BOLD_TWINS", "COPYFIT_STYLES", "ELEMENTS", "ElementKind", "kind_of", "PageLayouter",
           "layout_edition"]
