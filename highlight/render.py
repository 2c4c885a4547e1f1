"""Positioned pages → a PDF drawn with ReportLab. The only module that imports ReportLab.

The sheet is the trimmed page plus bleed plus a margin for crop marks; the
renderer converts the layout's top-left, y-down points into PDF space and
declares TrimBox and BleedBox on every page.
"""
from __future__ import annotations

import functools
import io
import os
import pickle
import re
from dataclasses import dataclass, field, replace

from .colour import reach_contrast
from .fonts import FontSet
from .layout import Box, LaidOutPage, Picture, QrMark, Ring, Rule, TextLine
from .layout_spec import MM, Colour, ImageSettings, Layout
from .structure import Marked, finish_page, page_structure

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 2.4 ms of every process, issue 28)
if TYPE_CHECKING:
    from .profiles import OutputProfile

CROP_MARK_LENGTH_MM = 5.0
CROP_MARK_WEIGHT_PT = 0.25


@dataclass(frozen=True)
class RenderOptions:
    title: str
    subject: str
    author: str = ""
    marks: bool = True
    producer: str = "highlight"
    profile: OutputProfile | None = None  # makes the file PDF/X-4 with this OutputIntent
    edition: str = ""
    languages: tuple = ("en", "zh-Hant")
    target: str = "print"  # "screen": RGB twins, trim-sized pages, no marks, links, bookmarks, language spans
    date_epoch: int = 946684800  # the file's creation date: SOURCE_DATE_EPOCH, else the edition's date
    variant: str = ""  # what else tells this file from its siblings (the --lang), for its IDs
    tagged: bool = True  # write the structure tree and identity (a `watch` preview skips it: speed)
    picture_icc: bytes | None = None  # the CMYK profile pictures are converted into (print) or out of (screen)
    images: ImageSettings = field(default_factory=ImageSettings)  # how pictures are prepared
    deflated: str | None = None  # a folder of streams compressed before (.cache/deflate): see _DeflateMemo
    subsets: str | None = None  # a folder of font programs ReportLab subset before (.cache/subsets): see _SubsetMemo
    outlines: str | None = None  # a folder of glyph outlines read before (.cache/outlines): see _KeptOutlines
    faces: str | None = None  # a folder of ReportLab's readings of face files (.cache/ttfaces): see _tt_font
    drawn: str | None = None  # a folder of pages drawn before (.cache/drawn): see _DrawnPages
    page_keys: tuple | None = None  # each page's .cache/pages name (what its laid-out page is a function of)


def render_pdf(pages: list[LaidOutPage], layout: Layout, fonts: FontSet, options: RenderOptions) -> bytes:
    """The whole PDF, in memory (atomic.write_atomically puts it on disk)."""
    _tempfile_when_used()
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    rl_config.useA85 = 0  # binary streams: smaller and faster than ASCII85 text, and any PDF reader takes them
    # Each subset file is registered under its own name (the file's, which holds its character-set
    # key), straight into ReportLab's table: registerFont() would hand back whichever font of the
    # same PostScript name the process registered first, with that font's glyphs.
    registered = {}
    for face in fonts.faces.values():
        name = registered[face.name] = os.path.basename(face.path)
        if name not in pdfmetrics._fonts:
            # Glyphs are embedded only as used (asciiReadable would add every ASCII glyph the
            # subset file has), so the PDF does not depend on which cached subset was read.
            pdfmetrics._fonts[name] = _tt_font(name, face.path, options.faces, TTFont)
    geometry = layout.geometry
    screen = options.target == "screen"
    bleed = 0.0 if screen else geometry.page.bleed_mm * MM
    slug = geometry.page.slug_mm * MM if options.marks and not screen else 0.0
    offset = bleed + slug
    trim_w, trim_h = layout.page_width_pt, layout.page_height_pt
    sheet = (trim_w + 2 * offset, trim_h + 2 * offset)
    first_face = registered[fonts.face("latin", "regular").name]
    buffer = io.BytesIO()
    # ReportLab takes the document's dates from SOURCE_DATE_EPOCH when set: give it the chosen date.
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(options.date_epoch)
    try:
        canvas = Canvas(buffer, pagesize=sheet, invariant=1, pageCompression=1, pdfVersion=(1, 6),
                        enforceColorSpace=None if screen else "cmyk", initialFontName=first_face,
                        initialFontSize=9, lang=options.languages[0] if screen else None)
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    canvas.setTitle(options.title)
    canvas.setSubject(options.subject)
    canvas.setAuthor(options.author)
    canvas.setCreator(options.producer)
    canvas.setProducer(options.producer)
    if options.profile is not None and not screen:
        _pdfx_identity(canvas, options, options.profile)
    plans = []
    asked = _Asked()
    drawn = _DrawnPages.of(options, pages, registered, fonts.faces, (offset, trim_h, bleed))
    for index, page in enumerate(pages):
        taken = drawn.reuse(index, canvas) if drawn is not None else None
        if taken is not None:  # (its operators in the canvas, its structure as finish_page left it)
            plans.append(taken[0])
        else:
            # A `watch` preview is untagged (all of it an artifact): the rebuild costs what it did.
            plan = page_structure(page) if options.tagged else None
            plans.append(plan)
            painter = _Painter(canvas, options, offset, trim_h, bleed, registered, screen, plan, index, fonts.faces)
            if screen:  # a bookmark per page, named by its title in both languages
                canvas.bookmarkPage(f"page-{page.number}")
                canvas.addOutlineEntry(f"{page.number}  {_bilingual_title(page)}", f"page-{page.number}", level=0)
            recording = drawn.record(index, canvas) if drawn is not None else None
            painter.recording = recording
            painter.asked = asked
            for number, item in enumerate(page.items):
                painter.draw(item, number)
            painter.end_mark()
            if plan is not None:
                finish_page(plan)
            if drawn is not None and recording is not None:
                drawn.keep(recording, canvas, plan)
        if not screen:
            canvas.setTrimBox((offset, offset, offset + trim_w, offset + trim_h))
            canvas.setBleedBox((offset - bleed, offset - bleed, offset + trim_w + bleed, offset + trim_h + bleed))
        if options.marks and not screen:
            _crop_marks(canvas, offset, trim_w, trim_h, bleed)
            _slug(canvas, offset, trim_w, bleed, first_face, options, page.number)
        canvas.showPage()
    if screen:
        canvas.showOutline()
    if drawn is not None:
        drawn.prune()
    with _DeflateMemo(options.deflated), _SubsetMemo(options.subsets):
        if options.tagged:
            saved = _saved(canvas)
        else:
            canvas.save()
    _KeptOutlines.of(options.outlines).save()
    if not options.tagged:
        return buffer.getvalue()
    from .tags import finished, write_finished

    pdf = finished(saved, plans, options)
    return FinishedPdf(write_finished(pdf), pdf)


def _saved(canvas):
    """What canvas.save() makes, for the finishing pass: the document's objects as pdfobjects reads them from the
    file ReportLab writes (_DirectObjects), or, for a document holding what that does not know, the file's bytes
    (read back by tags.finished, as before). ReportLab's own steps of save() and GetPDFData() first."""
    if len(canvas._code):
        canvas.showPage()
    doc = canvas._doc
    for font in doc.delayedFonts:  # (GetPDFData's preparation: the subsets' objects, the info, the outline)
        font.addObjects(doc)
    doc.info.invariant = doc.invariant
    doc.info.digest(doc.signature)
    doc.Reference(doc.Catalog)
    doc.Reference(doc.info)
    doc.Outlines.prepare(doc, canvas)
    if doc.Outlines.ready < 0:
        doc.Catalog.Outlines = None
    try:
        return _DirectObjects(doc).pdf()
    except _NotDirect:  # (ReportLab's format of what was converted does what converting did: the same file)
        data = doc.format()
        return data.encode("latin1") if isinstance(data, str) else data


_BLANK = re.compile(rb"(?:\s|%[^\r\n]*)*")  # what the reader skips between values: white space and comments
_PLAIN_NAME = re.compile(r"/[A-Za-z0-9_.+\-]*")  # a name the reader takes as it is written


class _NotDirect(Exception):
    """An object _DirectObjects does not convert as reading its formatted bytes would."""


