"""What the web page needs beside its HTML: the print's faces as WOFF2 subsets, pictures in sRGB at a few
widths, and the style sheet with the layout's colours and type scale.

Every file is a function of its inputs (fixed encoder settings, no dates), so two builds give the same bytes;
the slow steps (subsetting a 7 MB CJK face, resampling a photograph) are cached under .cache/web/, keyed by
what they were made from.
"""
from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass

from .. import colour as wcag
from ..atomic import replace_file
from ..diagnostics import Diagnostics

# The OpenType features kept in the web subsets: kerning and ligatures, and what Chromium's
# `text-spacing-trim` and `text-autospace` use for CJK punctuation (halt, chws, vhal).
WEB_FEATURES = ["kern", "liga", "calt", "ccmp", "locl", "mark", "mkmk", "halt", "chws", "palt"]
_FONT_RECIPE = "woff2-1"  # bump when the subsetting options change: the cache key holds it


@dataclass(frozen=True)
class WebFont:
    family: str  # CSS family name: "HL Latin" or "HL CJK"
    weight: int  # 400 or 700
    file: str  # path inside the folder, e.g. fonts/latin-regular-1a2b3c4d.woff2
    data: bytes


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


FAMILY_NAMES = {"latin": "HL Latin", "cjk": "HL CJK"}


def web_fonts(fonts, characters: set[str], fonts_dir: str, cache_dir: str) -> list[WebFont]:
    """Each face of the FontSet's families (`fonts`) subset to the `characters` it has, as WOFF2."""
    from ..fonts import face_path

    out = []
    for family, weights in sorted(fonts.families.items()):
        for weight_name, face in sorted(weights.items()):
            coverage = fonts.coverage.get(face, frozenset())
            wanted = sorted({ord(c) for c in characters if ord(c) in coverage} | {0x20})
            source = face_path(face, fonts_dir)
            key = _sha(f"{_FONT_RECIPE}:{face}:{os.path.getsize(source)}:{','.join(map(str, wanted))}".encode())[:16]
            cached = os.path.join(cache_dir, "fonts", f"{face}-{key}.woff2")
            try:
                with open(cached, "rb") as f:
                    data = f.read()
            except OSError:
                data = _subset_woff2(source, wanted)
                try:
                    replace_file(cached, data)
                except OSError:
                    pass  # a read-only cache costs the next build the subsetting again
            name = FAMILY_NAMES.get(family, f"HL {family}")
            out.append(WebFont(name, 700 if weight_name == "bold" else 400,
                               f"fonts/{face}-{_sha(data)[:10]}.woff2", data))
    return out


def _subset_woff2(source: str, codepoints: list[int]) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = WEB_FEATURES
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # copyright, names, version: the licence asks to keep them
    with TTFont(source, recalcTimestamp=False, lazy=False) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints)
        subsetter.subset(font)
        font.flavor = "woff2"
        buffer = io.BytesIO()
        font.save(buffer, reorderTables=True)
    return buffer.getvalue()


# -- colours --------------------------------------------------------------------------------------------------
def hex_rgb(colour) -> str:
    """The screen twin of a layout colour: its `rgb:`, else a plain conversion of its CMYK."""
    if colour.rgb:
        return colour.rgb.lower()
    c, m, y, k = (v / 100.0 for v in colour.cmyk)
    return "#" + "".join(f"{round(255 * (1 - v) * (1 - k)):02x}" for v in (c, m, y))


def _cmyk_hex(c: float, m: float, y: float, k: float) -> str:
    """cmyk() of an SVG (0–1 per channel) as #rrggbb."""
    return "#" + "".join(f"{round(255 * (1 - min(1.0, v)) * (1 - min(1.0, k))):02x}" for v in (c, m, y))


def _channels(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i:i + 2], 16) / 255.0 for i in (1, 3, 5))  # type: ignore[return-value]


def luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of a #rrggbb colour."""
    return wcag.luminance(_channels(hex_colour))


def contrast(a: str, b: str) -> float:
    return wcag.contrast(_channels(a), _channels(b))


def _hex(rgb: tuple) -> str:
    return "#" + "".join(f"{round(255 * v):02x}" for v in rgb)


def readable(text: str, ground: str, minimum: float) -> str:
    """`text` brought to `minimum` contrast against `ground` (colour.reach_contrast), each step rounded to whole
    channels as CSS writes it; a colour that already reaches it is kept as written."""
    if contrast(text, ground) >= minimum:
        return text
    return _hex(wcag.reach_contrast(_channels(text), _channels(ground), minimum,
                                    lambda mixed: _channels(_hex(mixed))))


def screen_colours(layout) -> dict[str, str]:
    return {name: hex_rgb(colour) for name, colour in layout.colours.items()}


