"""Pictures as a print shop expects them: found inside the edition's folder, cropped to their box, at a
resolution the press can use, in the output profile's CMYK, under the press's ink limit, encoded the same
way every time.

A raster picture (JPEG, PNG, TIFF, …) goes through `prepare`: cropped around its focus (cover) or kept
whole (contain), downsampled with Lanczos when it has far more pixels than the press can print, then

- print: RGB (its embedded ICC profile, else sRGB) converted by LittleCMS (Pillow's ImageCms) into the CMYK
  of the profile the PDF declares as its OutputIntent, with the layout's rendering intent; every pixel's
  total ink brought under the press limit (cyan, magenta and yellow reduced in proportion, black kept);
  CMYK passed through as it is, unless it goes over the press limit (an agency's 360 % separation for
  another press): then it is separated again through the output profile (a relative colorimetric round
  trip through Lab, with the profile's own black generation), limited as above, and the build says so in
  a located note;
  greyscale kept as one channel;
- screen: sRGB (CMYK through the output profile; RGB with another profile converted to sRGB);

and embedded as a JPEG with fixed settings (no EXIF, no ICC, no timestamp), so two builds give the same
bytes. A vector logo (PDF or SVG) is drawn as vectors; its colours are checked, and in print its RGB
colours are converted through the same profile and listed.

Every function here is a function of its inputs (the file is keyed by its path, size and mtime), so the
build's check and the renderer share one cached preparation.
"""
from __future__ import annotations

import functools
import io
import math
import os
import zlib
from dataclasses import dataclass

from .diagnostics import Diagnostics, shown
from .layout_spec import MM, ImageSettings

RASTER = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".gif", ".bmp", ".webp")
VECTOR = (".pdf", ".svg")
INTENTS = {"perceptual": 0, "relative": 1, "saturation": 2, "absolute": 3}
# A picture's total ink, as decoded, may exceed the press limit by this much (JPEG rounding): the build
# limits to it and preflight accepts it, one number for both, so what the build writes passes preflight.
INK_TOLERANCE_PERCENT = 0.5


# -- the file: inside the edition's folder ---------------------------------------------------------------
def picture_path(folder: str, name: str) -> tuple[str | None, str]:
    """(path, "") for a regular file inside `folder`; (None, "missing") when there is no such file; (None, why)
    when the name must be refused: it leaves the folder (an absolute path, `..`, a symlink pointing out) or
    names something that is not a regular file.

    The one path guard of pictures: swap it for the project's shared guard (issue 15) when that lands."""
    if os.path.isabs(name) or name.startswith("~"):
        return None, "is an absolute path"
    root = os.path.realpath(folder)
    joined = os.path.normpath(os.path.join(folder, name))
    if not os.path.lexists(joined):
        inside = os.path.commonpath([root, os.path.realpath(joined)]) == root
        return None, "missing" if inside else "leaves the edition's folder"
    real = os.path.realpath(joined)
    if os.path.commonpath([root, real]) != root:
        return None, "leaves the edition's folder" + (" (through a symbolic link)" if os.path.islink(joined) else "")
    if not os.path.isfile(real):
        return None, "is not a regular file"
    return real, ""


