"""Tagged, accessible PDFs (issue 16): both targets read by the offline PDF/UA checkers and by our own reading
of the content streams against the structure tree."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from itertools import pairwise

import pikepdf
import pytest
from conftest import EDITION, normalise, run_cli

BIN = os.path.dirname(sys.executable)
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@pytest.fixture(scope="session")
def screen_pdf(tmp_path_factory):
    from highlight.build import BuildOptions, build

    out = tmp_path_factory.mktemp("screen") / "screen.pdf"
    result = build(BuildOptions(EDITION, str(out), target="screen"))
    assert not [d for d in result.diagnostics.items if d.severity >= 2]
    return str(out)


@pytest.fixture(scope="session", params=["print", "screen"])
def pdf_path(request, built, screen_pdf):
    return built[1] if request.param == "print" else screen_pdf


# -- the checkers published on PyPI -----------------------------------------------------------------------
def test_pdfua_finds_no_error(pdf_path):
    run = subprocess.run([os.path.join(BIN, "pdfua"), "check", pdf_path], capture_output=True, text=True,
                         timeout=300)
    assert "errors=0" in run.stdout, run.stdout


def test_outloud_finds_no_error(pdf_path):
    run = subprocess.run([os.path.join(BIN, "outloud"), "--fail-on", "error", pdf_path], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0 and " 0 error(s)" in run.stdout, run.stdout


# -- our own reading: the content streams against the structure tree ---------------------------------------
def _to_unicode(font) -> dict:
    """A simple font's code -> text, from its ToUnicode CMap (bfchar and bfrange, as ReportLab writes them)."""
    data = font.ToUnicode.read_bytes().decode("latin-1")
    table = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.DOTALL):
        for code, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            table[int(code, 16)] = bytes.fromhex(uni).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.DOTALL):
        for lo, hi, start in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            base = int(start, 16)
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                table[code] = chr(base + i)
    return table


def read_marked(pdf) -> tuple[dict, list]:
    """({(page index, mcid): text}, [untagged text]) of every text-showing operator."""
    marked, untagged = {}, []
    for index, page in enumerate(pdf.pages):
        fonts = page.obj.Resources.Font
        maps = {str(name): _to_unicode(font) for name, font in fonts.items()}
        stack, font = [], None
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "BDC":
                props = operands[1]
                stack.append(("mcid", int(props.MCID)) if isinstance(props, pikepdf.Dictionary)
                             and "/MCID" in props else ("other", str(operands[0])))
            elif op == "BMC":
                stack.append(("artifact", None) if str(operands[0]) == "/Artifact" else ("other", None))
            elif op == "EMC":
                stack.pop()
            elif op == "Tf":
                font = maps.get(str(operands[0]))
            elif op in ("Tj", "TJ"):
                strings = operands[0] if op == "TJ" else [operands[0]]
                text = "".join("".join(font.get(b, "?") for b in bytes(s)) for s in strings
                               if isinstance(s, pikepdf.String))
                if any(kind == "artifact" for kind, _ in stack):
                    continue
                mcid = next((v for kind, v in reversed(stack) if kind == "mcid"), None)
                if mcid is None:
                    untagged.append((index + 1, text))
                else:
                    marked[(index, mcid)] = marked.get((index, mcid), "") + text
    return marked, untagged


def structure_order(pdf) -> list:
    """Every marked-content reference in structure order: (page, mcid, the Lang in force, element type)."""
    out = []
    pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}

    def walk(element, lang):
        lang = str(element.get("/Lang", lang))
        kids = element.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                walk(kid, lang)
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                out.append((pages[kid.Pg.objgen], int(kid.MCID), lang, str(element.S)))
            elif not isinstance(kid, pikepdf.Dictionary):
                out.append((pages[element.Pg.objgen], int(kid), lang, str(element.S)))

    walk(pdf.Root.StructTreeRoot, str(pdf.Root.get("/Lang", "")))
    return out


def test_every_text_operator_is_tagged_or_an_artifact_and_every_mcid_has_its_element(pdf_path):
    with pikepdf.open(pdf_path) as pdf:
        marked, untagged = read_marked(pdf)
        assert untagged == []
        order = structure_order(pdf)
        in_tree = {(p, m) for p, m, _, _ in order}
        assert set(marked) <= in_tree and len(in_tree) == len(order)  # each sequence has one place
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for index, page in enumerate(pdf.pages):
            array = parents[int(page.obj.StructParents)]
            for p, m in in_tree:
                if p == index:
                    assert array[m].get("/Type") == "/StructElem"