def style_sheet(layout, settings, fonts: list[WebFont], colours: dict[str, str]) -> str:
    """The page's CSS: @font-face rules for the subsets, the layout's colours (text colours brought to the
    contrast asked for on the grounds they stand on) and type scale as custom properties, then the rules
    (leaflet.css, package data)."""
    from importlib.resources import files

    minimum = settings.min_contrast
    white = colours.get("white", "#ffffff")
    panel = colours.get("panel", white)
    primary = colours.get("primary", "#000000")
    lightest_text = panel if luminance(panel) < luminance(white) else white  # text stands on paper or a panel
    props = {}
    for name, value in sorted(colours.items()):
        props[f"--{name}"] = value
        props[f"--{name}-text"] = readable(value, lightest_text, minimum)
    props["--on-primary"] = readable(white, primary, minimum)
    props["--accent-on-primary"] = readable(colours.get("accent", white), primary, minimum)
    px = settings.px_per_pt
    for (style, lang), st in sorted(layout.styles.items()):
        if lang == "en":
            props[f"--fs-{style}"] = f"{st.size_pt * px / 16:.4g}rem"
    props["--measure"] = f"{settings.measure_ch:g}ch"
    props["--measure-zh"] = f"{settings.measure_zh_em:g}em"
    props["--leading-en"] = f"{settings.leading.en:g}"
    props["--leading-zh"] = f"{settings.leading.zh:g}"
    faces = "".join(f'@font-face {{ font-family: "{f.family}"; font-weight: {f.weight}; font-style: normal; '
                    f'font-display: swap; src: url("{f.file}") format("woff2"); }}\n' for f in fonts)
    root = ":root {\n" + "".join(f"  {k}: {v};\n" for k, v in props.items()) + "}\n"
    rules = files("highlight.web").joinpath("leaflet.css").read_text(encoding="utf-8")
    return "/* Generated by highlight from layout/styles.yaml and layout/web.yaml. */\n" + faces + root + rules


# -- pictures -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PreparedPicture:
    src: str
    srcset: str
    width: int
    height: int
    files: tuple  # (path inside the folder, bytes)


def prepare_picture(path: str, widths: tuple, quality: int, cache_dir: str, diags: Diagnostics,
                    ref=None, page: int | None = None) -> PreparedPicture | None:
    """A picture file as the web shows it: a raster in sRGB as JPEG (PNG when it has transparency) at each
    of `widths` up to its own width; an SVG copied as it is (when it fetches nothing); a PDF logo rendered."""
    with open(path, "rb") as f:
        data = f.read()
    digest = _sha(data)[:10]
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in os.path.splitext(os.path.basename(path))[0])[:40]
    ext = os.path.splitext(path)[1].lower()
    if ext == ".svg":
        import re

        text = re.sub(r'xmlns(:\w+)?="[^"]*"', "", data.decode("utf-8", "replace"))  # namespaces are names
        if re.search(r"(?i)(href\s*=\s*[\"'](?!#)|url\(\s*[\"']?(?!#)|@import|<script|<foreignObject)", text):
            diags.warning("web-picture-external", "this SVG refers to a file outside it or holds a script; the web "
                          "page would fetch or run it, so the picture is left out", ref, page=page,
                          hint="embed what it uses in the SVG itself, or export it as PNG")
            return None
        match = re.search(r'viewBox="[\d.\s-]*?\s([\d.]+)\s+([\d.]+)"', text)
        width, height = (round(float(match.group(1))), round(float(match.group(2)))) if match else (300, 150)
        name = f"pictures/{stem}-{digest}.svg"
        # A logo drawn in the print's cmyk() colours (which no browser reads): the same plain conversion
        # as a layout colour's without an rgb twin.
        data = re.sub(rb"cmyk\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*\)",
                      lambda m: _cmyk_hex(*(float(v) for v in m.groups())).encode(), data)
        return PreparedPicture(name, "", width, height, ((name, data),))
    made = []
    try:
        from PIL import Image, ImageCms

        if ext == ".pdf":
            import pypdfium2 as pdfium

            document = pdfium.PdfDocument(data)
            try:
                image = document[0].render(scale=max(widths) / document[0].get_width()).to_pil().convert("RGB")
            finally:
                document.close()
        else:
            image = Image.open(io.BytesIO(data))
            image.load()
        icc = image.info.get("icc_profile")
        alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
        if image.mode == "CMYK":
            image = image.convert("RGB")  # no print profile on the web's side: a plain conversion
        elif icc and image.mode in ("RGB", "RGBA"):
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            target = ImageCms.createProfile("sRGB")
            mode = image.mode
            image = ImageCms.profileToProfile(image, source, target, outputMode=mode)
        image = image.convert("RGBA" if alpha else "RGB")
        full_w, full_h = image.size
        steps = sorted({w for w in widths if w < full_w} | {min(full_w, max(widths))})
        for width in steps:
            height = max(1, round(full_h * width / full_w))
            key = _sha(f"{digest}:{width}:{quality}:{alpha}".encode())[:16]
            suffix = ".png" if alpha else ".jpg"
            cached = os.path.join(cache_dir, "pictures", key + suffix)
            try:
                with open(cached, "rb") as f:
                    blob = f.read()
            except OSError:
                resized = image if width == full_w else image.resize((width, height), Image.Resampling.LANCZOS)
                buffer = io.BytesIO()
                if alpha:
                    resized.save(buffer, "PNG", optimize=False)
                else:
                    resized.save(buffer, "JPEG", quality=quality, optimize=False, progressive=False)
                blob = buffer.getvalue()
                try:
                    replace_file(cached, blob)
                except OSError:
                    pass
            made.append((f"pictures/{stem}-{digest}-{width}{suffix}", blob, width, height))
    except Exception as exc:  # Pillow and pdfium raise many kinds on a damaged file
        diags.warning("web-picture", f"the picture cannot be prepared for the web page: {exc}", ref, page=page,
                      hint="export it again as JPEG or PNG")
        return None
    largest = made[-1]
    srcset = ", ".join(f"{name} {width}w" for name, _, width, _ in made)
    default = next((m for m in made if m[2] >= 960), largest)
    return PreparedPicture(default[0], srcset, largest[2], largest[3], tuple((n, b) for n, b, _, _ in made))
