"""`highlight proof`: PNGs rendered from the PDF with overlays, and the contact sheet in spreads."""
from __future__ import annotations

import os
import shutil

from PIL import Image

from conftest import ROOT, copy_project
from test_bad_input import _run


def _project(tmp_path):
    copy_project(tmp_path)
    shutil.copytree(os.path.join(ROOT, "tests", "cases", "bad", "overflow"), tmp_path / "content" / "overflow")
    return tmp_path


def test_proofs_of_chosen_pages_and_the_sheet(tmp_path):
    project = _project(tmp_path)
    code, printed = _run(["proof", str(project / "content" / "2022-23"), "--pages", "1,3-4", "--dpi", "72",
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


def test_a_proof_of_an_overflowing_edition_marks_the_frame(tmp_path):
    """The build fails, so there is no PDF to proof: say so and exit 1, with the overflow reported."""
    project = _project(tmp_path)
    code, printed = _run(["proof", str(project / "content" / "overflow")])
    assert code == 1 and "error[overflow]" in printed and "wrote" not in printed


def test_bad_proof_options_exit_2(tmp_path):
    assert _run(["proof", "content/2022-23", "--overlay", "grids"])[0] == 2
    assert _run(["proof", "content/2022-23", "--pages", "one"])[0] == 2


def test_underfull_space_is_shaded_on_the_proof(tmp_path):
    """The typography report's underfull foot (tests/cases/typography/underfull: two short blocks on a
    page made for seven) is outlined in amber on its proof; page 1 of 2022-23, full to its foot, has none."""
    project = _project(tmp_path)
    shutil.copytree(os.path.join(ROOT, "tests", "cases", "typography", "underfull"), project / "content" / "underfull")
    amber = (225, 140, 0)
    colours = {}
    for edition, name in (("underfull", "typography-underfull"), ("2022-23", "2022-23")):
        code, printed = _run(["proof", str(project / "content" / edition), "--pages", "1", "--dpi", "72"])
        assert code == 0, printed
        with Image.open(project / "out" / "proof" / name / "page-01.png") as page:
            colours[edition] = {colour for _, colour in page.convert("RGB").getcolors(1 << 20)}
    assert amber in colours["underfull"] and amber not in colours["2022-23"]
