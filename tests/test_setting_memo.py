"""The line setter's memos of its own work (issue 28, the 200-page edition): a box (a word's measured glyph runs)
taken from the memo is the box the setter would make afresh, whatever the paragraph it was first made in, and
a Style's kept hash is never carried into another process."""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
from dataclasses import replace

from highlight.text import Span, TextSetter, spans_from_text

# The same words (and characters) in styles of other sizes, weights, tracking, languages and alignments, as a
# marker, bold inside a sentence, and beside other neighbours (a dash between ideographs or letters, a centred
# mark beside a bracket or alone): each paragraph shares boxes' text with others that must not be reused.
TEXTS = [
    ("body", "en", "Research power of the University: 93,923,338 kWh saved, HK$2.76 billion raised[^#]."),
    ("title", "en", "Research power of the University"),
    ("heading2", "en", "Research power of the University"),
    ("heading1", "en", "Research **power** of the University"),
    ("stat-note", "en", "Research power of the University[^#]: 93,923,338 kWh saved."),
    ("body", "zh", "研究實力：凱洛格—科大行政人員工商管理碩士課程，「港科大（廣州）」正式啟用。研究實力，港科大。"),
    ("stat-note", "zh", "研究實力：凱洛格—科大行政人員工商管理碩士課程，「港科大（廣州）」正式啟用。"),
    ("title", "zh", "研究實力 Research—power"),
    ("body", "zh", "研究實力——港科大於 Hong Kong Techathon 2023[^◊] 獲獎，「研究」、「實力」。"),
    ("callout-text", "zh", "研究實力：港科大。研究實力，港科大（廣州）"),
    # a quote after an ideograph is the Chinese face's, after a space the Latin's; a centred mark beside a bracket
    # may give its blank in justified Chinese, one alone never
    ("body", "zh", "港科大“創新”研究，「實力」，港科大“創新”。"),
    ("body", "zh", "HKUST “創新” 研究，實力，HKUST “創新”。"),
]
WIDTHS = (60.0, 120.0, 240.0)


def _paragraphs(layout):
    for style, lang, text in TEXTS:
        spans = spans_from_text(text, layout.style(style, lang), lang=lang)
        for width in WIDTHS:
            yield spans, width, layout.style(style, lang).align


def test_a_box_from_the_memo_is_the_box_made_afresh(setter_and_style):
    """One setter sets every paragraph in turn (its memo of boxes shared by all of them); a fresh setter for each
    paragraph sets it with an empty memo: the lines are the same, so no box of one style, size, language or
    neighbour was reused for another (with the key's style or neighbours left out, the title's and the heading's
    lines took the body's boxes; with a paragraph's boxes kept by its text alone, the second heading took the
    title's: this test failed)."""
    shared_fonts = setter_and_style[0].fonts
    layout = setter_and_style[1]
    shared = TextSetter(shared_fonts)
    made = 0
    for spans, width, align in _paragraphs(layout):
        reused = shared.set(spans, width, align)
        fresh = TextSetter(shared_fonts)
        assert fresh.set(spans, width, align) == reused, (spans[0].text, width)
        assert fresh._boxes(spans) == shared._boxes(spans), spans[0].text  # (each box's runs, width and marks)
        made += len(fresh._box_memo)
    assert len(shared._box_memo) < made / 2  # (boxes were reused: the memo was put to the test)


def test_the_memo_of_boxes_is_emptied_after_a_layout(setter_and_style):
    """forget_boxes (called once a build's pages are laid out) empties it; setting again refills it alike."""
    setter = TextSetter(setter_and_style[0].fonts)
    layout = setter_and_style[1]
    spans, width, align = next(_paragraphs(layout))
    first = setter.set(spans, width, align)
    assert setter._box_memo
    setter.forget_boxes()
    assert not setter._box_memo
    setter._memo.clear()
    setter.used.clear()
    assert setter.set(spans, width, align) == first


def test_a_styles_kept_hash_is_not_pickled(setter_and_style, tmp_path):
    """A Style keeps its hash once computed; pickled (the page cache, .cache/pages) it goes without it, so a
    process with another hash seed looks it up by its own hash (a kept one, pickled, would miss there: this
    test failed with the hash kept in the pickle)."""
    layout = setter_and_style[1]
    style = layout.style("body", "zh")
    hash(style)
    path = tmp_path / "style.pickle"
    path.write_bytes(pickle.dumps((style, Span("研究", style, lang="zh"))))
    script = (
        "import pickle, sys\n"
        "from dataclasses import replace\n"
        f"style, span = pickle.load(open({str(path)!r}, 'rb'))\n"
        "fresh = replace(style)\n"
        "assert fresh == style and hash(fresh) == hash(style), 'a stale hash'\n"
        "assert {fresh: 1}.get(style) == 1 and {span: 1}.get(replace(span, style=fresh)) == 1\n"
    )
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr


