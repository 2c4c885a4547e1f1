"""The leaflet as an accessible web page: out/highlights-<folder>-web/ (index.html, style.css, fonts/,
pictures/), from the content model and the layout, self-contained (nothing fetched from elsewhere).

`WebBackend` is the `html` backend of highlight/backends (`highlight build EDITION --to html`): `web_files`
makes every file in memory (a pure function of its inputs but for the caches under .cache/web/), `write_folder`
puts them in place whole or not at all. html.py writes the document, assets.py the faces, pictures and style
sheet, settings.py reads layout/web.yaml, readback.py reads a page's text back for `check`.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from html import unescape

from ..diagnostics import BuildFailed, Diagnostics, SourceRef
from .settings import WebSettings, load_settings

INDEX = "index.html"
DOCTYPE = b"<!DOCTYPE html>\n<html"
MAX_PAGE_BYTES = 16 * 1024 * 1024  # `check` reads no larger index.html (the leaflet's is about 50 kB)


def web_files(edition, layout, fonts, project: str, diags: Diagnostics, settings: WebSettings | None = None,
              cache: dict | None = None, variant: str = "") -> dict[str, bytes]:
    """Every file of the web page, by its path inside the folder (`cache`: a build session's file cache;
    `variant`: "en" or "zh" for a single-language page, as `build --lang` makes)."""
    from ..images import picture_path
    from . import assets
    from .html import HtmlWriter, PictureRef

    settings = settings or load_settings(project, diags, cache)
    cache_dir = os.path.join(project, ".cache", "web")
    colours = assets.screen_colours(layout)
    files: dict[str, bytes] = {}
    prepared: dict[int, PictureRef] = {}

    def picture_for(image):
        key = id(image)
        if key not in prepared:
            folder = os.path.dirname(image.ref.file) or "."
            path, problem = picture_path(folder, image.file) if image.file else (None, "to come")
            ref = PictureRef(image, path)
            if path is None and image.file:
                diags.warning("web-picture-missing", f"the picture '{image.file}' is not there ({problem}): the web "
                              "page shows its caption only", image.ref,
                              hint="put the file in the edition's folder and build again")
            elif path is not None:  # (no file at all: a picture still to come, left out of the web page)
                made = assets.prepare_picture(path, tuple(int(w) for w in settings.picture_widths_px),
                                              settings.jpeg_quality, cache_dir, diags, image.ref)
                if made is not None:
                    ref.src, ref.srcset, ref.width, ref.height = made.src, made.srcset, made.width, made.height
                    files.update(dict(made.files))
            prepared[key] = ref
        return prepared[key]

    document = HtmlWriter(edition, layout, settings, diags, colours, picture_for, variant)
    body = document.html("style.css")
    characters = set(unescape(re.sub(r"<[^>]*>", "", body)))  # what the page shows in its faces
    from ..project import fonts_cache

    faces_dir = fonts_cache(project)  # where the build found the faces (the project's, the user's, $HIGHLIGHT_CACHE)
    faces = assets.web_fonts(fonts, characters, faces_dir, cache_dir)
    # (no <link rel=preload> for the faces: a preload is a CORS request, which a page opened from file:// fails)
    files[INDEX] = body.encode("utf-8")
    files["style.css"] = assets.style_sheet(layout, settings, faces, colours).encode("utf-8")
    if 'src="lang.js"' in body:  # the language switch kept while reading (the page works without it)
        from importlib.resources import files as package_files

        files["lang.js"] = package_files("highlight.web").joinpath("lang.js").read_bytes()
    for face in faces:
        files[face.file] = face.data
    for name in sorted(os.listdir(faces_dir)):
        if name.startswith("LICENSE-") and name.endswith(".txt"):  # the OFL travels with the faces
            with open(os.path.join(faces_dir, name), "rb") as f:
                files[f"fonts/{name}"] = f.read()
    return dict(sorted(files.items()))


def folder_problem(folder: str) -> str | None:
    """Why an existing `folder` must not be replaced: it holds something this command did not write."""
    if not os.path.exists(folder):
        return None
    if os.path.islink(folder) or not os.path.isdir(folder):
        return "it exists and is not a folder"
    index = os.path.join(folder, INDEX)
    try:
        with open(index, "rb") as f:
            ours = f.read(len(DOCTYPE)) == DOCTYPE
    except OSError:
        ours = not os.listdir(folder)  # an empty folder loses nothing
    if not ours:
        return "it exists and is not a web page this command wrote (its files would be lost)"
    return None


_STAGING = re.compile(r"\.highlight-web-(?:old-)?(\d+)-\w+")


def _remove_stale(parent: str) -> None:
    """The staging folders a killed build (SIGKILL, a power cut) left beside its output: their process is
    gone. Another build's, still running, are left alone."""
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for name in names:
        match = _STAGING.fullmatch(name)
        path = os.path.join(parent, name)
        if not match or os.path.islink(path) or not os.path.isdir(path):
            continue
        try:
            os.kill(int(match.group(1)), 0)
            continue  # its writer is still running
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except (PermissionError, OverflowError, ValueError):
            continue  # another user's process, or no process number at all


