"""Set paragraphs kept on disk between runs: a build sets only what changed since the last one.

The text setter is a pure function of its inputs (spans with their styles,
measure, alignment, the fonts' metrics), so its results can be reused. The
store's file name is a digest of everything else a line could depend on: the
package's own source, the font manifest (which pins every face by sha256),
the dependency pins in pyproject.toml, the Python version, the edition folder
and the breaking mode. Anything changed means another file, never a stale
line. A store that cannot be read is ignored and written afresh; one that
cannot be written is skipped: the store only ever saves time.

The store is JSON, not pickle: whoever can write .cache must not be able to run
code at the next build. Keys are digests of the setter's inputs (their repr,
which names every field); lines are rebuilt only as `Line`s of `GlyphRun`s with
their colours from a table, and a file that does not decode to exactly those is
ignored.
"""
from __future__ import annotations

import functools
import glob
import hashlib
import json
import os
import re
import stat
import sys
import time
from dataclasses import fields, is_dataclass

from .atomic import replace_file
from .diagnostics import SourceRef
from .layout_spec import Colour
from .text import GlyphRun, Line

FORMAT = "highlight-lines/1"

PACKAGE = os.path.dirname(os.path.abspath(__file__))
IMPORTED_AT = time.time()  # when this process imported the package's code (this module is among its first)
KEEP = 32  # stores kept, newest first
MAX_BYTES = 64 * 2**20  # the leaflet's store is 170 KB; a 200-page edition's a few MB


@functools.cache
def _package_digest() -> bytes:
    """The package's source as this process imported it (read once: it does not change under a running build), and
    its language data (zh_words.yaml: the breaker's classifiers, connectives and coverbs set lines too), in every
    subpackage too: the page and parse caches are keyed by it, and the layout lives in highlight/layout/.

    Reading and digesting the 1 MB of it was 3 ms of every process: like Python's own bytecode cache, the digest is
    kept in __pycache__/package-digest.<tag> beside a digest of every file's path, size, mtime, ctime and inode
    (the stamp), and read from there while the stamp is the same; a file written since (its size, mtime or ctime
    changed), one added or gone makes another stamp, and the source is read again. A missing or damaged memo is
    only a miss."""
    paths = []
    for folder, folders, names in os.walk(PACKAGE):  # (what glob's **/*.py and **/*.yaml find, in a third the time)
        folders[:] = [name for name in folders if name != "__pycache__" and not name.startswith(".")]
        paths += [os.path.join(folder, name) for name in names
                  if name.endswith((".py", ".yaml")) and not name.startswith(".")]
    paths.sort()
    stamp = hashlib.sha256(b"highlight-package-digest/1\0" + sys.version.encode())
    for path in paths:
        info = os.stat(path)
        # A source file changed after this process imported the code (an edit under a running `serve` or test
        # session): the files no longer say what runs, and entries kept under their digest would carry the old
        # code's output to every later process (found: a full test run that lived through an edit of text.py
        # left page 4's old dash width in .cache for the next run). Such a process gets a key of its own, which no
        # other process shares.
        if info.st_mtime > IMPORTED_AT:
            return hashlib.sha256(b"highlight-changed-under-this-process\0" + os.urandom(32)).digest()
        stamp.update(f"{os.path.relpath(path, PACKAGE)}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\0"
                     f"{info.st_ino}\n".encode("utf-8", "surrogateescape"))
    memo = os.path.join(PACKAGE, "__pycache__", f"package-digest.{sys.implementation.cache_tag}")
    try:
        with open(memo, "rb") as f:
            kept = f.read(65)
        if len(kept) == 64 and kept[:32] == stamp.digest():
            return kept[32:]
    except OSError:  # (none yet)
        pass
    digest = hashlib.sha256(sys.version.encode())
    for path in paths:
        with open(path, "rb") as f:
            digest.update(os.path.relpath(path, PACKAGE).encode() + b"\0" + f.read())
    if not sys.dont_write_bytecode:  # (Python's own switch for what it keeps in __pycache__)
        try:
            replace_file(memo, stamp.digest() + digest.digest())
        except OSError:  # a read-only package: only start-up time lost
            pass
    return digest.digest()


