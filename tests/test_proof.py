"""`highlight proof`: PNGs rendered from the PDF with overlays, and the contact sheet in spreads."""
from __future__ import annotations

import os
import shutil

from conftest import ROOT, copy_project, run_cli
from PIL import Image


def _project(tmp_path):
    copy_project(tmp_path)
    shutil.copytree(os.path.join(ROOT, "tests", "cases", "bad", "overflow"), tmp_path / "content" / "overflow")
    return tmp_path


def test_proofs_of_chosen_pages_and_the_sheet(tmp_path):
    project = _project(tmp_path)
    code, printed = run_cli(["proof", str(project / "content" / "2022-23"), "--pages", "1,3-4", "--dpi", "72",
                          "--overlay", "grid,frames,baselines,safe"])
    assert code == 0, printed
    folder = project / "out" / "proof" / "2022-23"
    assert sorted(os.listdir(folder)) == ["page-01.png", "page-03.png", "page-04.png", "sheet.png"]
    with Image.open(folder / "page-01.png") as page:
        # The sheet at 72 dpi: A4 plus 3 mm bleed and 10 mm for the marks on each side.
        assert page.size == (round(595.276 + 2 * 13 * 72 / 25.4), round(841.89 + 2 * 13 * 72 / 25.4))
        # The QR placeholder of page 1 is outlined in red.
        assert (230, 0, 0) in {colour for _, colour in page.convert("RGB").getcolors(1 << 20)}
    with Image.open(folder / "sheet.png") as sheet:
        assert sheet.size[1] > sheet.size[0]  # spreads stacked: 1, 2–3, 4–5, 6–7, 8


def test_a_proof_of_an_overflowing_edition_shows_what_was_laid_out(tmp_path):
    """The build fails, and the proof is when the overflow matters: the pages are rendered as laid out,
    the overflowing frame outlined in red, the errors listed on the sheet; exit 1; no print PDF."""
    project = _project(tmp_path)
    code, printed = run_cli(["proof", str(project / "content" / "overflow"), "--dpi", "72"])
    assert code == 1 and "error[overflow]" in printed, printed
    folder = project / "out" / "proof" / "overflow"
    assert f"wrote {folder / 'page-01.png'}" in printed and f"wrote {folder / 'sheet.png'}" in printed
    assert not (project / "out" / "highlights-overflow.pdf").exists()  # never the print path
    assert not [n for n in os.listdir(project / "out") if n.endswith(".pdf")]
    red = (230, 0, 0)
    with Image.open(folder / "page-01.png") as page:
        width, height = page.size
        rgb = page.convert("RGB")
        assert red in {colour for _, colour in rgb.getcolors(1 << 20)}
        # the frame's text runs on below the page's foot: what was laid out is drawn, not clipped
        assert any(rgb.getpixel((x, height * 9 // 10)) != (255, 255, 255) for x in range(width // 8, width // 2))
    with Image.open(folder / "sheet.png") as sheet:
        # below the one row of pages (page 1 alone, at a quarter size), the panel listing the errors in red
        rows_end = 12 + height // 4 + 12
        assert sheet.size[1] > rows_end + 20
        panel = sheet.convert("RGB").crop((0, rows_end, sheet.size[0], sheet.size[1]))
        assert red in {colour for _, colour in panel.getcolors(1 << 20)}


def test_off_grid_lines_are_outlined_on_the_proof(built):
    """A frame whose body lines are off the baseline grid is outlined (page 1, its grid moved by 1 pt)."""
    from dataclasses import replace

    from highlight.proof import WARN, _overlay

    result = built[0]
    page = result.pages[0]
    offset = (result.layout.geometry.page.bleed_mm + result.layout.geometry.page.slug_mm) * 72 / 25.4

    def colours(p):
        blank = Image.new("RGBA", (700, 950), (255, 255, 255, 255))
        image = _overlay(blank, p, result.layout, 1.0, offset, ())
        return {colour for _, colour in image.convert("RGB").getcolors(1 << 20)}

    assert WARN[:3] not in colours(page)
    assert WARN[:3] in colours(replace(page, grid_top_pt=page.grid_top_pt + 1.0))


def test_bad_proof_options_exit_2(tmp_path):
    assert run_cli(["proof", "content/2022-23", "--overlay", "grids"])[0] == 2
    assert run_cli(["proof", "content/2022-23", "--pages", "one"])[0] == 2


def test_underfull_space_is_shaded_on_the_proof(tmp_path):
    """The typography report's underfull foot (tests/cases/typography/underfull: two short blocks on a
    page made for seven) is outlined in amber on its proof; page 1 of 2022-23, full to its foot, has none."""
    project = _project(tmp_path)
    shutil.copytree(os.path.join(ROOT, "tests", "cases", "typography", "underfull"), project / "content" / "underfull")
    amber = (225, 140, 0)
    colours = {}
    for edition, name in (("underfull", "underfull"), ("2022-23", "2022-23")):
        code, printed = run_cli(["proof", str(project / "content" / edition), "--pages", "1", "--dpi", "72"])
        assert code == 0, printed
        with Image.open(project / "out" / "proof" / name / "page-01.png") as page:
            colours[edition] = {colour for _, colour in page.convert("RGB").getcolors(1 << 20)}
    assert amber in colours["underfull"] and amber not in colours["2022-23"]
