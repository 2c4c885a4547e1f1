"""Render the README's pictures from the built leaflet.

    .venv/bin/python tools/readme_pictures.py

docs/pages-1-3.png: pages 1 and 3 side by side, trimmed.
docs/proof-page-03.png: the proof of page 3 with every overlay.
docs/greedy-vs-total-fit-1.png, -2.png: the same frames built first fit (above)
and total fit (below), each cropped from its own build, so a reader sees the
line breaks change and nothing else.
docs/pictures-page.png: edition-b's page 7 from its photographs down, at 150 dpi out to the bleed,
the trim drawn as a thin magenta line.
"""
import os
import sys
import tempfile

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from highlight.build import BuildOptions, build
from highlight.proof import OVERLAYS, ProofOptions, make_proofs

EDITION = "content/2022-23"
# (page, frames whose boxes are cropped, most points of height shown, picture)
COMPARISONS = [
    (8, ("landscape", "wellbeing"), 112.0, "docs/greedy-vs-total-fit-1.png"),
    (2, ("accelerator-head", "accelerator-row-1"), 160.0, "docs/greedy-vs-total-fit-2.png"),
]
SCALE = 1.5  # pixels per point of the comparison crops


def pages_1_and_3(pdf_path: str, target: str = "docs/pages-1-3.png") -> None:
    pdf = pdfium.PdfDocument(pdf_path)
    scale = 0.75
    pages = []
    for index in (0, 2):
        page = pdf[index]
        trim = page.get_trimbox()
        image = page.render(scale=scale).to_pil()
        height = image.size[1]
        left, bottom, right, top = (v * scale for v in trim)
        pages.append(image.crop((round(left), round(height - top), round(right), round(height - bottom))))
    width, height = pages[0].size
    sheet = Image.new("RGB", (width * 2 + 20, height), (200, 200, 200))
    sheet.paste(pages[0], (0, 0))
    sheet.paste(pages[1], (width + 20, 0))
    _save(sheet, target)


def _crop(pdf_path: str, laid_out_page, frames: tuple, most_pt: float) -> Image.Image:
    """The boxes of `frames` on the page, from the top of the highest for at most `most_pt`."""
    boxes = [f for f in laid_out_page.frames if f.name in frames]
    left = min(f.x_pt for f in boxes) - 4
    right = max(f.x_pt + f.width_pt for f in boxes) + 4
    top = min(f.y_pt for f in boxes) - 4
    bottom = min(max(f.y_pt + f.used_pt for f in boxes) + 4, top + most_pt)
    page = pdfium.PdfDocument(pdf_path)[laid_out_page.number - 1]
    image = page.render(scale=SCALE).to_pil()
    trim_left, _, _, trim_top = page.get_trimbox()
    page_top = image.size[1] - trim_top * SCALE  # the renderer's y of the trim's top edge
    x0, y0 = trim_left * SCALE, page_top
    return image.crop((round(x0 + left * SCALE), round(y0 + top * SCALE),
                       round(x0 + right * SCALE), round(y0 + bottom * SCALE)))


def comparisons() -> None:
    with tempfile.TemporaryDirectory() as temp:
        builds = {}
        for label, greedy in (("greedy (first fit)", True), ("total fit (highlight)", False)):
            pdf = os.path.join(temp, f"{greedy}.pdf")
            result = build(BuildOptions(EDITION, pdf, greedy=greedy, marks=False))
            if result.diagnostics.has_errors():
                sys.exit(f"the {label} build failed")
            builds[label] = (pdf, {p.number: p for p in result.pages})
        for number, frames, most_pt, target in COMPARISONS:
            crops = [(label, _crop(pdf, pages[number], frames, most_pt)) for label, (pdf, pages) in builds.items()]
            width = max(c.size[0] for _, c in crops)
            sheet = Image.new("RGB", (width, sum(c.size[1] + 16 for _, c in crops)), "white")
            draw = ImageDraw.Draw(sheet)
            y = 0
            for label, crop in crops:
                draw.text((4, y + 2), label, fill=(200, 120, 0))
                sheet.paste(crop, (0, y + 16))
                y += crop.size[1] + 16
            _save(sheet, target)


def proof_of_page_3(target: str = "docs/proof-page-03.png") -> None:
    with tempfile.TemporaryDirectory() as temp:
        _, files = make_proofs(ProofOptions(EDITION, pages=(3,), dpi=67, overlays=OVERLAYS, out_dir=temp))
        if not files:
            sys.exit("the proof build failed")
        _save(Image.open(files[0]), target)


def pictures_page(target: str = "docs/pictures-page.png") -> None:
    """The print PDF of tests/fixtures/edition-b, page 7 from a little above its photographs to the bleed."""
    with tempfile.TemporaryDirectory() as temp:
        out = os.path.join(temp, "b.pdf")
        if build(BuildOptions("tests/fixtures/edition-b", out)).diagnostics.has_errors():
            sys.exit("the edition-b build failed")
        page = pdfium.PdfDocument(out)[6]
        scale = 150 / 72
        image = page.render(scale=scale).to_pil().convert("RGB")
        height = image.size[1]
        left, bottom, right, top = (v * scale for v in page.get_bleedbox())
        t_left, t_bottom, t_right, t_top = (v * scale for v in page.get_trimbox())
        ImageDraw.Draw(image).rectangle((round(t_left), round(height - t_top), round(t_right), round(height - t_bottom)),
                                        outline=(220, 0, 120), width=1)
        crop = image.crop((round(left), round(height - top + 0.52 * (top - bottom)), round(right),
                           round(height - bottom)))
    crop.convert("P", palette=Image.ADAPTIVE, colors=256).save(target, optimize=True)
    print(f"wrote {target} ({crop.size[0]} x {crop.size[1]})")


def _save(image: Image.Image, target: str) -> None:
    image.convert("P", palette=Image.ADAPTIVE, colors=128).save(target, optimize=True)
    print(f"wrote {target} ({image.size[0]} x {image.size[1]})")


if __name__ == "__main__":
    pages_1_and_3(sys.argv[1] if len(sys.argv) > 1 else "out/highlights-2022-23.pdf")
    proof_of_page_3()
    comparisons()
    pictures_page()
