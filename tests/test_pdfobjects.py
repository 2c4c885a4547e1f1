"""pdfobjects: the finishing pass's reader and writer (issue 28, round 5: the build without pikepdf). The file it
writes is read by qpdf (pikepdf) as the objects it was written from, and the build's preflight of those objects
finds what the independent read-back of the bytes finds."""
from __future__ import annotations

import os

import pikepdf
import pytest
from conftest import EDITION, ROOT

from highlight import pdfobjects
from highlight.preflight import PreflightRules, preflight

EDITION_B = os.path.join(ROOT, "tests", "fixtures", "edition-b")


@pytest.fixture(scope="module", params=[(EDITION, "print"), (EDITION, "screen"), (EDITION_B, "print")],
                ids=["2022-23-print", "2022-23-screen", "edition-b-print"])
def finished(request, tmp_path_factory, monkeypatch_module):
    """(the finished PDF's bytes, the objects they were written from, the target) of a real build."""
    import highlight.render
    from highlight.build import BuildOptions, build

    edition, target = request.param
    made: list = []
    real = highlight.render.render_pdf
    monkeypatch_module.setattr(highlight.render, "render_pdf", lambda *a: made.append(real(*a)) or made[-1])
    out = tmp_path_factory.mktemp("finished") / "out.pdf"
    result = build(BuildOptions(edition, str(out), target=target))
    monkeypatch_module.undo()
    assert not result.diagnostics.has_errors() and made
    data = made[-1]
    assert out.read_bytes() == data
    return bytes(data), data.objects, target


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_qpdf_reads_the_written_file_without_a_complaint_as_the_objects_it_was_written_from(finished):
    """The file pdfobjects.write lays out (object streams, a cross-reference stream) is read by qpdf with no
    warning, and every object reached from its catalog and Info holds what the objects held; our own reader
    reads it back alike. Fails on the code before (no pdfobjects: pikepdf wrote the file)."""
    data, objects, _ = finished
    import io

    written = _graph(objects.trailer, pdfobjects)
    assert len(written) > 500  # (the structure tree's elements, each an object)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert _graph(pdf.trailer, pikepdf) == written
        assert [bytes(part) for part in pdf.trailer.ID] == list(objects.trailer["/ID"])
    assert _graph(pdfobjects.open_pdf(data).trailer, pdfobjects) == written


def _graph(trailer, api) -> list:
    """Every object reached from the trailer's /Root and /Info, in the order a walk meets them (keys sorted),
    each as plain values with the objects it names by their place in that order: two readers of one file
    give the same list whatever they number."""
    order: dict = {}
    queue: list = []

    def plain(value, top=False):
        if isinstance(value, (api.Stream, api.Dictionary, api.Array)) and value.objgen != (0, 0) and not top:
            if value.objgen not in order:
                order[value.objgen] = len(order)
                queue.append(value)
            return ("object", order[value.objgen])
        if isinstance(value, api.Stream):
            return ("stream", value.read_raw_bytes(), plain({k: v for k, v in value.items() if k != "/Length"}))
        if isinstance(value, (dict, api.Dictionary)):
            return [(str(k), plain(value[k])) for k in sorted(value.keys(), key=str)]
        if isinstance(value, (list, api.Array)):
            return [plain(v) for v in value]
        if isinstance(value, (api.Name, api.String)):
            return str(value)
        if isinstance(value, (bytes, bool, type(None))):
            return value
        return float(value)

    plain({"/Root": trailer["/Root"], "/Info": trailer["/Info"]})
    out = []
    while len(out) < len(queue):
        out.append(plain(queue[len(out)], top=True))
    return out


def test_the_builds_preflight_of_its_objects_finds_what_the_read_back_of_the_bytes_finds(finished):
    """The build checks the objects it writes (no pikepdf: 28 ms of every build process); walked whole, without
    the memo, they give the report pikepdf's reading of the written bytes gives, finding for finding. Fails on
    the code before (the preflight read bytes and paths only)."""
    data, objects, target = finished
    rules = PreflightRules(target=target, require_pdfx=target == "print")
    own = preflight(objects, rules).as_dict()
    assert own == preflight(data, rules).as_dict()
    assert own["ok"] and len(own["findings"]) > 40


