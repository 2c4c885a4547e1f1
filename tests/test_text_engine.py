"""Line-breaking rules, checked on every laid-out line of the real leaflet and on small cases."""
from __future__ import annotations

import re

import pytest

from highlight.build import characters_used, find_project, load_inputs
from highlight.content import page_texts
from highlight.diagnostics import Diagnostics
from highlight.fonts import load_manifest, prepare_fonts
from highlight.layout import TextLine
from highlight.text import NO_LINE_END, NO_LINE_START, OPENING_BRACKETS, Span, TextSetter, is_cjk, plain

from conftest import EDITION


def all_lines(built):
    result, _ = built
    for page in result.pages:
        for item in page.items:
            if isinstance(item, TextLine):
                yield page, item


def content_strings():
    diags = Diagnostics()
    edition, _, _ = load_inputs(EDITION, diags)
    for _, string in edition.title.strings():
        yield string
    for page in edition.pages:
        for text in page_texts(page):
            for _, string in text.strings():
                yield plain(string)
        for block in page.blocks:
            for element in block.elements:
                for name in ("figure", "rank"):
                    if isinstance(getattr(element, name, None), str):
                        yield getattr(element, name)


def test_no_line_starts_or_ends_with_a_forbidden_character(built):
    bad = []
    for page, item in all_lines(built):
        text = item.line.text.strip()
        if text and text[0] in NO_LINE_START and is_cjk(text[0]):
            bad.append((page.number, "starts", text))
        if text and text[-1] in NO_LINE_END:
            bad.append((page.number, "ends", text))
    assert bad == []


def test_no_line_starts_with_closing_punctuation_of_either_script(built):
    starts = [item.line.text.lstrip()[:1] for _, item in all_lines(built)]
    assert not [s for s in starts if s and s in "、。，：；！？）」』】〉》,.;:!?)"]


def test_no_english_word_is_split(built):
    """Every run of Latin letters on a line is a whole run of letters somewhere in the content."""
    words = {token for string in content_strings() for token in re.findall(r"[A-Za-z]+", string)}
    broken = [(page.number, token, item.line.text) for page, item in all_lines(built)
              for token in re.findall(r"[A-Za-z]+", item.line.text) if token not in words]
    assert broken == []


NUMBER_WITH_UNIT = re.compile(r"(?:HK\$|[+\-#])?\d[\d,.]*(?:%|[MBK]\+?|\+)?(?:\s?(?:kWh|m²|m³|ton))?")


def test_numbers_with_units_stay_on_one_line(built):
    joined_lines = [item.line.text.replace(" ", "") for _, item in all_lines(built)]
    missing = []
    for string in content_strings():
        for match in NUMBER_WITH_UNIT.finditer(string):
            token = match.group().replace(" ", "")
            if len(token) > 1 and not any(token in line for line in joined_lines):
                missing.append(token)
    assert missing == []


def test_every_line_lies_inside_its_frame(built):
    result, _ = built
    outside = []
    for page in result.pages:
        frames = {f.name: f for f in page.frames}
        for item in page.items:
            if not isinstance(item, TextLine) or item.frame not in frames:
                continue
            frame = frames[item.frame]
            first = item.line.runs[0]
            # A line-initial full-width opening bracket hangs its blank left half out of the frame.
            hang = 0.5 * first.size_pt if first.text[0] in OPENING_BRACKETS else 0.0
            left = item.x_pt + first.x_pt + hang
            right = item.x_pt + item.line.right_pt
            top = item.baseline_pt - item.line.ascent_pt
            bottom = item.baseline_pt + item.line.descent_pt
            if left < frame.x_pt - 0.01 or right > frame.x_pt + frame.width_pt + 0.01 or \
                    top < frame.y_pt - 0.01 or bottom > frame.y_pt + frame.height_pt + 0.01:
                outside.append((page.number, item.frame, item.line.text))
    assert outside == []
    assert sum(len(p.frames) for p in result.pages) >= 40


def test_every_frame_with_content_is_placed(built):
    result, _ = built
    for page in result.pages:
        used = {item.frame for item in page.items if isinstance(item, TextLine)}
        assert {"title-band", "folio"} <= used


# -- small cases ---------------------------------------------------------------

@pytest.fixture(scope="module")
def setter_and_style():
    diags = Diagnostics()
    edition, layout, project = load_inputs(EDITION, diags)
    manifest = load_manifest(f"{project}/fonts/fonts.yaml", diags)
    fonts = prepare_fonts(manifest, set(characters_used(edition)), diags, f"{project}/.cache/fonts")
    return TextSetter(fonts), layout


def _set(setter_and_style, text: str, width: float, style="body", lang="zh"):
    setter, layout = setter_and_style
    return [line.text for line in setter.set([Span(text, layout.style(style, lang), lang=lang)], width)]