def _stamp(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


# -- what a file holds -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    """A picture file, as read: its kind and natural size (pixels of a raster, points of a vector)."""

    path: str
    kind: str  # "raster", "pdf" or "svg"
    width: float
    height: float
    mode: str = ""  # a raster's Pillow mode (RGB, CMYK, L, …)
    profile: str = ""  # the description of its embedded ICC profile, if any

    @property
    def aspect(self) -> float:
        return self.width / self.height if self.height else 1.0


class PictureError(Exception):
    """A picture that cannot be used (unreadable, an unsupported kind): the message says why."""


def probe(path: str) -> Source:
    """The picture's kind and natural size, read from its header (cached by path, size and mtime)."""
    return _probe(path, _stamp(path))


@functools.lru_cache(maxsize=64)
def _probe(path: str, stamp) -> Source:
    ext = os.path.splitext(path)[1].lower()
    if ext == ".pdf":
        import pikepdf

        try:
            with pikepdf.open(path) as pdf:
                box = [float(v) for v in pdf.pages[0].trimbox]
        except Exception as exc:  # qpdf's many kinds of damaged file
            raise PictureError(f"cannot be read as a PDF ({type(exc).__name__})") from None
        return Source(path, "pdf", box[2] - box[0], box[3] - box[1])
    if ext == ".svg":
        drawing = read_svg(path, stamp)
        return Source(path, "svg", float(drawing.width), float(drawing.height))
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings(), Image.open(path) as im:
            # A large photograph is no bomb here: its resolution is checked, and it is downsampled.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            width, height = im.size
            if im.getexif().get(0x0112, 1) in (5, 6, 7, 8):  # a camera's portrait: stored turned
                width, height = height, width
            return Source(path, "raster", width, height, im.mode, _profile_name(im.info.get("icc_profile")))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise PictureError(f"cannot be read as a picture ({exc})") from None


def _profile_name(icc: bytes | None) -> str:
    if not icc:
        return ""
    from PIL import ImageCms

    try:
        return ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc))).strip()
    except (OSError, ImageCms.PyCMSError):
        return "an unreadable profile"


# -- placing: the crop and the effective resolution ----------------------------------------------------------
@dataclass(frozen=True)
class Placement:
    """Where the picture's pixels go in a box of `box` points: the part of the source used (pixels: left, top,
    right, bottom) and the rectangle it is drawn in, relative to the box's top-left (points)."""

    crop: tuple[float, float, float, float]
    draw: tuple[float, float, float, float]  # x, y, width, height
    ppi: float  # effective resolution at the placed size

    def largest_mm(self, source: Source, ppi: float) -> tuple[float, float]:
        """The largest size (mm) the whole picture prints at `ppi`."""
        return source.width / ppi * 25.4, source.height / ppi * 25.4


def place(source: Source, box_w: float, box_h: float, fit: str, focus: tuple[float, float]) -> Placement:
    """Cover: the box filled, the source cropped around `focus`; contain: the whole source inside the box,
    standing towards `focus` (the middle by default)."""
    W, H = source.width, source.height
    fx, fy = focus
    if fit == "cover":
        scale = max(box_w / W, box_h / H)  # points per source pixel
        cw, ch = box_w / scale, box_h / scale
        left = min(max(fx * W - cw / 2, 0.0), W - cw)
        top = min(max(fy * H - ch / 2, 0.0), H - ch)
        return Placement((left, top, left + cw, top + ch), (0.0, 0.0, box_w, box_h), 72.0 / scale)
    scale = min(box_w / W, box_h / H)
    dw, dh = W * scale, H * scale
    return Placement((0.0, 0.0, W, H), ((box_w - dw) * fx, (box_h - dh) * fy, dw, dh), 72.0 / scale)


# -- preparing a raster for the target ---------------------------------------------------------------------
@dataclass(frozen=True)
class Prepared:
    """A raster ready to embed: JPEG bytes and what the PDF needs to know of them, and what was done."""

    data: bytes
    width_px: int
    height_px: int
    colour_space: str  # DeviceCMYK, DeviceGray or DeviceRGB
    decode: tuple | None  # /Decode of an Adobe (inverted) CMYK JPEG
    placement: Placement
    ppi: float  # as embedded, at the placed size
    source_ppi: float  # the source's own, at the placed size
    downsampled: bool
    conversion: str  # what happened to its colours, in words
    ink_percent: float  # the highest total ink of any pixel, as embedded (print; 0 on screen)
    ink_before_percent: float  # ... before the press limit was applied
    smask: bytes | None = None  # a transparent picture's alpha: 8-bit grey, zlib (FlateDecode), for /SMask


def prepare(path: str, box_w: float, box_h: float, fit: str, focus: tuple[float, float], target: str,
            icc: bytes | None, settings: ImageSettings) -> Prepared:
    """The raster at `path` prepared for a box of box_w × box_h points (cached by the file's stamp)."""
    return _prepare(path, _stamp(path), round(box_w, 3), round(box_h, 3), fit, tuple(focus), target, icc,
                    _settings_key(settings))


def _settings_key(s: ImageSettings) -> tuple:
    return (s.intent, s.black_point_compensation, s.jpeg_quality, s.max_ppi, s.target_ppi, s.max_ink_percent)


