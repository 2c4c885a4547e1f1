"""One diagnostic type for every stage, and the exit codes they map to.

Stages collect `Diagnostic`s instead of raising at the first problem, so one
run reports every independent mistake. A stage that cannot go on raises
`BuildFailed` carrying what it collected.
"""
from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field

# Characters some terminal, log viewer or editor takes for the end of a line.
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
SHOWN_LIMIT = 200  # characters of one piece of user text in a message (a key, a value, a file name)
PATH_LIMIT = 1000  # a file or folder path (a project deep in a home folder is no attack)
MESSAGE_LIMIT = 4000  # a whole message, hint or place: what no message of ours comes near


def _escape(char: str) -> str:
    code = ord(char)
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
    if named:
        return named
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def shown(text: object, limit: int = SHOWN_LIMIT) -> str:
    """Any text read from input (a key, a value, a file or folder name, a URL, a line of a copy deck) as it is
    put into a message: shown as data on the line it is part of. Every character that is not printable is
    escaped (controls and ESC, newlines and every other line or paragraph separator, the bidi controls and
    other format characters, lone surrogates), so the text can neither start a line of its own, nor forge or
    hide output, nor reorder what a terminal shows; beyond `limit` characters it is cut with "…"."""
    text = str(text)
    if not text.isprintable():
        text = "".join(c if c.isprintable() else _escape(c) for c in text)
    if len(text) > limit:
        text = text[:max(limit - 1, 0)] + "…"
    return text





def json_text(value: object, indent: int | None = 2) -> str:
    """JSON for a terminal, a log or a browser: Chinese stays readable (not \\u-escaped), and every character
    that is not printable (bidi and other format characters, C1 controls, line separators, lone surrogates,
    which json.dumps leaves raw) is escaped as \\uXXXX, the same value to any JSON reader."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    if text.replace("\n", "").isprintable():  # the usual case, asked at C speed (serve's layout: 30 ms a save)
        return text
    return "".join(c if c.isprintable() or c == "\n" else _json_escape(c) for c in text)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


class Severity(enum.IntEnum):
    NOTE = 0  # what the build did for you and says where (a picture's ink limited): never fails a build
    WARNING = 1
    ERROR = 2  # the content has a problem: exit 1
    FATAL = 3  # the input or environment cannot be used: exit 2


@dataclass(frozen=True, order=True)
class SourceRef:
    """Where an item came from: file, 1-based line and column, YAML path."""

    file: str
    line: int = 0
    column: int = 0
    yaml_path: str = ""

    def __str__(self) -> str:
        place = self.file
        if self.line:
            place += f":{self.line}:{self.column}"
        return f"{place} ({self.yaml_path})" if self.yaml_path else place

    def child(self, key: str | int) -> SourceRef:
        """The same place, with the YAML path extended (for derived items)."""
        step = f"[{key}]" if isinstance(key, int) else (f".{key}" if self.yaml_path else key)
        return SourceRef(self.file, self.line, self.column, self.yaml_path + step)


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    code: str  # stable, kebab-case: what kind of problem (for --json and tests)
    message: str
    source: SourceRef | None = None
    hint: str = ""
    page: int | None = None
    excerpt: tuple[str, ...] = ()  # lines quoted under the message (a YAML line and a caret), each shown as data

    def format(self) -> str:
        label = {Severity.NOTE: "note", Severity.WARNING: "warning", Severity.ERROR: "error",
                 Severity.FATAL: "error"}[self.severity]
        where = f"{shown(self.source, MESSAGE_LIMIT)}: " if self.source else ""
        page = f"page {self.page}: " if self.page else ""
        text = f"{where}{label}[{self.code}]: {page}{shown(self.message, MESSAGE_LIMIT)}"
        for line in self.excerpt:
            text += f"\n    {shown(line, MESSAGE_LIMIT)}"
        if self.hint:
            text += f"\n  hint: {shown(self.hint, MESSAGE_LIMIT)}"
        return text

    def github(self) -> str:
        """A GitHub Actions annotation, so CI shows the problem on its YAML line."""
        level = {Severity.NOTE: "notice", Severity.WARNING: "warning"}.get(self.severity, "error")
        place = ""
        if self.source:  # a property's value escapes ',' and ':' too, so a file name cannot add a property
            place = " file=" + _github(shown(self.source.file, MESSAGE_LIMIT)).replace(":", "%3A").replace(",", "%2C")
            if self.source.line:
                place += f",line={self.source.line},col={self.source.column}"
        text = shown(self.message, MESSAGE_LIMIT) + (f" (hint: {shown(self.hint, MESSAGE_LIMIT)})" if self.hint else "")
        text = _github(text)
        return f"::{level}{place},title={self.code}::{text}" if place else f"::{level} title={self.code}::{text}"

    def as_dict(self) -> dict:
        """The --json form: the same escaped text as the terminal's, so a tool that prints a message or a
        file name from it prints one line."""
        src = self.source
        return {
            "severity": self.severity.name.lower(),
            "code": self.code,
            "message": shown(self.message, MESSAGE_LIMIT),
            "file": shown(src.file, MESSAGE_LIMIT) if src else None,
            "line": src.line if src else None,
            "column": src.column if src else None,
            "yaml_path": shown(src.yaml_path, MESSAGE_LIMIT) if src else None,
            "page": self.page,
            "hint": shown(self.hint, MESSAGE_LIMIT) if self.hint else None,
            "excerpt": [shown(line, MESSAGE_LIMIT) for line in self.excerpt],
        }


def _github(text: str) -> str:
    """The escapes of a GitHub Actions workflow command's data (after `shown` there is no newline left)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


