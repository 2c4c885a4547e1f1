"""The pipeline: load → validate → fonts → lay out → check → render → atomic write."""
from __future__ import annotations

import hashlib
import json
import os
import time
import unicodedata
from dataclasses import dataclass, field, replace

from . import linestore, wordbreaks
from .atomic import replace_file, write_atomically
from .charts import check_palette, check_regions
from .check import check_laid_out
from .content import Edition, load_edition, page_texts, ref_of
from .diagnostics import BuildFailed, Diagnostics, Severity, SourceRef
from .fonts import (
    FontSet,
    Manifest,
    check_cjk_family,
    check_faces_present,
    family_coverage,
    load_coverage,
    load_manifest,
    prepare_fonts,
)
from .kinds import kind_of
from .layout import LaidOutPage, Picture, TextLine, layout_edition
from .layout_spec import MM, Layout, load_layout
from .parity import check_parity
from .paths import EDITION_NAME_HINT, check_output, find_project, name_problem, output_slug
from .render import RenderOptions, render_pdf
from .text import TextSetter, plain

# Characters the layout itself prints (figures of tables, page numbers, the slug line).
GENERATED_CHARACTERS = set("0123456789,.%+- |") | set("Annual Highlights page highlight")


@dataclass(frozen=True)
class BuildOptions:
    edition_dir: str
    output: str | None = None
    marks: bool = True
    allow_missing_glyphs: bool = False  # a character no font has is a warning and a visible box
    lang: str | None = None  # "en" or "zh" for a single-language variant
    preflight: bool = True  # read the PDF back as a print shop's preflight would before it replaces the old one
    target: str = "print"  # or "screen": RGB, trim-sized, links and bookmarks, out/highlights-<edition>-screen.pdf
    report: bool = False  # the typography report: its findings become warnings
    greedy: bool = False  # first-fit line breaking, only to compare with total fit: a preview
    strict: bool = False  # warnings fail the build too, and a failed build writes nothing
    preview: str = ""  # why this build is not for print ("watch"), or "" (a --greedy build is one anyway)
    proof: bool = False  # render what was laid out even when it has errors (for `proof`: never the print path)
    final: bool = False  # a press build: a placeholder (a QR code without a url, a missing picture) is an error

    @property
    def preview_reason(self) -> str:
        """Why the PDF is a preview and may not be written over the print PDF, or "" for a print build."""
        if self.proof:
            return "proof"
        if self.greedy:
            return "first-fit breaking"
        if self.preview or not self.preflight:
            return "no preflight"
        return ""


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    output: str | None = None
    preview: str = ""  # the preview_reason of the options: the summary line marks the PDF "not for print"
    name: str = ""  # the name its outputs take, the edition folder's (proofs go to out/proof/<name>/)
    pages: list = field(default_factory=list)
    fonts: int = 0
    seconds: float = 0.0
    layout: Layout | None = None  # what the pages were laid out with (for proofs)
    typography: list | None = None  # the typography report, when asked for
    font_set: object = None  # the FontSet the pages were set with (serve reports the pages that changed)
    pictures: list = field(default_factory=list)  # images.PictureReport per placed picture


# A page whose frames cannot be placed: its missing text is a consequence, not a second error (one per cause).
UNPLACEABLE = frozenset({"unknown-frame", "unknown-template", "frame-cycle"})


def output_name(edition_dir: str) -> str:
    """The name an edition's PDF and proofs are written under: its folder's, not the `edition:` inside it,
    so two folders holding one edition (a draft beside the final) never overwrite each other's PDF."""
    return output_slug(os.path.basename(os.path.normpath(os.path.abspath(edition_dir))))


def _check_folder_name(edition_dir: str, diags: Diagnostics) -> None:
    """Refuse an edition folder whose name is dangerous as a file name (a control character, a leading '-',
    a Windows device name); names such as `年報 2023 edition` are fine, their outputs named by `output_slug`."""
    name = os.path.basename(os.path.normpath(os.path.abspath(edition_dir)))
    why = name_problem(name)
    if why:
        diags.fatal("bad-edition-name", f"the edition folder's name {name!r} cannot be used: {why}",
                    SourceRef(edition_dir), hint="rename the folder: " + EDITION_NAME_HINT)
        raise BuildFailed(diags)


