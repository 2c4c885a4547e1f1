"""Outputs as backends (issue 24): one registry, `highlight build EDITION --to pdf|json`, the page model as
JSON (every page's items with role, language, text, box in mm and source), written like the PDF: whole or
not at all, never over a file it did not write."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import EDITION, ROOT, copy_project, run_cli

from highlight import backends
from highlight.backends.pagemodel import FORMAT


def test_every_registered_backend_has_the_interface():
    assert {"pdf", "json"} <= set(backends.names())
    for name in backends.names():
        backend = backends.get(name)
        assert backend.name == name
        assert backend.suffix.startswith((".", "-"))  # a file's extension, or a folder's ending (html: "-web")
        for method in ("check_path", "render", "post_check", "write"):
            assert callable(getattr(backend, method)), (name, method)


def test_the_command_line_offers_the_registry():
    done = subprocess.run([sys.executable, "-m", "highlight", "build", "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0
    assert "--to {" + ",".join(backends.names()) + "}" in done.stdout


def test_build_to_json_writes_the_page_model_of_every_page(tmp_path):
    out = tmp_path / "model.json"
    code, printed = run_cli(["build", EDITION, "--to", "json", "-o", str(out), "-q"])
    assert code == 0, printed
    model = json.loads(out.read_text(encoding="utf-8"))
    assert model["format"] == FORMAT and model["edition"] == "2022-23"
    assert [p["number"] for p in model["pages"]] == list(range(1, 9))
    width, height = model["trim_mm"]
    bleed = model["bleed_mm"]
    texts = [i for p in model["pages"] for i in p["items"] if i["kind"] == "text"]
    assert len(texts) > 400
    for item in texts:
        assert item["role"]["kind"] and item["lang"] in ("en", "zh") and item["text"], item
        assert item["source"]["file"].endswith(".yaml") and item["source"]["line"] >= 1, item
        x, y, w, h = item["box"]
        assert -bleed <= x and x + w <= width + bleed and 0 <= y and y + h <= height, item
    kinds = {i["kind"] for p in model["pages"] for i in p["items"]}
    assert {"text", "box", "rule", "ring", "qr"} <= kinds
    roles = {i["role"]["kind"] for i in texts}
    assert {"title", "heading", "paragraph", "table-header", "table-cell", "footnote-label"} <= roles
    # one item to a line: a layout change reads as a diff of the lines it moved
    assert len(out.read_text(encoding="utf-8").splitlines()) > len(texts)


def test_the_page_model_is_reproducible_and_named_after_the_edition(tmp_path):
    copy_project(tmp_path)
    for _ in range(2):
        done = subprocess.run([sys.executable, "-m", "highlight", "build", "content/2022-23", "--to", "json", "-q"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        written = tmp_path / "out" / "highlights-2022-23.json"
        data = written.read_bytes()
        if _ == 0:
            first = data
    assert data == first
    assert not list((tmp_path / "out").glob("*.pdf"))  # --to json writes the page model alone


def test_the_page_model_is_never_written_over_a_file_it_did_not_write(tmp_path):
    other = tmp_path / "notes.json"
    other.write_text('{"mine": true}\n')
    code, printed = run_cli(["build", EDITION, "--to", "json", "-o", str(other)])
    assert code == 2, printed
    assert other.read_text() == '{"mine": true}\n'


def test_importing_the_pipeline_loads_no_backend():
    """The registry imports a backend when a build asks for it: the pipeline's import loads neither the PDF
    adapter nor ReportLab (issue 28 builds its start-up time on this)."""
    code = ("import sys, highlight.build\n"
            "print(sorted(m for m in sys.modules if m in ('highlight.render', 'highlight.tags', 'reportlab', "
            "'pikepdf', 'PIL', 'pypdfium2', 'svglib')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": ROOT})
    assert done.stdout.strip() == "[]"
