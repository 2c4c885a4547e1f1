"""PDF objects in plain Python: read ReportLab's file, change it, write it again (the finishing pass, tags.py).

Reads a PDF with a classic cross-reference table (ReportLab writes one) or a cross-reference stream, its
objects resolved into one graph of Python values: a Dictionary is a dict keyed by names ("/Type"), an Array a
list, a Name or a String a str, numbers int or float, an indirect object the same Python object wherever it is
referred to (its `objgen` tells it is indirect). It offers the part of pikepdf's interface the preflight reads
(`Pdf.pages`, `.Root`, `.trailer`, `.docinfo`, `.pdf_version`; `obj.Name` and `obj.get("/Name")`;
`read_raw_bytes`, `read_bytes`; `parse_content_stream`), so the build checks the file it is about to write
without importing pikepdf (qpdf's binding: 28 ms of every build process); `highlight preflight FILE` reads
with pikepdf, an independent reader. `write` lays the file out as qpdf did for us before: every object reached
from the trailer, numbered in the order met, the non-stream objects packed in compressed object streams, a
compressed cross-reference stream, a deterministic /ID.
"""
from __future__ import annotations

import re
import zlib


class PdfError(Exception):
    """A file this reader cannot read."""


class Name(str):
    """A PDF name, with its slash: Name("/Type") == "/Type"."""

    __slots__ = ()


class String(str):
    """A PDF text string (its text); `raw`, the bytes as read, is written back as it was."""

    raw: bytes | None = None

    @classmethod
    def of_bytes(cls, raw: bytes) -> String:
        if raw[:2] == b"\xfe\xff":
            text = raw[2:].decode("utf-16-be", "replace")
        elif raw[:3] == b"\xef\xbb\xbf":
            text = raw[3:].decode("utf-8", "replace")
        else:
            text = raw.decode("latin-1").translate(_PDFDOC)
        value = cls(text)
        value.raw = raw
        return value


class Binary(bytes):
    """A PDF string of bytes, not text (an /ID's halves): written as hex."""


# PDFDocEncoding where it is not Latin-1 (ISO 32000-1 Annex D.2)
_PDFDOC = {0x18: 0x2D8, 0x19: 0x2C7, 0x1A: 0x2C6, 0x1B: 0x2D9, 0x1C: 0x2DD, 0x1D: 0x2DB, 0x1E: 0x2DA, 0x1F: 0x2DC,
           0x80: 0x2022, 0x81: 0x2020, 0x82: 0x2021, 0x83: 0x2026, 0x84: 0x2014, 0x85: 0x2013, 0x86: 0x192,
           0x87: 0x2044, 0x88: 0x2039, 0x89: 0x203A, 0x8A: 0x2212, 0x8B: 0x2030, 0x8C: 0x201E, 0x8D: 0x201C,
           0x8E: 0x201D, 0x8F: 0x2018, 0x90: 0x2019, 0x91: 0x201A, 0x92: 0x2122, 0x93: 0xFB01, 0x94: 0xFB02,
           0x95: 0x141, 0x96: 0x152, 0x97: 0x160, 0x98: 0x178, 0x99: 0x17D, 0x9A: 0x131, 0x9B: 0x142, 0x9C: 0x153,
           0x9D: 0x161, 0x9E: 0x17E, 0xA0: 0x20AC}


class Dictionary(dict):
    """A PDF dictionary: keys are names ("/Type"); `d.Type` reads and `d.Type = v` sets "/Type"."""

    objgen: tuple[int, int] = (0, 0)

    def __getattr__(self, name: str):
        try:
            return self["/" + name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value) -> None:
        if name in ("objgen", "raw"):
            object.__setattr__(self, name, value)
        else:
            self["/" + name] = value

    def __repr__(self) -> str:
        return "<<" + " ".join(f"{k} {_brief(v)}" for k, v in self.items()) + ">>"


