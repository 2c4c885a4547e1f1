"""QR codes a phone reads (issue 14, item 7): modules of at least 0.33 mm at the printed size, and the
error-correction level in the layout data."""
from __future__ import annotations

import os
import re
import shutil

import pypdfium2 as pdfium
import zxingcpp
from conftest import ROOT, copy_project, run_cli

from highlight.build import BuildOptions, build

CASE = os.path.join(ROOT, "tests", "cases", "good", "qr-url")
SHORT = "https://hkust.edu.hk/news/research-and-innovation"
LONG = "https://hkust.edu.hk/news/research-and-innovation?" + "&".join(f"utm_term{i}=annual-highlights-2023-24"
                                                                     for i in range(12))


def _case(tmp_path, url: str, page_yaml: str | None = None):
    project = copy_project(tmp_path, ("layout", "fonts", "profiles"))
    folder = project / "content" / "qr"
    shutil.copytree(CASE, folder)
    page = folder / "p1.yaml"
    page.write_text(page.read_text(encoding="utf-8").replace(SHORT, url), encoding="utf-8")
    if page_yaml is not None:
        (folder / "layout").mkdir()
        (folder / "layout" / "page.yaml").write_text(page_yaml, encoding="utf-8")
    return folder


def test_a_url_too_long_for_the_printed_size_is_a_located_warning_with_the_choices(tmp_path):
    assert len(LONG) > 400
    folder = _case(tmp_path, LONG)
    result = build(BuildOptions(str(folder), str(tmp_path / "x.pdf")))
    small = [d for d in result.diagnostics.items if d.code == "qr-module-small"]
    assert len(small) == 1, [d.format() for d in result.diagnostics.items]
    d = small[0]
    assert d.source.file.endswith("p1.yaml") and d.source.yaml_path == "blocks[0].elements[0].qr.url"
    assert d.source.line == 10
    # version 17 at error correction M: 85 modules and a 4-module quiet zone each side in 20 mm
    assert re.search(rf"the {len(LONG)}-character url makes a version-\d+ code of \d+ modules: at qr_size_mm 20 "
                     r"each module is 0\.2\d mm, under the 0\.33 mm a phone reads from paper", d.message), d.message
    # The choices: the longest URL that fits at 20 mm, and the size this URL needs.
    fits = int(re.search(r"a url of at most (\d+) characters", d.hint).group(1))
    needed = float(re.search(r"qr_size_mm: ([\d.]+)", d.hint).group(1))
    assert "shorten the url" in d.hint and "layout/page.yaml" in d.hint
    import segno

    assert segno.make(LONG[:fits], error="m", micro=False).symbol_size(border=4)[0] * 0.33 <= 20
    assert segno.make(LONG[:fits + 1], error="m", micro=False).symbol_size(border=4)[0] * 0.33 > 20
    assert segno.make(LONG, error="m", micro=False).symbol_size(border=4)[0] * 0.33 <= needed < \
        segno.make(LONG, error="m", micro=False).symbol_size(border=4)[0] * 0.33 + 1
    # and with that size in the edition's layout the warning goes
    folder = _case(tmp_path / "bigger", LONG, f"qr_size_mm: {needed}\n")
    result = build(BuildOptions(str(folder), str(tmp_path / "y.pdf")))
    assert not [d for d in result.diagnostics.items if d.code == "qr-module-small"]


def test_a_short_url_is_quiet(tmp_path):
    result = build(BuildOptions(CASE, str(tmp_path / "x.pdf")))
    assert not [d for d in result.diagnostics.items if d.code == "qr-module-small"]


def test_the_error_correction_level_comes_from_the_layout(tmp_path):
    for level in ("M", "H"):
        folder = _case(tmp_path / level, SHORT, f"qr_error_correction: {level}\n")
        out = tmp_path / f"{level}.pdf"
        result = build(BuildOptions(str(folder), str(out)))
        assert not result.diagnostics.has_errors(), [d.format() for d in result.diagnostics.items]
        pdf = pdfium.PdfDocument(str(out))
        image = pdf[0].render(scale=300 / 72).to_pil()
        pdf.close()
        found = zxingcpp.read_barcodes(image)
        assert [r.text for r in found] == [SHORT] and found[0].ec_level == level


def test_an_unknown_error_correction_level_is_a_located_error(tmp_path):
    folder = _case(tmp_path, SHORT, "qr_error_correction: X\n")
    code, printed = run_cli(["build", str(folder), "-o", str(tmp_path / "x.pdf")])
    assert code == 1 and "layout/page.yaml:1:22 (qr_error_correction): error[" in printed, printed
    assert "L, M, Q or H" in printed or "L, M, Q, H" in printed, printed
