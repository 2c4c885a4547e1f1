"""highlight: typesets the bilingual Annual Highlights leaflet from YAML into a print-ready PDF.

load (content, layout_spec, fonts) → lay out (text, layout) → render (render, pdf).
"""
from .build import BuildOptions, BuildResult, build
from .content import Edition, load_edition
from .diagnostics import BuildFailed, Diagnostic, Diagnostics, Severity, SourceRef
from .layout_spec import Layout, load_layout

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
    "build",
    "load_edition",
    "load_layout",
]
__version__ = "0.1.0"
