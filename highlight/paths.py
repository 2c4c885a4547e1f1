"""Where files may be read and written: outputs only where outputs belong, inputs only from the project.

Every command that writes (build, watch, proof, diff pictures, schema, new,
the font set-up) asks `check_output` first, so one rule decides: an output
never replaces an input of the build (anything under content/, layout/,
fonts/, profiles/, .cache/, the package or the tests), a directory, a device,
a FIFO or a symbolic link. Names that come from data (an edition's name, a
face's key) become file names only through `safe_name`, and every input file
is opened only after `check_input` found a regular file inside its project.
"""
from __future__ import annotations

import os
import re
import stat
import unicodedata

from .diagnostics import BuildFailed, Diagnostics, SourceRef

# The project's folders that hold inputs (or our own caches): never an output.
INPUT_FOLDERS = ("content", "layout", "fonts", "profiles", ".cache", "highlight", "tests", ".git", ".venv")
SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}", re.IGNORECASE)
SAFE_NAME_HINT = "use letters, digits, '.', '_' and '-' (starting with a letter or digit), e.g. 2023-24"


def safe_name(name: object, also: str = "") -> bool:
    """A name from data that may become part of a file name: no separator, no '..', no control character
    (`also`: more characters allowed after the first, e.g. '+~' of Debian package file names)."""
    if not isinstance(name, str) or ".." in name or not name:
        return False
    return SAFE_NAME.fullmatch(name.translate({ord(c): "_" for c in also})) is not None


# Device names Windows reserves whatever the extension (CON.txt is the console too), and their superscript twins.
WINDOWS_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
                             | {f"{d}{n}" for d in ("COM", "LPT") for n in "0123456789\u00b9\u00b2\u00b3"})
NAME_LIMIT = 64  # characters: 64 Han characters are 192 bytes of UTF-8, inside every file system's 255
EDITION_NAME_HINT = ("name the edition with letters (Chinese too), digits, spaces and punctuation, without '/', "
                     "'\\', ':', '..' or a leading '.' or '-', e.g. 2023-24 or 年報 2023 edition")


def name_problem(name: object) -> str | None:
    """Why an edition or folder name must not be used (None when it may): an office's own names are fine
    (年報 2023 edition: Unicode letters, digits, spaces, punctuation); refused are only what is dangerous
    as a file name: a path separator, '..', a control or format character, a leading '.' (hidden, or the
    folder itself) or '-' (read as an option), a device name Windows reserves, and more than NAME_LIMIT
    characters."""
    if not isinstance(name, str) or not name.strip():
        return "it is empty"
    if len(name) > NAME_LIMIT:
        return f"it is longer than {NAME_LIMIT} characters"
    if any(c in name for c in "/\\:"):
        return "it holds a path separator ('/', '\\' or ':', the drive and stream separator of Windows)"
    if ".." in name:
        return "it holds '..'"
    control = next((c for c in name if not c.isprintable() and unicodedata.category(c) != "Zs"), None)
    if control is not None:
        return f"it holds the control or format character U+{ord(control):04X}"
    if name[0] in ".-":
        return f"it starts with {name[0]!r} (a hidden file, or an option to a command)"
    if name.split(".")[0].rstrip(" ").upper() in WINDOWS_RESERVED:
        return f"{name.split('.')[0].rstrip(' ')} is a device name reserved on Windows"
    return None


def output_slug(name: str) -> str:
    """The part of an output file or folder name derived from an edition folder's name: the same name always
    gives the same slug (NFC, so a name typed on macOS and on Windows is one). Letters (Chinese too), marks,
    digits, '.', '_' and '-' are kept; every run of anything else (spaces, quotes, '&', '#', brackets,
    characters Windows forbids, anything unprintable) becomes one '-', so the name is as safe in a URL, a
    shell or a print shop's upload as on disk: `年報 2023 edition` gives `年報-2023-edition`, `O'Neil &
    Co., 2023` gives `O-Neil-Co.-2023`. Never empty, hidden, an option or a Windows device name."""
    name = unicodedata.normalize("NFC", name)
    slug = "".join(c if unicodedata.category(c)[0] in "LMN" or c in "._-" else "-" for c in name)
    slug = re.sub(r"-{2,}", "-", slug.replace("..", "-")).strip("-. ")[:NAME_LIMIT].rstrip("-. ") or "edition"
    if slug.split(".")[0].upper() in WINDOWS_RESERVED:
        slug = "edition-" + slug
    return slug


