"""The layers (CONTRIBUTING.md, "The layers"; pyproject.toml's [tool.importlinter]): every module imports only
downwards, no two modules import each other through any chain of imports that run, and the package's
__init__ loads nothing it does not need."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT

sys.path.insert(0, os.path.join(ROOT, "tools"))
import import_cycles  # tools/ is not a package


def test_no_cycle_among_the_imports_that_run():
    """Function-local imports count (they run when the function does); those under TYPE_CHECKING do not."""
    edges = import_cycles.graph(ROOT)
    assert len(edges) > 40  # the whole package was read
    assert import_cycles.cycles(edges) == []


def test_the_cycle_counter_finds_a_cycle_hidden_in_a_function(tmp_path):
    package = tmp_path / "highlight"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "low.py").write_text("def f():\n    from .high import g\n    return g\n")
    (package / "high.py").write_text("from . import low\n")
    (package / "typed.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .high import g\n")
    assert import_cycles.cycles(import_cycles.graph(str(tmp_path))) == [["highlight.high", "highlight.low"]]


def test_the_layer_contracts_are_kept():
    """import-linter, as `make lint` runs it: the layers contract and the protected third-party packages."""
    done = subprocess.run([os.path.join(os.path.dirname(sys.executable), "lint-imports"), "--no-logo", "--no-cache"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "broken" not in done.stdout.lower().replace("0 broken", "")


def test_importing_the_diagnostics_loads_nothing_else():
    """`highlight/__init__` re-exports lazily: a module of the lowest layer comes alone, not with the pipeline
    and the renderer behind `highlight.build`."""
    code = ("import sys, highlight.diagnostics, highlight\n"
            "print(sorted(m for m in sys.modules if m.startswith('highlight')))\n"
            "print(highlight.SourceRef.__module__, highlight.Layout.__module__)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded, exported = done.stdout.splitlines()
    assert loaded == "['highlight', 'highlight.diagnostics']"
    assert exported == "highlight.diagnostics highlight.layout_spec"  # the lazy names still resolve
