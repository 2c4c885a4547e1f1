"""The page model as JSON (`highlight build EDITION --to json`): out/highlights-<folder>.json.

Every page's items in drawing order, each with its kind, its role (layout/items.py ROLES: what it is, the
element it belongs to, the part of it), its language and its text where it has them, its box in mm from the
trimmed page's top-left (x, y, width, height; y downwards) and its source (file, line, column, YAML path).
What `serve` draws its overlays from, what tests read instead of a PDF, what another backend may start from.
"""
from __future__ import annotations

import json
import os

from ..diagnostics import Diagnostics
from ..layout import Box, Picture, QrMark, Ring, Rule, TextLine
from ..units import MM
from . import Document, FileBackend

FORMAT = "highlight-page-model"
VERSION = 1


def mm(value_pt: float) -> float:
    return round(value_pt / MM, 2)


def text_box(item: TextLine) -> tuple[float, float, float, float]:
    """A line's box in points: from its leftmost ink start (a hanging mark starts left of x) to its end, its
    ascent above the baseline to its descent below."""
    left = item.x_pt + min(0.0, min((r.x_pt for r in item.line.runs), default=0.0))
    return (left, item.baseline_pt - item.line.ascent_pt, item.x_pt + item.line.right_pt - left,
            item.line.ascent_pt + item.line.descent_pt)


def _role(role) -> dict:
    if role is None:
        return {"kind": "artifact"}
    out: dict = {"kind": role.kind}
    for name in ("element", "part", "level", "cell"):
        if getattr(role, name):
            out[name] = getattr(role, name)
    return out


def _source(ref) -> dict | None:
    if ref is None:
        return None
    return {"file": ref.file, "line": ref.line, "column": ref.column, "yaml_path": ref.yaml_path}


def _colour(colour) -> dict:
    return {"cmyk": list(colour.cmyk), "rgb": colour.rgb}


def item_record(item, project: str = "") -> dict:
    """One item of a page as the JSON page model writes it."""
    if isinstance(item, TextLine):
        x, y, w, h = text_box(item)
        return {"kind": "text", "role": _role(item.role), "lang": item.lang, "text": item.line.text,
                "box": [mm(x), mm(y), mm(w), mm(h)], "baseline": mm(item.baseline_pt), "frame": item.frame,
                "source": _source(item.ref)}
    if isinstance(item, Box):
        return {"kind": "box", "role": _role(None), "box": [mm(item.x_pt), mm(item.y_pt), mm(item.width_pt),
                                                            mm(item.height_pt)],
                "colour": _colour(item.colour), "tint": item.tint, "panel": item.panel, "bleeds": item.bleeds}
    if isinstance(item, Rule):
        x, y = min(item.x1_pt, item.x2_pt), min(item.y1_pt, item.y2_pt)
        return {"kind": "rule", "role": _role(None),
                "box": [mm(x), mm(y), mm(abs(item.x2_pt - item.x1_pt)), mm(abs(item.y2_pt - item.y1_pt))],
                "line": [mm(item.x1_pt), mm(item.y1_pt), mm(item.x2_pt), mm(item.y2_pt)],
                "width": mm(item.width_pt), "colour": _colour(item.colour)}
    if isinstance(item, Ring):
        r = item.outer_pt
        return {"kind": "ring", "role": _role(item.role), "box": [mm(item.cx_pt - r), mm(item.cy_pt - r),
                                                                  mm(2 * r), mm(2 * r)],
                "inner": mm(item.inner_pt), "start_deg": round(item.start_deg, 3),
                "sweep_deg": round(item.sweep_deg, 3), "colour": _colour(item.colour), "tint": item.tint}
    if isinstance(item, QrMark):
        return {"kind": "qr", "role": _role(item.role), "box": [mm(item.x_pt), mm(item.y_pt), mm(item.size_pt),
                                                                mm(item.size_pt)],
                "url": item.url, "source": _source(item.ref)}
    if isinstance(item, Picture):
        file = os.path.relpath(item.path, project) if item.path and project else item.path
        return {"kind": "picture", "role": _role(item.role), "box": [mm(item.x_pt), mm(item.y_pt),
                                                                     mm(item.width_pt), mm(item.height_pt)],
                "file": file, "alt": [list(pair) for pair in item.alt], "source": _source(item.ref)}
    raise TypeError(f"{type(item).__name__} is not a page item the page model knows")


def page_model(document: Document) -> dict:
    layout, meta = document.layout, document.meta
    return {
        "format": FORMAT, "version": VERSION,
        "edition": meta.edition, "title": meta.title, "languages": list(meta.languages), "target": meta.target,
        "variant": meta.variant,
        "trim_mm": [mm(layout.page_width_pt), mm(layout.page_height_pt)],
        "bleed_mm": layout.geometry.page.bleed_mm,
        "pages": [{"number": page.number, "title": page.title,
                   "items": [item_record(item, document.project) for item in page.items]}
                  for page in document.pages],
    }


class PageModelBackend(FileBackend):
    name = "json"
    suffix = ".json"
    magic = b'{"format": "' + FORMAT.encode()  # never written over a JSON file that is not one of ours
    what = "the page model (-o)"

    def render(self, document: Document, diags: Diagnostics) -> bytes:
        """JSON, one item to a line (a change to the layout reads as a diff of the lines it moved)."""
        model = page_model(document)
        pages = model.pop("pages")

        def dumps(value) -> str:
            return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))

        out = [dumps(model)[:-1] + ', "pages": [']
        for n, page in enumerate(pages):
            items = page.pop("items")
            out.append(dumps(page)[:-1] + ', "items": [')
            out.extend(dumps(item) + ("," if i < len(items) - 1 else "") for i, item in enumerate(items))
            out.append("]}" + ("," if n < len(pages) - 1 else ""))
        out.append("]}")
        return ("\n".join(out) + "\n").encode("utf-8")


# -- the page model as text, for expected-output tests (tests/expected/) ----------------------------------------
def _role_label(role) -> str:
    if role is None:
        return "artifact"
    label = role.kind + (str(role.level) if role.kind == "heading" else "")
    if role.part:
        label += f"/{role.part}" + (f".{role.cell}" if role.cell else "")
    return label


def _at(ref) -> str:
    return f"{os.path.basename(ref.file)}:{ref.line}:{ref.column}" if ref is not None and ref.file else ""


def text_dump(pages) -> str:
    """Every page's items, one to a line, in drawing order: kind, role (and a heading's level, a row's part),
    language, box in mm from the trim's top-left (x y w h, to 0.1 mm), text, and the YAML it came from
    (file name:line:column). A change to the layout reads as a diff of the lines it moved."""
    def number(value: float) -> str:
        return f"{round(value, 1) + 0.0:6.1f}"  # (+ 0.0: never "-0.0")

    out = []
    for page in pages:
        out.append(f"page {page.number}  {page.title}")
        for item in page.items:
            record = item_record(item)
            box = " ".join(number(v) for v in record["box"])
            line = f"  {record['kind']:<7} {_role_label(getattr(item, 'role', None)):<22} " \
                   f"{record.get('lang', ''):<2} {box}"
            if record["kind"] == "text":
                line += f"  {json.dumps(record['text'], ensure_ascii=False)}"
            elif record["kind"] == "qr":
                line += f"  {record['url'] or '(placeholder)'}"
            elif record["kind"] == "picture":
                line += f"  {os.path.basename(record['file'] or '(placeholder)')}"
            at = _at(getattr(item, "ref", None))
            out.append(line + (f"  {at}" if at else ""))
    return "\n".join(out) + "\n"
