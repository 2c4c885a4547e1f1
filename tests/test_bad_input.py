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

from highlight.cli import main

from conftest import ROOT

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