@dataclass
class Diagnostics:
    """A collector passed through the stages of one build."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, severity: Severity, code: str, message: str, source: SourceRef | None = None,
            hint: str = "", page: int | None = None, excerpt: tuple[str, ...] = ()) -> None:
        self.items.append(Diagnostic(severity, code, message, source, hint, page, excerpt))

    def error(self, code: str, message: str, source: SourceRef | None = None, hint: str = "",
              page: int | None = None, excerpt: tuple[str, ...] = ()) -> None:
        self.add(Severity.ERROR, code, message, source, hint, page, excerpt)

    def warning(self, code: str, message: str, source: SourceRef | None = None, hint: str = "",
                page: int | None = None) -> None:
        self.add(Severity.WARNING, code, message, source, hint, page)

    def note(self, code: str, message: str, source: SourceRef | None = None, hint: str = "",
             page: int | None = None) -> None:
        self.add(Severity.NOTE, code, message, source, hint, page)

    def fatal(self, code: str, message: str, source: SourceRef | None = None, hint: str = "") -> None:
        self.add(Severity.FATAL, code, message, source, hint)

    def extend(self, other: Diagnostics) -> None:
        self.items.extend(other.items)

    @property
    def worst(self) -> Severity | None:
        return max((d.severity for d in self.items), default=None)

    def has_errors(self) -> bool:
        return any(d.severity >= Severity.ERROR for d in self.items)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.items if d.severity == severity)

    def raise_if_errors(self, since: int = 0) -> None:
        """BuildFailed if an error was collected (`since`: only among the items from that index on, so that a
        reader of one file fails for its own errors, not for findings collected before it was asked)."""
        if any(d.severity >= Severity.ERROR for d in self.items[since:]):
            raise BuildFailed(self)

    def to_json(self) -> str:
        return json_text([d.as_dict() for d in self.items])


class BuildFailed(Exception):
    """A stage found errors it cannot build past; carries every diagnostic so far."""

    def __init__(self, diagnostics: Diagnostics):
        super().__init__(f"{len(diagnostics.items)} diagnostics")
        self.diagnostics = diagnostics


def exit_code(diagnostics: Diagnostics, strict: bool = False) -> int:
    """0 clean, 1 problems in the content (warnings too under --strict), 2 unusable input."""
    worst = diagnostics.worst
    if worst is Severity.FATAL:
        return 2
    if worst is Severity.ERROR or (strict and worst is Severity.WARNING):
        return 1
    return 0