# The modules a PDF is made and checked by after the layout: the caches of made PDFs and of checked pages
# (.cache/output, .cache/preflight) are keyed by the package's source, which a function replaced at run time
# (a test's monkeypatch, a plugin) is not.
OUTPUT_MODULES = ("highlight.render", "highlight.structure", "highlight.tags", "highlight.images",
                  "highlight.preflight", "highlight.backends.pdf", "highlight.colour", "highlight.pdfobjects")


def code_replaced(modules: tuple[str, ...] = OUTPUT_MODULES) -> bool:
    """Whether a function one of `modules` (those imported) defines at its top level is not the one its source
    defines (replaced at run time: its code comes from another file). Then the package's digest does not name
    what runs, and nothing made by it may be kept or taken from a cache."""
    for name in modules:
        module = sys.modules.get(name)
        if module is None:
            continue
        namespace = vars(module)
        own = module.__file__ or ""
        for defined in _defined_functions(name):
            code = getattr(namespace.get(defined), "__code__", None)
            # (the same string as its module's file for every function its source defines: made absolute only
            # when not, as a build asks this seven times)
            if code is not None and code.co_filename != own \
                    and os.path.abspath(code.co_filename) != os.path.abspath(own):
                return True
    return False


@functools.cache
def _defined_functions(name: str) -> tuple[str, ...]:
    """The names a module's source defines at its top level (from its compiled code, read once)."""
    module = sys.modules[name]
    try:
        code = module.__loader__.get_code(name)  # type: ignore[union-attr]
    except Exception:  # no loader that can say: every top-level name is checked
        return tuple(vars(module))
    return tuple(c.co_name for c in code.co_consts if hasattr(c, "co_name")) if code is not None else ()


def store_path(project: str, edition_dir: str, greedy: bool) -> str:
    """.cache/lines/<edition and mode>-<engine, fonts and pins>.json"""
    engine = hashlib.sha256(_package_digest())
    for path in (os.path.join(project, "fonts", "fonts.yaml"), os.path.join(project, "pyproject.toml")):
        try:
            with open(path, "rb") as f:
                engine.update(f.read())
        except OSError:
            engine.update(b"(missing)")
    edition = hashlib.sha256(f"{os.path.abspath(edition_dir)}\0{greedy}".encode()).hexdigest()[:16]
    return os.path.join(project, ".cache", "lines", f"{edition}-{engine.hexdigest()[:32]}.json")


_REPRS: dict = {}  # id -> (object, repr) of the styles in keys: many spans share one, and its repr is long


def _repr(value) -> str:
    if type(value) is not str and is_dataclass(value):
        known = _REPRS.get(id(value))
        if known is None or known[0] is not value:
            known = _REPRS[id(value)] = (value, repr(value))
        return known[1]
    return repr(value)


_LAST: list = [None, ""]  # the last key asked for (held, so its id is not reused) and its digest


def key_digest(key) -> str:
    """The store's name for a setter input (spans, measure, alignment, balance): a digest of the reprs of
    its parts, which name every field of every span and style. The setter asks twice in a row for the very same
    key object (a tuple of frozen values) when it sets a line: looked up, then stored; the second is not
    computed again. (Only the last: keeping every key's would cost a 200-page build 13 MB.)"""
    if key is _LAST[0]:
        return _LAST[1]
    digest = _key_digest(key)
    _LAST[0], _LAST[1] = key, digest
    return digest


_FIELD_NAMES: dict = {}  # span class -> its fields' names (dataclasses.fields() per span was a third of a digest)


def _key_digest(key) -> str:
    spans, *rest = key
    parts = [repr(rest)]
    for span in spans:
        cls = type(span)
        names = _FIELD_NAMES.get(cls)
        if names is None:
            names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(span))
        parts.append(cls.__name__)
        parts += [_repr(getattr(span, name)) for name in names]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


