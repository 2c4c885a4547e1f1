"""Checks of the laid-out pages as a whole: text within the safe margin of the trim."""
from __future__ import annotations

from ..diagnostics import Diagnostics
from ..layout import LaidOutPage, TextLine
from ..layout_spec import MM, Layout


def check_safe_area(pages: list[LaidOutPage], layout: Layout, diags: Diagnostics) -> None:
    """One error per frame that puts text within the safe margin of the trim (overflowed frames aside:
    their overflow is the error worth reading)."""
    for page in pages:
        safe = page.safe_mm * MM  # per template, if its template says so
        right, bottom = layout.page_width_pt - safe, layout.page_height_pt - safe
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
        for frame, lines in offending.items():
            diags.error("outside-safe-area", f"{len(lines)} line(s) of frame '{frame}' lie within "
                        f"{page.safe_mm:g} mm of the trim, first: '{lines[0].line.text[:40]}'",
                        lines[0].ref, page=page.number, hint="move the frame inward in layout/templates.yaml")
