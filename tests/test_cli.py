"""The command line: summary line, exit codes, default output path."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import EDITION, ROOT


def run(*args: str, cwd: str = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "highlight", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_build_prints_diagnostics_then_one_summary_line(tmp_path):
    out = tmp_path / "leaflet.pdf"
    done = run("build", "content/2022-23", "-o", str(out))
    assert done.returncode == 0, done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    assert summary.startswith("highlight: 8 pages, 4 fonts, 0 errors, 6 warnings,")
    assert summary.endswith(str(out))
    assert done.stderr.count("warning[qr-placeholder]") == 6
    assert out.read_bytes().startswith(b"%PDF-1.6")


def test_strict_turns_warnings_into_exit_1(tmp_path):
    done = run("build", "content/2022-23", "-o", str(tmp_path / "x.pdf"), "--strict")
    assert done.returncode == 1


def test_a_folder_without_an_edition_exits_2(tmp_path):
    done = run("build", str(tmp_path))
    assert done.returncode == 2
    assert "has no edition.yaml" in done.stderr
    assert "Traceback" not in done.stderr


def test_json_diagnostics_are_machine_readable(tmp_path):
    import json

    done = run("build", "content/2022-23", "-o", str(tmp_path / "x.pdf"), "--json")
    items = json.loads(done.stdout)
    assert {d["code"] for d in items} == {"qr-placeholder"}
    assert all(d["file"].startswith("content/2022-23/") and d["line"] > 0 and d["yaml_path"] for d in items)


def test_default_output_is_out_highlights_edition(tmp_path):
    # A copy of the project layout keeps the real out/ untouched.
    import shutil

    for name in ("layout", "fonts", "content"):
        shutil.copytree(os.path.join(ROOT, name), tmp_path / name)
    os.symlink(os.path.join(ROOT, ".cache"), tmp_path / ".cache")
    done = run("build", "content/2022-23", cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "highlights-2022-23.pdf").is_file()