class StoredMemo(dict):
    """The setter's memo seeded from a store: looked up by the digest of the setter's key. An entry read from the
    store stays as it was stored (a JSON list) until it is looked up: decoded then (a damaged one is a miss and
    goes), and written back as it was when never looked up (a build after an edit sets one page's lines)."""

    def __init__(self, *args):
        super().__init__(*args)
        self.colours: list = []  # the store's colours, which its entries as stored name by index
        # id -> (key, its digest) of each key this build looked up (`digest_of`), so that the save does not make
        # them again (5,962 in the 200-page edition); by id, as hashing a key (its spans) again cost half of that;
        # the key is held, so its id is not reused. The build empties it when it starts (build._restore_lines).
        self.digests: dict = {}

    def digest_of(self, key) -> str:
        """The digest `key` was looked up by in this build, else made now."""
        known = self.digests.get(id(key))
        return known[1] if known is not None and known[0] is key else key_digest(key)

    def _decoded(self, digest: str, value, default):
        if type(value) is not list and type(value) is not bytes:
            return value
        try:  # (as stored: its JSON text, or a list read from a store of another writer; decoding rewrites lists)
            lines = _decode_lines(json.loads(value if type(value) is bytes else json.dumps(value)), self.colours)
        except Exception:  # a damaged entry: a miss, never used
            dict.pop(self, digest, None)
            return default
        dict.__setitem__(self, digest, lines)
        return lines

    def get(self, key, default=None):
        digest = key_digest(key)
        self.digests[id(key)] = (key, digest)
        return self._decoded(digest, dict.get(self, digest, default), default)

    def __contains__(self, key):
        return dict.__contains__(self, key_digest(key))

    def __getitem__(self, key):
        digest = key_digest(key)
        value = self._decoded(digest, dict.__getitem__(self, digest), None)
        if value is None:
            raise KeyError(key)
        return value

    def __setitem__(self, key, value):
        dict.__setitem__(self, key_digest(key), value)


class LazyStore(StoredMemo):
    """A stored memo read from its file when a line is first looked up: a build whose pages all come from the
    page cache (build.py) sets no line and reads no store."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self.loaded = False

    def _load(self) -> None:
        if not self.loaded:
            self.loaded = True
            stored = _read(self.path)
            if stored is not None:
                self.colours, lines = stored
                dict.update(self, lines)

    def get(self, key, default=None):
        self._load()
        return super().get(key, default)

    def __contains__(self, key):
        self._load()
        return super().__contains__(key)

    def __getitem__(self, key):
        self._load()
        return super().__getitem__(key)

    def __setitem__(self, key, value):
        self._load()
        super().__setitem__(key, value)


def _kinds(cls) -> list[str]:
    """How each field of a stored class is written: 'runs', 'colour', 'tuple' or a plain JSON value."""
    kinds = []
    for f in fields(cls):
        kind = str(f.type)
        kinds.append("runs" if kind.startswith("tuple[GlyphRun") else "colour" if kind == "Colour"
                     else "tuple" if kind.startswith("tuple") else "plain")
    return kinds


_LINE, _RUN = _kinds(Line), _kinds(GlyphRun)
_PLAIN = (str, int, float, bool, type(None))


_PLAIN_TYPES = frozenset(_PLAIN)


@functools.cache
def _line_fields() -> tuple:
    """(kind, field name) of Line's fields, once (dataclasses.fields() per line)."""
    return tuple((kind, f.name) for kind, f in zip(_LINE, fields(Line)))


@functools.cache
def _line_codec() -> tuple:
    """Every field of a Line at once (operator.attrgetter), where its runs and tuples are, and its plain fields'
    values at once (operator.itemgetter)."""
    import operator

    kinds = _line_fields()
    plain = [i for i, (k, _) in enumerate(kinds) if k == "plain"]
    return (operator.attrgetter(*(name for _, name in kinds)), [i for i, (k, _) in enumerate(kinds) if k == "runs"],
            [i for i, (k, _) in enumerate(kinds) if k == "tuple"], operator.itemgetter(*plain),
            len(plain) + sum(k in ("runs", "tuple") for k, _ in kinds) == len(kinds))


def _encode_line(line: Line, colours: dict) -> list:
    getter, runs_at, tuples_at, plain, known = _line_codec()
    out = list(getter(line))
    if known and _PLAIN_TYPES.issuperset(map(type, plain(out))):  # (every plain field of an exactly plain type)
        for index in runs_at:
            out[index] = [_encode_run(run, colours) for run in out[index]]
        for index in tuples_at:
            out[index] = list(out[index])
        return out
    out = []
    for kind, name in _line_fields():
        value = getattr(line, name)
        if kind == "runs":
            value = [_encode_run(run, colours) for run in value]
        elif kind == "tuple":
            value = list(value)
        elif kind != "plain" or not isinstance(value, _PLAIN):
            raise TypeError(f"the line store cannot hold Line.{name}")
        out.append(value)
    return out


