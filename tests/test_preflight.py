"""Preflight: the print PDF passes what a PDF/X-4 check asks; small PDFs built to break each rule fail it."""
from __future__ import annotations

import hashlib

from conftest import PAGE, make_edition, run_cli

from highlight.preflight import PreflightRules, preflight

MM = 72 / 25.4


def test_the_print_pdf_passes(built):
    report = preflight(built[1])
    assert report.failures == []
    checks = {f.check for f in report.findings}
    assert {"trim", "bleed", "media", "colour", "safe-area", "font", "output-intent", "pdfx-version", "trapped",
            "xmp", "id", "ink"} <= checks
    assert report.pages == 8 and 0 < report.max_ink_percent <= 300


def test_the_cli_reports_and_exits(built):
    code, printed = run_cli(["preflight", built[1]])
    assert code == 0 and "0 failures" in printed and "PASS output-intent" in printed


def _pdf(tmp_path, draw, name="case.pdf", cmyk=True) -> str:
    """A one-page A4 PDF with trim and bleed like ours, with whatever `draw` adds."""
    from reportlab.pdfgen.canvas import Canvas

    path = str(tmp_path / name)
    offset = 13 * MM
    canvas = Canvas(path, pagesize=(595.276 + 2 * offset, 841.89 + 2 * offset), invariant=1)
    canvas.setTrimBox((offset, offset, offset + 595.276, offset + 841.89))
    canvas.setBleedBox((offset - 3 * MM, offset - 3 * MM, offset + 595.276 + 3 * MM, offset + 841.89 + 3 * MM))
    canvas.setTitle("case")
    draw(canvas, offset)
    canvas.showPage()
    canvas.save()
    return path


def _failed(path) -> set:
    return {f.check for f in preflight(path, PreflightRules()).failures}


def test_an_rgb_colour_fails(tmp_path):
    def draw(canvas, offset):
        canvas.setFillColorRGB(1, 0, 0)
        canvas.rect(offset + 50, offset + 50, 100, 100, fill=1, stroke=0)

    assert "colour" in _failed(_pdf(tmp_path, draw))


def test_text_in_the_bleed_fails(tmp_path):
    def draw(canvas, offset):
        canvas.setFillColorCMYK(0, 0, 0, 1)
        canvas.drawString(offset + 2 * MM, offset + 400, "too close to the trim")

    assert "safe-area" in _failed(_pdf(tmp_path, draw))


def test_a_low_resolution_image_fails(tmp_path):
    from PIL import Image

    picture = tmp_path / "small.png"
    Image.new("CMYK", (20, 20), (0, 0, 0, 255)).convert("RGB").save(picture)

    def draw(canvas, offset):
        canvas.drawImage(str(picture), offset + 100, offset + 100, width=200, height=200)

    failed = _failed(_pdf(tmp_path, draw))
    assert "image-resolution" in failed and "image-colour" in failed


def test_too_much_ink_fails(tmp_path):
    def draw(canvas, offset):
        canvas.setFillColorCMYK(1, 1, 1, 0.9)
        canvas.rect(offset + 50, offset + 50, 100, 100, fill=1, stroke=0)

    assert "ink" in _failed(_pdf(tmp_path, draw))


def test_a_plain_pdf_lacks_the_pdfx_identity(tmp_path):
    failed = _failed(_pdf(tmp_path, lambda canvas, offset: None))
    assert {"output-intent", "pdfx-version", "xmp"} <= failed


def test_two_builds_have_the_same_sha256(built, tmp_path):
    from conftest import EDITION

    assert run_cli(["build", EDITION, "-o", str(tmp_path / "again.pdf")])[0] == 0
    with open(built[1], "rb") as a:
        assert hashlib.sha256(a.read()).hexdigest() == hashlib.sha256((tmp_path / "again.pdf").read_bytes()).hexdigest()


