"""`highlight new`: next year's edition starts from this year's and builds at once, with warnings only."""
from __future__ import annotations

import os
import re

from conftest import copy_project, run_cli

from highlight.build import BuildOptions, build
from highlight.diagnostics import exit_code


def _project(tmp_path):
    return copy_project(tmp_path)


def test_a_new_edition_builds_with_a_warning_per_unreviewed_figure(tmp_path, monkeypatch):
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    code, printed = run_cli(["new", "2023-24", "--from", "2022-23"])
    assert code == 0, printed
    marked = int(re.search(r"; (\d+) elements and footnotes", printed).group(1))
    assert marked > 50
    folder = project / "content" / "2023-24"
    edition = (folder / "edition.yaml").read_text(encoding="utf-8")
    assert 'edition: "2023-24"' in edition and "Annual Highlights 2023-24" in edition and '"2024-06-30"' in edition
    # The readings of last year's open questions travel with the data.
    assert "JUDGEMENT CALL" in (folder / "p3-international-community.yaml").read_text(encoding="utf-8")
    result = build(BuildOptions(str(folder), str(tmp_path / "new.pdf")))
    unreviewed = [d for d in result.diagnostics.items if d.code == "unreviewed"]
    assert len(unreviewed) == marked
    assert exit_code(result.diagnostics) == 0 and exit_code(result.diagnostics, strict=True) == 1
    assert {d.code for d in result.diagnostics.items} == {"unreviewed", "qr-placeholder", "image-placeholder"}
    # Every figure of the edition sits in a marked element: no stat, ranking or breakdown is unmarked.
    text = "".join(p.read_text(encoding="utf-8") for p in folder.glob("p*.yaml"))
    assert text.count("figure:") + text.count("rank:") + text.count("total:") <= marked


def test_clearing_the_review_flags_silences_the_warnings(tmp_path, monkeypatch):
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    assert run_cli(["new", "2023-24", "--from", "2022-23"])[0] == 0
    folder = project / "content" / "2023-24"
    for page in folder.glob("p*.yaml"):
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"^\s*review: true\n", "", text, flags=re.MULTILINE).replace("review: true, ", "")
        page.write_text(text, encoding="utf-8")
    result = build(BuildOptions(str(folder), str(tmp_path / "new.pdf")))
    assert {d.code for d in result.diagnostics.items} == {"qr-placeholder", "image-placeholder"}


def test_new_refuses_to_overwrite_an_edition(tmp_path, monkeypatch):
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    code, printed = run_cli(["new", "2022-23", "--from", "2022-23"])
    assert code == 2 and "error[edition-exists]" in printed
    code, printed = run_cli(["new", "2023-24", "--from", "1999-00"])
    assert code == 2 and "error[no-edition]" in printed
    assert sorted(os.listdir(project / "content")) == ["2022-23"]


def test_new_takes_editions_by_path_as_build_does(tmp_path, monkeypatch):
    # `highlight build content/2022-23` names an edition by its path; `new` takes the same spelling.
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    code, printed = run_cli(["new", "2023-24", "--from", "content/2022-23/"])
    assert code == 0, printed
    assert (project / "content" / "2023-24" / "edition.yaml").is_file()
    code, printed = run_cli(["new", "content/2024-25", "--from", "content/2022-23"])
    assert code == 0, printed
    assert sorted(os.listdir(project / "content")) == ["2022-23", "2023-24", "2024-25"]
    # A new edition elsewhere than beside its source is still refused, saying why.
    code, printed = run_cli(["new", "elsewhere/2025-26", "--from", "content/2022-23"])
    assert code == 2 and "error[bad-edition-name]" in printed and "path separator" in printed
