"""Start-up (issue 28): a warm build imports only what it uses. Speed itself is measured in bench/, not here."""
from __future__ import annotations

import subprocess
import sys

from conftest import EDITION, ROOT


def test_a_warm_build_imports_neither_pyyaml_nor_lxml(tmp_path):
    """With every file's parsed value in .cache/parsed, a new process reads no YAML (PyYAML, 20 ms to import),
    and it writes the XMP as it is kept, without pikepdf's lxml round trip (lxml: 70 ms to import)."""
    code = ("import sys\nfrom highlight.build import BuildOptions, build\n"
            f"result = build(BuildOptions({EDITION!r}, sys.argv[1]))\n"
            "assert not result.diagnostics.has_errors(), [d.format() for d in result.diagnostics.items]\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'yaml', 'lxml'}))\n")
    runs = [subprocess.run([sys.executable, "-c", code, str(tmp_path / f"{n}.pdf")], cwd=ROOT, capture_output=True,
                           text=True) for n in ("first", "second")]
    assert all(run.returncode == 0 for run in runs), [run.stderr[-2000:] for run in runs]
    assert runs[1].stdout.strip() == "[]"
    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "second.pdf").read_bytes()
