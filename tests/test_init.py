"""`highlight init`: a project from the package's defaults, and what a project that lacks a file is told (issue 26)."""
from __future__ import annotations

import os
import shutil

from conftest import ROOT, run_cli, shared_fonts_cache

FILES = ["layout/page.yaml", "layout/styles.yaml", "layout/templates.yaml", "fonts/fonts.yaml",
         "profiles/profiles.yaml"]


def test_init_makes_a_project_that_builds_and_says_the_next_command(tmp_path, monkeypatch):
    monkeypatch.setenv("HIGHLIGHT_CACHE", shared_fonts_cache(tmp_path / "cache"))
    project = tmp_path / "office"
    code, printed = run_cli(["init", str(project)])
    assert code == 0, printed
    assert "next: cd " in printed and "highlight build content/2022-23" in printed
    for name in FILES + ["content/2022-23/edition.yaml", "schema/page.schema.json", ".gitignore"]:
        assert (project / name).is_file(), name
    with open(os.path.join(ROOT, "layout", "page.yaml"), "rb") as f:
        assert (project / "layout" / "page.yaml").read_bytes() == f.read()
    code, printed = run_cli(["build", str(project / "content" / "2022-23")])
    assert code == 0, printed
    assert (project / "out" / "highlights-2022-23.pdf").read_bytes().startswith(b"%PDF-")
    assert not (project / ".cache" / "fonts").exists()  # the fonts came from the shared cache


def test_a_project_without_its_files_is_told_which_are_missing_and_where_it_was_looked_for(tmp_path, monkeypatch):
    """One run names all of them (not one failed run per file) and the folder taken as the project, and the
    hint's command repairs it."""
    monkeypatch.setenv("HIGHLIGHT_CACHE", shared_fonts_cache(tmp_path / "cache"))
    project = tmp_path / "bare"
    shutil.copytree(os.path.join(ROOT, "content", "2022-23"), project / "content" / "2022-23")
    monkeypatch.chdir(project)
    code, printed = run_cli(["build", "content/2022-23"])
    assert code == 2, printed
    for name in FILES:
        assert f"{name} is missing from the project {project}" in printed.replace(os.sep, "/"), printed
    assert "copy the file in instead of linking it" not in printed
    assert f"`highlight init {project}`" in printed
    assert run_cli(["init", str(project)])[0] == 0  # what the hint says
    code, printed = run_cli(["build", "content/2022-23"])
    assert code == 0, printed


def test_init_never_replaces_a_file_and_starts_from_an_edition_given(tmp_path):
    project = tmp_path / "office"
    (project / "layout").mkdir(parents=True)
    (project / "layout" / "page.yaml").write_text("# ours\n", encoding="utf-8")
    code, printed = run_cli(["init", str(project), "--from", os.path.join(ROOT, "tests", "fixtures", "edition-b")])
    assert code == 0, printed
    assert (project / "layout" / "page.yaml").read_text(encoding="utf-8") == "# ours\n"
    assert "kept as they were: 1" in printed
    assert (project / "content" / "edition-b" / "edition.yaml").is_file()
    assert (project / "content" / "edition-b" / "layout").is_dir()  # the edition's own layout came along
    assert "highlight build content/edition-b" in printed
    assert not (project / "content" / "2022-23").exists()


def test_init_from_a_folder_that_is_no_edition_is_refused(tmp_path):
    code, printed = run_cli(["init", str(tmp_path / "p"), "--from", str(tmp_path)])
    assert code == 2 and "error[no-edition]" in printed and "Traceback" not in printed
    assert not (tmp_path / "p").exists()


def test_a_missing_input_file_is_not_told_to_copy_it_in_instead_of_linking_it(tmp_path):
    from conftest import make_edition

    folder = make_edition(tmp_path, "page: 1\n")
    edition = os.path.join(folder, "edition.yaml")
    with open(edition, encoding="utf-8") as f:
        text = f.read()
    with open(edition, "w", encoding="utf-8") as f:
        f.write(text.replace("pages: [p1.yaml]", "pages: [p9.yaml]"))
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf")])
    assert code == 2 and "p9.yaml" in printed, printed
    assert "linking" not in printed