class Array(list):
    objgen: tuple[int, int] = (0, 0)

    def __repr__(self) -> str:
        return "[" + " ".join(_brief(v) for v in self) + "]"


class Stream(Dictionary):
    """A stream: its dictionary (without /Length, written from the data) and `raw`, its data as stored."""

    raw: bytes = b""

    def read_raw_bytes(self) -> bytes:
        return self.raw

    def read_bytes(self) -> bytes:
        filters = self.get("/Filter")
        names = list(filters) if isinstance(filters, list) else [filters] if filters else []
        data = self.raw
        for name in names:
            if name != "/FlateDecode":
                raise PdfError(f"unsupported filter {name}")
            if self.get("/DecodeParms"):
                raise PdfError("unsupported /DecodeParms")
            try:
                data = zlib.decompress(data)
            except zlib.error as exc:
                raise PdfError(str(exc)) from exc
        return data

    def __repr__(self) -> str:
        return "stream" + super().__repr__()


def _brief(value) -> str:
    """An element's repr inside a container: an indirect object by its number (no recursion into the graph)."""
    if isinstance(value, (Dictionary, Array)) and value.objgen != (0, 0):
        return f"{value.objgen[0]} {value.objgen[1]} R"
    return repr(value)


class Page:
    """A page, as pikepdf's Page: its dictionary is `obj`."""

    __slots__ = ("obj",)

    def __init__(self, obj: Dictionary):
        self.obj = obj


class Pdf:
    def __init__(self, trailer: Dictionary, version: str, objects: list):
        self.trailer = trailer
        self.file_id: bytes | None = None  # the /ID's first half, when the writer is to name the document
        self.pdf_version = version
        self.objects = objects
        self._next = max((o.objgen[0] for o in objects if isinstance(o, (Dictionary, Array))), default=0) + 1
        self.pages = [Page(p) for p in _page_list(self.Root["/Pages"])]

    @property
    def Root(self) -> Dictionary:  # (pikepdf's name)
        return self.trailer["/Root"]

    @property
    def docinfo(self) -> Dictionary:
        info = self.trailer.get("/Info")
        if info is None:
            info = self.trailer["/Info"] = self.make_indirect(Dictionary())
        return info

    def make_indirect(self, obj):
        obj.objgen = (self._next, 0)
        self._next += 1
        return obj


def _page_list(node, depth: int = 0) -> list:
    if node.get("/Type") == "/Page" or "/Kids" not in node:
        return [node]
    if depth > 32:
        raise PdfError("page tree too deep")
    return [page for kid in node["/Kids"] for page in _page_list(kid, depth + 1)]


# -- reading ---------------------------------------------------------------------------------------------------
_DELIMITERS = rb"\s/<>\[\]()%{}"
_TOKEN = re.compile(
    rb"(?:\s|%[^\r\n]*)*(?:"
    rb"(?P<name>/[^" + _DELIMITERS + rb"]*)"
    rb"|(?P<number>[+-]?(?:\d+\.?\d*|\.\d+))"
    rb"|(?P<open><<|\[)|(?P<close>>>|\])"
    rb"|(?P<string>\((?:[^()\\]|\\.)*\))"
    rb"|(?P<lparen>\()"
    rb"|(?P<hex><[0-9A-Fa-f\s]*>)"
    rb"|(?P<word>[^" + _DELIMITERS + rb"]+)"
    rb"|(?P<brace>[{}]))", re.DOTALL)
_REF = re.compile(rb"\s+\d+\s+R(?![^" + _DELIMITERS + rb"])")  # after a reference's object number
# An array of numbers alone, after its "[": what the token loop reads from it, number by number (no "R" in it, so no
# number is a reference's; no comment; at least one number, the last followed by "]" as a delimiter ends it)
_NUMBERS = re.compile(rb"((?:\s*[+-]?(?:\d+\.?\d*|\.\d+)(?=[\s\]]))+)\s*\]")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STRING_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|.)", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"\r\n": b"", b"\n": b"", b"\r": b""}


