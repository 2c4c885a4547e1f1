"""A small declarative schema for YAML node trees.

Each spec reads a node into a Python value (building frozen dataclasses for
structs), reporting every problem as a located Diagnostic instead of stopping
at the first. The same specs describe themselves as JSON Schema, so editors
and the loader never disagree.
"""
from __future__ import annotations

import functools
import io
import math
import os
import pickle
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from .diagnostics import BuildFailed, Diagnostics, SourceRef
from .yamlsource import node_ref

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 2.4 ms of every process, issue 28)
if TYPE_CHECKING:
    from typing import Any

    import yaml
else:
    from .yamlsource import yaml  # imported on first use

INVALID = object()  # a value that failed validation; its diagnostic is already recorded

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


@dataclass
class Reader:
    """What every spec needs while reading one file."""

    doc_path: str
    diags: Diagnostics

    def ref(self, node: yaml.Node, path: str) -> SourceRef:
        return node_ref(self.doc_path, node, path)

    def error(self, node: yaml.Node, path: str, code: str, message: str, hint: str = "") -> object:
        self.diags.error(code, message, self.ref(node, path), hint)
        return INVALID


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == "tag:yaml.org,2002:null":
        return "nothing (null)"
    return f"the scalar {node.value!r}"


class Spec:
    description = ""

    def read(self, node: yaml.Node, path: str, r: Reader) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError


MAX_TEXT = 4000  # characters in one text: the leaflet's longest is 442; a page holds about 3,000
# In a text: control characters (a "\0" or "\e" escape), lone surrogates, the line and paragraph separators
# (which break lines in some readers and not in others) and noncharacters.
@functools.cache
def _not_text() -> re.Pattern:  # compiled when a file is first parsed, not by a build that reads none
    return re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


@dataclass
class Str(Spec):
    description: str = ""
    choices: tuple[str, ...] = ()
    max_length: int = MAX_TEXT

    def read(self, node, path, r):
        # Numbers written without quotes keep their literal text ("800" stays "800").
        if not isinstance(node, yaml.ScalarNode) or node.tag not in (_STR, _INT, _FLOAT):
            return r.error(node, path, "wrong-type", f"expected text here, found {_kind(node)}",
                           'put the text in double quotes: "..."')
        value = node.value
        if len(value) > self.max_length:
            return r.error(node, path, "text-too-long", f"this text has {len(value):,} characters, more than "
                           f"the {self.max_length:,} one text may hold", "split it into several paragraphs or "
                           "list items, or shorten it (a leaflet's longest text is a few hundred characters)")
        bad = _not_text().search(value)
        if bad:
            char = bad.group()
            return r.error(node, path, "bad-character", f"the text holds U+{ord(char):04X} "
                           f"{unicodedata.name(char, '(a control character)')} at character {bad.start() + 1}, "
                           "which cannot be printed", "remove it (an escape such as \\0 or \\e in a quoted "
                           "string makes one); write a space or start a new paragraph instead of a line break")
        if self.choices and value not in self.choices:
            close = _close_matches(value, self.choices, 1)
            hint = f"did you mean '{close[0]}'?" if close else "use one of: " + ", ".join(self.choices)
            return r.error(node, path, "bad-value", f"'{value}' is not one of {', '.join(self.choices)}", hint)
        if not value.strip():
            return r.error(node, path, "empty-text", "this text is empty", "write the text or remove the key")
        return value

    def json_schema(self):
        # The loader takes an unquoted number as its literal text (`figure: 800`), so the schema does too.
        schema: dict = {"type": ["string", "number"], "minLength": 1}
        if self.choices:
            schema = {"enum": list(self.choices)}
        if self.description:
            schema["description"] = self.description
        return schema


@functools.cache
def _construct():
    return yaml.constructor.SafeConstructor()


