"""Nothing but a preflighted, clean print build writes the print path (issue 14, item 5).

A `--strict` build that fails on warnings writes nothing; a first-fit (`--greedy`) build and `watch`
write previews to paths of their own, marked as previews in the summary line.
"""
from __future__ import annotations

import subprocess
import sys
import time

from conftest import copy_project, watching


def run(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "highlight", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_a_strict_build_that_fails_on_warnings_writes_nothing(tmp_path):
    copy_project(tmp_path)
    done = run("build", "content/2022-23", "--strict", cwd=tmp_path)
    assert done.returncode == 1  # 2022-23 has its QR placeholders, warnings
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.pdf"))
    summary = done.stdout.strip().splitlines()[-1]
    assert summary.endswith("→ nothing written"), summary
    # and an earlier good PDF at that path is left as it was
    assert run("build", "content/2022-23", cwd=tmp_path).returncode == 0
    pdf = tmp_path / "out" / "highlights-2022-23.pdf"
    before = pdf.stat().st_mtime_ns, pdf.read_bytes()
    assert run("build", "content/2022-23", "--strict", "--no-marks", cwd=tmp_path).returncode == 1
    assert (pdf.stat().st_mtime_ns, pdf.read_bytes()) == before


def test_a_greedy_build_writes_its_own_preview_not_the_print_pdf(tmp_path):
    copy_project(tmp_path)
    assert run("build", "content/2022-23", cwd=tmp_path).returncode == 0
    pdf = tmp_path / "out" / "highlights-2022-23.pdf"
    before = pdf.read_bytes()
    done = run("build", "content/2022-23", "--greedy", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert pdf.read_bytes() == before
    preview = tmp_path / "out" / "highlights-2022-23-greedy.pdf"
    assert preview.is_file() and preview.read_bytes() != before
    summary = done.stdout.strip().splitlines()[-1]
    assert summary.endswith("/out/highlights-2022-23-greedy.pdf (preview, first-fit breaking: not for print)"), \
        summary


def test_a_preview_is_refused_over_the_print_path(tmp_path):
    copy_project(tmp_path)
    done = run("build", "content/2022-23", "--greedy", "-o", "out/highlights-2022-23.pdf", cwd=tmp_path)
    assert done.returncode == 2
    assert "error[preview-over-print]" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out" / "highlights-2022-23.pdf").exists()


def test_watch_writes_its_own_preview_path_never_the_print_pdf(tmp_path):
    copy_project(tmp_path)
    page = tmp_path / "content" / "2022-23" / "p7-growth-continued.yaml"
    with watching(tmp_path, 2) as wait_for:
        first = wait_for("→")
        assert first.rstrip().endswith("/out/highlights-2022-23-preview.pdf (preview, no preflight: not for print)")
        time.sleep(0.05)
        page.write_text(page.read_text(encoding="utf-8").replace("officially opened", "officially launched"),
                        encoding="utf-8")
        wait_for("rebuilt in")
    assert (tmp_path / "out" / "highlights-2022-23-preview.pdf").is_file()
    assert not (tmp_path / "out" / "highlights-2022-23.pdf").exists()
