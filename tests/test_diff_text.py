"""`highlight diff` shows words and figures as a reader sees them (issue 14, item 9): no spaces between Han
characters, "48th" whole, figures whole, a footnote marker against its word."""
from __future__ import annotations

from conftest import copy_project, run_cli

from highlight.check import shown_tokens
from highlight.visual_diff import diff_pdfs


def _edited(tmp_path, edits: list[tuple[str, str]]) -> str:
    copy_project(tmp_path)
    path = tmp_path / "content" / "2022-23" / "p1-research-power.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "edited.pdf"
    code, printed = run_cli(["build", str(tmp_path / "content" / "2022-23"), "-o", str(out)])
    assert code == 0, printed
    return str(out)


def test_diff_shows_chinese_unspaced_and_ordinals_whole(built, tmp_path):
    new = _edited(tmp_path, [("登上數據分析機構科睿唯安", "登上數據分析公司科睿唯安"),
                             ("all 19 HKUST teams** at the 48th", "all 19 HKUST teams** at the 47th")])
    changes = diff_pdfs(built[1], new)
    assert [c.number for c in changes] == [1]
    removed, added = changes[0].removed, changes[0].added
    assert "機構" in removed and "公司" in added, (removed, added)
    assert "48th" in removed and "47th" in added, (removed, added)
    assert not [w for w in removed + added if "機 構" in w or "47 th" in w]
    _code, printed = run_cli(["diff", built[1], new])
    assert "  - 機構\n" in printed and "  + 公司\n" in printed and "  - 48th\n" in printed, printed


def test_tokens_are_shown_with_the_spacing_a_reader_sees():
    def shown(text):
        return shown_tokens(text)
    # Han characters on two lines of the page (two pieces): read as one word.
    assert shown("數據分析\n機構") == "數據分析機構"
    assert shown("香港科技大學 HKUST") == "香港科技大學 HKUST"
    # a line break between English words is a space; before a superscript marker or punctuation, nothing
    assert shown("annual highlight\n*\n, we look") == "annual highlight*, we look"
    assert shown("with HK$276M (+31.2% YoY) from Hong\nKong’s") == "with HK$276M (+31.2% YoY) from Hong Kong’s"
    assert shown("the 47th time") == "the 47th time"
    assert shown("前 \n50 \n家研究機\n構") == "前 50 家研究機構"


def test_check_names_the_changed_words_the_same_way():
    from highlight.check import word_diff

    page = "香港唯一一所大學登上數據分析\n公司科睿唯安 at the 47th International"
    assert word_diff("香港唯一一所大學登上數據分析機構科睿唯安 at the 48th International", page) == "-機構 +公司; -48th +47th"
