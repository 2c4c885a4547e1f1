"""The stats of one row or panel built one way (stat-anatomy-mixed): a check of the content, said by every build.
(Here, not in typography.py, the `--report`'s module: a build without --report does not load that one.)"""
from __future__ import annotations

from ..diagnostics import Diagnostics
from ..model import Stat


def mixed_anatomy_findings(edition, layout, diags: Diagnostics) -> None:
    """Stats of one row or panel built one way (designer's review of df673b1, item 4: edition-b's page 7 panel,
    "85+ alliances" with its words as a unit on the figure line beside two cells with bold labels): the stats of a
    block (a frame, its cells a row or a panel) and of the frames of one row of tiles (a template's align_rows)
    in more than typography.max_stat_forms_per_row forms are a located warning at each stat built otherwise
    than most of them (stat-anatomy-mixed). Read from the content: every build says it, not only --report."""
    limit = layout.geometry.typography.max_stat_forms_per_row
    for page in edition.pages:
        frames = layout.templates[page.template].frames if page.template in layout.templates else {}
        groups: dict = {}
        for block in page.blocks:
            frame = frames.get(block.frame)
            key = ("row", frame.align_rows) if frame is not None and frame.align_rows else ("frame", block.frame)
            groups.setdefault(key, []).extend(e for e in block.elements if isinstance(e, Stat))
        for stats in groups.values():
            forms: dict = {}
            for stat in stats:
                forms.setdefault(_stat_form(stat), []).append(stat)
            if len(forms) <= limit:
                continue
            common = max(forms, key=lambda f: (len(forms[f]), f == "label"))
            said = {"label": "words of its own saying what it counts (a bold label, its note's bold lead, a lead-in)",
                    "unit": "no words of its own saying what it counts, only a unit on its figure line or a plain note"}
            for form, odd in forms.items():
                for stat in odd if form != common else ():
                    others = ", ".join(f"'{s.figure}'" for s in forms[common])
                    diags.warning("stat-anatomy-mixed", f"the stat '{stat.figure}' has {said[form]}, beside "
                                  f"{others} in the same row with {said[common]}: {len(forms)} forms of a stat in "
                                  f"one row or panel (limit {limit})", stat.ref, page=page.number,
                                  hint="build the row's stats one way: give it a label: {en: \"...\"} (the words "
                                  "that say what the figure counts, bold) and its Chinese twin in bold in its note "
                                  "(**...**), as the stats beside it" if common == "label" else
                                  "build the row's stats one way: give the stats beside it words of their own too "
                                  "(a label: {en: \"...\"} and its Chinese twin in bold in the note, **...**), or "
                                  "write this one's words as they do")


def _stat_form(stat: Stat) -> str:
    """How a stat says what its figure counts: in words of their own, English and Chinese (its label; the bold
    words its note opens with, page 5's "**in financial aid** offered to…"; its lead-in over the figure, page 2's
    "with a total economic impact of"), or in none: its words the figure's unit alone on the figure line and a plain
    note (edition-b's "85+ alliances")."""
    def said(text) -> bool:
        return text is not None and bool(text.en or text.zh or text.mixed)

    if said(stat.label) or said(stat.lead):
        return "label"
    if stat.note is not None and any("**" in (t or "") for t in (stat.note.en, stat.note.zh, stat.note.mixed)):
        return "label"
    return "unit"