def test_crop_marks_sit_at_the_trim_corners(built):
    """Rendered at 300 dpi: dark marks on the trim lines outside the bleed, none inside the slug corner."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(built[1])
    image = pdf[0].render(scale=300 / 72).to_pil().convert("L")
    pdf.close()
    scale = 300 / 72
    trim_x, trim_y = 13 * MM * scale, 13 * MM * scale  # the top-left trim corner in pixels
    # Along the trim's vertical line, 4–9 mm above the corner, the mark is drawn.
    column = [image.getpixel((round(trim_x) + dx, round(trim_y - d * MM * scale)))
              for d in (5, 6, 7, 8) for dx in range(-2, 3)]
    assert min(column) < 128
    # Diagonally off the corner, in the slug, nothing is drawn.
    assert image.getpixel((round(trim_x - 6 * MM * scale), round(trim_y - 6 * MM * scale))) > 240


def test_the_screen_variant(tmp_path):
    """RGB, pages the size of the trim with no marks, a bookmark per page, language spans, QR codes as links."""
    import os
    import subprocess
    import sys

    import pikepdf
    from conftest import EDITION, ROOT

    out = tmp_path / "screen.pdf"
    assert run_cli(["build", EDITION, "-o", str(out), "--target", "screen"])[0] == 0
    with pikepdf.open(out) as pdf:
        assert [round(float(v), 2) for v in pdf.pages[0].mediabox] == [0, 0, 595.28, 841.89]
        assert "/TrimBox" not in pdf.pages[0].obj and "/OutputIntents" not in pdf.Root
        assert str(pdf.Root.Lang) == "en"
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
            # Bilingual, as the title band prints them, and no two alike.
            assert titles[:2] == ["1  Research Power 研究實力", "2  Leading in Technology and Knowledge Transfer "
                                                                 "帶領科技及知識轉移"]
            assert len(set(titles)) == len(titles) == 8
        operators = {str(op) for _, op in pikepdf.parse_content_stream(pdf.pages[0])}
        assert "rg" in operators and "k" not in operators and "K" not in operators
        spans = [operands[1].Lang for operands, op in pikepdf.parse_content_stream(pdf.pages[0])
                 if str(op) == "BDC" and str(operands[0]) == "/Span"]
        assert {"en", "zh-Hant"} <= {str(lang) for lang in spans}
    qr = tmp_path / "qr.pdf"
    case = os.path.join(ROOT, "tests", "cases", "good", "qr-url")
    assert run_cli(["build", case, "-o", str(qr), "--target", "screen"])[0] == 0
    with pikepdf.open(qr) as pdf:
        annots = [a for a in pdf.pages[0].obj.get("/Annots", []) if "/A" in a]
        assert [str(a.A.URI) for a in annots] == ["https://hkust.edu.hk/news/research-and-innovation"]
        # A link a screen reader can name and reach: its text, its place in the structure, the tab order.
        assert "https://hkust.edu.hk" in str(annots[0].Contents) and "/StructParent" in annots[0]
        assert pdf.pages[0].obj.Tabs == "/S"
    assert preflight(str(qr), PreflightRules(target="screen", require_pdfx=False)).failures == []
    run = subprocess.run([os.path.join(os.path.dirname(sys.executable), "outloud"), "--fail-on", "error", str(qr)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout


def test_dates_come_from_source_date_epoch_or_themake_edition(tmp_path, monkeypatch):
    import pikepdf
    from conftest import EDITION

    assert run_cli(["build", EDITION, "-o", str(tmp_path / "a.pdf")])[0] == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert run_cli(["build", EDITION, "-o", str(tmp_path / "b.pdf")])[0] == 0
    with pikepdf.open(tmp_path / "a.pdf") as a, pikepdf.open(tmp_path / "b.pdf") as b:
        assert str(a.docinfo.CreationDate).startswith("D:20230630")  # the edition's date
        assert str(b.docinfo.CreationDate).startswith("D:20231114")  # 1700000000 is 2023-11-14
        with a.open_metadata() as meta:
            assert meta.get("xmp:CreateDate") == "2023-06-30T00:00:00Z"


def test_qpdf_finds_nothing_wrong_with_either_variant(built, tmp_path):
    import pikepdf
    from conftest import EDITION

    assert run_cli(["build", EDITION, "-o", str(tmp_path / "screen.pdf"), "--target", "screen"])[0] == 0
    for path in (built[1], tmp_path / "screen.pdf"):
        with pikepdf.open(path) as pdf:
            assert pdf.check_pdf_syntax() == []  # qpdf's own check, as `qpdf --check` runs it


def test_an_rgb_only_colour_is_an_error_naming_the_style_file(tmp_path):
    folder = make_edition(tmp_path, PAGE)
    styles = tmp_path / "layout" / "styles.yaml"
    styles.write_text(styles.read_text(encoding="utf-8").replace(
        'accent:  {cmyk: [0, 30, 90, 10], rgb: "#e0a526"}', 'accent:  {rgb: "#e0a526"}'), encoding="utf-8")
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf")])
    assert code == 1 and "layout/styles.yaml:" in printed and "(colours.accent)" in printed
    assert "the required key 'cmyk' is missing" in printed


def test_a_template_may_keep_text_further_from_the_trim(tmp_path):
    folder = make_edition(tmp_path, PAGE)
    templates = tmp_path / "layout" / "templates.yaml"
    templates.write_text(templates.read_text(encoding="utf-8").replace("  p1:\n", "  p1:\n    safe_mm: 20\n", 1),
                         encoding="utf-8")
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf")])
    assert code == 1 and "error[outside-safe-area]" in printed and "within 20 mm of the trim" in printed


def test_what_issue_16_found_fails_the_preflight(tmp_path):
    """Untagged text, 400 % CMYK marks, a /Trans, one subset tag naming two subsets, empty Info strings and
    no XMP IDs: each is a failure of its own check."""
    import os

    from conftest import ROOT
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    fonts = os.path.join(ROOT, ".cache", "fonts")
    for name in ("latin-regular", "latin-bold"):
        pdfmetrics.registerFont(TTFont(f"case-{name}", os.path.join(fonts, f"{name}.ttf")))

    def draw(canvas, offset):
        canvas.setAuthor("")
        canvas.setPageTransition("Dissolve", 1)
        canvas.setStrokeColorCMYK(1, 1, 1, 1)
        canvas.line(2, 2, 10, 10)
        for i, name in enumerate(("latin-regular", "latin-bold")):
            canvas.setFont(f"case-{name}", 9)
            canvas.drawString(offset + 30 * MM, offset + (40 + 10 * i) * MM, "untagged")

    report = preflight(_pdf(tmp_path, draw))
    failed = {f.check for f in report.failures}
    assert {"tagged", "tagged-content", "registration", "no-trans", "subset-tags", "info-xmp", "struct-parents",
            "display-doc-title"} <= failed, failed
