"""The typography report: what a bilingual designer checks, counted on every laid-out line.

Per page: runts (a paragraph ending on one or two ideographs, or on one short
English word), loose lines (word spaces stretched past 1.5 × by
justification, or Chinese gaps past 0.15 em), hyphenated lines, compressed
punctuation, rule breaks (a line starting or ending against the line-breaking
rules, a Latin comma or quote against a Chinese character, a typewriter quote
where a typographic one belongs), lines of the
body off the page's baseline grid, frames that overflowed, and underfull space:
a page whose content ends well above its foot (its gaps could stretch no
further, as TeX calls a box underfull) or a fixed-height frame left half empty.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .diagnostics import Diagnostics, SourceRef
from .layout import LaidOutPage, TextLine
from .layout_spec import MM
from .text import NO_LINE_END, NO_LINE_START, is_cjk, is_runt

# A Latin comma, stop, colon or quote against a Chinese character, where Chinese takes the full-width one.
LATIN_PUNCTUATION_IN_CHINESE = re.compile(r"(?<=[\u3400-\u9fff])[,.;:!?\"']|[,.;:!?\"'](?=[\u3400-\u9fff])")
# A typewriter quote where the printed source always has a typographic one (’ “ ”).
STRAIGHT_QUOTE = re.compile(r"['\"]")
MAX_SPACE_RATIO = 1.5
MAX_GAP_EM = 0.15
OFF_THE_BODY = ("title-band", "folio")  # text not on the body's baseline grid by design


@dataclass
class PageTypography:
    page: int
    ref: SourceRef | None = None
    lines: int = 0
    runts: list = field(default_factory=list)
    loose: list = field(default_factory=list)
    tight: list = field(default_factory=list)  # tracked tighter, within the style's limit (not a fault)
    hyphenated: list = field(default_factory=list)
    compressed: int = 0
    hanging: int = 0  # lines whose final ，。、 hangs past the measure
    rule_breaks: list = field(default_factory=list)
    off_grid: list = field(default_factory=list)  # body lines whose baseline misses the baseline grid
    overfull_frames: list = field(default_factory=list)
    underfull: list = field(default_factory=list)  # "page foot: 18.6 mm unfilled", "frame 'x': …"


def _is_runt(item: TextLine) -> bool:
    index, count = item.line.position
    return count >= 2 and index == count - 1 and is_runt("".join(r.text for r in item.line.runs if not r.rise_pt))


def report(pages: list[LaidOutPage]) -> list[PageTypography]:
    out = []
    for page in pages:
        counts = PageTypography(page.number, page.ref)
        for item in page.items:
            if not isinstance(item, TextLine) or item.frame in ("folio",):
                continue
            line = item.line
            text = line.text.strip()
            counts.lines += 1
            counts.compressed += line.compressed
            counts.hanging += line.hang_pt > 0
            if _is_runt(item):
                counts.runts.append((item, text))
            # Word spaces judge an English line; a line with Chinese gaps is judged by the gaps.
            if (not line.gap_em and line.space_ratio > MAX_SPACE_RATIO) or line.gap_em > MAX_GAP_EM:
                counts.loose.append((item, f"{text[:30]}… spaces ×{line.space_ratio:.2f}, gaps {line.gap_em:.2f} em"))
            if line.gap_em < 0:
                counts.tight.append((item, f"{text[:30]}… gaps {line.gap_em * 1000:.1f}/1000 em"))
            if line.ends_with_hyphen:
                counts.hyphenated.append((item, text))
            if text and ((text[0] in NO_LINE_START and is_cjk(text[0])) or text[-1] in NO_LINE_END):
                counts.rule_breaks.append((item, text))
            if item.lang == "zh" and LATIN_PUNCTUATION_IN_CHINESE.search(text):
                counts.rule_breaks.append((item, f"Latin punctuation in Chinese: {text}"))
            elif STRAIGHT_QUOTE.search(text):
                counts.rule_breaks.append((item, f"a straight quote where ’ “ ” belong: {text}"))
            if item.frame not in OFF_THE_BODY and not page.on_grid(item.baseline_pt):
                offset = (item.baseline_pt - page.grid_top_pt) % page.grid_pt
                counts.off_grid.append((item, f"{text[:30]}… {offset:.2f} pt below a grid line"))
        counts.overfull_frames = [f.name for f in page.frames if f.used_pt > f.height_pt + 0.5]
        if page.underfull_pt and page.foot_gap_pt > page.underfull_pt:
            counts.underfull.append(f"page foot: {page.foot_gap_pt / MM:.1f} mm unfilled")
        counts.underfull += [f"frame '{f.name}': {(f.height_pt - f.used_pt) / MM:.1f} mm unfilled" for f in page.frames
                             if f.fixed and f.used_pt and f.height_pt - f.used_pt > page.underfull_pt]
        out.append(counts)
    return out


def add_diagnostics(pages: list[PageTypography], diags: Diagnostics) -> None:
    """A warning per rule broken (errors under --strict come from the exit code)."""
    for page in pages:
        for item, text in page.runts:
            diags.warning("typo-runt", f"the paragraph ends on a runt: '{text}'", item.ref, page=page.page,
                          hint="reword, or let the frame be a little wider or narrower")
        for item, text in page.loose:
            diags.warning("typo-loose", f"a loose line: {text}", item.ref, page=page.page,
                          hint="a justified line stretched past the limit; reword or change the measure")
        for item, text in page.rule_breaks:
            diags.warning("typo-rule", f"a line starts or ends against the line-breaking rules: '{text}'", item.ref,
                          page=page.page)
        for item, text in page.off_grid:
            diags.warning("typo-off-grid", f"a line off the baseline grid: {text}", item.ref, page=page.page,
                          hint="leadings and the page's fit decide this; see the off-grid warning of the build")
        for text in page.underfull:
            diags.warning("typo-underfull", f"underfull: {text}, more than the gaps could take up", page.ref,
                          page=page.page, hint="set larger styles on the page (template styles:), let gaps grow "
                          "more (max_gap_stretch_mm in layout/page.yaml), or add content")


# The report's columns: a heading and the count it shows for one page (a list field counts its findings).
_COLUMNS = [("lines", "lines"), ("runts", "runts"), ("loose", "loose"), ("tight", "tight"),
            ("hyphenated", "hyphenated"), ("compressed", "compressed"), ("hanging", "hanging"),
            ("rule-breaks", "rule_breaks"), ("off-grid", "off_grid"), ("underfull", "underfull")]


def _counts(p: PageTypography) -> list:
    values = [getattr(p, name) for _, name in _COLUMNS]
    return [len(v) if isinstance(v, list) else v for v in values]


def table(pages: list[PageTypography]) -> str:
    def row(first: str, values: list, frames: str) -> str:
        cells = "  ".join(f"{v:>{len(heading)}}" for v, (heading, _) in zip(values, _COLUMNS))
        return f"{first:<5} {cells}  {frames:>15}"

    rows = [row("page", [heading for heading, _ in _COLUMNS], "overfull-frames")]
    rows += [row(f"{p.page:>4}", _counts(p), ", ".join(p.overfull_frames) or "-") for p in pages]
    totals = [sum(column) for column in zip(*(_counts(p) for p in pages))] if pages else [0] * len(_COLUMNS)
    rows.append(row("total", totals, str(sum(len(p.overfull_frames) for p in pages))))
    return "\n".join(rows)


def as_dict(pages: list[PageTypography]) -> list[dict]:
    """Per page, each column's findings as text (a count where the column is a count)."""
    def texts(value):
        return [v if isinstance(v, str) else v[1] for v in value] if isinstance(value, list) else value

    return [{"page": p.page, **{name: texts(getattr(p, name)) for _, name in _COLUMNS},
             "overfull_frames": p.overfull_frames} for p in pages]
