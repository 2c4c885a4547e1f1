"""Parity a person can settle (issue 14, item 8): figure words of both languages, and a reviewed
difference accepted in the YAML with a reason."""
from __future__ import annotations

import pytest
from conftest import PAGE, make_edition, run_cli

from highlight.parity import figures


@pytest.mark.parametrize("en, zh", [
    # the false alarms of the issue
    ("Ranked top in Asia in a decade", "十年內躋身亞洲前列"),
    ("40% of our students", "四成學生"),
    # and others of their kind
    ("half of the graduates", "一半畢業生"),
    ("a third of the funding", "三分之一資助"),
    ("two thirds of the projects", "三分之二項目"),
    ("doubled its patents", "專利數目增加一倍"),
    ("twice as many start-ups", "初創企業數目達兩倍"),
    ("a dozen partners", "十二個夥伴"),
    ("a hundred labs", "一百間實驗室"),
    ("a thousand volunteers", "一千名義工"),
    ("HK$2 million for scholarships", "HK$200萬獎學金"),
    ("30,000 visitors", "三萬名訪客"),
    ("1.2 billion in grants", "12億資助"),
    ("fifteen teams", "十五隊"),
    ("twenty awards", "二十個獎項"),
    ("eighteen months", "十八個月"),
    ("25% of the budget", "百分之二十五預算"),
    ("25% of the budget", "百分之25預算"),
    ("two decades of research", "二十年研究"),
])
def test_figure_words_of_both_languages_agree(en, zh):
    assert figures(en) == figures(zh) != frozenset()


@pytest.mark.parametrize("en, zh", [
    ("in a decade", "五年內"),
    ("40% of our students", "三成學生"),
    ("half of the graduates", "三分之一畢業生"),
    ("fifteen teams", "十六隊"),
])
def test_figure_words_that_differ_disagree(en, zh):
    assert figures(en) != figures(zh)


@pytest.mark.parametrize("en, zh", [
    ("one of the world’s best", "全球最佳之一"),  # "one of" is not a count
    ("a one-stop service", "一站式服務"),
    ("the first half of 2023", "2023年上半年"),
    ("hundreds of start-ups", "數以百計的初創企業"),  # vague: neither side counts it
])
def test_words_that_are_not_figures_raise_nothing(en, zh):
    assert figures(en) == figures(zh)


DIFFERS = '{en: "942 students joined", zh: "924名學生參加"}'


def _page(element: str) -> str:
    return PAGE.replace('{en: "Sports science", zh: "運動科學"}', element)


def test_a_reviewed_difference_accepted_with_a_reason_lets_strict_pass(tmp_path):
    folder = make_edition(tmp_path, _page(DIFFERS))
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf"), "--strict"])
    assert code == 1 and "warning[parity-figures]" in printed
    # The hint shows the very lines to add.
    assert 'parity: {accept: "only in English 942; only in Chinese 924", reason: "' in printed, printed
    accepted = _page('{en: "942 students joined", zh: "924名學生參加",\n'
                     '                   parity: {accept: "only in English 942; only in Chinese 924",\n'
                     '                            reason: "the Chinese counts the exchange students too"}}')
    folder = make_edition(tmp_path / "accepted", accepted)
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "y.pdf"), "--strict"])
    assert code == 0, printed
    assert "parity" not in printed


def test_an_acceptance_that_no_longer_matches_is_reported(tmp_path):
    stale = _page('{en: "943 students joined", zh: "924名學生參加",\n'
                  '                   parity: {accept: "only in English 942; only in Chinese 924", reason: "r"}}')
    folder = make_edition(tmp_path, stale)
    _code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf")])
    assert "warning[parity-figures]" in printed and "only in English 943" in printed
    assert "warning[parity-accept-stale]" in printed and "p1.yaml:8:" in printed, printed


def test_an_acceptance_needs_a_reason(tmp_path):
    folder = make_edition(tmp_path, _page('{en: "942 students joined", zh: "924名學生參加",\n'
                                      '                   parity: {accept: "only in English 942; only in Chinese 924"}}'))
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf")])
    assert code == 1 and "error[missing-key]" in printed and "'reason'" in printed, printed
    folder = make_edition(tmp_path / "empty", _page('{en: "942 students joined", zh: "924名學生參加",\n'
                                                '                   parity: {accept: "x", reason: " "}}'))
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf")])
    assert code == 1 and "(blocks[0].elements[0].paragraph.parity.reason): error[empty-text]" in printed, printed


def test_a_list_item_difference_is_accepted_on_the_list(tmp_path):
    page = PAGE.replace('      - paragraph: {en: "Sports science", zh: "運動科學"}\n',
                        '      - list:\n'
                        '          items:\n'
                        '            - {en: "Lab opened in a decade", zh: "實驗室八年內啟用"}\n'
                        '          parity: {accept: "only in English 10; only in Chinese 8", reason: "r"}\n')
    folder = make_edition(tmp_path, page)
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf"), "--strict"])
    assert code == 0, printed
