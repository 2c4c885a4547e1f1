"""CFF → TrueType conversion: outlines, metrics, determinism, and that ReportLab can embed the result."""
from __future__ import annotations

import io

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.recordingPen import RecordingPen
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import flagCubic, flagOnCurve

from highlight.fontconvert import cff_to_truetype, needs_conversion

TRUETYPE = "\x00\x01\x00\x00"
ADVANCES = {".notdef": 500, "space": 250, "A": 600, "O": 700}
# A circle's quarter arcs: the handle length that makes a cubic follow a circle.
KAPPA = 0.5523


def _draw_box(pen, x0, y0, x1, y1, clockwise=False):
    """A rectangle; PostScript outer contours run counter-clockwise."""
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    if clockwise:
        corners.reverse()
    pen.moveTo(corners[0])
    for point in corners[1:]:
        pen.lineTo(point)
    pen.closePath()


def _draw_ellipse(pen, cx, cy, rx, ry, clockwise=False):
    """An ellipse of four cubic arcs with the extremes on the curve points."""
    kx, ky = rx * KAPPA, ry * KAPPA
    right, top, left, bottom = (cx + rx, cy), (cx, cy + ry), (cx - rx, cy), (cx, cy - ry)
    arcs = [  # counter-clockwise, starting at the bottom
        ((cx + kx, cy - ry), (cx + rx, cy - ky), right),
        ((cx + rx, cy + ky), (cx + kx, cy + ry), top),
        ((cx - kx, cy + ry), (cx - rx, cy + ky), left),
        ((cx - rx, cy - ky), (cx - kx, cy - ry), bottom),
    ]
    if clockwise:
        points = [bottom] + [p for arc in arcs for p in arc]
        points.reverse()  # bottom ... back to bottom, the other way round
        arcs = [tuple(points[i + 1:i + 4]) for i in range(0, 12, 3)]
    pen.moveTo(bottom)
    for c1, c2, end in arcs:
        pen.curveTo(c1, c2, end)
    pen.closePath()


DRAWINGS = {
    ".notdef": lambda pen: (_draw_box(pen, 50, 0, 450, 700), _draw_box(pen, 100, 50, 400, 650, clockwise=True)),
    "space": lambda pen: None,
    "A": lambda pen: _draw_box(pen, 100, 0, 500, 700),
    "O": lambda pen: (_draw_ellipse(pen, 350, 350, 300, 360), _draw_ellipse(pen, 350, 350, 200, 260, clockwise=True)),
}


def _build_cff_font() -> bytes:
    """A four-glyph CFF ('OTTO') font, saved to bytes."""
    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder(list(DRAWINGS))
    fb.setupCharacterMap({0x20: "space", 0x41: "A", 0x4F: "O"})
    charStrings = {}
    for name, draw in DRAWINGS.items():
        pen = T2CharStringPen(ADVANCES[name], None)
        draw(pen)
        charStrings[name] = pen.getCharString()
    fb.setupCFF("ConvTest-Regular", {"FullName": "ConvTest Regular"}, charStrings, {})
    metrics = {}
    for name, charString in charStrings.items():
        bounds = charString.calcBounds(None)
        metrics[name] = (ADVANCES[name], bounds[0] if bounds else 0)
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "ConvTest", "styleName": "Regular", "psName": "ConvTest-Regular"})
    fb.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    fb.setupPost()
    buffer = io.BytesIO()
    fb.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def cff_bytes() -> bytes:
    return _build_cff_font()


def _open(data: bytes) -> TTFont:
    # recalcTimestamp=False: saving must not stamp head.modified with the clock.
    return TTFont(io.BytesIO(data), recalcTimestamp=False)


def _convert(data: bytes, location=None) -> bytes:
    with _open(data) as font:
        cff_to_truetype(font, location)
        buffer = io.BytesIO()
        font.save(buffer)
        return buffer.getvalue()


def _signed_area(points) -> float:
    """Shoelace area: positive for counter-clockwise contours (y up)."""
    points = list(points)
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1])) / 2


@pytest.fixture(scope="module")
def converted(cff_bytes) -> bytes:
    return _convert(cff_bytes)


