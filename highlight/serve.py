"""Live proofs in the browser: `highlight serve content/<edition>`.

A `watch` session (highlight/watch.py) rebuilds on every save; each good build
is written to the watch preview (out/highlights-<folder>-preview.pdf) and the
pages whose laid-out content changed are rendered from that PDF to PNG under
out/serve/<folder>/. A small page (highlight/serve_assets/) shows them as the
leaflet's spreads and draws the overlays itself, from a JSON dump of the
laid-out pages (frames, lines with their box and source), so toggling an
overlay re-renders nothing. Server-sent events tell the page a new revision is
there; it swaps the changed pictures in place.

Only the standard library's http.server: a proof server for one designer on
loopback needs no framework. It serves its own assets and files under the
project's out/, nothing else, and listens on 127.0.0.1 unless --host says
otherwise; on loopback it also refuses requests naming another host (a web
page elsewhere cannot reach it by DNS rebinding).
"""
from __future__ import annotations

import os
import shutil
import socket
import sys
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit

from .backends.pagemodel import item_record
from .build import BuildOptions, default_output, find_project, output_name
from .diagnostics import json_text, shown
from .layout import LaidOutPage, QrMark, TextLine
from .layout_spec import MM
from .watch import watch

ASSETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "serve_assets")
ASSET_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
               ".css": "text/css; charset=utf-8"}
LOOPBACK = ("127.0.0.1", "localhost", "::1")
# The files of a web page (`build --to html`) served from its folder under out/, with a policy that lets it
# use only its own files (its one script, the language switch, included) and run nothing inline.
WEB_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".woff2": "font/woff2",
             ".js": "text/javascript; charset=utf-8",
             ".jpg": "image/jpeg", ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8"}
WEB_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; img-src 'self' data:; "
              "frame-ancestors 'self'; base-uri 'none'; form-action 'none'")
# Where a click opens the editor; {path} is absolute (so vscode://file/home/…), {line} and {column} 1-based.
DEFAULT_EDITOR = "vscode://file{path}:{line}:{column}"
POLL_SECONDS = 0.01  # 25 stat calls a round cost microseconds; a save shows 20 ms sooner on average than at watch's 50
# Hostile or broken clients (issue 27): at most MAX_CLIENTS connections are served at once (one thread
# each; more are told 503 and closed, without a thread), a request's line and headers are at most
# REQUEST_BYTES and must arrive within REQUEST_SECONDS (a slow or silent client is closed), a client
# that stops reading is dropped after WRITE_SECONDS. A client that goes away is ordinary: nothing is printed.
MAX_CLIENTS = 32
REQUEST_BYTES = 16 * 1024
REQUEST_SECONDS = 10.0
WRITE_SECONDS = 30.0
FINDINGS = ("runts", "loose", "hyphenated", "rule_breaks", "off_grid", "spaced", "bracket_breaks", "han_latin",
            "detached_markers")


@dataclass(frozen=True)
class ServeOptions:
    edition_dir: str
    host: str = "127.0.0.1"
    port: int = 8017
    editor: str = DEFAULT_EDITOR
    dpi: int = 110


def _mm(value_pt: float) -> float:
    return round(value_pt / MM, 2)


