"""Single-language variants and the second edition: the same layout, no code changes."""
from __future__ import annotations

import os

import pytest
from conftest import EDITION, ROOT, copy_project, normalise
from pypdf import PdfReader

from highlight.build import BuildOptions, build, load_inputs
from highlight.content import page_texts
from highlight.diagnostics import Diagnostics
from highlight.text import is_ideograph, plain


def _strings(lang: str) -> list[str]:
    edition, _, _ = load_inputs(EDITION, Diagnostics())
    return [plain(s) for page in edition.pages for text in page_texts(page) for l, s in text.strings() if l == lang]


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    out = tmp_path_factory.mktemp("variants")
    texts = {}
    for lang in ("en", "zh"):
        result = build(BuildOptions(EDITION, str(out / f"{lang}.pdf"), lang=lang))
        assert not result.diagnostics.has_errors(), [d.format() for d in result.diagnostics.items]
        texts[lang] = normalise("".join(p.extract_text() for p in PdfReader(str(out / f"{lang}.pdf")).pages))
    return texts


def test_english_variant_has_all_the_english_and_no_chinese(variants):
    text = variants["en"]
    assert [s for s in _strings("en") if normalise(s) not in text] == []
    mixed = "".join(_strings("mixed"))
    assert [c for c in text if is_ideograph(c) and c not in mixed] == []


def test_chinese_variant_has_all_the_chinese_and_no_english_sentences(variants):
    text = variants["zh"]
    assert [s for s in _strings("zh") if normalise(s) not in text] == []
    english = [s for s in _strings("en") if len(s) > 25]
    assert english and [s for s in english if normalise(s) in text] == []


def test_default_names_of_the_variants(tmp_path):

    copy_project(tmp_path)
    result = build(BuildOptions(str(tmp_path / "content" / "2022-23"), lang="zh"))
    assert result.output.endswith(os.path.join("out", "highlights-2022-23-zh.pdf"))


FIXTURE = os.path.join(ROOT, "tests", "fixtures", "edition-b")


def test_the_second_edition_builds_with_the_same_layout(tmp_path):
    """Changed figures, longer and shorter texts, a fifth partner, one ranking fewer, a URL on every QR code:
    no code changes, and the stock layout holds it (its longer partner text once overflowed page 6)."""
    result = build(BuildOptions(FIXTURE, str(tmp_path / "b.pdf")))
    errors = [d.format() for d in result.diagnostics.items if d.severity >= 2]
    assert errors == []
    assert (tmp_path / "b.pdf").exists()
    assert not [d for d in result.diagnostics.items if d.code == "qr-placeholder"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_second_edition_in_one_language_fits_and_carries_its_text(lang, tmp_path):
    result = build(BuildOptions(FIXTURE, str(tmp_path / f"{lang}.pdf"), lang=lang))
    # the fund's name (a house word, 12 characters) is wider than its 13-em cell: the one note, where it breaks
    said = [d.format() for d in result.diagnostics.items if d.code != "name-break"]
    assert not said and all(d.severity == 0 for d in result.diagnostics.items), said
    text = normalise("".join(p.extract_text() for p in PdfReader(str(tmp_path / f"{lang}.pdf")).pages))
    edition, _, _ = load_inputs(FIXTURE, Diagnostics())
    strings = [plain(s) for page in edition.pages for t in page_texts(page) for l, s in t.strings() if l == lang]
    assert len(strings) > 100 and [s for s in strings if normalise(s) not in text] == []