def refuse_folder(folder: str, diags: Diagnostics, inputs: tuple[str, ...] = ()) -> None:
    """Raise BuildFailed (exit 2) when `folder` must not be written: an input, a file, a link, or a folder
    holding something else than a web page of ours."""
    from ..paths import check_output_folder

    check_output_folder(folder, diags, inputs, what="the web page (-o)")
    why = folder_problem(folder)
    if why:
        diags.fatal("output-refused", f"will not write {folder}: {why}", SourceRef(folder),
                    hint="choose another folder with -o, e.g. under out/")
        raise BuildFailed(diags)


def write_folder(folder: str, files: dict[str, bytes], diags: Diagnostics, inputs: tuple[str, ...] = ()) -> None:
    """Write `files` into a new folder beside `folder`, then put it in `folder`'s place: a failed build
    leaves the previous page as it was, never half a page."""
    refuse_folder(folder, diags, inputs)
    parent = os.path.dirname(os.path.abspath(folder))
    _remove_stale(parent)
    try:
        os.makedirs(parent, exist_ok=True)
        staging = tempfile.mkdtemp(dir=parent, prefix=f".highlight-web-{os.getpid()}-")
    except OSError as exc:
        diags.fatal("output-unwritable", f"cannot write into {parent}: {exc.strerror}", SourceRef(folder),
                    hint="choose another output folder with -o, or fix its permissions")
        raise BuildFailed(diags) from None
    old = None
    try:
        os.chmod(staging, 0o755)
        for name, data in files.items():
            path = os.path.join(staging, *name.split("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
        if os.path.exists(folder):
            old = tempfile.mkdtemp(dir=parent, prefix=f".highlight-web-old-{os.getpid()}-")
            os.rmdir(old)
            os.replace(folder, old)
        os.replace(staging, folder)
    except OSError as exc:
        if old and not os.path.exists(folder) and os.path.exists(old):
            os.replace(old, folder)
            old = None
        diags.fatal("output-write", f"writing {folder} failed: {exc.strerror or exc}", SourceRef(folder),
                    hint="check free disk space and permissions; the previous web page was left as it was")
        raise BuildFailed(diags) from None
    finally:
        for leftover in (staging, old):
            if leftover and os.path.exists(leftover):
                shutil.rmtree(leftover, ignore_errors=True)


class WebBackend:
    """`highlight build EDITION --to html`: the web page's folder, out/highlights-<folder>-web/ (the output's
    name from `suffix`, as for every backend)."""

    name = "html"
    suffix = "-web"
    what = "the web page (-o)"

    def check_path(self, path: str, diags: Diagnostics, inputs: tuple[str, ...]) -> None:
        refuse_folder(path, diags, inputs)

    def render(self, document, diags: Diagnostics) -> dict[str, bytes]:
        # The layout's "a marked placeholder is printed" is not so on the web: web_files says what the page does
        diags.items[:] = [d for d in diags.items if d.code != "qr-placeholder"]
        return web_files(document.edition, document.layout, document.fonts, document.project, diags,
                         cache=document.files, variant=document.meta.variant)

    def post_check(self, data, document, diags: Diagnostics) -> None:
        pass  # the page is checked by tests/test_web.py in a browser, and by `highlight check` against the deck

    def write(self, path: str, data: dict[str, bytes], diags: Diagnostics, inputs: tuple[str, ...]) -> None:
        write_folder(path, data, diags, inputs)