class LiveProof:
    """The state the server shows: the last good pages (pictures and layout), the last build's diagnostics,
    and a revision that changes after each rebuild. Updated by one thread (`run`), read by the handlers."""

    def __init__(self, options: ServeOptions):
        self.options = options
        self.project = find_project(options.edition_dir)
        self.out_dir = os.path.join(self.project, "out")
        self.name = output_name(options.edition_dir)
        self.serve_dir = os.path.join(self.out_dir, "serve", self.name)
        self.preview_pdf = default_output(self.project, options.edition_dir, preview="watch")
        self.scratch_pdf = os.path.join(self.serve_dir, "building.pdf")
        self.revision = 0
        self.drawn = 0  # counts the pushes of new pictures, each before its revision is announced
        self.drawn_pages: list[dict] = []  # [{"number", "image"}] of the pictures last pushed
        self.ok = False
        self.diagnostics: list[dict] = []
        self.pages: list[dict] = []  # [{"number", "image"}] of the last good build
        self.layout: dict = {"pages": []}  # the last good build's laid-out pages, in mm
        self.failed: dict | None = None  # a failing build's laid-out pages, when it got that far
        self.latency_s = 0.0  # last rebuild: noticing the change → pictures written
        self._rendered: dict[int, LaidOutPage] = {}  # page number -> the laid-out page its PNG shows
        self._versions: dict[int, int] = {}
        self._boxes: list[list[float]] = []  # each page picture's extent, mm from the trim's top-left
        self._reports: dict[int, tuple] = {}  # page number -> (laid-out page, fonts, its typography report)
        self._dumped: dict[int, tuple] = {}  # page number -> (page, layout, report, box, its record in the dump)
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        self.web_dir = os.path.join(self.serve_dir, "web")  # the web page of the last good build, when asked for
        self._web_source: tuple | None = None  # (revision, backends.Document) of the last good build
        self._web_revision = -1  # the revision the web page in web_dir was written from
        self._web_lock = threading.Lock()

    # -- building -------------------------------------------------------------------------------------------
    def run(self, first_done: threading.Event | None = None, on_build=None) -> None:
        """Build, then rebuild after every save until `stopping` is set; `on_build(result, latency_s, first)`
        after each."""
        os.makedirs(self.serve_dir, exist_ok=True)
        options = BuildOptions(self.options.edition_dir, self.scratch_pdf, preflight=False, proof=True)
        count = 0
        try:
            for rebuild in watch(options, stop=self.stopping.is_set, poll_s=POLL_SECONDS):
                started = time.perf_counter()
                self._take(rebuild.result)
                self.latency_s = rebuild.latency_s + time.perf_counter() - started
                if on_build:
                    on_build(rebuild.result, self.latency_s, count == 0)
                count += 1
                if first_done is not None:
                    first_done.set()
        finally:  # a bug of ours must not leave `serve` waiting for a first build
            if first_done is not None:
                first_done.set()

    def _take(self, result) -> None:
        """A proof build writes what it laid out, errors and all, to the scratch PDF: only a good one becomes
        the preview and its pictures; a failing one keeps the last good pages and is outlined over them."""
        good = result.output is not None and not result.diagnostics.has_errors()  # (the report adds warnings only)
        if good:
            self._web_source = (self.revision + 1, result.document)
            os.replace(self.scratch_pdf, self.preview_pdf)
            result.output, result.preview = self.preview_pdf, "serve"  # what the summary line names
            drawn = self._render(result)
            if drawn:  # the new pictures go to the page as soon as they are drawn, before the report and the dump
                with self.changed:
                    self.drawn += 1
                    self.drawn_pages = [{"number": n, "image": self._image_url(n)} for n in drawn]
                    self.changed.notify_all()
        self._report(result)
        diagnostics = [d.as_dict() for d in result.diagnostics.items]
        if good:
            layout = self._dump(result)
        else:
            try:
                os.remove(self.scratch_pdf)
            except OSError:
                pass
            failed = self._dump(result) if result.pages else None
        with self.changed:
            self.revision += 1
            self.ok = good
            self.diagnostics = diagnostics
            if good:
                self.layout, self.failed = layout, None
                self.pages = [{"number": n, "image": self._image_url(n)} for n in sorted(self._rendered)]
            else:
                self.failed = failed
            self.changed.notify_all()

    def _report(self, result) -> None:
        """The typography report (its findings are warnings, as with `build --report`), made afresh only for
        the pages laid out again: the build reports every page, 25 ms a save that a designer would wait for."""
        from . import typography

        if not result.pages or result.layout is None:
            return
        limits = result.layout.geometry.typography
        reports = []
        for page in result.pages:
            cached = self._reports.get(page.number)
            if cached is None or cached[0] is not page or cached[1] is not result.font_set:
                cached = (page, result.font_set, typography.report([page], result.font_set, limits)[0])
                self._reports[page.number] = cached
            reports.append(cached[2])
        result.typography = reports
        typography.add_diagnostics(reports, result.diagnostics, limits)

    def _image_url(self, number: int) -> str:
        return f"/out/serve/{quote(self.name)}/page-{number:02d}.png?v={self._versions[number]}"

    def _render(self, result) -> list[int]:
        """PNGs of the pages whose laid-out content changed (BuildSession keeps an unchanged page's object);
        their numbers."""
        import pypdfium2 as pdfium

        numbers = {p.number for p in result.pages}
        if set(self._rendered) != numbers:  # pages added or taken away: the folios may differ, render all
            self._rendered = {}
        todo = [p for p in result.pages if self._rendered.get(p.number) is not p]
        if not todo:
            return []
        pdf = pdfium.PdfDocument(self.preview_pdf)
        try:
            # A page not drawn again keeps its picture's box (a new layout lays every page out again): reading
            # the boxes of all eight made pdfium load each page, 5-15 ms between a save and its picture.
            boxes: list = list(self._boxes) if len(self._boxes) == len(pdf) else [None] * len(pdf)
            for page in todo:
                pdf_page = pdf[page.number - 1]
                bitmap = pdf_page.render(scale=self.options.dpi / 72, rev_byteorder=True)
                path = os.path.join(self.serve_dir, f"page-{page.number:02d}.png")
                with open(path + ".tmp", "wb") as f:
                    f.write(_png(bitmap))
                os.replace(path + ".tmp", path)
                self._rendered[page.number] = page
                self._versions[page.number] = self.revision + 1
                boxes[page.number - 1] = self._box(pdf_page)
            self._boxes = [box if box is not None else self._box(pdf[i]) for i, box in enumerate(boxes)]
        finally:
            pdf.close()
        return [page.number for page in todo]

    @staticmethod
    def _box(pdf_page) -> list[float]:
        """The picture's extent in mm from the trim's top-left corner: [left, top, width, height]."""
        media, trim = pdf_page.get_mediabox(), pdf_page.get_trimbox()
        return [round((media[0] - trim[0]) / MM, 3), round((trim[3] - media[3]) / MM, 3),
                round((media[2] - media[0]) / MM, 3), round((media[3] - media[1]) / MM, 3)]

    def _dump(self, result) -> dict:
        """The laid-out pages in mm from the trim's top-left: what the page draws its overlays from."""
        layout = result.layout
        g = layout.geometry
        findings = _findings(result.typography or [])
        styles = _style_index(layout)
        pages = []
        for page in result.pages:
            boxes = self._boxes
            bleed = g.page.bleed_mm
            box = boxes[page.number - 1] if page.number <= len(boxes) else [-bleed, -bleed, 0, 0]
            # A page laid out as before (the same object, with the same layout, report and picture box) has the
            # same record: only the pages a save changed are written down again (its lines: 5-15 ms a page).
            report = self._reports.get(page.number)
            memo = self._dumped.get(page.number)
            if memo is not None and memo[0] is page and memo[1] is layout and memo[2] is report \
                    and memo[3] == box:
                pages.append(memo[4])
                continue
            lines, placeholders = [], []
            for item in page.items:  # the page model's items (`build --to json`), with what the report found
                if isinstance(item, TextLine) and item.line.runs:
                    record = item_record(item)
                    x, y, w, h = record["box"]
                    lines.append({
                        "x": x, "y": y, "w": w, "h": h, "baseline": record["baseline"],
                        "text": record["text"], "frame": record["frame"], "lang": record["lang"],
                        "role": record["role"], "style": _style_of(item, styles), **record["source"],
                        "findings": findings.get(id(item), []),
                        "off_grid": item.frame not in ("title-band", "folio") and not page.on_grid(item.baseline_pt),
                    })
                elif isinstance(item, QrMark) and item.url is None:
                    record = item_record(item)
                    x, y, w, h = record["box"]
                    placeholders.append({"x": x, "y": y, "w": w, "h": h, "what": "QR placeholder",
                                         "file": item.ref.file, "line": item.ref.line})
            underfull = None
            if page.underfull_pt and page.foot_gap_pt > page.underfull_pt:
                underfull = {"y": _mm(page.body_bottom_pt - page.foot_gap_pt), "h": _mm(page.foot_gap_pt)}
            pages.append({
                "number": page.number, "title": page.title,
                "box": box,
                "safe_mm": page.safe_mm,
                "frames": [{"name": f.name, "x": _mm(f.x_pt), "y": _mm(f.y_pt), "w": _mm(f.width_pt),
                            "h": _mm(f.height_pt), "used": _mm(f.used_pt), "fixed": f.fixed,
                            "overflowed": f.name in page.overflowed or f.used_pt > f.height_pt + 0.5}
                           for f in page.frames],
                "lines": lines, "placeholders": placeholders, "underfull": underfull,
                "grid": {"top": _mm(page.grid_top_pt), "step": _mm(page.grid_pt),
                         "major": max(1, round(layout.style("body", "en").leading_pt / page.grid_pt))
                         if page.grid_pt else 1,
                         "bottom": _mm(page.body_bottom_pt)},
            })
            self._dumped[page.number] = (page, layout, report, box, pages[-1])
        columns = [[_mm(x), _mm(w)] for x, w in (layout.column_x_pt(c, 1) for c in range(1, g.grid.columns + 1))]
        return {"trim": [_mm(layout.page_width_pt), _mm(layout.page_height_pt)], "bleed_mm": g.page.bleed_mm,
                "columns": columns, "pages": pages}

    # -- reading ---------------------------------------------------------------------------------------------
    def state(self) -> dict:
        with self.changed:
            return {"revision": self.revision, "ok": self.ok, "pages": list(self.pages),
                    "diagnostics": list(self.diagnostics), "edition": self.name,
                    "preview": os.path.relpath(self.preview_pdf, self.project), "latency_ms":
                    round(self.latency_s * 1000, 1), "editor": self.options.editor}

    def web_page(self) -> dict | None:
        """The web page of the last good build (`build --to html`), written into out/serve/<folder>/web/ when
        first asked for after a rebuild (a save costs the proofs nothing while the web tab is closed)."""
        with self._web_lock:
            source = self._web_source
            if source is None:
                return None
            revision, document = source
            if revision != self._web_revision:
                from .diagnostics import BuildFailed, Diagnostics
                from .web import WebBackend

                diags = Diagnostics()
                web = WebBackend()
                try:
                    web.write(self.web_dir, web.render(document, diags), diags, ())
                except BuildFailed:
                    return {"revision": revision, "url": None,
                            "diagnostics": [d.as_dict() for d in diags.items]}
                self._web_revision = revision
            url = f"/out/serve/{quote(self.name)}/web/index.html?v={revision}"
            return {"revision": revision, "url": url}

    def layout_dump(self) -> dict:
        with self.changed:
            return {"revision": self.revision, "ok": self.ok, "layout": self.layout, "failed": self.failed}

    def source(self, number: int, x_mm: float, y_mm: float) -> dict | None:
        """The laid-out line under a point of a page (mm from the trim's top-left), or None."""
        with self.changed:
            pages = [p for p in self.layout["pages"] if p["number"] == number]
        hits = [line for page in pages for line in page["lines"]
                if line["x"] - 0.3 <= x_mm <= line["x"] + line["w"] + 0.3 and line["y"] <= y_mm <= line["y"] + line["h"]]
        if not hits:
            return None
        line = min(hits, key=lambda h: abs(h["baseline"] - y_mm))
        path = os.path.join(self.project, line["file"]) if not os.path.isabs(line["file"]) else line["file"]
        if line["lang"] == "zh":  # a Chinese line opens its text's zh: line, not the mapping's first (en:) one
            line = {**line, **_language_place(path, line, "zh")}
        editor = self.options.editor.format(path=os.path.abspath(path), line=line["line"], column=line["column"])
        return {"file": line["file"], "line": line["line"], "column": line["column"], "yaml_path": line["yaml_path"],
                "text": line["text"], "style": line["style"], "frame": line["frame"], "lang": line["lang"],
                "page": number, "box": [line["x"], line["y"], line["w"], line["h"]], "editor": editor}

    def pdfs(self) -> list[str]:
        """Earlier PDFs to compare with: every PDF under out/ but the scratch file, newest first."""
        found = []
        for folder, _, names in os.walk(self.out_dir):
            for n in names:
                path = os.path.join(folder, n)
                if n.endswith(".pdf") and path != self.scratch_pdf:
                    found.append(path)
        found.sort(key=lambda p: (-os.stat(p).st_mtime_ns, p))
        return [os.path.relpath(p, self.out_dir) for p in found]

    def compare(self, against: str) -> dict | None:
        """What `highlight diff` finds between an earlier PDF under out/ and the current preview, with a picture
        of each changed page (out/serve/<folder>/compare/); None when `against` is not a PDF under out/."""
        from .visual_diff import diff_pdfs

        old = _inside(self.out_dir, against)
        if old is None or not old.endswith(".pdf") or not os.path.isfile(old):
            return None
        folder = os.path.join(self.serve_dir, "compare")
        shutil.rmtree(folder, ignore_errors=True)
        with self.changed:
            revision = self.revision
        changes = diff_pdfs(old, self.preview_pdf, folder)
        return {"against": against, "revision": revision, "pages": [
            {"number": c.number, "removed": c.removed, "added": c.added,
             "picture": ("/out/" + os.path.relpath(c.picture, self.out_dir).replace(os.sep, "/") + f"?r={revision}")
             if c.picture else None} for c in changes]}

    def keep_start(self) -> None:
        """The session's first good preview, kept to compare against (out/serve/<folder>/session-start.pdf)."""
        if os.path.isfile(self.preview_pdf):
            shutil.copyfile(self.preview_pdf, os.path.join(self.serve_dir, "session-start.pdf"))


