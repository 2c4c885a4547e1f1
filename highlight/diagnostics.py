"""One diagnostic type for every stage, and the exit codes they map to.

Stages collect `Diagnostic`s instead of raising at the first problem, so one
run reports every independent mistake. A stage that cannot go on raises
`BuildFailed` carrying what it collected.
"""
from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field


def printable(text: object) -> str:
    """`text` with every control character (ESC, NUL, CR, U+2028 …) escaped except newlines, so a key or a
    file name read from input can neither forge nor hide terminal output."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == "\n" else repr(c)[1:-1] for c in text)


class Severity(enum.IntEnum):
    NOTE = 0  # what a designer should know, not a fault (a page with fewer words than it holds): never fails a build
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

    def format(self) -> str:
        label = {Severity.NOTE: "note", Severity.WARNING: "warning", Severity.ERROR: "error",
                 Severity.FATAL: "error"}[self.severity]
        where = f"{printable(self.source)}: " if self.source else ""
        page = f"page {self.page}: " if self.page else ""
        text = f"{where}{label}[{self.code}]: {page}{printable(self.message)}"
        if self.hint:
            text += f"\n  hint: {printable(self.hint)}"
        return text

    def github(self) -> str:
        """A GitHub Actions annotation, so CI shows the problem on its YAML line."""
        level = {Severity.NOTE: "notice", Severity.WARNING: "warning"}.get(self.severity, "error")
        place = ""
        if self.source:
            place = f" file={self.source.file}"
            if self.source.line:
                place += f",line={self.source.line},col={self.source.column}"
        text = self.message + (f" (hint: {self.hint})" if self.hint else "")
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{level}{place},title={self.code}::{text}" if place else f"::{level} title={self.code}::{text}"

    def as_dict(self) -> dict:
        src = self.source
        return {
            "severity": self.severity.name.lower(),
            "code": self.code,
            "message": self.message,
            "file": src.file if src else None,
            "line": src.line if src else None,
            "column": src.column if src else None,
            "yaml_path": src.yaml_path if src else None,
            "page": self.page,
            "hint": self.hint or None,
        }


@dataclass
class Diagnostics:
    """A collector passed through the stages of one build."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, severity: Severity, code: str, message: str, source: SourceRef | None = None,
            hint: str = "", page: int | None = None) -> None:
        self.items.append(Diagnostic(severity, code, message, source, hint, page))

    def error(self, code: str, message: str, source: SourceRef | None = None, hint: str = "",
              page: int | None = None) -> None:
        self.add(Severity.ERROR, code, message, source, hint, page)

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

    def raise_if_errors(self) -> None:
        if self.has_errors():
            raise BuildFailed(self)

    def to_json(self) -> str:
        return json.dumps([d.as_dict() for d in self.items], ensure_ascii=False, indent=2)


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
