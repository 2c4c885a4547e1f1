"""Rebuild when a content, layout or font-manifest file changes.

Polling `os.stat` of the twenty-odd input files every 50 ms costs a few
microseconds a round and needs no dependency; it also sees editors that save
by writing a new file and renaming it over the old one. Each rebuild reuses a
`BuildSession`, so only what changed is read and set again. A failed build
writes nothing, so the last good PDF stays in place.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from .build import BuildOptions, BuildResult, BuildSession, find_project

POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Rebuild:
    """One build the watcher ran: what triggered it and how long from noticing the change to the PDF."""

    changed: tuple[str, ...]
    result: BuildResult
    latency_s: float


def watched_files(edition_dir: str) -> list[str]:
    project = find_project(edition_dir)
    folders = [edition_dir, os.path.join(project, "layout"), os.path.join(edition_dir, "layout")]
    files = [os.path.join(project, "fonts", "fonts.yaml")]
    for folder in folders:
        try:
            files += [os.path.join(folder, n) for n in sorted(os.listdir(folder)) if n.endswith((".yaml", ".yml"))]
        except OSError:
            pass
    # The pictures: a photograph replaced on disk rebuilds as an edited page does.
    for root, dirs, names in os.walk(edition_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "layout")
        files += [os.path.join(root, n) for n in sorted(names) if n.lower().endswith(PICTURE_SUFFIXES)]
    return files


PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".pdf", ".svg")


def _snapshot(paths: list[str]) -> dict[str, tuple | None]:
    state: dict[str, tuple | None] = {}
    for path in paths:
        try:
            st = os.stat(path)
            state[path] = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            state[path] = None
    return state


def watch(options: BuildOptions, stop: Callable[[], bool] = lambda: False,
          poll_s: float = POLL_SECONDS) -> Iterator[Rebuild]:
    """Build once, then again after every change, yielding each build; ends when `stop()` is true
    (`serve` polls more often: its save-to-picture time is the one a designer sees).

    Watch builds are previews: they skip the preflight read-back (~0.15 s), so they are written to their own
    path (out/highlights-<edition>-preview.pdf), never over the print PDF; `highlight build` runs it."""
    options = replace(options, preflight=False, preview="watch")
    session = BuildSession()
    session.defer_line_store = True  # stored between rebuilds, off the edit-to-PDF path
    try:
        # (the files as they were when the first build began: a save during it, or while the caller announces
        # it, is a change like any other)
        paths = watched_files(options.edition_dir)
        seen = _snapshot(paths)
        started = time.perf_counter()
        result = session.build(options)
        yield Rebuild((), result, time.perf_counter() - started)
        if options.to == "pdf":  # a preview's next build draws only its changed pages, spliced in with pikepdf
            from .backends.pdf import prepare_previews

            prepare_previews()
        while not stop():
            session.save_lines()
            time.sleep(poll_s)
            paths = watched_files(options.edition_dir)  # a page file may have been added
            now = _snapshot(paths)
            changed = tuple(p for p in sorted(set(now) | set(seen)) if now.get(p) != seen.get(p))
            if not changed:
                continue
            noticed = time.perf_counter()
            seen = now
            result = session.build(options)
            yield Rebuild(changed, result, time.perf_counter() - noticed)
    finally:
        session.save_lines()
