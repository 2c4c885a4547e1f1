"""Render pages 1 and 3 of the built leaflet into docs/pages-1-3.png (the README's picture).

    .venv/bin/python tools/readme_pictures.py [out/highlights-2022-23.pdf]
"""
import sys

import pypdfium2 as pdfium
from PIL import Image

MM_TO_PT = 72 / 25.4


def main(pdf_path: str = "out/highlights-2022-23.pdf", target: str = "docs/pages-1-3.png") -> None:
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
    sheet.convert("P", palette=Image.ADAPTIVE, colors=128).save(target, optimize=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
