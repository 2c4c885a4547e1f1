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
from typing import ClassVar

import pytest
from conftest import ROOT, copy_project

from highlight.cli import main

PAGE = ('page: 1\ntemplate: p1\ntitle: {en: "Research Power", zh: "研究實力"}\nblocks:\n  - frame: intro\n'
        '    elements:\n      - paragraph: {en: "Sports science", zh: "運動科學"}\n')
EDITION = 'edition: "case"\ntitle: {en: "Test", zh: "測試"}\ndate: "2023-06-30"\npages: [p1.yaml]\n'
PREVIOUS = b"%PDF- the previous build\n%%EOF\n"
CASE = os.path.join("content", "case")
PAGE_FILE = os.path.join(CASE, "p1.yaml")


def _own_cache(proj) -> None:
    """A .cache of the copy's own: its set-up files are hard links and its folders links to the shared ones,
    so an attack that got through (run against old code) replaces the copy's entries, never the shared cache."""
    os.unlink(proj / ".cache")
    shared = os.path.join(ROOT, ".cache")
    (proj / ".cache" / "fonts").mkdir(parents=True)
    (proj / ".cache" / "lines").mkdir()
    os.symlink(os.path.join(shared, "profiles"), proj / ".cache" / "profiles")
    for name in os.listdir(os.path.join(shared, "fonts")):
        source = os.path.join(shared, "fonts", name)
        if os.path.isdir(source):
            os.symlink(source, proj / ".cache" / "fonts" / name)
        else:
            os.link(source, proj / ".cache" / "fonts" / name)


@pytest.fixture
def project(tmp_path):
    """A copy of the project with a one-page edition content/case and a previous PDF of it."""
    proj = tmp_path / "proj"
    copy_project(str(proj), ("layout", "fonts", "profiles"))
    _own_cache(proj)
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
        assert re.search(pattern, printed, re.MULTILINE), f"missing /{pattern}/ in:\n{printed}"
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
])
def test_an_output_that_is_an_input_a_folder_or_a_device_is_refused(project, target, why):
    attack(project, build("-o", target), 2, rf"^{re.escape(target)}: error\[output-refused\]: .*{why}")


def test_an_output_that_is_a_fifo_is_refused_without_hanging(project):
    os.mkfifo(project / "out" / "pipe.pdf")
    attack(project, build("-o", "out/pipe.pdf"), 2, r"out/pipe.pdf: error\[output-refused\]: .*FIFO")


def test_an_output_that_is_a_socket_is_refused(project):
    import socket

    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(project / "out" / "socket.pdf"))
        attack(project, build("-o", "out/socket.pdf"), 2, r"out/socket.pdf: error\[output-refused\]: .*socket")
    # (Not /dev/null itself: run as root against the old code, that test replaced the machine's /dev/null.)


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


@pytest.mark.parametrize("name", ["a/../../../x", "../escape", "/abs", "x\x1b[2Jy", ".hidden", "-x", "CON", "nul.txt"])
def test_an_edition_name_that_is_not_a_plain_name_is_refused(project, name):
    (project / CASE / "edition.yaml").write_text(EDITION.replace('"case"', '"' + name.replace("\x1b", "\\e") + '"'),
                                                 encoding="utf-8")
    printed = attack(project, build(), 1, r"content/case/edition.yaml:1:\d+ \(edition\): error\[bad-(edition-name|character)\]")
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
    attack(project, ["new", name, "--from", "case"], 2, r"error\[bad-(edition-name|argument)\]")  # (a NUL: bad-argument)
    assert sorted(os.listdir(project / "content")) == ["case"]


# -- 2. inputs only from the project -------------------------------------------------------------------

SECRET = "password: hunter2-do-not-show"


def _secret(tmp_path) -> str:
    path = tmp_path / "secret.yaml"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("name", [os.path.join(CASE, "edition.yaml"), os.path.join("layout", "page.yaml"),
                                  os.path.join("layout", "styles.yaml"), os.path.join("fonts", "fonts.yaml"),
                                  os.path.join("profiles", "profiles.yaml")])
def test_an_input_linked_to_a_file_outside_the_project_is_refused_unread(project, tmp_path, name):
    os.unlink(project / name)
    os.symlink(_secret(tmp_path), project / name)
    printed = attack(project, build(), 2, rf"^{re.escape(name)}: error\[input-refused\]: .*outside the project")
    assert "hunter2" not in printed