class _Ref:
    __slots__ = ("num",)

    def __init__(self, num: int):
        self.num = num


def _unescape(body: bytes) -> bytes:
    if b"\\" not in body:
        return body

    def one(m: re.Match) -> bytes:
        c = m.group(1)
        if c[:1].isdigit():
            return bytes((int(c, 8) & 0xFF,))
        return _ESCAPES.get(c, c)

    return _STRING_ESCAPE.sub(one, body)


def _balanced(data: bytes, start: int) -> int:
    """The end (after its ')') of the literal string opening at data[start] == '(' with nested parentheses."""
    depth, i, n = 0, start, len(data)
    while i < n:
        c = data[i]
        if c == 0x5C:  # backslash
            i += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise PdfError("unterminated string")


class _Parser:
    """Objects from PDF syntax; `strings_as_bytes` for content streams (their strings are glyph codes)."""

    def __init__(self, data: bytes, strings_as_bytes: bool = False):
        self.data = data
        self.strings_as_bytes = strings_as_bytes

    def token(self, pos: int):
        m = _TOKEN.match(self.data, pos)
        if m is None or m.lastgroup is None:
            return None, None, pos if m is None else m.end()
        return m.lastgroup, m, m.end()

    def value(self, kind, m, pos: int):
        """The object a token starts (kind, match) and the position after it."""
        if kind == "number":
            text = m.group(kind)
            if b"." in text:
                return float(text), pos
            ref = _REF.match(self.data, pos)  # a reference: "num gen R"
            if ref is not None and text.isdigit():
                return _Ref(int(text)), ref.end()
            return int(text), pos
        if kind == "name":
            raw = m.group(kind)
            if b"#" in raw:
                raw = _NAME_ESCAPE.sub(lambda e: bytes((int(e.group(1), 16),)), raw)
            return Name(raw.decode("latin-1")), pos
        if kind == "open":
            if m.group(kind) == b"[":
                numbers = _NUMBERS.match(self.data, pos)  # (a font's /Widths: hundreds of numbers, no reference)
                if numbers is not None:
                    return Array(float(n) if b"." in n else int(n) for n in numbers.group(1).split()), numbers.end()
                items = Array()
                while True:
                    k, mm, p = self.token(pos)
                    if k == "close":
                        return items, p
                    if k is None:
                        raise PdfError("unterminated array")
                    item, pos = self.value(k, mm, p)
                    items.append(item)
            d = Dictionary()
            while True:
                k, mm, p = self.token(pos)
                if k == "close":
                    return d, p
                if k != "name":
                    raise PdfError("a dictionary key is not a name")
                key = self.value(k, mm, p)[0]
                k, mm, pos = self.token(p)
                if k is None:
                    raise PdfError("unterminated dictionary")
                d[key], pos = self.value(k, mm, pos)
        if kind == "string":
            raw = _unescape(m.group(kind)[1:-1])
            return (raw if self.strings_as_bytes else String.of_bytes(raw)), pos
        if kind == "lparen":
            end = _balanced(self.data, m.start(kind))
            raw = _unescape(self.data[m.start(kind) + 1:end - 1])
            return (raw if self.strings_as_bytes else String.of_bytes(raw)), end
        if kind == "hex":
            digits = re.sub(rb"\s", b"", m.group(kind)[1:-1])
            raw = bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
            return (raw if self.strings_as_bytes else String.of_bytes(raw)), pos
        if kind == "word":
            word = m.group(kind)
            if word == b"true":
                return True, pos
            if word == b"false":
                return False, pos
            if word == b"null":
                return None, pos
            return _Operator(word.decode("latin-1")), pos
        raise PdfError(f"unexpected {m.group(kind)!r}")


class _Operator(str):
    __slots__ = ()


