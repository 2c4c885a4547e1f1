"""Preflight: what a print shop's PDF/X check asks of the file, read from the PDF itself.

Parses every content stream and form XObject with pikepdf (qpdf's parser, a
fifth of pypdf's time, so it can run at the end of every build; never greps bytes):
page boxes, fonts (embedded, subset, outline type, ToUnicode), the colour
operators and spaces used, images and their resolution at placed size, text
inside the safe area, total ink of every colour set, and the document's
PDF/X identity (OutputIntent, GTS_PDFXVersion, Trapped). For both targets it
also checks what a tagged, accessible file needs (structure tree, MarkInfo,
every text-showing operator inside tagged content or an Artifact, catalog
language, DisplayDocTitle, pdfuaid) and the file's identity (xmpMM IDs,
Info and XMP agreeing, one subset per tag, no /Trans, marks in /Separation
/All rather than 400 % CMYK).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

from .colour import contrast
from .units import MM

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 2.4 ms of every process, issue 28)
if TYPE_CHECKING:
    from typing import Any

A4_PT = (595.276, 841.89)


@dataclass(frozen=True)
class Finding:
    ok: bool
    check: str
    detail: str
    page: int | None = None

    def line(self) -> str:
        where = f"page {self.page}: " if self.page else ""
        return f"{'PASS' if self.ok else 'FAIL'} {self.check}: {where}{self.detail}"


@dataclass
class PreflightReport:
    findings: list = field(default_factory=list)
    pages: int = 0
    max_ink_percent: float = 0.0  # of the colours set (vector art and text)
    max_image_ink_percent: float = 0.0  # of the pictures' pixels, as decoded

    @property
    def failures(self) -> list:
        return [f for f in self.findings if not f.ok]

    def add(self, ok: bool, check: str, detail: str, page: int | None = None) -> None:
        self.findings.append(Finding(ok, check, detail, page))

    def as_dict(self) -> dict:
        return {"pages": self.pages, "max_ink_percent": self.max_ink_percent,
                "max_image_ink_percent": self.max_image_ink_percent, "ok": not self.failures,
                "findings": [{"ok": f.ok, "check": f.check, "detail": f.detail, "page": f.page}
                             for f in self.findings]}


@dataclass(frozen=True)
class PreflightRules:
    target: str = "print"  # "print": CMYK only, PDF/X keys; "screen": RGB allowed, no marks
    bleed_mm: float = 3.0
    safe_mm: float = 5.0
    max_ink_percent: float = 300.0
    min_image_ppi: float = 300.0
    require_pdfx: bool = True


MAX_STREAM_BYTES = 64 * 2**20  # the leaflet's largest stream (a CJK face) inflates to a few MB
MAX_TOTAL_BYTES = 512 * 2**20
MAX_PDF_PAGES = 1000


def pdf_problem(path: str) -> str | None:
    """Why the PDF at `path` must not be read further (None when it may): truncated, encrypted, not a PDF,
    too many pages, or a stream that inflates beyond MAX_STREAM_BYTES (checked with a bounded inflate,
    before any reader decompresses it whole)."""
    import zlib

    import pikepdf

    try:
        with open(path, "rb") as f:
            head = f.read(1024)
            f.seek(0, 2)
            f.seek(max(0, f.tell() - 2048))
            tail = f.read()
    except OSError as exc:
        return f"it cannot be read ({exc.strerror})"
    if not head.startswith(b"%PDF-"):
        return "it is not a PDF (it does not start with %PDF-)"
    if b"%%EOF" not in tail:
        return "it is truncated (no %%EOF at its end): the copy or the download stopped early"
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        return "it is encrypted"
    except Exception as exc:  # qpdf's many kinds of damaged file
        return f"it cannot be parsed as a PDF ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})"
    with pdf:
        if pdf.is_encrypted:
            return "it is encrypted"
        if len(pdf.pages) > MAX_PDF_PAGES:
            return f"it has {len(pdf.pages)} pages, more than {MAX_PDF_PAGES}"
        total = 0
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Stream):
                continue
            named = obj.get("/Filter")
            filters = list(named) if isinstance(named, pikepdf.Array) else [named] if named else []
            try:
                raw = obj.read_raw_bytes()
                if not filters:
                    size = len(raw)
                elif str(filters[0]) == "/FlateDecode":
                    size = len(zlib.decompressobj().decompress(raw, MAX_STREAM_BYTES + 1))
                else:
                    size = len(raw)  # images (DCT, JPX …): decoded only by a renderer, page by page
            except (zlib.error, pikepdf.PdfError) as exc:
                return f"a stream (object {obj.objgen[0]}) is damaged ({exc})"
            if size > MAX_STREAM_BYTES:
                return f"a stream (object {obj.objgen[0]}) inflates to more than {MAX_STREAM_BYTES // 2**20} MiB"
            total += size
            if total > MAX_TOTAL_BYTES:
                return f"its streams inflate to more than {MAX_TOTAL_BYTES // 2**20} MiB"
    return None


def declared_target(path: str) -> tuple[str, str]:
    """The target a PDF says it was made for, and how it says so: a PDF/X file (GTS_PDFXVersion, an
    OutputIntent) is a print file; a file highlight made (Producer "highlight") without either is its screen
    rendition; anything else is checked as print, the stricter."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        info = pdf.trailer.get("/Info")
        pdfx = info is not None and "/GTS_PDFXVersion" in info or "/OutputIntents" in pdf.Root
        ours = info is not None and str(info.get("/Producer", "")) == "highlight"
    if pdfx:
        return "print", "it declares PDF/X"
    if ours:
        return "screen", "highlight made it without a PDF/X output intent: its screen rendition"
    return "print", "it declares no target: checked as print, the stricter"