class _DirectObjects:
    """ReportLab's PDFDocument as the graph pdfobjects.open_pdf reads from the file PDFDocument.format() writes,
    made from its objects without writing and reading that file (the finishing pass then writes the file once:
    issue 28, 4-8 ms of a build). Each object is converted as ReportLab formats it: its dictionaries' keys sorted,
    numbers as fp_str writes them (an int unless written with a point), names and raw strings as the reader reads
    their bytes, the high-level objects (catalog, pages, page, fonts, resources) by the dictionaries their format()
    makes, streams filtered and cut at their /Length; anything else (a string, a date, the info) formatted by
    ReportLab and its bytes read. Anything it cannot be sure of (an encrypted document, a class whose format() it
    does not know and whose bytes are not one value, raw text that would join its neighbours into a reference)
    raises _NotDirect; objects are numbered and registered in the order format() registers them, so the document
    ReportLab then formats is the one it would have formatted."""

    def __init__(self, doc):
        from reportlab.pdfbase import pdfdoc

        from . import pdfobjects

        self.doc, self.rl, self.po = doc, pdfdoc, pdfobjects
        self.table: dict = {}

    def pdf(self):
        doc, rl, po = self.doc, self.rl, self.po
        if type(doc.encrypt) is not rl.NoEncryption:  # (refused before format()'s first step: it prepares once)
            raise _NotDirect("encrypted")
        doc.encrypt.prepare(doc)
        catalog, info = doc.Reference(doc.Catalog), doc.Reference(doc.info)
        counter = 0
        while True:  # (as format(): objects registered while converting are converted in their turn)
            counter += 1
            if counter not in doc.numberToId:
                break
            obj = doc.idToObject[doc.numberToId[counter]]
            value = self.stream(obj) if type(obj) is rl.PDFStream else self.value(obj, top=True)
            if isinstance(value, (po.Dictionary, po.Array)):
                value.objgen = (counter, 0)
            self.table[counter] = value
        trailer = po.Dictionary()
        trailer["/ID"] = self.snippet(doc.ID())
        trailer["/Info"], trailer["/Root"] = self.ref(info), self.ref(catalog)
        for value in list(self.table.values()):
            po._resolve(value, self.table)
        po._resolve(trailer, self.table)
        major, minor = doc._pdfVersion  # (the header ReportLab writes, "%PDF-1.6", as the reader takes it)
        version = f"{major}.{minor}"[:3]
        return po.Pdf(trailer, version, [v for v in self.table.values() if isinstance(v, (po.Dictionary, po.Array))])

    def value(self, element, top: bool = False):
        rl, po = self.rl, self.po
        kind = type(element)
        if kind is int or kind is float:
            text = rl.fp_str(element)
            try:
                return float(text) if "." in text else int(text)
            except ValueError:
                raise _NotDirect(text) from None
        if kind is str:
            if _PLAIN_NAME.fullmatch(element):
                return po.Name(element)
            return self.snippet(rl.pdfdocEnc(element))
        if not isinstance(element, rl.PDFObject):
            return self.snippet(element if kind is bytes else rl.pdfdocEnc(str(element)))
        if not top and hasattr(element, "__RefOnly__"):
            return self.ref(self.doc.Reference(element))
        method = kind.format
        if kind is rl.PDFObjectReference:
            return self.ref(element)
        if method is rl.PDFDictionary.format:
            return self.dictionary(element.dict)
        if method is rl.PDFArray.format:
            return self.array(element.sequence)
        if method is rl.PDFCatalog.format:  # (the catalog, the page tree, the pages)
            element.check_format(self.doc)
            made = {}
            for key, default in element.__Defaults__.items():
                got = getattr(element, key, default)
                if got is not None:
                    made[key] = got
            for key in element.__NoDefault__:
                got = getattr(element, key, None)
                if got is not None:
                    made[key] = got
            for key in element.__Refs__:
                if key in made:
                    made[key] = self.doc.Reference(made[key])
            return self.dictionary(made)
        if method is rl.PDFType1Font.format:
            made = {name: rl.PDFName(getattr(element, name)) for name in element.name_attributes
                    if hasattr(element, name)}
            made.update((name, getattr(element, name)) for name in element.local_attributes if hasattr(element, name))
            return self.dictionary(made)
        if method is rl.PDFResourceDictionary.format:
            made = {}
            for name in element.dict_attributes:
                got = getattr(element, name)
                if isinstance(got, dict):
                    if got:
                        made[name] = rl.PDFDictionary(got)
                else:
                    made[name] = got
            got = element.ProcSet
            if rl.isSeq(got):
                if got:
                    made["ProcSet"] = rl.PDFArray(got)
            else:
                made["ProcSet"] = got
            return self.dictionary(made)
        return self.snippet(element.format(self.doc))  # (a string, a date, the info: small, read as written)

    def dictionary(self, entries: dict):
        from collections import OrderedDict

        keys = list(entries)
        if not isinstance(entries, OrderedDict):
            keys.sort()
        out = self.po.Dictionary()
        for key in keys:
            name = self.value(self.rl.PDFName(key))
            if type(name) is not self.po.Name or name in out:
                raise _NotDirect(key)
            out[name] = self.value(entries[key])
        return out

    def array(self, items: list):
        po = self.po
        out = po.Array()
        for item in items:
            value = self.value(item)
            # (raw text written after numbers could make the reader take them for a reference: "1 0" then "R")
            if type(item) in (str, bytes) and type(value) is not po.Name and not isinstance(value, (list, dict)):
                raise _NotDirect(repr(item))
            out.append(value)
        return out

    def stream(self, stream):
        """As PDFStream.format writes it and pdfobjects reads it back: filtered, /Length the filtered content's."""
        rl, doc = self.rl, self.doc
        entries = stream.dictionary.dict.copy()
        content, filters = stream.content, stream.filters
        if content is None:
            raise _NotDirect("a stream without content")
        if filters is None:
            filters = doc.defaultStreamFilters
        if filters is not None and "Filter" not in entries:
            names: list = []
            for each in reversed(list(filters)):
                content = each.encode(content)
                names.insert(0, rl.PDFName(each.pdfname))
            entries["Filter"] = rl.PDFArray(names)
        content = doc.encrypt.encode(content)
        data = rl.format(content, doc)
        entries["Length"] = len(content)
        out = self.dictionary(entries)
        length = out.get("/Length")
        if type(length) is not int or len(data) < length:
            raise _NotDirect("a stream's length")
        made = self.po.Stream(out)
        made.raw = data[:length]
        del made["/Length"]
        return made

    def ref(self, reference):
        try:
            number = self.doc.idToObjectNumberAndVersion[reference.name][0]
        except (KeyError, AttributeError, TypeError):
            raise _NotDirect("a reference to nothing") from None
        return self.po._Ref(number)

    def snippet(self, data):
        """The one value the reader reads from `data` (bytes as ReportLab formats them)."""
        po = self.po
        if isinstance(data, str):
            data = self.rl.pdfdocEnc(data)
        parser = po._Parser(data)
        kind, match, pos = parser.token(0)
        if kind is None:
            raise _NotDirect(repr(data[:40]))
        try:
            value, pos = parser.value(kind, match, pos)
        except po.PdfError:
            raise _NotDirect(repr(data[:40])) from None
        if not _BLANK.fullmatch(data, pos):  # (more than one value: the reader would read them otherwise)
            raise _NotDirect(repr(data[:40]))
        return value


def _tempfile_when_used() -> None:
    """ReportLab's utils import its rltempfile (where its test suite writes), and with it tempfile, shutil, random,
    bz2 and lzma: 3 ms of every process that draws, for functions a build never calls. Until ReportLab is
    imported, rltempfile is a stand-in whose two functions import the real module when called (and any other name
    read imports it too), leaving the real one in sys.modules; the stand-in then holds the real one's names."""
    import importlib.util
    import sys
    import types

    name = "reportlab.lib.rltempfile"
    if name in sys.modules:
        return
    stand_in = types.ModuleType(name, "ReportLab's rltempfile, imported when first used (highlight/render.py)")
    try:  # (the real module's spec, as importlib.util.find_spec finds it: reportlab.lib is imported for it)
        stand_in.__spec__ = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return

    def real():
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
        module = importlib.import_module(name)
        vars(stand_in).update(vars(module))
        return module

    def load(attribute: str):
        if attribute.startswith("__") and attribute not in ("__all__", "__file__", "__loader__", "__version__"):
            raise AttributeError(attribute)  # (a probe of a dunder: not a use)
        return getattr(real(), attribute)

    def get_rl_tempdir(*subdirs):
        return real().get_rl_tempdir(*subdirs)

    def get_rl_tempfile(fn=None):
        return real().get_rl_tempfile(fn)

    stand_in.__getattr__ = load  # type: ignore[method-assign]  # (PEP 562: names it does not hold yet)
    stand_in.get_rl_tempdir, stand_in.get_rl_tempfile = get_rl_tempdir, get_rl_tempfile  # type: ignore[attr-defined]
    stand_in.__all__ = ["get_rl_tempdir", "get_rl_tempfile"]  # type: ignore[attr-defined]
    sys.modules[name] = stand_in


class FinishedPdf(bytes):
    """The bytes of a finished (tagged) PDF, with the objects they were written from (pdfobjects.Pdf): the
    build's preflight reads those instead of parsing the bytes again."""

    objects: object = None

    def __new__(cls, data: bytes, objects):
        self = super().__new__(cls, data)
        self.objects = objects
        return self


@functools.lru_cache(maxsize=64)
def _units_per_em(path: str) -> int:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return font["head"].unitsPerEm


@functools.lru_cache(maxsize=64)
def _glyph_outline(path: str, char: str) -> tuple[tuple, int]:
    """(the path operators of `char`'s glyph in the face at `path`, in font units with quadratic curves made
    cubic, as (ReportLab path method, points)), its advance); no operators for a character the face lacks."""
    from fontTools.pens.basePen import BasePen
    from fontTools.ttLib import TTFont

    class _Recorder(BasePen):
        def __init__(self, glyphs):
            super().__init__(glyphs)
            self.ops: list = []

        def _moveTo(self, pt):
            self.ops.append(("moveTo", (pt,)))

        def _lineTo(self, pt):
            self.ops.append(("lineTo", (pt,)))

        def _curveToOne(self, pt1, pt2, pt3):
            self.ops.append(("curveTo", (pt1, pt2, pt3)))

        def _closePath(self):
            self.ops.append(("close", ()))

    with TTFont(path, lazy=True) as font:
        name = font.getBestCmap().get(ord(char))
        if name is None:
            return (), 0
        glyphs = font.getGlyphSet()
        pen = _Recorder(glyphs)
        glyphs[name].draw(pen)
        return tuple(pen.ops), glyphs[name].width


