"""Font manifest → fetched, verified, subset and cached faces, with their metrics.

Set-up (`highlight fonts`): download each source package named in
fonts/fonts.yaml, check its sha256, extract the faces and the licence, check
each face's sha256, and record the face's character map.

Build: subset each face to the characters the edition uses (cached by source
hash + character set, so a second build does no font work) and return the
metrics the text engine measures with.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from .atomic import replace_file
from .chars import is_cjk
from .diagnostics import BuildFailed, Diagnostics, SourceRef
from .paths import SAFE_NAME_HINT, safe_name
from .schema import INVALID, Field, Named, Number, Str, Struct, load_document

CACHE_DIR = os.path.join(".cache", "fonts")
MAX_DOWNLOAD_BYTES = 128 * 2**20  # the largest package (Noto Sans HK) is 37 MiB
SETUP_HINT = ("run `highlight fonts` (in a checkout: `make fonts`) with network access to fetch and verify the "
              "fonts again")
# Fixed so that derived fonts (and so the PDF) do not change with the clock.
_FIXED_FONT_TIMESTAMP = 0x7C259DC0


@dataclass(frozen=True)
class Licence:
    ref: SourceRef
    member: str
    sha256: str
    name: str


@dataclass(frozen=True)
class FontSource:
    ref: SourceRef
    registry: str
    package: str
    version: str
    url: str
    sha256: str
    licence: Licence


@dataclass(frozen=True)
class FaceSpec:
    ref: SourceRef
    source: str
    member: str
    sha256: str
    location: dict | None = None  # axis values for a variable source, e.g. {wght: 700}


@dataclass(frozen=True)
class Family:
    ref: SourceRef
    regular: str
    bold: str


@dataclass(frozen=True)
class Manifest:
    ref: SourceRef
    sources: dict
    faces: dict
    families: dict


MANIFEST = Struct(Manifest, {
    "sources": Field(Named(Struct(FontSource, {
        "registry": Field(Str("Where the package lives", choices=("npm", "pypi")), required=True),
        "package": Field(Str(), required=True), "version": Field(Str(), required=True),
        "url": Field(Str("The package file's download address"), required=True),
        "sha256": Field(Str(), required=True),
        "licence": Field(Struct(Licence, {"member": Field(Str(), required=True), "sha256": Field(Str(), required=True),
                                          "name": Field(Str(), required=True)}), required=True)})), required=True),
    "faces": Field(Named(Struct(FaceSpec, {
        "source": Field(Str(), required=True), "member": Field(Str(), required=True),
        "sha256": Field(Str(), required=True),
        "location": Field(Named(Number("Axis value"), "For a variable source: the instance, e.g. {wght: 700}"))})),
        required=True),
    "families": Field(Named(Struct(Family, {"regular": Field(Str(), required=True),
                                            "bold": Field(Str(), required=True)})), required=True),
}, "The font manifest")


def load_manifest(path: str, diags: Diagnostics, cache: dict | None = None) -> Manifest:
    manifest = load_document(path, MANIFEST, diags, cache)  # (cache: a build session's parsed files)
    if manifest is INVALID:
        raise BuildFailed(diags)
    # Face and source keys name files in .cache/fonts: nothing that could climb out of it.
    for kind, names in (("face", manifest.faces), ("source", manifest.sources)):
        for name, item in names.items():
            if not safe_name(name):
                diags.fatal("bad-name", f"the {kind} name {name!r} is not a plain name (it becomes a file name "
                            "in .cache/fonts)", item.ref, hint=SAFE_NAME_HINT.replace(", e.g. 2023-24", ", e.g. cjk-bold"))
    for name, source in manifest.sources.items():
        if not re.fullmatch(r"https://[A-Za-z0-9.-]+(:[0-9]+)?/[!-~]*", source.url) or "/." in source.url \
                or "\\" in source.url:
            diags.fatal("font-url", f"source '{name}' is fetched from {source.url!r}; only https:// addresses are "
                        "allowed (a host, then a path without '..', spaces or control characters)", source.ref,
                        hint="give the package's https address on its registry")
        elif not safe_name(os.path.basename(source.url)):
            diags.fatal("font-url", f"source '{name}': the address must end in a plain file name, not "
                        f"{os.path.basename(source.url)!r}", source.ref,
                        hint="give the package file's address, e.g. https://registry.npmjs.org/…/noto-sans-0.4.2.tgz")
        if not re.fullmatch(r"[0-9a-f]{64}", source.sha256):
            diags.fatal("font-checksum", f"source '{name}': sha256 must be 64 lowercase hex digits", source.ref,
                        hint="copy the pin from `sha256sum` of the package file")
    for name, face in manifest.faces.items():
        if face.source not in manifest.sources:
            diags.error("unknown-source", f"face '{name}' names source '{face.source}', which is not listed",
                        face.ref, hint="sources: " + ", ".join(manifest.sources))
    for name in ("latin", "cjk"):
        family = manifest.families.get(name)
        if family is None:
            diags.error("missing-family", f"families: needs '{name}'", manifest.ref,
                        hint=f"add {name}: {{regular: <face>, bold: <face>}} under families:")
            continue
        for face in (family.regular, family.bold):
            if face not in manifest.faces:
                diags.error("unknown-face", f"family '{name}' names face '{face}', which is not listed", family.ref,
                            hint="faces: " + ", ".join(manifest.faces))
    diags.raise_if_errors()
    return manifest


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def face_path(name: str, cache_dir: str = CACHE_DIR) -> str:
    return os.path.join(cache_dir, f"{name}.ttf")


def fetch_fonts(manifest: Manifest, diags: Diagnostics, cache_dir: str = CACHE_DIR,
                progress: Callable[[str], None] | None = None) -> list[str]:
    """Download, verify and extract every face (skipping what is already verified); return what it did.
    `progress` is told each step as it starts (set-up on a fresh machine takes a while)."""
    import tarfile  # set-up only: keep them out of the build's start-up
    import urllib.error
    import urllib.request

    done = []
    for name, source in manifest.sources.items():
        faces = {fname: f for fname, f in manifest.faces.items() if f.source == name}
        licence_path = os.path.join(cache_dir, f"LICENSE-{name}.txt")
        if all(_verified(face_path(f, cache_dir), spec.sha256) for f, spec in faces.items()) and \
                _verified(licence_path, source.licence.sha256):
            continue
        archive = os.path.join(cache_dir, "downloads", os.path.basename(source.url))
        data = _read_if_verified(archive, source.sha256)
        if data is None:
            if progress:
                progress(f"downloading {source.package} {source.version} from {source.url}")
            try:
                data = _download(source.url, MAX_DOWNLOAD_BYTES)
            except DownloadTooLarge:
                diags.fatal("font-download", f"{source.url} is larger than {MAX_DOWNLOAD_BYTES // 2**20} MiB; "
                            "nothing was written", source.ref,
                            hint="font packages are tens of MB; check the address in fonts/fonts.yaml")
                continue
            except (urllib.error.URLError, OSError, ValueError) as exc:
                diags.fatal("font-download", f"cannot download {source.package} {source.version} from {source.url}: "
                            f"{getattr(exc, 'reason', exc)}", source.ref,
                            hint="check the network connection (the fonts come from the npm registry once, then "
                                 "from the cache), then run the command again")
                continue
            if _sha256(data) != source.sha256:
                diags.fatal("font-checksum", f"{source.package} {source.version} downloaded with sha256 {_sha256(data)}, "
                            f"but fonts.yaml pins {source.sha256}", source.ref,
                            hint="the registry served other bytes; do not change the pin without checking the package")
                continue
            replace_file(archive, data)
        if progress:
            progress(f"extracting and verifying {len(faces)} faces from {source.package} {source.version}")
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            wanted = {spec.member: (face_path(f, cache_dir), spec.sha256, spec.ref) for f, spec in faces.items()}
            wanted[source.licence.member] = (licence_path, source.licence.sha256, source.licence.ref)
            for member, (target, sha, ref) in wanted.items():
                try:
                    extracted = tar.extractfile(member)
                    if extracted is None:  # a folder or a link, not a file
                        raise KeyError(member)
                    blob = extracted.read()
                except KeyError:
                    diags.fatal("font-member", f"{source.package} has no file {member}", ref,
                                hint="check the face's file name against the package's listing (tar tf)")
                    continue
                if _sha256(blob) != sha:
                    diags.fatal("font-checksum", f"{member} has sha256 {_sha256(blob)}, fonts.yaml pins {sha}", ref,
                                hint="the package is not the one pinned: check its version, then the pin")
                    continue
                replace_file(target, blob)
                if target.endswith(".ttf"):
                    _write_cmap(target)
                done.append(target)
    diags.raise_if_errors()
    return done


class DownloadTooLarge(Exception):
    """The server sent more than the cap: the download was stopped."""


def _download(url: str, cap: int) -> bytes:
    """The bytes at an https `url`, at most `cap` of them (more raises DownloadTooLarge); kept in memory,
    so nothing is written before the caller checked the checksum."""
    import urllib.request

    if not url.startswith("https://"):
        raise ValueError(f"only https:// addresses are fetched, not {url!r}")
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 (https only, checked above)
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > cap:
            raise DownloadTooLarge(url)
        chunks, size = [], 0
        while chunk := response.read(1 << 20):
            size += len(chunk)
            if size > cap:
                raise DownloadTooLarge(url)
            chunks.append(chunk)
    return b"".join(chunks)


def _verified(path: str, sha: str) -> bool:
    return _read_if_verified(path, sha) is not None


def _read_if_verified(path: str, sha: str) -> bytes | None:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    return data if _sha256(data) == sha else None


def _write_cmap(ttf_path: str) -> None:
    """Record the face's characters once, so a build checks coverage without parsing the 7 MB face."""
    from fontTools.ttLib import TTFont

    with TTFont(ttf_path, lazy=True) as font:
        codepoints = sorted(font.getBestCmap())
    replace_file(ttf_path + ".cmap.json", json.dumps(codepoints).encode())