def test_a_page_linked_out_of_its_folder_is_refused_unread(project, tmp_path):
    os.unlink(project / PAGE_FILE)
    os.symlink(_secret(tmp_path), project / PAGE_FILE)
    printed = attack(project, build(), 1, r"content/case/edition.yaml:4:9 \(pages\[0\]\): error\[path-escape\]")
    assert "hunter2" not in printed


@pytest.mark.parametrize("name", [PAGE_FILE, os.path.join("layout", "templates.yaml")])
def test_a_fifo_or_a_folder_as_an_input_is_refused_without_hanging(project, name):
    os.unlink(project / name)
    os.mkfifo(project / name)
    attack(project, build(), 2, rf"{re.escape(name)}: error\[input-refused\]: .*not a regular file")
    os.unlink(project / name)
    os.mkdir(project / name)
    attack(project, build(), 2, rf"{re.escape(name)}: error\[input-refused\]: .*not a regular file")


@pytest.mark.parametrize("argv", [["check", CASE, "out/pipe"], ["preflight", "out/pipe"], ["diff", "out/pipe", "out/pipe"],
                                  ["check", "--source", "out/pipe", "out/highlights-case.pdf"],
                                  ["preflight", "out/folder.pdf"]])
def test_a_pdf_or_copy_deck_that_is_not_a_regular_file_is_refused_unopened(project, argv):
    os.mkfifo(project / "out" / "pipe")
    os.mkdir(project / "out" / "folder.pdf")
    attack(project, argv, 2, r"(out/pipe|out/folder.pdf): .*not a regular file")


@pytest.mark.parametrize("url", ["file:///dev/zero", "http://registry.npmjs.org/x.tgz", "ftp://example.org/x.tgz",
                                 "https://example.org/../../x", "https://example.org/a b.tgz"])
def test_a_font_source_that_is_not_a_plain_https_address_is_refused(project, url, monkeypatch):
    from highlight import fonts

    monkeypatch.setattr(fonts, "_download", lambda *a: pytest.fail("nothing may be fetched"))
    manifest = project / "fonts" / "fonts.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(re.sub(r'url: "[^"]*noto-sans-0.4.2.tgz"', f'url: "{url}"', text), encoding="utf-8")
    attack(project, ["fonts"], 2, r"fonts/fonts.yaml:\d+:\d+ \(sources.noto-sans\): error\[font-url\]")


def test_a_download_larger_than_the_cap_is_stopped_and_nothing_written(project, monkeypatch):
    import urllib.request

    from highlight import fonts

    class Endless:
        headers: ClassVar[dict] = {}
        sent = 0

        def read(self, size):
            self.sent += size
            return b"\0" * size

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    stream = Endless()
    monkeypatch.setattr(fonts, "MAX_DOWNLOAD_BYTES", 3 * 2**20)
    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: stream)
    shutil.rmtree(project / ".cache")  # an empty cache: every face must be fetched
    printed = attack(project, ["fonts"], 2, r"fonts/fonts.yaml:\d+:\d+ \(sources.noto-sans\): error\[font-download\]: "
                     r".*larger than 3 MiB")
    assert stream.sent <= 2 * 4 * 2**20 and not os.path.exists(project / ".cache" / "fonts" / "downloads"), printed


# -- 3. no code from caches ----------------------------------------------------------------------------

def _own_line_store(project) -> str:
    """The path of content/case's line store in the copy's own .cache/lines."""
    from highlight import linestore

    return linestore.store_path(str(project), str(project / CASE), False)


