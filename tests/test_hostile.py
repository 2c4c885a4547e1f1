"""Hostile input, paths and resources (issue 15): every attack is refused safely and no file is lost.

Each test makes a copy of the project (sharing the set-up cache by a link),
puts a previous PDF in place, attacks it one way, and checks the same five
things: the exit code, a located message with a hint, no traceback or
"internal error", the previous PDF (and every input file) unchanged, and
nothing written outside the project (a listing of the folder around it,
before and after). The classes follow the issue: outputs, inputs, caches,
signals, limits, values, fonts.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil

import pytest

from highlight.cli import main

from conftest import ROOT, copy_project

PAGE = ('page: 1\ntemplate: p1\ntitle: {en: "Research Power", zh: "研究實力"}\nblocks:\n  - frame: intro\n'
        '    elements:\n      - paragraph: {en: "Sports science", zh: "運動科學"}\n')
EDITION = 'edition: "case"\ntitle: {en: "Test", zh: "測試"}\ndate: "2023-06-30"\npages: [p1.yaml]\n'
PREVIOUS = b"%PDF- the previous build\n%%EOF\n"
CASE = os.path.join("content", "case")
PAGE_FILE = os.path.join(CASE, "p1.yaml")


@pytest.fixture
def project(tmp_path):
    """A copy of the project with a one-page edition content/case and a previous PDF of it."""
    proj = tmp_path / "proj"
    copy_project(str(proj), ("layout", "fonts", "profiles"))
    (proj / CASE).mkdir(parents=True)
    (proj / CASE / "edition.yaml").write_text(EDITION, encoding="utf-8")
    (proj / PAGE_FILE).write_text(PAGE, encoding="utf-8")
    (proj / "out").mkdir()
    (proj / "out" / "highlights-case.pdf").write_bytes(PREVIOUS)
    return proj


def _outside(proj) -> dict:
    """Every path around the project (its parent folder, recursively, the project itself left out)."""
    parent = os.path.dirname(str(proj))
    found = {}
    for folder, dirs, files in os.walk(parent):
        if folder == parent:
            dirs[:] = [d for d in dirs if os.path.join(folder, d) != str(proj)]
        for name in dirs + files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            found[os.path.relpath(path, parent)] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return found


def _inputs(proj) -> dict:
    """The bytes of every input file of the project (content, layout, fonts, profiles)."""
    digests = {}
    for part in ("content", "layout", "fonts", "profiles"):
        for folder, _, files in os.walk(proj / part):
            for name in files:
                path = os.path.join(folder, name)
                if os.path.isfile(path) and not os.path.islink(path):
                    with open(path, "rb") as f:
                        digests[path] = hashlib.sha256(f.read()).hexdigest()
    return digests


def run(proj, argv: list[str]) -> tuple[int, str]:
    """`highlight argv` in the project folder; (exit code, everything printed)."""
    printed = io.StringIO()
    cwd = os.getcwd()
    os.chdir(proj)
    try:
        with contextlib.redirect_stderr(printed), contextlib.redirect_stdout(printed):
            code = main(argv)
    finally:
        os.chdir(cwd)
    return code, printed.getvalue()


def attack(proj, argv: list[str], code: int, *patterns: str, hint: bool = True) -> str:
    """Run an attack and check the five things every refusal must hold; return what was printed."""
    outside, inputs = _outside(proj), _inputs(proj)
    got, printed = run(proj, argv)
    assert got == code, printed
    for pattern in patterns:
        assert re.search(pattern, printed, re.M), f"missing /{pattern}/ in:\n{printed}"
    assert "Traceback" not in printed and "internal error" not in printed, printed
    if hint:
        assert "hint:" in printed, printed
    assert (proj / "out" / "highlights-case.pdf").read_bytes() == PREVIOUS
    assert _inputs(proj) == inputs
    assert _outside(proj) == outside
    assert not [n for n in os.listdir(proj / "out") if n.endswith(".tmp")]
    return printed


def build(*extra: str) -> list[str]:
    return ["build", CASE, *extra]


# -- 1. outputs only where outputs belong --------------------------------------------------------------

@pytest.mark.parametrize("target, why", [
    (PAGE_FILE, "an input of this run"),
    (os.path.join("content", "case", "new.pdf"), "an input of this run"),
    (os.path.join("fonts", "fonts.yaml"), "inside fonts/"),
    (os.path.join("layout", "page.yaml"), "inside layout/"),
    (os.path.join("profiles", "profiles.yaml"), "inside profiles/"),
    (os.path.join(".cache", "fonts", "cjk-bold.ttf"), r"inside \.cache/"),
    (os.path.join(".cache", "lines", "x.pdf"), r"inside \.cache/"),
    ("out", "is a directory"),
    ("/dev/null", "not a regular file"),
])
def test_an_output_that_is_an_input_a_folder_or_a_device_is_refused(project, target, why):
    attack(project, build("-o", target), 2, rf"^{re.escape(target)}: error\[output-refused\]: .*{why}")


def test_an_output_that_is_a_fifo_is_refused_without_hanging(project):
    os.mkfifo(project / "out" / "pipe.pdf")
    attack(project, build("-o", "out/pipe.pdf"), 2, r"out/pipe.pdf: error\[output-refused\]: .*FIFO")


def test_an_output_that_is_a_symlink_is_refused_and_its_target_kept(project, tmp_path):
    secret = tmp_path / "precious.txt"
    secret.write_text("keep me")
    os.symlink(secret, project / "out" / "link.pdf")
    attack(project, build("-o", "out/link.pdf"), 2, r"out/link.pdf: error\[output-refused\]: .*symbolic link")
    assert secret.read_text() == "keep me"


def test_an_output_that_exists_and_is_not_a_pdf_is_kept(project):
    (project / "notes.txt").write_text("a week of notes")
    attack(project, build("-o", "notes.txt"), 2, r"notes.txt: error\[output-refused\]: .*not a file this command")
    assert (project / "notes.txt").read_text() == "a week of notes"


@pytest.mark.parametrize("name", ["a/../../../x", "../escape", "/abs", "x\x1b[2Jy", ".hidden", "a b"])
def test_an_edition_name_that_is_not_a_plain_name_is_refused(project, name):
    (project / CASE / "edition.yaml").write_text(EDITION.replace('"case"', '"' + name.replace("\x1b", "\\e") + '"'),
                                                 encoding="utf-8")
    printed = attack(project, build(), 1, r"content/case/edition.yaml:1:\d+ \(edition\): error\[bad-edition-name\]")
    assert "\x1b" not in printed


def test_a_face_name_that_climbs_out_of_the_cache_is_refused(project):
    manifest = project / "fonts" / "fonts.yaml"
    text = manifest.read_text(encoding="utf-8").replace("  cjk-bold:\n", '  "../../../evil":\n')
    manifest.write_text(text.replace("bold: cjk-bold}", 'bold: "../../../evil"}'), encoding="utf-8")
    attack(project, build(), 2, r"fonts/fonts.yaml:\d+:\d+ \(faces\.\.\./\.\./\.\./evil\): error\[bad-name\]")


def test_schema_out_an_existing_file_or_an_input_folder_is_refused(project):
    (project / "schema.txt").write_text("mine")
    attack(project, ["schema", "--out", "schema.txt"], 2, r"schema.txt: error\[output-refused\]: .*not a folder")
    attack(project, ["schema", "--out", "layout"], 2, r"layout: error\[output-refused\]: .*inside layout/")
    assert not (project / "layout" / "content.schema.json").exists()


def test_diff_pictures_into_an_input_folder_are_refused(project):
    (project / "out" / "a.pdf").write_bytes(PREVIOUS)
    attack(project, ["diff", "out/a.pdf", "out/a.pdf", "--out", "content/case"], 2,
           r"content/case: error\[output-refused\]: .*inside content/")


@pytest.mark.parametrize("name", ["../outside", "a/b", "..", "x:y", "2023\x00"])
def test_new_refuses_an_edition_name_that_is_not_plain(project, name):
    attack(project, ["new", name, "--from", "case"], 2, r"error\[bad-edition-name\]")
    assert sorted(os.listdir(project / "content")) == ["case"]