def test_tables_and_sfnt_version(cff_bytes, converted):
    with _open(cff_bytes) as font:
        assert needs_conversion(font)
    with _open(converted) as font:
        assert "glyf" in font and "loca" in font
        assert "CFF " not in font and "CFF2" not in font
        assert font.sfntVersion == TRUETYPE
        assert font["maxp"].tableVersion == 0x00010000
        assert font["maxp"].maxZones == 1
        assert font["post"].formatType == 3.0
        assert not needs_conversion(font)


def test_curves_become_quadratic_and_keep_their_bounds(cff_bytes, converted):
    with _open(cff_bytes) as font:
        glyphSet = font.getGlyphSet()
        boundsPen = BoundsPen(glyphSet)
        glyphSet["O"].draw(boundsPen)
        cffBounds = boundsPen.bounds
        recording = RecordingPen()
        glyphSet["O"].draw(recording)
        cubicOnCurve = sum(1 for op, _ in recording.value if op in ("moveTo", "lineTo", "curveTo"))
        assert any(op == "curveTo" for op, _ in recording.value)

    with _open(converted) as font:
        glyf = font["glyf"]
        glyph = glyf["O"]
        coordinates, endPts, flags = glyph.getCoordinates(glyf)
        assert glyph.numberOfContours == 2 and len(endPts) == 2
        assert not any(flag & flagCubic for flag in flags)
        assert any(flag & flagOnCurve for flag in flags)
        assert any(not flag & flagOnCurve for flag in flags)
        assert len(coordinates) > cubicOnCurve
        ttBounds = (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax)
        assert all(abs(a - b) <= 2 for a, b in zip(ttBounds, cffBounds)), (ttBounds, cffBounds)


def test_contours_turn_clockwise(cff_bytes, converted):
    with _open(cff_bytes) as font:
        recording = RecordingPen()
        font.getGlyphSet()["A"].draw(recording)
        cffPoints = [args[0] for op, args in recording.value if op in ("moveTo", "lineTo")]
        assert _signed_area(cffPoints) > 0  # counter-clockwise, as PostScript wants

    with _open(converted) as font:
        glyf = font["glyf"]
        coordinates, endPts, _ = glyf["A"].getCoordinates(glyf)
        assert endPts == [3]
        assert _signed_area(coordinates) < 0  # clockwise, as TrueType wants
        assert _signed_area(coordinates) == -_signed_area(cffPoints)
        # The counter of 'O' runs the other way round from its outer contour.
        coordinates, endPts, _ = glyf["O"].getCoordinates(glyf)
        outer = list(coordinates)[: endPts[0] + 1]
        inner = list(coordinates)[endPts[0] + 1:]
        assert _signed_area(outer) < 0 < _signed_area(inner)


def test_metrics_match(cff_bytes, converted):
    with _open(cff_bytes) as before, _open(converted) as after:
        assert before.getGlyphOrder() == after.getGlyphOrder()
        assert before.getBestCmap() == after.getBestCmap()
        for name in before.getGlyphOrder():
            assert after["hmtx"][name][0] == before["hmtx"][name][0] == ADVANCES[name]
            glyph = after["glyf"][name]
            expectedLsb = glyph.xMin if glyph.numberOfContours else 0
            assert after["hmtx"][name][1] == expectedLsb


def test_conversion_is_deterministic(cff_bytes, converted):
    assert _convert(cff_bytes) == converted