def test_kinsoku_moves_an_ideograph_down_rather_than_start_a_line_with_a_comma(setter_and_style):
    # 8.5 pt ideographs: a 34 pt measure holds exactly four; the fifth character is a comma.
    lines = _set(setter_and_style, "香港科技大，學是一所", 34.0)
    assert all(not line.startswith("，") for line in lines)
    assert lines[0].endswith("科") or lines[0].endswith("技")


def test_opening_bracket_never_ends_a_line(setter_and_style):
    lines = _set(setter_and_style, "科大學「教育及生成式」", 34.0)
    assert all(not line.rstrip().endswith("「") for line in lines)


def test_number_and_unit_move_together(setter_and_style):
    lines = _set(setter_and_style, "Electricity used 93,923,338 kWh this year", 80.0, lang="en")
    assert any("93,923,338 kWh" in line for line in lines)


def test_a_long_word_is_never_split(setter_and_style):
    lines = _set(setter_and_style, "Sustainability Sustainability", 40.0, lang="en")
    assert lines == ["Sustainability", "Sustainability"]


def test_breaks_after_a_hyphen_between_letters_only(setter_and_style):
    lines = _set(setter_and_style, "research-intensive institution 2014-15", 60.0, lang="en")
    assert "2014-" not in " ".join(lines).replace("2014-15", "")
    assert all(not line.endswith("2014-") for line in lines)


def test_total_fit_avoids_a_runt_last_line(setter_and_style):
    """The paragraph does not end with one ideograph alone on its line."""
    setter, layout = setter_and_style
    style = layout.style("body", "zh")
    text = "我們透過此簡便的年度重點成果與你分享科大的目標成就及社會影響力方面的資料及數據"
    one = setter.set([Span(text, style, lang="zh")], 8.5 * 10)[0].natural_pt
    # A measure that a greedy breaker would fill so that exactly one character is left over.
    width = (len(text) - 1) / 4 * 8.5 + 0.1
    lines = setter.set([Span(text, style, lang="zh")], width)
    assert one > 0
    assert len(lines[-1].text) > 2


def test_markers_stick_to_their_word(setter_and_style):
    setter, layout = setter_and_style
    style = layout.style("body", "en")
    spans = [Span("annual highlight", style), Span("*", style, marker=True), Span(", we look", style)]
    for width in range(30, 200, 7):
        for line in setter.set(spans, float(width)):
            assert not line.text.startswith("*")


def test_cjk_latin_gap_is_added_without_a_space_character(setter_and_style):
    setter, layout = setter_and_style
    style = layout.style("body", "zh")
    line = setter.set([Span("撥款HK$1,000萬推出", style, lang="zh")], 300.0)[0]
    runs = line.runs
    assert "".join(r.text for r in runs) == "撥款HK$1,000萬推出"
    latin = next(r for r in runs if r.text.startswith("HK$"))
    before = next(r for r in runs if r.text.endswith("撥款"))
    gap = latin.x_pt - (before.x_pt + before.width_pt)
    assert abs(gap - 0.25 * style.size_pt) < 0.01


def test_find_project_finds_the_folder_with_layout_and_fonts():
    import os

    project = find_project(EDITION)
    assert os.path.isfile(os.path.join(project, "fonts", "fonts.yaml"))
    assert os.path.isdir(os.path.join(project, "layout"))


def test_a_mixed_text_is_printed_in_any_element_and_both_variants(tmp_path):
    """`mixed:` (both languages in one string) is allowed wherever a text is; a stat's note or a callout's
    text written so is set once, in the English band, and in the en and zh variants alike."""
    from highlight.build import BuildOptions, build
    from highlight.layout import TextLine
    from test_bad_input import _edition

    page = ('page: 1\ntemplate: p1\ntitle: {en: "Research Power", zh: "研究實力"}\nblocks:\n  - frame: intro\n'
            '    elements:\n      - stat:\n          figure: "1,572"\n'
            '          change: {mixed: "+5% 按年"}\n'
            '          note: {mixed: "（2014-15 as baseline 2014-15 為基線）"}\n'
            '      - callout:\n          headline: {en: "Headline", zh: "標題"}\n'
            '          text: {mixed: "Mixed text 混合文字"}\n')
    folder = _edition(tmp_path, page)
    for lang in (None, "en", "zh"):
        result = build(BuildOptions(folder, str(tmp_path / f"{lang}.pdf"), lang=lang))
        assert not result.diagnostics.has_errors()
        texts = [i.line.text for i in result.pages[0].items if isinstance(i, TextLine) and i.frame == "intro"]
        assert "（2014-15 as baseline 2014-15 為基線）" in texts and "Mixed text 混合文字" in texts, (lang, texts)
        assert "1,572 +5% 按年" in texts, texts  # a change rides on its figure's line
