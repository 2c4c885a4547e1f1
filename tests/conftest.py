"""Shared fixtures: the real 2022-23 edition, built once per test session."""
from __future__ import annotations

import contextlib
import io
import math
import os
import re
import unicodedata

import pytest
import yaml

from highlight.build import BuildOptions, build
from highlight.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# A project without its own .cache/fonts fetches the fonts into the user's cache folder: under the tests that is
# a folder of their own (inherited by every command they run), never the real home's.
os.environ["XDG_CACHE_HOME"] = os.path.join(ROOT, ".cache", "tests-user-cache")
os.environ.pop("HIGHLIGHT_CACHE", None)
EDITION = os.path.join(ROOT, "content", "2022-23")
SOURCE = os.path.join(ROOT, "tests", "fixtures", "source-2022-23.txt")
# The stock layout's type scale (layout/styles.yaml scale_pt): a test names a size by its step, not its number.
with open(os.path.join(ROOT, "layout", "styles.yaml"), encoding="utf-8") as _styles:
    SCALE_PT: dict = yaml.safe_load(_styles)["scale_pt"]
FIGURE_STEP_PT = float(SCALE_PT["figure-step"])  # ranks, chart totals and a figure's first smaller step


def normalise(text: str) -> str:
    """The comparison seed_coverage.py uses: NFKC, every whitespace character removed, and −, –, — (and the
    Chinese ——) read as the hyphen they stand for."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return re.sub("-{2,}", "-", text.translate(str.maketrans("\u2212\u2013\u2014", "---")))


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The leaflet built from content/2022-23 into a temporary folder: (BuildResult, pdf path)."""
    out = tmp_path_factory.mktemp("build") / "leaflet.pdf"
    result = build(BuildOptions(EDITION, str(out)))
    errors = [d.format() for d in result.diagnostics.items if d.severity >= 2]
    assert not errors, "\n".join(errors)
    return result, str(out)


@pytest.fixture(scope="session")
def page_texts(built):
    from pypdf import PdfReader

    reader = PdfReader(built[1])
    return [page.extract_text() for page in reader.pages]


# Only the edition the tests read: other editions committed beside it (next year's, drafts) are no
# business of these tests, and must neither slow them nor change what they see (issue 14, item 6).
PROJECT_PARTS = ("layout", "fonts", "profiles", os.path.join("content", "2022-23"), "schema")


@pytest.fixture(scope="module")  # per module: a module may change the setter (greedy, memo)
def setter_and_style():
    """A text setter with the 2022-23 fonts, and the layout its styles come from (shared by the text tests)."""
    from highlight.build import characters_used, load_inputs
    from highlight.diagnostics import Diagnostics
    from highlight.fonts import load_manifest, prepare_fonts
    from highlight.text import TextSetter

    diags = Diagnostics()
    edition, layout, project = load_inputs(EDITION, diags)
    manifest = load_manifest(f"{project}/fonts/fonts.yaml", diags)
    fonts = prepare_fonts(manifest, set(characters_used(edition)), diags, f"{project}/.cache/fonts")
    return TextSetter(fonts), layout


@pytest.fixture(scope="module")
def zh_setter(setter_and_style):
    """A setter of its own with the 2022-23 edition's words, the layout, and a function setting Chinese text in a
    style at a measure in ems (the style's alignment unless `align` says otherwise), for the Chinese-setting tests."""
    from highlight.build import load_inputs
    from highlight.diagnostics import Diagnostics
    from highlight.text import Span, TextSetter

    setter, layout = setter_and_style
    edition, _layout, _ = load_inputs(EDITION, Diagnostics())
    fresh = TextSetter(setter.fonts)
    fresh.words = frozenset(edition.words)

    def lines(text: str, style: str, em: float, align: str | None = None):
        st = layout.style(style, "zh")
        return list(fresh.set([Span(text, st, lang="zh")], em * st.size_pt, align or st.align))

    return fresh, layout, lines


def move_block(page_file, frame: str, before: str) -> None:
    """Move the page file's block of `frame` (to the next block) in front of the block of `before`: the same
    content listed in another order (a next edition written in the copy deck's order, say)."""
    import re

    text = page_file.read_text(encoding="utf-8")
    start = re.search(rf"^  - frame: {re.escape(frame)}\b", text, re.MULTILINE).start()
    end = text.find("\n  - frame: ", start) + 1 or len(text)
    block, text = text[start:end], text[:start] + text[end:]
    at = re.search(rf"^  - frame: {re.escape(before)}\b", text, re.MULTILINE).start()
    page_file.write_text(text[:at] + block + text[at:], encoding="utf-8")


