"""Property (issue 27): whatever is typed on the command line, no command prints a traceback or an
internal error, and every line it prints is one line of ours (user text escaped, never a forged line).

Hypothesis picks a command and puts a hostile value where a path, a name or a page selection goes: control,
separator and bidi characters, a newline with a forged summary after it, '..', a folder where a file is
expected, a binary file, a device, a very long name. The command must answer with exit code 0, 1 or 2.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import shutil

import pytest
from conftest import PAGE, make_edition
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from highlight.cli import main

FORGED = "\nhighlight: 8 pages, 4 fonts, 0 errors, 0 warnings, 0.01 s → out/highlights-2022-23.pdf\x1b[8m"
VALUES = ["content/case", "content", "out/case.pdf", "deck.bin", "deck.txt", "/dev/null", "/nonexistent/x.pdf", "..",
          "../x", "content/../content/case", "-", "1,3-4", "0", "99999999999999999999", "x" * 5000, "",
          "年報 2023 edition", "CON", "a\x00b", "a\u202eb", "a\u2028b", "a\rb", "x" + FORGED, "content/case" + FORGED,
          "out/x.pdf" + FORGED, "1" + FORGED]
CHARS = st.sampled_from(["\x1b", "\n", "\r", "\u202e", "\u2066", "\u2028", "\x85", "\x00", "\ud800", "/", "..",
                         "年", " ", ",", "-", "1", "a", "%", "::"])
VALUE = st.sampled_from(VALUES) | st.lists(CHARS, min_size=1, max_size=12).map("".join)
COMMANDS = [
    lambda v: ["build", v],
    lambda v: ["build", "content/case", "-o", v],
    lambda v: ["build", "content/case", "--format", "github", "-o", v],
    lambda v: ["check", v],
    lambda v: ["check", "--json", v],
    lambda v: ["check", "out/case.pdf", "--source", v],
    lambda v: ["check", v, "--source", "deck.txt"],
    lambda v: ["proof", "content/case", "--pages", v, "--dpi", "36"],
    lambda v: ["proof", v, "--dpi", "36"],
    lambda v: ["preflight", v],
    lambda v: ["diff", v, "out/case.pdf", "--out", "out/diff"],
    lambda v: ["new", "--from", "case", "--", v],
    lambda v: ["new", "next", "--from", v],
    lambda v: ["schema", "--out", v],
    lambda v: ["serve", v + "-not-an-edition", "--port", "0"],  # (a real edition would serve until stopped)
]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli-property")
    make_edition(root, PAGE)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        code, printed = _run(["build", "content/case", "-o", "out/case.pdf"])
        assert code == 0, printed
        with open("deck.txt", "w", encoding="utf-8") as f:
            f.write("Sports science\n運動科學\n")
        with open("deck.bin", "wb") as f:
            f.write(bytes(range(256)) * 8)
        yield root
    finally:
        os.chdir(cwd)


def _run(argv: list[str]) -> tuple[int, str]:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse refusing the command line
            code = exc.code if isinstance(exc.code, int) else 2
    return code, printed.getvalue()


def _tidy(root) -> None:
    """Back to the project as the fixture made it (a `new` or an output of an example removed)."""
    for name in os.listdir(root / "content"):
        if name != "case":
            shutil.rmtree(root / "content" / name, ignore_errors=True)
    for name in os.listdir(root / "out"):
        if name != "case.pdf":
            path = root / "out" / name
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    for name in os.listdir(root):
        if name not in ("content", "out", "layout", "fonts", "profiles", ".cache", "deck.txt", "deck.bin"):
            path = root / name
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()


@pytest.mark.slow
@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow,
                                                                                  HealthCheck.function_scoped_fixture])
@given(st.sampled_from(COMMANDS), VALUE)
def test_no_command_prints_a_traceback_or_a_forged_line_whatever_is_typed(project, command, value):
    argv = command(value)
    try:
        code, printed = _run(argv)
    finally:
        _tidy(project)
    assert code in (0, 1, 2), (argv, printed)
    assert "Traceback" not in printed and "internal error" not in printed, (argv, printed)
    assert "\x1b" not in printed and "\r" not in printed and "\u202e" not in printed, (argv, printed)
    assert not re.search(r"^highlight: 8 pages", printed, re.MULTILINE), (argv, printed)