_FACES_FORMAT = b"highlight-ttface/1\n"
_FACES_KEEP = 64  # entries kept, newest first (a build reads four faces; a new character set makes four more)


def _tt_font(name: str, path: str, folder: str | None, make):
    """ReportLab's TTFont `name` for the face file at `path` (make(name, path, asciiReadable=False)), its reading
    of the file (the face's tables, metrics and character maps: TTFontFile's parse, 1-2 ms a face, four faces a
    build) kept across processes in `folder` (.cache/ttfaces/<digest>.pickle). An entry is named by a digest of the
    font's name (the font keeps it), the face file's stamp (path, size, mtime), ReportLab's version and the package's
    source, and holds the face's and the font's attributes as ReportLab left them after reading (but the face's
    scaling function, which the units per em give again, the font's per-document states and its encoding, which it
    makes empty), with a digest of its name and body: a damaged or foreign one is a miss. It is read by an unpickler that builds plain values and
    ReportLab's TTFNameBytes only, so no code in a .cache runs. A font whose attributes are not plain values (not
    the ReportLab this was written for) is made as ReportLab makes it, and so is every font when a function of the
    output was replaced at run time (linestore.code_replaced)."""
    stored = _face_entry(name, path, folder)
    if stored is not None:
        font = _kept_font(stored, make)
        if font is not None:
            return font
    font = make(name, path, asciiReadable=False)
    if stored is not None:
        _keep_font(stored, font)
    return font


def _face_entry(name: str, path: str, folder: str | None) -> str | None:
    if folder is None:
        return None
    import hashlib

    from reportlab import Version

    from .linestore import _package_digest, code_replaced

    if code_replaced():
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    digest = hashlib.sha256(b"highlight-ttface/1\0" + _package_digest() + f"\0{Version}\0{name}\0"
                            f"{os.path.abspath(path)}\0{info.st_size}\0{info.st_mtime_ns}".encode("utf-8", "surrogateescape"))
    return os.path.join(folder, digest.hexdigest()[:40] + ".pickle")


def _font_parts(font) -> tuple[dict, dict] | None:
    """The font's and its face's attributes to keep, or None when one is not a plain value (or a TTFNameBytes)."""
    from weakref import WeakKeyDictionary

    from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes

    face = getattr(font, "face", None)
    own = {k: v for k, v in vars(font).items() if k not in ("face", "state", "encoding")}
    faced = {k: v for k, v in vars(face).items() if k != "_pdfScale"} if face is not None else {}
    if type(getattr(font, "state", None)) is not WeakKeyDictionary or font.state \
            or type(getattr(font, "encoding", None)) is not TTEncoding or vars(font.encoding) != {"name": "UTF-8"} \
            or type(faced.get("unitsPerEm")) is not int or faced["unitsPerEm"] <= 0:
        return None

    def plain(value, depth: int = 0) -> bool:
        kind = type(value)
        if kind in (str, bytes, int, float, bool, type(None), TTFNameBytes):
            return True
        if depth > 4:
            return False
        if kind in (list, tuple):
            return all(plain(v, depth + 1) for v in value)
        if kind is dict:
            return all(plain(k, depth + 1) and plain(v, depth + 1) for k, v in value.items())
        return False

    return (own, faced) if plain(own) and plain(faced) else None