def copy_project(target, parts=PROJECT_PARTS, cache: bool = True):
    """A copy of the project's data under `target` (of content/, 2022-23 only), sharing the set-up cache
    (fonts, profile) by a link, so a test can change files without touching the repository. Returns `target`."""
    import shutil

    for name in parts:
        shutil.copytree(os.path.join(ROOT, name), os.path.join(target, name), dirs_exist_ok=True)
    if cache:
        os.symlink(os.path.join(ROOT, ".cache"), os.path.join(target, ".cache"))
    return target


def shared_fonts_cache(target) -> str:
    """A folder to give as $HIGHLIGHT_CACHE: its fonts/ holds the set-up faces as hard links (no copy, no
    network), so a project without a .cache of its own builds; returns the folder."""
    fonts = os.path.join(target, "fonts")
    os.makedirs(fonts)
    source = os.path.join(ROOT, ".cache", "fonts")
    for name in os.listdir(source):
        if os.path.isfile(os.path.join(source, name)):
            os.link(os.path.join(source, name), os.path.join(fonts, name))
    return str(target)


# -- helpers shared by the test modules (import them from conftest, never from another test module) --

def make_edition(tmp_path, page_text: str) -> str:
    """A one-page edition in a copy of the project (so files can be made hostile without touching the repo)."""

    copy_project(tmp_path, ("layout", "fonts", "profiles"))
    folder = tmp_path / "content" / "case"
    folder.mkdir(parents=True)
    (folder / "edition.yaml").write_text(
        'edition: "case"\ntitle: {en: "Test", zh: "測試"}\ndate: "2023-06-30"\npages: [p1.yaml]\n', encoding="utf-8")
    (folder / "p1.yaml").write_text(page_text, encoding="utf-8")
    return str(folder)


PAGE = ('page: 1\ntemplate: p1\ntitle: {en: "Research Power", zh: "研究實力"}\nblocks:\n  - frame: intro\n'
        '    elements:\n      - paragraph: {en: "Sports science", zh: "運動科學"}\n')


def run_cli(args: list[str]) -> tuple[int, str]:
    """`highlight ARGS` in this process: (exit code, everything it printed, stdout and stderr together)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(err):
        code = main(args)
    return code, err.getvalue()


@contextlib.contextmanager
def watching(project, max_builds: int):
    """`highlight watch content/2022-23` running in `project` for at most `max_builds` builds; yields
    wait_for(text), which reads its output up to the first line holding `text` and returns that line."""
    import subprocess
    import sys

    watcher = subprocess.Popen([sys.executable, "-m", "highlight", "watch", "content/2022-23", "--max-builds",
                                str(max_builds)], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    lines: list[str] = []

    def wait_for(text: str) -> str:
        while True:
            line = watcher.stdout.readline()
            assert line, "watch ended early:\n" + "".join(lines)
            lines.append(line)
            if text in line:
                return line

    try:
        yield wait_for
    finally:
        watcher.kill()
        watcher.wait()
        watcher.stdout.close()



def project_with(tmp_path, path: str, old: str, new: str) -> str:
    """A copy of the project with one string of one file replaced; returns the copied edition's folder."""
    copy_project(tmp_path)
    target = tmp_path / path
    text = target.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return str(tmp_path / "content" / "2022-23")

# -- ink as the eye sees it, measured on the rendered PDF (issue 22) ---------------------------------------
INK_DPI = 100


def _threshold(value: int) -> int:
    """Ink where a pixel differs from paper (or from the panel tint) by more than anti-aliasing does."""
    return 255 if value > 20 else 0


def _values(image) -> list:
    """An image's pixel values in order (Pillow 12 renamed getdata)."""
    values = image.get_flattened_data() if hasattr(image, "get_flattened_data") else image.getdata()
    return list(values)


def _runs(flags: list) -> list[tuple[int, int]]:
    """The (start, end) of each run of true flags, end exclusive."""
    found, start = [], None
    for k, on in enumerate([*flags, False]):
        if on and start is None:
            start = k
        elif not on and start is not None:
            found.append((start, k))
            start = None
    return found