@functools.lru_cache(maxsize=64)
def _prepare(path, stamp, box_w, box_h, fit, focus, target, icc, settings) -> Prepared:
    from PIL import Image, ImageOps

    intent, bpc, quality, max_ppi, target_ppi, max_ink = settings
    source = probe(path)
    placement = place(source, box_w, box_h, fit, focus)
    import warnings

    with warnings.catch_warnings(), Image.open(path) as opened:
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        embedded = opened.info.get("icc_profile")
        downsampled = placement.ppi > max_ppi
        if downsampled and opened.format == "JPEG":
            # Decode a JPEG far larger than needed at 1/2, 1/4 or 1/8 (its DCT's own scaling, never below
            # the target resolution); Lanczos takes it the rest of the way.
            share = target_ppi / placement.ppi
            opened.draft(opened.mode, (math.ceil(opened.width * share), math.ceil(opened.height * share)))
        try:
            im = ImageOps.exif_transpose(opened)
            im.load()
        except (OSError, ValueError) as exc:  # a truncated file reads its header, not its pixels
            raise PictureError(f"cannot be read as a picture ({exc})") from None
    scale = im.width / source.width  # 1, or the draft's reduction
    left, top, right, bottom = (v * scale for v in placement.crop)
    box = (math.floor(left + 1e-6), math.floor(top + 1e-6), math.ceil(right - 1e-6), math.ceil(bottom - 1e-6))
    if box != (0, 0, im.width, im.height):
        im = im.crop(box)
    im, alpha = _alpha(im)
    dw_in, dh_in = placement.draw[2] / 72.0, placement.draw[3] / 72.0
    if downsampled:  # far more pixels than the press prints: Lanczos down to the target resolution
        im = _flatten(im)
        # (whole pixels rounded up: never under the target, which the preflight holds as its floor)
        size = (max(1, math.ceil(dw_in * target_ppi - 1e-6)), max(1, math.ceil(dh_in * target_ppi - 1e-6)))
        im = im.resize(size, Image.Resampling.LANCZOS)
        alpha = alpha.resize(size, Image.Resampling.LANCZOS) if alpha is not None else None
    im, conversion = _colours(_flatten(im), embedded, target, icc, intent, bpc)
    if alpha is not None:
        conversion += "; transparency kept (a soft mask)"
    ink_before = ink = 0.0
    limited = False
    if im.mode == "CMYK" and target == "print":
        ink_before = ink = total_ink(im)
        limited = ink > max_ink + INK_TOLERANCE_PERCENT
        if limited and "passed through" in conversion:  # a CMYK original over the press's limit
            if icc is None:
                raise PictureError(f"is CMYK with total ink up to {ink:.0f} %, over the press's {max_ink:g} %, and "
                                   "the output profile that would limit it is missing (run `make`)")
            im = reseparate(im, icc)
            conversion = (f"CMYK, over the press's {max_ink:g} %: separated again through the output profile "
                          "(relative colorimetric, its black generation)")
    elif im.mode == "L" and target == "print":
        ink_before = ink = 100.0 - im.getextrema()[0] / 2.55

    def encode(picture) -> bytes:
        buffer = io.BytesIO()
        # Fixed encoder settings, no EXIF, no ICC, no comment: the same picture gives the same bytes.
        picture.save(buffer, "JPEG", quality=quality, subsampling=0, optimize=False, progressive=False, dpi=(72, 72))
        return buffer.getvalue()

    unlimited, aim = im, max_ink
    data = b""
    for _ in range(4 if limited else 1):
        # JPEG's rounding lifts a few dark pixels over the limit they were set to, and the press's RIP reads
        # the decoded pixels: aim lower by the overshoot until the decoded picture keeps the limit.
        im = limit_ink(unlimited, aim) if limited else unlimited
        data = encode(im)
        if not limited:
            break
        ink = total_ink(Image.open(io.BytesIO(data)))
        if ink <= max_ink + INK_TOLERANCE_PERCENT:
            break
        aim -= ink - max_ink + 1.0
    if limited:
        conversion += f"; total ink limited from {ink_before:.0f} % to {ink:.0f} % (as decoded)"
    space = {"CMYK": "DeviceCMYK", "L": "DeviceGray", "RGB": "DeviceRGB"}[im.mode]
    ppi = min(im.width / dw_in, im.height / dh_in) if dw_in and dh_in else 0.0
    return Prepared(data, im.width, im.height, space,
                    (1, 0, 1, 0, 1, 0, 1, 0) if im.mode == "CMYK" else None,  # Pillow writes Adobe's inverted CMYK
                    placement, ppi, placement.ppi, downsampled, conversion, ink, ink_before,
                    zlib.compress(alpha.tobytes(), 9) if alpha is not None else None)


