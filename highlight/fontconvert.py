"""Convert CFF / CFF2 outlines to TrueType ('glyf') outlines.

ReportLab embeds only TrueType outlines, so a face whose source is a CFF
(.otf) or CFF2 variable font is converted after subsetting and before it is
saved. The cubic curves are approximated by quadratic ones (cu2qu), and the
contours are reversed, because PostScript outlines run counter-clockwise and
TrueType outlines clockwise. The result depends only on the input: nothing
here reads the clock or draws random numbers.
"""
from __future__ import annotations

from fontTools.misc.fixedTools import otRound
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

__all__ = ["cff_to_truetype", "needs_conversion"]

# Maximum distance, in font units, between a cubic curve and its quadratic
# approximation: the value cu2qu recommends for a 1000-unit em.
MAX_ERR = 1.0

# Tables that only describe variation. They are dropped when an instance is
# drawn at a fixed location: the outlines and advances no longer vary.
_VARIATION_TABLES = ("fvar", "gvar", "HVAR", "MVAR", "VVAR", "avar", "STAT")

_TRUETYPE_SFNT_VERSION = "\x00\x01\x00\x00"


def needs_conversion(font: TTFont) -> bool:
    """Return True when the font has PostScript outlines and no TrueType ones."""
    return ("CFF " in font or "CFF2" in font) and "glyf" not in font


def cff_to_truetype(font: TTFont, location: dict | None = None) -> None:
    """Replace the font's CFF or CFF2 outlines with TrueType outlines, in place.

    With ``location`` (user-space axis coordinates such as ``{"wght": 700}``)
    a variable CFF2 font is drawn at that location, its advance widths are
    taken at that location too, and its variation tables are removed, so the
    result is a static instance. Without it the default outlines are used.
    """
    glyphOrder = font.getGlyphOrder()
    glyphSet = font.getGlyphSet(location=location)

    glyphs = {}
    for glyphName in glyphOrder:
        pen = TTGlyphPen(None)
        cu2quPen = Cu2QuPen(pen, MAX_ERR, reverse_direction=True)
        glyphSet[glyphName].draw(cu2quPen)
        glyphs[glyphName] = pen.glyph()

    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = glyphOrder
    glyf.glyphs = glyphs
    font["loca"] = newTable("loca")  # filled in when 'glyf' is compiled
    for glyphName in glyphOrder:
        glyf[glyphName].recalcBounds(glyf)

    _updateHorizontalMetrics(font, glyf, glyphSet, instantiated=bool(location))
    if "vmtx" in font:
        _updateVerticalMetrics(font, glyf, glyphSet, instantiated=bool(location))

    for tag in ("CFF ", "CFF2", "VORG"):
        if tag in font:
            del font[tag]
    if location:
        for tag in _VARIATION_TABLES:
            if tag in font:
                del font[tag]

    _setTrueTypeMaxp(font)

    # Format 2 stores every glyph name and overflows on large CJK fonts;
    # nothing downstream needs the names.
    post = font["post"]
    post.formatType = 3.0
    for attr in ("extraNames", "mapping", "glyphOrder"):
        if hasattr(post, attr):
            delattr(post, attr)

    # loca's format (head.indexToLocFormat) is chosen when 'loca' is compiled.
    font["head"].glyphDataFormat = 0
    font.sfntVersion = _TRUETYPE_SFNT_VERSION


def _updateHorizontalMetrics(font, glyf, glyphSet, instantiated):
    """Make the left side bearings (and, for an instance, the advances) match
    the new outlines: in TrueType lsb is expected to equal the glyph's xMin."""
    hmtx = font["hmtx"]
    for glyphName, glyph in glyf.glyphs.items():
        advance, _ = hmtx[glyphName]
        if instantiated:
            advance = otRound(glyphSet[glyphName].width)
        lsb = glyph.xMin if glyph.numberOfContours else 0
        hmtx[glyphName] = (advance, lsb)
    # hhea's advanceWidthMax and side-bearing extremes are recalculated from
    # hmtx and glyf when the font is saved.


def _updateVerticalMetrics(font, glyf, glyphSet, instantiated):
    """Keep vertical metrics usable once 'VORG' is gone: TrueType derives the
    vertical origin from tsb + yMax, so fold VORG's origins into tsb."""
    vmtx = font["vmtx"]
    vorg = font.get("VORG")
    for glyphName, glyph in glyf.glyphs.items():
        height, tsb = vmtx[glyphName]
        if instantiated and glyphSet[glyphName].height is not None:
            height = otRound(glyphSet[glyphName].height)
        if vorg is not None:
            originY = vorg.VOriginRecords.get(glyphName, vorg.defaultVertOriginY)
            tsb = originY - glyph.yMax if glyph.numberOfContours else 0
        vmtx[glyphName] = (height, tsb)


def _setTrueTypeMaxp(font):
    """Give 'maxp' the version 1.0 fields that TrueType outlines require.

    There are no instructions, so the hinting limits are the minimum values;
    the point and contour counts come from the new 'glyf' table."""
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    maxp.maxTwilightPoints = 0
    maxp.maxStorage = 0
    maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = 0
    maxp.maxStackElements = 0
    maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = 0
    maxp.maxComponentDepth = 0
    maxp.recalc(font)
