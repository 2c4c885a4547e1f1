"""One stat anatomy, both languages equal, leading, typographic normalisation and footnotes (issue 22,
points 3, 4, 5 (footnotes) and 6), asserted on the layout data and the built leaflet."""
from __future__ import annotations

import math
import os

import yaml

from highlight.diagnostics import Diagnostics
from highlight.layout_spec import load_layout

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAYOUT = os.path.join(ROOT, "layout")


def test_every_style_has_at_least_the_leading_min_leading_asks_in_each_language():
    """Over layout/styles.yaml as written: English 1.3 × its size, Chinese 1.5 ×, notes and footnotes
    included, each a whole step of the baseline grid."""
    with open(os.path.join(LAYOUT, "styles.yaml"), encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    assert doc["min_leading"] == {"en": 1.3, "zh": 1.5}
    layout = load_layout(LAYOUT, Diagnostics())
    short = []
    for (name, lang), style in layout.styles.items():
        least = style.size_pt * doc["min_leading"][lang]
        if style.leading_pt < least - 1e-6:
            short.append(f"{name} ({lang}) {style.size_pt:g}/{style.leading_pt:g}")
        assert math.isclose(style.leading_pt / 2, round(style.leading_pt / 2)), (name, lang)
    assert not short, short
    assert {name for name, _ in layout.styles} >= {"stat-note", "footnote", "callout-text", "rank-note"}


def test_a_style_under_the_least_leading_is_a_located_error(tmp_path):
    from conftest import run_cli
    from test_typography import _edition_with_styles_edited

    old = "  stat-note:\n    weight: regular\n    colour: text\n    size_pt: 8\n    en: {leading_pt: 12}"
    folder, text = _edition_with_styles_edited(tmp_path, old, old.replace("12}", "10}"))
    line = text[:text.index(old)].count("\n") + 5
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf")])
    assert code == 1 and "Traceback" not in printed
    assert (f"layout/styles.yaml:{line}:22 (styles.stat-note.en.leading_pt): error[leading-too-tight]: style "
            "'stat-note' (en) is 8 on 10 pt (1.25×)") in printed
    assert "set en: {leading_pt: 12}" in printed