# The build's preflight reads its own objects (pdfobjects) when it walks at most this many pages' content
# streams (a build after an edit walks one); more (a first build, a long edition) are read with pikepdf from the
# bytes: qpdf's parser walks a page in about 1.5 ms, ours in about 4, and importing pikepdf costs 28 ms.
OWN_WALKS = 4


def preflight(source, rules: PreflightRules = PreflightRules(), memo=None, read_back: bytes | None = None
              ) -> PreflightReport:
    """Check a PDF (a path, or the bytes of one). `memo` (the build's, backends/pdf.py: get(key) and put(key,
    value), and its `salt`, the checking code's digest): each page's content-stream findings kept under a digest
    of everything the walk reads (its content streams and the XObjects they draw, as stored, its boxes, its
    number, the rules), so a build after an edit walks only the pages whose streams changed. Without it (`highlight
    preflight FILE`, the tests' read-back), every page is walked. `source` may also be the finished file's
    objects as the build is about to write them (pdfobjects.Pdf: the build reads no bytes back and imports no
    pikepdf); a path or bytes are read with pikepdf (qpdf's parser), a reader independent of ours, and so are
    `read_back`, the objects' bytes, when more than OWN_WALKS pages are to be walked."""
    import contextlib
    import io

    from . import pdfobjects

    api: Any
    opened: Any
    if isinstance(source, pdfobjects.Pdf):
        api, opened = pdfobjects, contextlib.nullcontext(source)
    else:
        import pikepdf

        api, opened = pikepdf, pikepdf.open(io.BytesIO(source) if isinstance(source, bytes) else source)
    with opened as pdf:
        keys = [_page_key(page, number, rules, memo.salt, api) if memo is not None else None
                for number, page in enumerate(pdf.pages, 1)]
        kept_pages = [memo.get(key) if key is not None else None for key in keys]
        if api is pdfobjects and read_back is not None and kept_pages.count(None) > OWN_WALKS:
            return preflight(read_back, rules, memo)
        report = PreflightReport(pages=len(pdf.pages))
        fonts_seen: dict = {}
        for number, page in enumerate(pdf.pages, 1):
            _boxes(page.obj, number, rules, report)
            key, kept = keys[number - 1], kept_pages[number - 1]
            if kept is not None:
                findings, ink, image_ink = kept
                report.findings += [Finding(ok, check, detail, page_number) for ok, check, detail, page_number
                                    in findings]
                report.max_ink_percent = max(report.max_ink_percent, ink)
                report.max_image_ink_percent = max(report.max_image_ink_percent, image_ink)
                for font in ((page.obj.get("/Resources") or {}).get("/Font") or {}).values():
                    fonts_seen.setdefault(_name(font.get("/BaseFont")), font)
                continue
            first, before = len(report.findings), (report.max_ink_percent, report.max_image_ink_percent)
            report.max_ink_percent = report.max_image_ink_percent = 0.0
            try:
                _streams(page, number, rules, report, fonts_seen, api)
            except pdfobjects.PdfError:  # (ours only) a stream our reader cannot decode: qpdf reads the bytes
                if read_back is None:
                    raise
                return preflight(read_back, rules, memo)
            ink, image_ink = report.max_ink_percent, report.max_image_ink_percent
            report.max_ink_percent, report.max_image_ink_percent = max(before[0], ink), max(before[1], image_ink)
            if key is not None:
                memo.put(key, ([(f.ok, f.check, f.detail, f.page) for f in report.findings[first:]], ink, image_ink))
        for name, font in sorted(fonts_seen.items()):
            _font(name, font, report)
        if not fonts_seen:
            report.add(True, "fonts", "no fonts")
        _identity(pdf, rules, report)
        _accessibility(pdf, rules, report)
        _file_identity(pdf, rules, report)
    report.add(report.max_ink_percent <= rules.max_ink_percent, "ink",
               f"highest total ink of any colour set: {report.max_ink_percent:.0f}% (limit "
               f"{rules.max_ink_percent:.0f}%)")
    return report


