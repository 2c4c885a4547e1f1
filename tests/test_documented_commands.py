"""Every shell command in README.md, CONTRIBUTING.md and docs/*.md runs as written (issues 18 and 26).

Each document's ```sh blocks are run in order, line by line, in a fresh copy of the project (content,
layout, fonts, profiles, the copy deck in tests/fixtures; the set-up cache and .venv linked, as `make`
left them), so a command that needs an earlier one (`new`, then `build content/2023-24`) finds it. A
command is run as its words are written (no shell), its comment dropped. The few that cannot run here
are listed below with the reason; everything else must exit with the code the document implies. A command
written `highlight …` (as the office guide writes it, for an installed highlight) runs this environment's.
"""
from __future__ import annotations

import glob
import os
import shlex
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, copy_project

pytestmark = pytest.mark.slow

# Commands (their first words) not run here, and why.
SKIPPED = {
    "make": "the set-up itself: this test runs inside `make test`, on what `make` set up",
    "make test": "runs the test suite this test is part of",
    "make lint": "run by `make test` before the tests",
    "make bench": "the speed table: minutes of builds (bench/bench.py, run by hand)",
    "make expected": "rewrites tests/expected/ (tests/test_expected.py makes the same dumps and compares)",
    ".venv/bin/python -m pytest": "runs the test suite this test is part of",
    ".venv/bin/highlight watch": "runs until Ctrl-C (tests/test_cli.py runs it with --max-builds)",
    ".venv/bin/highlight serve": "runs until Ctrl-C (tests/test_serve.py runs it in a browser)",
    ".venv/bin/highlight check out/highlights-2023-24.pdf --source copy-deck-2023-24.txt":
        "next year's copy deck is sent by the office; the 2022-23 one is checked in the same document",
    "highlight serve": "runs until Ctrl-C (tests/test_serve.py runs it in a browser)",
    "highlight check out/highlights-2023-24.pdf --source copy-deck-2023-24.txt":
        "next year's copy deck is sent by the office; tests/test_check.py checks one",
}
# Commands that are meant to exit non-zero, as the document says.
EXIT_CODES = {
    ".venv/bin/highlight build content/2022-23 --strict": 1,  # "warnings fail the build too": it has 7
    ".venv/bin/highlight build content/2022-23 --final": 1,  # "a QR placeholder is an error": it has 6
    "highlight build content/2023-24 --final": 1,  # the office guide: refused until every review: true is gone
}


def documents() -> list[str]:
    return ["README.md", "CONTRIBUTING.md", *sorted(os.path.relpath(p, ROOT)
                                                    for p in glob.glob(os.path.join(ROOT, "docs", "*.md")))]


def shell_commands(path: str) -> list[str]:
    """The commands of the document's sh blocks, each as its words (comments dropped), in order."""
    import re

    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        text = f.read()
    commands = []
    for block in re.findall(r"```(?:sh|bash|shell)\n(.*?)```", text, re.DOTALL):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words:
                commands.append(shlex.join(words))
    return commands


def _skipped(command: str) -> str | None:
    matches = [prefix for prefix in SKIPPED if command == prefix or command.startswith(prefix + " ")]
    return SKIPPED[max(matches, key=len)] if matches else None


def test_the_documents_have_commands_and_every_skip_is_still_there():
    every = [c for d in documents() for c in shell_commands(d)]
    assert len(every) > 25, every
    unused = [s for s in SKIPPED if not any(c == s or c.startswith(s + " ") for c in every)]
    assert not unused, f"skips for commands no document has any more: {unused}"
    assert all(c in every for c in EXIT_CODES)


@pytest.mark.parametrize("document", [d for d in documents() if shell_commands(d)])
def test_every_documented_command_runs(document, tmp_path):
    commands = shell_commands(document)
    project = copy_project(tmp_path / "project")
    shutil.copytree(os.path.join(ROOT, "tests", "fixtures"), project / "tests" / "fixtures")
    os.symlink(sys.prefix, project / ".venv")  # the environment `make` made: .venv/bin/highlight as written
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    ran, failed = 0, []
    for command in commands:
        if _skipped(command):
            continue
        words = shlex.split(command)
        if words[0] == "highlight":  # the command as pip installs it (the office guide): this environment's
            words[0] = os.path.join(os.path.dirname(sys.executable), "highlight")
        done = subprocess.run(words, cwd=project, env=env, capture_output=True, text=True,
                              timeout=300)
        ran += 1
        if done.returncode != EXIT_CODES.get(command, 0):
            failed.append(f"{command}\n  exit {done.returncode}\n{done.stdout[-1500:]}{done.stderr[-1500:]}")
    assert not failed, f"{document}: commands that do not run as written:\n" + "\n".join(failed)
    assert ran or all(_skipped(c) for c in commands)
