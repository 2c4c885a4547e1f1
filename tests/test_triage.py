"""Triage (issue 26, item 3): unchecked figures kept off the press, warnings counted by kind, and every hint
tested by doing what it says."""
from __future__ import annotations

import math
import os
import re

import pytest
from conftest import copy_project, make_edition, run_cli


@pytest.fixture(scope="module")
def next_year(tmp_path_factory):
    """A project holding 2023-24 as `highlight new` starts it from 2022-23 (68 elements marked review: true: 66 (page 6's total is its ring's since pages11, no stat of its own), and page 7's two pictures still to come)."""
    project = copy_project(tmp_path_factory.mktemp("triage") / "project")
    code, printed = run_cli(["new", "2023-24", "--from", "2022-23", "--content", str(project / "content")])
    assert code == 0 and "68 elements" in printed, printed
    return project


def _copy_of(project, tmp_path):
    import shutil

    copy = copy_project(tmp_path / "copy")
    shutil.copytree(project / "content" / "2023-24", copy / "content" / "2023-24")
    return copy


def test_final_refuses_each_unreviewed_element_by_name(next_year, tmp_path):
    code, printed = run_cli(["build", str(next_year / "content" / "2023-24"), "--final", "-o", str(tmp_path / "x.pdf")])
    assert code == 1, printed
    named = re.findall(r"^(\S+\.yaml):(\d+):\d+ \((\S+)\.review\): error\[unreviewed-in-final\]", printed, re.MULTILINE)
    assert len(named) == 68, printed
    assert ("68 unreviewed-in-final" in printed.splitlines()[-1]) and "0 written" in printed.splitlines()[-1]
    assert not (tmp_path / "x.pdf").exists()


def test_the_summary_counts_warnings_by_kind_and_a_kind_is_listed_in_full_only_with_v(next_year, tmp_path):
    out = str(tmp_path / "x.pdf")
    code, printed = run_cli(["build", str(next_year / "content" / "2023-24"), "-o", out])
    assert code == 0, printed
    summary = printed.strip().splitlines()[-1]
    assert "76 warnings (68 unreviewed, 6 qr-placeholder, 2 image-placeholder)" in summary and "1 fitted" in summary, summary  # (page 5's talent tiles at 21 pt: the step a section's since the fifth review; page 1 keeps its 26 pt since its list is balanced by height)
    assert printed.count("warning[unreviewed]") == 3 and printed.count("warning[qr-placeholder]") == 3
    assert "… and 65 more unreviewed warnings (-v lists every one)" in printed
    assert len(printed.splitlines()) < 25, printed  # was 149 lines
    code, printed = run_cli(["build", str(next_year / "content" / "2023-24"), "-o", out, "-v"])
    assert printed.count("warning[unreviewed]") == 68 and printed.count("warning[qr-placeholder]") == 6
    code, printed = run_cli(["build", str(next_year / "content" / "2023-24"), "-o", out, "--format", "github"])
    assert printed.count("title=unreviewed::") == 68  # a machine's format is never cut


def test_the_review_hints_do_what_they_say(next_year, tmp_path):
    """Each `unreviewed` hint applied as written (the line deleted, or the key and its comma taken out of the
    braces) to a copy: the next build has no unreviewed warning, and nothing else changed."""
    project = _copy_of(next_year, tmp_path)
    edition = str(project / "content" / "2023-24")
    code, printed = run_cli(["build", edition, "-o", str(tmp_path / "x.pdf"), "-v"])
    hints = re.findall(r"^(\S+\.yaml):(\d+):\d+ .*warning\[unreviewed\].*\n  hint: .*?then (delete .*)$", printed,
                       re.MULTILINE)
    assert len(hints) == 68, printed
    kinds = set()
    edits: dict[str, list] = {}
    for file, line, hint in hints:
        edits.setdefault(file, []).append((int(line), hint))
    for file, wanted in edits.items():
        path = os.path.join(str(project), file) if not os.path.isabs(file) else file
        if not os.path.exists(path):
            path = os.path.join(edition, os.path.basename(file))
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        for number, hint in sorted(wanted, reverse=True):
            if hint == f"delete the line `review: true` (line {number})":
                assert lines[number - 1].strip() == "review: true"
                del lines[number - 1]
                kinds.add("line")
            else:
                assert hint == (f"delete `review: true, ` from inside the braces on line {number}, leaving the "
                                "rest of the line"), hint
                assert lines[number - 1].count("review: true, ") == 1
                lines[number - 1] = lines[number - 1].replace("review: true, ", "")
                kinds.add("inline")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
    assert kinds == {"line", "inline"}  # both forms `highlight new` writes were tried
    code, printed = run_cli(["build", edition, "-o", str(tmp_path / "y.pdf")])
    assert code == 0 and "unreviewed" not in printed, printed
    assert "8 warnings (6 qr-placeholder, 2 image-placeholder)" in printed.splitlines()[-1]