def open_pdf(data: bytes) -> Pdf:
    """The objects of the PDF `data`, resolved into one graph."""
    if not data.startswith(b"%PDF-"):
        raise PdfError("not a PDF")
    version = data[5:8].decode("latin-1")
    parser = _Parser(data)
    start = data.rfind(b"startxref")
    if start < 0:
        raise PdfError("no startxref")
    offsets: dict[int, int] = {}
    compressed: dict[int, tuple[int, int]] = {}
    trailer = None
    at = int(data[start + 9:start + 40].split()[0])
    seen: set = set()
    while at not in seen:
        seen.add(at)
        if data.startswith(b"xref", at):
            after = _xref_table(data, at + 4, offsets)
            k, m, pos = parser.token(after)
            if k != "word" or m.group(k) != b"trailer":
                raise PdfError("no trailer after the xref table")
            k, m, pos = parser.token(pos)
            this, _ = parser.value(k, m, pos)
        else:
            this = _object_at(parser, at)[1]
            if not isinstance(this, Stream) or this.get("/Type") != "/XRef":
                raise PdfError("startxref points at neither a table nor a stream")
            _xref_stream(this, offsets, compressed)
        trailer = trailer if trailer is not None else this
        previous = this.get("/Prev")
        if not isinstance(previous, int):
            break
        at = previous
    assert trailer is not None
    table: dict[int, object] = {}
    for num, offset in offsets.items():
        objnum, obj = _object_at(parser, offset)
        if objnum == num:
            table[num] = obj
    streams: dict[int, tuple[int, bytes, list]] = {}
    for num, (container, index) in sorted(compressed.items()):
        if num in table:
            continue
        if container not in streams:
            holder = table.get(container)
            if not isinstance(holder, Stream):
                raise PdfError("an object stream is missing")
            body = holder.read_bytes()
            header = body[:holder["/First"]].split()
            streams[container] = (holder["/First"], body, [(int(header[i]), int(header[i + 1]))
                                                           for i in range(0, len(header), 2)])
        first, body, entries = streams[container]
        if index < len(entries) and entries[index][0] == num:
            k, m, pos = _Parser(body).token(first + entries[index][1])
            table[num] = _Parser(body).value(k, m, pos)[0]
    for num in streams:
        table.pop(num, None)
    for num, obj in table.items():
        if isinstance(obj, (Dictionary, Array)):
            obj.objgen = (num, 0)
    for obj in list(table.values()):
        _resolve(obj, table)
    if isinstance(trailer, Stream):
        trailer = Dictionary((k, v) for k, v in trailer.items()
                             if k in ("/Root", "/Info", "/ID"))
    _resolve(trailer, table)
    trailer.pop("/Size", None)
    trailer.pop("/Prev", None)
    return Pdf(trailer, version, [o for o in table.values() if isinstance(o, (Dictionary, Array))])


def _xref_table(data: bytes, pos: int, offsets: dict) -> int:
    lines = re.compile(rb"\s*(\d+) (\d+)\s*\r?\n?")
    entry = re.compile(rb"(\d{10}) (\d{5}) ([nf])\s{1,2}")
    while True:
        m = lines.match(data, pos)
        if m is None:
            return pos
        first, count = int(m.group(1)), int(m.group(2))
        pos = m.end()
        for i in range(count):
            e = entry.match(data, pos)
            if e is None:
                raise PdfError("a damaged xref entry")
            pos = e.end()
            if e.group(3) == b"n" and first + i not in offsets:
                offsets[first + i] = int(e.group(1))


def _xref_stream(stream: Stream, offsets: dict, compressed: dict) -> None:
    widths = [int(w) for w in stream["/W"]]
    data = stream.read_bytes()
    index = list(stream.get("/Index") or [0, stream["/Size"]])
    row = sum(widths)
    at = 0
    for first, count in zip(index[0::2], index[1::2]):
        for num in range(first, first + count):
            fields, p = [], at
            for w in widths:
                fields.append(int.from_bytes(data[p:p + w], "big") if w else None)
                p += w
            at += row
            kind = 1 if widths[0] == 0 else fields[0]
            if num in offsets or num in compressed:
                continue
            if kind == 1:
                offsets[num] = fields[1]
            elif kind == 2:
                compressed[num] = (fields[1], fields[2])