def _trimmed_pages(pdf_path: str, dpi: int):
    """Each page of a built PDF rendered with pdfium at `dpi` and cut to its trim box (pixels, y down), with the
    mask of its ink ("differs from this colour", 255 where it does) for a colour, and the panel tint as rendered
    (pdfium converts the CMYK tint its own way: the commonest light colour that is not paper), or None."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageChops

    pdf = pdfium.PdfDocument(pdf_path)
    for index in range(len(pdf)):
        page = pdf[index]
        left, bottom, right, top = page.get_trimbox()
        media = page.get_mediabox()
        image = page.render(scale=dpi / 72).to_pil().convert("RGB")
        x0, y0 = (left - media[0]) / 72 * dpi, (media[3] - top) / 72 * dpi
        trim = image.crop((round(x0), round(y0), round(x0 + (right - left) / 72 * dpi),
                           round(y0 + (top - bottom) / 72 * dpi)))
        colours = trim.getcolors(1 << 20) or []
        tints = [c for n, c in sorted(colours, reverse=True) if c != (255, 255, 255) and min(c) > 180]

        def differs(colour, trim=trim):
            return ImageChops.difference(trim, Image.new("RGB", trim.size, colour)).convert("L").point(_threshold)

        yield index, trim, differs, (tints[0] if tints else None)


def ink_measure(pdf_path: str, dpi: int = INK_DPI, panel_rgb=(0xE6, 0xEA, 0xF2)) -> list[dict]:
    """Per page of a built PDF, rendered with pdfium at `dpi`: the bands across the body with no ink (paper and
    the panel tint are not ink; text, rules, charts, swatches, QR codes are), and each tinted panel's
    paper between its edge and its first and last ink and its tallest inner band without ink. Independent of
    the layout's own numbers: it reads pixels. Heights in mm; the body runs from the title band's foot to the
    folio's top (its foot space counts: a page that ends short shows a band)."""
    from PIL import Image, ImageChops

    mm = dpi / 25.4
    out = []
    for index, trim, differs, rendered_tint in _trimmed_pages(pdf_path, dpi):
        tint = rendered_tint or panel_rgb
        ink = ImageChops.multiply(differs((255, 255, 255)), differs(tint))
        panel = differs((255, 255, 255)).point(lambda v: 255 - v)
        panel = ImageChops.multiply(differs(tint).point(lambda v: 255 - v), ImageChops.invert(panel))
        w, h = trim.size
        body = (round(15 * mm), round(15 * mm))  # the margins
        band_top = round(28.5 * mm)  # the title band's foot
        folio_top = round((297 - 10) * mm)  # the folio stands 7 mm above the trim

        def rows(mask, x_a, x_b, y_a, y_b):
            strip = mask.crop((x_a, y_a, x_b, y_b)).convert("F").resize((1, y_b - y_a), Image.BOX)
            return [v > 0.01 for v in _values(strip)]

        def gaps(flags, offset=0):
            return [((a + offset) / mm, (b + offset) / mm) for a, b in _runs([not on for on in flags])]

        across = rows(ink, body[0], w - body[1], band_top, folio_top)
        bands = [(a, b) for a, b in gaps(across, band_top)]
        # Panels: runs of rows that are mostly tint, then columns, then rows again inside each column run.
        panels = []
        tinted_rows = [v > 0.05 for v in _values(panel.convert("F").resize((1, h), Image.BOX))]
        for y, y_end in _runs(tinted_rows):
            columns = [v > 0.3 for v in _values(panel.crop((0, y, w, y_end)).convert("F").resize((w, 1), Image.BOX))]
            for x, x_end in _runs(columns):
                if (x_end - x) > 10 * mm:
                    inner = [v > 0.3 for v in _values(panel.crop((x, y, x_end, y_end)).convert("F")
                                                      .resize((1, y_end - y), Image.BOX))]
                    py0 = y + next((k for k, v in enumerate(inner) if v), 0)
                    py1 = y + len(inner) - next((k for k, v in enumerate(reversed(inner)) if v), 0)
                    edges = [panel.crop(box).convert("F").resize((1, 1), Image.BOX).getpixel((0, 0)) / 255
                             for box in ((x, py0, x_end, py0 + 1), (x, py1 - 1, x_end, py1),
                                         (x, py0, x + 1, py1), (x_end - 1, py0, x_end, py1))]
                    if py1 - py0 > 10 * mm and min(edges) > 0.9:  # a tint to its edges: a panel, not a chart
                        flags = rows(ink, x + 2, x_end - 2, py0 + 2, py1 - 2)
                        inked = [k for k, v in enumerate(flags) if v]
                        if inked:
                            first, last = inked[0] + 2, inked[-1] + 3
                            inside = gaps(flags[inked[0]:inked[-1] + 1])
                            panels.append({"x": x / mm, "y": py0 / mm, "width": (x_end - x) / mm,
                                           "height": (py1 - py0) / mm, "head": first / mm,
                                           "foot": (py1 - py0 - last) / mm,
                                           "gap": max((b - a for a, b in inside), default=0.0)})
        out.append({"page": index + 1, "bands": bands, "panels": panels})
    return out


