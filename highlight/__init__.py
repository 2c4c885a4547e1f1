"""highlight: typesets the bilingual Annual Highlights leaflet from YAML into a print-ready PDF.

read (content, layout_spec, fonts) → lay out (text, layout) → output (render, atomic); CONTRIBUTING.md has
the layers. The names below are re-exported lazily (PEP 562): `import highlight.diagnostics` loads that
module alone, not the pipeline and the renderer behind `highlight.build`. The pipeline's entry point is
`highlight.build.build`: the name `highlight.build` is its module's (re-exported lazily, a function of that
name would be the module or the function depending on what was imported first).
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .build import BuildOptions, BuildResult
    from .content import Edition, load_edition
    from .diagnostics import BuildFailed, Diagnostic, Diagnostics, Severity, SourceRef
    from .layout_spec import Layout, load_layout

_EXPORTS = {
    "BuildFailed": "diagnostics",
    "BuildOptions": "build",
    "BuildResult": "build",
    "Diagnostic": "diagnostics",
    "Diagnostics": "diagnostics",
    "Edition": "content",
    "Layout": "layout_spec",
    "Severity": "diagnostics",
    "SourceRef": "diagnostics",
    "load_edition": "content",
    "load_layout": "layout_spec",
}
__all__ = [
    "BuildFailed",
    "BuildOptions",
    "BuildResult",
    "Diagnostic",
    "Diagnostics",
    "Edition",
    "Layout",
    "Severity",
    "SourceRef",
    "load_edition",
    "load_layout",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'highlight' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # found once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