@dataclass(frozen=True)
class Face:
    """A subset face ready to embed, with the metrics the text engine needs."""

    name: str  # manifest name, e.g. cjk-bold
    path: str  # the derived subset TTF
    units_per_em: int
    advances: dict  # codepoint -> advance width in font units
    ascender: int
    descender: int
    kerning: dict  # (codepoint, codepoint) -> adjustment in font units
    # codepoint -> its ink's (xmin, ymin, xmax, ymax) in font units, None for a glyph without ink: the characters
    # the text engine places by their ink (INK_MEASURED), measured with the advances so that setting a footnote
    # marker or a —— does not import fontTools and open the face in every process (issue 28: 67 ms an edit)
    inks: dict = field(default_factory=dict)

    def kern_pt(self, left: str, right: str, size_pt: float) -> float:
        value = self.kerning.get((ord(left), ord(right)))
        return value * size_pt / self.units_per_em if value else 0.0

    def width_pt(self, text: str, size_pt: float) -> float:
        adv = self.advances
        return sum(adv.get(ord(c), 0) for c in text) * size_pt / self.units_per_em  # unkerned: as drawn

    def has(self, char: str) -> bool:
        return ord(char) in self.advances


@dataclass(frozen=True)
class FontSet:
    faces: dict  # name -> Face
    families: dict  # family -> {weight: face name}
    coverage: dict  # face name -> frozenset of codepoints in the full face

    def face(self, family: str, weight: str) -> Face:
        return self.faces[self.families[family][weight]]


