"""Shared fixtures: the real 2022-23 edition, built once per test session."""
from __future__ import annotations

import os
import re
import unicodedata

import pytest

from highlight.build import BuildOptions, build

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EDITION = os.path.join(ROOT, "content", "2022-23")
SOURCE = os.path.join(ROOT, "tests", "fixtures", "source-2022-23.txt")


def normalise(text: str) -> str:
    """The comparison seed_coverage.py uses: NFKC, every whitespace character removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The leaflet built from content/2022-23 into a temporary folder: (BuildResult, pdf path)."""
    out = tmp_path_factory.mktemp("build") / "leaflet.pdf"
    result = build(BuildOptions(EDITION, str(out)))
    errors = [d.format() for d in result.diagnostics.items if d.severity >= 2]
    assert not errors, "\n".join(errors)
    return result, str(out)


@pytest.fixture(scope="session")
def page_texts(built):
    from pypdf import PdfReader

    reader = PdfReader(built[1])
    return [page.extract_text() for page in reader.pages]


# Only the edition the tests read: other editions committed beside it (next year's, drafts) are no
# business of these tests, and must neither slow them nor change what they see (issue 14, item 6).
PROJECT_PARTS = ("layout", "fonts", "profiles", os.path.join("content", "2022-23"), "schema")


def copy_project(target, parts=PROJECT_PARTS, cache: bool = True):
    """A copy of the project's data under `target` (of content/, 2022-23 only), sharing the set-up cache
    (fonts, profile) by a link, so a test can change files without touching the repository. Returns `target`."""
    import shutil

    for name in parts:
        shutil.copytree(os.path.join(ROOT, name), os.path.join(target, name), dirs_exist_ok=True)
    if cache:
        os.symlink(os.path.join(ROOT, ".cache"), os.path.join(target, ".cache"))
    return target
