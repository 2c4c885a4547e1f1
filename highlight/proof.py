"""Page proofs for designers: PNGs rendered from the PDF itself, with the layout drawn over them.

Overlays come from the layout data and the laid-out pages, not from the
picture: the column grid, each frame's outline and name, the baseline grid,
the safe area, trim and bleed. In red: a frame whose content overflowed, a QR
placeholder, and a glyph set in the other script's face because its own face
lacks it. The contact sheet shows the pages as the leaflet lies open: the
cover alone, then 2–3, 4–5, 6–7, and 8 alone.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace

from .build import BuildOptions, BuildSession, default_output, find_project, output_name
from .diagnostics import BuildFailed, Severity, SourceRef
from .layout import LaidOutPage, Picture, QrMark, TextLine
from .layout_spec import MM, Layout
from .paths import check_output, check_output_folder
from .text import is_cjk
from .typography import OFF_THE_BODY

OVERLAYS = ("grid", "frames", "baselines", "safe")
GRID = (0, 160, 220, 90)
FRAME = (40, 90, 200, 200)
BASELINE = (0, 170, 255, 60)
SAFE = (255, 0, 200, 160)
TRIM = (0, 0, 0, 200)
ALERT = (230, 0, 0, 255)
WARN = (225, 140, 0, 255)  # worth a designer's look, not an error: underfull space


@dataclass(frozen=True)
class ProofOptions:
    edition_dir: str
    pages: tuple[int, ...] = ()  # empty: all
    dpi: int = 150
    overlays: tuple[str, ...] = ()
    out_dir: str | None = None


MAX_PAGE_NUMBER = 1000  # page selections are checked against this before anything is allocated


def parse_pages(spec: str) -> tuple[int, ...]:
    """'1,3-4' → (1, 3, 4); ValueError saying what is wrong with a selection that names no real page."""
    pages: set[int] = set()
    for part in filter(None, (p.strip() for p in spec.split(","))):
        first, _, last = part.partition("-")
        if not first.strip().isdigit() or (last and not last.strip().isdigit()) or len(part) > 20:
            raise ValueError(f"{part!r} is not a page number or a range such as 3-4")
        low, high = int(first), int(last) if last else int(first)
        if low < 1 or high > MAX_PAGE_NUMBER:
            raise ValueError(f"{part!r}: pages are numbered from 1 (and an edition has at most "
                             f"{MAX_PAGE_NUMBER})")
        if low > high:
            raise ValueError(f"{part!r} runs backwards; write {high}-{low}")
        pages.update(range(low, high + 1))
    if spec.strip() and not pages:
        raise ValueError(f"{spec!r} names no page")
    return tuple(sorted(pages))


def make_proofs(options: ProofOptions, progress=None):
    """Build, then render the chosen pages with overlays and the contact sheet; return (result, files).

    The proof's PDF is a temporary file, never the print PDF; an edition with errors in its
    layout (an overflow, text in the safe margin) is rendered as it was laid out, so the problems can be
    seen where they are, and its errors are listed on the sheet. Only an edition that could not be laid
    out at all (bad YAML, a character no font has) has no pictures."""
    from .build import BuildResult
    from .content import load_edition
    from .diagnostics import Diagnostics

    try:  # the page count, to refuse a selection of pages that do not exist before building anything
        count = len(load_edition(options.edition_dir, Diagnostics()).pages)
    except BuildFailed:
        count = None  # the build reports why
    beyond = [n for n in options.pages if count is not None and n > count]
    if beyond:
        result = BuildResult(Diagnostics())
        result.diagnostics.fatal("no-such-page", f"--pages names page {beyond[0]}, but the edition has "
                                 f"{count} pages", SourceRef(options.edition_dir),
                                 hint=f"choose pages from 1 to {count}")
        return result, []
    import tempfile

    project = find_project(options.edition_dir)
    out_dir = options.out_dir or os.path.join(project, "out", "proof", output_name(options.edition_dir))
    scratch_parent = os.path.join(project, "out")  # the project's own out/, not the machine's temp folder
    os.makedirs(scratch_parent, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".proof-", dir=scratch_parent) as scratch:
        pdf = os.path.join(scratch, "proof.pdf")
        result = BuildSession().build(BuildOptions(options.edition_dir, pdf, preflight=False, proof=True))
        if result.output is None or not result.pages:
            return result, []
        files = render_proofs(result, replace(options, out_dir=out_dir), progress)
    result.output = None  # the proof's PDF is gone with its scratch folder
    return result, files


def render_proofs(result, options: ProofOptions, progress=None) -> list[str]:
    """Proof PNGs and the contact sheet of a successful build (also used by `watch --proof`)."""
    import pypdfium2 as pdfium

    layout = result.layout
    out_dir = options.out_dir or os.path.join(os.path.dirname(result.output), "proof", result.name)
    wanted = options.pages or tuple(p.number for p in result.pages)
    try:
        check_output_folder(out_dir, result.diagnostics, (options.edition_dir,), "the proofs")
        for name in [f"page-{n:02d}.png" for n in wanted] + ["sheet.png"]:
            check_output(os.path.join(out_dir, name), result.diagnostics, (options.edition_dir,), b"\x89PNG",
                         "the proofs")
    except BuildFailed:
        return []
    os.makedirs(out_dir, exist_ok=True)
    wanted = options.pages or tuple(p.number for p in result.pages)
    scale = options.dpi / 72.0
    offset = (layout.geometry.page.bleed_mm + layout.geometry.page.slug_mm) * MM
    pdf = pdfium.PdfDocument(result.output)
    files, images = [], {}
    try:
        for count, number in enumerate(wanted, 1):
            if not 1 <= number <= len(pdf):
                continue
            image = pdf[number - 1].render(scale=scale).to_pil().convert("RGBA")
            page = result.pages[number - 1]
            image = _overlay(image, page, layout, scale, offset, options.overlays)
            path = os.path.join(out_dir, f"page-{number:02d}.png")
            image.convert("RGB").save(path, optimize=True)
            files.append(path)
            images[number] = image
            if progress:
                progress(count, len(wanted))
    finally:
        pdf.close()
    if images:
        sheet = os.path.join(out_dir, "sheet.png")
        picture = _contact_sheet(images, len(result.pages))
        problems = [d for d in result.diagnostics.items if d.severity >= Severity.ERROR]
        if problems:  # a failing build's proof: its errors on the sheet, where the designer looks
            picture = _with_panel(picture, problems, find_project(options.edition_dir))
        picture.save(sheet, optimize=True)
        files.append(sheet)
    return files


def _overlay(image, page: LaidOutPage, layout: Layout, scale: float, offset: float, overlays: tuple[str, ...]):
    from PIL import Image, ImageDraw

    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    g = layout.geometry

    def px(x_pt: float, y_pt: float) -> tuple[int, int]:
        return round((offset + x_pt) * scale), round((offset + y_pt) * scale)

    width, height = layout.page_width_pt, layout.page_height_pt
    if "grid" in overlays:
        for col in range(1, g.grid.columns + 1):
            x, w = layout.column_x_pt(col, 1)
            draw.rectangle([px(x, 0), px(x + w, height)], fill=GRID[:3] + (22,), outline=GRID)
    if "baselines" in overlays:
        # Every step of the grid faintly (when steps are 4 px apart or more: finer is only a haze);
        # every body leading's worth of steps strongly.
        step = g.grid.baseline_pt
        major = max(1, round(layout.style("body", "en").leading_pt / step))
        minor = step * scale >= 4
        top = (g.title_band.height_mm + g.margins_mm.top) * MM
        index = 0
        while top + index * step < height - g.margins_mm.bottom * MM:
            y = top + index * step
            if index % major == 0 or minor:
                colour = BASELINE if index % major == 0 else BASELINE[:3] + (BASELINE[3] // 3,)
                draw.line([px(g.margins_mm.left * MM, y), px(width - g.margins_mm.right * MM, y)], fill=colour)
            index += 1
    if "safe" in overlays:
        safe = g.page.safe_mm * MM
        bleed = g.page.bleed_mm * MM
        draw.rectangle([px(safe, safe), px(width - safe, height - safe)], outline=SAFE, width=2)
        draw.rectangle([px(0, 0), px(width, height)], outline=TRIM, width=1)
        draw.rectangle([px(-bleed, -bleed), px(width + bleed, height + bleed)], outline=SAFE[:3] + (90,), width=1)
    for frame in page.frames:
        overflowed = frame.used_pt > frame.height_pt + 0.5
        if "frames" in overlays or overflowed:
            colour = ALERT if overflowed else FRAME
            shown = max(frame.used_pt, 1.0) if not overflowed else frame.used_pt
            draw.rectangle([px(frame.x_pt, frame.y_pt), px(frame.x_pt + frame.width_pt, frame.y_pt + shown)],
                           outline=colour, width=3 if overflowed else 1)
            label = frame.name + (f"  overflows by {(frame.used_pt - frame.height_pt) / MM:.1f} mm" if overflowed else "")
            draw.text(px(frame.x_pt + 1, frame.y_pt + 1), label, fill=colour)
    off_grid: dict[str, list] = {}  # the typography report's lines off the baseline grid, per frame
    for item in page.items:
        if isinstance(item, TextLine) and item.frame not in OFF_THE_BODY and not page.on_grid(item.baseline_pt):
            off_grid.setdefault(item.frame, []).append(item)
    for name, lines in off_grid.items():
        left = min(line.x_pt for line in lines)
        right = max(line.x_pt + line.line.right_pt for line in lines)
        top = min(line.baseline_pt - line.line.ascent_pt for line in lines)
        bottom = max(line.baseline_pt for line in lines) + 2
        draw.rectangle([px(left - 2, top - 2), px(right + 2, bottom + 2)], outline=WARN, width=2)
        draw.text(px(left, bottom + 3), f"{name}: {len(lines)} lines off the baseline grid", fill=WARN)
    if page.underfull_pt and page.foot_gap_pt > page.underfull_pt:  # the typography report's "underfull"
        left, right = g.margins_mm.left * MM, width - g.margins_mm.right * MM
        top = page.body_bottom_pt - page.foot_gap_pt
        draw.rectangle([px(left, top), px(right, page.body_bottom_pt)], fill=WARN[:3] + (28,), outline=WARN, width=2)
        draw.text(px(left + 2, top + 2), f"underfull: {page.foot_gap_pt / MM:.1f} mm unfilled", fill=WARN)
    for item in page.items:
        if isinstance(item, QrMark) and item.url is None:  # a placeholder is never ready for print
            draw.rectangle([px(item.x_pt - 2, item.y_pt - 2), px(item.x_pt + item.size_pt + 2, item.y_pt + item.size_pt + 2)],
                           outline=ALERT, width=3)
            draw.text(px(item.x_pt, item.y_pt + item.size_pt + 3), "QR placeholder", fill=ALERT)
        elif isinstance(item, Picture):
            _mark_picture(draw, item, px, g.images)
        elif isinstance(item, TextLine):
            for run in item.line.runs:
                if _fell_back(run):
                    left, top = px(item.x_pt + run.x_pt, item.baseline_pt - run.size_pt)
                    right, bottom = px(item.x_pt + run.x_pt + run.width_pt, item.baseline_pt + 0.25 * run.size_pt)
                    draw.rectangle([left, top, right, bottom], outline=ALERT, width=2)
    return Image.alpha_composite(image, layer)


def _mark_picture(draw, item: Picture, px, settings) -> None:
    """A picture placeholder outlined in red; a picture under the layout's resolutions outlined in amber
    (under min_ppi_warn) or red (under min_ppi_error), with its effective ppi."""
    from .images import PictureError, place, probe

    box = [px(item.x_pt - 2, item.y_pt - 2), px(item.x_pt + item.width_pt + 2, item.y_pt + item.height_pt + 2)]
    if item.path is None:
        draw.rectangle(box, outline=ALERT, width=3)
        draw.text(px(item.x_pt + 2, item.y_pt + 2), "picture placeholder", fill=ALERT)
        return
    try:
        source = probe(item.path)
    except PictureError:
        return  # the build's error names it
    if source.kind != "raster":
        return
    ppi = place(source, item.width_pt, item.height_pt, item.fit, item.focus).ppi
    if ppi < settings.min_ppi_warn:
        colour = ALERT if ppi < settings.min_ppi_error else WARN
        draw.rectangle(box, outline=colour, width=3)
        draw.text(px(item.x_pt + 2, item.y_pt + 2), f"{ppi:.0f} ppi", fill=colour)


def _fell_back(run) -> bool:
    """A glyph drawn from the other script's face, or from none (a box)."""
    if not run.face:
        return True
    wanted = "cjk" if any(is_cjk(c) for c in run.text) else "latin"
    # Punctuation such as ◊ or — in the CJK face beside Chinese text is expected, not a fallback.
    return run.face.startswith("latin") and wanted == "cjk"


