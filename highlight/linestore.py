"""Set paragraphs kept on disk between runs: a build sets only what changed since the last one.

The text setter is a pure function of its inputs (spans with their styles,
measure, alignment, the fonts' metrics), so its results can be reused. The
store's file name is a digest of everything else a line could depend on: the
package's own source, the font manifest (which pins every face by sha256),
the dependency pins in pyproject.toml, the Python version, the edition folder
and the breaking mode. Anything changed means another file, never a stale
line. A store that cannot be read is ignored and written afresh; one that
cannot be written is skipped: the store only ever saves time.
"""
from __future__ import annotations

import functools
import glob
import hashlib
import os
import pickle
import sys

from .pdf import replace_file

PACKAGE = os.path.dirname(os.path.abspath(__file__))
KEEP = 32  # stores kept, newest first


@functools.lru_cache(maxsize=None)
def _package_digest() -> bytes:
    """The package's source as this process imported it (read once: it does not change under a running build)."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(glob.glob(os.path.join(PACKAGE, "*.py"))):
        with open(path, "rb") as f:
            digest.update(os.path.basename(path).encode() + b"\0" + f.read())
    return digest.digest()


def store_path(project: str, edition_dir: str, greedy: bool) -> str:
    """.cache/lines/<edition and mode>-<engine, fonts and pins>.pickle"""
    engine = hashlib.sha256(_package_digest())
    for path in (os.path.join(project, "fonts", "fonts.yaml"), os.path.join(project, "pyproject.toml")):
        try:
            with open(path, "rb") as f:
                engine.update(f.read())
        except OSError:
            engine.update(b"(missing)")
    edition = hashlib.sha256(f"{os.path.abspath(edition_dir)}\0{greedy}".encode()).hexdigest()[:16]
    return os.path.join(project, ".cache", "lines", f"{edition}-{engine.hexdigest()[:32]}.pickle")


def load(path: str) -> dict:
    """The stored memo, or an empty one when there is none or it cannot be read."""
    try:
        with open(path, "rb") as f:
            memo = pickle.load(f)  # our own cache folder, written only by save() below
    except Exception:  # noqa: BLE001 (missing, truncated, from another version: all mean "set afresh")
        return {}
    return memo if isinstance(memo, dict) else {}


def save(path: str, memo: dict) -> None:
    """Write the memo; remove this edition's stores of earlier engines or fonts, and all but the newest KEEP."""
    try:
        replace_file(path, pickle.dumps(memo, protocol=pickle.HIGHEST_PROTOCOL))
        edition = os.path.basename(path).split("-")[0]
        stores = glob.glob(os.path.join(os.path.dirname(path), "*.pickle"))
        for old in stores:
            if old != path and os.path.basename(old).startswith(edition + "-"):
                os.unlink(old)
        # Editions built once (test copies, generated benchmarks) must not pile up: keep the newest few.
        stores = sorted((p for p in stores if os.path.exists(p)), key=os.path.getmtime, reverse=True)
        for old in stores[KEEP:]:
            os.unlink(old)
    except OSError:
        pass  # a read-only or full disk costs the next build its head start, nothing else