class _FaceUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) == ("reportlab.pdfbase.ttfonts", "TTFNameBytes"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a face's value")


def _kept_font(stored: str, make):
    """The font kept at `stored` (see _tt_font), or None."""
    import hashlib
    from weakref import WeakKeyDictionary

    from reportlab.pdfbase.ttfonts import TTEncoding, TTFontFace

    head = len(_FACES_FORMAT) + 65
    try:
        with open(stored, "rb") as f:
            data = f.read()
        body = memoryview(data)[head:]
        if not data.startswith(_FACES_FORMAT) or data[head - 1:head] != b"\n" or hashlib.sha256(
                os.path.basename(stored).encode() + body).hexdigest().encode() != data[len(_FACES_FORMAT):head - 1]:
            return None
        own, faced = _FaceUnpickler(io.BytesIO(body)).load()
        if type(own) is not dict or type(faced) is not dict or type(faced.get("unitsPerEm")) is not int \
                or faced["unitsPerEm"] <= 0:
            return None
    except Exception:  # (damaged, truncated, foreign: only a miss)
        return None
    face = TTFontFace.__new__(TTFontFace)
    vars(face).update(faced)
    units = faced["unitsPerEm"]
    if units == 1000:  # (as TTFontFile.extractInfo scales)
        face._pdfScale = lambda x: x
    else:
        scale = 1000 / units
        face._pdfScale = lambda x: x * scale
    font = make.__new__(make)
    vars(font).update(own)
    font.face, font.state, font.encoding = face, WeakKeyDictionary(), TTEncoding()
    return font


def _keep_font(stored: str, font) -> None:
    import hashlib

    from .atomic import prune_oldest, replace_file

    parts = _font_parts(font)
    if parts is None:
        return
    try:
        body = pickle.dumps(parts, protocol=5)
        replace_file(stored, _FACES_FORMAT + hashlib.sha256(os.path.basename(stored).encode() + body).hexdigest()
                     .encode() + b"\n" + body)
        prune_oldest(os.path.dirname(stored), ".pickle", _FACES_KEEP)
    except (OSError, pickle.PicklingError):  # (a read-only project: time lost only)
        pass


class _KeptOutlines:
    """The outlines _glyph_outline reads with fontTools (and each face's units per em), kept across processes in
    `folder` (.cache/outlines/<digest>.json, one file a face): importing fontTools and opening a face to draw a
    bracket or two as paths was 35-55 ms of every build that draws. A file is named by a digest of the face
    file's stamp (path, mtime, size), fontTools' (its __init__.py's stamp: its version) and the package's
    source; it holds what the functions returned, as JSON (numbers as they were: ints and floats). A damaged or
    foreign file, or an entry not of that shape, is a miss: read again with fontTools and written afresh."""

    @classmethod
    def of(cls, folder: str | None) -> _KeptOutlines:
        kept = _KEPT_OUTLINES.get(folder)
        if kept is None:
            kept = _KEPT_OUTLINES[folder] = cls(folder)
        return kept

    def __init__(self, folder: str | None):
        self.folder = folder
        self.faces: dict = {}  # face path -> [its file, {"units": int, "glyphs": {char: [ops, width]}}, changed]

    def _face(self, path: str) -> list:
        face = self.faces.get(path)
        if face is None:
            name = self._name(path)
            face = self.faces[path] = [name, {"units": None, "glyphs": {}}, False]
            if name is not None:
                import json

                try:
                    with open(name, encoding="utf-8") as f:
                        data = json.load(f)
                    if type(data) is dict and type(data.get("units")) in (int, type(None)) \
                            and type(data.get("glyphs")) is dict:
                        face[1] = data
                except (OSError, ValueError):  # none kept, or a damaged file: read with fontTools
                    pass
        return face

    def _name(self, path: str) -> str | None:
        from .linestore import _package_digest, code_replaced

        if self.folder is None or code_replaced():  # (a function replaced at run time: its source is not the key)
            return None
        import hashlib
        import importlib.util

        try:
            spec = importlib.util.find_spec("fontTools")
            stamps = []
            for file in (path, spec.origin if spec is not None and spec.origin else ""):
                info = os.stat(file)
                stamps.append(f"{os.path.abspath(file)}\0{info.st_mtime_ns}\0{info.st_size}")
        except (OSError, ValueError, ImportError):
            return None
        digest = hashlib.sha256(b"highlight-outlines/1\0" + _package_digest() + "\0".join(stamps).encode(
            "utf-8", "surrogateescape"))
        return os.path.join(self.folder, digest.hexdigest()[:40] + ".json")

    def units_per_em(self, path: str) -> int:
        face = self._face(path)
        units = face[1].get("units")
        if type(units) is not int or units <= 0:
            units = face[1]["units"] = _units_per_em(path)
            face[2] = True
        return units

    def glyph(self, path: str, char: str) -> tuple[tuple, int]:
        face = self._face(path)
        stored = face[1]["glyphs"].get(char)
        found = self._decoded(stored)
        if found is None:
            found = _glyph_outline(path, char)
            face[1]["glyphs"][char] = [[[op, [list(point) for point in points]] for op, points in found[0]], found[1]]
            face[2] = True
        return found

    @staticmethod
    def _decoded(stored) -> tuple[tuple, int] | None:
        """(ops, width) as _glyph_outline returns them, from their JSON; None when it is not of that shape."""
        try:
            ops, width = stored
            if type(width) is not int:
                return None
            out = []
            for op, points in ops:
                if op not in ("moveTo", "lineTo", "curveTo", "close") or type(points) is not list:
                    return None
                pts = tuple((x, y) for x, y in points)
                if not all(type(v) in (int, float) for point in pts for v in point):
                    return None
                out.append((op, pts))
            return tuple(out), width
        except (TypeError, ValueError):
            return None

    def save(self) -> None:
        """Write the faces whose outlines were read with fontTools this time (only time lost if it fails)."""
        import json

        from .atomic import replace_file

        for face in self.faces.values():
            if face[2] and face[0] is not None:
                try:
                    replace_file(face[0], json.dumps(face[1], ensure_ascii=False).encode("utf-8"))
                except OSError:
                    pass
                face[2] = False


_KEPT_OUTLINES: dict = {}  # folder -> its _KeptOutlines (a process reads each face's file once)


class _DeflateMemo:
    """While ReportLab writes the file, its Flate compression of a stream of MIN_BYTES or more is looked up in
    `folder` (.cache/deflate/<digest of zlib's version and the stream>), and kept there when new: after a one-word
    edit the font subsets and the unchanged pages' streams are the same bytes as before, and compressing them is
    16 ms of a 250 ms build (zlib.compress at its default level, as ReportLab calls it: the same bytes). An entry
    is used only when it decompresses to the very stream (a damaged one is a miss, compressed and written again)."""

    MIN_BYTES = 8192
    KEEP = 512  # entries kept, newest first (2022-23: 4 font subsets and 8 pages, 150 KB)

    def __init__(self, folder: str | None):
        self.folder = folder
        self.written = 0

    def __enter__(self):
        if self.folder is not None:
            from reportlab.pdfbase import pdfdoc

            pdfdoc.PDFZCompress.encode = self.encode  # (the one Flate filter every ReportLab stream names)
        return self

    def __exit__(self, *exc) -> None:
        if self.folder is not None:
            from reportlab.pdfbase import pdfdoc

            vars(pdfdoc.PDFZCompress).pop("encode", None)
            if self.written:
                self._prune()

    def encode(self, text) -> bytes:
        import hashlib
        import zlib

        data = text.encode("utf8") if isinstance(text, str) else bytes(text)  # (as ReportLab's encode does)
        if len(data) < self.MIN_BYTES or self.folder is None:
            return zlib.compress(data)
        digest = hashlib.sha256(b"highlight-deflate/1\0" + zlib.ZLIB_RUNTIME_VERSION.encode() + b"\0" + data)
        path = os.path.join(self.folder, digest.hexdigest()[:40] + ".z")
        try:
            with open(path, "rb") as f:
                kept = f.read()
            if zlib.decompress(kept) == data:
                return kept
        except (OSError, zlib.error):
            pass
        packed = zlib.compress(data)
        try:
            from .atomic import replace_file

            replace_file(path, packed)
            self.written += 1
        except OSError:  # (a read-only project: only time lost)
            pass
        return packed

    def _prune(self) -> None:
        assert self.folder is not None
        from .atomic import prune_oldest

        try:
            prune_oldest(self.folder, ".z", self.KEEP)
        except OSError:
            pass


class _SubsetMemo:
    """While ReportLab writes the file, the font program it embeds for a subset (TTFontFile.makeSubset: a face's
    glyphs for the subset's characters, 7 ms of a build after an edit for 2022-23's six subsets) is looked up in
    `folder` (.cache/subsets/<digest of ReportLab's version, the face file's bytes and the subset's characters in
    order>) and kept there when new: the same inputs make the same bytes. An entry holds a digest of its name and
    its bytes: a damaged, truncated or foreign one (another entry's under this name) is a miss, made again and
    written afresh."""

    FORMAT = b"highlight-subset/1\n"
    KEEP = 128  # entries kept, newest first (2022-23: six, 150 KB)

    def __init__(self, folder: str | None):
        self.folder = folder
        self.written = 0
        self.faces: dict = {}  # id(face file) -> (the face file, the digest of its bytes)
        self.real = None

    def __enter__(self):
        if self.folder is not None:
            from reportlab.pdfbase import ttfonts

            real = vars(ttfonts.TTFontFile).get("makeSubset")
            # (another render's memo still in place, on another thread: the function it wraps, not the memo)
            self.real = getattr(real, "highlight_wraps", real)
            memo = self

            def make_subset(face, subset):
                return memo.subset(face, subset)

            make_subset.highlight_wraps = self.real  # type: ignore[attr-defined]
            ttfonts.TTFontFile.makeSubset = make_subset
        return self

    def __exit__(self, *exc) -> None:
        if self.folder is not None and self.real is not None:
            from reportlab.pdfbase import ttfonts

            ttfonts.TTFontFile.makeSubset = self.real
            if self.written:
                from .atomic import prune_oldest

                try:
                    prune_oldest(self.folder, ".ttf", self.KEEP)
                except OSError:
                    pass

    def subset(self, face, subset) -> bytes:
        import hashlib

        assert self.real is not None and self.folder is not None
        data = getattr(face, "_ttf_data", None)
        if type(data) is not bytes:  # (not the ReportLab this was written for: made as it makes it)
            return self.real(face, subset)
        known = self.faces.get(id(face))
        if known is None or known[0] is not face:
            known = self.faces[id(face)] = (face, hashlib.sha256(data).digest())
        from reportlab import Version

        digest = hashlib.sha256(b"highlight-subset/1\0" + Version.encode() + b"\0" + known[1]
                                + repr([int(c) for c in subset]).encode())
        name = digest.hexdigest()[:40]
        path = os.path.join(self.folder, name + ".ttf")
        head = len(self.FORMAT) + 65
        try:
            with open(path, "rb") as f:
                kept = f.read()
            body = kept[head:]
            if kept.startswith(self.FORMAT) and kept[head - 1:head] == b"\n" \
                    and hashlib.sha256(name.encode() + body).hexdigest().encode() == kept[len(self.FORMAT):head - 1]:
                return body
        except OSError:
            pass
        made = self.real(face, subset)
        try:
            from .atomic import replace_file

            replace_file(path, self.FORMAT + hashlib.sha256(name.encode() + made).hexdigest().encode() + b"\n" + made)
            self.written += 1
        except OSError:  # (a read-only project: only time lost)
            pass
        return made


class _Recording:
    """What one page asks of the document while it is drawn (_DrawnPages.record): where its operators start in
    the canvas's code, each font's characters in the order of their first use and the fonts in the order the page
    named them."""

    __slots__ = ("chars", "name", "named", "start")

    def __init__(self, name: str, start: int):
        self.name, self.start = name, start
        self.chars: dict = {}  # ReportLab font name -> the texts of its runs, in the order drawn
        self.named: dict = {}  # ReportLab font name -> None, in the order the page named them (Tf)


class _DrawnPages:
    """Each page's drawing kept across processes in `folder` (.cache/drawn/<digest>.json) and taken instead of
    drawing the page again: after a one-word edit, seven of 2022-23's eight pages are pages drawn before, and
    drawing them (with their structure) was 20-25 ms of the build. A page's operators are a function of its
    laid-out page (named by its .cache/pages name), its index, the render's options and fonts (all in the entry's
    name, with the package's source and ReportLab's version), and of what the document holds when it is drawn: the
    code each character has in its font's subsets (ReportLab gives a character the next code at its first use in
    the document) and each font's name (F1, F2, … in the order the document first names them); its graphics states
    are its own (ReportLab starts each page with none), and so is its structure (structure.page_structure and
    finish_page read the page alone). An entry keeps the page's operators, its characters per font in the order of
    their first use with the codes they had, its fonts in the order it named them with the names they had, the
    page's graphics-state table and its finished structure (elements and marked content). Taking it, the
    characters and the fonts are first asked of the document in that order (what drawing the page asks first),
    then the codes and names compared with the entry's: only when all agree are the entry's operators the very
    operators drawing the page writes; otherwise the page is drawn (and asks the document nothing new: the same
    characters in the same order). An entry holds a digest of its name and body: a damaged, truncated or foreign
    one is a miss. Not for a screen file (its pages carry links, bookmarks and backgrounds), a page with a picture
    file (its image is one of the document's objects), nor when a function of the output was replaced at run
    time."""

    FORMAT = b"highlight-drawn/1\n"
    KEEP = 256  # entries kept, newest first (a page is one; 2022-23's are 10-25 KB)

    @classmethod
    def of(cls, options: RenderOptions, pages: list, registered: dict, faces: dict, geometry: tuple
           ) -> _DrawnPages | None:
        keys = options.page_keys
        if options.drawn is None or keys is None or len(keys) != len(pages) or options.target == "screen":
            return None
        import hashlib

        from reportlab import Version

        from .linestore import _package_digest, code_replaced

        if code_replaced() or _painter_replaced():
            return None
        try:
            stamps = []
            for name, face in sorted(faces.items()):
                info = os.stat(face.path)
                stamps.append((name, registered.get(name), face.path, info.st_size, info.st_mtime_ns))
        except OSError:
            return None
        shared = hashlib.sha256(b"highlight-drawn/1\0" + _package_digest() + repr(
            (Version, options.target, options.marks, options.tagged, geometry, stamps)).encode()).digest()
        names: list[str | None] = []
        for index, (key, page) in enumerate(zip(keys, pages)):
            if key is None or any(isinstance(item, Picture) and item.path for item in page.items):
                names.append(None)
            else:
                names.append(hashlib.sha256(shared + f"\0{index}\0{key}".encode()).hexdigest()[:40])
        return cls(options.drawn, names, options.tagged)

    def __init__(self, folder: str, names: list, tagged: bool):
        self.folder = folder
        self.names = names  # each page's entry name, None for a page that is always drawn
        self.tagged = tagged
        self.written = 0

    def reuse(self, index: int, canvas) -> tuple | None:
        """(page `index`'s structure plan, or None untagged) when its operators and graphics states were taken
        from its entry into the canvas; None when it is to be drawn."""
        name = self.names[index]
        entry = self._read(name) if name is not None else None
        if entry is None or (entry["tree"] is None) == self.tagged:
            return None
        try:
            return self._take(entry, index, canvas)
        except Exception:  # an entry ReportLab refuses is only a miss: the page is drawn (what was asked, it asks)
            return None

    def _take(self, entry: dict, index: int, canvas) -> tuple | None:
        from reportlab.pdfbase import pdfmetrics

        from .structure import PagePlan

        doc = canvas._doc
        fonts = [pdfmetrics._fonts.get(font) for font, _, _ in entry["fonts"]]
        named = [pdfmetrics._fonts.get(font) for font, _ in entry["named"]]
        if not all(hasattr(font, "splitString") and hasattr(font, "state") for font in fonts + named):
            return None
        for font, (_, chars, _) in zip(fonts, entry["fonts"]):  # (as drawing the page asks: first use first)
            state = font.state.get(doc)
            if state is not None:  # (only the characters with no code yet: splitString is per character)
                assignments = state.assignments
                chars = "".join(c for c in chars if (32 if c == "\xa0" else ord(c)) not in assignments)
            if chars:
                font.splitString(chars, doc)
        for font in named:
            font.getSubsetInternalName(0, doc)
        for font, (_, chars, codes) in zip(fonts, entry["fonts"]):
            assignments = font.state[doc].assignments
            if [assignments.get(32 if c == 0xA0 else c) for c in map(ord, chars)] != codes:
                return None
        if any(font.state[doc].internalName != internal for font, (_, internal) in zip(named, entry["named"])):
            return None
        plan = PagePlan(_element(entry["tree"], index)) if entry["tree"] is not None else None
        canvas._code.extend(entry["code"])
        states, table = entry["extgstate"]
        canvas._extgstate._d = {a: v for a, v in states}
        canvas._extgstate._c = {(a, v): state for a, v, state in table}
        return (plan,)

    def record(self, index: int, canvas) -> _Recording | None:
        """What page `index` asks of the document while it is drawn (None: a page that is always drawn)."""
        name = self.names[index]
        return _Recording(name, len(canvas._code)) if name is not None else None

    def keep(self, recording: _Recording, canvas, plan) -> None:
        """The page just drawn (and its structure finished), as its entry (only time lost if it is not written)."""
        import hashlib

        from reportlab.pdfbase import pdfmetrics

        from .atomic import replace_file
        from .linestore import compact_json

        doc = canvas._doc
        fonts = []
        for font, texts in recording.chars.items():
            assignments = pdfmetrics._fonts[font].state[doc].assignments
            text = "".join(dict.fromkeys("".join(texts)))  # (each character in the order of its first use)
            fonts.append([font, text, [assignments.get(32 if c == 0xA0 else c) for c in map(ord, text)]])
        extgstate = canvas._extgstate
        entry = {"code": canvas._code[recording.start:], "fonts": fonts,
                 "named": [[font, pdfmetrics._fonts[font].state[doc].internalName] for font in recording.named],
                 "tree": _tree(plan.sect) if plan is not None else None,
                 "extgstate": [[[a, v] for a, v in extgstate._d.items()],
                               [[a, v, state] for (a, v), state in extgstate._c.items()]]}
        try:
            body = compact_json(entry)
            replace_file(os.path.join(self.folder, recording.name + ".json"), self.FORMAT + hashlib.sha256(
                recording.name.encode() + body).hexdigest().encode() + b"\n" + body)
            self.written += 1
        except (OSError, TypeError, ValueError):  # (a read-only project, text JSON cannot write: time lost only)
            pass

    def _read(self, name: str) -> dict | None:
        """The entry `name`, or None: none kept, damaged, foreign or not of the shape written."""
        import hashlib
        import json

        head = len(self.FORMAT) + 65
        try:
            with open(os.path.join(self.folder, name + ".json"), "rb") as f:
                data = f.read()
            body = data[head:]
            if not data.startswith(self.FORMAT) or data[head - 1:head] != b"\n" \
                    or hashlib.sha256(name.encode() + body).hexdigest().encode() != data[len(self.FORMAT):head - 1]:
                return None
            entry = json.loads(body)
        except (OSError, ValueError):
            return None
        try:
            code, fonts, named, tree = entry["code"], entry["fonts"], entry["named"], entry["tree"]
            states, table = entry["extgstate"]
            if all(type(c) is str for c in code) \
                    and all(type(font) is str and type(chars) is str and type(codes) is list
                            and len(codes) == len(chars) and all(c is None or type(c) is int for c in codes)
                            for font, chars, codes in fonts) \
                    and all(type(font) is str and type(internal) is str for font, internal in named) \
                    and (tree is None or _tree_shaped(tree)) \
                    and all(type(a) is str and type(v) in (bool, int, float, str) for a, v in states) \
                    and all(type(a) is str and type(v) in (bool, int, float, str) and type(state) is str
                            for a, v, state in table):
                return entry
        except (KeyError, TypeError, ValueError):
            pass
        return None

    def prune(self) -> None:
        if self.written:
            from .atomic import prune_oldest

            try:
                prune_oldest(self.folder, ".json", self.KEEP)
            except OSError:
                pass


def _painter_replaced() -> bool:
    """Whether a method of _Painter is not the one this file defines (replaced at run time, as a test may):
    then the pages it draws are not what .cache/drawn keeps (linestore.code_replaced asks the same of the
    module's functions)."""
    own = os.path.abspath(__file__)
    for value in vars(_Painter).values():
        code = getattr(value, "__code__", None)
        if code is not None and os.path.abspath(code.co_filename) != own:
            return True
    return False


def _tree(element) -> list:
    """A finished structure element as JSON: [kind, lang, alt, title, scope, url, note id, key, children], a
    marked-content child as [MCID, language, text]."""
    return [element.kind, element.lang, element.alt, element.title, element.scope, element.url, element.note_id,
            element.key, [[c.mcid, c.lang, c.text] if isinstance(c, Marked) else _tree(c) for c in element.children]]


_OPTIONAL = (str, type(None))


def _tree_shaped(tree, depth: int = 0) -> bool:
    """Whether `tree` is what _tree writes."""
    if type(tree) is not list or len(tree) != 9 or depth > 64 or type(tree[0]) is not str \
            or not all(type(v) in _OPTIONAL for v in tree[1:7]) or type(tree[7]) is not str or type(tree[8]) is not list:
        return False
    return all(_tree_shaped(c, depth + 1) if type(c) is list and len(c) == 9 else
               type(c) is list and len(c) == 3 and type(c[0]) is int and type(c[1]) is str and type(c[2]) is str
               for c in tree[8])


def _element(tree: list, page: int):
    """The structure element _tree wrote, its marked content on page `page` (0-based)."""
    from .structure import Element

    kind, lang, alt, title, scope, url, note_id, key, children = tree
    return Element(kind, None, lang, alt, title, scope, [
        Marked(page, c[0], c[1], c[2]) if len(c) == 3 else _element(c, page) for c in children], url, note_id, key)


def _bilingual_title(page: LaidOutPage) -> str:
    """The page's title as its title band prints it: the English, then the Chinese."""
    lines = [i for i in page.items if isinstance(i, TextLine) and i.frame == "title-band"]
    zh = " ".join(i.line.text for i in lines if i.lang == "zh").strip()
    return f"{page.title} {zh}".strip() if zh and zh not in page.title else page.title


def _pdfx_identity(canvas, options: RenderOptions, profile: OutputProfile) -> None:
    """OutputIntent with the embedded CMYK profile, XMP metadata and the PDF/X-4 Info keys.

    ReportLab has no API for these; they are its own PDF objects hung on the catalog and info
    (pinned ReportLab 5.1: the catalog's list of optional keys is extended with /OutputIntents)."""
    from reportlab.pdfbase import pdfdoc

    doc = canvas._doc
    # Compressed once per session (profiles.OutputProfile.deflated), not on every build.
    icc = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"N": 4, "Filter": pdfdoc.PDFName("FlateDecode")}), profile.deflated)
    icc.filters = []
    intent = pdfdoc.PDFDictionary({
        "Type": pdfdoc.PDFName("OutputIntent"), "S": pdfdoc.PDFName("GTS_PDFX"),
        "OutputConditionIdentifier": pdfdoc.PDFString(profile.output_condition),
        "OutputCondition": pdfdoc.PDFString(profile.output_condition_text),
        "RegistryName": pdfdoc.PDFString(profile.registry),
        "Info": pdfdoc.PDFString(profile.name),
        "DestOutputProfile": doc.Reference(icc)})
    catalog = doc.Catalog
    catalog.__NoDefault__ = list(catalog.__NoDefault__) + ["OutputIntents"]
    catalog.OutputIntents = pdfdoc.PDFArray([intent])
    doc.info.__class__ = _pdfx_info_class()


