"""What a project is and where its shared files and caches live, wherever highlight is installed.

A project is a folder holding `content/<edition>/`, the `layout/` to edit and the two manifests
(`fonts/fonts.yaml`, `profiles/profiles.yaml`); `highlight init` makes one from the defaults the package
carries. The defaults are the repository's own files: a wheel carries copies of them (`highlight/_project/`,
put there by setup.py's build step), a source checkout (an editable install) reads them where they are.

Caches: the fonts a build fetches on first use are shared by every project of the user, in the user's cache
folder (as platformdirs names it: ~/.cache/highlight, ~/Library/Caches/highlight,
%LOCALAPPDATA%\\highlight\\Cache), or in $HIGHLIGHT_CACHE when it is set. A project whose fonts were set up
explicitly (`highlight fonts`, which `make` runs in the checkout) has its own .cache/fonts and keeps using it.
The print profile is package data (profiles.py): nothing to set up.
"""
from __future__ import annotations

import os
import sys

from .diagnostics import BuildFailed, Diagnostics, SourceRef

CACHE_ENV = "HIGHLIGHT_CACHE"  # a folder for the shared caches (fonts), e.g. on CI or a machine without a home
# The files a project needs beside its content, as `highlight init` writes them.
PROJECT_FILES = (os.path.join("layout", "page.yaml"), os.path.join("layout", "styles.yaml"),
                 os.path.join("layout", "templates.yaml"), os.path.join("fonts", "fonts.yaml"),
                 os.path.join("profiles", "profiles.yaml"))
EXAMPLE_EDITION = "2022-23"  # the edition `highlight init` starts a project with (content/<this> of the defaults)


def defaults_root() -> str:
    """The folder holding the default layout/, fonts/fonts.yaml, profiles/profiles.yaml and content/: the
    copies an installed wheel carries, else the source checkout the package is imported from."""
    here = os.path.dirname(os.path.abspath(__file__))
    packed = os.path.join(here, "_project")
    if os.path.isdir(packed):
        return packed
    return os.path.dirname(here)


def user_cache_dir() -> str:
    """The user's cache folder for highlight (platformdirs' user_cache_dir, without the dependency)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(os.path.expanduser("~"), "AppData", "Local")
        return os.path.join(base, "highlight", "Cache")
    if sys.platform == "darwin":
        return os.path.join(os.path.expanduser("~"), "Library", "Caches", "highlight")
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "highlight")


def fonts_cache(project: str) -> str:
    """Where the faces are (or will be fetched to): $HIGHLIGHT_CACHE/fonts, else the project's own
    .cache/fonts when it has one (a checkout `make` set up), else the user's cache folder."""
    given = os.environ.get(CACHE_ENV)
    if given:
        return os.path.join(os.path.abspath(given), "fonts")
    own = os.path.join(project, ".cache", "fonts")
    if os.path.isdir(own):
        return own
    return os.path.join(user_cache_dir(), "fonts")


def missing_files(project: str) -> list[str]:
    """The files of PROJECT_FILES the project lacks (one that is there but no file is the reader's to refuse)."""
    return [name for name in PROJECT_FILES if not os.path.lexists(os.path.join(project, name))]


def check_project(project: str, diags: Diagnostics, found: bool) -> None:
    """One error naming every shared file the project lacks, and the folder taken as the project
    (`found`: it was found above the edition; else it is the current folder, for want of one)."""
    missing = missing_files(project)
    if not missing:
        return
    how = "the nearest folder above the edition holding layout/ and fonts/fonts.yaml" if found else \
        "the current folder: no folder above the edition holds layout/ and fonts/fonts.yaml"
    for name in missing:
        diags.fatal("project-file-missing", f"{name} is missing from the project {project} ({how})",
                    SourceRef(os.path.join(project, name)),
                    hint=f"`highlight init {project}` adds the default layout and manifests without touching "
                         "what is there; or run highlight in the project folder made by `highlight init`")
    raise BuildFailed(diags)


def announce(step: str) -> None:
    """A set-up step the build does on first use (a download): said on stderr, as it starts."""
    from .diagnostics import shown

    if not QUIET[0]:
        print(f"highlight: {shown(step, 500)} …", file=sys.stderr, flush=True)


QUIET = [False]  # -q: the command line silences `announce`
