"""Bad content gets a located, actionable message and a non-zero exit, never a traceback.

Each folder under tests/cases/bad/ is a small edition with one mistake;
`expected.txt` beside it holds the exit code and the lines the build must
print (checked by eye; regenerate with UPDATE_REFS=1 and review the diff).
"""
from __future__ import annotations

import contextlib
import io
import os

import pytest
from conftest import PAGE, ROOT, make_edition, run_cli

from highlight.cli import main

CASES = os.path.join(ROOT, "tests", "cases", "bad")


def run_build(case: str, output: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["build", os.path.relpath(os.path.join(CASES, case), ROOT), "-o", output])
    return code, err.getvalue()


@pytest.mark.parametrize("case", sorted(os.listdir(CASES)))
def test_bad_case(case, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    output = tmp_path / "out.pdf"
    output.write_bytes(b"%PDF- the last good build")
    code, printed = run_build(case, str(output))
    expected_path = os.path.join(CASES, case, "expected.txt")
    lines = [ln for ln in printed.splitlines() if ln.startswith(("tests/", "layout/"))]
    if os.environ.get("UPDATE_REFS"):
        with open(expected_path, "w", encoding="utf-8") as f:
            f.write(f"exit: {code}\n" + "\n".join(lines) + "\n")
    with open(expected_path, encoding="utf-8") as f:
        exit_line, *wanted = f.read().splitlines()
    assert code == int(exit_line.split(":")[1]), printed
    for line in wanted:
        assert line in printed.splitlines(), f"missing: {line}\n--- printed:\n{printed}"
    assert "Traceback" not in printed
    assert "  hint: " in printed  # every case tells the user what to do
    # A failed build leaves the previous PDF exactly as it was, and no temporary file beside it.
    assert output.read_bytes() == b"%PDF- the last good build"
    assert sorted(os.listdir(tmp_path)) == ["out.pdf"]


GOOD = os.path.join(ROOT, "tests", "cases", "good")


@pytest.mark.parametrize("case", sorted(os.listdir(GOOD)))
def test_good_case_builds(case, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["build", os.path.relpath(os.path.join(GOOD, case), ROOT), "-o", str(tmp_path / "x.pdf")])
    assert code == 0, err.getvalue()
    assert (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF-")


def test_a_huge_file_is_refused_at_once(tmp_path):
    import time

    folder = make_edition(tmp_path, PAGE + "# " + "x" * 2_000_000 + "\n")
    started = time.perf_counter()
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf")])
    assert time.perf_counter() - started < 1.0
    assert code == 2 and "error[file-too-large]" in printed and "p1.yaml" in printed


def test_a_billion_laughs_is_refused_within_a_second(tmp_path):
    import time

    bomb = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9) if i else 'lol'}]\n" for i in range(12))
    folder = make_edition(tmp_path, bomb)
    started = time.perf_counter()
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf")])
    assert time.perf_counter() - started < 1.0
    assert code == 1 and "error[yaml-alias]" in printed


def test_a_page_file_that_is_a_symlink_out_of_the_folder_is_refused(tmp_path):
    folder = make_edition(tmp_path, PAGE)
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(PAGE, encoding="utf-8")
    os.unlink(os.path.join(folder, "p1.yaml"))
    os.symlink(outside, os.path.join(folder, "p1.yaml"))
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf")])
    assert code == 1 and "error[path-escape]" in printed


def test_output_path_that_is_a_directory(tmp_path):
    folder = make_edition(tmp_path, PAGE)
    (tmp_path / "out.pdf").mkdir()
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "out.pdf")])
    assert code == 2 and "error[output-refused]" in printed and "is a directory" in printed and "Traceback" not in printed


def test_output_folder_that_cannot_be_made(tmp_path):
    folder = make_edition(tmp_path, PAGE)
    (tmp_path / "afile").write_text("not a folder")
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "afile" / "x.pdf")])
    assert code == 2 and "error[output-unwritable]" in printed


def test_a_full_disk_keeps_the_previous_pdf_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    import errno

    import highlight.atomic

    folder = make_edition(tmp_path, PAGE)
    target = tmp_path / "out" / "x.pdf"
    target.parent.mkdir()
    target.write_bytes(b"%PDF- previous")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(highlight.atomic.os, "fsync", full)
    code, printed = run_cli(["build", folder, "-o", str(target)])
    assert code == 2 and "No space left on device" in printed and "error[output-write]" in printed
    assert target.read_bytes() == b"%PDF- previous"
    assert os.listdir(target.parent) == ["x.pdf"]


def test_ctrl_c_during_a_build_keeps_the_previous_pdf(tmp_path, monkeypatch):
    import highlight.atomic

    folder = make_edition(tmp_path, PAGE)
    target = tmp_path / "x.pdf"
    target.write_bytes(b"%PDF- previous")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(highlight.atomic.os, "fsync", interrupted)
    code, printed = run_cli(["build", folder, "-o", str(target)])
    assert code == 130 and "interrupted" in printed
    assert target.read_bytes() == b"%PDF- previous"
    assert sorted(os.listdir(tmp_path)) == sorted(["x.pdf", "layout", "fonts", "profiles", ".cache", "content"])


def test_an_internal_error_is_one_line_and_debug_shows_the_traceback(tmp_path, monkeypatch):
    import importlib

    build_module = importlib.import_module("highlight.build")  # `highlight.build` is also the function
    folder = make_edition(tmp_path, PAGE)

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(build_module, "check_safe_area", broken)
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf")])
    # 3, not 2: a bug of ours is not the user's unusable input (README, exit codes)
    assert code == 3 and "internal error: ZeroDivisionError: a bug" in printed and "Traceback" not in printed
    code, printed = run_cli(["--debug", "build", folder, "-o", str(tmp_path / "x.pdf")])
    assert code == 3 and "Traceback" in printed
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf"), "--debug"])  # after the command too
    assert code == 3 and "Traceback" in printed