@dataclass
class Number(Spec):
    """A finite number; with `integer`, a whole one (YAML's own int syntax, no thousands separators)."""

    description: str = ""
    minimum: float | None = None
    integer: bool = False
    maximum: float | None = None

    def _range_hint(self) -> str:
        low = self.minimum if self.minimum is not None else -self._bound()
        high = self.maximum if self.maximum is not None else self._bound()
        return f"use a number from {low:g} to {high:g}" + (f" ({self.description})" if self.description else "")

    def _bound(self) -> float:
        return MAX_INT if self.integer else MAX_NUMBER

    def read(self, node, path, r):
        tags = (_INT,) if self.integer else (_INT, _FLOAT)
        if isinstance(node, yaml.ScalarNode) and node.tag in tags and len(node.value) > MAX_DIGITS:
            return r.error(node, path, "number-too-long", f"a number of {len(node.value):,} characters",
                           f"write at most {MAX_DIGITS} digits; " + self._range_hint())
        if not isinstance(node, yaml.ScalarNode) or node.tag not in tags:
            if self.integer:
                return r.error(node, path, "wrong-type", f"expected a whole number, found {_kind(node)}",
                               "write digits only, without thousands separators: 7305")
            return r.error(node, path, "wrong-type", f"expected a number, found {_kind(node)}",
                           "write a plain number such as 40.2 (no % sign)")
        value = _construct().construct_yaml_int(node) if node.tag == _INT else _construct().construct_yaml_float(node)
        if not self.integer:
            value = float(value)
        if isinstance(value, float) and not math.isfinite(value):  # .nan, .inf (a whole number is always finite)
            return r.error(node, path, "bad-value", "expected a finite number", self._range_hint())
        if self.minimum is not None and value < self.minimum:
            return r.error(node, path, "bad-value", f"{value:g} is less than {self.minimum:g}", self._range_hint())
        if self.maximum is not None and value > self.maximum:
            return r.error(node, path, "bad-value", f"{value:g} is more than {self.maximum:g}", self._range_hint())
        if abs(value) > self._bound():
            return r.error(node, path, "bad-value", f"{value:g} is out of range", self._range_hint())
        return value

    def json_schema(self):
        schema: dict = {"type": "integer" if self.integer else "number"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        if self.description:
            schema["description"] = self.description
        return schema


MAX_DIGITS = 24  # characters of a written number (-1,000,000,000.000001 and 1.5e+300 fit; 400 digits do not)
MAX_INT = 10**12  # whole numbers: counts and totals of a university, years, levels
MAX_NUMBER = 1e6  # other numbers without a range of their own


def Int(description: str = "", minimum: int | None = None, maximum: int | None = None) -> Number:
    return Number(description, minimum, integer=True, maximum=maximum)


@dataclass
class Bool(Spec):
    description: str = ""

    def read(self, node, path, r):
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:bool":
            return r.error(node, path, "wrong-type", f"expected true or false, found {_kind(node)}",
                           "write true or false")
        return node.value.lower() in ("true", "yes", "on")

    def json_schema(self):
        return {"type": "boolean", **({"description": self.description} if self.description else {})}


@dataclass
class Seq(Spec):
    item: Spec
    min_items: int = 0
    description: str = ""
    max_items: int | None = None

    def read(self, node, path, r):
        if not isinstance(node, yaml.SequenceNode):
            return r.error(node, path, "wrong-type", f"expected a list, found {_kind(node)}",
                           "write each item on its own line starting with '- '")
        if len(node.value) < self.min_items:
            return r.error(node, path, "too-few", f"expected at least {self.min_items} item(s), found {len(node.value)}",
                           "add the missing items")
        if self.max_items is not None and len(node.value) > self.max_items:
            return r.error(node, path, "too-many", f"{len(node.value):,} items, more than the {self.max_items:,} "
                           "allowed here", "split the list, or check that it was not pasted twice")
        values = [self.item.read(child, f"{path}[{i}]", r) for i, child in enumerate(node.value)]
        return INVALID if any(v is INVALID for v in values) else tuple(values)

    def json_schema(self):
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.description:
            schema["description"] = self.description
        return schema


@dataclass
class Field:
    spec: Spec
    required: bool = False
    default: Any = None


@dataclass
class Struct(Spec):
    """A mapping with known keys, built into `build(ref=SourceRef, **fields)`."""

    build: Callable[..., Any]
    fields: dict[str, Field]
    description: str = ""
    check: Callable[[dict, yaml.Node, str, Reader], bool] | None = None  # extra rule across fields

    def read(self, node, path, r):
        if not isinstance(node, yaml.MappingNode):
            return r.error(node, path, "wrong-type", f"expected a mapping with keys {', '.join(self.fields)}, "
                           f"found {_kind(node)}", "write key: value pairs indented under this key")
        values: dict[str, Any] = {}
        refs: dict[str, SourceRef] = {}
        ok = True
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_path = f"{path}.{key}" if path else key
            refs[key] = r.ref(value_node, key_path)
            if isinstance(value_node, yaml.SequenceNode):
                for i, item in enumerate(value_node.value):
                    refs[f"{key}[{i}]"] = r.ref(item, f"{key_path}[{i}]")
            spec_field = self.fields.get(key)
            if spec_field is None:
                close = _close_matches(key, self.fields, 1)
                hint = f"did you mean '{close[0]}'?" if close else "allowed keys: " + ", ".join(self.fields)
                r.error(key_node, key_path, "unknown-key", f"unknown key '{key}'", hint)
                ok = False
                continue
            value = spec_field.spec.read(value_node, key_path, r)
            ok = ok and value is not INVALID
            values[key] = value
        for key, spec_field in self.fields.items():
            if key not in values:
                if spec_field.required:
                    r.error(node, path or "<root>", "missing-key", f"the required key '{key}' is missing",
                            f"add '{key}:' to this mapping")
                    ok = False
                else:
                    values[key] = spec_field.default
        if not ok:
            return INVALID
        if self.check and not self.check(values, node, path, r):
            return INVALID
        fields = {k.replace("-", "_"): v for k, v in values.items()}
        if "refs" in getattr(self.build, "__dataclass_fields__", {}):
            fields["refs"] = refs  # where each key's value stands, for messages about one field
        return self.build(ref=r.ref(node, path or "<root>"), **fields)

    def json_schema(self):
        schema = {
            "type": "object",
            "additionalProperties": False,
            "properties": {k: f.spec.json_schema() for k, f in self.fields.items()},
        }
        required = [k for k, f in self.fields.items() if f.required]
        if required:
            schema["required"] = required
        if self.description:
            schema["description"] = self.description
        return schema


@dataclass
class Tagged(Spec):
    """A one-key mapping whose key names the kind: `- stat: {...}`."""

    kinds: dict[str, Spec]
    description: str = ""

    def read(self, node, path, r):
        if not isinstance(node, yaml.MappingNode) or len(node.value) != 1:
            return r.error(node, path, "wrong-type", "expected one element: a mapping with a single key naming "
                           f"its kind, found {_kind(node)}" + (f" with {len(node.value)} keys"
                                                                 if isinstance(node, yaml.MappingNode) else ""),
                           "kinds: " + ", ".join(self.kinds) + "; check the indentation of the element's fields")
        key_node, value_node = node.value[0]
        kind = str(key_node.value)
        spec = self.kinds.get(kind)
        if spec is None:
            close = _close_matches(kind, self.kinds, 1)
            hint = f"did you mean '{close[0]}'?" if close else "kinds: " + ", ".join(self.kinds)
            return r.error(key_node, f"{path}.{kind}", "unknown-kind", f"unknown element kind '{kind}'", hint)
        return spec.read(value_node, f"{path}.{kind}", r)

    def json_schema(self):
        return {"oneOf": [{"type": "object", "additionalProperties": False, "required": [k],
                           "properties": {k: s.json_schema()}} for k, s in self.kinds.items()],
                "description": self.description}


@dataclass
class Named(Spec):
    """A mapping of free names to values of one spec (frames, styles, colours)."""

    value: Spec
    description: str = ""

    def read(self, node, path, r):
        if not isinstance(node, yaml.MappingNode):
            return r.error(node, path, "wrong-type", f"expected a mapping of names, found {_kind(node)}",
                           "write name: value pairs indented under this key")
        out: dict[str, Any] = {}
        ok = True
        for key_node, value_node in node.value:
            key = str(key_node.value)
            value = self.value.read(value_node, f"{path}.{key}" if path else key, r)
            ok = ok and value is not INVALID
            out[key] = value
        return out if ok else INVALID

    def json_schema(self):
        return {"type": "object", "additionalProperties": self.value.json_schema(),
                "description": self.description}


def _close_matches(word: str, choices, n: int) -> list[str]:
    """difflib's close matches (imported when a key or value is wrong, not by every process: 1-3 ms)."""
    import difflib

    return difflib.get_close_matches(word, choices, n)


def file_stamp(path: str) -> tuple[str, int, int]:
    """(absolute path, mtime, size): what a cache of parsed files keys a file by (it changed if these did)."""
    stat = os.stat(path)
    return os.path.abspath(path), stat.st_mtime_ns, stat.st_size


def load_document(path: str, spec: Spec, diags: Diagnostics, cache: dict | None = None) -> Any:
    """Load a YAML file and read it with `spec`; INVALID if it has errors (raises BuildFailed if unreadable).

    With a `cache` (kept by a build session), a file whose size and modification time are
    unchanged since it last read cleanly is not read again; if the cache names a folder on disk
    (`use_parsed_cache`), a file whose bytes read cleanly with this spec in an earlier process
    comes from there, without YAML or schema work.
    """
    from .yamlsource import load_yaml

    try:
        key = (*file_stamp(path), id(spec))
    except (OSError, ValueError):
        key = None
    if cache is not None and key in cache:
        return cache[key]
    disk = cache.get(PARSED) if cache is not None and key is not None else None
    stored = _parsed_path(path, _spec_name(spec), disk) if disk is not None else None
    value = _read_parsed(stored) if stored is not None else INVALID
    if value is INVALID:
        before = len(diags.items)
        doc = load_yaml(path, diags)
        value = read_document(doc.root, spec, Reader(doc.path, diags))
        clean = len(diags.items) == before
        if stored is not None and disk is not None and clean:
            deferred = cache.get(DEFERRED) if cache is not None else None
            if deferred is not None:  # (a `watch` rebuild: written after the PDF, by write_deferred)
                deferred.append((stored, value, disk[0]))
            else:
                _write_parsed(stored, value, disk[0])
    else:
        clean = True
    if cache is not None and key is not None and clean:
        for stale in [k for k in cache if k[0] == key[0] and k[3] == key[3]]:
            del cache[stale]  # an edited file's older versions
        cache[key] = value
    return value


# -- the parsed-input cache across processes ------------------------------------------------------------------
# .cache/parsed/<digest>.pickle: what a file read into (frozen dataclasses with their SourceRefs), named by a
# digest of the file's bytes, the path it is shown by, the spec, and the salt (the package's source, the pins,
# Python's version): anything changed names another file, so no entry is ever stale. It is a pickle, read by
# an unpickler that builds nothing but highlight's own dataclasses and enums (find_class refuses anything
# else), so a written .cache cannot run code; a file that does not read back whole is ignored and rewritten.
PARSED = "#parsed"  # a cache's entry: (folder, salt), set by use_parsed_cache
DEFERRED = "#deferred"  # a cache's entry: a list the files read afresh are put on, kept by write_deferred
PARSED_FORMAT = b"highlight-parsed/1\n"
PARSED_KEEP = 256  # entries kept, newest first (a save of a page file makes one)


def use_parsed_cache(cache: dict, folder: str, salt: bytes) -> None:
    """Let `cache` keep what files read into in `folder` too, across processes (`salt`: what else the value
    depends on besides the file's bytes, its shown path and the spec)."""
    cache[PARSED] = (folder, salt)


def write_deferred(cache: dict) -> None:
    """Keep in the parsed-input cache the files a build read afresh and put off keeping (`cache` has a
    DEFERRED list: `watch` keeps them between saves, off the path from a save to the PDF)."""
    deferred = cache.get(DEFERRED) or []
    while deferred:
        _write_parsed(*deferred.pop(0))


def _spec_name(spec: Spec) -> str:
    build = getattr(spec, "build", None)
    fields = ",".join(getattr(spec, "fields", None) or ())
    return f"{type(spec).__name__}:{getattr(build, '__module__', '')}.{getattr(build, '__qualname__', '')}:{fields}"


def _parsed_path(path: str, spec: str, disk: tuple[str, bytes]) -> str | None:
    """The cache file for these bytes of `path` read with the spec named `spec` (None: the file cannot be read
    safely; the loader says why)."""
    import hashlib

    from .paths import check_input
    from .yamlsource import MAX_FILE_BYTES, display_path

    probe = Diagnostics()  # (load_yaml reports any problem with the file itself, once)
    try:
        check_input(path, probe, path)
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError, BuildFailed):
        return None
    digest = hashlib.sha256(disk[1])
    for part in (display_path(path).encode("utf-8", "surrogateescape"), spec.encode(), raw):
        digest.update(len(part).to_bytes(8, "big") + part)
    return os.path.join(disk[0], digest.hexdigest() + ".pickle")