def largest_hole(pdf_path: str, min_width_mm: float, top_mm: float = 28.5,
                 dpi: int = INK_DPI) -> list[tuple[float, float, float]]:
    """Per page of a built PDF: the tallest rectangle of the body with no ink in it that is at least `min_width_mm`
    wide, as (height, top, left) in mm (the body: the margins, from the title band's foot, or `top_mm` from the
    trim's top if lower, to the folio's top, as ink_measure; paper and the panel tint are not ink). Measured in whole millimetres: a millimetre cell with any
    ink in it is ink. Independent of the layout's own numbers (issue 22, round 11: page 4's lower right, some
    63 x 125 mm of paper beside the left column's rankings, measured by eye)."""
    import collections

    from PIL import Image, ImageChops

    mm = dpi / 25.4
    out = []
    for _index, _trim, differs, tint in _trimmed_pages(pdf_path, dpi):
        ink = differs((255, 255, 255))
        if tint is not None:
            ink = ImageChops.multiply(ink, differs(tint))
        top_mm = max(top_mm, 28.5)
        body = ink.crop((round(15 * mm), round(top_mm * mm), round(195 * mm), round(287 * mm)))
        cols, rows = 180, round(287 - top_mm)
        cells = _values(body.resize((cols, rows), Image.BOX))
        empty = [[cells[r * cols + c] == 0 for c in range(cols)] for r in range(rows)]
        width = max(1, math.ceil(min_width_mm - 1e-6))
        best = (0.0, 0.0, 0.0)
        heights = [0] * cols
        for r in range(rows):
            heights = [h + 1 if e else 0 for h, e in zip(heights, empty[r], strict=True)]
            window: collections.deque = collections.deque()  # columns of the window, their heights rising
            for c in range(cols):
                while window and heights[window[-1]] >= heights[c]:
                    window.pop()
                window.append(c)
                if window[0] <= c - width:
                    window.popleft()
                if c >= width - 1 and heights[window[0]] > best[0]:
                    tall = heights[window[0]]
                    best = (float(tall), top_mm + r + 1 - tall, 15.0 + c + 1 - width)
        out.append(best)
    return out


def glyph_gaps(setter, line) -> tuple[list, list]:
    """(gaps between neighbouring ideographs, gaps between Han and a Latin run) of a set line, in em, as the
    renderer draws them: shared by the text engine's and the word breaks' tests."""
    import itertools

    from highlight.text import is_han_latin_pair, is_ideograph
    from highlight.typography import _glyphs

    glyphs = [g for g in _glyphs(line, setter.fonts) if not g.char.isspace() and not g.marker]
    ideographs, han_latin = [], []
    for a, b in itertools.pairwise(glyphs):
        gap = (b.left_pt - a.right_pt) / a.size_pt
        if is_ideograph(a.char) and is_ideograph(b.char):
            ideographs.append(gap)
        elif is_han_latin_pair(a.char, b.char):
            han_latin.append(gap)
    return ideographs, han_latin


# The generated "longer copy" edition: next year's copy is longer (issue 20's measure, 30-60 %): every third text of
# pages 1 and 2 of 2022-23 gets one of these tails.
LONGER_TAIL = {"en": " together with partners in industry and government across the region",
               "zh": "，並與區內業界及政府夥伴合作"}


def longer_copy(tmp_path) -> str:
    """A copy of the project whose 2022-23 has every third text of pages 1 and 2 made longer; its edition folder."""
    import re

    copy_project(tmp_path)
    folder = tmp_path / "content" / "2022-23"
    for name in ("p1-research-power.yaml", "p2-knowledge-transfer.yaml"):
        path = folder / name
        count = 0

        def longer(match):
            nonlocal count
            count += 1
            if count % 3:
                return match.group(0)
            return f'{match.group(1)}{match.group(2)}: "{match.group(3)}{LONGER_TAIL[match.group(2)]}"'

        path.write_text(re.sub(r'^(\s*)(en|zh): "(.{25,}?)"$', longer, path.read_text("utf-8"), flags=re.MULTILINE),
                        "utf-8")
    return str(folder)
