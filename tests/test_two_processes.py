"""A `highlight build` with many pages to lay out afresh lays them out in two processes (build.BuildSession.
_in_two_processes, issue 28's fourteenth round: the generated 200-page edition): the same PDF bytes, diagnostics and
line store as in one process; where the child fails, the pages it took are laid out by the parent. The line store is
then written by a second child while the pages are drawn (_save_lines_aside), by the parent where that one fails."""
from __future__ import annotations

import glob
import os
import shutil

import pytest
from conftest import ROOT, copy_project

from highlight import build, linestore
from highlight.build import BuildOptions, BuildSession


def _project(tmp_path) -> str:
    """The 2022-23 leaflet in a project of its own (its own .cache but the fonts and profiles): its edition folder."""
    project = str(copy_project(tmp_path, ("layout", "fonts", "profiles", os.path.join("content", "2022-23")),
                               cache=False))
    os.makedirs(os.path.join(project, ".cache"))
    for part in ("fonts", "profiles"):
        os.symlink(os.path.join(ROOT, ".cache", part), os.path.join(project, ".cache", part))
    return os.path.join(project, "content", "2022-23")


def _build(edition: str, monkeypatch, fork: bool) -> tuple[bytes, list, dict]:
    """The edition built with nothing kept from an earlier build (no line store, no pages, no drawing): its PDF, what
    the build said, and the line store it wrote (digest -> lines)."""
    cache = os.path.join(os.path.dirname(os.path.dirname(edition)), ".cache")
    for part in ("lines", "pages", "drawn", "output"):
        shutil.rmtree(os.path.join(cache, part), ignore_errors=True)
    monkeypatch.setattr(build, "FORKED_PAGES", 2)  # (the leaflet's eight pages: as many as a larger edition's)
    monkeypatch.setattr(build, "FORK_LAYOUT", [fork])
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})  # (a machine of one processor forks all the same)
    output = os.path.join(cache, "..", "x.pdf")
    result = BuildSession().build(BuildOptions(edition, output))
    assert len(result.pages) == 8 and not result.diagnostics.has_errors()
    stores = glob.glob(os.path.join(cache, "lines", "*.json"))
    assert len(stores) == 1
    with open(output, "rb") as f:
        return f.read(), [d.format() for d in result.diagnostics.items], dict(linestore.load(stores[0]))


def _forks(monkeypatch, tmp_path) -> tuple[list, str]:
    """The processes that fork (a list) and a file where each page laid out is written with the process laying it
    out ("pid page")."""
    forked: list = []
    real = os.fork
    monkeypatch.setattr(os, "fork", lambda: forked.append(os.getpid()) or real())
    record, lay_out = str(tmp_path / "laid-out"), build.layout_edition

    def recorded(edition, *args):
        with open(record, "a") as f:
            f.write(f"{os.getpid()} {edition.pages[0].number}\n")
        return lay_out(edition, *args)
    monkeypatch.setattr(build, "layout_edition", recorded)
    return forked, record


def _laid_out(record: str) -> dict:  # page -> the processes that laid it out
    by: dict = {}
    if not os.path.exists(record):
        return by
    with open(record) as f:
        for line in f:
            pid, page = map(int, line.split())
            by.setdefault(page, []).append(pid)
    os.unlink(record)
    return by


def test_pages_laid_out_in_two_processes_make_the_same_pdf_diagnostics_and_line_store(tmp_path, monkeypatch):
    edition = _project(tmp_path)
    forked, record = _forks(monkeypatch, tmp_path)
    alone = _build(edition, monkeypatch, fork=False)
    assert forked == [] and list(_laid_out(record).values()) == [[os.getpid()]] * 8
    two = _build(edition, monkeypatch, fork=True)
    assert forked == [os.getpid()] * 2  # (a child laying out pages, one writing the line store; this process theirs)
    by = _laid_out(record)
    assert sorted(by) == list(range(1, 9)) and all(len(pids) == 1 for pids in by.values())
    assert {pids[0] for pids in by.values()} - {os.getpid()}, "the child laid out no page"
    assert two[0] == alone[0]
    assert two[1] == alone[1]
    assert two[2].keys() == alone[2].keys() and two[2] == alone[2]
    # the pages each process wrote to .cache/pages as it laid them out: the next build's, every one
    again = BuildSession()
    again.build(BuildOptions(edition, os.path.join(tmp_path, "again.pdf")))
    assert again.pages.from_disk == 8 and _laid_out(record) == {}
    assert (tmp_path / "again.pdf").read_bytes() == alone[0]


def test_the_pages_a_failed_child_took_are_laid_out_by_the_parent(tmp_path, monkeypatch):
    edition = _project(tmp_path)
    alone = _build(edition, monkeypatch, fork=False)
    forked, record = _forks(monkeypatch, tmp_path)

    def fails(out, lines):
        raise RuntimeError("a child that fails after laying out its pages")
    monkeypatch.setattr(build, "_lent_pickler", fails)
    two = _build(edition, monkeypatch, fork=True)
    assert forked == [os.getpid()] * 2
    by = _laid_out(record)
    assert sorted(by) == list(range(1, 9)) and any(len(pids) == 2 for pids in by.values())  # (by the child, then here)
    assert all(pids[-1] == os.getpid() for pids in by.values())
    assert two[0] == alone[0] and two[1] == alone[1] and two[2] == alone[2]


def test_an_error_in_the_parent_stops_the_child_and_leaves_no_process(tmp_path, monkeypatch):
    edition = _project(tmp_path)
    parent, lay_out = os.getpid(), build.layout_edition

    def fails_here(edition, *args):
        if os.getpid() == parent:
            raise RuntimeError("an error of the parent's page")
        return lay_out(edition, *args)
    monkeypatch.setattr(build, "layout_edition", fails_here)
    with pytest.raises(RuntimeError, match="the parent's page"):
        _build(edition, monkeypatch, fork=True)
    with pytest.raises(ChildProcessError):  # (the child was stopped and waited for: no process of ours is left)
        os.waitpid(-1, os.WNOHANG)


def test_the_line_store_a_failed_child_did_not_write_is_written_by_the_parent(tmp_path, monkeypatch):
    edition = _project(tmp_path)
    alone = _build(edition, monkeypatch, fork=False)
    forked, _ = _forks(monkeypatch, tmp_path)
    parent, save = os.getpid(), linestore.save

    def fails_there(path, memo):
        if os.getpid() != parent:
            raise RuntimeError("a child that fails to write the line store")
        save(path, memo)
    monkeypatch.setattr(linestore, "save", fails_there)
    two = _build(edition, monkeypatch, fork=True)
    assert forked == [os.getpid()] * 2
    assert two == alone


def test_build_jobs_1_keeps_the_layout_in_one_process(monkeypatch):
    """`highlight build --jobs 1` lays out in one process (less memory in all: the second process's pages are its
    own); the default, 2, may use a second processor. Fails on f93a7b6: no --jobs option."""
    from highlight import cli

    for jobs, fork in (([], True), (["--jobs", "2"], True), (["--jobs", "1"], False)):
        monkeypatch.setattr(build, "FORK_LAYOUT", [not fork])
        args = cli._parser().parse_args(["build", "content/2022-23", *jobs])
        cli._two_processes(args.jobs)
        assert build.FORK_LAYOUT == [fork], jobs