def _alpha(im):
    """(the picture, its alpha channel) when some pixel is not opaque (a logo on transparency), the colour
    then kept straight (not laid on white: the PDF's soft mask blends it with the panel or paper under it);
    (the picture, None) otherwise, as it was."""
    if im.mode in ("P", "PA", "RGBa", "La"):
        im = im.convert("LA" if im.mode == "La" else "RGBA")
    if im.mode not in ("RGBA", "LA"):
        return im, None
    alpha = im.getchannel("A")
    if alpha.getextrema()[0] == 255:
        return im, None  # opaque throughout: no mask (and the same bytes as before)
    return im.convert("L" if im.mode == "LA" else "RGB"), alpha


def _flatten(im):
    """One of RGB, CMYK or L: transparency laid on paper white, palettes and 16-bit greys expanded."""
    from PIL import Image

    if im.mode in ("RGB", "CMYK", "L"):
        return im
    if im.mode in ("1", "I;16", "I;16B", "I;16L", "I", "F"):
        return im.convert("L") if im.mode == "1" else im.point(lambda v: v / 257).convert("L")
    if im.mode == "P":
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        mode = "L" if im.mode.startswith("L") else "RGB"
        white = Image.new(mode, im.size, 255 if mode == "L" else (255, 255, 255))
        white.paste(im.convert(mode), mask=im.getchannel("A"))
        return white
    return im.convert("RGB")


def _colours(im, embedded: bytes | None, target: str, icc: bytes | None, intent: str, bpc: bool):
    """The picture in the target's colours, and what was done, in words."""
    from PIL import ImageCms

    flags = ImageCms.Flags.BLACKPOINTCOMPENSATION if bpc else ImageCms.Flags.NONE
    if im.mode == "L":
        return im, "greyscale, kept as one channel"
    if im.mode == "CMYK":
        if target == "print":
            return im, "CMYK, passed through"
        if icc is None:
            return im.convert("RGB"), "CMYK → sRGB (no profile: a plain conversion)"
        transform = _transform(icc, None, "CMYK", "RGB", INTENTS["relative"], ImageCms.Flags.BLACKPOINTCOMPENSATION)
        return ImageCms.applyTransform(im, transform), "CMYK → sRGB through the output profile"
    name = _profile_name(embedded) or "sRGB (assumed: no embedded profile)"
    if target == "print":
        if icc is None:
            raise PictureError("an RGB picture needs the output profile to be printed (run `make`)")
        transform = _transform(embedded, icc, "RGB", "CMYK", INTENTS[intent], flags)
        return ImageCms.applyTransform(im, transform), f"RGB ({name}) → CMYK, {intent} intent"
    if embedded and "srgb" not in name.lower():
        transform = _transform(embedded, None, "RGB", "RGB", INTENTS["relative"], flags)
        return ImageCms.applyTransform(im, transform), f"RGB ({name}) → sRGB"
    return im, f"RGB ({name})"


@functools.lru_cache(maxsize=16)
def _transform(source: bytes | None, target: bytes | None, mode_in: str, mode_out: str, intent: int, flags):
    """A LittleCMS transform between two profiles (None: sRGB), built once per session."""
    from PIL import ImageCms

    def profile(data):
        return ImageCms.ImageCmsProfile(io.BytesIO(data)) if data else ImageCms.createProfile("sRGB")

    return ImageCms.buildTransform(profile(source), profile(target), mode_in, mode_out,
                                   renderingIntent=ImageCms.Intent(intent),
                                   flags=flags)


def total_ink(im) -> float:
    """The highest C+M+Y+K of any pixel of a CMYK picture, in percent (400 at most)."""
    from PIL import ImageMath

    c, m, y, k = im.split()
    total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
    return total.getextrema()[1] / 2.55