class _Planted:
    """A pickle that would create a file (and fail the test) if anything unpickled it."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


@pytest.mark.parametrize("damage", ["pickle", "pickle-old-name", "truncated", "wrong-format", "wrong-types",
                                    "fifo", "link-to-zero", "nested"])
def test_a_damaged_or_planted_line_store_is_ignored_and_never_executed(project, tmp_path, damage):
    import json
    import pickle

    store = _own_line_store(project)
    code, printed = run(project, build("-o", "out/clean.pdf"))
    assert code == 0 and os.path.exists(store), printed
    clean = (project / "out" / "clean.pdf").read_bytes()
    proof = tmp_path / "pwned"
    os.unlink(store)
    if damage.startswith("pickle"):
        target = store if damage == "pickle" else store[:-len(".json")] + ".pickle"
        with open(target, "wb") as f:
            pickle.dump(_Planted(str(proof)), f)
    elif damage == "truncated":
        with open(store, "w") as f:
            f.write('{"format": "highlight-lines/1", "colours": [], "lines": {"ab')
    elif damage == "wrong-format":
        with open(store, "w") as f:
            json.dump({"format": "highlight-lines/0", "colours": [], "lines": {}}, f)
    elif damage == "wrong-types":
        with open(store, "w") as f:
            json.dump({"format": "highlight-lines/1", "colours": [[["x", 1, 1, ""], [0, 0, 0, 100], None]],
                       "lines": {"0" * 32: [[{"__class__": "os.system"}, "rm -rf /"]]}}, f)
    elif damage == "fifo":
        os.mkfifo(store)
    elif damage == "link-to-zero":
        os.symlink("/dev/zero", store)
    elif damage == "nested":
        with open(store, "w") as f:
            f.write('{"format": "highlight-lines/1", "colours": [], "lines": {"a": ' + "[" * 100000 + "]" * 100000 + "}}")
    code, printed = run(project, build("-o", "out/again.pdf"))
    assert code == 0 and "Traceback" not in printed, printed
    assert (project / "out" / "again.pdf").read_bytes() == clean
    assert not proof.exists()
    assert (project / "out" / "highlights-case.pdf").read_bytes() == PREVIOUS


def test_the_line_store_is_plain_json_without_code(project):
    import json

    store = _own_line_store(project)
    assert run(project, build("-o", "out/x.pdf"))[0] == 0
    with open(store, encoding="utf-8") as f:
        document = json.load(f)
    assert document["format"] == "highlight-lines/1" and document["lines"]
    assert not [n for n in os.listdir(project / ".cache" / "lines") if n.endswith(".pickle")]


# -- 4. signals and stale temporary files ---------------------------------------------------------------

# The child gets Ctrl-C as a terminal gives it: a shell that runs `make test` as a background job starts it
# with SIGINT ignored, which Python keeps (and so would highlight, rightly); here SIGINT is restored first.
SLOW_WRITE = """
import signal, sys, time
import highlight.atomic
from highlight.cli import main

signal.signal(signal.SIGINT, signal.default_int_handler)

def slow_fsync(fd):
    print("writing", flush=True)
    time.sleep(60)

