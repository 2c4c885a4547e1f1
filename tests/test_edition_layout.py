"""Each edition keeps its layout (issue 14, item 2).

content/<edition>/layout/*.yaml is merged over layout/*.yaml for that edition only: mappings key by
key, lists and scalars replaced. Changing next year's layout never changes last year's PDF.
"""
from __future__ import annotations

import os
from pathlib import Path

from conftest import copy_project, run_cli

from highlight.build import BuildOptions, BuildSession, build, load_inputs
from highlight.diagnostics import Diagnostics


def _second_edition(project: Path, name: str = "2023-24") -> Path:
    """Next year's edition, started as the office starts it."""
    cwd = os.getcwd()
    os.chdir(project)
    try:
        assert run_cli(["new", name, "--from", "2022-23"])[0] == 0
    finally:
        os.chdir(cwd)
    return project / "content" / name


def _override(edition: Path, name: str, text: str) -> Path:
    (edition / "layout").mkdir(exist_ok=True)
    path = edition / "layout" / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_edition_layout_is_merged_over_the_shared_one_key_by_key(tmp_path):
    project = copy_project(tmp_path)
    edition = _second_edition(project)
    _override(edition, "styles.yaml", "styles:\n  stat-figure:\n    size_pt: 20\n")
    _override(edition, "templates.yaml", "templates:\n  p1:\n    frames:\n      subjects: {gap: section}\n")
    _override(edition, "page.yaml", "qr_size_mm: 24\n")
    _, merged, _ = load_inputs(str(edition), Diagnostics())
    _, shared, _ = load_inputs(str(project / "content" / "2022-23"), Diagnostics())
    # The overridden values, and beside them every other value of the same mapping kept.
    assert merged.style("stat-figure", "en").size_pt == 20 and shared.style("stat-figure", "en").size_pt == 26
    assert merged.style("stat-figure", "en").leading_pt == shared.style("stat-figure", "en").leading_pt
    assert merged.style("stat-figure", "en").weight == "bold"
    frame, old = merged.templates["p1"].frames["subjects"], shared.templates["p1"].frames["subjects"]
    assert frame.gap == "section" and old.gap == "tight"
    assert (frame.col, frame.span, frame.below, frame.panel) == (old.col, old.span, old.below, old.panel)
    assert merged.qr_size_mm == 24 and merged.geometry.grid == shared.geometry.grid
    # Lists are replaced whole, not merged item by item.
    _override(edition, "templates.yaml", "templates:\n  p1:\n    frames:\n      subjects: {below: [intro]}\n")
    _, merged, _ = load_inputs(str(edition), Diagnostics())
    assert merged.templates["p1"].frames["subjects"].below == ("intro",)


def test_a_problem_in_an_override_is_reported_at_its_own_file_and_line(tmp_path):
    project = copy_project(tmp_path)
    edition = _second_edition(project)
    path = _override(edition, "styles.yaml", "# next year's figures\nstyles:\n  stat-figure:\n    size_pt: 20\n"
                                             "    leading_pt: 27\n")
    code, printed = run_cli(["build", str(edition), "-o", str(tmp_path / "x.pdf")])
    assert code == 1, printed
    # 27 pt is not a whole number of 2 pt grid steps: the line is the override's, not styles.yaml's.
    assert f"{path}:5:17 (styles.stat-figure.leading_pt): error[" in printed, printed
    _override(edition, "styles.yaml", "styles:\n  stat-figure:\n    sise_pt: 22\n")
    code, printed = run_cli(["build", str(edition), "-o", str(tmp_path / "x.pdf")])
    assert code == 1 and f"{path}:3:5 (styles.stat-figure.sise_pt): error[unknown-key]" in printed, printed
    (edition / "layout" / "styles.yaml").unlink()
    _override(edition, "style.yaml", "styles: {}\n")
    code, printed = run_cli(["build", str(edition), "-o", str(tmp_path / "x.pdf")])
    assert code == 2 and "error[layout-override-unknown]" in printed and "style.yaml" in printed, printed
    assert not (tmp_path / "x.pdf").exists()


def test_changing_next_years_layout_never_changes_last_years_pdf(tmp_path):
    project = copy_project(tmp_path)
    last_year = str(project / "content" / "2022-23")
    assert not build(BuildOptions(last_year, str(tmp_path / "before.pdf"))).diagnostics.has_errors()
    edition = _second_edition(project)
    # (a size with its leading: 1.3 × on the 2 pt grid, styles.yaml's min_leading)
    _override(edition, "styles.yaml", "styles:\n  stat-figure:\n    size_pt: 20\n    leading_pt: 28\n"
                                      "  body: {colour: muted}\n")
    next_before = tmp_path / "next-before.pdf"
    assert not build(BuildOptions(str(edition), str(next_before))).diagnostics.has_errors()
    _override(edition, "styles.yaml", "styles:\n  stat-figure:\n    size_pt: 15\n    leading_pt: 20\n")
    next_after = tmp_path / "next-after.pdf"
    assert not build(BuildOptions(str(edition), str(next_after))).diagnostics.has_errors()
    assert not build(BuildOptions(last_year, str(tmp_path / "after.pdf"))).diagnostics.has_errors()
    assert next_before.read_bytes() != next_after.read_bytes()  # the override did change next year's
    assert (tmp_path / "after.pdf").read_bytes() == (tmp_path / "before.pdf").read_bytes()