def _pdfx_info_class():
    from reportlab.pdfbase import pdfdoc

    class PdfxInfo(pdfdoc.PDFInfo):
        """ReportLab's Info dictionary with the PDF/X version key."""

        def format(self, document):
            D = {"Title": pdfdoc.PDFString(self.title), "Author": pdfdoc.PDFString(self.author),
                 "Producer": pdfdoc.PDFString(self.producer), "Creator": pdfdoc.PDFString(self.creator),
                 "Subject": pdfdoc.PDFString(self.subject), "Keywords": pdfdoc.PDFString(self.keywords),
                 "Trapped": pdfdoc.PDFName("False"), "GTS_PDFXVersion": pdfdoc.PDFString("PDF/X-4")}
            D["ModDate"] = D["CreationDate"] = pdfdoc.PDFDate(ts=document._timeStamp,
                                                              dateFormatter=self._dateFormatter)
            return pdfdoc.PDFDictionary(D).format(document)

    return PdfxInfo


@functools.lru_cache(maxsize=256)
def rgb(colour: Colour, tint: float = 1.0):
    """The screen twin of a colour (its `rgb:`, else a plain conversion of its CMYK), tinted towards white."""
    from reportlab.lib.colors import Color

    if colour.rgb:
        r, g, b = (int(colour.rgb[i:i + 2], 16) / 255.0 for i in (1, 3, 5))
    else:
        c, m, y, k = (v / 100.0 for v in colour.cmyk)
        r, g, b = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return Color(*(1 - tint * (1 - v) for v in (r, g, b)))


