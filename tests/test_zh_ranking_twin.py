"""A ranking's Chinese line that carries its source and its title's twin in one (Chinese review of main df673b1, p4):
2022-23 writes it in source.zh beside an English-only title (set 8 pt, under the 8.5 pt English title), edition-b in
title.zh with no bold run (set 8.5 pt bold throughout, its source part bold beside the regular English source). Both
authorings print one paragraph: the twin bold at the title's size, the source's words regular, the twin on a line of its
own where the source's words fit on one, and those words then at the source's size, as the English source under the
English title (designer's review 27, item 9: 8.5 pt beside the English source's 8). A title.zh naming its source with
no bold run is a located warning."""
from __future__ import annotations

import os

from conftest import EDITION, project_with, run_cli

from highlight.build import BuildOptions, build
from highlight.layout.items import TextLine

P4 = "content/2022-23/p4-global-recognition.yaml"
AS_SOURCE = ('title: {en: "World’s Top 1400+ Universities"}\n'
             '          source: {en: "QS World University Rankings 2024", '
             'zh: "2024《QS 全球大學排名》**世界頂尖 1400+ 所大學**排名榜"}')
AS_TITLE = ('title: {en: "World’s Top 1400+ Universities", zh: "2024《QS 全球大學排名》**世界頂尖 1400+ 所大學**排名榜"}\n'
            '          source: {en: "QS World University Rankings 2024"}')


def _chinese_lines(folder: str, out: str) -> list:
    """Page 4's Chinese lines of the #60 ranking: (baseline, x, text, [(face, size) of each inked run])."""
    result = build(BuildOptions(folder, out))
    page = next(p for p in result.pages if p.number == 4)
    lines = [item for item in page.items if isinstance(item, TextLine) and item.lang == "zh"
             and item.ref.yaml_path.startswith("blocks[1].elements[2]")]
    return [(round(line.baseline_pt, 2), round(line.x_pt, 2), line.line.text.strip(),
             [(run.face, run.size_pt) for run in line.line.runs if run.text.strip()]) for line in lines]


def test_both_authorings_of_the_title_twin_print_one_line(tmp_path):
    layout_title, layout_source = 8.5, 8.0  # layout/styles.yaml rank-title, rank-source size_pt
    as_source = _chinese_lines(project_with(tmp_path / "a", P4, AS_SOURCE, AS_SOURCE), str(tmp_path / "a.pdf"))
    as_title = _chinese_lines(project_with(tmp_path / "b", P4, AS_SOURCE, AS_TITLE), str(tmp_path / "b.pdf"))
    assert as_source == as_title, (as_source, as_title)
    # the source's words regular at the source's size, the twin bold at the title's, starting its own line
    assert [text for _, _, text, _ in as_source] == ["2024《QS 全球大學排名》", "世界頂尖 1400+ 所大學排名榜"]
    assert {size for _, size in as_source[0][3]} == {layout_source}, as_source
    assert {size for _, size in as_source[1][3]} == {layout_title}, as_source
    assert all("bold" not in face for face, _ in as_source[0][3]), as_source
    assert "bold" in as_source[1][3][0][0], as_source


def test_a_title_naming_its_source_without_a_bold_run_is_a_located_warning(tmp_path):
    plain = AS_TITLE.replace("**", "")
    folder = project_with(tmp_path, P4, AS_SOURCE, plain)
    code, output = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf")])
    found = [row for row in output.splitlines() if "warning[ranking-title-twin]" in row]
    assert len(found) == 1, output
    assert "p4-global-recognition.yaml:23:" in found[0] and "ranking.title.zh" in found[0] and "'#60'" in found[0]
    assert "hint: mark the words that translate the English title with **…**" in output
    # the stock editions mark their twins: no warning (edition-b as its author marked it, --strict)
    code, output = run_cli(["build", os.path.join("tests", "fixtures", "edition-b"), "--strict", "-o",
                            str(tmp_path / "y.pdf")])
    assert code == 0 and "ranking-title-twin" not in output, output
    assert "ranking-title-twin" not in run_cli(["build", EDITION, "-o", str(tmp_path / "z.pdf")])[1]