CONTENT = (b"q 1 0 0 1 -.5 3. cm /Artifact BMC 0 0 0 1 k EMC /Span <</MCID 7 /Lang (zh-Hant)>> BDC BT\n"
           b"/F1+0 9 Tf 1 0 0 1 36.85 700 Tm [(a\\(b\\)) -20 (c(d)e) 40 <00410042>] TJ (x\\051y\\n) Tj ET EMC\n"
           b"% a comment\n/Name#20with#20spaces gs /P1 BDC EMC\n"
           b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q 0.2 g 10 10 20 20 re f* [1 2] 0 d true false null 3 sh\n")


@pytest.mark.parametrize("data", [CONTENT, CONTENT.replace(b"c(d)e", b"cde").replace(b"% a comment\n", b"")
                                  .split(b"BI ")[0]], ids=["general", "fast"])
def test_a_content_stream_parses_as_qpdf_parses_it(data):
    """Operators and operands as qpdf reads them: numbers, names (with #xx), strings with escapes and with
    balanced parentheses, hex strings, arrays, a BDC's dictionary, an inline image as one instruction; the
    fast path (one regular expression) and the general parser alike. Fails on the code before (no reader)."""
    pdf = pikepdf.new()
    stream = pikepdf.Stream(pdf, data)
    ours = pdfobjects.Stream()
    ours.raw = data

    def plain(value):
        if isinstance(value, (pikepdf.Dictionary, dict)):
            return {str(k): plain(value[k]) for k in value}
        if isinstance(value, (pikepdf.Array, list)) or type(value).__name__ == "_ObjectList":
            return [plain(v) for v in value]
        if isinstance(value, (bytes, pikepdf.String)):
            return "string"  # (ours as written, qpdf's decoded: the preflight reads neither)
        if isinstance(value, (bool, type(None))):
            return value
        if isinstance(value, (pikepdf.Name, str)):
            return str(value)
        return float(value)

    theirs = [(str(i.operator), plain(i.operands) if str(i.operator) != "INLINE IMAGE" else [])
              for i in pikepdf.parse_content_stream(stream)]
    mine = [(i.operator, plain(i.operands)) for i in pdfobjects.parse_content_stream(ours)]
    assert [op for op, _ in mine] == [op for op, _ in theirs]
    assert [operands for op, operands in mine if op != "INLINE IMAGE"] \
        == [operands for op, operands in theirs if op != "INLINE IMAGE"]
    assert (pdfobjects._content_fast(data) is None) == (b"BI" in data)


@pytest.mark.parametrize("ascii85", [False, True], ids=["flate", "ascii85"])
def test_a_picture_our_reader_decodes_or_not_gets_the_findings_qpdf_gives(ascii85, monkeypatch):
    """A CMYK picture Flate-compressed (our reader decodes it: its ink measured as pikepdf's PdfImage measures
    it) or behind a filter our reader does not decode (ASCII85, as ReportLab writes by default: the content
    stream too): the report is the read-back's either way, the second by reading the bytes with qpdf. Without
    the bytes to read back, the reader's PdfError is not hidden. Fails on the code before (no reader)."""
    import io

    from PIL import Image
    from reportlab import rl_config
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    monkeypatch.setattr(rl_config, "useA85", 1 if ascii85 else 0)
    picture = Image.new("CMYK", (40, 30), (200, 180, 160, 150))  # 270 % ink
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(595.276, 841.89), invariant=1, pageCompression=1)
    canvas.drawImage(ImageReader(picture), 100, 100, 40, 30)
    canvas.drawString(100, 300, "a line")
    canvas.showPage()
    canvas.save()
    data = buffer.getvalue()
    rules = PreflightRules(target="print", require_pdfx=False, min_image_ppi=10)
    objects = pdfobjects.open_pdf(data)
    theirs = preflight(data, rules).as_dict()
    assert preflight(objects, rules, read_back=data).as_dict() == theirs
    assert theirs["max_image_ink_percent"] > 250
    if ascii85:
        with pytest.raises(pdfobjects.PdfError):
            preflight(objects, rules)
    else:
        assert preflight(objects, rules).as_dict() == theirs


@pytest.mark.parametrize("text", [b"[ 1 2.5 -3 +4 .5 7. ]", b"[0 0 595.2756 841.8898]", b"[1]", b"[ ]", b"[1 0 R 2 0 R]",
                                  b"[1/Name 2]", b"[1 (a) 2]", b"[1.2.3]", b"[1 % note\n 2]", b"[[1 2] 3]", b"[-]"])
def test_an_array_of_numbers_reads_as_its_numbers_one_by_one_do(text, monkeypatch):
    """The reader takes an array of numbers alone (a font's /Widths) in one match: the same values, ints and floats
    alike, as reading it token by token; an array holding anything else (a reference, a name, a string, a comment,
    an array) is read token by token."""
    def read(data):
        parser = pdfobjects._Parser(b"1 0 obj\n" + data + b"\nendobj\n")
        kind, match, pos = parser.token(8)
        value, end = parser.value(kind, match, pos)
        return [(type(v).__name__, v.num if isinstance(v, pdfobjects._Ref) else v) for v in value], end

    fast = read(text)
    monkeypatch.setattr(pdfobjects, "_NUMBERS", __import__("re").compile(rb"(?!)"))
    assert fast == read(text)


@pytest.mark.parametrize("target", ["print", "screen"])
def test_the_finishing_pass_takes_reportlabs_objects_as_it_would_read_them_from_its_file(tmp_path, monkeypatch, target):
    """render._DirectObjects converts ReportLab's document into the objects pdfobjects reads from the file ReportLab
    would write, without writing it (issue 28: one pass): the finished PDF is byte for byte the one made through
    that file (the conversion refused, as it is for a document it does not know). Fails on the code before (no
    conversion: the file written and read back)."""
    from highlight import render
    from highlight.backends.pdf import PdfBackend
    from highlight.build import BuildOptions, build
    from highlight.diagnostics import Diagnostics

    result = build(BuildOptions(EDITION, str(tmp_path / "built.pdf"), target=target))
    assert result.document is not None and not result.diagnostics.has_errors()
    document = result.document._replace(key=None, page_keys=None)  # (nothing kept: drawn and finished afresh)
    taken: list = []
    real = render._DirectObjects.pdf
    monkeypatch.setattr(render._DirectObjects, "pdf", lambda self: taken.append(1) or real(self))
    direct = PdfBackend().render(document, Diagnostics())

    def refused(self):
        raise render._NotDirect("refused by the test")

    monkeypatch.setattr(render._DirectObjects, "pdf", refused)
    through_the_file = PdfBackend().render(document, Diagnostics())
    assert taken == [1] and bytes(direct) == bytes(through_the_file)
    assert bytes(direct) == (tmp_path / "built.pdf").read_bytes()