_OBJ = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\b")
_STREAM = re.compile(rb"\s*stream\r?\n")


def _object_at(parser: _Parser, offset: int) -> tuple[int, object]:
    m = _OBJ.match(parser.data, offset)
    if m is None:
        raise PdfError(f"no object at offset {offset}")
    k, t, pos = parser.token(m.end())
    if k is None:
        raise PdfError(f"an empty object at offset {offset}")
    obj, pos = parser.value(k, t, pos)
    if isinstance(obj, Dictionary):
        s = _STREAM.match(parser.data, pos)
        if s is not None:
            length = obj.get("/Length")
            if not isinstance(length, int):  # an indirect /Length: up to endstream
                end = parser.data.find(b"endstream", s.end())
                if end < 0:
                    raise PdfError("unterminated stream")
                raw = parser.data[s.end():end].rstrip(b"\r\n")
            else:
                raw = parser.data[s.end():s.end() + length]
            stream = Stream(obj)
            stream.raw = raw
            del stream["/Length"]
            obj = stream
    return int(m.group(1)), obj


def _resolve(obj, table: dict) -> None:
    """References inside `obj` (not inside the indirect objects it names) replaced by their objects."""
    stack = [obj]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, _Ref):
                    node[key] = table.get(value.num)
                elif isinstance(value, (dict, list)) and getattr(value, "objgen", None) == (0, 0):
                    stack.append(value)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                if isinstance(value, _Ref):
                    node[i] = table.get(value.num)
                elif isinstance(value, (dict, list)) and getattr(value, "objgen", None) == (0, 0):
                    stack.append(value)


# -- content streams -------------------------------------------------------------------------------------------
class Instruction:
    """One operator and its operands, as pikepdf's ContentStreamInstruction."""

    __slots__ = ("operands", "operator")

    def __init__(self, operands: list, operator: str):
        self.operands = operands
        self.operator = operator


# One content-stream token a group, the most frequent first: a number, a word (an operator, true, false, null),
# a name, a literal string (no nested parentheses), a delimiter or a hex string; anything else (a comment, a
# nested string, a stray byte) sends the stream to the general parser below.
_CONTENT_TOKEN = re.compile(
    rb"([-+.\d][.\d]*)|([^" + _DELIMITERS + rb"]+)|(/[^" + _DELIMITERS + rb"]*)|(\((?>[^()\\]++|\\.)*+\))"
    rb"|(<<|>>|\[|\]|<[0-9A-Fa-f\s]*>)|(%[^\r\n]*)|(\S)", re.DOTALL)


def parse_content_stream(owner) -> list[Instruction]:
    """The instructions of a page's content (its streams joined) or of a form XObject; an inline image is one
    instruction "INLINE IMAGE" (its data not parsed). Strings are given as written (their escapes kept): the
    preflight reads operators, numbers and names."""
    if isinstance(owner, Page):
        contents = owner.obj.get("/Contents")
        parts = contents if isinstance(contents, list) else [contents] if contents is not None else []
        data = b"\n".join(part.read_bytes() for part in parts)
    else:
        data = owner.read_bytes()
    try:
        fast = _content_fast(data)
    except ValueError:  # a number that is none ("1.2.3", "-")
        fast = None
    return fast if fast is not None else _content_general(data)


