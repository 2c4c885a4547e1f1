"""Checks of the laid-out pages as a whole: text within the safe margin of the trim."""
from __future__ import annotations

from ..diagnostics import Diagnostics
from ..layout import LaidOutPage, TextLine
from ..layout_spec import MM, Layout


def check_safe_area(pages: list[LaidOutPage], layout: Layout, diags: Diagnostics) -> None:
    """One error per frame that puts text within the safe margin of the trim (overflowed frames aside:
    their overflow is the error worth reading). A page that is the very object checked before with a page of
    the same size (a `watch` rebuild keeps the pages whose inputs did not change) is not walked again: its
    findings are said again."""
    size = (layout.page_width_pt, layout.page_height_pt)
    for page in pages:
        kept = _CHECKED.get(id(page))
        if kept is None or kept[0] is not page or kept[1] != size:
            if len(_CHECKED) > 256:  # (a long session: the pages of old builds let go)
                _CHECKED.clear()
            kept = _CHECKED[id(page)] = (page, size, _page_findings(page, *size))
        for message, ref in kept[2]:
            diags.error("outside-safe-area", message, ref, page=page.number,
                        hint="move the frame inward in layout/templates.yaml")


_CHECKED: dict = {}  # id(page) -> (page, page size, its findings)


def _page_findings(page: LaidOutPage, width_pt: float, height_pt: float) -> list[tuple]:
    """(message, ref) of each frame of `page` that puts text within its safe margin."""
    safe = page.safe_mm * MM  # per template, if its template says so
    right, bottom = width_pt - safe, height_pt - safe
    offending: dict[str, list[TextLine]] = {}
    for item in page.items:
        if not isinstance(item, TextLine) or not item.line.runs or item.frame in page.overflowed:
            continue
        left_x = item.x_pt + max(item.line.runs[0].x_pt, 0.0)
        right_x = item.x_pt + item.line.right_pt
        # The em box's top (0.88 em above the baseline), not the half-leading above it: ink, not air.
        top_y = item.baseline_pt - 0.88 * (item.line.ascent_pt - item.line.descent_pt) / 0.76
        if left_x < safe - 0.01 or right_x > right + 0.01 or top_y < safe - 0.01 or item.baseline_pt > bottom:
            offending.setdefault(item.frame, []).append(item)
    return [(f"{len(lines)} line(s) of frame '{frame}' lie within {page.safe_mm:g} mm of the trim, first: "
             f"'{lines[0].line.text[:40]}'", lines[0].ref) for frame, lines in offending.items()]
