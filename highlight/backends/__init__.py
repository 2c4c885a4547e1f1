"""Outputs as backends: what a backend is given, what it must do, and the one registry of them.

A backend turns the laid-out pages into files. Its whole input is a `Document`: the pages (layout/items.py:
positions in points from the trimmed page's top-left, y downwards, each item with its role, language and
source), the document's metadata, the edition's content model and the layout, the fonts the pages were set
with, and what the print target adds (crop marks, the output profile). `check_path` refuses an output path
before any work is done (paths.check_output: never over an input, a folder, a link, a file of another kind);
`render` makes the output in memory (the bytes of one file, or a folder's files by name); `post_check` judges
it before anything is written (the PDF's preflight); `write` puts it at the output path whole or not at all.
Nothing here knows ReportLab: render.py is the PDF backend's adapter.

`highlight build EDITION --to NAME` picks one by its name in BACKENDS (pdf the default); `--target print|screen`
stays the colour target. CONTRIBUTING.md ("Adding an output backend") is the recipe for a new one.
"""
from __future__ import annotations

import importlib
import os

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 2.4 ms of every process, issue 28)
if TYPE_CHECKING:
    from typing import Any, NamedTuple, Protocol

    from ..diagnostics import Diagnostics
    from ..fonts import FontSet
    from ..layout import LaidOutPage
    from ..layout_spec import Layout
    from ..model import Edition
else:
    from collections import namedtuple

    class _Fields(type):
        """typing.NamedTuple's class syntax, made by collections.namedtuple: the class's annotated names are its
        fields, their values the defaults, its docstring kept (typing's NamedTuple: 0.9 ms a class, 0.1 here)."""

        def __new__(mcs, name: str, bases: tuple, namespace: dict):
            if not bases:
                return super().__new__(mcs, name, bases, namespace)
            fields = tuple(namespace.get("__annotations__", ()))
            made = namedtuple(name, fields, defaults=[namespace[f] for f in fields if f in namespace],
                              module=namespace["__module__"])
            made.__doc__ = namespace.get("__doc__")
            made.__annotations__ = dict(namespace.get("__annotations__", {}))
            return made

    class NamedTuple(metaclass=_Fields):
        pass

    Protocol = object


# Metadata and Document are NamedTuples (immutable, as frozen dataclasses would be): every build process
# imports this module, and a NamedTuple is made in a fifth of a dataclass's time.
class Metadata(NamedTuple):
    """What every output says about itself."""

    title: str  # the edition's title, both languages
    subject: str  # "Annual Highlights 2022-23 (2022-23)"
    edition: str  # the edition's name (edition.yaml)
    languages: tuple[str, ...]  # BCP 47: ("en", "zh-Hant"), or one for a single-language variant
    date_epoch: int  # the document's date (SOURCE_DATE_EPOCH, else the edition's): reproducible output
    target: str = "print"  # the colour target: print (CMYK, the output profile) or screen (RGB)
    variant: str = ""  # "en" or "zh" for a single-language variant


class Document(NamedTuple):
    """A backend's whole input."""

    pages: tuple[LaidOutPage, ...]
    meta: Metadata
    edition: Edition  # the content model
    layout: Layout
    fonts: FontSet
    project: str  # the folder holding layout/ and fonts/ (caches under .cache/)
    edition_dir: str
    marks: bool = True  # crop marks (print)
    tagged: bool = True  # tagged (PDF/UA) and checked after rendering (`watch` previews skip both)
    profile: Any = None  # the output profile (profiles.OutputProfile) of the print target, else None
    picture_icc: bytes | None = None  # the profile pictures are converted through (print and screen)
    files: dict | None = None  # the build session's cache of parsed YAML files (a backend's own settings too)
    # A digest of all the pages are a function of (each page's .cache/pages name: its content, the layout, the
    # line store's name), the fonts' files, the profiles and everything above but `edition`, `project` and
    # `files`: a backend may keep its output under it (.cache/output), None when a part had no name.
    key: bytes | None = None
    # (pages, output) of the same session's last untagged build of the same layout, fonts, profiles and metadata
    # (a `watch` preview): a backend may draw again only the pages that are not the very same objects.
    previous: tuple | None = None
    # Each page's .cache/pages name (what its laid-out page is a function of), when every page has one and `key`
    # is given: a backend may keep a page's drawing under it (render.py's .cache/drawn).
    page_keys: tuple[str, ...] | None = None


class Backend(Protocol):
    name: str  # its --to name
    suffix: str  # its default output's ending: ".pdf", ".json" (a folder's: "-web"); see output_path

    def check_path(self, path: str, diags: Diagnostics, inputs: tuple[str, ...]) -> None:
        """Raise BuildFailed (exit 2, located, with a hint) if the output must not go to `path`: called before
        any work (FileBackend's: paths.check_output with the backend's magic)."""

    def render(self, document: Document, diags: Diagnostics) -> Any:
        """The output in memory, a pure function of the document (reproducible): bytes, or for a folder a dict
        of its files' bytes by their path inside it."""

    def post_check(self, data: Any, document: Document, diags: Diagnostics) -> None:
        """Errors in `diags` for output that must not be written (the PDF's preflight); may do nothing."""

    def write(self, path: str, data: Any, diags: Diagnostics, inputs: tuple[str, ...]) -> None:
        """`data` at `path`, whole or not at all, never over one of `inputs` (atomic.write_atomically)."""


class FileBackend:
    """The common part of a backend writing one file: its path checked and written as paths.check_output and
    atomic.write_atomically do it, an existing file replaced only if it starts with `magic`."""

    name = ""
    suffix = ""
    magic = b""  # what an existing output file must start with to be replaced (never another kind of file)
    what = "the output (-o)"  # how messages name it
    durable = True  # synced to the disk before it replaces the old file (a backend may say not, for a preview)

    def check_path(self, path: str, diags: Diagnostics, inputs: tuple[str, ...]) -> None:
        from ..paths import check_output

        check_output(path, diags, inputs, magic=self.magic, what=self.what)

    def post_check(self, data: Any, document: Document, diags: Diagnostics) -> None:
        pass

    def write(self, path: str, data: Any, diags: Diagnostics, inputs: tuple[str, ...]) -> None:
        from ..atomic import write_atomically

        write_atomically(path, data, diags, inputs, magic=self.magic, what=self.what, durable=self.durable)


# The one registry: --to name -> "module:class", imported only when asked for (a build loads one backend).
BACKENDS: dict[str, str] = {
    "pdf": "highlight.backends.pdf:PdfBackend",
    "json": "highlight.backends.pagemodel:PageModelBackend",
    "html": "highlight.web:WebBackend",  # the web page, a folder (issue 25)
}


def names() -> tuple[str, ...]:
    return tuple(BACKENDS)


def get(name: str) -> Backend:
    """The backend registered as `name` (KeyError if none is)."""
    module, _, cls = BACKENDS[name].partition(":")
    return getattr(importlib.import_module(module), cls)()


def output_path(project: str, name: str, lang: str | None = None, target: str = "print", preview: str = "",
                suffix: str = ".pdf") -> str:
    """out/highlights-<name>[-<lang>][-screen][-greedy|-preview]<suffix>: a preview never has the print's name;
    `name` is the edition folder's (paths.output_slug)."""
    tail = (f"-{lang}" if lang else "") + ("-screen" if target == "screen" else "")
    tail += {"": "", "first-fit breaking": "-greedy"}.get(preview, "-preview")
    return os.path.join(project, "out", f"highlights-{name}{tail}{suffix}")
