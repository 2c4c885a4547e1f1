"""Test pictures, made with Pillow in the test (no binaries are committed): an RGB gradient with an embedded
profile, a CMYK one, a greyscale one, a tiny 72 ppi one, a huge 1200 ppi one, and small vector logos."""
from __future__ import annotations

import os

from PIL import Image, ImageCms


def gradient_rgb(size=(900, 600)) -> Image.Image:
    """A smooth RGB picture with dark shadows: red across, green down, a dark corner (ink above the limit)."""
    w, h = size
    im = Image.new("RGB", size)
    im.putdata([(int(255 * x / (w - 1)), int(255 * y / (h - 1)), int(255 * (1 - x / (w - 1)) * (y / (h - 1))))
                for y in range(h) for x in range(w)])
    return im


def srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def write_photo(path: str, size=(900, 600), dpi=300, icc: bytes | None = None) -> str:
    """An RGB JPEG or PNG with an embedded sRGB profile (or `icc`)."""
    kwargs = {"icc_profile": icc if icc is not None else srgb_icc(), "dpi": (dpi, dpi)}
    if path.endswith((".jpg", ".jpeg")):
        kwargs["quality"] = 92
    gradient_rgb(size).save(path, **kwargs)
    return path


def write_cmyk(path: str, size=(600, 400)) -> str:
    w, h = size
    im = Image.new("CMYK", size)
    im.putdata([(int(255 * x / (w - 1)), int(200 * y / (h - 1)), 60, 40) for y in range(h) for x in range(w)])
    im.save(path, dpi=(300, 300))
    return path


def write_grey(path: str, size=(600, 400)) -> str:
    w, h = size
    im = Image.new("L", size)
    im.putdata([int(255 * ((x + y) % w) / (w - 1)) for y in range(h) for x in range(w)])
    im.save(path, dpi=(300, 300))
    return path


def write_svg_logo(path: str, colour: str = "#c8102e") -> str:
    with open(path, "w", encoding="utf-8") as f:
        f.write(f'''<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" viewBox="0 0 120 60">
<rect x="0" y="0" width="60" height="60" fill="{colour}"/>
<circle cx="90" cy="30" r="25" fill="#003366"/>
</svg>''')
    return path


def write_pdf_logo(path: str, rgb: bool = True) -> str:
    """A one-page PDF logo of paths only: a red square and a navy disc (RGB, or CMYK)."""
    import pikepdf

    pdf = pikepdf.new()
    colour_a = b"0.8 0.05 0.1 rg" if rgb else b"0 0.95 0.9 0 k"
    colour_b = b"0 0.2 0.4 rg" if rgb else b"1 0.7 0 0.3 k"
    content = (colour_a + b"\n0 0 60 60 re f\n" + colour_b +
               b"\n90 5 m 104 5 115 16 115 30 c 115 44 104 55 90 55 c 76 55 65 44 65 30 c 65 16 76 5 90 5 c f\n")
    pdf.add_blank_page(page_size=(120, 60))
    pdf.pages[0].Contents = pdf.make_stream(content)
    pdf.save(path, deterministic_id=True)
    return path


def make_edition_pictures(folder: str) -> None:
    """The pictures tests/cases/images/photos names."""
    write_photo(os.path.join(folder, "campus.jpg"), (1800, 1200))
    write_cmyk(os.path.join(folder, "press.tif"))
    write_grey(os.path.join(folder, "portrait.png"))
    write_svg_logo(os.path.join(folder, "logo.svg"))
