"""layout/web.yaml → WebSettings: the web page's measures on screen and the words of its own furniture.

The leaflet's colours and type scale are the print's (layout/styles.yaml, read by layout_spec); this file
holds only what a screen adds: pixels per point, the reading measure, line heights, the contrast every text
colour is brought to, the widths pictures are offered at, and the labels of the page's links (skip,
language, back from a note), which are furniture, not the leaflet's copy.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..content import TEXT, Text
from ..diagnostics import BuildFailed, Diagnostics, SourceRef
from ..schema import INVALID, Field, Number, Seq, Struct, load_document

LABELS = ("skip", "contents", "languages", "both", "english", "chinese", "back")


@dataclass(frozen=True)
class Leading:
    ref: SourceRef
    en: float = 1.55
    zh: float = 1.8


@dataclass(frozen=True)
class WebSettings:
    ref: SourceRef
    px_per_pt: float
    measure_ch: float
    measure_zh_em: float
    leading: Leading
    min_contrast: float
    picture_widths_px: tuple
    ring_label_min_percent: float
    jpeg_quality: int
    labels: dict = field(default_factory=dict, hash=False)


def _labels(**values) -> dict:
    values.pop("ref", None)
    values.pop("refs", None)
    return values


LABELS_SPEC = Struct(_labels, {name: Field(TEXT, required=True) for name in LABELS},
                     "The words of the web page's own links, in both languages where both are shown")

WEB = Struct(WebSettings, {
    "px_per_pt": Field(Number("CSS pixels per point of the print's type scale", 1.0, maximum=4.0), required=True),
    "measure_ch": Field(Number("Longest line of English reading text, in characters", 40, maximum=90), required=True),
    "measure_zh_em": Field(Number("Longest line of Chinese reading text, in ems", 20, maximum=45), required=True),
    "leading": Field(Struct(Leading, {"en": Field(Number("English line height", 1.2, maximum=2.2), default=1.55),
                                      "zh": Field(Number("Chinese line height (1.7 or more)", 1.7, maximum=2.4),
                                                  default=1.8)},
                            "Line heights of reading text"), required=True),
    "min_contrast": Field(Number("Contrast every text colour reaches on its ground (WCAG AA: 4.5)", 4.5, maximum=21),
                          required=True),
    "picture_widths_px": Field(Seq(Number("A width a picture is offered at, in pixels", 160, maximum=4000), 1, max_items=8),
                               required=True),
    "ring_label_min_percent": Field(Number("A ring's segment of this share or more has its count and share "
                                           "beside it", 0, maximum=100), required=True),
    "jpeg_quality": Field(Number("JPEG quality of the pictures on screen (fixed: two builds give the same bytes)",
                                 50, integer=True, maximum=95), required=True),
    "labels": Field(LABELS_SPEC, required=True),
}, "The web page: its measures on screen and the words of its own links")


def load_settings(project: str, diags: Diagnostics, cache: dict | None = None) -> WebSettings:
    """layout/web.yaml of the project; a missing or wrong file is a located error (BuildFailed)."""
    path = os.path.join(project, "layout", "web.yaml")
    if not os.path.isfile(path):
        diags.fatal("no-web-settings", "the web page needs layout/web.yaml", SourceRef(path),
                    hint="`highlight init` on the project's folder adds it (and nothing it has already)")
        raise BuildFailed(diags)
    settings = load_document(path, WEB, diags, cache)
    if settings is INVALID:
        raise BuildFailed(diags)
    return settings


def label(settings: WebSettings, name: str) -> Text:
    return settings.labels[name]