@functools.cache
def _run_fields() -> tuple:
    """(kind, field name) of GlyphRun's fields, once: dataclasses.fields() per run cost a tenth of a
    200-page save."""
    return tuple((kind, f.name) for kind, f in zip(_RUN, fields(GlyphRun)))


@functools.cache
def _run_codec() -> tuple:
    """Every field of a GlyphRun at once (operator.attrgetter: C speed), and where its colours are."""
    import operator

    kinds = _run_fields()
    for kind, name in kinds:
        if kind not in ("colour", "plain"):
            raise TypeError(f"the line store cannot hold GlyphRun.{name}")
    return operator.attrgetter(*(name for _, name in kinds)), tuple(i for i, (k, _) in enumerate(kinds) if k == "colour")


def _encode_run(run: GlyphRun, colours: dict) -> list:
    getter, colour_at = _run_codec()
    out = list(getter(run))
    for index in colour_at:
        value = out[index]
        if not isinstance(value.ref, SourceRef):
            raise TypeError("a colour without its place")
        out[index] = colours.setdefault(value, len(colours))
    if _PLAIN_TYPES.issuperset(map(type, out)):  # (every value of an exactly plain type: asked in one C call)
        return out
    for index, value in enumerate(out):
        if not isinstance(value, _PLAIN):
            raise TypeError(f"the line store cannot hold GlyphRun.{_run_fields()[index][1]}")
    return out


def _colour_data(colour: Colour) -> list:
    ref = colour.ref
    return [[ref.file, ref.line, ref.column, ref.yaml_path], list(colour.cmyk), colour.rgb]


def _decode_lines(stored, colours: list) -> tuple:
    lines = []
    for values in stored:
        if type(values) is not list or len(values) != len(_LINE):
            raise ValueError("not a stored line")
        for index, kind in enumerate(_LINE):
            if kind == "runs":
                runs = []
                for run in values[index]:
                    if type(run) is not list or len(run) != len(_RUN):
                        raise ValueError("not a stored run")
                    runs.append(GlyphRun(*[colours[v] if k == "colour" else _plain(v)
                                           for k, v in zip(_RUN, run)]))
                values[index] = tuple(runs)
            elif kind == "tuple":
                values[index] = tuple(_plain(v) for v in values[index])
            else:
                _plain(values[index])
        lines.append(Line(*values))
    return tuple(lines)


# json.dumps(value, ensure_ascii=False, separators=(",", ":")) without making an encoder for each of a save's
# thousands of entries, nor checking them for cycles (lists of plain values: none): the same text, 10 % sooner
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


def compact_json(value) -> bytes:
    """A cache entry as compact UTF-8 JSON (the line store's entries, the drawn pages' in render)."""
    return _ENCODE(value).encode("utf-8")


def _key_text(digest) -> bytes:
    """An entry's name as JSON, as compact_json writes it: a hex digest needs no escape (a third of a save's time was
    json.dumps of 700 names)."""
    if type(digest) is str and digest.isascii() and digest.isalnum():
        return b'"' + digest.encode("ascii") + b'"'
    return compact_json(digest)


def _plain(value):
    if not isinstance(value, _PLAIN):
        raise TypeError("not a plain value")
    return value


# How save() writes a store (json.dumps with these separators): the format and the colours, then each entry as
# "digest":[lines], in one object. _entries() reads such a file without decoding its entries.
_HEAD = b'{"format":' + json.dumps(FORMAT).encode() + b',"colours":'
_LINES = b',"lines":{'
_ENTRY = re.compile(rb'"([0-9a-f]{32})":')