def reseparate(im, icc: bytes):
    """A CMYK picture separated for another press (over this one's ink limit), separated again by the output
    profile: CMYK → Lab → CMYK through it (relative colorimetric), so every pixel keeps its colour and takes
    the profile's black generation and ink limit. The whole picture, not only its pixels over the limit:
    two separations of one colour side by side would show a seam wherever the two are told apart (a proof,
    a viewer's plain CMYK conversion, a press that does not match the profile exactly)."""
    from PIL import ImageCms

    to_lab, from_lab = _round_trip(icc)
    lab = ImageCms.applyTransform(im, to_lab)
    assert lab is not None  # (applyTransform returns None only in place)
    again = ImageCms.applyTransform(lab, from_lab)
    assert again is not None
    return again


@functools.lru_cache(maxsize=4)
def _round_trip(icc: bytes):
    """The output profile's CMYK → Lab and Lab → CMYK transforms (relative colorimetric), built once."""
    from PIL import ImageCms

    profile, lab = ImageCms.ImageCmsProfile(io.BytesIO(icc)), ImageCms.createProfile("LAB")
    relative = ImageCms.Intent.RELATIVE_COLORIMETRIC
    return (ImageCms.buildTransform(profile, lab, "CMYK", "LAB", renderingIntent=relative),
            ImageCms.buildTransform(lab, profile, "LAB", "CMYK", renderingIntent=relative))


def limit_ink(im, limit_percent: float):
    """Each pixel over the limit has its cyan, magenta and yellow reduced in proportion until C+M+Y+K is
    the limit; black is kept, so the shadows keep their depth and the greys their neutrality."""
    from PIL import Image, ImageMath

    limit = limit_percent * 2.55
    c, m, y, k = (band.convert("F") for band in im.split())
    cmy = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"], c=c, m=m, y=y)
    scale = ImageMath.lambda_eval(
        lambda a: a["min"](a["max"](a["lim"] - a["k"], 0.0) / a["max"](a["cmy"], 0.0001), 1.0),
        lim=Image.new("F", im.size, limit), k=k, cmy=cmy)
    bands = [ImageMath.lambda_eval(lambda a: a["v"] * a["s"], v=v, s=scale).convert("L") for v in (c, m, y)]
    return Image.merge("CMYK", bands + [k.convert("L")])


# -- vector logos ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Logo:
    """A vector logo ready for any backend to draw: a PDF Form's content and size, or an SVG's file and size
    with the CMYK each of its RGB colours takes in print (no ReportLab object: render.py makes its own)."""

    kind: str
    width_pt: float
    height_pt: float
    content: bytes = b""  # a PDF page's content stream (its colours as the target needs them)
    path: str = ""  # an SVG's file, drawn by the backend as it is but for `recolour`
    stamp: object = None  # the file's size and time as read (a logo changed on disk is another logo)
    recolour: tuple[tuple[tuple, tuple], ...] = ()  # ((r, g, b), (c, m, y, k)) of each RGB colour, for print
    conversions: tuple[str, ...] = ()  # "RGB 0.8 0.1 0.1 → CMYK 0.05 0.98 0.95 0" for each colour converted


def logo(path: str, target: str, icc: bytes | None, settings: ImageSettings) -> Logo:
    """A PDF or SVG logo for the target (cached): in print every RGB colour converted through the output
    profile (and listed), CMYK and grey kept."""
    return _logo(path, _stamp(path), target, icc, _settings_key(settings))


@functools.lru_cache(maxsize=32)
def _logo(path, stamp, target, icc, settings) -> Logo:
    intent, bpc = settings[0], settings[1]
    convert = _rgb_to_cmyk(icc, intent, bpc) if target == "print" else None
    if path.lower().endswith(".svg"):
        return _svg_logo(path, stamp, convert)
    return _pdf_logo(path, convert)


