"""Two folders, one edition name (issue 14, item 10): the output is named after the folder, so two copies
of an edition never overwrite each other's PDF."""
from __future__ import annotations

import re
import shutil

from conftest import copy_project, run_cli


def test_two_folders_with_one_edition_name_build_to_two_pdfs(tmp_path, monkeypatch):
    project = copy_project(tmp_path)
    monkeypatch.chdir(project)
    draft = project / "content" / "2022-23-draft"
    shutil.copytree(project / "content" / "2022-23", draft)
    page = draft / "p7-growth-continued.yaml"
    page.write_text(page.read_text(encoding="utf-8").replace("officially opened", "officially launched"),
                    encoding="utf-8")
    assert re.search(r'^edition: "2022-23"', (draft / "edition.yaml").read_text(encoding="utf-8"), re.MULTILINE)
    code, printed = run_cli(["build", "content/2022-23"])
    assert code == 0 and printed.splitlines()[-1].endswith("out/highlights-2022-23.pdf"), printed
    code, printed = run_cli(["build", "content/2022-23-draft"])
    assert code == 0 and printed.splitlines()[-1].endswith("out/highlights-2022-23-draft.pdf"), printed
    final, draft_pdf = project / "out" / "highlights-2022-23.pdf", project / "out" / "highlights-2022-23-draft.pdf"
    assert final.read_bytes() != draft_pdf.read_bytes()
    # check and proof find each folder's own PDF
    assert run_cli(["check", "content/2022-23-draft"])[0] == 0
    code, printed = run_cli(["proof", "content/2022-23-draft", "--pages", "7", "--dpi", "36"])
    assert code == 0 and (project / "out" / "proof" / "2022-23-draft" / "page-07.png").is_file(), printed
    assert not (project / "out" / "proof" / "2022-23").exists()
