"""Chinese breaks that carry to the next edition (the Chinese-setting review of edition-b, a stand-in for a
hand-written next edition with no `words:` of its own): the house's words (layout/words.yaml) inherited by every
edition, a name wider than its measure broken nearest its middle, a narrow line not ending with a coverb (予, 於,
為), and the katakana middle dot of a transliterated name set as the Chinese interpunct."""
from __future__ import annotations

import pytest

from highlight.build import load_inputs
from highlight.check import normalise
from highlight.content import Typography, typographic
from highlight.diagnostics import Diagnostics
from highlight.segment import ALLOWED, break_grades
from highlight.text import TextSetter, spans_from_text

EDITION_B = "tests/fixtures/edition-b"  # no words: of its own
# What the review found split in edition-b, and what a next edition will certainly meet.
HOUSE = ("香港研究資助局", "研究資助局", "科睿唯安", "知識轉移", "生成式", "教育及生成式人工智能基金", "港科大（廣州）",
         "創科實習計劃", "泰晤士高等教育", "人工智能", "援助金")


def _setter(setter_and_style, edition_dir: str):
    setter, layout = setter_and_style
    edition, _layout, _ = load_inputs(edition_dir, Diagnostics())
    fresh = TextSetter(setter.fonts)
    fresh.words = frozenset(edition.words)

    def lines(text: str, style: str, em: float) -> list[str]:
        st = layout.style(style, "zh")
        return ["".join(line.text.split()) for line in fresh.set(spans_from_text(text, st, lang="zh"), em * st.size_pt,
                                                                 st.align)]

    return fresh, lines


@pytest.fixture(scope="module")
def edition_b(setter_and_style):
    return _setter(setter_and_style, EDITION_B)


@pytest.fixture(scope="module")
def leaflet(setter_and_style):
    return _setter(setter_and_style, "content/2022-23")


def test_an_edition_without_words_inherits_the_house_words(edition_b, leaflet):
    """edition-b lists no words; the house's names are kept whole all the same (no break graded ALLOWED or
    DISCOURAGED inside one): 科|睿唯安, 知識|轉移, 生成|式 were open to the breaker. And moving the house words
    out of content/2022-23/edition.yaml lost none of the list that edition had."""
    setter, _ = edition_b
    for word in HOUSE:
        assert word in setter.words, word
        grades = break_grades(f"參加{word}的", setter.words)
        assert all(grade != ALLOWED for grade in grades[3:2 + len(word)]), (word, grades)
    before = {"研究資助局", "許可協議", "特區政府", "香港特區政府", "港科大", "科大", "創科", "創科嘉年華", "社會及管治",
              "人工智能", "教育及生成式人工智能基金", "創科實習計劃", "海外交流", "海外留學計劃",
              "數據科學", "香港科技大學", "科睿唯安", "泰晤士高等教育", "金融時報", "日內瓦國際發明展", "凱洛格", "華潤",
              "知識轉移", "噸二氧化碳當量", "二氧化碳當量", "社群", "涵蓋", "廚餘"}
    assert before <= leaflet[0].words


@pytest.mark.parametrize("text, style, em, whole", [
    ("其中HK$3.12億（按年 +13.0%）來自香港研究資助局，另有HK$9,500萬來自業界", "stat-note", 20, "香港研究資助局"),  # p1
    ("為教學人員提供生成式人工智能素養課程", "stat-note", 12, "人工智能"),  # p5: 生成式人工 | 智能
    ("1,015名學生參加創科實習計劃", "stat-note", 11, "創科實習計劃"),  # p5
    ("發放HK$830萬援助金予261位有需要學生，包括緊急援助", "stat-note", 11.5, "援助金"),  # p5: 援助 | 金予
])
def test_edition_b_keeps_the_house_names_whole(edition_b, text, style, em, whole):
    _, lines = edition_b
    set_lines = lines(text, style, em)
    assert any(whole in line for line in set_lines), set_lines