def default_output(project: str, edition_dir: str, lang: str | None = None, target: str = "print",
                   preview: str = "") -> str:
    """out/highlights-<folder>[-<lang>][-screen][-greedy|-preview].pdf: a preview never has the print's name."""
    suffix = (f"-{lang}" if lang else "") + ("-screen" if target == "screen" else "")
    suffix += {"": "", "first-fit breaking": "-greedy"}.get(preview, "-preview")
    return os.path.join(project, "out", f"highlights-{output_name(edition_dir)}{suffix}.pdf")


def _check_preview_path(output: str, options: BuildOptions, project: str, diags: Diagnostics) -> None:
    """A preview (first-fit, or unpreflighted) is never written over the print PDF, even when asked to with -o."""
    if not options.preview_reason:
        return
    printed = default_output(project, options.edition_dir, options.lang, options.target)
    if os.path.abspath(output) == os.path.abspath(printed) or \
            (os.path.exists(output) and os.path.exists(printed) and os.path.samefile(output, printed)):
        diags.fatal("preview-over-print", f"{output} is the print PDF; a {options.preview_reason} preview is "
                    "never written over it", SourceRef(output),
                    hint="leave out -o (the preview goes to "
                         f"{os.path.relpath(default_output(project, options.edition_dir, options.lang, options.target, options.preview_reason))}) "
                         "or give another file name")
        raise BuildFailed(diags)


def load_inputs(edition_dir: str, diags: Diagnostics, cache: dict | None = None) -> tuple[Edition, Layout, str]:
    """Edition and layout, loaded together so one run reports the problems of both."""
    project = find_project(edition_dir)
    edition = layout = None
    try:
        edition = load_edition(edition_dir, diags, cache)
    except BuildFailed:
        pass
    try:
        # The edition's own layout/ (page, styles, templates: only what differs) is merged over the shared one.
        layout = load_layout(os.path.join(project, "layout"), diags, cache, os.path.join(edition_dir, "layout"))
    except BuildFailed:
        pass
    if edition is None or layout is None:
        raise BuildFailed(diags)
    return edition, layout, project


def characters_used(edition: Edition, layout: Layout | None = None) -> dict[str, SourceRef]:
    """Every character the leaflet prints, with where it first appears (`layout`: its furniture's too)."""
    seen: dict[str, SourceRef] = {}
    for page in edition.pages:
        strings = [(t.ref, plain(s)) for t in page_texts(page) for _, s in t.strings()]
        for block in page.blocks:
            for element in block.elements:
                for name in kind_of(element).figure_fields:  # a stat's figure, a ranking's number
                    value = getattr(element, name, None)
                    if isinstance(value, str):
                        strings.append((ref_of(element, name), value))
        strings += [(ref_of(note, "marker"), note.marker) for note in page.footnotes]
        if page.continued is not None:  # the title band's "continued" note (furniture, not a page text)
            strings += [(page.continued.ref, s) for _, s in page.continued.strings()]
            if layout is not None:
                strings.append((page.continued.ref, layout.geometry.title_band.note_separator))
        for ref, string in strings:
            for char in string:
                seen.setdefault(char, ref)
    for _, string in edition.title.strings():
        for char in string:
            seen.setdefault(char, edition.title.ref)
    for char in edition.edition:  # printed in the slug line
        seen.setdefault(char, ref_of(edition, "edition"))
    for char in GENERATED_CHARACTERS:
        seen.setdefault(char, edition.ref)
    return seen


def check_glyphs(used: dict[str, SourceRef], coverage: dict, diags: Diagnostics, allow: bool = False) -> None:
    """Every character must be in a face the families draw it from; say which is not, and where it first
    appears (`coverage`: fonts.family_coverage)."""
    everything = frozenset().union(*coverage.values())
    for char, ref in sorted(used.items(), key=lambda kv: (kv[1], kv[0])):
        if ord(char) not in everything and not char.isspace():
            shown = char if char.isprintable() else ""
            message = f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed')} {shown!r} is in no embedded font"
            if allow:
                diags.warning("missing-glyph", message + "; it is printed as a box", ref,
                              hint="replace the character before this goes to print")
            else:
                diags.error("missing-glyph", message, ref,
                            hint="replace the character, add a face that has it to fonts/fonts.yaml, "
                                 "or build a proof with --allow-missing-glyphs")