def _png(bitmap) -> bytes:
    """A page's picture as a PNG: its RGB rows unfiltered, compressed by zlib at level 1. Pillow's encoder tries
    five filters on every row (23 ms for a page at 110 dpi, the longest step between a save and its picture);
    a proof page is mostly flat colour, which zlib packs as well without them (11 ms, and smaller). The same
    pixels either way; a bitmap that is not 8-bit RGB (pdfium's choice for a page with transparency) goes
    through Pillow as before."""
    import struct
    import zlib

    if not (bitmap.n_channels == 3 and bitmap.rev_byteorder and bitmap.mode == "RGB"):
        import io

        out = io.BytesIO()
        bitmap.to_pil().convert("RGB").save(out, format="PNG", compress_level=1)
        return out.getvalue()
    width, height, stride = bitmap.width, bitmap.height, bitmap.stride
    pixels = memoryview(bitmap.buffer).cast("B")
    row = width * 3
    packed = zlib.compress(b"".join(b"\0" + pixels[y * stride:y * stride + row] for y in range(height)), 1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", packed) + chunk(b"IEND", b""))


def _findings(report: list) -> dict[int, list[str]]:
    """The typography report's findings by the laid-out line they name (by identity)."""
    found: dict[int, list[str]] = {}
    for page in report:
        for kind in FINDINGS:
            for item, text in getattr(page, kind, []):
                if item is not None:
                    found.setdefault(id(item), []).append(f"{kind.replace('_', ' ')}: {text}")
    return found


def _style_index(layout) -> dict:
    """(lang, weight, size, leading) -> style names; a style's copyfit steps too (a figure a step smaller)."""
    from .layout.copyfit import at_size

    index: dict = {}
    for (name, lang), style in sorted(layout.styles.items()):
        for size in (style.size_pt, *layout.steps(name)):
            step = at_size(style, size, layout.geometry.grid.baseline_pt)
            key = (lang, step.weight, round(step.size_pt, 2), round(step.leading_pt, 2))
            if name not in index.get(key, []):
                index.setdefault(key, []).append(name)
    return index


def _style_of(item: TextLine, index: dict) -> str:
    """The style a line was set in, found from its face, size and leading (a line keeps no style name)."""
    runs = [r for r in item.line.runs if r.text.strip() and not r.rise_pt] or list(item.line.runs)
    run = max(runs, key=lambda r: (r.size_pt, len(r.text)))
    weight = run.face.rsplit("-", 1)[-1] if run.face else ""
    lang = "zh" if item.lang in ("zh", "mixed") else "en"
    names = index.get((lang, weight, round(run.size_pt, 2), round(item.line.leading_pt, 2)), [])
    shown = " / ".join(names[:3]) + (" …" if len(names) > 3 else "")
    return f"{shown} ({run.face} {run.size_pt:g}/{item.line.leading_pt:g} pt)" if shown else \
        f"{run.face} {run.size_pt:g}/{item.line.leading_pt:g} pt"


def _inside(root: str, relative: str) -> str | None:
    """`root/relative` when it stays inside `root` (no .., no absolute path, no link out), else None."""
    if not relative or "\x00" in relative or os.path.isabs(relative) or "\\" in relative:
        return None
    parts = relative.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return None
    path = os.path.realpath(os.path.join(root, *parts))
    real_root = os.path.realpath(root)
    if os.path.commonpath([path, real_root]) != real_root:
        return None
    return path


class _TooLarge(Exception):
    """A request's line and headers went beyond REQUEST_BYTES."""


class _CappedReader:
    """The handler's rfile with a byte budget per request, so a client cannot make us hold megabytes of headers
    (http.server alone accepts 100 lines of 64 KB)."""

    def __init__(self, raw):
        self.raw = raw
        self.left = REQUEST_BYTES

    def readline(self, size: int = -1) -> bytes:
        if self.left <= 0:
            raise _TooLarge
        line = self.raw.readline(self.left if size is None or size < 0 else min(size, self.left))
        self.left -= len(line)
        if self.left <= 0 and not line.endswith(b"\n"):
            raise _TooLarge
        return line

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0 or size > self.left:
            raise _TooLarge  # no request we answer has a body
        data = self.raw.read(size)
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.raw.close()

    def __getattr__(self, name):
        return getattr(self.raw, name)


class _Handler(BaseHTTPRequestHandler):
    server_version = "highlight-serve"
    live: LiveProof  # set on the subclass made by make_server

    def log_message(self, *args) -> None:  # a request log would drown the build messages
        pass

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(WRITE_SECONDS)  # a client that stops reading is dropped
        self.rfile = _CappedReader(self.rfile)  # type: ignore[assignment]

    def handle_one_request(self) -> None:
        """One request, its line and headers within REQUEST_BYTES and REQUEST_SECONDS (a watchdog shuts a slow
        or silent client's connection down; the answer itself, an event stream too, is not limited)."""
        self.rfile.left = REQUEST_BYTES  # type: ignore[attr-defined]
        self._watchdog = threading.Timer(REQUEST_SECONDS, self._too_slow)
        self._watchdog.daemon = True
        self._watchdog.start()
        try:
            super().handle_one_request()
        except _TooLarge:
            self.close_connection = True
            if not getattr(self, "requestline", ""):  # the request line itself was too long
                self.requestline, self.command, self.request_version = "", "", "HTTP/1.0"
            try:
                self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request too large")
            except OSError:
                pass
        finally:
            self._watchdog.cancel()

    def parse_request(self) -> bool:
        self._watchdog.cancel()  # the request is in: from here on only the answer's writes are timed
        return super().parse_request()

    def _too_slow(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send(self, status: int, body: bytes, kind: str, cache: str = "no-store") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, value, status: int = 200) -> None:
        self._send(status, json_text(value, None).encode("utf-8"), "application/json; charset=utf-8")

    def _refuse(self, status: int, why: str) -> None:
        self._json({"error": why}, status)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        if not self._host_allowed():
            return self._refuse(HTTPStatus.FORBIDDEN, "this server answers on loopback only")
        raw = self.path.split("?", 1)[0]
        query = parse_qs(urlsplit(self.path).query)
        path = unquote(raw)
        if ".." in path.split("/") or "\\" in path or "\x00" in path or "//" in path:
            return self._refuse(HTTPStatus.FORBIDDEN, "paths outside the project's out/ are not served")
        live = self.live
        if path in ("/", "/index.html"):
            return self._asset("index.html")
        if path.startswith("/assets/"):
            return self._asset(path[len("/assets/"):])
        if path.startswith("/out/"):
            return self._file(path[len("/out/"):])
        if path == "/api/state":
            return self._json(live.state())
        if path == "/api/layout":
            return self._json(live.layout_dump())
        if path == "/api/web":
            found = live.web_page()
            return self._json(found) if found else self._refuse(HTTPStatus.NOT_FOUND, "no good build yet")
        if path == "/api/pdfs":
            return self._json({"pdfs": live.pdfs()})
        if path == "/api/events":
            return self._events()
        if path == "/api/source":
            try:
                number = int(query["page"][0])
                x, y = float(query["x"][0]), float(query["y"][0])
            except (KeyError, ValueError, IndexError):
                return self._refuse(HTTPStatus.BAD_REQUEST, "give page=N&x=MM&y=MM (mm from the trim's top-left)")
            found = live.source(number, x, y)
            return self._json(found) if found else self._refuse(HTTPStatus.NOT_FOUND, "no laid-out line there")
        if path == "/api/compare":
            against = (query.get("against") or [""])[0]
            found = live.compare(against)
            return self._json(found) if found else self._refuse(HTTPStatus.NOT_FOUND, "no such PDF under out/")
        return self._refuse(HTTPStatus.NOT_FOUND, "not found")

    def _host_allowed(self) -> bool:
        address = self.server.server_address  # (host, port, ...) for the TCP servers used here
        if not isinstance(address, tuple) or address[0] not in ("127.0.0.1", "::1"):
            return True  # --host chose to listen beyond loopback
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
        return host in LOOPBACK

    def _asset(self, name: str) -> None:
        kind = ASSET_TYPES.get(os.path.splitext(name)[1])
        path = os.path.join(ASSETS, name)
        if kind is None or "/" in name or not os.path.isfile(path):
            return self._refuse(HTTPStatus.NOT_FOUND, "not found")
        with open(path, "rb") as f:
            self._send(200, f.read(), kind)

    def _file(self, relative: str) -> None:
        path = _inside(self.live.out_dir, relative)
        kind = {".png": "image/png", ".pdf": "application/pdf"}.get(os.path.splitext(relative)[1])
        folders = relative.split("/")[:-1]
        web = any(f == "web" or f.endswith("-web") for f in folders)  # a web page's folder (build --to html)
        if web and kind is None:
            kind = WEB_TYPES.get(os.path.splitext(relative)[1])
        if path is None or kind is None:
            return self._refuse(HTTPStatus.FORBIDDEN, "only pictures, PDFs and web pages under the project's out/ "
                                                      "are served")
        try:
            f = open(path, "rb")  # noqa: SIM115 (closed below, after the answer)
        except OSError:
            return self._refuse(HTTPStatus.NOT_FOUND, "not found")
        with f:  # streamed in 64 kB pieces: a large PDF is never held whole, per client (files are replaced
            size = os.fstat(f.fileno()).st_size  # by a rename, so the open one stays whole)
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(size))
            self.send_header("Cache-Control", "max-age=3600" if "v=" in self.path else "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            if web:  # a web page shown in the tab runs and fetches nothing but its own files
                self.send_header("Content-Security-Policy", WEB_POLICY)
            self.end_headers()
            if self.command != "HEAD":
                left = size
                while left > 0:
                    piece = f.read(min(65536, left))
                    if not piece:
                        break
                    self.wfile.write(piece)
                    left -= len(piece)

    def _events(self) -> None:
        """Server-sent events: the revision now, then each new one (a comment every 15 s keeps it open); before a
        revision, as soon as they are drawn, the pictures it changed (`pictures`: a JSON list of their number and
        image), so the page can fetch them while the rest of the revision is made."""
        live = self.live
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        sent, pushed = None, live.drawn
        try:
            while not live.stopping.is_set():
                with live.changed:
                    if live.revision == sent and live.drawn == pushed:
                        live.changed.wait(15)
                    revision, drawn, pages = live.revision, live.drawn, live.drawn_pages
                if drawn != pushed and sent is not None:  # (first: the page fetches them while it reads the rest)
                    self.wfile.write(f"event: pictures\ndata: {json_text(pages, None)}\n\n".encode())
                if revision != sent:
                    self.wfile.write(f"event: revision\ndata: {revision}\n\n".encode())
                    sent = revision
                elif drawn == pushed:
                    self.wfile.write(b": still here\n\n")
                pushed = drawn
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


class LiveServer(ThreadingHTTPServer):
    """ThreadingHTTPServer with at most MAX_CLIENTS threads, and quiet about clients that went away."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._slots = threading.BoundedSemaphore(MAX_CLIENTS)

    def process_request(self, request, client_address) -> None:
        if not self._slots.acquire(blocking=False):  # busy: say so at once, without a thread
            try:
                request.settimeout(1)
                request.sendall(b"HTTP/1.0 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n"
                                b"Connection: close\r\n\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address) -> None:
        """socketserver prints a traceback for any exception of a handler; a browser that closed the tab
        mid-answer (BrokenPipeError, ConnectionResetError) or a client too slow is no error of ours: nothing
        is printed. Anything else is said in one line."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        print(f"highlight: serve: a request failed ({type(error).__name__}: {shown(error)})", file=sys.stderr)


class LiveServer6(LiveServer):
    address_family = socket.AF_INET6


def _sleep(seconds: float) -> bool:
    """time.sleep, False: the loop of `serve` without a stop event runs until Ctrl-C."""
    time.sleep(seconds)
    return False


def make_server(options: ServeOptions) -> tuple[LiveServer, LiveProof]:
    """The HTTP server and the state it shows; the caller runs `live.run` and `server.serve_forever`."""
    live = LiveProof(options)
    handler = type("Handler", (_Handler,), {"live": live})
    kind = LiveServer6 if ":" in options.host else LiveServer  # an IPv6 address, such as ::1
    server = kind((options.host, options.port), handler)
    return server, live


def serve(options: ServeOptions, ready=None, on_build=None, stop: threading.Event | None = None) -> int:
    """Build once, start serving, call `ready(url)`, then rebuild on every save until `stop` is set
    (`on_build(result, latency_s, first)` after each build)."""
    server, live = make_server(options)
    first = threading.Event()
    builder = threading.Thread(target=live.run, args=(first, on_build), daemon=True, name="highlight-serve-build")
    builder.start()
    first.wait()
    if live.ok:
        live.keep_start()
    port = server.server_address[1]
    host = options.host if ":" not in options.host else f"[{options.host}]"
    web = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True,
                           name="highlight-serve-http")
    web.start()
    if ready:
        ready(f"http://{host}:{port}/")
    try:
        while not (stop.wait(0.2) if stop else _sleep(0.2)):
            pass
    finally:
        live.stopping.set()
        with live.changed:
            live.changed.notify_all()
        server.shutdown()
        server.server_close()
        builder.join(timeout=5)
    return 0