@functools.lru_cache(maxsize=256)
def cmyk(colour: Colour, tint: float = 1.0):
    from reportlab.lib.colors import CMYKColor

    c, m, y, k = (v / 100.0 * tint for v in colour.cmyk)
    return CMYKColor(c, m, y, k)


MIN_CONTRAST = 4.5  # WCAG 2.x AA for text; `highlight preflight --target screen` fails below it


@functools.lru_cache(maxsize=256)
def readable_rgb(colour: Colour, background: tuple = (1.0, 1.0, 1.0)) -> tuple:
    """The screen twin of a text colour: brought to MIN_CONTRAST against its background (colour.reach_contrast),
    each channel rounded to 4 places as the file writes it."""
    return reach_contrast(tuple(rgb(colour).rgb()), background, MIN_CONTRAST,
                          lambda mixed: tuple(round(v, 4) for v in mixed))


def _is_pure_black(colour: Colour) -> bool:
    c, m, y, k = colour.cmyk
    return c == m == y == 0 and k == 100


_TEXT_TOOLS: tuple = ()  # (fp_str, getFont, escapePDF) for _text_object, imported at its first call (ReportLab's import
# is lazy); escapePDF is what Canvas._escape calls


def _text_tools() -> tuple:
    global _TEXT_TOOLS
    from reportlab.lib.rl_accel import escapePDF, fp_str
    from reportlab.pdfbase.pdfmetrics import getFont

    _TEXT_TOOLS = (fp_str, getFont, escapePDF)
    return _TEXT_TOOLS


def _split_string(font, text: str, doc) -> list:
    """ReportLab's font.splitString(text, doc) (the text's codes, as (subset, bytes) chunks), for a text whose every
    character has its code already (most runs after a document's first pages) without its loop over each character;
    else splitString itself, which gives a character its code at its first use."""
    state = font.state.get(doc)
    if state is None:
        return font.splitString(text, doc)
    assignments = state.assignments
    try:
        codes = [assignments[32 if c == 0xA0 else c] for c in map(ord, text)]  # (splitString sets NBSP as a space)
    except KeyError:  # a character without its code yet (or in no subset: splitString's code 0)
        return font.splitString(text, doc)
    if not codes:
        return []
    if max(codes) < 256:
        return [(0, bytes(codes))]
    chunks, begin, subset = [], 0, codes[0] >> 8
    for k, code in enumerate(codes):
        if code >> 8 != subset:
            chunks.append((subset, bytes([c & 0xFF for c in codes[begin:k]])))
            begin, subset = k, code >> 8
    chunks.append((subset, bytes([c & 0xFF for c in codes[begin:]])))
    return chunks


class _Asked:
    """What drawing a document's text asked ReportLab (_Painter._text_object), kept for its next lines: the font of
    each face, each subset's name (getSubsetInternalName names a font at its first call, then gives the same name:
    a WeakKeyDictionary look-up and a format each time), each colour's fill operator. The 200-page edition draws
    16,000 lines. (Each run text's codes kept too took its peak memory 4 MB up.)"""

    __slots__ = ("fonts", "inks", "names")

    def __init__(self):
        self.fonts: dict = {}  # face -> ReportLab font
        self.names: dict = {}  # (font name, subset) -> its name in the content stream
        self.inks: dict = {}  # id(colour) -> (the colour, its print fill operator)