def _page_key(page, number: int, rules: PreflightRules, salt: bytes, api) -> str | None:
    """A digest of all the content-stream walk of a page reads: its number, boxes and the rules, its content
    streams and every XObject its resources name (dictionary and stream as stored, forms' resources within), with
    the checking code (`salt`); None when a part cannot be read as stored."""
    import hashlib

    digest = hashlib.sha256(b"highlight-preflight-page/2\0" + salt + repr((number, rules)).encode())
    obj = page.obj
    for name in ("/MediaBox", "/TrimBox", "/BleedBox"):
        digest.update(repr(_box(obj, name[1:])).encode())
    seen: set = set()

    def stream(value) -> None:
        digest.update(b"\0stream\0" + repr(_canonical({k: v for k, v in value.items()
                                                      if k not in ("/Resources", "/Length")}, api)).encode())
        digest.update(value.read_raw_bytes())

    def resources(value, depth: int = 0) -> None:
        xobjects = (value or {}).get("/XObject") or {}
        for name in sorted(xobjects.keys()):
            xobject = xobjects[name]
            digest.update(b"\0xobject\0" + str(name).encode())
            if xobject.objgen != (0, 0) and xobject.objgen in seen:
                continue
            seen.add(xobject.objgen)
            stream(xobject)
            if depth < 8:
                resources(xobject.get("/Resources"), depth + 1)

    try:
        contents = obj.Contents
        for part in (contents if isinstance(contents, api.Array) else [contents]):
            stream(part)
        resources(obj.get("/Resources"))
    except (api.PdfError, AttributeError, TypeError, ValueError):
        return None
    return digest.hexdigest()


def _canonical(value, api, depth: int = 0):
    """A value as plain Python, the same from either reader (`api`: pikepdf or pdfobjects) and whatever the
    objects' numbers: a page's memo key names what its streams hold, not how a file numbered them."""
    if depth > 6:
        return "…"
    if isinstance(value, (api.Name, api.String)):
        return str(value)
    if isinstance(value, (bytes, bool)) or value is None:
        return value
    if isinstance(value, api.Stream):  # a stream inside: its data's digest and its dictionary
        import hashlib

        return ("stream", hashlib.sha256(value.read_raw_bytes()).hexdigest(),
                _canonical({k: v for k, v in value.items() if k != "/Length"}, api, depth + 1))
    if isinstance(value, (dict, api.Dictionary)):
        return sorted((str(k), _canonical(v, api, depth + 1)) for k, v in value.items())
    if isinstance(value, (list, api.Array)):
        return [_canonical(v, api, depth + 1) for v in value]
    try:
        return float(value)  # int, float, Decimal
    except (TypeError, ValueError):
        return str(value)


def _box(page, name: str):
    value = page.get(f"/{name}")
    return [float(v) for v in value] if value is not None else None


def _name(value) -> str:
    return str(value) if value is not None else ""


