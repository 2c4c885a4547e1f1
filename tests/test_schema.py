"""The JSON Schemas editors use: generated from the loader's specs, current, and true to the real files."""
from __future__ import annotations

import glob
import json
import os

import jsonschema
import pytest
import yaml
from conftest import ROOT

from highlight.editor_schemas import schema_documents

FILES = sorted(glob.glob(os.path.join(ROOT, "content", "*", "*.yaml")) + glob.glob(os.path.join(ROOT, "layout", "*.yaml"))
               + glob.glob(os.path.join(ROOT, "tests", "fixtures", "*", "*.yaml"))
               + [os.path.join(ROOT, "fonts", "fonts.yaml"), os.path.join(ROOT, "profiles", "profiles.yaml")])


def test_committed_schemas_are_the_generated_ones():
    """`highlight schema` regenerates them; a stale committed copy fails here."""
    for filename, text in schema_documents().items():
        with open(os.path.join(ROOT, "schema", filename), encoding="utf-8") as f:
            assert f.read() == text, f"schema/{filename} is stale: run `.venv/bin/highlight schema`"


def _named_schema(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        first = f.readline()
    assert first.startswith("# yaml-language-server: $schema="), f"{path} does not name its schema"
    return os.path.normpath(os.path.join(os.path.dirname(path), first.split("=", 1)[1].strip()))


@pytest.mark.parametrize("path", FILES, ids=lambda p: os.path.relpath(p, ROOT))
def test_every_file_names_its_schema_and_passes_it(path):
    schema_path = _named_schema(path)
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    with open(path, encoding="utf-8") as f:
        jsonschema.validate(yaml.safe_load(f), schema)


def test_the_schema_rejects_what_the_loader_rejects():
    with open(os.path.join(ROOT, "schema", "page.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    with open(os.path.join(ROOT, "content", "2022-23", "p3-international-community.yaml"), encoding="utf-8") as f:
        page = yaml.safe_load(f)
    page["blocks"][2]["elements"][0]["stat"]["lable"] = {"en": "typo"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(page, schema)


def test_the_yaml_examples_of_the_authoring_guide_are_valid():
    """docs/authoring.md shows each element kind; every example must pass the loader's own schema."""
    import re

    from highlight.content import EDITION, ELEMENT, PAGE
    from highlight.diagnostics import Diagnostics
    from highlight.schema import INVALID, Reader, Seq

    with open(os.path.join(ROOT, "docs", "authoring.md"), encoding="utf-8") as f:
        blocks = re.findall(r"```yaml\n(.*?)```", f.read(), re.DOTALL)
    checked = 0
    for block in blocks:
        lines = [ln for ln in block.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        if lines[0].startswith("- ") and "\nfootnotes:" in block:  # an element with its page's footnotes
            element, notes = block.split("\nfootnotes:")
            block = ("page: 1\ntemplate: p1\ntitle: {en: T, zh: T}\nblocks: [{frame: intro, elements: ["
                     + element[2:] + "]}]\nfootnotes:" + notes)
            lines = block.splitlines()
        spec = Seq(ELEMENT) if lines[0].startswith("- ") else EDITION if lines[0].startswith("edition:") else PAGE
        diags = Diagnostics()
        value = spec.read(yaml.compose(block), "", Reader("docs/authoring.md", diags))
        assert value is not INVALID, [d.format() for d in diags.items]
        checked += 1
    assert checked >= 4
