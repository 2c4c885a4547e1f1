"""axe-core, the accessibility engine the web page is checked with (tests/test_web.py), pinned like the fonts:
the npm package's tarball from the registry, its sha256 and that of the one file used checked, cached under
.cache/axe/. No node is needed: the script is injected into the page Chromium opens."""
from __future__ import annotations

import hashlib
import io
import os
import tarfile

from conftest import ROOT

VERSION = "4.14.1"
URL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
SHA256 = "e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745"  # the tarball
MEMBER = "package/axe.min.js"
MEMBER_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
CACHE = os.path.join(ROOT, ".cache", "axe")
# WCAG 2.1 level A and AA, as axe tags its rules
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def script() -> str:
    """axe.min.js of the pinned version (downloaded once, verified every time)."""
    from highlight.atomic import replace_file
    from highlight.fonts import MAX_DOWNLOAD_BYTES, _download

    archive = os.path.join(CACHE, os.path.basename(URL))
    try:
        with open(archive, "rb") as f:
            data = f.read()
    except OSError:
        data = b""
    if hashlib.sha256(data).hexdigest() != SHA256:
        data = _download(URL, MAX_DOWNLOAD_BYTES)
        assert hashlib.sha256(data).hexdigest() == SHA256, f"{URL} is not the axe-core {VERSION} pinned"
        replace_file(archive, data)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        member = tar.extractfile(MEMBER)
        assert member is not None
        code = member.read()
    assert hashlib.sha256(code).hexdigest() == MEMBER_SHA256
    return code.decode("utf-8")