def _boxes(page, number: int, rules: PreflightRules, report: PreflightReport) -> None:
    trim, bleed, media = _box(page, "TrimBox"), _box(page, "BleedBox"), _box(page, "MediaBox")
    if rules.target == "screen":
        size = (media[2] - media[0], media[3] - media[1])
        report.add(abs(size[0] - A4_PT[0]) < 0.05 and abs(size[1] - A4_PT[1]) < 0.05, "boxes",
                   f"MediaBox {size[0]:.3f} × {size[1]:.3f} pt (A4 for the screen)", number)
        return
    if trim is None or bleed is None:
        report.add(False, "boxes", "no TrimBox or BleedBox", number)
        return
    size = (trim[2] - trim[0], trim[3] - trim[1])
    report.add(abs(size[0] - A4_PT[0]) < 0.05 and abs(size[1] - A4_PT[1]) < 0.05, "trim",
               f"TrimBox {size[0]:.3f} × {size[1]:.3f} pt", number)
    margins = [(trim[0] - bleed[0]), (trim[1] - bleed[1]), (bleed[2] - trim[2]), (bleed[3] - trim[3])]
    report.add(all(abs(m / MM - rules.bleed_mm) < 0.01 for m in margins), "bleed",
               f"BleedBox {', '.join(f'{m / MM:.2f}' for m in margins)} mm beyond the trim", number)
    report.add(media[0] <= bleed[0] and media[1] <= bleed[1] and media[2] >= bleed[2] and media[3] >= bleed[3],
               "media", "MediaBox holds the BleedBox", number)


class _Graphics:
    def __init__(self):
        self.ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        self.stack: list = []


def _mul(m, n):
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F]


def _streams(page, number: int, rules: PreflightRules, report: PreflightReport, fonts_seen: dict, api) -> None:
    resources = page.obj.get("/Resources") or {}
    trim = _box(page.obj, "TrimBox") or _box(page.obj, "MediaBox")
    bleed = _box(page.obj, "BleedBox") or trim
    safe = rules.safe_mm * MM
    rgb_ops, outside = [], []
    counts = {"cmyk": 0, "gray": 0}
    marked = _MarkedContent()
    screen = rules.target == "screen"  # text contrast is a screen matter: print keeps its walk as it was
    for font in (resources.get("/Font") or {}).values():
        fonts_seen.setdefault(_name(font.get("/BaseFont")), font)

    def walk(owner, resources, ctm):
        graphics = _Graphics()
        graphics.ctm = list(ctm)
        text_matrix = [1.0, 0, 0, 1.0, 0, 0]
        line_matrix = list(text_matrix)
        # qpdf leaves out the operators the walk has no branch for (Tf, Tc, Ts, ET, gs…: two in five of a page's),
        # and their operands, before they are made Python objects
        instructions = api.parse_content_stream(owner, WALKED_OPERATOR_LIST) if api.__name__ == "pikepdf" \
            else api.parse_content_stream(owner)
        for instruction in instructions:
            op = str(instruction.operator)
            if op not in WALKED_OPERATORS:
                continue  # (our own reader gives them all)
            operands = instruction.operands
            if op == "q":
                graphics.stack.append(list(graphics.ctm))
            elif op == "Q" and graphics.stack:
                graphics.ctm = graphics.stack.pop()
            elif op == "cm":
                graphics.ctm = _mul([float(v) for v in operands], graphics.ctm)
            elif op in ("rg", "RG"):
                rgb_ops.append(op)
                if op == "rg":
                    marked.fill = tuple(float(v) for v in operands)
            elif screen and op == "re":
                marked.rect = [float(v) for v in operands]
            elif screen and op in ("f", "f*", "F"):
                marked.filled(graphics.ctm)
            elif screen and op in PATH_ENDS_UNFILLED:
                marked.rect, marked.curved = None, False  # a clip (`re W n`) or a stroke is no ground under text
            elif screen and op in PATH_CURVES:
                marked.curved = True  # the path being built is more than one rectangle
            elif op in ("g", "G"):
                counts["gray"] += 1
            elif op in ("k", "K"):
                counts["cmyk"] += 1
                values = [float(v) for v in operands]
                if values != [1.0, 1.0, 1.0, 1.0]:  # registration colour: crop marks outside the bleed only
                    report.max_ink_percent = max(report.max_ink_percent, 100.0 * sum(values))
                else:
                    marked.four_colour_marks += 1
            elif op in ("cs", "CS"):
                space = str(operands[0])
                if "RGB" in space:
                    rgb_ops.append(f"{op} {space}")
            elif op == "BT":
                text_matrix, line_matrix = [1.0, 0, 0, 1.0, 0, 0], [1.0, 0, 0, 1.0, 0, 0]
            elif op == "Tm":
                text_matrix = [float(v) for v in operands]
                line_matrix = list(text_matrix)
            elif op == "Td":
                line_matrix = _mul([1, 0, 0, 1, float(operands[0]), float(operands[1])], line_matrix)
                text_matrix = list(line_matrix)
            elif op in ("BDC", "BMC", "EMC"):
                marked.operator(op, operands)
            elif op in ("Tj", "TJ", "'", '"'):
                marked.text()
                x, y = _mul(text_matrix, graphics.ctm)[4:6]
                if screen:
                    marked.contrast_at(x, y)
                if not (bleed[0] <= x <= bleed[2] and bleed[1] <= y <= bleed[3]):
                    continue  # slug information, beyond the bleed: cut away with the margin
                if not (trim[0] + safe - 0.5 <= x <= trim[2] - safe + 0.5
                        and trim[1] + safe - 0.5 <= y <= trim[3] - safe):
                    outside.append((round((x - trim[0]) / MM, 1), round((trim[3] - y) / MM, 1)))
            elif op == "Do":
                xobject = (resources.get("/XObject") or {}).get(str(operands[0]))
                if xobject is None:
                    continue
                if xobject.get("/Subtype") == "/Image":
                    _image(xobject, graphics.ctm, number, rules, report)
                elif xobject.get("/Subtype") == "/Form":
                    walk(xobject, xobject.get("/Resources") or resources, graphics.ctm)

    walk(page, resources, [1.0, 0, 0, 1.0, 0, 0])
    marked.findings(number, rules, report)
    if rules.target == "print":
        report.add(not rgb_ops, "colour", f"{counts['cmyk']} CMYK and {counts['gray']} grey colour operators"
                   + (f", and RGB: {', '.join(sorted(set(rgb_ops)))}" if rgb_ops else ", no RGB"), number)
    report.add(not outside, "safe-area",
               f"{len(outside)} text object(s) within {rules.safe_mm:g} mm of the trim, first at "
               f"{outside[0]} mm from the top-left corner" if outside else "all text inside the safe area", number)