class _Painter:
    def __init__(self, canvas, options: RenderOptions, offset: float, trim_h: float, bleed: float, registered: dict,
                 screen: bool = False, plan=None, page_index: int = 0, faces: dict | None = None):
        self.canvas = canvas
        self.options = options
        self.plan = plan  # structure.PagePlan: what each item is (tagged content or an artifact)
        self.page_index = page_index
        self.open: str | tuple | None = None  # the marked content open in the stream: "artifact", a Figure, or an MCID
        self.mcid = 0
        self.grounds: list = []  # (x0, y0, x1, y1, rgb) of each filled box so far: what text stands on (screen)
        self.ground = (1.0, 1.0, 1.0)
        self.screen = screen  # RGB twins of the colours, and links and language spans
        self.registered = registered  # face name -> ReportLab font name
        self.faces = faces or {}  # face name -> fonts.Face (its subset file: the outlines of furniture glyphs)
        self.overprinting = False
        self.missing_glyph_boxes: list = []
        self.offset = offset
        self.trim_h = trim_h
        self.bleed = bleed
        self.recording: _Recording | None = None  # what this page's drawing asks of the document (.cache/drawn)
        # the document's fonts by face and each subset's name, as _text_object asked them of ReportLab before
        # (render_pdf shares one for the document's pages)
        self.asked: _Asked = _Asked()

    def x(self, x: float) -> float:
        return self.offset + x

    def y(self, y: float) -> float:
        return self.offset + self.trim_h - y

    # -- marked content: every operator inside tagged content (an MCID) or an Artifact -------------------
    def end_mark(self) -> None:
        if self.open is not None:
            self.canvas._code.append("EMC")
            self.open = None

    def artifact(self) -> None:
        if self.open != "artifact":
            self.end_mark()
            self.canvas._code.append("/Artifact BMC")
            self.open = "artifact"

    def content(self, element, lang: str, text: str, kind: str = "Span") -> None:
        """Open a new marked-content sequence with the next MCID, owned by `element`."""
        self.end_mark()
        element.add(Marked(self.page_index, self.mcid, lang, text))
        self.canvas._code.append(f"/{kind} <</Lang ({lang}) /MCID {self.mcid}>> BDC")
        self.open = ("mcid", element)
        self.mcid += 1

    def figure(self, element) -> None:
        if self.open != ("mcid", element):  # a chart's segments are one marked-content sequence
            self.content(element, "en", "", "Figure")

    def draw(self, item, number: int = -1) -> None:
        if isinstance(item, TextLine):
            self.text(item, self.plan.segments.get(number) if self.plan else None)
            return
        figure = self.plan.figures.get(number) if self.plan else None
        if figure is not None:
            self.figure(figure)
        else:
            self.artifact()
        self.overprint(False)  # panels, rules and charts knock out
        if isinstance(item, Box):
            self.box(item)
        elif isinstance(item, Rule):
            c = self.canvas
            c.setStrokeColor(self.colour(item.colour))
            c.setLineWidth(item.width_pt)
            c.line(self.x(item.x1_pt), self.y(item.y1_pt), self.x(item.x2_pt), self.y(item.y2_pt))
        elif isinstance(item, QrMark):
            self.qr(item)
        elif isinstance(item, Ring):
            self.ring(item)
        elif isinstance(item, Picture):
            self.picture(item)

    def ring(self, item: Ring) -> None:
        c = self.canvas
        cx, cy = self.x(item.cx_pt), self.y(item.cy_pt)
        # PDF angles run counter-clockwise from 3 o'clock; ours clockwise from 12.
        start = 90.0 - item.start_deg
        path = c.beginPath()
        o, i = item.outer_pt, item.inner_pt
        path.arc(cx - o, cy - o, cx + o, cy + o, start, -item.sweep_deg)
        path.arcTo(cx - i, cy - i, cx + i, cy + i, start - item.sweep_deg, item.sweep_deg)
        path.close()
        c.setFillColor(self.colour(item.colour, item.tint))
        c.drawPath(path, stroke=0, fill=1)  # the layout draws the paper-white seams between segments

    def box(self, item: Box) -> None:
        x, y, w, h = item.x_pt, item.y_pt, item.width_pt, item.height_pt
        if item.bleeds:  # a background touching the trim runs on into the bleed
            x, w = x - self.bleed, w + 2 * self.bleed
            if y <= 0:
                y, h = y - self.bleed, h + self.bleed
        c = self.canvas
        fill = self.colour(item.colour, item.tint)
        c.setFillColor(fill)
        c.rect(self.x(x), self.y(y + h), w, h, stroke=0, fill=1)
        if self.screen:
            self.grounds.append((x, y, x + w, y + h, tuple(fill.rgb())))

    def colour(self, colour: Colour, tint: float = 1.0):
        return rgb(colour, tint) if self.screen else cmyk(colour, tint)

    def overprint(self, on: bool) -> None:
        """Switch fill overprint only when it changes (each switch is an ExtGState in the stream)."""
        on = on and not self.screen  # overprint is a print matter
        if on != self.overprinting:
            self.canvas.setFillOverprint(on)
            if on:
                self.canvas.setOverprintMask(1)
            self.overprinting = on

    def text(self, item: TextLine, segments=None) -> None:
        """A line as one text object; glyph runs that share a font become one TJ array.

        The gaps between runs of a group (pair kerning, the Han–Latin quarter em,
        justification) are TJ adjustments, so a kerned word stays one string and
        extracts as one word. Written as operators because ReportLab's text object
        has no TJ for TrueType fonts without a shaping engine.
        """
        runs = item.line.runs
        if self.screen:  # the topmost box under the line's start is its background (else paper white)
            px, py = item.x_pt + (runs[0].x_pt if runs else 0.0), item.baseline_pt - 1.0
            self.ground = next((g[4] for g in reversed(self.grounds)
                                if g[0] <= px <= g[2] and g[1] <= py <= g[3]), (1.0, 1.0, 1.0))
        if segments is None:  # no structure (furniture such as the folio): an artifact
            segments = [(0, len(runs), None, "")]
        # No line ends in a space (a text layer with none at its line ends): a figure set apart ("HK$956M" over
        # "external funding", a chart's total over its unit) is kept from its label by the font set before each
        # move (see _text_object), which a text extractor reads as a new line.
        for first, last, element, lang in segments:
            # Furniture (folio) and dictionary hyphens are artifacts, not content: readers and
            # `highlight check` skip them, so "sup-|ports" reads back as "supports". The rest is
            # tagged content, each language its own sequence, owned by its structure element.
            if element is None and self.plan is None and not (item.role and item.role.kind == "artifact") \
                    and not all(r.artifact for r in runs[first:last]):
                self.end_mark()  # an untagged preview: plain content, as text tools and `check` read it
            elif element is None:
                self.artifact()
            else:
                self.content(element, lang, "".join(r.text for r in runs[first:last]))
            start = first
            while start < last:
                black = _is_pure_black(runs[start].colour)
                end = start + 1
                while end < last and _is_pure_black(runs[end].colour) == black:
                    end += 1
                # 100 % K text overprints: no white halo if the plates misregister.
                self.overprint(black)
                text_runs = [run for run in runs[start:end] if not run.outline]
                if text_runs:
                    self.canvas._code.append(self._text_object(item, text_runs))
                for run in runs[start:end]:
                    if run.outline:  # furniture drawn as paths: the eye sees it, no text extractor does
                        self.outline(item, run)
                start = end
        if self.missing_glyph_boxes:
            self.artifact()
        for line, run in self.missing_glyph_boxes:
            c = self.canvas
            c.setStrokeColor(self.colour(run.colour))
            c.setLineWidth(0.5)
            c.rect(self.x(line.x_pt + run.x_pt + 0.05 * run.size_pt), self.y(line.baseline_pt),
                   run.width_pt - 0.1 * run.size_pt, 0.75 * run.size_pt, stroke=1, fill=0)
        self.missing_glyph_boxes.clear()

    def outline(self, item: TextLine, run) -> None:
        """`run`'s glyphs as filled paths from their outlines in its face (fontTools), at its size and place."""
        path = self.faces[run.face].path if run.face in self.faces else ""
        kept = _KeptOutlines.of(self.options.outlines)
        c = self.canvas
        p = c.beginPath()
        scale = run.size_pt / kept.units_per_em(path) if path else 0.0
        x0, y0 = item.x_pt + run.x_pt, item.baseline_pt - run.rise_pt
        advance = 0.0
        for char in run.text:
            ops, width = kept.glyph(path, char) if path else ((), 0)
            for op, points in ops:
                xy = [v for px, py in points for v in (self.x(x0 + (advance + px) * scale),
                                                        self.y(y0 - py * scale))]
                getattr(p, op)(*xy)
            advance += width + run.char_space_pt / scale if scale else 0.0
        c.setFillColor(self.colour(run.colour))
        c.drawPath(p, stroke=0, fill=1, fillMode=1)  # non-zero winding, as a glyph's contours are drawn

    def _text_object(self, item: TextLine, runs) -> str:
        fp_str, getFont, escape = _TEXT_TOOLS or _text_tools()
        canvas = self.canvas
        doc = canvas._doc
        code = ["BT"]
        state: tuple | None = None  # everything is set at the start of a text object, then only what changes
        subset_font = None
        array: list[str] = []
        previous_end = 0.0
        recording = self.recording
        baseline = fp_str(self.y(item.baseline_pt))
        asked = self.asked
        fonts, names, inks = asked.fonts, asked.names, asked.inks

        def name_of(font, subset: int) -> str:
            key = (font.fontName, subset)
            name = names.get(key)
            if name is None:
                name = names[key] = font.getSubsetInternalName(subset, doc)
            return name

        def flush():
            if array:
                code.append(f"[{' '.join(array)}] TJ")
                array.clear()

        for run in runs:
            if not run.face:  # a glyph no font has: a visible box, never a silent .notdef
                self.missing_glyph_boxes.append((item, run))
                continue
            run_state = (run.face, run.size_pt, run.colour, run.char_space_pt, run.rise_pt, run.scale, run.hidden)
            font = fonts.get(run.face)
            if font is None:
                font = fonts[run.face] = getFont(self.registered[run.face])
            split = None  # (the run split into its subsets' codes once: ReportLab's splitString is per character)
            if recording is not None:  # (each character in the order of its first use, whatever its code now)
                texts = recording.chars.get(font.fontName)
                if texts is None:
                    texts = recording.chars[font.fontName] = []
                texts.append(run.text)  # (the characters taken from the texts once the page is drawn: keep)
            if run_state != state:
                flush()
                if (state[6] if state else False) != run.hidden:  # text render mode: invisible, or filled
                    code.append("3 Tr" if run.hidden else "0 Tr")
                if state is None or state[2] != run.colour:
                    if self.screen:
                        code.append(f"{fp_str(*readable_rgb(run.colour, self.ground))} rg")
                    else:
                        ink = inks.get(id(run.colour))
                        if ink is None or ink[0] is not run.colour:
                            c, m, y, k = (v / 100.0 for v in run.colour.cmyk)
                            ink = inks[id(run.colour)] = (run.colour, f"{fp_str(c, m, y, k)} k")
                        code.append(ink[1])
                if state is None or state[3] != run.char_space_pt:
                    code.append(f"{fp_str(run.char_space_pt)} Tc")
                if state is None or state[4] != run.rise_pt:
                    code.append(f"{fp_str(run.rise_pt)} Ts")
                if (state[5] if state else 1.0) != run.scale:  # the dashes of ——, drawn wider (text.py)
                    code.append(f"{fp_str(run.scale * 100.0)} Tz")
                if state is None or state[:2] != run_state[:2]:
                    # The font before the move: a text extractor judges a new line by the size of the text it
                    # moves to (pypdf: a label 10 pt under a 26 pt figure is a line of its own, not glued to it)
                    split = _split_string(font, run.text, doc)
                    subset = split[0][0]
                    code.append(f"{name_of(font, subset)} {fp_str(run.size_pt)} Tf")
                    subset_font = (run.face, subset)
                    if recording is not None:
                        recording.named.setdefault(font.fontName)
                code.append(f"1 0 0 1 {fp_str(self.x(item.x_pt + run.x_pt))} {baseline} Tm")
                state = run_state
            elif abs(run.x_pt - previous_end) > 1e-6:
                # TJ numbers are thousandths of an em, positive to the left.
                array.append(fp_str(-(run.x_pt - previous_end) * 1000.0 / run.size_pt / run.scale))
            for subset, chunk in split if split is not None else _split_string(font, run.text, doc):
                if subset_font != (run.face, subset):
                    flush()
                    code.append(f"{name_of(font, subset)} {fp_str(run.size_pt)} Tf")
                    subset_font = (run.face, subset)
                    if recording is not None:
                        recording.named.setdefault(font.fontName)
                array.append(f"({escape(chunk)})")
            previous_end = run.x_pt + run.width_pt
        flush()
        if state is not None and state[5] != 1.0:
            code.append("100 Tz")  # Tz outlives the text object: back to 100 for the next one
        if state is not None and state[6]:
            code.append("0 Tr")  # as does Tr
        code.append("ET")
        return "\n".join(code)

    def picture(self, item: Picture) -> None:
        """A picture clipped to its box: a raster as a JPEG image XObject prepared for the target (images.py), a
        logo as vectors (a PDF page as a Form XObject, an SVG drawn by svglib); a missing file as a marked
        placeholder, an outlined box with a cross, as a QR code's."""
        import hashlib

        from reportlab.pdfbase import pdfdoc

        from . import images

        c, options = self.canvas, self.options
        x, top, w, h = self.x(item.x_pt), self.y(item.y_pt), item.width_pt, item.height_pt
        target = "screen" if self.screen else "print"
        try:
            source = images.probe(item.path) if item.path else None
            if source is not None and source.kind == "raster":
                p = images.prepare(source.path, w, h, item.fit, item.focus, target, options.picture_icc,
                                   options.images)
            elif source is not None:
                drawn = images.logo(source.path, target, options.picture_icc, options.images)
        except images.PictureError:  # the build's error names it; a proof shows where it stands
            source = None
        if source is None:
            self.placeholder(x, top, w, h, item.colour)
            return
        c.saveState()
        clip = c.beginPath()
        clip.rect(x, top - h, w, h)
        c.clipPath(clip, stroke=0, fill=0)
        if source.kind == "raster":
            name = "Pic" + hashlib.sha256(p.data).hexdigest()[:16]
            doc = c._doc
            if doc.getXObjectName(name) not in doc.idToObject:
                entries = {"Type": pdfdoc.PDFName("XObject"), "Subtype": pdfdoc.PDFName("Image"),
                           "Width": p.width_px, "Height": p.height_px, "BitsPerComponent": 8,
                           "ColorSpace": pdfdoc.PDFName(p.colour_space), "Filter": pdfdoc.PDFName("DCTDecode")}
                if p.decode:
                    entries["Decode"] = pdfdoc.PDFArray(list(p.decode))
                if p.smask is not None:  # a transparent logo keeps its transparency (PDF/X-4 allows it)
                    mask = pdfdoc.PDFStream(pdfdoc.PDFDictionary({
                        "Type": pdfdoc.PDFName("XObject"), "Subtype": pdfdoc.PDFName("Image"),
                        "Width": p.width_px, "Height": p.height_px, "BitsPerComponent": 8,
                        "ColorSpace": pdfdoc.PDFName("DeviceGray"), "Filter": pdfdoc.PDFName("FlateDecode")}),
                        p.smask)
                    mask.filters = []  # already deflated
                    entries["SMask"] = doc.Reference(mask)
                stream = pdfdoc.PDFStream(pdfdoc.PDFDictionary(entries), p.data)
                stream.filters = []  # already JPEG
                doc.Reference(stream, doc.getXObjectName(name))
            dx, dy, dw, dh = p.placement.draw
            c._code.append(f"q {dw:.4f} 0 0 {dh:.4f} {x + dx:.4f} {top - dy - dh:.4f} cm "
                           f"/{doc.getXObjectName(name)} Do Q")
            c._formsinuse.append(name)
        else:
            placement = images.place(source, w, h, item.fit, item.focus)
            dx, dy, dw, dh = placement.draw
            sx, sy = dw / drawn.width_pt, dh / drawn.height_pt
            c.translate(x + dx, top - dy - dh)
            c.scale(sx, sy)
            if drawn.kind == "svg":
                from reportlab.graphics import renderPDF

                class Renderer(renderPDF._PDFRenderer):
                    def initState(self, x, y):  # the canvas's own (embedded) font, never Helvetica
                        self._tracker._combined[-1].update(fontName=c._fontname, fontSize=c._fontsize)
                        super().initState(x, y)

                drawing = _svg_drawing(drawn)
                _use_font(drawing, c._fontname, c._fontsize)
                Renderer().draw(renderPDF.renderScaledDrawing(drawing), c, 0, 0, showBoundary=False)
            else:
                name = "Logo" + hashlib.sha256(drawn.content).hexdigest()[:16]
                doc = c._doc
                if doc.getXObjectName(name) not in doc.idToObject:
                    form = pdfdoc.PDFStream(pdfdoc.PDFDictionary({
                        "Type": pdfdoc.PDFName("XObject"), "Subtype": pdfdoc.PDFName("Form"),
                        "BBox": pdfdoc.PDFArray([0, 0, round(drawn.width_pt, 4), round(drawn.height_pt, 4)]),
                        "Resources": pdfdoc.PDFDictionary({})}), drawn.content)
                    doc.Reference(form, doc.getXObjectName(name))
                c._code.append(f"/{doc.getXObjectName(name)} Do")
                c._formsinuse.append(name)
        c.restoreState()

    def placeholder(self, x: float, top: float, w: float, h: float, colour: Colour) -> None:
        """What stands for a QR code without its url or a missing picture: a dashed box with a cross, which
        nobody can mistake for the real thing."""
        c = self.canvas
        c.setStrokeColor(self.colour(colour, 0.6))
        c.setLineWidth(0.8)
        c.setDash(2, 1.5)
        c.rect(x, top - h, w, h, stroke=1, fill=0)
        c.setDash()
        c.setLineWidth(0.4)
        c.line(x, top - h, x + w, top)
        c.line(x, top, x + w, top - h)

    def qr(self, item: QrMark) -> None:
        c = self.canvas
        x0, top, size = self.x(item.x_pt), self.y(item.y_pt), item.size_pt
        # A code stands on paper white with its quiet zone, even on a panel (DESIGN.md): the square knocks
        # the panel out, so a scanner sees the contrast it was made for.
        c.setFillColor(self.colour(replace(item.colour, cmyk=(0.0, 0.0, 0.0, 0.0), rgb="#ffffff")))
        c.rect(x0, top - size, size, size, stroke=0, fill=1)
        if item.url is None:
            self.placeholder(x0, top, size, size, item.colour)
            return
        import segno

        if self.screen:  # on screen the code is also a link
            c.linkURL(item.url, (x0, top - size, x0 + size, top), relative=0, thickness=0)
        code = segno.make(item.url, error=item.error.lower(), boost_error=False, micro=False)
        matrix = list(code.matrix_iter(scale=1, border=4))
        module = size / len(matrix)
        c.setFillColor(self.colour(item.colour))
        path = c.beginPath()
        for r, row in enumerate(matrix):
            for col, dark in enumerate(row):
                if dark:
                    path.rect(x0 + col * module, top - (r + 1) * module, module, module)
        c.drawPath(path, stroke=0, fill=1)