highlight.atomic.os.fsync = slow_fsync
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_during_the_write_removes_the_temporary_file_and_keeps_the_pdf(project, signame):
    import signal
    import subprocess
    import sys

    outside = _outside(project)
    child = subprocess.Popen([sys.executable, "-c", SLOW_WRITE, *build()], cwd=project, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": ROOT})
    try:
        assert child.stdout.readline().strip() == "writing"
        assert [n for n in os.listdir(project / "out") if n.endswith(".tmp")]  # caught in the act
        child.send_signal(getattr(signal, signame))
        _out, err = child.communicate(timeout=30)
    finally:
        child.kill()
    assert child.returncode == 128 + getattr(signal, signame), err
    assert "previous PDF was left as it was" in err and "Traceback" not in err
    assert os.listdir(project / "out") == ["highlights-case.pdf"]
    assert (project / "out" / "highlights-case.pdf").read_bytes() == PREVIOUS
    assert _outside(project) == outside


def test_stale_temporary_files_of_ours_are_removed_by_the_next_build(project):
    import time

    out = project / "out"
    dead = out / ".highlight-4194305-abc123.pdf.tmp"  # beyond any pid Linux hands out (pid_max ≤ 4194304)
    old_style = out / ".highlight-k2j3h4.pdf.tmp"  # named before temporary files carried their pid
    recent_old_style = out / ".highlight-zzz999.pdf.tmp"
    alive = out / f".highlight-{os.getpid()}-abc.pdf.tmp"  # a build running now: not ours to remove
    theirs = out / ".notes.pdf.tmp"
    for path in (dead, old_style, recent_old_style, alive, theirs):
        path.write_bytes(b"half a PDF")
    long_ago = time.time() - 3600
    os.utime(old_style, (long_ago, long_ago))
    code, printed = run(project, build())
    assert code == 0, printed
    left = sorted(os.listdir(out))
    assert dead.name not in left and old_style.name not in left
    assert {recent_old_style.name, alive.name, theirs.name, "highlights-case.pdf"} == set(left)



def test_a_process_looks_for_stale_temporary_files_in_a_folder_once_a_minute_not_at_every_write(tmp_path,
                                                                                              monkeypatch):
    """atomic._temporary sweeps a folder for a killed run's temporary files at a process's first write there and
    then once every SWEEP_EVERY_S (a 200-page build writes 600 cache files into folders of hundreds: listing and
    matching them at every write cost 220 ms); what it finds then goes as before."""
    import time

    from highlight import atomic

    folder = tmp_path / "cache"
    dead = folder / ".tmp-4194305-abc123"  # beyond any pid Linux hands out
    folder.mkdir()
    dead.write_bytes(b"half")
    atomic.replace_file(str(folder / "a"), b"1")  # the first write here: swept
    assert not dead.exists()
    dead.write_bytes(b"half")  # a run killed since
    listed = []
    real = os.listdir
    monkeypatch.setattr(os, "listdir", lambda path: listed.append(path) or real(path))
    for n in range(20):
        atomic.replace_file(str(folder / f"b{n}"), b"2")
    assert listed == [] and dead.exists()  # no listing within the minute
    later = time.monotonic() + atomic.SWEEP_EVERY_S + 1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    atomic.replace_file(str(folder / "c"), b"3")
    assert len(listed) == 1 and not dead.exists()
    assert sorted(os.listdir(folder)) == sorted(["a", "c"] + [f"b{n}" for n in range(20)])

# -- 5. limits, with reasons, before the expensive step -----------------------------------------------

def _page(project, elements: str, extra: str = "") -> None:
    """content/case/p1.yaml with these elements (YAML lines indented for `elements:`)."""
    (project / PAGE_FILE).write_text(PAGE.split("      - paragraph")[0] + elements + extra, encoding="utf-8")


def _edit(project, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BREAKDOWN = ('      - breakdown:\n          total: {total}\n          rows:\n'
             '            - {{label: {{en: "a", zh: "甲"}}, count: {count}, percent: {percent}}}\n')


@pytest.mark.parametrize("total, count, percent, where", [
    ("1" * 400, "1", "100", r"total"),
    ("2", "2", "1" * 400, r"rows\[0\]\.percent"),
    ("1" * 5000, "1" * 5000, "100", r"total"),
    ("2", "2", "1.0e+300", r"rows\[0\]\.percent"),
    ("10000000000000", "10000000000000", "100", r"total"),
    ("2", "2", ".nan", r"rows\[0\]\.percent"),
    ("-5", "-5", "100", r"total"),
])
def test_numbers_out_of_range_are_located_errors(project, total, count, percent, where):
    _page(project, BREAKDOWN.format(total=total, count=count, percent=percent))
    attack(project, build(), 1, rf"content/case/p1.yaml:\d+:\d+ \(blocks\[0\]\.elements\[0\]\.breakdown\.{where}\): "
           r"error\[(number-too-long|bad-value)\]")


@pytest.mark.parametrize("old, new, where", [
    ("width_mm: 210", "width_mm: 1.0e+300", r"page\.width_mm"),
    ("columns: 12", "columns: " + "9" * 500, r"grid\.columns"),
    ("baseline_pt: 2", "baseline_pt: .inf", r"grid\.baseline_pt"),
    ("qr_size_mm: 20", "qr_size_mm: 100000", r"qr_size_mm"),
    ("ring_hole: 0.58", "ring_hole: 7", r"elements\.ring_hole"),
])
def test_layout_numbers_out_of_range_name_the_layout_file(project, old, new, where):
    _edit(project, os.path.join("layout", "page.yaml"), old, new)
    printed = attack(project, build(), 1, rf"^layout/page.yaml:\d+:\d+ \({where}\): error\[(number-too-long|bad-value)\]")
    assert "content/case" not in printed


def test_a_huge_paragraph_is_refused_at_once(project):
    import time

    _page(project, f'      - paragraph: {{en: "{"word " * 198_000}", zh: "字"}}\n')
    started = time.perf_counter()
    attack(project, build(), 1, r"content/case/p1.yaml:7:25 \(blocks\[0\]\.elements\[0\]\.paragraph\.en\): "
           r"error\[text-too-long\]: this text has 990,000 characters")
    assert time.perf_counter() - started < 3


def test_a_page_with_too_much_text_is_refused(project):
    paragraph = f'      - paragraph: {{en: "{"word " * 700}", zh: "{"字" * 300}"}}\n'
    _page(project, paragraph * 8)
    attack(project, build(), 1, r"content/case/p1.yaml:1:1 \(<root>\): error\[page-too-long\]: page 1: this page holds [0-9,]+ characters")


def test_too_many_pages_are_refused_before_any_is_read(project):
    _edit(project, os.path.join(CASE, "edition.yaml"), "pages: [p1.yaml]", "pages: [" + ", ".join(["p1.yaml"] * 501) + "]")
    attack(project, build(), 1, r"content/case/edition.yaml:4:\d+ \(pages\): error\[too-many\]: 501 items")


def test_a_qr_url_too_long_for_a_code_is_refused(project):
    _page(project, f'      - qr: {{caption: {{en: "Scan", zh: "掃描"}}, url: "https://example.org/{"a" * 3000}"}}\n')
    attack(project, build(), 1, r"content/case/p1.yaml:7:\d+ \(blocks\[0\]\.elements\[0\]\.qr\.url\): "
           r"error\[text-too-long\]")


@pytest.mark.parametrize("pages, why", [("0", "numbered from 1"), ("5-1", "runs backwards"),
                                        ("1-999999999", "at most 1000"), ("x", "not a page number"),
                                        ("1,,-3", "not a page number"), ("99", "has 1 pages")])
def test_a_page_selection_that_names_no_real_page_is_refused(project, pages, why):
    attack(project, ["proof", CASE, "--pages", pages], 2, why)
    assert not (project / "out" / "proof").exists()


def _real_pdf(project) -> bytes:
    code, printed = run(project, build("-o", "out/real.pdf"))
    assert code == 0, printed
    return (project / "out" / "real.pdf").read_bytes()


def _bomb() -> bytes:
    """A small, valid PDF with one stream that inflates to 200 MiB."""
    import zlib

    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    squeezed = zlib.compressobj(9)
    data = b"".join(squeezed.compress(b"\0" * 2**20) for _ in range(200)) + squeezed.flush()
    stream = pikepdf.Stream(pdf, data)
    stream["/Filter"] = pikepdf.Name("/FlateDecode")
    pdf.pages[0].obj["/Contents"] = pdf.make_indirect(stream)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("damage, why", [("truncated", "truncated"), ("encrypted", "encrypted"),
                                         ("bomb", "inflates to more than"), ("not-pdf", "not a PDF"),
                                         ("garbage", "cannot be parsed|truncated")])
@pytest.mark.parametrize("command", ["preflight", "check", "diff"])
def test_a_damaged_or_hostile_pdf_is_refused_before_it_is_inflated(project, damage, why, command):
    import time

    import pikepdf

    real = _real_pdf(project)
    target = project / "out" / "bad.pdf"
    if damage == "truncated":
        target.write_bytes(real[: len(real) // 2])
    elif damage == "encrypted":
        with pikepdf.open(io.BytesIO(real)) as pdf:
            pdf.save(target, encryption=pikepdf.Encryption(owner="o", user="u"))
    elif damage == "bomb":
        target.write_bytes(_bomb())
    elif damage == "not-pdf":
        target.write_bytes(b"<html>not found</html>\n%%EOF")
    else:
        target.write_bytes(b"%PDF-1.7\n" + os.urandom(2000) + b"\n%%EOF\n")
    argv = {"preflight": ["preflight", "out/bad.pdf"], "check": ["check", CASE, "out/bad.pdf"],
            "diff": ["diff", "out/real.pdf", "out/bad.pdf"]}[command]
    started = time.perf_counter()
    attack(project, argv, 2, rf"out/bad.pdf: error\[pdf-unreadable\]: will not read out/bad.pdf: .*({why})")
    assert time.perf_counter() - started < 5
    assert not (project / "out" / "diff").exists()


def test_source_date_epoch_out_of_range_is_a_located_error(project, monkeypatch):
    for value in ("99999999999999999999", "-1", "1e9", "253402300800"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
        attack(project, build(), 2, r"^SOURCE_DATE_EPOCH: error\[bad-environment\]")


# -- 6. every value validated, with a hint, in the file at fault ---------------------------------------

@pytest.mark.parametrize("date", ["2023-02-30", "2023-2-3", "yesterday", "1850-01-01", "2023-06-30T00:00",
                                  "9999-12-31"])
def test_a_date_that_is_not_a_real_date_is_refused(project, date):
    _edit(project, os.path.join(CASE, "edition.yaml"), '"2023-06-30"', f'"{date}"')
    attack(project, build(), 1, r"content/case/edition.yaml:3:7 \(date\): error\[(bad-date|text-too-long)\]")


@pytest.mark.parametrize("name, old, new, where", [
    ("styles.yaml", "    size_pt: 12\n", "    size_pt: 0\n", r"styles\.heading1\.size_pt"),
    ("styles.yaml", "    en: {leading_pt: 14}\n", "    en: {leading_pt: -14}\n", r"styles\.heading2\.en\.leading_pt"),  # (heading2's)
    ("styles.yaml", "    size_pt: 12\n", "    size_pt: 12\n    tracking_em: -5\n", r"styles\.heading1\.tracking_em"),
    ("styles.yaml", "    size_pt: 12\n", "    size_pt: 12\n    space_before_pt: 1.0e+300\n",
     r"styles\.heading1\.space_before_pt"),
    ("templates.yaml", "intro:             {col: 1, span: 8,", "intro:             {col: 1, span: 0,",
     r"templates\.p1\.frames\.intro\.span"),
    ("templates.yaml", "intro:             {col: 1, span: 8,", "intro:             {col: 0, span: 8,",
     r"templates\.p1\.frames\.intro\.col"),
    ("templates.yaml", "below: [excellence-head], gap: tight, cells: 3,", "below: [excellence-head], gap: tight, cells: 0,",
     r"templates\.p1\.frames\.excellence-row-1\.cells"),
    ("templates.yaml", "gap: tight, list_columns: 2}", "gap: tight, list_columns: -2}",
     r"templates\.p1\.frames\.research-areas\.list_columns"),
    ("page.yaml", "  left: 15\n", "  left: 300\n", r"margins_mm\.left"),
    ("page.yaml", "  left: 15\n", "  left: 150\n", r"margins_mm"),
    ("page.yaml", "  columns: 12\n", "  columns: 0\n", r"grid\.columns"),
    ("page.yaml", "  safe_mm: 5 ", "  safe_mm: -5 ", r"page\.safe_mm"),
])
def test_a_layout_value_out_of_range_is_blamed_on_its_layout_file(project, name, old, new, where):
    _edit(project, os.path.join("layout", name), old, new)
    printed = attack(project, build(), 1, rf"^layout/{re.escape(name)}:\d+:\d+ \({where}\): "
                     r"error\[(bad-value|layout-too-tight)\]: .*\n  hint: ")
    assert "content/case" not in printed


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "https://a b.org/x", "ftp://x.org/y",
                                 "data:text/html,hi", "https://", "//example.org/x", "https://example.org/\\u0007"])
def test_a_qr_url_that_is_not_http_is_a_located_error(project, url):
    _page(project, f'      - qr: {{caption: {{en: "Scan", zh: "掃描"}}, url: "{url}"}}\n')
    attack(project, build(), 1, r"content/case/p1.yaml:7:\d+ \(blocks\[0\]\.elements\[0\]\.qr(\.url)?\): "
           r"error\[(bad-url|bad-character)\]")


@pytest.mark.parametrize("key", ["? [a, b]\n: 1\n", "? {a: 1}\n: 1\n", "[x]: 1\n"])
def test_a_key_that_is_not_a_name_is_located_without_parser_internals(project, key):
    (project / PAGE_FILE).write_text(PAGE + key, encoding="utf-8")
    printed = attack(project, build(), 1, r"content/case/p1.yaml:8:\d+ \(<root>\): error\[bad-key\]")
    assert "Node(" not in printed and "tag:yaml.org" not in printed


def test_a_key_with_an_escape_sequence_cannot_forge_terminal_output(project):
    forged = "\\e[2K\\rhighlight: 1 pages, 4 fonts, 0 errors, 0 warnings, 0.01 s → out/highlights-case.pdf\\e[8m"
    (project / PAGE_FILE).write_text(PAGE + f'"{forged}": 1\n', encoding="utf-8")
    printed = attack(project, build(), 1, r"content/case/p1.yaml:8:1 .*error\[(unknown-key|bad-character)\]")
    assert "\x1b" not in printed and "\r" not in printed


@pytest.mark.parametrize("text, line", [('"a\\0b"', 7), ('"a\\eb"', 7), ('"a\\u2028b"', 7), ('"a\\x7fb"', 7),
                                        ('"a\\x85b"', 7)])
def test_a_control_or_separator_character_in_a_text_is_located(project, text, line):
    _page(project, f'      - paragraph: {{en: {text}, zh: "字"}}\n')
    printed = attack(project, build(), 1, rf"content/case/p1.yaml:{line}:\d+ \(blocks\[0\]\.elements\[0\]"
                     r"\.paragraph\.en\): error\[bad-character\]: the text holds U\+")
    assert "\0" not in printed


@pytest.mark.parametrize("raw, line", [("\0", 3), ("\u2028", 3), ("\u2029", 3), ("\x85", 3), ("\x1b", 3)])
def test_a_raw_control_or_separator_character_in_a_file_has_its_editor_line(project, raw, line):
    text = PAGE.split("\n")
    text[2] = text[2] + f"  # a comment{raw}with it"
    (project / PAGE_FILE).write_text("\n".join(text), encoding="utf-8")
    attack(project, build(), 1, rf"content/case/p1.yaml:{line}:\d+: error\[bad-character\]: U\+")


def test_new_reports_a_separator_at_its_line_and_creates_nothing(project):
    text = PAGE.replace('"Sports science"', '"Sports\u2028science 2023"')
    (project / PAGE_FILE).write_text(text, encoding="utf-8")
    attack(project, ["new", "next", "--from", "case"], 1, r"content/case/p1.yaml:7:\d+: error\[bad-character\]")
    assert sorted(os.listdir(project / "content")) == ["case"]


def test_an_ascii_terminal_gets_escapes_and_the_exit_code_of_the_build(project):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "highlight", *build("-o", "out/ascii.pdf")], cwd=project,
                          capture_output=True, env={**os.environ, "PYTHONIOENCODING": "ascii", "PYTHONPATH": ROOT})
    assert done.returncode == 0, done.stderr
    assert b"\\u2192" in done.stdout + done.stderr and b"Traceback" not in done.stderr
    assert (project / "out" / "ascii.pdf").read_bytes().startswith(b"%PDF-")


# -- 7. fonts checked for what they are used for ------------------------------------------------------

def _families(project, latin: tuple[str, str], cjk: tuple[str, str]) -> None:
    _edit(project, os.path.join("fonts", "fonts.yaml"), "latin: {regular: latin-regular, bold: latin-bold}",
          f"latin: {{regular: {latin[0]}, bold: {latin[1]}}}")
    _edit(project, os.path.join("fonts", "fonts.yaml"), "cjk: {regular: cjk-regular, bold: cjk-bold}",
          f"cjk: {{regular: {cjk[0]}, bold: {cjk[1]}}}")


def _cmap(face: str) -> set:
    import json

    with open(os.path.join(ROOT, ".cache", "fonts", f"{face}.ttf.cmap.json"), encoding="utf-8") as f:
        return set(json.load(f))


@pytest.mark.parametrize("cjk, weight", [(("latin-regular", "latin-bold"), "regular"),
                                         (("cjk-regular", "latin-bold"), "bold"),
                                         (("latin-regular", "cjk-bold"), "regular")])
def test_a_cjk_family_without_chinese_glyphs_is_refused(project, cjk, weight):
    _families(project, ("latin-regular", "latin-bold"), cjk)
    attack(project, build(), 1, r"content/case/edition.yaml:2:8 \(title\): error\[missing-glyph\]: the cjk family's "
           rf"{weight} face '{cjk[0] if weight == 'regular' else cjk[1]}' lacks \d+ of the \d+ CJK characters")


def test_a_cjk_family_without_chinese_glyphs_is_a_warning_for_proofs(project):
    _families(project, ("latin-regular", "latin-bold"), ("latin-regular", "latin-bold"))
    attack(project, build("--allow-missing-glyphs", "-o", "out/proof.pdf"), 0,
           r"warning\[missing-glyph\]: the cjk family's regular face 'latin-regular' lacks")


def test_a_character_only_in_a_face_no_family_uses_is_missing(project):
    only_latin = min(c for c in (_cmap("latin-regular") & _cmap("latin-bold")) - _cmap("cjk-regular") - _cmap("cjk-bold")
                     if c > 0x100 and chr(c).isprintable())
    _families(project, ("cjk-regular", "cjk-bold"), ("cjk-regular", "cjk-bold"))
    _page(project, f'      - paragraph: {{en: "Sports {chr(only_latin)}", zh: "運動科學"}}\n')
    attack(project, build(), 1, rf"content/case/p1.yaml:7:\d+ \(blocks\[0\]\.elements\[0\]\.paragraph\): "
           rf"error\[missing-glyph\]: U\+{only_latin:04X} ")


@pytest.mark.parametrize("char", ["\U00013000", "\ue000", "\u0e01"])
def test_a_character_in_no_face_is_a_located_missing_glyph(project, char):
    _page(project, f'      - paragraph: {{en: "Sports", zh: "運動{char}"}}\n')
    attack(project, build(), 1, rf"content/case/p1.yaml:7:\d+ \(blocks\[0\]\.elements\[0\]\.paragraph\): "
           rf"error\[missing-glyph\]: U\+{ord(char):04X} ")


# -- what every command opens ---------------------------------------------------------------------------

_OPENED: list = []
_LISTENING = [False]


def _audit(event: str, args: tuple) -> None:
    if event == "open" and _LISTENING[0]:
        path, mode, flags = (tuple(args) + (None, None))[:3]
        if isinstance(path, int):  # an open file descriptor: what it points to was already checked
            return
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        writing = bool(mode and any(c in str(mode) for c in "wax+")) or \
            bool(flags and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
        _OPENED.append((os.path.abspath(str(path)), writing))


def _code(path: str) -> bool:
    """Python and its packages (modules, their data and fonts), the shared libraries, the system's own."""
    import sys
    import sysconfig

    places = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.dirname(__file__)) + "/highlight",
              *sysconfig.get_paths().values(), "/usr/lib", "/usr/share/zoneinfo", "/etc/localtime", "/proc/self",
              "/dev/urandom", "/sys/", "/etc/ssl", "/usr/local/lib"}
    return any(path.startswith(place) for place in places if place)