def _image(image, ctm, number: int, rules: PreflightRules, report: PreflightReport) -> None:
    width_px, height_px = float(image.get("/Width", 0)), float(image.get("/Height", 0))
    placed_w = (ctm[0] ** 2 + ctm[1] ** 2) ** 0.5 / 72.0
    placed_h = (ctm[2] ** 2 + ctm[3] ** 2) ** 0.5 / 72.0
    ppi = min(width_px / placed_w if placed_w else 0, height_px / placed_h if placed_h else 0)
    space = _name(image.get("/ColorSpace"))
    size = f"{width_px:.0f} × {height_px:.0f} px placed {placed_w * 25.4:.1f} × {placed_h * 25.4:.1f} mm"
    if rules.target == "print":
        report.add("RGB" not in space, "image-colour", f"image in {space} ({size})", number)
    report.add(ppi >= rules.min_image_ppi, "image-resolution", f"image at {ppi:.0f} ppi ({size})", number)
    if rules.target == "print" and "CMYK" in space:
        ink = _image_ink(image)
        if ink is not None:
            report.max_image_ink_percent = max(report.max_image_ink_percent, ink)
            from .images import INK_TOLERANCE_PERCENT  # the build's own criterion, as decoded: one rule for both

            report.add(ink <= rules.max_ink_percent + INK_TOLERANCE_PERCENT, "image-ink",
                       f"image in {space}: total ink at most {ink:.0f} % (limit {rules.max_ink_percent:g} %)",
                       number)




def _image_ink(image) -> float | None:
    """The highest C+M+Y+K of a CMYK picture as the printer's RIP decodes it, in percent; None when it
    cannot be decoded here (then the colour and resolution findings still stand)."""
    import io
    import warnings

    from PIL import Image

    from . import pdfobjects
    from .images import total_ink

    picture: Image.Image
    if isinstance(image, pdfobjects.Stream) and _name(image.get("/Filter")) != "/DCTDecode":
        try:  # (a PdfError, an image our reader does not decode, goes up: preflight reads the bytes with qpdf)
            picture = pdfobjects.image_pixels(image)
        except pdfobjects.PdfError:
            raise
        except Exception:
            return None
        return total_ink(picture) if picture.mode == "CMYK" else None
    try:
        if _name(image.get("/Filter")) == "/DCTDecode":
            # The JPEG's own pixels, as the build measured them (a soft mask, a logo's transparency, is no ink)
            picture = Image.open(io.BytesIO(image.read_raw_bytes()))
            picture.load()
        else:
            import pikepdf

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                picture = pikepdf.PdfImage(image).as_pil_image()
    except Exception:  # any decoding failure: the picture is reported, not the preflight
        return None
    return total_ink(picture) if picture.mode == "CMYK" else None