def _content_fast(data: bytes) -> list[Instruction] | None:
    """The instructions, from one pass of a regular expression; None when the stream has what it leaves to the
    general parser (a string with nested parentheses, an inline image, a comment, a stray byte)."""
    out: list[Instruction] = []
    operands: list = []
    stack: list = []  # open arrays and dictionaries: (container, is_dict, the operands it was opened in)
    append = operands.append
    for number, word, name, string, delimiter, comment, other in _CONTENT_TOKEN.findall(data):
        if number:
            append(float(number) if b"." in number else int(number))
        elif word:
            if word == b"BI" or stack:
                return None
            if word in (b"true", b"false", b"null"):
                append(True if word == b"true" else False if word == b"false" else None)
                continue
            out.append(Instruction(operands, word.decode("latin-1")))
            operands = []
            append = operands.append
        elif name:
            if b"#" in name:
                name = _NAME_ESCAPE.sub(lambda e: bytes((int(e.group(1), 16),)), name)
            append(Name(name.decode("latin-1")))
        elif string:
            append(string[1:-1])
        elif delimiter:
            if delimiter == b"[" or delimiter == b"<<":
                stack.append((operands, delimiter == b"<<"))
                operands = []
                append = operands.append
            elif delimiter == b"]" or delimiter == b">>":
                if not stack:
                    return None
                inner = operands
                operands, is_dict = stack.pop()
                append = operands.append
                if is_dict != (delimiter == b">>") or is_dict and len(inner) % 2:
                    return None
                append(Dictionary(zip(inner[0::2], inner[1::2])) if is_dict else Array(inner))
            else:  # a hex string
                digits = re.sub(rb"\s", b"", delimiter[1:-1])
                append(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode()))
        else:
            return None
    return out if not stack else None


def _content_general(data: bytes) -> list[Instruction]:
    parser = _Parser(data, strings_as_bytes=True)
    out: list[Instruction] = []
    operands: list = []
    pos, n = 0, len(data)
    token, value = parser.token, parser.value
    while pos < n:
        kind, m, after = token(pos)
        if kind is None:
            if after >= n or not data[after:].strip():
                break
            raise PdfError(f"content stream: cannot read at {after}")
        if kind == "word":
            word = m.group(kind)
            if word in (b"true", b"false", b"null"):
                item, pos = value(kind, m, after)
                operands.append(item)
                continue
            if word == b"BI":
                end = data.find(b"EI", data.find(b"ID", after))
                while end >= 0 and not (end + 2 >= n or data[end + 2:end + 3].isspace()):
                    end = data.find(b"EI", end + 2)
                if end < 0:
                    raise PdfError("content stream: an inline image without EI")
                out.append(Instruction([], "INLINE IMAGE"))
                operands, pos = [], end + 2
                continue
            out.append(Instruction(operands, word.decode("latin-1")))
            operands, pos = [], after
            continue
        item, pos = value(kind, m, after)
        operands.append(item)
    return out


def image_pixels(image: Stream):
    """A Flate-compressed image XObject of 8 bits a component as a Pillow image (CMYK, RGB or L, as its colour
    space: a device space or an ICCBased one of N components); PdfError for anything else."""
    from PIL import Image

    space = image.get("/ColorSpace")
    if isinstance(space, list) and len(space) == 2 and space[0] == "/ICCBased":
        components = {1: "L", 3: "RGB", 4: "CMYK"}.get(space[1].get("/N"))
    else:
        components = {"/DeviceCMYK": "CMYK", "/DeviceRGB": "RGB", "/DeviceGray": "L"}.get(str(space))
    if components is None or image.get("/BitsPerComponent") != 8 or "/Decode" in image:
        raise PdfError("an image this reader does not decode")
    size = (int(image["/Width"]), int(image["/Height"]))
    return Image.frombytes(components, size, image.read_bytes())


# -- writing ---------------------------------------------------------------------------------------------------
_NAME_SAFE = re.compile(rb"[^!-~]|[#" + _DELIMITERS + rb"]")
_LITERAL_ESCAPE = re.compile(rb"[()\\\r]")


def _name_bytes(name: str) -> bytes:
    raw = name[1:].encode("utf-8")
    return b"/" + _NAME_SAFE.sub(lambda m: b"#%02X" % m.group(0)[0], raw)


