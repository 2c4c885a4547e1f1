"""Writes tests/expected/<edition>.txt, the page model of each edition the expected-output test compares
(`make expected`, or `HIGHLIGHT_REFRESH_EXPECTED=1 pytest tests/test_expected.py`): run it after a change to
the layout that is meant, and review the diff before committing it."""
from __future__ import annotations

import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from highlight.backends.pagemodel import text_dump
from highlight.build import BuildOptions, build

# edition folder -> its expected dump
EDITIONS = {
    os.path.join("content", "2022-23"): os.path.join("tests", "expected", "2022-23.txt"),
    os.path.join("tests", "fixtures", "edition-b"): os.path.join("tests", "expected", "edition-b.txt"),
}
HEADER = ("# The page model of {edition}: every page's items in drawing order (kind, role, language, box in mm\n"
          "# from the trim's top-left: x y w h, text, source). Written by `make expected`: a layout change shows\n"
          "# here as a diff to review. tests/test_expected.py compares it with a fresh build.\n")


def dump(edition: str) -> str:
    with tempfile.TemporaryDirectory() as out:
        result = build(BuildOptions(os.path.join(ROOT, edition), os.path.join(out, "x.json"), to="json"))
    if result.diagnostics.has_errors():
        raise SystemExit(f"{edition} does not build: {[d.format() for d in result.diagnostics.items][:3]}")
    return HEADER.format(edition=edition.replace(os.sep, "/")) + text_dump(result.pages)


def main() -> int:
    for edition, expected in EDITIONS.items():
        with open(os.path.join(ROOT, expected), "w", encoding="utf-8") as f:
            f.write(dump(edition))
        print(f"wrote {expected}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