def _font(name: str, font, report: PreflightReport) -> None:
    descriptor_owner = font["/DescendantFonts"][0] if "/DescendantFonts" in font else font
    descriptor = descriptor_owner.get("/FontDescriptor") or {}
    program = next((k for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor), None)
    kinds = {"/FontFile2": "TrueType", "/FontFile3": "CFF", "/FontFile": "Type 1"}
    kind = kinds[program] if program else "not embedded"
    subset = len(name) > 8 and name[7] == "+" and name[1:7].isupper()
    ok = program is not None and subset and "/ToUnicode" in font
    report.add(ok, "font", f"{name}: {kind}, {'subset' if subset else 'not a subset'}, "
               f"{'with' if '/ToUnicode' in font else 'no'} ToUnicode")


def _identity(pdf, rules: PreflightRules, report: PreflightReport) -> None:
    root = pdf.Root
    info = pdf.docinfo
    version = pdf.pdf_version
    report.add(version >= "1.6" if rules.require_pdfx else True, "version", f"PDF {version}")
    report.add(bool(info.get("/Title")), "title", f"Title: {str(info.get('/Title', ''))!r}")
    if rules.target != "print" or not rules.require_pdfx:
        return
    intents = list(root.get("/OutputIntents") or [])
    pdfx = [i for i in intents if _name(i.get("/S")) == "/GTS_PDFX"]
    profile = pdfx[0].get("/DestOutputProfile") if pdfx else None
    channels = int(profile.get("/N", 0)) if profile is not None else 0
    report.add(bool(pdfx) and channels == 4, "output-intent",
               f"OutputIntent /GTS_PDFX with {'an embedded CMYK ICC profile' if channels == 4 else 'no CMYK profile'}"
               + (f" ({pdfx[0].get('/OutputConditionIdentifier')})" if pdfx else ""))
    report.add(str(info.get("/GTS_PDFXVersion", "")) == "PDF/X-4", "pdfx-version",
               f"GTS_PDFXVersion: {str(info.get('/GTS_PDFXVersion', 'none'))!r}")
    report.add(_name(info.get("/Trapped")) in ("/False", "/True"), "trapped", f"Trapped: {info.get('/Trapped')}")
    report.add("/Metadata" in root, "xmp", "XMP metadata stream" + (" present" if "/Metadata" in root else " missing"))
    report.add(bool(pdf.trailer.get("/ID")), "id", "document ID" + (" present" if pdf.trailer.get("/ID") else " missing"))


