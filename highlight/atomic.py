"""Writing files atomically: never leave a broken or half-written file in place of the last good one.

The renderer produces the PDF in memory; it is written to a temporary file
beside the target, synced, read back and compared, and only then renamed
over the target in one atomic step. Any failure (an exception, Ctrl-C, a
full disk) removes the temporary file and leaves the previous PDF untouched.
Cache and set-up files (fonts, profile, line store) use the plain form of
the same idea, `replace_file`.
"""
from __future__ import annotations

import hashlib
import os
import sys

from .diagnostics import BuildFailed, Diagnostics, SourceRef

STALE_AFTER_S = 600  # a temporary file of ours without a live owner, or this old, is left from a killed run


def _alive(pid: int) -> bool:
    """Whether process `pid` runs, without signalling it: on Windows os.kill(pid, 0) is no probe (signal 0 is
    CTRL_C_EVENT, sent to a console process group), so the process is opened and its exit code read."""
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return bool(kernel32.GetLastError() == 5)  # ERROR_ACCESS_DENIED: it exists, another user's
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid < 2**22  # another user's live process (beyond Linux's pid_max: none)
    return True


# (folder, prefix, suffix) -> when this process last looked there for temporary files a killed run left
_SWEPT: dict[tuple[str, str, str], float] = {}
# folder -> the names its last sweep listed and the files this process wrote there since (a name may be twice)
_LISTED: dict[str, list] = {}
SWEEP_EVERY_S = 60.0


def _temporary(folder: str, prefix: str, suffix: str = "") -> tuple[int, str]:
    """A new temporary file in `folder` named after this process, after removing the ones of ours that
    a killed run (SIGKILL, power cut) left there: their process is gone, or (older names) they are old. A
    process looks in a folder once a SWEEP_EVERY_S, not at every file it writes there: a cache folder holds
    hundreds of entries, and a build of 200 pages writes 600 of them (listing and matching each time: 220 ms)."""
    import re
    import time

    swept = (os.path.abspath(folder), prefix, suffix)
    now = time.monotonic()
    last = _SWEPT.get(swept)
    if last is not None and now - last < SWEEP_EVERY_S:
        return _mkstemp(folder, f"{prefix}{os.getpid()}-", suffix)
    if len(_SWEPT) > 256:  # (a long session writing into many folders)
        _SWEPT.clear()
        _LISTED.clear()
    _SWEPT[swept] = now
    pattern = re.compile(re.escape(prefix) + r"(?:(\d+)-)?[A-Za-z0-9_]+" + re.escape(suffix))
    try:
        names = os.listdir(folder)
    except OSError:
        names = []
    _LISTED[swept[0]] = names  # (what prune_oldest counts, with the files this process writes there after it)
    for name in names:
        match = pattern.fullmatch(name) if name.startswith(prefix) else None  # (most names are a cache's entries)
        if not match:
            continue
        path = os.path.join(folder, name)
        try:
            if match.group(1):
                if _alive(int(match.group(1))):
                    continue  # its writer is still running (ours or another user's)
            elif time.time() - os.lstat(path).st_mtime < STALE_AFTER_S:
                continue
            if os.path.isfile(path) and not os.path.islink(path):
                os.unlink(path)
        except OSError:
            pass
    return _mkstemp(folder, f"{prefix}{os.getpid()}-", suffix)


_FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _mkstemp(folder: str, prefix: str, suffix: str) -> tuple[int, str]:
    """tempfile.mkstemp(dir=folder, prefix=prefix, suffix=suffix) as it makes a file (created only if new, not
    through a link, readable by its owner alone; the name's random part from os.urandom), without importing
    tempfile: with random, shutil, bz2 and lzma it was 3 ms of every process that writes a file."""
    import errno

    for _ in range(10000):  # (tempfile.TMP_MAX)
        name = os.path.join(folder, prefix + os.urandom(6).hex() + suffix)
        try:
            fd = os.open(name, _FLAGS, 0o600)
        except FileExistsError:
            continue  # a name taken: another
        except PermissionError:  # (Windows says so for a name that is a folder)
            if os.name == "nt" and os.path.isdir(folder) and os.access(folder, os.W_OK):
                continue
            raise
        return fd, os.path.abspath(name)
    raise FileExistsError(errno.EEXIST, "no usable temporary file name found")


def prune_oldest(folder: str, suffix: str, keep: int) -> None:
    """Keep a cache folder's `keep` newest entries ending in `suffix`, once it holds more than twice that (now
    and then, not at every write). An OSError is the caller's: a cache that cannot be pruned only costs room.
    The folder is not listed again when this process's sweep for temporary files (replace_file, at most a minute
    before) listed it and counts no more than twice `keep` with what the process wrote since: a build writing
    into eight cache folders listed each twice (2.5 ms). Another process's entries of that minute are counted
    at the next listing."""
    known = _LISTED.get(os.path.abspath(folder))
    if known is not None and len([name for name in known if name.endswith(suffix)]) <= 2 * keep:
        return
    names = [e for e in os.listdir(folder) if e.endswith(suffix)]
    if len(names) > 2 * keep:  # (the paths made only then: a build that writes lists a folder of ~1,000 entries)
        entries = [os.path.join(folder, e) for e in names]
        for old in sorted(entries, key=os.path.getmtime, reverse=True)[keep:]:
            os.remove(old)
        _LISTED.pop(os.path.abspath(folder), None)  # (listed afresh by the next sweep)


def replace_file(path: str, data: bytes) -> None:
    """Write a cache or set-up file whole or not at all: a temporary file beside it, renamed over it."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = _temporary(os.path.dirname(path), ".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    known = _LISTED.get(os.path.dirname(tmp))  # (tmp is absolute: _mkstemp's)
    if known is not None:
        known.append(os.path.basename(path))


def write_atomically(target: str, data: bytes, diags: Diagnostics, inputs: tuple[str, ...] = (),
                     magic: bytes = b"%PDF-", what: str = "the PDF (-o)", durable: bool = True) -> None:
    """Write `data` beside `target`, read it back and compare, then rename it over `target`
    (only where an output may go: paths.check_output, which replaces only a file starting with `magic`;
    `inputs` are the run's own input folders). A PDF must be whole (%PDF- to %%EOF). `durable`: synced to the
    disk before the rename (not for a `watch` preview, written again at the next save: 5-15 ms a save)."""
    from .paths import check_output

    check_output(target, diags, inputs, magic=magic, what=what)
    folder = os.path.dirname(os.path.abspath(target))
    whole = data.rstrip().endswith(b"%%EOF") if magic == b"%PDF-" else True
    if not (data.startswith(magic) and whole):
        raise ValueError(f"the backend produced something that is not whole ({what})")  # a bug of ours
    suffix = os.path.splitext(target)[1] if magic != b"%PDF-" else ".pdf"
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = _temporary(folder, ".highlight-", f"{suffix}.tmp")
    except OSError as exc:
        diags.fatal("output-unwritable", f"cannot write into {folder}: {exc.strerror}", SourceRef(target),
                    hint="choose another output folder with -o, or fix its permissions")
        raise BuildFailed(diags) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if durable:
                os.fsync(f.fileno())
        with open(tmp, "rb") as f:
            if hashlib.sha256(f.read()).digest() != hashlib.sha256(data).digest():
                raise OSError("the file read back differs from what was written")
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