@pytest.mark.parametrize("em", [13, 13.5])
def test_a_name_wider_than_its_cell_breaks_at_its_own_boundary_never_beside_its_connective(edition_b, em):
    """edition-b's fund cell at 13-13.5 ems: the name breaks at a word boundary of its own, and never beside its 及:
    not 「教育 | 及生成式…」 (13 ems, the old breaker, the fund unknown) nor 「教育及 | 生成式…」. (At the cell's 14 ems it
    now goes whole, its opening bracket's blank half hanging: test_zh_break_classes.)"""
    _, lines = edition_b
    set_lines = lines("撥款HK$1,250萬擴展「教育及生成式人工智能基金」，支持60個項目", "stat-note", em)
    text = "".join(set_lines)
    ends = [len("".join(set_lines[:k + 1])) for k in range(len(set_lines) - 1)]
    start = text.index("教育及")
    inside = [end - start for end in ends if start < end < start + len("教育及生成式人工智能基金")]
    assert len(inside) == 1 and inside[0] in (6, 10), set_lines  # 教育及生成式 | 人工智能 | 基金
    assert len(set_lines) == 3, set_lines  # no line more for it (the row's figures keep their size)


def test_a_narrow_line_does_not_end_with_a_coverb(leaflet):
    """2022-23 p5 (its note, the bold label's twin first, 12.5 ems): 發放HK$760萬援助金 | 予 236 位有需要學生, not
    …援助金予 | 236 位 (予 introduces what follows)."""
    _, lines = leaflet
    set_lines = lines("**發放HK$760萬援助金**予 236 位有需要學生", "stat-note", 12.5)
    assert not any(line.endswith("予") for line in set_lines[:-1]), set_lines
    assert set_lines[-1].startswith("予"), set_lines


def test_a_coverb_at_the_line_end_is_priced_not_forbidden(edition_b):
    """了解更多科大為知識轉移所作出的努力 on the QR caption's 10 ems: 科大為 | 知識轉移所作出的努力 (two lines), not
    the old 科大為知識 | 轉移 nor a third line to move 為 down."""
    _, lines = edition_b
    assert lines("了解更多科大為知識轉移所作出的努力", "qr-caption", 10) == ["了解更多科大為", "知識轉移所作出的努力"]


def test_a_katakana_middle_dot_in_a_chinese_name_is_the_interpunct():
    """zh_punctuation: 艾琳・柯林斯 → 艾琳·柯林斯 (U+00B7, clreq's 間隔號; U+30FB is Japanese); off, or in English,
    or not between Han, untouched; `check` reads · and ‧ back as the source's ・."""
    on = Typography(None, zh_punctuation=True)
    assert typographic("穿梭機機師艾琳・柯林斯", on, "zh") == "穿梭機機師艾琳\u00b7柯林斯"
    assert typographic("艾琳 ・ 柯林斯", on, "zh") == "艾琳\u00b7柯林斯"
    assert typographic("穿梭機機師艾琳・柯林斯", Typography(None), "zh") == "穿梭機機師艾琳・柯林斯"
    assert typographic("A・B", on, "zh") == "A・B"
    assert normalise("艾琳\u00b7柯林斯") == normalise("艾琳・柯林斯") == normalise("艾琳\u2027柯林斯")


def test_house_words_refused_where_wrong(tmp_path):
    """layout/words.yaml is checked like an edition's words: a one-character word, a duplicate, an unknown key are
    located errors; a project without the file has no house words."""
    from highlight.diagnostics import BuildFailed
    from highlight.house_words import load_house_words

    assert load_house_words(str(tmp_path), Diagnostics()) == ()
    (tmp_path / "layout").mkdir()
    path = tmp_path / "layout" / "words.yaml"
    for text, code in (("words: [研究資助局, 局]\n", "bad-word"), ("words: [科大, 科大]\n", "duplicate-word"),
                       ("wordz: [科大]\n", "unknown-key")):
        path.write_text(text, encoding="utf-8")
        diags = Diagnostics()
        with pytest.raises(BuildFailed):
            load_house_words(str(tmp_path), diags)
        found = [d for d in diags.items if d.code == code]
        assert found and found[0].source.file.endswith("words.yaml") and found[0].source.line == 1, diags.items


def test_the_event_name_stays_whole_on_page_7(built):
    """The Chinese review of dd9ac13: 2022-23's page 7 broke '港科大（廣州）INNOTECH | 創科嘉年華', splitting the event's
    name (its words listed '港科大（廣州）INNOTECH' as one word); edition-b, without that word, keeps 'INNOTECH
    創科嘉年華' whole. The word is gone from 2022-23's list: the line breaks after the campus, the event whole.
    Fails on the code before: 'INNOTECH' ends a line, '創科嘉年華' opens the next."""
    from highlight.layout import TextLine

    result, _ = built
    lines = [i.line.text for i in result.pages[6].items if isinstance(i, TextLine) and "創科嘉年華" in i.line.text]
    assert lines and all("INNOTECH 創科嘉年華" in text for text in lines), lines
