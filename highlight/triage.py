"""What a run prints of its diagnostics, so that the ones that matter are read rather than scrolled past.

Every error is printed, in the order found. Warnings and notes are printed grouped by kind (their code),
the first SHOWN_PER_KIND of each kind, then one line saying how many more there are (`-v` prints every
one); a machine format (--json, --format github) always gets every diagnostic. The summary line counts
warnings by kind ("67 unreviewed, 6 qr-placeholder") and the design decisions the layout took on its own:
figure styles stepped down to fit (copyfit) and frames widened, as "3 fitted".
"""
from __future__ import annotations

from collections import Counter

from .diagnostics import Diagnostic, Diagnostics, Severity

SHOWN_PER_KIND = 3  # warnings (and notes) of one kind printed without -v: enough to see what they are about


def plural(count: int, word: str) -> str:
    """'1 warning', '2 warnings'."""
    return f"{count} {word}" + ("" if count == 1 else "s")


def kinds(items: list[Diagnostic]) -> str:
    """'67 unreviewed, 6 qr-placeholder': the kinds by count, most first (then by name)."""
    counts = Counter(d.code for d in items)
    return ", ".join(f"{n} {code}" for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def shown(diags: Diagnostics, verbose: bool) -> list[Diagnostic | str]:
    """What to print, in order: every error; then the warnings, then the notes, by kind in the order a kind
    first appeared, at most SHOWN_PER_KIND of a kind unless `verbose`, with a line for the rest."""
    errors = [d for d in diags.items if d.severity >= Severity.ERROR]
    out: list[Diagnostic | str] = list(errors)
    for severity, word in ((Severity.WARNING, "warning"), (Severity.NOTE, "note")):
        groups: dict[str, list[Diagnostic]] = {}
        for d in diags.items:
            if d.severity == severity:
                groups.setdefault(d.code, []).append(d)
        for code, group in groups.items():
            keep = group if verbose else group[:SHOWN_PER_KIND]
            out.extend(keep)
            if len(group) > len(keep):
                out.append(f"  … and {plural(len(group) - len(keep), f'more {code} {word}')} (-v lists every one)")
    return out


def fitted(pages: list) -> tuple[int, str]:
    """How many design decisions the layout took to fit (figure styles stepped down, frames widened) and a
    short account of them ('2 copyfit steps, 1 frame widened'), from the laid-out pages."""
    steps = sum(len(getattr(page, "copyfit", ())) for page in pages)
    widened = sum(len(getattr(page, "widened", ())) for page in pages)
    parts = ([plural(steps, "copyfit step")] if steps else []) + ([plural(widened, "frame") + " widened"]
                                                                   if widened else [])
    return steps + widened, ", ".join(parts)


def summary(result, seconds: float, verb: str = "") -> str:
    """The one line a run ends with: what was laid out and written, errors and warnings counted by kind, what
    was fitted, the time and where the PDF went."""
    from .diagnostics import PATH_LIMIT
    from .diagnostics import shown as shown_text

    diags = result.diagnostics
    errors = [d for d in diags.items if d.severity >= Severity.ERROR]
    warnings = [d for d in diags.items if d.severity == Severity.WARNING]
    notes = diags.count(Severity.NOTE)
    failed = bool(errors) or not result.output
    if failed:
        laid = getattr(result, "laid_out", 0)
        head = f"{plural(laid, 'page')} laid out, 0 written" if laid else "nothing laid out"
        where = "nothing written" + (", the last good PDF is kept" if verb else "")
    else:
        head = f"{plural(len(result.pages), 'page')}, {plural(result.fonts, 'font')}"
        where = shown_text(result.output, PATH_LIMIT) + (f" (preview, {result.preview}: not for print)"
                                                         if result.preview else "")
    parts = [head, plural(len(errors), "error") + (f" ({kinds(errors)})" if errors else ""),
             plural(len(warnings), "warning") + (f" ({kinds(warnings)})" if warnings else "")]
    if notes:
        parts.append(plural(notes, "note"))
    count, _ = fitted(result.pages if not failed else [])
    if count:
        parts.append(f"{count} fitted")
    return f"highlight: {verb}" + ", ".join(parts) + f", {seconds:.2f} s → {where}"


__all__ = ["SHOWN_PER_KIND", "fitted", "kinds", "plural", "shown", "summary"]