def _entries(data: bytes) -> tuple[list, dict] | None:
    """The colours and the entries (digest -> the entry's JSON text) of a store as save() writes it, read
    without decoding any entry (a build after an edit looks up a paragraph or two of 700: decoding the whole
    file was 5-7 ms of it), or None when the file is not laid out so (read by _read's json.loads instead).
    An entry is decoded, and checked, when it is looked up (StoredMemo._decoded: a damaged one is a miss). A
    quote inside a stored text is written escaped, and no entry holds an object, so '"<32 hex digits>":' after
    the head is only ever an entry's key."""
    if not (data.startswith(_HEAD) and data.endswith(b"}}")):
        return None
    start = data.find(_LINES, len(_HEAD))
    if start < 0:
        return None
    colours = json.loads(data[len(_HEAD):start])
    body = data[start + len(_LINES):-2]
    keys = list(_ENTRY.finditer(body))
    if (not keys and body) or (keys and keys[0].start() != 0):
        return None
    lines: dict = {}
    for key, after in zip(keys, keys[1:] + [None]):
        end = after.start() - 1 if after is not None else len(body)  # (the comma between entries)
        if after is not None and body[end:end + 1] != b",":
            return None
        lines[key.group(1).decode()] = body[key.end():end]
    return colours, lines


def _read(path: str) -> tuple[list, dict] | None:
    """The store's colours and its entries as stored (digest -> JSON text, or JSON list for a file save() did not
    lay out), or None when there is none or it cannot be read (damaged, foreign, old)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:  # a FIFO would block, /dev/zero never end
            return None
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES)
        fast = _entries(data)
        if fast is not None:
            colours = [Colour(SourceRef(*[_plain(v) for v in ref]), tuple(_plain(c) for c in cmyk), _plain(rgb))
                       for ref, cmyk, rgb in fast[0]]
            return (colours, fast[1]) if len(set(colours)) == len(colours) else None
        document = json.loads(data)
        if type(document) is not dict or document.get("format") != FORMAT or type(document.get("lines")) is not dict:
            return None
        colours = [Colour(SourceRef(*[_plain(v) for v in ref]), tuple(_plain(c) for c in cmyk), _plain(rgb))
                   for ref, cmyk, rgb in document["colours"]]
        if len(set(colours)) != len(colours):
            return None  # (written from a dict: each colour once)
        lines = {digest: stored for digest, stored in document["lines"].items()
                 if type(digest) is str and type(stored) is list}
    except Exception:
        return None
    return colours, lines


def load(path: str) -> dict:
    """The stored memo, every entry decoded, or an empty one when there is none or it cannot be read (damaged,
    foreign, old)."""
    stored = _read(path)
    if stored is None:
        return {}
    try:
        memo = StoredMemo()
        memo.colours, lines = stored
        for digest, value in lines.items():
            dict.__setitem__(memo, digest, _decode_lines(json.loads(value) if type(value) is bytes else value,
                                                         memo.colours))
    except Exception:
        return {}
    return memo


def save(path: str, memo: dict) -> None:
    """Write the memo; remove this edition's stores of earlier engines or fonts, and all but the newest KEEP."""
    try:
        lines: dict = {}
        colours: dict = {}
        stored = isinstance(memo, StoredMemo)
        for colour in (memo.colours if isinstance(memo, StoredMemo) else ()):  # (stored entries' indexes)
            colours.setdefault(colour, len(colours))
        for key, value in memo.items():
            digest = key if stored else key_digest(key)
            if type(value) is bytes:  # never looked up: written back as it was stored, its JSON text
                lines[digest] = value
            elif type(value) is list:  # (the same, read from a file save() did not lay out)
                lines[digest] = compact_json(value)
            else:
                lines[digest] = compact_json([_encode_line(line, colours) for line in value])
        # what json.dumps(document) would write, without encoding again the entries kept as their text
        replace_file(path, b"".join([_HEAD, compact_json([_colour_data(c) for c in colours]), _LINES,
                                     b",".join(_key_text(d) + b":" + text for d, text in lines.items()),
                                     b"}}"]))
        edition = os.path.basename(path).split("-")[0]
        stores = glob.glob(os.path.join(os.path.dirname(path), "*.json"))
        for old in stores:
            if old != path and os.path.basename(old).startswith(edition + "-"):
                os.unlink(old)
        for old in glob.glob(os.path.join(os.path.dirname(path), "*.pickle")):
            os.unlink(old)  # the stores of earlier versions: never read again
        # Editions built once (test copies, generated benchmarks) must not pile up: keep the newest few.
        stores = sorted((p for p in stores if os.path.exists(p)), key=os.path.getmtime, reverse=True)
        for old in stores[KEEP:]:
            os.unlink(old)
    except (OSError, TypeError, ValueError):
        pass  # a read-only or full disk costs the next build its head start, nothing else