# -- tagged content, accessibility and the file's identity (issue 16) ------------------------------------------
class _MarkedContent:
    """Where each text-showing operator stands: in tagged content (an MCID), an Artifact, or neither."""

    def __init__(self):
        self.stack: list = []  # per open sequence: "mcid", "artifact" or "other"
        self.counts = {"mcid": 0, "artifact": 0, "untagged": 0}
        self.four_colour_marks = 0
        self.fill: tuple[float, ...] = (0.0, 0.0, 0.0)  # the RGB fill in force (screen)
        self.rect = None
        self.curved = False  # the path being built has lines or curves besides its rectangle
        self.grounds: list = []  # filled rectangles so far, (x0, y0, x1, y1, rgb)
        self.lowest = None  # (ratio, text rgb, ground rgb) of the least legible text

    def filled(self, ctm) -> None:
        if self.rect is not None and not self.curved:
            x, y, w, h = self.rect
            x0, y0 = _mul([1, 0, 0, 1, x, y], ctm)[4:6]
            x1, y1 = _mul([1, 0, 0, 1, x + w, y + h], ctm)[4:6]
            self.grounds.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1), self.fill))
        self.rect = None
        self.curved = False

    def contrast_at(self, x: float, y: float) -> None:
        ground = next((g[4] for g in reversed(self.grounds) if g[0] <= x <= g[2] and g[1] <= y + 1 <= g[3]),
                      (1.0, 1.0, 1.0))
        ratio = _contrast(self.fill, ground)
        if self.lowest is None or ratio < self.lowest[0]:
            self.lowest = (ratio, self.fill, ground)

    def operator(self, op: str, operands) -> None:
        if op == "EMC":
            if self.stack:
                self.stack.pop()
            return
        tag = str(operands[0])
        kind = "other"
        if tag == "/Artifact":
            kind = "artifact"
        elif op == "BDC" and len(operands) > 1:
            try:
                kind = "mcid" if "/MCID" in operands[1] else "other"
            except TypeError:
                kind = "other"  # a named property list: not ours
        self.stack.append(kind)

    def text(self) -> None:
        if "artifact" in self.stack:
            self.counts["artifact"] += 1
        elif "mcid" in self.stack:
            self.counts["mcid"] += 1
        else:
            self.counts["untagged"] += 1

    def findings(self, number: int, rules, report) -> None:
        c = self.counts
        report.add(not c["untagged"], "tagged-content",
                   f"{c['mcid']} text-showing operators in tagged content, {c['artifact']} in artifacts, "
                   f"{c['untagged']} in neither", number)
        if rules.target == "screen" and self.lowest is not None:
            ratio, fill, ground = self.lowest
            report.add(ratio >= MIN_CONTRAST - 0.005, "contrast",
                       f"lowest text contrast {ratio:.2f}:1 ({_hex(fill)} on {_hex(ground)}; WCAG AA asks "
                       f"{MIN_CONTRAST}:1)", number)
        if rules.target == "print":
            report.add(not self.four_colour_marks, "registration",
                       f"{self.four_colour_marks} operator(s) set 400 % CMYK; marks belong in /Separation /All"
                       if self.four_colour_marks else "no 400 % CMYK: marks in /Separation /All", number)


MIN_CONTRAST = 4.5
PATH_ENDS_UNFILLED = ("n", "S", "s")  # a path ended without a fill: clipped or stroked only
PATH_CURVES = ("m", "l", "c", "v", "y", "h")  # path pieces that make a fill more than one rectangle
# Every operator the content-stream walk (_streams) has a branch for; the others it passes over at once.
WALKED_OPERATORS = frozenset(("q", "Q", "cm", "rg", "RG", "re", "f", "f*", "F", *PATH_ENDS_UNFILLED, *PATH_CURVES,
                              "g", "G", "k", "K", "cs", "CS", "BT", "Tm", "Td", "BDC", "BMC", "EMC",
                              "Tj", "TJ", "'", '"', "Do"))
WALKED_OPERATOR_LIST = " ".join(sorted(WALKED_OPERATORS))  # (as pikepdf.parse_content_stream takes them)


@functools.lru_cache(maxsize=1024)
def _contrast(a, b) -> float:
    if len(a) != 3 or len(b) != 3:
        return 21.0  # not an RGB fill (grey or CMYK): no screen contrast to judge
    return contrast(a, b)


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(v * 255):02x}" for v in rgb)


def _xmp_text(pdf) -> str:
    metadata = pdf.Root.get("/Metadata")
    return metadata.read_bytes().decode("utf-8", "replace") if metadata is not None else ""


