"""Writing the PDF file: never leave a broken or half-written file in place of the last good one.

The renderer writes into a temporary file beside the target; the file is
read back and checked, and only then renamed over the target in one atomic
step. Any failure (an exception, Ctrl-C, a full disk) removes the temporary
file and leaves the previous PDF untouched.
"""
from __future__ import annotations

import os
import tempfile
from typing import Callable

from .diagnostics import BuildFailed, Diagnostics, SourceRef


def write_atomically(target: str, write: Callable[[str], None], expected_pages: int, diags: Diagnostics) -> None:
    """Call `write(tmp_path)`, verify the result has `expected_pages` pages, then move it to `target`."""
    folder = os.path.dirname(os.path.abspath(target))
    if os.path.isdir(target):
        diags.fatal("output-is-dir", f"the output path {target} is a directory", SourceRef(target),
                    hint="give a file name ending in .pdf with -o")
        raise BuildFailed(diags)
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".highlight-", suffix=".pdf.tmp")
        os.close(fd)
    except OSError as exc:
        diags.fatal("output-unwritable", f"cannot write into {folder}: {exc.strerror}", SourceRef(target),
                    hint="choose another output folder with -o, or fix its permissions")
        raise BuildFailed(diags) from None
    try:
        write(tmp)
        _verify(tmp, expected_pages)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; the PDF is an ordinary file
        os.replace(tmp, target)
    except OSError as exc:
        diags.fatal("output-write", f"writing {target} failed: {exc.strerror or exc}", SourceRef(target),
                    hint="check free disk space and permissions; the previous PDF was left as it was")
        raise BuildFailed(diags) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _verify(path: str, expected_pages: int) -> None:
    from pypdf import PdfReader

    reader = PdfReader(path, strict=True)
    if len(reader.pages) != expected_pages:
        raise OSError(f"the written PDF has {len(reader.pages)} pages, expected {expected_pages}")