def test_every_run_holding_chinese_is_in_a_zh_hant_element(pdf_path):
    with pikepdf.open(pdf_path) as pdf:
        marked, _ = read_marked(pdf)
        langs = {(p, m): lang for p, m, lang, _ in structure_order(pdf)}
    chinese = {k: t for k, t in marked.items() if HAN.search(t)}
    assert len(chinese) > 100
    wrong = [(k, t) for k, t in chinese.items() if langs[k] != "zh-Hant"]
    assert wrong == []
    # English with no Chinese in it is never marked Chinese (a Chinese sentence may quote an English name).
    english = [(k, t) for k, t in marked.items() if re.search("[A-Za-z]{3}", t) and not HAN.search(t)
               and langs[k] == "zh-Hant"]
    assert english == []


def _pairs():
    """(page, English, Chinese) of every text of the content that has both."""
    from highlight.content import load_edition, page_texts
    from highlight.diagnostics import Diagnostics
    from highlight.text import plain

    edition = load_edition(EDITION, Diagnostics())
    pairs = []
    for page in edition.pages:
        for text in page_texts(page):
            if text.en and text.zh:
                pairs.append((page.number, normalise(plain(text.en)), normalise(plain(text.zh))))
    return pairs


def test_english_and_chinese_pairs_are_adjacent_in_structure_order(pdf_path):
    """Each text's English, then straight after it its Chinese, as a screen reader reads the tree."""
    with pikepdf.open(pdf_path) as pdf:
        marked, _ = read_marked(pdf)
        order = structure_order(pdf)
    chunks = []  # per page: consecutive references of one language, their text joined
    for page, mcid, lang, _ in order:
        text = normalise(marked.get((page, mcid), ""))
        if not text:
            continue
        if chunks and chunks[-1][0] == page and chunks[-1][1] == lang:
            chunks[-1][2] += text
        else:
            chunks.append([page, lang, text])
    pairs = _pairs()
    adjacent = 0
    for number, en, zh in pairs:
        adjacent += any(a[0] == number - 1 and en in a[2] and b[1] == "zh-Hant" and zh in b[2]
                        for a, b in pairwise(chunks) if a[1] == "en")
    assert len(pairs) >= 130
    assert adjacent >= 130, f"{adjacent} of {len(pairs)} pairs adjacent"


def test_figures_have_bilingual_alternative_text_from_the_data(pdf_path):
    with pikepdf.open(pdf_path) as pdf:
        figures = [e for e in _elements(pdf.Root.StructTreeRoot) if str(e.S) == "/Figure"]
    alts = [str(f.get("/Alt", "")) for f in figures]
    assert len(figures) == 3 + 6  # three ring charts, six QR codes (placeholders in 2022-23)
    assert all(HAN.search(a) and re.search("[A-Za-z]{3}", a) for a in alts), alts
    assert not [a for a in alts if re.search(r"[\u3400-\u9fff] [\u3400-\u9fff]", a)]  # lines of Chinese join as one
    assert any("了解更多科大為知識轉移所作出的努力" in a for a in alts)  # a QR code's, from its two-line caption
    chart = next(a for a in alts if a.startswith("Non-local students"))
    assert "Mainland 5,709 (78.2%)" in chart and "內地 5,709" in chart


def test_tables_headings_lists_and_notes_are_tagged(pdf_path):
    with pikepdf.open(pdf_path) as pdf:
        kinds = [str(e.S) for e in _elements(pdf.Root.StructTreeRoot)]
        sects = [e for e in _elements(pdf.Root.StructTreeRoot) if str(e.S) == "/Sect"]
        ths = [e for e in _elements(pdf.Root.StructTreeRoot) if str(e.S) == "/TH"]
    assert kinds.count("/Sect") == 8 and kinds.count("/H1") == 8
    assert all(str(s.K[0].S) == "/H1" for s in sects)
    for kind in ("/H2", "/P", "/L", "/LI", "/LBody", "/Table", "/TR", "/TH", "/TD", "/Caption", "/Note", "/Lbl"):
        assert kind in kinds, kind
    assert all(str(th.A.Scope) == "/Row" for th in ths)


def _elements(node):
    kids = node.get("/K")
    kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            yield kid
            yield from _elements(kid)


# -- identity -----------------------------------------------------------------------------------------------
def test_print_screen_and_english_files_have_their_own_ids(built, screen_pdf, tmp_path):
    from highlight.build import BuildOptions, build

    english = tmp_path / "en.pdf"
    build(BuildOptions(EDITION, str(english), lang="en"))
    ids = []
    for path in (built[1], screen_pdf, str(english)):
        with pikepdf.open(path) as pdf:
            ids.append(tuple(bytes(x) for x in pdf.trailer.ID))
            with pdf.open_metadata() as meta:
                assert meta.get("xmpMM:DocumentID").startswith("uuid:")
                assert meta.get("xmpMM:InstanceID").startswith("uuid:")
                assert meta.get("pdfuaid:part") == "1"
    assert len({i[0] for i in ids}) == 3 and len({i[1] for i in ids}) == 3