def test_markers_and_dashes_are_placed_from_the_measured_inks_without_opening_a_face(setter_and_style, monkeypatch):
    """The inks of the characters placed by their ink (footnote markers, ——) are measured with the advances and kept
    in the face's metrics: each is the box fontTools draws, and setting a marker or a —— opens no font file (an edit
    of a paragraph with a marker imported fontTools and opened the face: 67 ms of its process, issue 28). Fails on
    c9e7ee6 (no inks: text._ink_at opened the face)."""
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.ttLib import TTFont

    from highlight import text
    from highlight.fonts import INK_MEASURED

    setter, layout = setter_and_style
    for face in setter.fonts.faces.values():
        with TTFont(face.path, lazy=True) as font:
            cmap, glyphs = font.getBestCmap(), font.getGlyphSet()
            for char in INK_MEASURED:
                if ord(char) not in cmap:
                    assert ord(char) not in face.inks
                    continue
                pen = BoundsPen(glyphs)
                glyphs[cmap[ord(char)]].draw(pen)
                assert face.inks[ord(char)] == (tuple(pen.bounds) if pen.bounds else None), (face.name, char)

    def no_face(*args):
        raise AssertionError(f"opened a face for {args}")

    monkeypatch.setattr(text, "_ink_at", no_face)
    fresh = TextSetter(setter.fonts)
    for lang, copy in (("en", "The annual highlight[^*] and its LiDAR[^Δ] network[^Ω]"),
                       ("zh", "擴展內地足跡——港科大（廣州）的年度重點成果[^*]及地區[^#]、[^^]、[^◊]")):
        style = layout.style("body", lang)
        lines = fresh.set(spans_from_text(copy, style, lang=lang), 300.0)
        assert lines and all(not line.overfull for line in lines)


STYLES = ("body", "stat-note", "heading1", "heading2", "title", "footnote", "callout-text", "stat-label")


def _source_paragraphs():
    """The paragraphs of the 2022-23 copy (the source's lines), each with its language."""
    from conftest import SOURCE

    from highlight.chars import is_cjk

    with open(SOURCE, encoding="utf-8") as f:
        lines = [line.strip() for line in f if line.strip()]
    return [(line, "zh" if any(is_cjk(c) for c in line) else "en") for line in lines]


def test_the_plain_loop_breaks_as_the_general_loop(setter_and_style, monkeypatch):
    """Paragraphs with nothing justified in Chinese and no hyphen to break at are broken by a loop of their own
    (text._plain_breaks, issue 28: most of the 200-page edition's); every paragraph of the 2022-23 copy, English and
    Chinese, in eight styles, on measures from 12 to 432 pt, left, centred and balanced (and English justified),
    breaks as the general loop of _choose_breaks breaks it, line for line (this test failed with the plain loop's
    runt, short-line, overfull or compressed line priced otherwise)."""
    from highlight import text

    fonts, layout = setter_and_style[0].fonts, setter_and_style[1]
    paragraphs = _source_paragraphs()
    assert len(paragraphs) > 300 and sum(lang == "zh" for _, lang in paragraphs) > 100
    checked = plain = compressed = hung = 0
    calls = []
    real = text._plain_breaks
    monkeypatch.setattr(text, "_plain_breaks", lambda *args: calls.append(1) or real(*args))
    monkeypatch.setattr(text, "ONE_LINE", False)  # (both loops priced, a paragraph of one line too)
    for n, (paragraph, lang) in enumerate(paragraphs):
        style = layout.style(STYLES[n % len(STYLES)], lang)
        spans = spans_from_text(paragraph, style, lang=lang)
        aligns = (("left", False), ("center", False), ("left", True)) + ((("justify", False),) if lang == "en" else ())
        for width in (12.0 + 35.0 * ((n + k) % 13) for k in range(3)):
            for align, balance in aligns:
                monkeypatch.setattr(text, "PLAIN_LOOP", True)
                before = len(calls)
                lines = TextSetter(fonts).set(spans, width, align, balance)
                plain += len(calls) > before
                monkeypatch.setattr(text, "PLAIN_LOOP", False)
                assert TextSetter(fonts).set(spans, width, align, balance) == lines, (paragraph, width, align)
                checked += 1
    # Chinese set left on measures a point or two apart, its ，。、 hanging or not: lines that fit only by giving up
    # their last mark's blank (compressed) or by hanging it
    chinese = [paragraph for paragraph, lang in paragraphs if lang == "zh" and "，" in paragraph][:12]
    for n, paragraph in enumerate(chinese):
        style = layout.style(STYLES[n % len(STYLES)], "zh")
        for hanging in (False, True):
            spans = spans_from_text(paragraph, replace(style, hang_punctuation=hanging), lang="zh")
            for width in (60.0 + 1.7 * k for k in range(60)):
                monkeypatch.setattr(text, "PLAIN_LOOP", True)
                lines = TextSetter(fonts).set(spans, width, "left")
                monkeypatch.setattr(text, "PLAIN_LOOP", False)
                assert TextSetter(fonts).set(spans, width, "left") == lines, (paragraph, width, hanging)
                checked += 1
                compressed += any(line.compressed for line in lines)
                hung += any(line.hang_pt for line in lines)
    assert plain > checked * 0.6 and compressed and hung  # (the plain loop was put to the test)


