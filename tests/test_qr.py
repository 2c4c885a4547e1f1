"""QR codes: a url prints a real code that decodes back to it; no url prints a marked placeholder."""
from __future__ import annotations

import os

import pypdfium2 as pdfium
import zxingcpp
from conftest import ROOT

from highlight.build import BuildOptions, build

CASE = os.path.join(ROOT, "tests", "cases", "good", "qr-url")


def test_qr_with_url_decodes_and_placeholder_warns(tmp_path):
    out = tmp_path / "qr.pdf"
    result = build(BuildOptions(CASE, str(out)))
    assert not result.diagnostics.has_errors(), result.diagnostics.items
    warnings = [d for d in result.diagnostics.items if d.code == "qr-placeholder"]
    assert len(warnings) == 1 and warnings[0].source.yaml_path == "blocks[0].elements[1].qr"
    pdf = pdfium.PdfDocument(str(out))
    image = pdf[0].render(scale=300 / 72).to_pil()
    pdf.close()
    decoded = [r.text for r in zxingcpp.read_barcodes(image)]
    assert decoded == ["https://hkust.edu.hk/news/research-and-innovation"]