def _language_place(path: str, line: dict, lang: str) -> dict:
    """Where the `lang:` value of the text a laid-out line came from stands ({line, column, yaml_path}), found
    by reading the YAML at the text's place; {} when it cannot be found (the text's own place is kept)."""
    import yaml

    try:
        with open(path, encoding="utf-8-sig") as f:
            root = yaml.compose(f)
    except (OSError, ValueError, yaml.YAMLError):
        return {}

    def at(node, want: tuple[int, int]):
        if (node.start_mark.line + 1, node.start_mark.column + 1) == want and isinstance(node, yaml.MappingNode):
            return node
        children = [v for _, v in node.value] if isinstance(node, yaml.MappingNode) else \
            node.value if isinstance(node, yaml.SequenceNode) else []
        for child in children:
            found = at(child, want)
            if found is not None:
                return found
        return None

    def keyed(node, depth: int = 0):
        """The mapping itself when it has the language's key, else the first such mapping among its values
        (a page's title stands in the page's root mapping)."""
        keys = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        if lang in keys:
            return keys[lang], ""
        for key, value in node.value:
            if depth == 0 and isinstance(value, yaml.MappingNode):
                found, _ = keyed(value, 1)
                if found is not None:
                    return found, key.value
        return None, ""

    node = at(root, (line["line"], line["column"])) if root is not None else None
    if node is None:
        return {}
    found, via = keyed(node)
    if found is None:
        return {}
    key, value = found
    base = line["yaml_path"] if line["yaml_path"] != "<root>" else ""
    step = ".".join(p for p in (base, via, lang) if p)
    return {"line": key.start_mark.line + 1, "column": value.start_mark.column + 1, "yaml_path": step}

__all__ = ["DEFAULT_EDITOR", "LiveProof", "ServeOptions", "make_server", "serve"]