def faces_present(manifest: Manifest, cache_dir: str = CACHE_DIR) -> bool:
    """Every face and its character map is in the cache (checked further when read)."""
    return all(os.path.exists(face_path(name, cache_dir)) and os.path.exists(face_path(name, cache_dir) + ".cmap.json")
               for name in manifest.faces)


def check_faces_present(manifest: Manifest, diags: Diagnostics, cache_dir: str = CACHE_DIR) -> None:
    for name, spec in manifest.faces.items():
        path = face_path(name, cache_dir)
        if not os.path.exists(path) or not os.path.exists(path + ".cmap.json"):
            diags.fatal("font-missing", f"face '{name}' is not set up ({path} is missing)", spec.ref, hint=SETUP_HINT)
    diags.raise_if_errors()


def load_coverage(manifest: Manifest, diags: Diagnostics, cache_dir: str = CACHE_DIR) -> dict:
    """Each face's character map. The weights of one family usually map the same characters (Noto Sans HK's two
    files: 24,000 code points each): a map whose file holds the same bytes as one read before is that one's
    set, not parsed again (2-3 ms of every build's set-up); and each is read from its binary copy (_codepoints)."""
    coverage = {}
    read: dict[bytes, frozenset] = {}
    for name, spec in manifest.faces.items():
        try:
            path = face_path(name, cache_dir) + ".cmap.json"
            with open(path, "rb") as f:
                data = f.read()
            found = read.get(data)
            coverage[name] = read[data] = found if found is not None else _codepoints(path, data)
        except (OSError, ValueError):
            diags.fatal("font-corrupt", f"the character map of face '{name}' cannot be read", spec.ref, hint=SETUP_HINT)
    diags.raise_if_errors()
    return coverage


