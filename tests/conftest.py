"""Shared fixtures: the real 2022-23 edition, built once per test session."""
from __future__ import annotations

import contextlib
import io
import os
import re
import unicodedata

import pytest

from highlight.build import BuildOptions, build
from highlight.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EDITION = os.path.join(ROOT, "content", "2022-23")
SOURCE = os.path.join(ROOT, "tests", "fixtures", "source-2022-23.txt")


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


def copy_project(target, parts=PROJECT_PARTS, cache: bool = True):
    """A copy of the project's data under `target` (of content/, 2022-23 only), sharing the set-up cache
    (fonts, profile) by a link, so a test can change files without touching the repository. Returns `target`."""
    import shutil

    for name in parts:
        shutil.copytree(os.path.join(ROOT, name), os.path.join(target, name), dirs_exist_ok=True)
    if cache:
        os.symlink(os.path.join(ROOT, ".cache"), os.path.join(target, ".cache"))
    return target


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
