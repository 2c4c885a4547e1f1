"""Bilingual parity: each language carries the same figures and markers, however each writes them."""
from __future__ import annotations

import pytest
from conftest import PAGE, make_edition, run_cli

from highlight.parity import figures


@pytest.mark.parametrize("en, zh", [
    ("with HK$276M (+31.2% YoY)", "其中HK$2.76億 （按年 +31.2%）"),
    ("in financial aid offered to 236 students", "發放HK$760萬援助金予 236 位有需要學生"[10:]),
    ("From July 1, 2022 to June 30, 2023.", "2022年7月1日至2023年6月30日。"),
    ("drawing together over 1,700 investors", "吸引了逾1,700位投資者"),
    ("Showcased 30+ inventions", "展示30多項發明"),
    ("for two years from January 2024", "由 2024 年 1 月起連續兩年"),
    ("12th time World No.1", "十二度榮膺全球 No.1"),
    ("#1 in Hong Kong, #3 in Greater China", "全港 #1、大中華 #3"),
    ("38,014 ton CO₂-e", "38,014 噸二氧化碳當量"),
])
def test_the_same_figures_written_two_ways_agree(en, zh):
    assert figures(en) == figures(zh) != frozenset()


@pytest.mark.parametrize("en, zh", [
    ("HK$13.1M (+34% YoY)", "（按年 +43%）HK$1,310萬"),
    ("#60 World’s Top 1400+", "世界頂尖 1400 所"),
    ("-37.9%", "+37.9%"),
])
def test_different_figures_disagree(en, zh):
    assert figures(en) != figures(zh)


def test_a_chinese_figure_that_differs_from_its_english_twin_is_a_warning(tmp_path):
    page = PAGE.replace('{en: "Sports science", zh: "運動科學"}',
                        '{en: "942 students joined (+2% YoY)", zh: "924名學生參加（按年 +2%）"}')
    folder = make_edition(tmp_path, page)
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf")])
    assert code == 0
    assert "warning[parity-figures]" in printed and "only in English 942; only in Chinese 924" in printed
    assert "p1.yaml:7:" in printed and "en: '942 students joined (+2% YoY)' zh: '924名學生參加（按年 +2%）'" in printed
    assert run_cli(["build", folder, "-o", str(tmp_path / "x.pdf"), "--strict"])[0] == 1


def test_a_swapped_footnote_marker_is_a_warning(tmp_path):
    page = PAGE.replace('{en: "Sports science", zh: "運動科學"}', '{en: "Sports science[^*]", zh: "運動科學[^Δ]"}') + \
        ('footnotes:\n  - {marker: "*", text: {en: "One.", zh: "一。"}}\n'
         '  - {marker: "Δ", text: {en: "Two.", zh: "二。"}}\n')
    folder = make_edition(tmp_path, page)
    _code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf")])
    assert "warning[parity-markers]" in printed and "en has ['*'], zh has ['Δ']" in printed