_PACKAGE_DATA: dict[str, Any] = {}  # the package's word lists, read once per process


def package_data(name: str, cache: dict | None = None) -> Any:
    """A YAML data file of the package (figure_words.yaml, zh_words.yaml): plain lists and mappings, read once
    per process with libyaml's loader (the pure-Python safe_load took 20 ms), or from the parsed-input cache
    when `cache` names one (build.load_inputs reads them so: a warm build then imports no PyYAML)."""
    if name not in _PACKAGE_DATA:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
        disk = cache.get(PARSED) if cache is not None else None
        stored = _parsed_path(path, "package-data", disk) if disk is not None else None
        value = _read_parsed(stored) if stored is not None else INVALID
        if value is INVALID:
            with open(path, encoding="utf-8") as f:
                value = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader)  # noqa: S506
            if stored is not None and disk is not None:
                _write_parsed(stored, value, disk[0])
        _PACKAGE_DATA[name] = value
    return _PACKAGE_DATA[name]


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == "highlight" or module.startswith("highlight."):
            import enum

            found = super().find_class(module, name)
            if isinstance(found, type) and (hasattr(found, "__dataclass_fields__") or issubclass(found, enum.Enum)):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not one of highlight's dataclasses")


def read_cached(stored: str) -> Any:
    """A value kept in a cache file by write_cached (None if there is none, or it is damaged, or not ours)."""
    value = _read_parsed(stored)
    return None if value is INVALID else value


