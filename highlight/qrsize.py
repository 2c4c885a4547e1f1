"""Will a phone read the printed QR code? Its modules must not be smaller than the layout's minimum.

A longer url needs a larger QR version (more modules), so at a fixed printed size each module
shrinks; below about a third of a millimetre phone cameras fail on paper. The warning says what the
url makes at the printed size, the longest url that would fit, and the size this url needs.
"""
from __future__ import annotations

import math

from .diagnostics import Diagnostics, SourceRef

QUIET_ZONE = 4  # modules of white each side (ISO/IEC 18004), inside the printed size


def _modules(data: str, error: str) -> tuple[int, int]:
    """(version, modules across with the quiet zone) of the code segno makes for `data`."""
    import segno

    code = segno.make(data, error=error.lower(), boost_error=False, micro=False)
    return int(code.version), int(code.symbol_size(border=QUIET_ZONE)[0])  # micro=False: the version is a number


def longest_fitting(url: str, size_mm: float, error: str, min_module_mm: float) -> int:
    """The most characters of a url like this one (its prefix, repeated) whose code keeps modules of at
    least `min_module_mm` at `size_mm`; 0 if not even one character does."""
    like = url * (3000 // max(len(url), 1) + 1)
    low, high = 0, 2953  # the largest byte-mode capacity of a QR code (version 40, L)
    while low < high:
        mid = (low + high + 1) // 2
        try:
            fits = size_mm / _modules(like[:mid], error)[1] >= min_module_mm
        except Exception:
            fits = False
        if fits:
            low = mid
        else:
            high = mid - 1
    return low


def check_module_size(url: str, size_mm: float, error: str, min_module_mm: float, ref: SourceRef,
                      page: int | None, diags: Diagnostics) -> None:
    """A warning, at the url's line, when its code's modules print smaller than `min_module_mm`."""
    try:
        version, modules = _modules(url, error)
    except Exception:
        diags.error("qr-too-long", f"the {len(url)}-character url does not fit in any QR code at error "
                    f"correction {error}", ref, page=page, hint="shorten the url (a redirect on the university's "
                    "site), or lower qr_error_correction in layout/page.yaml")
        return
    module_mm = size_mm / modules
    if module_mm >= min_module_mm:
        return
    fits = longest_fitting(url, size_mm, error, min_module_mm)
    needed = math.ceil(modules * min_module_mm * 2) / 2  # to the half millimetre above
    diags.warning(
        "qr-module-small",
        f"the {len(url)}-character url makes a version-{version} code of {modules - 2 * QUIET_ZONE} modules: at "
        f"qr_size_mm {size_mm:g} each module is {module_mm:.2f} mm, under the {min_module_mm:g} mm a phone reads "
        "from paper",
        ref, page=page,
        hint=f"shorten the url (at {size_mm:g} mm a url of at most {fits} characters fits, at error correction "
             f"{error}: a redirect or a shorter path), or print larger codes with qr_size_mm: {needed:g} in "
             "layout/page.yaml (for one edition: content/<edition>/layout/page.yaml)")