def _iso(epoch: int) -> str:
    import time

    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _slug(canvas, offset: float, trim_w: float, bleed: float, font: str, options: RenderOptions, page: int) -> None:
    """In the slug, outside the bleed: a colour bar (solid and half tints of C, M, Y, K) and a line naming the
    edition, page and date. Both are artifacts, not content."""
    from reportlab.lib.colors import CMYKColor

    canvas._code.append("/Artifact BMC")
    patch = 4 * MM
    y = offset - bleed - 1 * MM - patch - 4 * MM
    x = offset + trim_w - 8 * patch - 8 * MM  # clear of the crop mark
    for i, (c, m, yy, k) in enumerate([(1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1)]):
        for j, tint in enumerate((1.0, 0.5)):
            canvas.setFillColor(CMYKColor(c * tint, m * tint, yy * tint, k * tint))
            canvas.rect(x + (2 * i + j) * patch, y, patch, patch, stroke=0, fill=1)
    _registration(canvas, fill=True)
    canvas.setFont(font, 6)
    # ASCII only: the subset fonts hold just the content's characters and these.
    canvas.drawString(offset + 8 * MM, y + 1.2 * MM, f"Annual Highlights {options.edition} | page {page} | "
                      f"{_iso(options.date_epoch)[:10]} | {options.producer}")
    canvas._code.append("EMC")


def _crop_marks(canvas, offset: float, trim_w: float, trim_h: float, bleed: float) -> None:
    """Trim marks in registration colour, starting outside the bleed so they never print on the page."""
    canvas._code.append("/Artifact BMC")
    _registration(canvas, fill=False)
    canvas.setLineWidth(CROP_MARK_WEIGHT_PT)
    length = CROP_MARK_LENGTH_MM * MM
    start = bleed + 1 * MM
    for x in (offset, offset + trim_w):
        for y, direction in ((offset, -1), (offset + trim_h, 1)):
            canvas.line(x, y + direction * start, x, y + direction * (start + length))
    for y in (offset, offset + trim_h):
        for x, direction in ((offset, -1), (offset + trim_w, 1)):
            canvas.line(x + direction * start, y, x + direction * (start + length), y)
    canvas._code.append("EMC")


def _registration(canvas, fill: bool) -> None:
    """Registration colour, /Separation /All (ISO 32000-1 §8.6.6.4): on every plate, as one colour a
    preflight knows for a mark, not a 400 % CMYK build."""
    from reportlab.lib.colors import CMYKColorSep

    enforce = canvas._enforceColorSpace  # the CMYK guard would turn the separation into plain CMYK
    canvas._enforceColorSpace = None
    try:
        colour = CMYKColorSep(1, 1, 1, 1, spotName="All")
        (canvas.setFillColor if fill else canvas.setStrokeColor)(colour)
    finally:
        canvas._enforceColorSpace = enforce


@functools.lru_cache(maxsize=8)
def _svg_drawing(drawn):
    """An SVG logo as a ReportLab drawing (svglib) in the target's colours: each RGB colour the logo's
    `recolour` names becomes its CMYK (print). Cached per logo: drawn as often as it is placed."""
    import copy

    from reportlab.lib.colors import CMYKColor, Color

    from . import images

    drawing = copy.deepcopy(images.read_svg(drawn.path, drawn.stamp))  # as images.py read it to size and check it
    recolour = dict(drawn.recolour)

    def fix(colour):
        if colour is None or isinstance(colour, CMYKColor) or not isinstance(colour, Color):
            return colour
        cmyk = recolour.get((colour.red, colour.green, colour.blue))
        return colour if cmyk is None else CMYKColor(*cmyk, alpha=getattr(colour, "alpha", 1))

    def walk(node):
        for attr in ("fillColor", "strokeColor"):
            if hasattr(node, attr):
                setattr(node, attr, fix(getattr(node, attr)))
        for child in getattr(node, "contents", ()) or ():
            walk(child)

    walk(drawing)
    return drawing


def _use_font(drawing, name: str, size: float) -> None:
    """Every node of a text-free SVG drawing told to use the canvas's font, so drawing it selects no font
    the PDF does not already embed (svglib's nodes carry ReportLab's default, Helvetica, unembedded)."""
    if hasattr(drawing, "fontName"):
        drawing.fontName, drawing.fontSize = name, size
    for child in getattr(drawing, "contents", ()) or ():
        _use_font(child, name, size)