def test_no_command_writes_or_reads_data_outside_the_project(project, tmp_path, monkeypatch):
    """build, check, proof, diff, new and fonts under an audit hook: every file opened for writing is in
    the project, and every data file read is in the project or the set-up cache it links to."""
    import sys

    from highlight import fonts

    downloads = os.path.join(ROOT, ".cache", "fonts", "downloads")
    packages = {}
    for name in os.listdir(downloads):
        with open(os.path.join(downloads, name), "rb") as f:
            packages[name] = f.read()
    monkeypatch.setattr(fonts, "_download", lambda url, cap: packages[url.rsplit("/", 1)[1]])
    if not getattr(sys, "_highlight_audit", False):
        sys.addaudithook(_audit)  # hooks cannot be removed: one for the session, switched on and off
        sys._highlight_audit = True
    shared_cache = os.path.join(ROOT, ".cache")
    commands = [build(), build("-o", "out/second.pdf"), ["check", CASE], ["proof", CASE, "--pages", "1"],
                ["diff", "out/highlights-case.pdf", "out/second.pdf", "--out", "out/diff"],
                ["new", "next", "--from", "case"], ["schema", "--out", "out/schema"], ["preflight", "out/second.pdf"]]
    _OPENED.clear()
    _LISTENING[0] = True
    try:
        for argv in commands:
            code, printed = run(project, argv)
            assert code in (0, 1), (argv, printed)
        _LISTENING[0] = False  # (the test's own clearing up is not a command's doing)
        shutil.rmtree(project / ".cache")  # the set-up into an empty cache, fetched "from the network"
        (project / ".cache").mkdir()
        os.symlink(os.path.join(shared_cache, "profiles"), project / ".cache" / "profiles")
        _LISTENING[0] = True
        code, printed = run(project, ["fonts"])
        assert code == 0 and "6 files fetched" in printed, printed  # four faces and two licences
    finally:
        _LISTENING[0] = False
    inside = str(project) + os.sep
    writes = sorted({p for p, w in _OPENED if w and not p.startswith(inside)})
    # (ReportLab looks for ~/.reportlab_settings and ~/.reportlab_mods when imported: absent files read nothing.)
    reads = sorted({p for p, w in _OPENED if not w and not p.startswith(inside) and not p.startswith(shared_cache)
                    and not _code(p) and os.path.exists(p)})
    assert writes == [] and reads == []
    written = {p for p, w in _OPENED if w}
    assert any(p.endswith("highlights-case.pdf.tmp") or ".highlight-" in p for p in written)  # the hook saw them
    assert any(os.path.join(".cache", "fonts", ".tmp-") in p for p in written)  # the fonts, written beside