def _rgb_to_cmyk(icc: bytes | None, intent: str, bpc: bool):
    """rgb (0..1) → cmyk (0..1) through the output profile, one colour at a time, memoised."""
    from PIL import Image, ImageCms

    if icc is None:
        raise PictureError("an RGB colour needs the output profile to be printed (run `make`)")
    flags = ImageCms.Flags.BLACKPOINTCOMPENSATION if bpc else ImageCms.Flags.NONE
    transform = _transform(None, icc, "RGB", "CMYK", INTENTS[intent], flags)

    @functools.cache
    def convert(rgb: tuple) -> tuple:
        pixel = Image.new("RGB", (1, 1), tuple(round(v * 255) for v in rgb))
        converted = ImageCms.applyTransform(pixel, transform)
        assert converted is not None  # a new image: the transform is not applied in place
        cmyk = converted.getpixel((0, 0))
        assert isinstance(cmyk, tuple)  # a CMYK pixel: four channels
        return tuple(round(v / 255, 3) for v in cmyk)

    return convert


def _pdf_logo(path: str, convert) -> Logo:
    """The first page of a PDF as the content of a Form XObject: paths and colours only (text outlined, no
    images), so it can be copied as it is; RGB colour operators rewritten as CMYK for print."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        box = [float(v) for v in page.trimbox]
        resources = page.obj.get("/Resources") or {}
        used = [str(k) for k in resources if k not in ("/ProcSet", "/ExtGState")]
        if used:
            raise PictureError(f"holds {', '.join(used)} resources; a logo must be paths only (outline its text, "
                               "leave out pictures)")
        conversions = []
        out: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = []
        for instruction in pikepdf.parse_content_stream(page):
            operands, operator = instruction.operands, instruction.operator
            op = str(operator)
            if op in ("cs", "CS", "sc", "SC", "scn", "SCN"):
                raise PictureError("uses colour spaces (cs/sc operators); export it with plain RGB or CMYK colours")
            if op in ("gs", "BI", "sh"):
                raise PictureError(f"uses the '{op}' operator (transparency, an inline picture or a shading); a "
                                   "logo must be flat paths and colours")
            if op in ("rg", "RG") and convert is not None:
                rgb = tuple(float(v) for v in operands)
                cmyk = convert(rgb)
                conversions.append(f"RGB {' '.join(f'{v:g}' for v in rgb)} → CMYK "
                                   f"{' '.join(f'{v:g}' for v in cmyk)}")
                out.append(pikepdf.ContentStreamInstruction(list(cmyk), pikepdf.Operator("k" if op == "rg" else "K")))
            else:
                out.append(instruction)
        content = pikepdf.unparse_content_stream(out)
    if box[0] or box[1]:
        content = f"1 0 0 1 {-box[0]:g} {-box[1]:g} cm\n".encode() + content
    return Logo("pdf", box[2] - box[0], box[3] - box[1], content=content,
                conversions=tuple(dict.fromkeys(conversions)))


@functools.lru_cache(maxsize=8)
def read_svg(path: str, stamp):
    """An SVG file as svglib reads it (cached by its stamp: read once however often it is placed)."""
    try:
        from svglib.svglib import svg2rlg
    except ImportError:
        raise PictureError("an SVG logo needs svglib (pip install svglib); or give the logo as a PDF") from None
    try:
        drawing = svg2rlg(path)
    except Exception as exc:  # svglib and lxml raise many kinds on a broken file
        raise PictureError(f"cannot be read as SVG ({type(exc).__name__})") from None
    if drawing is None:
        raise PictureError("cannot be read as SVG")
    return drawing


def _svg_logo(path: str, stamp, convert) -> Logo:
    """An SVG logo as read (its size, refused if it holds text) and, for print, the CMYK each of its RGB colours
    takes through the output profile: the backend draws the SVG with those (render.py: ReportLab's)."""
    drawing = read_svg(path, stamp)
    recolour: dict[tuple, tuple] = {}
    conversions = []

    def note(colour) -> None:
        # a ReportLab Color as svglib reads it (CMYKColor has .cyan: kept; so are grey and no colour)
        if colour is None or convert is None or hasattr(colour, "cyan") or not hasattr(colour, "red"):
            return
        rgb = (colour.red, colour.green, colour.blue)
        cmyk = convert(rgb)
        recolour[rgb] = cmyk
        conversions.append(f"RGB {' '.join(f'{v:.3g}' for v in rgb)} → CMYK {' '.join(f'{v:g}' for v in cmyk)}")

    def walk(node):
        if type(node).__name__ == "String":
            raise PictureError("holds text; a logo must be paths only (outline its text)")
        for attr in ("fillColor", "strokeColor"):
            if hasattr(node, attr):
                note(getattr(node, attr))
        for child in getattr(node, "contents", ()) or ():
            walk(child)

    walk(drawing)
    return Logo("svg", float(drawing.width), float(drawing.height), path=path, stamp=stamp,
                recolour=tuple(recolour.items()), conversions=tuple(dict.fromkeys(conversions)))


# -- the build's check ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PictureReport:
    """One placed picture as the report lists it."""

    page: int
    file: str
    kind: str
    placed_mm: tuple[float, float]
    ppi: float  # effective, at the placed size (as embedded); 0 for vectors and placeholders
    source_ppi: float
    colour: str  # what was done to its colours
    ink_percent: float
    placeholder: bool = False


def check_pictures(placed, settings: ImageSettings, target: str, icc: bytes | None, diags: Diagnostics,
                   final: bool = False) -> list[PictureReport]:
    """Every placed picture, (page number, layout.Picture) in `placed`, prepared for the target (the renderer
    reuses the preparation) and checked: the effective resolution at its placed size (a located warning under
    min_ppi_warn, an error under min_ppi_error, each naming the largest size it prints at), its colours and
    ink; a placeholder is an error in a `--final` press build. Returns the report's rows."""
    rows = []
    for number, item in placed:
        size = (round(item.width_pt / MM, 1), round(item.height_pt / MM, 1))
        if item.path is None:
            if final:
                diags.error("image-placeholder-final", "a picture placeholder cannot go to press",
                            item.ref, page=number, hint="put the picture's file in the edition's folder")
            rows.append(PictureReport(number, "", "placeholder", size, 0.0, 0.0, "", 0.0, True))
            continue
        try:
            rows.append(_check_one(item, number, size, settings, target, icc, diags))
        except PictureError as exc:
            diags.error("image-unusable", f"{os.path.basename(item.path)} {exc}", item.ref, page=number,
                        hint="export it again as JPEG, PNG or TIFF (photographs) or PDF/SVG (logos)")
    _check_rows(placed, diags)
    return rows


def _drawn_height(item) -> float:
    """The height a placed picture shows (`fit: contain` draws it inside its box, at its own proportions)."""
    if item.fit != "contain":
        return item.height_pt
    try:
        return place(probe(item.path), item.width_pt, item.height_pt, item.fit, item.focus).draw[3]
    except (PictureError, OSError):
        return item.height_pt


def _check_rows(placed, diags: Diagnostics) -> None:
    """Photographs of one row are one size: pictures side by side in a frame (one top) that show different heights
    (a `fit: contain` picture of other proportions inside its box) are a located warning at the odd one."""
    rows: dict = {}
    for number, item in placed:
        try:
            photograph = item.path is not None and probe(item.path).kind == "raster"
        except (PictureError, OSError):
            photograph = False
        if photograph:  # (logos of a row keep their own proportions)
            rows.setdefault((number, item.frame, round(item.y_pt, 1)), []).append(item)
    for (number, _, _), items in sorted(rows.items(), key=lambda kv: kv[0][:1] + (kv[0][2],)):
        if len(items) < 2:
            continue
        heights = [_drawn_height(i) for i in items]
        # the row's size: the height most of them show (of two, the taller: a box filled)
        common = max({round(h, 1) for h in heights}, key=lambda h: (sum(abs(x - h) < 0.5 for x in heights), h))
        for item, height in zip(items, heights):
            if abs(height - common) >= 0.5 * MM:
                name = os.path.basename(item.path)
                diags.warning("picture-row-size", f"{name} shows {height / MM:.1f} mm tall beside its row's "
                              f"{common / MM:.1f} mm: photographs of one row are one size", item.ref, page=number,
                              hint="fit: cover (the box filled, cropped around its focus) gives it the row's size")


def _check_one(item, page: int, size, settings: ImageSettings, target: str, icc, diags: Diagnostics):
    name = os.path.basename(item.path)
    source = probe(item.path)
    if source.kind != "raster":
        drawn = logo(item.path, target, icc, settings)
        if drawn.conversions:
            listed = "; ".join(drawn.conversions[:3]) + ("; …" if len(drawn.conversions) > 3 else "")
            diags.warning("logo-rgb", f"{name}: {len(drawn.conversions)} RGB colour(s) converted to CMYK through "
                          f"the output profile: {listed}", item.ref, page=page,
                          hint="ask for the logo with its CMYK (or spot) colours to print them exactly")
        colour = "vector, " + ("RGB converted to CMYK" if drawn.conversions else "colours kept")
        return PictureReport(page, name, source.kind, size, 0.0, 0.0, colour, 0.0)
    prepared = prepare(item.path, *_drawn_box(item, settings), item.fit, item.focus, target, icc, settings)
    ppi = prepared.source_ppi
    if ppi < settings.min_ppi_warn:
        w_mm, h_mm = prepared.placement.largest_mm(source, settings.min_ppi_warn)
        e_mm = prepared.placement.largest_mm(source, settings.min_ppi_error)
        what = (f"{name} ({source.width:.0f} × {source.height:.0f} px) is {ppi:.0f} ppi at its placed size "
                f"{size[0]:g} × {size[1]:g} mm")
        if ppi < settings.min_ppi_error:
            diags.error("image-resolution", f"{what}, under {settings.min_ppi_error:g} ppi: it would print "
                        f"blurred", item.ref, page=page,
                        hint=f"the whole picture prints at most {w_mm:.0f} × {h_mm:.0f} mm at "
                             f"{settings.min_ppi_warn:g} ppi ({e_mm[0]:.0f} × {e_mm[1]:.0f} mm at "
                             f"{settings.min_ppi_error:g}); place it smaller or find a larger original")
        else:
            diags.warning("image-resolution", f"{what}, under {settings.min_ppi_warn:g} ppi", item.ref, page=page,
                          hint=f"the whole picture prints at most {w_mm:.0f} × {h_mm:.0f} mm at "
                               f"{settings.min_ppi_warn:g} ppi; place it smaller or find a larger original")
    if target == "print" and prepared.ink_percent > settings.max_ink_percent + INK_TOLERANCE_PERCENT:
        # (not reached by what _prepare writes: kept so that a change there cannot pass silently)
        diags.error("image-ink", f"{name}: total ink reaches {prepared.ink_percent:.0f} %, over the press's "
                    f"{settings.max_ink_percent:g} % ({prepared.conversion})", item.ref, page=page,
                    hint="separate the picture again for this press, or give its RGB original")
    elif target == "print" and prepared.conversion.startswith("CMYK, over"):
        diags.note("image-ink-limited", f"{name}: a CMYK picture with total ink up to "
                   f"{prepared.ink_before_percent:.0f} %, over the press's {settings.max_ink_percent:g} %: it was "
                   "separated again through the output profile (LittleCMS, relative colorimetric, its black "
                   f"generation) and now reaches at most {prepared.ink_percent:.0f} %", item.ref, page=page,
                   hint="to print it as its own separation, have it separated again for this press "
                        f"(total ink at most {settings.max_ink_percent:g} %)")
    return PictureReport(page, name, "raster", size, prepared.ppi, ppi, prepared.conversion, prepared.ink_percent)


def _drawn_box(item, settings: ImageSettings | None = None) -> tuple[float, float]:
    """The box a picture fills (its bleed is added by the renderer and prepared with it)."""
    return item.width_pt, item.height_pt


def report_table(rows: list[PictureReport]) -> str:
    """The pictures as the build's report lists them: size, resolution, colours and the highest ink."""
    lines = ["pictures:"]
    for r in rows:
        file = shown(r.file) if r.file else "(placeholder)"
        where = f"  p{r.page} {file} {r.placed_mm[0]:g} × {r.placed_mm[1]:g} mm"
        if r.placeholder:
            lines.append(f"{where}: placeholder (no file)")
        elif r.kind != "raster":
            lines.append(f"{where}: {r.colour}")
        else:
            ink = f", highest ink {r.ink_percent:.0f} %" if r.ink_percent else ""
            lines.append(f"{where}: {r.ppi:.0f} ppi (source {r.source_ppi:.0f}), {r.colour}{ink}")
    return "\n".join(lines)