def _codepoints(path: str, data: bytes) -> frozenset:
    """The code points of the character map `data` (the JSON list at `path`): from `path`.u32 beside it, the same
    list as unsigned 32-bit integers after a header naming the JSON's sha256, the machine's byte order and the
    integers' size; parsed from the JSON and that copy written (whole, renamed into place) when it is missing,
    damaged or of another JSON. Parsing the JSON's 24,000 integers was 29 M instructions of every build (2.2 % of
    a build after an edit), the copy 17 M; a fonts folder that cannot be written to keeps parsing."""
    import array

    header = f"highlight-cmap/1 {sys.byteorder} {array.array('I').itemsize} {_sha256(data)}\n".encode()
    try:
        with open(path + ".u32", "rb") as f:
            kept = f.read()
        if kept.startswith(header) and (len(kept) - len(header)) % 4 == 0 and array.array("I").itemsize == 4:
            codes = array.array("I")
            codes.frombytes(memoryview(kept)[len(header):])
            return frozenset(codes)
    except OSError:
        pass
    parsed = json.loads(data.decode("utf-8"))
    if type(parsed) is not list or not all(type(c) is int and 0 <= c <= 0x10FFFF for c in parsed):
        raise ValueError("not a list of code points")
    if array.array("I").itemsize == 4:
        try:
            replace_file(path + ".u32", header + array.array("I", parsed).tobytes())
        except OSError:
            pass
    return frozenset(parsed)


def family_coverage(manifest: Manifest, coverage: dict, characters=None) -> dict:
    """What the families can draw: the characters that, at every weight, the Latin or the CJK face has
    (faces listed but named by no family draw nothing). One entry, in the shape of `coverage`; of `characters`
    only, when given (the faces' unions and their intersection cost 5 ms a build)."""
    latin, cjk = manifest.families["latin"], manifest.families["cjk"]
    if characters is not None:
        pairs = [(coverage[getattr(latin, w)], coverage[getattr(cjk, w)]) for w in ("regular", "bold")]
        return {"families": frozenset(cp for cp in map(ord, characters)
                                      if all(cp in a or cp in b for a, b in pairs))}
    weights = [coverage[getattr(latin, w)] | coverage[getattr(cjk, w)] for w in ("regular", "bold")]
    return {"families": frozenset.intersection(*weights)}