def project_of(path: str) -> str | None:
    """The nearest folder at or above `path` holding layout/ and fonts/fonts.yaml (None if there is none)."""
    here = os.path.abspath(path)
    while True:
        if os.path.isdir(os.path.join(here, "layout")) and os.path.isfile(os.path.join(here, "fonts", "fonts.yaml")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def find_project(edition_dir: str) -> str:
    """The nearest folder above the edition that holds layout/ and fonts/fonts.yaml (else the current one)."""
    return project_of(edition_dir) or os.getcwd()


def inside(path: str, folder: str) -> bool:
    """`path` is `folder` or below it (both compared as given: resolve them first where that matters)."""
    path, folder = os.path.normcase(path), os.path.normcase(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _refuse(diags: Diagnostics, path: str, why: str, hint: str) -> None:
    diags.fatal("output-refused", f"will not write {path}: {why}", SourceRef(path), hint=hint)
    raise BuildFailed(diags)


def output_problem(path: str, inputs: tuple[str, ...] = (), magic: bytes | None = None,
                   folder: bool = False) -> str | None:
    """Why `path` must not be written (None when it may be). `inputs`: files or folders read by this run."""
    if not path or "\0" in path or any(ord(c) < 32 for c in path):
        return "the path is empty or holds control characters"
    if os.path.islink(path):
        return "it is a symbolic link (writing would replace what it points to)"
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        info = None  # a folder on the way that cannot be made is reported when the write tries
    except OSError as exc:
        return f"it cannot be inspected ({exc.strerror})"
    if info is not None:
        if folder and not stat.S_ISDIR(info.st_mode):
            return "it exists and is not a folder"
        if not folder and stat.S_ISDIR(info.st_mode):
            return "it is a directory"
        if not folder and not stat.S_ISREG(info.st_mode):
            return "it is not a regular file (a device, FIFO or socket)"
    real = os.path.realpath(path)
    for given in inputs:
        if inside(real, os.path.realpath(given)):
            return f"it is an input of this run ({given})"
    project = project_of(path)
    for base in {b for b in (project, project_of(real)) if b is not None}:
        for name in INPUT_FOLDERS:
            for candidate in {os.path.join(base, name), os.path.realpath(os.path.join(base, name))}:
                if inside(real, candidate) or inside(os.path.abspath(path), candidate):
                    return f"it is inside {name}/, which holds the project's inputs"
    if info is not None and magic is not None and not folder:
        try:
            with open(path, "rb") as f:
                head = f.read(len(magic))
        except OSError as exc:
            return f"it cannot be read ({exc.strerror})"
        if head and head != magic:  # an empty file loses nothing
            return "it exists and is not a file this command wrote (it would be lost)"
    return None


def check_output(path: str, diags: Diagnostics, inputs: tuple[str, ...] = (), magic: bytes | None = None,
                 what: str = "the output") -> None:
    """Raise BuildFailed (exit 2, with the reason) if `path` must not be written; see `output_problem`."""
    why = output_problem(path, inputs, magic)
    if why:
        _refuse(diags, path, why, f"choose another path for {what}, e.g. under out/ (outputs never replace "
                "inputs, folders, devices or links)")


def check_output_folder(path: str, diags: Diagnostics, inputs: tuple[str, ...] = (), what: str = "the output") -> None:
    """The same for a folder that files are written into."""
    why = output_problem(path, inputs, folder=True)
    if why:
        _refuse(diags, path, why, f"choose another folder for {what}, e.g. under out/")


def input_problem(path: str, root: str | None = None) -> str | None:
    """Why `path` must not be read as an input (None when it may be): not a regular file, or (resolved,
    symbolic links too) outside `root`, by default its project (or its own folder when it has none)."""
    try:
        info = os.stat(path)  # stat, not open: a FIFO must not block us
    except FileNotFoundError:
        return "no such file"
    except (OSError, ValueError) as exc:
        return f"it cannot be read ({getattr(exc, 'strerror', None) or exc})"
    if not stat.S_ISREG(info.st_mode):
        return "it is not a regular file (a folder, device, FIFO or socket)"
    root = root or project_of(path) or os.path.dirname(os.path.abspath(path))
    if not inside(os.path.realpath(path), os.path.realpath(root)):
        return "it resolves (through a symbolic link) to a file outside the project"
    return None


def check_input(path: str, diags: Diagnostics, shown: str | None = None, root: str | None = None) -> None:
    """Raise BuildFailed (exit 2) if `path` must not be read; nothing of the file is shown."""
    why = input_problem(path, root)
    if why:
        if why == "no such file":
            hint = "check the name and the folder (a file named in the edition is looked for beside it)"
        elif "symbolic link" in why:
            hint = "inputs are regular files inside the project; copy the file in instead of linking it"
        else:
            hint = "inputs are regular files inside the project"
        diags.fatal("input-refused", f"will not read {shown or path}: {why}", SourceRef(shown or path), hint=hint)
        raise BuildFailed(diags)


__all__ = [
    "EDITION_NAME_HINT",
    "SAFE_NAME_HINT",
    "check_input",
    "check_output",
    "check_output_folder",
    "input_problem",
    "inside",
    "name_problem",
    "output_problem",
    "output_slug",
    "project_of",
    "safe_name",
]