def _contact_sheet(images: dict, page_count: int):
    """Pages as the leaflet lies open: 1 alone on the right, then spreads 2–3, 4–5, …, the last alone."""
    from PIL import Image

    first = next(iter(images.values()))
    w, h = first.size
    thumb_w, thumb_h = w // 4, h // 4
    spreads: list[tuple[int | None, int | None]] = [(None, 1)] + [(n, n + 1) for n in range(2, page_count, 2)]
    if page_count % 2 == 0:
        spreads.append((page_count, None))
    gap = 12
    sheet = Image.new("RGB", (2 * thumb_w + 3 * gap, len(spreads) * (thumb_h + gap) + gap), (205, 205, 205))
    for row, (left, right) in enumerate(spreads):
        for side, number in ((0, left), (1, right)):
            if number and number in images:
                thumb = images[number].convert("RGB").resize((thumb_w, thumb_h))
                sheet.paste(thumb, (gap + side * (thumb_w + gap), gap + row * (thumb_h + gap)))
    return sheet


def _panel_font(project: str, size: int):
    """The leaflet's own CJK face from the set-up cache (its messages quote Chinese), else Pillow's."""
    import glob

    from PIL import ImageFont

    for path in sorted(glob.glob(os.path.join(project, ".cache", "fonts", "*cjk*regular*.ttf"))):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _with_panel(sheet, problems: list, project: str):
    """The contact sheet with a panel under it listing the build's errors, one wrapped entry each."""
    from PIL import Image, ImageDraw

    width = sheet.size[0]
    size = max(11, width // 64)
    font = _panel_font(project, size)
    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    entries: list[tuple[str, tuple[int, ...]]] = [
        (f"This build failed: {len(problems)} error(s). Nothing was written to the print PDF.", ALERT)]
    for d in problems:
        entries += [(text, ALERT if n == 0 else (60, 60, 60)) for n, text in enumerate(d.format().split("\n"))]
    lines: list[tuple[str, tuple]] = []
    for text, colour in entries:
        line = ""
        for word in text.split(" "):
            trial = f"{line} {word}" if line else word
            if line and measure.textlength(trial, font=font) > width - 24:
                lines.append((line, colour))
                line = "    " + word
            else:
                line = trial
        lines.append((line, colour))
    step = round(size * 1.4)
    panel = Image.new("RGB", (width, 12 + step * len(lines) + 12), (255, 255, 255))
    draw = ImageDraw.Draw(panel)
    for row, (text, colour) in enumerate(lines):
        draw.text((12, 12 + row * step), text, fill=colour, font=font)
    out = Image.new("RGB", (width, sheet.size[1] + panel.size[1]), (205, 205, 205))
    out.paste(sheet, (0, 0))
    out.paste(panel, (0, sheet.size[1]))
    return out


def terminal_progress(done: int, total: int) -> None:
    """A one-line counter on a terminal; silent when output is a file or CI log."""
    if sys.stderr.isatty():
        sys.stderr.write(f"\rhighlight: proof {done}/{total}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


__all__ = ["OVERLAYS", "ProofOptions", "default_output", "make_proofs", "parse_pages"]
