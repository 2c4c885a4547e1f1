"""A term of two words kept whole in a narrow measure (DESIGN.md: in callouts and measures under about 22 ems a line
breaks only between words and keeps terms whole). The Chinese review of main df673b1: 2022-23 p5's "1st university in
Hong Kong" callout set 支持於教學上使用生成式 | 人工智能，例如 ChatGPT, a modifier and the house word it qualifies parted.
The class: two listed words side by side (生成式 and 人工智能), or a modifier the dictionary leaves apart from its
attributive suffix (生成|式, 互動|式, 創新|型: zh_words.yaml's modifiers) and the word after it."""
from __future__ import annotations

import pytest
from conftest import EDITION

from highlight.text import NARROW_MEASURE_EM, Span

CALLOUT = "支持於教學上使用生成式人工智能，例如 ChatGPT"  # 2022-23 p5, its cell 14.6 ems wide
MODIFIED = {  # a modifier + a word neither of which the edition or the house lists: the term where it parts on df673b1
    "本校為全體學生提供嶄新的互動式學習平台及網上資源": "互動式學習",  # on df673b1 at 15-16 ems: …互動式 | 學習平台…
    "支持各學系發展沉浸式體驗課程及虛擬實驗室": "沉浸式體驗",  # at 10, 11, 19 ems: …沉浸式 | 體驗…
    "資助十家創新型企業進駐科學園": "創新型企業",  # at 8 ems: 資助十家創新型 | 企業…
}


@pytest.fixture(scope="module")
def setter():
    """A setter with the 2022-23 fonts (subset to the edition's characters and these tests') and words."""
    from highlight.build import characters_used, load_inputs
    from highlight.diagnostics import Diagnostics
    from highlight.fonts import load_manifest, prepare_fonts
    from highlight.text import TextSetter

    diags = Diagnostics()
    edition, layout, project = load_inputs(EDITION, diags)
    manifest = load_manifest(f"{project}/fonts/fonts.yaml", diags)
    chars = set(characters_used(edition)) | set("".join(MODIFIED))
    own = TextSetter(prepare_fonts(manifest, chars, diags, f"{project}/.cache/fonts"))
    own.words = frozenset(edition.words)
    return own, layout


def _printed(setter, layout, text: str, em: float) -> list[str]:
    st = layout.style("callout-text", "zh")
    return ["".join(line.text.split()) for line in setter.set([Span(text, st, lang="zh")], em * st.size_pt, st.align)]


def test_two_house_words_side_by_side_stay_whole_in_a_narrow_measure(setter):
    """生成式人工智能 at every measure from 8 to 21 ems; at its cell's 14.6 ems in two lines, as before (set ragged on its
    whole measure: the justified one of 14 whole ems would take a third line, page 5 a line too full). On df673b1 at
    12-14.6 ems: 支持於教學上使用生成式 | 人工智能，例如 ChatGPT."""
    own, layout = setter
    for em in [*range(8, NARROW_MEASURE_EM), 14.6]:
        printed = _printed(own, layout, CALLOUT, em)
        assert any("生成式人工智能" in line for line in printed), (em, printed)
    assert _printed(own, layout, CALLOUT, 14.6) == ["支持於教學上使用", "生成式人工智能，例如ChatGPT"]


def test_a_modifier_and_the_word_it_qualifies_stay_whole_in_a_narrow_measure(setter):
    """A modifier in 式 or 型 (互動式, 沉浸式, 創新型) and the word after it, listed nowhere, go down whole under 22 ems;
    in wide text the breaker's own judgement stands."""
    own, layout = setter
    for text, term in MODIFIED.items():
        for em in range(8, NARROW_MEASURE_EM):
            printed = _printed(own, layout, text, em)
            assert any(term in line for line in printed), (em, printed)
