"""Editions side by side: next year's and a third beside 2022-23 change nothing of 2022-23 (issue 14).

The office keeps every year's folder in content/; a build, a check or a test of one edition must not
depend on which others are there.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from conftest import ROOT, copy_project, run_cli


def _third_edition(project, name: str) -> str:
    """tests/fixtures/edition-b as content/<name>: a different edition on the same layout."""
    folder = os.path.join(project, "content", name)
    shutil.copytree(os.path.join(ROOT, "tests", "fixtures", "edition-b"), folder)
    path = os.path.join(folder, "edition.yaml")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(re.sub(r'^edition: .*$', f'edition: "{name}"', text, count=1, flags=re.MULTILINE))
    return folder


def test_two_more_editions_beside_2022_23_build_each_to_its_own_pdf(tmp_path, monkeypatch, built):
    project = copy_project(tmp_path)
    monkeypatch.chdir(project)
    assert run_cli(["new", "2023-24", "--from", "2022-23"])[0] == 0
    _third_edition(str(project), "2024-25")
    assert sorted(os.listdir(project / "content")) == ["2022-23", "2023-24", "2024-25"]
    # (edition-b overflows one frame in both languages on the stock layout: its English variant fits.)
    for name, extra, pdf in (("2022-23", [], "2022-23"), ("2023-24", [], "2023-24"),
                             ("2024-25", ["--lang", "en"], "2024-25-en")):
        code, printed = run_cli(["build", f"content/{name}", *extra])
        assert code == 0, printed
        assert printed.splitlines()[-1].endswith(f"out/highlights-{pdf}.pdf")
    # 2022-23 is the very PDF it is when built alone (the session fixture, built in the repository).
    assert (project / "out" / "highlights-2022-23.pdf").read_bytes() == Path(built[1]).read_bytes()
    code, printed = run_cli(["check", "content/2022-23"])
    assert code == 0, printed