def _string_bytes(value: String) -> bytes:
    raw = value.raw
    if raw is None:
        text = str(value)
        if text.isascii() and text.isprintable():  # (" " to "~" each, as one C call: the tree's 500 strings)
            raw = text.encode("ascii")
        else:
            return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"
    return b"(" + _LITERAL_ESCAPE.sub(lambda m: b"\\r" if m.group(0) == b"\r" else b"\\" + m.group(0), raw) + b")"


def _number(value: float) -> bytes:
    if value == int(value) and abs(value) < 1e15:
        return b"%d" % int(value)
    text = repr(value)
    if "e" in text:
        text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text.encode()


class _Writer:
    def __init__(self):
        self.numbers: dict[int, int] = {}  # id(obj) -> its number in the written file
        self.order: list = []
        self.names: dict[str, bytes] = {}  # a name's bytes, written once (the tree repeats a few dozen names)

    def number(self, obj) -> int:
        num = self.numbers.get(id(obj))
        if num is None:
            num = self.numbers[id(obj)] = len(self.order) + 1
            self.order.append(obj)
        return num

    def name(self, name: str) -> bytes:
        raw = self.names.get(name)
        if raw is None:
            raw = self.names[name] = _name_bytes(name)
        return raw

    def simple(self, value) -> bytes | None:
        """The bytes of a name, an integer or a reference (most of a structure tree's values) without dump's
        dispatch; None for anything else."""
        kind = type(value)
        if kind is Name:
            raw = self.names.get(value)
            return raw if raw is not None else self.name(value)
        if kind is int:
            return b"%d" % value
        if (kind is Dictionary or kind is Array or kind is Stream) and value.objgen != (0, 0):
            return b"%d 0 R" % (self.numbers.get(id(value)) or self.number(value))
        return None

    def dump(self, obj, out: list, top: bool = False) -> None:
        kind = type(obj)
        if kind is Name:
            out.append(self.name(obj))
        elif kind is int:
            out.append(b"%d" % obj)
        elif kind is Dictionary or kind is Stream or kind is Array or kind is dict or kind is list:
            if not top and getattr(obj, "objgen", (0, 0)) != (0, 0):
                out.append(b"%d 0 R" % self.number(obj))
            elif isinstance(obj, dict):
                out.append(b"<<")
                name, dump, simple = self.name, self.dump, self.simple
                for key, value in obj.items():
                    text = simple(value)
                    if text is not None:
                        out.append(name(key) + b" " + text + b" ")
                    else:
                        out.append(name(key) + b" ")
                        dump(value, out)
                        out.append(b" ")
                out.append(b">>")
            elif len(obj) > 8 and set(map(type, obj)) == _INTEGERS:  # (a font's /Widths: written in one join)
                out.append(b"[" + " ".join(map(str, obj)).encode() + b"]")
            else:
                out.append(b"[")
                simple = self.simple
                for i, value in enumerate(obj):
                    if i:
                        out.append(b" ")
                    text = simple(value)
                    if text is not None:
                        out.append(text)
                    else:
                        self.dump(value, out)
                out.append(b"]")
        elif obj is None:
            out.append(b"null")
        elif obj is True:
            out.append(b"true")
        elif obj is False:
            out.append(b"false")
        elif isinstance(obj, String):
            out.append(_string_bytes(obj))
        elif isinstance(obj, bytes):
            out.append(b"<" + obj.hex().encode() + b">")
        elif isinstance(obj, int):
            out.append(b"%d" % obj)
        elif isinstance(obj, float):
            out.append(_number(obj))
        elif isinstance(obj, (dict, list)):  # a subclass of either
            self.dump(Dictionary(obj) if isinstance(obj, dict) else Array(obj), out, top)
        elif isinstance(obj, str):  # a plain str given as a value: a name if it has its slash, else text
            out.append(self.name(obj) if obj.startswith("/") else _string_bytes(String(obj)))
        else:
            raise TypeError(f"not a PDF value: {obj!r}")


_INTEGERS = {int}  # (the types of an array of integers alone: bool is not int's type)