def check_cjk_family(manifest: Manifest, coverage: dict, used: dict, diags: Diagnostics,
                     allow: bool = False) -> set:
    """The CJK family must have every CJK character of the text, at each weight: a CJK family mapped to a
    Latin face would otherwise print every Chinese character from a fallback, or as a box. One error per
    face, at the first character it lacks; returns the characters reported (a character in no face at all
    is left to the missing-glyph check)."""
    faces = tuple(coverage.values())
    cjk = manifest.families["cjk"]
    reported: set = set()
    for weight in ("regular", "bold"):
        face = getattr(cjk, weight)
        lacking = sorted((ref, char) for char, ref in used.items()
                         if is_cjk(char) and ord(char) not in coverage[face] and any(ord(char) in f for f in faces))
        if not lacking:
            continue
        reported.update(char for _, char in lacking)
        ref, char = lacking[0]
        total = sum(1 for c in used if is_cjk(c))
        message = (f"the cjk family's {weight} face '{face}' lacks {len(lacking)} of the {total} CJK characters "
                   f"of the text, first U+{ord(char):04X} {char!r}")
        hint = f"map families.cjk.{weight} in fonts/fonts.yaml to a face with Chinese glyphs (e.g. cjk-{weight})"
        if allow:
            diags.warning("missing-glyph", message + "; they are drawn from another face", ref, hint=hint)
        else:
            diags.error("missing-glyph", message, ref, hint=hint)
    return reported


def prepare_fonts(manifest: Manifest, characters: set, diags: Diagnostics, cache_dir: str = CACHE_DIR,
                  coverage: dict | None = None) -> FontSet:
    """Subset every face to `characters` (what it has of them), reusing cached subsets; `coverage`: the faces'
    load_coverage when the caller has read it already."""
    check_faces_present(manifest, diags, cache_dir)
    if coverage is None:
        coverage = load_coverage(manifest, diags, cache_dir)
    faces = {}
    for name, spec in manifest.faces.items():
        wanted = sorted(ord(c) for c in characters if ord(c) in coverage[name])
        location = sorted((spec.location or {}).items())
        prefix = _sha256(f"{spec.sha256}:{location}".encode())[:8]
        key = _sha256(f"{spec.sha256}:{location}:{','.join(map(str, wanted))}".encode())[:16]
        derived_dir = os.path.join(cache_dir, "derived")
        derived = os.path.join(derived_dir, f"{name}-{prefix}-{key}.ttf")
        if not os.path.exists(derived):
            # A cached subset with every wanted character serves as well: glyph IDs are the source
            # face's in every subset, so the PDF comes out byte for byte the same.
            derived = _cached_superset(derived_dir, f"{name}-{prefix}-", set(wanted)) or derived
        if not os.path.exists(derived):
            try:
                _subset(face_path(name, cache_dir), wanted, derived, spec.location)
            except OSError as exc:  # a read-only or full cache is not a damaged face
                diags.fatal("cache-unwritable", f"cannot write the subset of face '{name}' into "
                            f"{os.path.dirname(derived)}: {exc.strerror or exc}", spec.ref,
                            hint="make .cache writable (or free disk space); the faces themselves are fine")
                continue
            except Exception as exc:  # fontTools raises many kinds on a damaged file
                diags.fatal("font-corrupt", f"face '{name}' cannot be subset: {exc}", spec.ref, hint=SETUP_HINT)
                continue
        faces[name] = _load_metrics(name, derived, face_path(name, cache_dir))
    diags.raise_if_errors()
    families = {fam: {"regular": f.regular, "bold": f.bold} for fam, f in manifest.families.items()}
    return FontSet(faces, families, coverage)