@pytest.mark.parametrize("old, new", [('name: "FOGRA39L-highlight"', 'name: "../../../evil"'),
                                      ('name: "FOGRA39L-highlight"', 'name: "/tmp/evil"'),
                                      ("1.1+b1_amd64.deb", "1.1+b1_amd64.deb/.."),
                                      ('member: "./usr/share/color/icc/FOGRA39L.ti3"', 'member: "./../../x/.."')])
def test_a_profile_name_that_climbs_out_of_the_cache_is_refused(project, old, new):
    _edit(project, os.path.join("profiles", "profiles.yaml"), old, new)
    attack(project, build(), 2, r"^profiles/profiles.yaml:\d+:\d+ \(.*\): error\[bad-name\]")


def test_a_read_only_cache_is_not_reported_as_a_corrupt_font(project, monkeypatch):
    import errno

    from highlight import fonts

    def read_only(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(fonts, "_subset", read_only)
    monkeypatch.setattr(fonts, "_cached_superset", lambda *a: None)
    _page(project, '      - paragraph: {en: "Sports science Zebra quartz", zh: "運動科學"}\n')
    printed = attack(project, build(), 2, r"fonts/fonts.yaml:\d+:\d+ \(faces\.[a-z-]+\): error\[cache-unwritable\]: "
                     r".*Permission denied")
    assert "font-corrupt" not in printed