def test_reportlab_embeds_the_result(converted, tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as RLTTFont
    from reportlab.pdfgen.canvas import Canvas

    fontPath = tmp_path / "converted.ttf"
    fontPath.write_bytes(converted)
    face = RLTTFont("FontconvertTest", str(fontPath))
    assert face.stringWidth("AO", 10) == pytest.approx((600 + 700) / 1000 * 10)
    pdfmetrics.registerFont(face)

    pdfPath = tmp_path / "converted.pdf"
    canvas = Canvas(str(pdfPath), pagesize=(200, 100), invariant=1)
    canvas.setFont("FontconvertTest", 24)
    canvas.drawString(20, 40, "AO A")
    canvas.showPage()
    canvas.save()
    assert pdfPath.stat().st_size > 0
    assert b"FontFile2" in pdfPath.read_bytes()  # embedded as TrueType


def _build_variable_cff2_font() -> bytes:
    """A two-master CFF2 variable font (wght 400–700) whose 'A' widens and
    whose advances grow with weight, built with varLib in memory."""
    from fontTools import varLib
    from fontTools.designspaceLib import AxisDescriptor, DesignSpaceDocument, SourceDescriptor

    def master(stem, advance):
        fb = FontBuilder(1000, isTTF=False)
        fb.setupGlyphOrder([".notdef", "A"])
        fb.setupCharacterMap({0x41: "A"})
        charStrings = {}
        for name in (".notdef", "A"):
            pen = T2CharStringPen(advance, None)
            _draw_box(pen, 100, 0, 100 + stem, 700)
            charStrings[name] = pen.getCharString()
        fb.setupCFF("VarTest-Regular", {}, charStrings, {})
        fb.setupHorizontalMetrics({name: (advance, 100) for name in charStrings})
        fb.setupHorizontalHeader(ascent=800, descent=-200)
        fb.setupNameTable({"familyName": "VarTest", "styleName": "Regular", "psName": "VarTest-Regular"})
        fb.setupOS2()
        fb.setupPost()
        buffer = io.BytesIO()
        fb.save(buffer)
        return TTFont(io.BytesIO(buffer.getvalue()))

    doc = DesignSpaceDocument()
    axis = AxisDescriptor()
    axis.tag, axis.name, axis.minimum, axis.default, axis.maximum = "wght", "Weight", 400, 400, 700
    doc.addAxis(axis)
    masters = [master(400, 600), master(700, 900)]
    for font, weight in zip(masters, (400, 700)):
        source = SourceDescriptor()
        source.font, source.location = font, {"Weight": weight}
        doc.addSource(source)
    try:
        vf, _, _ = varLib.build(doc)
        buffer = io.BytesIO()
        vf.save(buffer)
        vf.close()
    finally:
        for font in masters:
            font.close()
    return buffer.getvalue()


def test_variable_cff2_is_instantiated_at_a_location():
    data = _build_variable_cff2_font()
    with _open(data) as font:
        assert "CFF2" in font and "HVAR" in font and needs_conversion(font)

    converted = _convert(data, {"wght": 550})
    assert _convert(data, {"wght": 550}) == converted
    with _open(converted) as font:
        assert font.sfntVersion == TRUETYPE
        for tag in ("CFF2", "fvar", "gvar", "HVAR", "MVAR", "avar", "STAT"):
            assert tag not in font
        glyph = font["glyf"]["A"]
        assert (glyph.xMin, glyph.xMax) == (100, 650)  # halfway between 500 and 800
        assert font["hmtx"]["A"] == (750, 100)  # halfway between 600 and 900

    # Without a location the default master is drawn and the axes are kept.
    default = _convert(data)
    with _open(default) as font:
        assert "CFF2" not in font and "fvar" in font
        assert font["hmtx"]["A"] == (600, 100)
        glyph = font["glyf"]["A"]
        assert (glyph.xMin, glyph.xMax) == (100, 500)


def test_vertical_origins_move_from_vorg_into_vmtx(cff_bytes):
    """TrueType has no VORG: the vertical origin is tsb + yMax, so tsb must carry it."""
    from fontTools.ttLib import newTable

    with _open(cff_bytes) as font:
        fb = FontBuilder(font=font)
        fb.setupVerticalMetrics({name: (1000, 0) for name in font.getGlyphOrder()})
        fb.setupVerticalHeader(ascent=500, descent=-500)
        vorg = font["VORG"] = newTable("VORG")
        vorg.majorVersion, vorg.minorVersion = 1, 0
        vorg.defaultVertOriginY, vorg.VOriginRecords = 880, {"A": 900}
        cff_to_truetype(font)
        assert "VORG" not in font
        vmtx, glyf = font["vmtx"], font["glyf"]
        assert vmtx["A"] == (1000, 900 - glyf["A"].yMax)
        assert vmtx["O"] == (1000, 880 - glyf["O"].yMax)
        assert vmtx["space"] == (1000, 0)


def test_the_font_pipeline_converts_a_cff_source_while_subsetting(cff_bytes, tmp_path):
    """fonts.py subsets a CFF face and saves TrueType outlines that ReportLab can embed."""
    from highlight.fonts import _measure, _subset

    source = tmp_path / "face.otf"
    source.write_bytes(cff_bytes)
    target = tmp_path / "derived.ttf"
    _subset(str(source), [ord("A"), ord("O")], str(target))
    with TTFont(str(target)) as font:
        assert "glyf" in font and "CFF " not in font
        assert {"A", "O"} <= set(font.getGlyphOrder())
    assert _measure(str(target))["advances"][str(ord("A"))] > 0