def check_safe_area(pages: list[LaidOutPage], layout: Layout, diags: Diagnostics) -> None:
    """One error per frame that puts text within the safe margin of the trim (overflowed frames aside:
    their overflow is the error worth reading)."""
    for page in pages:
        safe = page.safe_mm * MM  # per template, if its template says so
        right, bottom = layout.page_width_pt - safe, layout.page_height_pt - safe
        offending: dict[str, list[TextLine]] = {}
        for item in page.items:
            if not isinstance(item, TextLine) or not item.line.runs or item.frame in page.overflowed:
                continue
            left_x = item.x_pt + max(item.line.runs[0].x_pt, 0.0)
            right_x = item.x_pt + item.line.right_pt
            # The em box's top (0.88 em above the baseline), not the half-leading above it: ink, not air.
            top_y = item.baseline_pt - 0.88 * (item.line.ascent_pt - item.line.descent_pt) / 0.76
            if left_x < safe - 0.01 or right_x > right + 0.01 or top_y < safe - 0.01 or item.baseline_pt > bottom:
                offending.setdefault(item.frame, []).append(item)
        for frame, lines in offending.items():
            diags.error("outside-safe-area", f"{len(lines)} line(s) of frame '{frame}' lie within "
                        f"{page.safe_mm:g} mm of the trim, first: '{lines[0].line.text[:40]}'",
                        lines[0].ref, page=page.number, hint="move the frame inward in layout/templates.yaml")