OBJECTS_PER_STREAM = 100  # as qpdf packs them


def write(pdf: Pdf, file_id: bytes | None = None, level: int = 6) -> bytes:
    """The file: header, every stream object reached from the trailer, the other objects in compressed object
    streams, a cross-reference stream. `file_id`, the /ID's first half; its second is a digest of the objects
    as written (so two builds of one document give the same bytes, and a change gives a new /ID). /Metadata
    streams are left uncompressed (as qpdf leaves them: readable by tools that scan for the XMP packet)."""
    import hashlib

    writer = _Writer()
    trailer = pdf.trailer
    root_num = writer.number(trailer["/Root"])
    info = trailer.get("/Info")
    info_num = writer.number(info) if info is not None else None
    body = [b"%PDF-" + pdf.pdf_version.encode() + b"\n%\xbf\xf7\xa2\xfe\n"]
    size = len(body[0])
    where: dict[int, tuple] = {}  # number -> (1, offset) or (2, container, index)
    packed: list[tuple[int, bytes]] = []
    digest = hashlib.sha256()
    i = 0
    while i < len(writer.order):  # dumping an object numbers the objects it names: the list grows
        obj = writer.order[i]
        i += 1
        num = i
        out: list[bytes] = []
        if isinstance(obj, Stream):
            data = obj.raw
            keys = Dictionary(obj)
            keys["/Length"] = len(data)
            writer.dump(keys, out, top=True)
            chunk = b"%d 0 obj\n" % num + b"".join(out) + b"\nstream\n" + data + b"\nendstream\nendobj\n"
            where[num] = (1, size)
            body.append(chunk)
            size += len(chunk)
            digest.update(chunk)
        else:
            writer.dump(obj, out, top=True)
            text = b"".join(out)
            packed.append((num, text))
            digest.update(b"%d\0" % num + text)
    # the object streams, after the objects they hold were numbered
    count = len(writer.order)
    for start in range(0, len(packed), OBJECTS_PER_STREAM):
        group = packed[start:start + OBJECTS_PER_STREAM]
        count += 1
        container = count
        header, offset, parts = [], 0, []
        for index, (num, text) in enumerate(group):
            header.append(b"%d %d" % (num, offset))
            parts.append(text)
            offset += len(text) + 1
            where[num] = (2, container, index)
        head = b" ".join(header) + b"\n"
        data = zlib.compress(head + b"\n".join(parts) + b"\n", level)
        chunk = (b"%d 0 obj\n<</Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d>>\nstream\n"
                 % (container, len(group), len(head), len(data)) + data + b"\nendstream\nendobj\n")
        where[container] = (1, size)
        body.append(chunk)
        size += len(chunk)
    count += 1
    xref_num = count
    where[xref_num] = (1, size)
    rows = [b"\x00\x00\x00\x00\x00\xff\xff"]
    for num in range(1, count + 1):
        entry = where[num]
        if entry[0] == 1:
            rows.append(b"\x01" + entry[1].to_bytes(4, "big") + b"\x00\x00")
        else:
            rows.append(b"\x02" + entry[1].to_bytes(4, "big") + entry[2].to_bytes(2, "big"))
    table = zlib.compress(b"".join(rows), level)
    instance = digest.digest()[:16]
    first = (file_id or instance)[:16]
    pdf.trailer["/ID"] = Array([Binary(first), Binary(instance)])  # the objects now say what the file says
    ident = b"<" + first.hex().encode() + b"><" + instance.hex().encode() + b">"
    head = (b"%d 0 obj\n<</Type /XRef /Size %d /W [1 4 2] /Root %d 0 R " % (xref_num, count + 1, root_num)
            + (b"/Info %d 0 R " % info_num if info_num is not None else b"")
            + b"/ID [" + ident + b"] /Filter /FlateDecode /Length %d>>\nstream\n" % len(table))
    body.append(head + table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % size)
    return b"".join(body)