def _xmp_value(xmp: str, tag: str) -> str | None:
    """The text of an XMP property, an rdf:Alt/Seq/Bag's first item's for a container."""
    import re

    m = re.search(rf"<{tag}>(.*?)</{tag}>", xmp, re.DOTALL)
    if m is None:
        return None
    inner = re.search(r"<rdf:li[^>]*>(.*?)</rdf:li>", m.group(1), re.DOTALL)
    # xml.sax.saxutils.unescape's three entities (importing it imports urllib.request: 14 ms)
    text = (inner.group(1) if inner else m.group(1)).strip()
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _accessibility(pdf, rules: PreflightRules, report: PreflightReport) -> None:
    """PDF/UA-1's machine-checkable core: a tagged file, with its language, title shown, and claim."""
    root = pdf.Root
    tree = root.get("/StructTreeRoot")
    mark_info = root.get("/MarkInfo")
    report.add(tree is not None and "/ParentTree" in tree and bool(mark_info and mark_info.get("/Marked")),
               "tagged", "StructTreeRoot with a ParentTree, MarkInfo /Marked true" if tree is not None
               else "no StructTreeRoot: the file is untagged")
    missing = [n for n, page in enumerate(pdf.pages, 1) if "/StructParents" not in page.obj]
    report.add(not missing, "struct-parents", f"pages without /StructParents: {missing}" if missing
               else "every page has /StructParents")
    lang = str(root.get("/Lang", ""))
    report.add(bool(lang), "lang", f"catalog /Lang {lang!r}")
    prefs = root.get("/ViewerPreferences") or {}
    report.add(bool(prefs.get("/DisplayDocTitle")), "display-doc-title",
               "DisplayDocTitle " + ("true" if prefs.get("/DisplayDocTitle") else "missing"))
    xmp = _xmp_text(pdf)
    report.add(_xmp_value(xmp, "pdfuaid:part") == "1", "pdfuaid", "XMP pdfuaid:part "
               + repr(_xmp_value(xmp, "pdfuaid:part")))
    languages = _xmp_value(xmp, "dc:language")
    report.add(bool(languages) and languages == lang, "xmp-language",
               f"XMP dc:language starts {languages!r}, catalog says {lang!r}")
    links = [a for page in pdf.pages for a in (page.obj.get("/Annots") or []) if a.get("/Subtype") == "/Link"]
    bare = [a for a in links if "/Contents" not in a or "/StructParent" not in a]
    report.add(not bare, "links", f"{len(links)} link(s), {len(bare)} without /Contents or /StructParent")
    untabbed = [n for n, page in enumerate(pdf.pages, 1) if "/Annots" in page.obj and page.obj.get("/Tabs") != "/S"]
    report.add(not untabbed, "tabs", f"pages with links but no /Tabs /S: {untabbed}" if untabbed
               else "every page with links has /Tabs /S")


def _file_identity(pdf, rules: PreflightRules, report: PreflightReport) -> None:
    """XMP IDs, Info and XMP in agreement with no empty strings, one subset per tag, no /Trans."""
    xmp = _xmp_text(pdf)
    info = pdf.docinfo
    ids = {k: _xmp_value(xmp, f"xmpMM:{k}") for k in ("DocumentID", "InstanceID", "VersionID", "RenditionClass")}
    ids["MetadataDate"] = _xmp_value(xmp, "xmp:MetadataDate")
    absent = [k for k, v in ids.items() if not v]
    report.add(not absent, "xmp-ids", f"XMP lacks {', '.join(absent)}" if absent
               else f"XMP DocumentID, InstanceID, VersionID {ids['VersionID']!r}, RenditionClass "
                    f"{ids['RenditionClass']!r}, MetadataDate")
    empty = [str(k) for k, v in info.items() if not str(v).strip()]
    pairs = (("/Title", "dc:title"), ("/Subject", "dc:description"), ("/Author", "dc:creator"),
             ("/Keywords", "pdf:Keywords"), ("/Producer", "pdf:Producer"), ("/Creator", "xmp:CreatorTool"))
    disagree = [f"{key} {str(info.get(key, ''))!r} / {tag} {_xmp_value(xmp, tag)!r}" for key, tag in pairs
                if str(info.get(key, "")) != (_xmp_value(xmp, tag) or "")]
    report.add(not empty and not disagree, "info-xmp",
               "; ".join(([f"empty Info strings: {', '.join(empty)}"] if empty else []) + disagree)
               or "Info and XMP agree, no empty strings")
    tags: dict = {}
    for page in pdf.pages:
        for font in ((page.obj.get("/Resources") or {}).get("/Font") or {}).values():
            name = str(font.get("/BaseFont", ""))
            if len(name) > 8 and name[7] == "+":
                tags.setdefault(name[1:7], set()).add(font.objgen)
    shared = sorted(t for t, fonts in tags.items() if len(fonts) > 1)
    report.add(not shared, "subset-tags", f"tag(s) naming more than one subset: {', '.join(shared)}" if shared
               else f"{len(tags)} subsets, each with its own tag")
    trans = [n for n, page in enumerate(pdf.pages, 1) if "/Trans" in page.obj]
    report.add(not trans, "no-trans", f"pages with /Trans: {trans}" if trans else "no page transitions")
