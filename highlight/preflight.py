"""Preflight: what a print shop's PDF/X check asks of the file, read from the PDF itself.

Parses every content stream and form XObject with pikepdf (qpdf's parser, a
fifth of pypdf's time, so it can run at the end of every build; never greps bytes):
page boxes, fonts (embedded, subset, outline type, ToUnicode), the colour
operators and spaces used, images and their resolution at placed size, text
inside the safe area, total ink of every colour set, and the document's
PDF/X identity (OutputIntent, GTS_PDFXVersion, Trapped).
"""
from __future__ import annotations

from dataclasses import dataclass, field

MM = 72.0 / 25.4
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
    max_ink_percent: float = 0.0

    @property
    def failures(self) -> list:
        return [f for f in self.findings if not f.ok]

    def add(self, ok: bool, check: str, detail: str, page: int | None = None) -> None:
        self.findings.append(Finding(ok, check, detail, page))

    def as_dict(self) -> dict:
        return {"pages": self.pages, "max_ink_percent": self.max_ink_percent, "ok": not self.failures,
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
    except Exception as exc:  # noqa: BLE001 (qpdf's many kinds of damaged file)
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
            filters = obj.get("/Filter")
            filters = list(filters) if isinstance(filters, pikepdf.Array) else [filters] if filters else []
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


def preflight(source, rules: PreflightRules = PreflightRules()) -> PreflightReport:
    """Check a PDF (a path, or the bytes of one)."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(source) if isinstance(source, bytes) else source) as pdf:
        report = PreflightReport(pages=len(pdf.pages))
        fonts_seen: dict = {}
        for number, page in enumerate(pdf.pages, 1):
            _boxes(page.obj, number, rules, report)
            _streams(page, number, rules, report, fonts_seen)
        for name, font in sorted(fonts_seen.items()):
            _font(name, font, report)
        if not fonts_seen:
            report.add(True, "fonts", "no fonts")
        _identity(pdf, rules, report)
    report.add(report.max_ink_percent <= rules.max_ink_percent, "ink",
               f"highest total ink of any colour set: {report.max_ink_percent:.0f}% (limit "
               f"{rules.max_ink_percent:.0f}%)")
    return report


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


def _streams(page, number: int, rules: PreflightRules, report: PreflightReport, fonts_seen: dict) -> None:
    import pikepdf

    resources = page.obj.get("/Resources") or {}
    trim = _box(page.obj, "TrimBox") or _box(page.obj, "MediaBox")
    bleed = _box(page.obj, "BleedBox") or trim
    safe = rules.safe_mm * MM
    rgb_ops, outside = [], []
    counts = {"cmyk": 0, "gray": 0}
    for font in (resources.get("/Font") or {}).values():
        fonts_seen.setdefault(_name(font.get("/BaseFont")), font)

    def walk(owner, resources, ctm):
        graphics = _Graphics()
        graphics.ctm = list(ctm)
        text_matrix = [1.0, 0, 0, 1.0, 0, 0]
        line_matrix = list(text_matrix)
        for operands, operator in pikepdf.parse_content_stream(owner):
            op = str(operator)
            if op == "q":
                graphics.stack.append(list(graphics.ctm))
            elif op == "Q" and graphics.stack:
                graphics.ctm = graphics.stack.pop()
            elif op == "cm":
                graphics.ctm = _mul([float(v) for v in operands], graphics.ctm)
            elif op in ("rg", "RG"):
                rgb_ops.append(op)
            elif op in ("g", "G"):
                counts["gray"] += 1
            elif op in ("k", "K"):
                counts["cmyk"] += 1
                values = [float(v) for v in operands]
                if values != [1.0, 1.0, 1.0, 1.0]:  # registration colour: crop marks outside the bleed only
                    report.max_ink_percent = max(report.max_ink_percent, 100.0 * sum(values))
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
            elif op in ("Tj", "TJ", "'", '"'):
                x, y = _mul(text_matrix, graphics.ctm)[4:6]
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
    if rules.target == "print":
        report.add("RGB" not in space, "image-colour", f"image in {space}", number)
    report.add(ppi >= rules.min_image_ppi, "image-resolution", f"image at {ppi:.0f} ppi placed", number)


def _font(name: str, font, report: PreflightReport) -> None:
    descriptor_owner = font["/DescendantFonts"][0] if "/DescendantFonts" in font else font
    descriptor = descriptor_owner.get("/FontDescriptor") or {}
    program = next((k for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor), None)
    kind = {"/FontFile2": "TrueType", "/FontFile3": "CFF", "/FontFile": "Type 1"}.get(program, "not embedded")
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
