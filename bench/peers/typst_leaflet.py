"""The peer of the speed bench: the same leaflet's texts set by Typst (the `typst` package on PyPI).

    .venv/bin/python bench/peers/typst_leaflet.py content/2022-23 OUT.typ   # write the Typst source
    .venv/bin/python bench/peers/typst_leaflet.py --compile OUT.typ OUT.pdf  # one Typst build (a process)

The source holds every page's title, headings, paragraphs, lists, stats, rankings, breakdowns (as tables),
QR codes (as their URL or a box) and footnotes, generated from the edition's YAML with nothing but PyYAML,
so the peer never shares our loader's work. Pages are A4 with the leaflet's margins and the same fonts
(Noto Sans, Noto Sans HK from the set-up's cache), tagged PDF/UA-1 as ours is. It is the comparison a user
would make ("how long would Typst take for these pages?"), not a copy of our layout: Typst does no
copyfit, no Chinese word segmentation, no CMYK output intent and no preflight.
"""
from __future__ import annotations

import argparse
import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FONT_DIR = os.path.join(ROOT, ".cache", "fonts")
# Typst markup's special characters, escaped wherever content text is written.
SPECIAL = set("\\#*_`$<>@[]=-+/~\"'")


MARKER = re.compile(r"\[\^(.+?)\]")  # a footnote marker in the content: [^*], [^Δ] …


def escape(text: str) -> str:
    """Content text as Typst markup: special characters escaped, footnote markers as superscripts."""
    pieces = MARKER.split(str(text).replace("\n", " "))
    return "".join(f"#super[{_plain(piece)}]" if i % 2 else _plain(piece) for i, piece in enumerate(pieces))


def _plain(text: str) -> str:
    return "".join("\\" + c if c in SPECIAL else c for c in text)


def bilingual(value, sep: str = " \\\n") -> str:
    """`{en, zh}` (either may be missing) or a plain string, as Typst markup: English, then Chinese in zh."""
    if value is None:
        return ""
    if not isinstance(value, dict):
        return escape(value)
    parts = []
    if value.get("en"):
        parts.append(escape(value["en"]))
    if value.get("zh"):
        parts.append('#text(lang: "zh", region: "hk")[' + escape(value["zh"]) + "]")
    return sep.join(parts)


def element(kind: str, body, depth: list[int]) -> list[str]:
    """Typst lines for one element of the content; `depth` holds the last heading level (PDF/UA-1 forbids skips)."""
    if not isinstance(body, dict):
        return [escape(body), ""]
    if kind == "heading":
        depth[0] = min(int(body.get("level", 1)) + 1, depth[0] + 1)
        return ["=" * depth[0] + " " + bilingual(body, " "), ""]
    if kind == "list":
        return ["- " + bilingual(item) for item in body.get("items", [])] + [""]
    if kind == "breakdown":
        rows = body.get("rows", [])
        cells = [f"[{bilingual(row.get('label'))}], [{escape(row.get('count', ''))}], [{escape(row.get('percent', ''))}%]"
                 for row in rows]
        caption = bilingual(body.get("caption"))
        return [f"#figure(caption: [{caption}], table(columns: 3, table.header([], [], [%]), {', '.join(cells)}))", ""]
    if kind == "qr":
        return [escape(body.get("url") or "[QR]"), ""]
    lines = []
    # stats, rankings, callouts, partners, projects, paragraphs: their fields in reading order
    for field in ("lead", "headline", "rank", "figure", "unit", "change", "title", "label", "text", "note",
                  "source", "en"):
        value = body.get(field)
        if field == "en":
            value = {"en": body.get("en"), "zh": body.get("zh")} if ("en" in body or "zh" in body) else None
        if value in (None, "", {}):
            continue
        text = bilingual(value)
        lines.append(f"*{text}*" if field == "figure" else text)
        lines.append("")
    return lines


def typst_source(edition: str) -> str:
    with open(os.path.join(edition, "edition.yaml"), encoding="utf-8") as f:
        index = yaml.safe_load(f)
    out = ['#set document(title: "' + escape(index.get("title", {}).get("en", edition)) + '")',
           '#set page(paper: "a4", margin: (x: 15mm, top: 15mm, bottom: 18mm), columns: 2)',
           '#set text(font: ("Noto Sans", "Noto Sans HK"), size: 9pt, lang: "en")',
           "#set par(justify: true, leading: 0.65em)", ""]
    for number, name in enumerate(index.get("pages", []), start=1):
        with open(os.path.join(edition, name), encoding="utf-8") as f:
            page = yaml.safe_load(f)
        if number > 1:
            out.append("#pagebreak()")
        out += ["= " + bilingual(page.get("title"), " "), ""]
        depth = [1]
        for block in page.get("blocks", []):
            for item in block.get("elements", []):
                for kind, body in item.items():
                    out += element(kind, body, depth)
        for note in page.get("footnotes", []) or []:
            out += [f"#text(size: 7pt)[{escape(note.get('marker', ''))} {bilingual(note.get('text'))}]", ""]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compile", action="store_true", help="compile SOURCE.typ to OUT.pdf with Typst")
    parser.add_argument("source")
    parser.add_argument("output")
    args = parser.parse_args()
    if args.compile:
        import typst  # the bench extra: pip install -e '.[bench]'

        typst.compile(args.source, output=args.output, font_paths=[FONT_DIR], ignore_system_fonts=True,
                      pdf_standards=["ua-1"])
        return
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(typst_source(args.source))


if __name__ == "__main__":
    sys.exit(main())