def _cached_superset(folder: str, prefix: str, wanted: set) -> str | None:
    """The smallest cached subset of this face (same source and instance) holding every wanted character."""
    best = None
    try:
        names = sorted(n for n in os.listdir(folder) if n.startswith(prefix) and n.endswith(".ttf"))
    except OSError:
        return None
    for filename in names:
        path = os.path.join(folder, filename)
        try:
            with open(path + ".metrics.json", encoding="utf-8") as f:
                has = {int(cp) for cp in json.load(f)["advances"]}
        except (OSError, ValueError, KeyError):
            continue
        if wanted <= has and (best is None or len(has) < best[0]):
            best = (len(has), path)
    return best[1] if best else None


def _subset(source: str, codepoints: list, target: str, location: dict | None = None) -> None:
    from fontTools.ttLib import TTFont

    # recalcBBoxes off: head/hhea/maxp keep the source face's values whatever the subset holds.
    with TTFont(source, recalcTimestamp=False, recalcBBoxes=False) as font:
        _subset_font(font, codepoints, target, location)
    import gc

    if not gc.isenabled():  # (a `highlight build` process runs without the collector, cli._no_cyclic_collection:
        gc.collect()  # a face's tables and the subsetter hold each other, 10-20 MB of a first build's peak)


def _subset_font(font, codepoints: list, target: str, location: dict | None = None) -> None:
    from fontTools import subset

    from .fontconvert import cff_to_truetype, needs_conversion

    options = subset.Options()
    options.layout_features = ["kern"]  # no shaping is applied; keep the subset small
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    # ReportLab re-subsets what it embeds (used glyphs only, renumbered, composites remapped), so the PDF
    # depends on the glyphs' data and the tables below, not on which cached subset (exact or superset)
    # a build reads: tests/test_fonts_setup.py proves the bytes equal. Keeping the source's glyph IDs
    # (retain_gids) was tried and is not needed; it made each CJK subset 20,000 glyphs long and slow to load.
    options.prune_unicode_ranges = False
    options.recalc_bounds = False
    options.recalc_max_context = False
    options.recalc_average_width = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints or [0x20])
    os2 = font.get("OS/2", None)
    char_range = (os2.usFirstCharIndex, os2.usLastCharIndex) if os2 else None
    subsetter.subset(font)
    if os2 is not None and char_range is not None:
        # The subsetter narrows these to the subset's characters; ReportLab copies OS/2 into the PDF,
        # so keep the source's values and every subset of the face embeds alike.
        font["OS/2"].usFirstCharIndex, font["OS/2"].usLastCharIndex = char_range
        font["OS/2"].updateFirstAndLastCharIndex = lambda ttFont: None  # compile() would narrow them again
    if needs_conversion(font):
        # ReportLab embeds TrueType outlines only: convert what the subset kept (cheap, cached).
        cff_to_truetype(font, location)
    font["head"].modified = _FIXED_FONT_TIMESTAMP
    font["head"].created = _FIXED_FONT_TIMESTAMP
    buffer = io.BytesIO()
    font.save(buffer)
    replace_file(target, buffer.getvalue())


# The characters text.py places by their ink, not their advance: the footnote markers (model.FOOTNOTE_MARKERS, moved
# to touch their word and centred on a capital's height) and the dashes joined ink to ink (—— and ……).
INK_MEASURED = "*ΔΩ◊#^—…"


def _load_metrics(name: str, path: str, source: str) -> Face:
    """The face's advances, kerning and the inks of INK_MEASURED, measured once and then read from a JSON beside
    the subset (one measured before inks were kept is measured again)."""
    sidecar = path + ".metrics.json"
    try:
        with open(sidecar, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict) or "inks" not in data:
        data = _measure(path, source)
        replace_file(sidecar, json.dumps(data, sort_keys=True).encode())
    advances = {int(cp): adv for cp, adv in data["advances"].items()}
    kerning = {tuple(map(int, pair.split(","))): value for pair, value in data["kerning"].items()}
    inks = {int(cp): tuple(bounds) if bounds else None for cp, bounds in data["inks"].items()}
    return Face(name, path, data["units_per_em"], advances, data["ascender"], data["descender"], kerning, inks)


