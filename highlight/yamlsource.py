"""Safe YAML with positions: text → node tree whose every node knows its line and column.

PyYAML's composer gives nodes with marks but accepts duplicate keys (the last
one silently wins), anchors that can expand exponentially, and any tag. This
module reads the node tree and refuses all three, so the schema stage sees
only plain maps, lists and scalars, each with a `SourceRef`.
"""
from __future__ import annotations

import functools
import os
import re
import unicodedata
from dataclasses import dataclass

from .diagnostics import BuildFailed, Diagnostics, SourceRef
from .paths import check_input


class _Yaml:
    """PyYAML, imported when a file is first parsed (20 ms): a build whose files all come from the
    parsed-input cache (schema.load_document) never imports it. Each name is looked up once."""

    def __getattr__(self, name: str):
        import yaml as module

        value = getattr(module, name)
        setattr(self, name, value)
        return value


TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 2.4 ms of every process, issue 28)
if TYPE_CHECKING:
    import yaml
else:
    yaml = _Yaml()

MAX_FILE_BYTES = 1_000_000  # a page of content is ~10 KB; anything huge is a mistake or an attack
MAX_NODES = 50_000
MAX_DEPTH = 40

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq", "tag:yaml.org,2002:timestamp",
}


# Characters YAML refuses (control characters) or counts as line breaks where editors do not (NEL, LS, PS):
# refused up front with a line and column, so every mark after them counts the lines an editor shows.
@functools.cache
def _not_yaml() -> re.Pattern:
    return re.compile("[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class YamlDoc:
    """One loaded file: its root node and the path used in messages."""

    path: str  # as shown to the user (relative to the project when possible)
    root: yaml.Node | None


def display_path(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def node_ref(doc_path: str, node: yaml.Node, yaml_path: str) -> SourceRef:
    mark = node.start_mark
    return SourceRef(doc_path, mark.line + 1, mark.column + 1, yaml_path)


def _excerpt(text: str, line: int, column: int) -> tuple[str, ...]:
    """The line of the file and a caret under the column (lines of a Diagnostic's excerpt)."""
    lines = text.split("\n")  # only newlines: the same lines the marks count (see _not_yaml)
    if lines and lines[-1] == "":
        lines.pop()
    if line > len(lines) and lines:  # the error is at the end of the file: show its last line
        line, column = len(lines), len(lines[-1]) + 1
    if not 1 <= line <= len(lines):
        return ()
    return lines[line - 1], " " * (column - 1) + "^"


def load_yaml(path: str, diags: Diagnostics) -> YamlDoc:
    """Read `path` as UTF-8 YAML; raise BuildFailed (with a located diagnostic) if it is unusable."""
    shown = display_path(path)
    here = SourceRef(shown)
    check_input(path, diags, shown)  # before opening: a FIFO would block, a link could lead anywhere
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        diags.fatal("file-unreadable", f"cannot read the file: {getattr(exc, 'strerror', None) or exc}", here,
                    hint="check that the path exists and is readable")
        raise BuildFailed(diags) from None
    if len(raw) > MAX_FILE_BYTES:
        diags.fatal("file-too-large", f"the file is larger than {MAX_FILE_BYTES:,} bytes", here,
                    hint="content files are a few KB; split it or remove pasted data")
        raise BuildFailed(diags)
    try:
        text = raw.decode("utf-8-sig")  # a leading BOM is harmless: accept it
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        diags.fatal("not-utf8", f"the file is not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start} (line {line})",
                    SourceRef(shown, line, 1), hint="save the file as UTF-8 in your editor")
        raise BuildFailed(diags) from None
    bad = _not_yaml().search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        char = bad.group()
        breaks = char in "\x85\u2028\u2029"
        diags.error("bad-character", f"U+{ord(char):04X} {unicodedata.name(char, '(a control character)')} "
                    "stands in the file" + (" (editors and YAML disagree on whether it breaks the line)" if breaks
                                            else " (YAML files may not hold control characters)"),
                    SourceRef(shown, line, column),
                    hint="delete it" + (", or write a space or a new line instead" if breaks
                                        else "; save the file as plain UTF-8 text"))
        raise BuildFailed(diags)
    if "\t" in text and _tab_indented(text):
        line = _tab_indented(text)
        diags.error("yaml-tab", "a tab is used for indentation; YAML allows only spaces", SourceRef(shown, line, 1),
                    hint="replace the tab with spaces", excerpt=_excerpt(text, line, 1))
        raise BuildFailed(diags)
    try:
        # libyaml's composer is five times faster than the pure-Python one and keeps the same marks.
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or exc.context or "invalid YAML"
        diags.error("yaml-syntax", f"YAML syntax: {problem}", SourceRef(shown, line, col),
                    hint="check quotes, brackets and indentation on this line and the one above",
                    excerpt=_excerpt(text, line, col))
        raise BuildFailed(diags) from None
    except yaml.YAMLError as exc:
        diags.error("yaml-syntax", f"YAML syntax: {exc}", here,
                    hint="check quotes, brackets and indentation near the place named")
        raise BuildFailed(diags) from None
    before = len(diags.items)
    _check_tree(shown, root, diags)
    diags.raise_if_errors(since=before)  # this file's own errors: a caller's earlier findings are its own
    return YamlDoc(shown, root)


def _tab_indented(text: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            return number
    return 0


def _check_tree(shown: str, root: yaml.Node | None, diags: Diagnostics) -> None:
    """Refuse aliases, unsafe tags, duplicate keys, and trees too big or too deep."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, str, int]] = [(root, "", 0)] if root is not None else []
    count = 0
    while stack:
        node, path, depth = stack.pop()
        count += 1
        ref = node_ref(shown, node, path or "<root>")
        if count > MAX_NODES or depth > MAX_DEPTH:
            diags.error("yaml-too-big", f"more than {MAX_NODES:,} nodes or {MAX_DEPTH} levels of nesting", ref,
                        hint="content files are small; this looks like generated or pasted data")
            return
        if id(node) in seen:
            diags.error("yaml-alias", "anchors and aliases (&name / *name) are not allowed in content", ref,
                        hint="write the value out in full")
            return
        seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            diags.error("yaml-tag", f"the tag {node.tag!r} is not allowed; only plain maps, lists and scalars are", ref,
                        hint="remove the '!...' tag")
            continue
        children: list = []
        if isinstance(node, yaml.MappingNode):
            keys: dict[str, yaml.Node] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    diags.error("bad-key", f"a key here is {'a list' if isinstance(key_node, yaml.SequenceNode) else 'a mapping'}; "
                                "keys are plain names", node_ref(shown, key_node, path or "<root>"),
                                hint="write the key as a name followed by a colon, e.g. en: \"...\" (a '?' or "
                                     "'[' before the colon makes a complex key)")
                    continue
                key = key_node.value
                key_path = f"{path}.{key}" if path else str(key)
                if key == "<<":
                    diags.error("yaml-merge", "merge keys (<<) are not allowed in content",
                                node_ref(shown, key_node, key_path), hint="write the keys out in full")
                    continue
                if key in keys:
                    first = keys[key].start_mark.line + 1
                    diags.error("duplicate-key", f"the key '{key}' appears twice in this mapping (first on line {first}); "
                                "YAML would silently keep only the last one", node_ref(shown, key_node, key_path),
                                hint="delete or rename one of them")
                keys[key] = key_node
                children.append((value_node, key_path, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            children = [(item, f"{path}[{index}]", depth + 1) for index, item in enumerate(node.value)]
        stack.extend(reversed(children))  # depth first, in document order
