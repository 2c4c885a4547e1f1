"""Expected output, SILE-style (issue 24): the page model of 2022-23 and of edition-b as text, checked in under
tests/expected/, compared with a fresh build. A change to the layout fails here with a readable diff of the
items it moved; when the change is meant, refresh with `make expected` (or HIGHLIGHT_REFRESH_EXPECTED=1) and
commit the new files with it, so the review sees what moved."""
from __future__ import annotations

import difflib
import os
import sys

import pytest
from conftest import ROOT

sys.path.insert(0, os.path.join(ROOT, "tools"))
import expected  # tools/expected.py: what `make expected` runs

REFRESH = os.environ.get("HIGHLIGHT_REFRESH_EXPECTED") == "1"


@pytest.mark.parametrize("edition", sorted(expected.EDITIONS))
def test_the_pages_are_laid_out_as_expected(edition):
    path = os.path.join(ROOT, expected.EDITIONS[edition])
    fresh = expected.dump(edition)
    if REFRESH:
        with open(path, "w", encoding="utf-8") as f:
            f.write(fresh)
    with open(path, encoding="utf-8") as f:
        old = f.read()
    if fresh != old:
        diff = list(difflib.unified_diff(old.splitlines(), fresh.splitlines(), expected.EDITIONS[edition],
                                         "this build", lineterm="", n=1))
        shown = "\n".join(diff[:80]) + (f"\n… {len(diff) - 80} more lines" if len(diff) > 80 else "")
        pytest.fail(f"the layout of {edition} changed:\n{shown}\n\nIf the change is meant: `make expected` "
                    "(or HIGHLIGHT_REFRESH_EXPECTED=1 pytest tests/test_expected.py), then review and commit "
                    f"{expected.EDITIONS[edition]}.", pytrace=False)