def test_the_final_build_refuses_placeholders(tmp_path):
    out = tmp_path / "final.pdf"
    code, printed = run_cli(["build", EDITION, "--final", "-o", str(out)])
    assert code == 1 and not out.exists()
    assert re.search(r"p1-research-power\.yaml:\d+:\d+ \(blocks\[\d+\]\.elements\[\d+\]\.qr\): "
                     r"error\[placeholder-in-final\]", printed), printed
    # Each placeholder is one problem: its proof warning became the press error, not an error and a warning.
    assert "8 errors (6 placeholder-in-final, 2 image-placeholder-final), 0 warnings" in printed, printed
    assert "warning[qr-placeholder]" not in printed and "warning[image-placeholder]" not in printed


# -- text that extracts as written ---------------------------------------------------------------------------
def test_extraction_puts_no_space_between_han_or_at_a_line_end_and_keeps_figures_apart_from_labels(pdf_path):
    from pypdf import PdfReader

    from highlight.content import load_edition, page_texts
    from highlight.diagnostics import Diagnostics
    from highlight.text import plain

    source = " ".join(plain(s) for page in load_edition(EDITION, Diagnostics()).pages
                      for text in page_texts(page) for _, s in text.strings())
    text = "\n".join(page.extract_text() for page in PdfReader(pdf_path).pages)
    gaps = re.findall(r"[\u3400-\u9fff]+ +[\u3400-\u9fff]+", text)
    assert [g for g in gaps if g not in source] == []  # only the spaces the content itself has
    assert re.search(r"HK\$956M\s+external funding", text)
    assert re.findall(r"\d[A-Za-z]{4,}", text) == []  # no "1,572funded", "9unicorns"
    # and no line of the text layer ends in a space (the Chinese review found 18: "展示 30 多項發明 ", a Chinese
    # line taken for a figure set apart; figures, legend counts): figures are kept apart by a line of their own
    assert [line for line in text.split("\n") if line.endswith(" ")] == []


# -- contrast ------------------------------------------------------------------------------------------------
def test_screen_text_reaches_aa_contrast_and_the_check_fails_below_it(screen_pdf, tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    from highlight.colour import contrast
    from highlight.layout_spec import Colour
    from highlight.preflight import PreflightRules, preflight
    from highlight.render import readable_rgb, rgb

    gold = Colour(None, (0, 30, 90, 10), "#e0a526")
    assert contrast(rgb(gold).rgb(), (1, 1, 1)) < 2.2  # the hand-picked twin
    assert contrast(readable_rgb(gold), (1, 1, 1)) >= 4.5
    panel = (0xe6 / 255, 0xea / 255, 0xf2 / 255)
    assert contrast(readable_rgb(gold, panel), panel) >= 4.5
    rules = PreflightRules(target="screen", require_pdfx=False)
    found = [f for f in preflight(screen_pdf, rules).findings if f.check == "contrast"]
    assert len(found) == 8 and all(f.ok for f in found)
    path = str(tmp_path / "gold.pdf")
    canvas = Canvas(path, pagesize=(595.276, 841.89), invariant=1)
    canvas.setFillColorRGB(*panel)
    canvas.rect(100, 100, 300, 100, stroke=0, fill=1)
    canvas.setFillColorRGB(0xe0 / 255, 0xa5 / 255, 0x26 / 255)
    canvas.drawString(120, 150, "gold on the panel")
    canvas.showPage()
    canvas.save()
    failed = [f for f in preflight(path, rules).failures if f.check == "contrast"]
    assert failed and "#e0a526 on #e6eaf2" in failed[0].detail


@pytest.mark.parametrize("title, subject, edition, target", [
    ("Annual Highlights 2022–23 年度重點成果 2022–23", "Annual Highlights (2022-23)", "2022-23", "print"),
    ("R&D <first> \"quoted\" 'single' 𠀋 ", "", "a&b>c", "screen"),
])
def test_the_xmp_is_written_as_pikepdfs_round_trip_would_write_it(title, subject, edition, target):
    """tags.finish_pdf saves without pikepdf's XMP round trip (lxml: 70 ms to import), so the packet it writes
    must already be what that round trip made of it, byte for byte: the files stay as they were."""
    from highlight.render import RenderOptions
    from highlight.tags import _xmp

    options = RenderOptions(title=title, subject=subject, edition=edition, target=target,
                            profile=object() if target == "print" else None)  # type: ignore[arg-type]
    info = pikepdf.Dictionary(Title=pikepdf.String(title), Subject=pikepdf.String(subject),
                              Creator=pikepdf.String("highlight"), Producer=pikepdf.String("highlight"))
    packet = _xmp(options, info, bytes(range(32)), bytes(range(32, 64))).encode("utf-8")
    pdf = pikepdf.new()
    pdf.Root.Metadata = pikepdf.Stream(pdf, packet)
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False):
        pass  # what save(fix_metadata_version=True) did to it
    assert pdf.Root.Metadata.read_bytes().decode("utf-8") == packet.decode("utf-8")