def write_cached(stored: str, value: Any, verify: bool = True) -> None:
    """Keep `value` (highlight's dataclasses, enums, plain containers) in the cache file `stored`, read back by
    read_cached with the same unpickler (`verify`: only if it reads back as itself); its folder keeps the
    newest PARSED_KEEP files."""
    _write_parsed(stored, value, os.path.dirname(stored), verify)


def _read_parsed(stored: str) -> Any:
    """The value stored at `stored`, or INVALID if there is none, or it is damaged, or not ours."""
    try:
        with open(stored, "rb") as f:
            data = f.read()
        name = os.path.basename(stored).encode()
        head = PARSED_FORMAT + name + b"\n"
        if not data.startswith(head):
            return INVALID
        return _Unpickler(io.BytesIO(memoryview(data)[len(head):])).load()
    except Exception:  # a damaged cache entry of any kind (truncated, foreign, garbage) is only a miss
        return INVALID


def _write_parsed(stored: str, value: Any, folder: str, verify: bool = True) -> None:
    from .atomic import prune_oldest, replace_file

    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        if verify and _Unpickler(io.BytesIO(data)).load() != value:  # (only what reads back as itself is stored)
            return
        replace_file(stored, PARSED_FORMAT + os.path.basename(stored).encode() + b"\n" + data)
        prune_oldest(folder, ".pickle", PARSED_KEEP)  # now and then, the oldest go
    except (OSError, pickle.PicklingError, pickle.UnpicklingError, TypeError, AttributeError, RecursionError):
        pass  # the cache only ever saves time


def read_document(root: yaml.Node | None, spec: Spec, r: Reader) -> Any:
    if root is None:
        r.diags.error("empty-file", "the file is empty", SourceRef(r.doc_path),
                      hint="a content file needs at least its top-level keys; see docs/authoring.md")
        return INVALID
    return spec.read(root, "", r)


__all__ = [
    "INVALID",
    "Bool",
    "Field",
    "Int",
    "Named",
    "Number",
    "Reader",
    "Seq",
    "Spec",
    "Str",
    "Struct",
    "Tagged",
    "field",
    "load_document",
    "package_data",
    "read_cached",
    "read_document",
    "use_parsed_cache",
    "write_cached",
]