def _measure(path: str, source: str | None = None) -> dict:
    """Advances from the subset; kerning from the source face (the subsetter may prune a pair-positioning
    subtable that decided a pair in the full face, so a subset's kerning could differ from another's)."""
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        cmap = font.getBestCmap()
        hmtx = font["hmtx"].metrics
        hhea = font["hhea"]
        glyphs = font.getGlyphSet()
        inks: dict = {}
        for char in INK_MEASURED:
            if ord(char) in cmap:
                pen = BoundsPen(glyphs)
                glyphs[cmap[ord(char)]].draw(pen)
                inks[str(ord(char))] = list(pen.bounds) if pen.bounds else None
        data = {
            "units_per_em": font["head"].unitsPerEm,
            "ascender": hhea.ascent,
            "descender": hhea.descent,
            "advances": {str(cp): hmtx[glyph][0] for cp, glyph in cmap.items()},
            "inks": inks,
        }
        if source is None:
            data["kerning"] = {f"{a},{b}": v for (a, b), v in _kerning(font, cmap).items()}
            return data
    with TTFont(source, lazy=True) as full:
        full_cmap = {cp: glyph for cp, glyph in full.getBestCmap().items() if cp in cmap}
        data["kerning"] = {f"{a},{b}": v for (a, b), v in _kerning(full, full_cmap).items()}
    return data


def _kerning(font, cmap: dict) -> dict:
    """Pair kerning of the GPOS 'kern' feature, by code point (first subtable covering a pair wins)."""
    if "GPOS" not in font:
        return {}
    gpos = font["GPOS"].table
    if not gpos.FeatureList or not gpos.LookupList:
        return {}
    lookups = sorted({i for record in gpos.FeatureList.FeatureRecord if record.FeatureTag == "kern"
                      for i in record.Feature.LookupListIndex})
    by_glyph: dict[str, list[int]] = {}
    for cp, glyph in cmap.items():
        by_glyph.setdefault(glyph, []).append(cp)
    glyphs = sorted(by_glyph)
    decided: set = set()
    pairs: dict = {}
    for index in lookups:
        lookup = gpos.LookupList.Lookup[index]
        for subtable in lookup.SubTable:
            if lookup.LookupType == 9:  # extension: the real subtable is inside
                subtable = subtable.ExtSubTable
            if getattr(subtable, "LookupType", 2) != 2 or not hasattr(subtable, "Coverage"):
                continue
            for first_index, first in enumerate(subtable.Coverage.glyphs):
                if first not in by_glyph:
                    continue
                if subtable.Format == 1:
                    for record in subtable.PairSet[first_index].PairValueRecord:
                        value = getattr(record.Value1, "XAdvance", 0) if record.Value1 else 0
                        if record.SecondGlyph in by_glyph and (first, record.SecondGlyph) not in decided:
                            decided.add((first, record.SecondGlyph))
                            if value:
                                pairs[(first, record.SecondGlyph)] = value
                elif subtable.Format == 2:
                    row = subtable.Class1Record[subtable.ClassDef1.classDefs.get(first, 0)].Class2Record
                    for second in glyphs:
                        if (first, second) in decided:
                            continue
                        decided.add((first, second))
                        record = row[subtable.ClassDef2.classDefs.get(second, 0)]
                        value = getattr(record.Value1, "XAdvance", 0) if record.Value1 else 0
                        if value:
                            pairs[(first, second)] = value
    return {(a, b): v for (g1, g2), v in pairs.items() for a in by_glyph[g1] for b in by_glyph[g2]}