class BuildSession:
    """Builds an edition again and again, keeping what did not change (for `watch` and benchmarks).

    Between builds it keeps the parsed YAML of unchanged files, the font
    manifest and coverage, the fonts prepared for the current character set
    and the text setter's memo. The PDF is byte-identical to a fresh build's
    (tests/test_leaflet.py proves it after edits).
    """

    def __init__(self):
        self._good_heights: dict = {}  # frame heights of the last good build, for overflow messages…
        self._heights_path = ""  # …of this file's edition
        self._fonts_key = None
        self._manifest: Manifest | None = None
        self._coverage: dict | None = None
        self._fonts: FontSet | None = None
        self._characters: frozenset = frozenset()
        self._setter: TextSetter | None = None
        self._files: dict = {}  # parsed YAML files by (path, mtime, size)
        self._laid: dict = {}  # page number -> (inputs, laid-out page, its diagnostics)
        self._last_layout = None
        self._profile = None
        self._greedy = False
        self._store = None  # the line store the setter was seeded from
        self._unsaved_lines = None  # (path, memo) set by the last build, not yet written
        self.defer_line_store = False  # `watch` writes the store after reporting a rebuild, not within it

    def _prepare_fonts(self, project: str, used: dict, diags: Diagnostics, allow_missing: bool = False):
        manifest_path = os.path.join(project, "fonts", "fonts.yaml")
        cache_dir = os.path.join(project, ".cache", "fonts")
        stamp = (manifest_path, _mtime(manifest_path))
        if self._fonts_key != stamp:
            self._manifest = load_manifest(manifest_path, diags)
            check_faces_present(self._manifest, diags, cache_dir)
            self._coverage = load_coverage(self._manifest, diags, cache_dir)
            self._fonts_key, self._fonts, self._characters = stamp, None, frozenset()
        manifest, coverage = self._manifest, self._coverage
        assert manifest is not None and coverage is not None  # loaded above for this stamp, or raised
        reported = check_cjk_family(manifest, coverage, used, diags, allow_missing)
        check_glyphs({c: ref for c, ref in used.items() if c not in reported},
                     family_coverage(manifest, coverage), diags, allow_missing)
        diags.raise_if_errors()
        wanted = frozenset(used)
        # Fonts prepared for more characters serve as well (the PDF does not depend on it, see fonts.py).
        if self._fonts is None or not wanted <= self._characters:
            self._fonts = prepare_fonts(manifest, set(wanted), diags, cache_dir)
            self._characters = wanted
        return self._fonts

    def save_lines(self) -> None:
        """Write the lines the last build set to the line store (a no-op when it set none)."""
        if self._unsaved_lines is not None:
            linestore.save(*self._unsaved_lines)
            self._unsaved_lines = None

    def _restore_lines(self, project: str, edition_dir: str, fonts: FontSet,
                       words: frozenset = frozenset()) -> tuple[str, TextSetter]:
        """The text setter for these fonts, the edition's words and this store (the store's name holds the
        breaking mode; its keys the words), seeded with the lines the last run stored when any changed; start
        counting what this build sets."""
        store = linestore.store_path(project, edition_dir, self._greedy)
        setter = self._setter
        if setter is None or self._store != store or setter.fonts is not fonts or setter.words != words:
            setter = self._setter = TextSetter(fonts, greedy=self._greedy, memo=linestore.load(store), words=words)
            self._store = store
        setter.used, setter.fresh = {}, 0
        return store, setter

    def _layout(self, edition: Edition, layout: Layout, diags: Diagnostics, lang: str | None,
                setter: TextSetter) -> list[LaidOutPage]:
        """Lay out each page, reusing the previous build's result for a page whose inputs are unchanged."""
        laid = []
        for page in sorted(edition.pages, key=lambda p: p.number):
            # A picture's file is an input too: its proportions set its box (stamps: size and mtime).
            inputs = (page, layout, setter, (edition.title, lang, _picture_stamps(page)))
            cached = self._laid.get(page.number)
            # Unchanged files come back from the file cache as the very same objects.
            if cached is not None and all(a is b for a, b in zip(cached[0][:3], inputs)) \
                    and cached[0][3] == inputs[3]:
                laid.append(cached[1])
                diags.items.extend(cached[2])
                continue
            page_diags = Diagnostics()
            alone = replace(edition, pages=(page,))
            result = layout_edition(alone, layout, setter, page_diags, lang, self._good_heights)[0]
            if not any(d.code in UNPLACEABLE for d in page_diags.items):
                # (a block in no frame is already the error worth reading: one error per cause)
                check_laid_out(alone, [result], page_diags, lang, layout.geometry.charts)  # nothing of the page lost
            self._laid[page.number] = (inputs, result, list(page_diags.items))
            diags.items.extend(page_diags.items)
            laid.append(result)
        return laid

    def _output_profile(self, project: str, diags: Diagnostics):
        """The PDF/X output intent's profile (kept for the session: 250 KB read once)."""
        from .profiles import load_manifest, load_profile

        if self._profile is None:
            own = Diagnostics()  # its loaders stop at any error so far: a proof's overflow is not theirs
            try:
                manifest = load_manifest(os.path.join(project, "profiles", "profiles.yaml"), own)
                self._profile = load_profile(manifest, own, os.path.join(project, ".cache", "profiles"))
            finally:
                diags.extend(own)
        return self._profile

    def build(self, options: BuildOptions) -> BuildResult:
        """Run the whole pipeline; every problem ends up in result.diagnostics."""
        started = time.perf_counter()
        diags = Diagnostics()
        result = BuildResult(diags)
        try:
            _check_folder_name(options.edition_dir, diags)
            edition, layout, project = load_inputs(options.edition_dir, diags, self._files)
            result.name = output_name(options.edition_dir)
            check_parity(edition, diags)
            self._greedy = options.greedy
            if layout == self._last_layout:
                layout = self._last_layout  # the same object, so laid-out pages can be matched by identity
            self._last_layout = layout
            output = options.output or default_output(project, options.edition_dir, options.lang, options.target,
                                                      options.preview_reason)
            check_output(output, diags, (options.edition_dir,), magic=b"%PDF-", what="the PDF (-o)")  # before the work
            _check_preview_path(output, options, project, diags)
            date_epoch = _checked_date_epoch(edition, diags)
            fonts = self._prepare_fonts(project, characters_used(edition, layout), diags, options.allow_missing_glyphs)
            store, setter = self._restore_lines(project, options.edition_dir, fonts, frozenset(edition.words))
            heights_path = _heights_path(project, options.edition_dir, options.lang)
            if heights_path != self._heights_path:  # (a session keeps what it read or wrote last)
                self._good_heights, self._heights_path = _read_heights(heights_path), heights_path
            pages = self._layout(edition, layout, diags, options.lang, setter)
            wordbreaks.add_diagnostics(wordbreaks.in_pages(pages), diags)  # a break inside a word, narrow measure
            if options.report:
                from . import typography

                result.typography = typography.report(pages, fonts, layout.geometry.typography)
                typography.add_diagnostics(result.typography, diags, layout.geometry.typography)
                typography.anatomy_report(result.typography, pages, edition, layout, diags)
            check_safe_area(pages, layout, diags)
            check_regions(edition, layout.geometry.charts, diags)  # one region, one colour in every chart
            if options.final:
                check_final(pages, diags)
            profile = self._output_profile(project, diags) if options.target == "print" else None
            if profile is not None:  # chart colours a reader can tell apart, measured as printed
                check_palette(layout, profile.icc, diags, os.path.join(project, ".cache", "profiles"))
            picture_icc = None
            if any(isinstance(item, Picture) for page in pages for item in page.items):
                from .images import check_pictures

                picture_icc = (profile or self._output_profile(project, diags)).icc
                placed = [(page.number, item) for page in pages for item in page.items if isinstance(item, Picture)]
                result.pictures = check_pictures(placed, layout.geometry.images, options.target, picture_icc, diags,
                                                 options.final)
            if not options.proof:  # a proof renders what was laid out, errors and all, to its own path
                diags.raise_if_errors()
            render_options = RenderOptions(
                title=" ".join(s for _, s in edition.title.strings()),
                subject=f"{edition.title.en or ''} ({edition.edition})".strip(),
                marks=options.marks, target=options.target, date_epoch=date_epoch,
                variant=options.lang or "", tagged=options.preflight,  # `watch` skips both
                profile=profile, picture_icc=picture_icc, images=layout.geometry.images,
                edition=edition.edition,
                languages={"en": ("en",), "zh": ("zh-Hant",)}.get(options.lang or "", ("en", "zh-Hant")))
            data = render_pdf(pages, layout, fonts, render_options)
            if options.preflight and not options.proof:
                run_preflight(data, layout, diags, options.target, pages)
                diags.raise_if_errors()
            if options.strict and diags.worst is not None and diags.worst >= Severity.WARNING and not options.proof:
                raise BuildFailed(diags)  # --strict: a warning fails the build, and a failed build writes nothing
            write_atomically(output, data, diags, (options.edition_dir,))
            if setter.fresh:
                self._unsaved_lines = (store, setter.used)
                if not self.defer_line_store:
                    self.save_lines()
            if not diags.has_errors():  # a proof of a failing build is no "last good build"
                heights = _frame_heights(pages)
                if heights != self._good_heights:  # (a rebuild that moved no frame writes nothing)
                    _write_heights(heights_path, heights)
                self._good_heights = heights
            result.output = output
            result.preview = options.preview_reason
            result.pages = pages
            result.layout = layout
            result.fonts, result.font_set = len(fonts.faces), fonts
        except BuildFailed:
            pass
        result.seconds = time.perf_counter() - started
        return result