LIST_PAGE = ('page: 1\ntemplate: p1\ntitle: {en: "Research Power", zh: "研究實力"}\nblocks:\n  - frame: intro\n'
             '    elements:\n      - list:\n          items:\n'
             '            - {en: "10 research centres", zh: "研究中心"}\n'
             '            - {en: "Art Tech", zh: "藝術科技"}\n')


def test_the_parity_hint_on_a_list_item_says_where_the_acceptance_goes_and_it_works(tmp_path):
    folder = make_edition(tmp_path, LIST_PAGE)
    out = str(tmp_path / "x.pdf")
    code, printed = run_cli(["build", folder, "-o", out])
    assert code == 0 and "warning[parity-figures]" in printed, printed
    hint = re.search(r"accept it on the list it is part of \(the `list:` of (\S+), line (\d+)\), as a key beside "
                     r"its other keys, not on the part: (parity: \{.*\})$", printed, re.MULTILINE)
    assert hint, printed
    page = os.path.join(folder, "p1.yaml")
    with open(page, encoding="utf-8") as f:
        lines = f.read().split("\n")
    number = int(hint.group(2))
    assert lines[number - 1].strip() == "items:"  # the list's first key stands on that line
    indent = lines[number - 1][:len(lines[number - 1]) - len(lines[number - 1].lstrip())]
    lines.insert(number - 1, indent + hint.group(3).replace("…", "checked with the office"))
    with open(page, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    code, printed = run_cli(["build", folder, "-o", out])
    assert code == 0 and "warning[parity" not in printed and " 0 warnings," in printed, printed


def test_one_warning_is_singular_and_a_failed_build_says_what_was_laid_out(tmp_path):
    folder = make_edition(tmp_path, LIST_PAGE)
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf")])
    summary = printed.strip().splitlines()[-1]
    assert ", 1 warning (1 parity-figures), " in summary and "1 page, " in summary, summary
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf"), "--strict"])
    summary = printed.strip().splitlines()[-1]
    assert code == 1 and "highlight: 1 page laid out, 0 written, 0 errors, 1 warning" in summary, summary
    assert summary.endswith("→ nothing written")


def _list_page(items: int) -> str:
    """Page 1 with a list of one-word items in its intro (each item the same height) and a heading below it."""
    rows = "".join(f'            - {{en: "Item {i}", zh: "項目{i}"}}\n' for i in range(items))
    return ('page: 1\ntemplate: p1\ntitle: {en: "Research Power", zh: "研究實力"}\nblocks:\n  - frame: intro\n'
            '    elements:\n      - list:\n          items:\n' + rows +
            '  - frame: discoveries-head\n    elements:\n      - heading: {en: "Discoveries", zh: "發現", level: 2}\n')


def _build_list(tmp_path, items: int) -> tuple[int, str]:
    folder = make_edition(tmp_path / str(items), _list_page(items))
    return run_cli(["build", folder, "-o", str(tmp_path / f"{items}.pdf")])


def test_the_overflow_hint_asks_for_enough_and_not_more_than_one_item_too_many(tmp_path):
    """24 items overflow the page; the hint names how much to take out. Taking out whole items until that much
    is gone gives a page that fits; one item fewer taken out does not (the amount is the page's, including the
    heading the list pushes off the page, not only the list's own overflow)."""
    def content_mm(printed: str) -> float:
        return float(re.search(r"frame 'intro' runs [0-9.]+ mm past the page's foot \(.*?; ([0-9.]+) mm of content",
                               printed).group(1))

    code, printed = _build_list(tmp_path, 24)
    assert code == 1, printed
    item_mm = content_mm(_build_list(tmp_path, 25)[1]) - content_mm(printed)
    need = float(re.search(r"hint: shorten the texts named by ([0-9.]+) mm", printed).group(1))
    assert "error[overflow]" in printed and "in -" not in printed
    taken = math.ceil(need / item_mm)
    assert _build_list(tmp_path, 24 - taken)[0] == 0  # doing what the hint says
    assert _build_list(tmp_path, 24 - taken + 1)[0] == 1  # and it asked for no more than needed


def test_no_message_gives_a_negative_size_and_a_pushed_frame_blames_the_frame_above(tmp_path):
    code, printed = _build_list(tmp_path, 40)
    assert code == 1
    assert not re.search(r"-\d+(\.\d+)? mm", printed), printed
    assert "frame 'discoveries-head' starts " in printed and "the frames above it overflow (intro)" in printed


def test_off_grid_lines_give_one_warning_a_page_and_none_when_the_build_said_why():
    from highlight.diagnostics import Diagnostics, SourceRef
    from highlight.typography import PageTypography, add_diagnostics

    class Line:
        ref = SourceRef("content/x/p1.yaml", 7, 3)

    page = PageTypography(1, off_grid=[(Line(), f"line {i}… 0.70 pt below a grid line") for i in range(64)])
    diags = Diagnostics()
    add_diagnostics([page], diags)
    off = [d for d in diags.items if d.code == "typo-off-grid"]
    assert len(off) == 1 and "and 63 more lines of the page" in off[0].message
    told = Diagnostics()
    told.warning("off-grid", "the page is 0.7 mm too full for its frames to start on the baseline grid", page=1)
    add_diagnostics([page], told)
    assert [d.code for d in told.items] == ["off-grid"]


@pytest.mark.slow  # up to a dozen builds of the leaflet
def test_a_page_a_little_too_full_for_the_grid_gets_one_off_grid_warning_not_one_a_line(tmp_path):
    """The issue's case, for real: panels padded a little more (the edition's own layout) leave a page a
    fraction of a millimetre too full for its frames to start on the grid. The build says so once, with the
    cause; the report adds no warning per line (it added 94 on page 5 at 4.15 mm, where the build said 0.8 mm)."""
    project = copy_project(tmp_path / "project")
    folder = project / "content" / "2022-23"
    (folder / "layout").mkdir()
    # (since the pages' third round a page a little too full steps its figures, recomposes, or closes the floor
    # between its blocks as a last resort before it leaves the grid: the edition's layout keeps that floor, and
    # its bottom margin, not its panels' padding, makes a page a little too full)
    # (since the designer's fourth review a page's last resort first closes its held section steps: the edition
    # holds none, fixed_steps: [], and page 4 leaves the grid at a bottom margin near 24 mm)
    # (since issue 22's twelfth round the pages hold more before they leave the grid: page 7 at a bottom margin of
    # 36.4 mm, where 23.5-32 mm left every page on it)
    for step in range(300, 401):  # a bottom margin of 30.0 … 40.0 mm
        (folder / "layout" / "page.yaml").write_text(
            f"margins_mm:\n  bottom: {step / 10:g}\ntypography:\n  last_block_gap_mm: 5\nfixed_steps: []\n",
            encoding="utf-8")
        code, printed = run_cli(["build", str(folder), "-o", str(tmp_path / "x.pdf"), "--report", "-v"])
        pages = re.findall(r"warning\[off-grid\]: page (\d+): the page is ([0-9.]+) mm too full", printed)
        if pages:
            break
    else:
        raise AssertionError("no bottom margin from 30 to 40 mm made a page off the grid: choose another case")
    assert code == 0, printed
    typo = re.findall(r"warning\[typo-off-grid\]: page (\d+):", printed)
    assert not set(typo) & {page for page, _ in pages}, printed  # the page's cause said once, by the build
    assert len(typo) == len(set(typo)), typo  # any other page: one warning, not one a line