def test_a_paragraph_that_fits_its_measure_is_one_line_as_the_loops_choose(setter_and_style, monkeypatch):
    """A paragraph set unbalanced whose whole width is within its measure is one line without its breaks priced
    (text._fits_one_line, issue 28: 3,500 of the 200-page edition's 5,900 settings): every paragraph of the 2022-23
    copy in eight styles, and each one's first words alone, on measures from 12 pt to a measure wider than any line
    (the natural width a layout measures), left, centred, justified, Chinese hanging its ，。、 or not, is set as the
    loops of _choose_breaks set it, line for line; among them lines that fit only within the loops' tolerance, a
    hundredth of a point over the measure (this test failed with the shortcut taking 0.1 pt more)."""
    from highlight import text

    fonts, layout = setter_and_style[0].fonts, setter_and_style[1]
    taken = []
    real = text._fits_one_line
    monkeypatch.setattr(text, "_fits_one_line", lambda *args: taken.append(real(*args)) or taken[-1])
    checked = at_limit = 0
    for n, (paragraph, lang) in enumerate(_source_paragraphs()[::2]):
        for hanging in (False, True) if lang == "zh" else (False,):
            style = replace(layout.style(STYLES[n % len(STYLES)], lang), hang_punctuation=hanging)
            for text_ in (paragraph, " ".join(paragraph.split()[:3]) if lang == "en" else paragraph[:8]):
                spans = spans_from_text(text_, style, lang=lang)
                natural = TextSetter(fonts).set(spans, 1e6, "left")[0].natural_pt
                for width in (12.0 + 35.0 * (n % 13), natural, natural - 0.005, natural - 0.02, 1e6):
                    for align in ("left", "center") if lang == "en" else ("left", "justify"):
                        monkeypatch.setattr(text, "ONE_LINE", True)
                        lines = TextSetter(fonts).set(spans, width, align)
                        monkeypatch.setattr(text, "ONE_LINE", False)
                        assert TextSetter(fonts).set(spans, width, align) == lines, (text_, width, align)
                        checked += 1
                        at_limit += width < natural and len(lines) == 1
    assert checked > 5000 and sum(taken) > 3000 and len(taken) - sum(taken) > 1000 and at_limit > 500, \
        (checked, sum(taken), len(taken), at_limit)


def test_a_box_keyed_from_the_paragraphs_text_has_the_key_of_its_characters(setter_and_style, monkeypatch):
    """_box_key takes the text of characters of one span from the paragraph's text (issue 28: no loop over them):
    every box of the 2022-23 copy and of TEXTS (markers, bold parts, several spans) has the key the loop over its
    characters gives (this test failed with a span starting at a box's last character taken as none inside it)."""
    from highlight import text

    fonts, layout = setter_and_style[0].fonts, setter_and_style[1]
    real = text._box_key
    asked = []

    def both(chars, indices, joined="", starts=None):
        key = real(chars, indices, joined, starts)
        assert key == real(chars, indices), "".join(chars[i].char for i in indices)
        asked.append(len({chars[i].span for i in indices}))
        return key

    monkeypatch.setattr(text, "_box_key", both)
    paragraphs = [(spans_from_text(t, layout.style(style, lang), layout.style("stat-note", lang), lang), 120.0)
                  for style, lang, t in TEXTS]
    paragraphs += [(spans_from_text(t, layout.style("body", lang), lang=lang), 200.0) for t, lang in _source_paragraphs()]
    for spans, width in paragraphs:
        TextSetter(fonts).set(spans, width, "left")
    assert len(asked) > 3000 and any(n > 1 for n in asked)


def test_a_paragraph_without_markers_is_split_into_words_as_the_loop_over_its_characters_splits_it():
    """A paragraph without markers is split into words by a pattern (text._WORD, issue 28), the rest by a loop over
    its characters: a word is a run of characters that are no space, NBSP and NARROW NBSP kept inside it. re's \\s is
    str.isspace over every code point, and the pattern's words are the loop's for every paragraph of the 2022-23 copy
    and for texts of spaces of every kind (this test failed with NBSP taken as a space, or U+3000 as none)."""
    import re

    from highlight.text import _WORD, NARROW_NBSP, NBSP

    assert all((re.match(r"\s", c) is not None) == c.isspace() for c in map(chr, range(0x110000)))

    def loop(text: str) -> list[list[int]]:
        words: list[list[int]] = [[]]
        for i, char in enumerate(text):
            if char.isspace() and char not in (NBSP, NARROW_NBSP):
                if words[-1]:
                    words.append([])
            else:
                words[-1].append(i)
        return [w for w in words if w]

    texts = [t for t, _ in _source_paragraphs()]
    texts += ["", " ", "a", " a  b ", "5\u00a0km", "HK$\u202f2", "研究\u3000實力", "a\tb\nc\u2003d", "\u00a0 \u202f"]
    for text in texts:
        assert [list(range(*m.span())) for m in _WORD.finditer(text)] == loop(text), repr(text)