def _picture_stamps(page) -> tuple:
    """(size, mtime) of each picture file a page names, in order (None for a file that is not there)."""
    from .content import Image

    stamps: list[tuple[int, int] | None] = []
    for block in page.blocks:
        for element in block.elements:
            if isinstance(element, Image):
                try:  # (the folder as the layout finds it: the element's own file)
                    st = os.stat(os.path.join(os.path.dirname(element.ref.file) or ".", element.file))
                    stamps.append((st.st_size, st.st_mtime_ns))
                except (OSError, ValueError):
                    stamps.append(None)
    return tuple(stamps)


def _heights_path(project: str, edition_dir: str, lang: str | None) -> str:
    """.cache/frames/<edition folder>-<digest of its path>[-<lang>].json: each frame's height in the last
    good build of this very folder (a copy elsewhere, sharing the cache, has a history of its own)."""
    folder = os.path.realpath(edition_dir)
    digest = hashlib.sha256(folder.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    name = f"{os.path.basename(folder)}-{digest}" + (f"-{lang}" if lang else "")
    return os.path.join(project, ".cache", "frames", f"{name}.json")


def _read_heights(path: str) -> dict:
    """The last good build's frame heights; a missing or damaged file is no history, never an error."""
    try:
        with open(path, encoding="utf-8") as f:
            raw = json.load(f)
        return {(int(k.split(":", 1)[0]), k.split(":", 1)[1]): float(v) for k, v in raw.items()}
    except (OSError, ValueError, AttributeError, IndexError, TypeError):
        return {}


def _frame_heights(pages: list[LaidOutPage]) -> dict:
    """(page, frame) -> the height its content used, as stored (to the hundredth of a point)."""
    return {(p.number, f.name): round(f.used_pt, 2) for p in pages for f in p.frames if f.used_pt}


def _write_heights(path: str, heights: dict) -> None:
    data = {f"{number}:{name}": used for (number, name), used in heights.items()}
    try:
        replace_file(path, json.dumps(data, sort_keys=True).encode())
    except OSError:
        pass  # a read-only cache costs only the comparison in the next overflow message


def check_final(pages: list[LaidOutPage], diags: Diagnostics) -> None:
    """--final: nothing goes to press with a placeholder in it (a QR code without its url)."""
    from .layout import QrMark

    for page in pages:
        for item in page.items:
            if isinstance(item, QrMark) and item.url is None:
                diags.error("placeholder-in-final", "a QR code placeholder cannot go to press", item.ref,
                            page=page.number, hint="add url: https://... to the element, or build without --final "
                                                   "for a proof")


def run_preflight(data: bytes, layout: Layout, diags: Diagnostics, target: str = "print",
                  pages: list[LaidOutPage] | None = None) -> None:
    """Every failed preflight check is an error: a print file that fails it is not written. A failure about
    a picture is located at the picture's element (the first raster on its page), not only at its page."""
    from .preflight import PreflightRules, preflight

    g = layout.geometry.page
    report = preflight(data, PreflightRules(target=target, bleed_mm=g.bleed_mm, safe_mm=g.safe_mm,
                                            require_pdfx=target == "print",
                                            min_image_ppi=layout.geometry.images.min_ppi_error))
    pictures = {p.number: [i.ref for i in p.items if isinstance(i, Picture) and i.path
                           and os.path.splitext(i.path)[1].lower() not in (".pdf", ".svg")] for p in pages or ()}
    for finding in report.failures:
        placed = pictures.get(finding.page or 0) if finding.check.startswith("image-") else None
        where = placed[0] if placed else None
        diags.error(f"preflight-{finding.check}", finding.detail, where, page=finding.page,
                    hint="the layout or the renderer produced this; see `highlight preflight` on a proof build")


def _checked_date_epoch(edition: Edition, diags: Diagnostics) -> int:
    try:
        return _date_epoch(edition)
    except ValueError as exc:
        diags.fatal("bad-environment", f"SOURCE_DATE_EPOCH={str(exc)[:40]!r} is not a time in seconds from 1970 "
                    "to 2200", SourceRef("SOURCE_DATE_EPOCH"),
                    hint="unset it, or set it to a whole number of seconds such as $(git log -1 --format=%ct)")
        raise BuildFailed(diags) from None


def _date_epoch(edition: Edition) -> int:
    """The PDF's date: SOURCE_DATE_EPOCH if set (reproducible-builds convention), else the edition's date."""
    import calendar
    import datetime

    given = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if given:
        if not (given.isdigit() and len(given) <= 11 and int(given) <= 7258118400):  # 2200-01-01
            raise ValueError(given)
        return int(given)
    try:
        day = datetime.date.fromisoformat(edition.date)
    except ValueError:
        return 946684800
    return calendar.timegm(day.timetuple())


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


def build(options: BuildOptions) -> BuildResult:
    """Build once: load, check, lay out, render and write the PDF atomically."""
    return BuildSession().build(options)