def test_a_session_and_the_line_store_follow_an_edited_override(tmp_path):
    """`watch` keeps parsed files, laid-out pages and set lines: after an override changes, the PDF is the
    one a fresh process with no store would write."""
    project = copy_project(tmp_path)
    edition = _second_edition(project)
    session = BuildSession()
    assert not session.build(BuildOptions(str(edition), str(tmp_path / "a.pdf"))).diagnostics.has_errors()
    path = _override(edition, "styles.yaml", "styles:\n  body:\n    colour: muted\n")
    result = session.build(BuildOptions(str(edition), str(tmp_path / "b.pdf")))
    assert not result.diagnostics.has_errors()
    fresh = BuildSession()
    fresh.defer_line_store = True  # and never saved
    fresh._restore_lines = lambda *args: _no_store(fresh, tmp_path, *args[3:])  # set every paragraph afresh
    assert not fresh.build(BuildOptions(str(edition), str(tmp_path / "c.pdf"))).diagnostics.has_errors()
    assert (tmp_path / "b.pdf").read_bytes() == (tmp_path / "c.pdf").read_bytes()
    assert (tmp_path / "a.pdf").read_bytes() != (tmp_path / "b.pdf").read_bytes()
    # and a process started after the edit, with the store the session wrote, agrees too
    code, printed = run_cli(["build", str(edition), "-o", str(tmp_path / "d.pdf")])
    assert code == 0 and (tmp_path / "d.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes(), printed
    assert path.is_file()


def _no_store(session, tmp_path, words=frozenset()):
    from highlight.text import TextSetter

    session.lines.setter = TextSetter(session.fonts.fonts, words=words)  # (the edition's words, as the build passes them)
    session.lines.setter.used, session.lines.setter.fresh = {}, 0
    return str(tmp_path / "unused-store.pickle"), session.lines.setter


def test_new_records_the_layout_the_edition_was_made_with_and_carries_its_overrides(tmp_path):
    project = copy_project(tmp_path)
    last_year = project / "content" / "2022-23"
    _override(last_year, "page.yaml", "qr_size_mm: 22\n")
    edition = _second_edition(project)
    text = (edition / "edition.yaml").read_text(encoding="utf-8")
    import hashlib

    digest = hashlib.sha256()
    for name in ("page.yaml", "styles.yaml", "templates.yaml"):
        digest.update(name.encode() + b"\0" + (project / "layout" / name).read_bytes())
        if (last_year / "layout" / name).exists():
            digest.update(b"override\0" + (last_year / "layout" / name).read_bytes())
    assert f"# layout: made from 2022-23 with layout/ and content/2022-23/layout/ (sha256 {digest.hexdigest()[:16]} " \
        in text, text
    assert "content/2023-24/layout/" in text
    # The edition it was made from had its own layout: the new one starts with the same, so it looks the same.
    assert (edition / "layout" / "page.yaml").read_text(encoding="utf-8") == "qr_size_mm: 22\n"
    _, layout, _ = load_inputs(str(edition), Diagnostics())
    assert layout.qr_size_mm == 22


def test_small_text_in_more_than_one_ink_is_a_located_warning_and_the_stock_styles_have_none(tmp_path):
    """DESIGN.md: small text in one ink. A style under typography.one_ink_below_pt in a colour of several inks
    (the navy is four) is a warning at its colour in styles.yaml, with the fix; the stock layout has none
    (its table captions, table figures, badges and folio numbers were 8 pt navy)."""
    from conftest import project_with

    code, printed = run_cli(["build", "content/2022-23", "-o", str(tmp_path / "stock.pdf")])
    assert code == 0 and "small-text-inks" not in printed, printed
    edition = project_with(tmp_path / "p", "layout/styles.yaml", "  table-label:\n    weight: regular\n    colour: text",
                           "  table-label:\n    weight: regular\n    colour: primary")
    code, printed = run_cli(["build", edition, "-o", str(tmp_path / "navy.pdf"), "--strict"])
    assert code == 1, printed  # a warning: --strict fails on it
    line = next(ln for ln in printed.splitlines() if "small-text-inks" in ln)
    assert "layout/styles.yaml:" in line and "(styles.table-label.colour)" in line and "4 inks" in line, line
    assert "hint: give it the colour text" in printed
