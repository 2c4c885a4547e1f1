"""The pipeline, BuildSession.STAGES: read (and check the content) → the output's backend and path → fonts and
setter → lay out → check the pages → render (and the backend's post-check) → write atomically → remember."""
from __future__ import annotations

import hashlib
import io
import json
import math
import os
import time
from dataclasses import dataclass, field, replace

from . import backends, linestore, wordbreaks
from .atomic import replace_file
from .checks.charts import check_palette, check_regions
from .checks.glyphs import characters_used, check_glyphs
from .checks.layout import check_laid_out
from .checks.pages import check_safe_area
from .checks.stats import mixed_anatomy_findings
from .content import Edition, Text, load_edition
from .diagnostics import BuildFailed, Diagnostics, Severity, SourceRef
from .fonts import (
    FontSet,
    Manifest,
    check_cjk_family,
    check_faces_present,
    faces_present,
    family_coverage,
    fetch_fonts,
    load_coverage,
    load_manifest,
    prepare_fonts,
)
from .layout import LaidOutPage, Picture, layout_edition
from .layout_spec import Layout, load_layout
from .parity import check_parity, write_kept
from .paths import EDITION_NAME_HINT, find_project, name_problem, output_slug, project_of
from .schema import DEFERRED, PARSED, package_data, read_cached, use_parsed_cache, write_cached, write_deferred
from .text import GlyphRun, Line, TextSetter

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 2.4 ms of every process, issue 28)
if TYPE_CHECKING:
    from typing import Any


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
    final: bool = False  # a press build: a placeholder (a QR code without a url, a missing picture) and an
    # element marked `review: true` are errors
    to: str = "pdf"  # the output backend (backends.BACKENDS): pdf, or json (the page model)

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
    laid_out: int = 0  # pages laid out, written or not (a failed build's summary says so)
    fonts: int = 0
    seconds: float = 0.0
    layout: Layout | None = None  # what the pages were laid out with (for proofs)
    typography: list | None = None  # the typography report, when asked for
    font_set: object = None  # the FontSet the pages were set with (serve reports the pages that changed)
    pictures: list = field(default_factory=list)  # images.PictureReport per placed picture
    document: backends.Document | None = None  # what the backend was given (pages, metadata, content, layout)


# A page whose frames cannot be placed: its missing text is a consequence, not a second error (one per cause).
UNPLACEABLE = frozenset({"unknown-frame", "unknown-template", "frame-cycle"})
# Pages to lay out afresh in two processes (BuildSession._in_two_processes): at least FORKED_PAGES of them, in a
# `highlight build` process's own command line (cli.main sets FORK_LAYOUT): the 8-page leaflet stays in one
FORKED_PAGES = 24
FORK_LAYOUT = [False]


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
                   preview: str = "", suffix: str = ".pdf") -> str:
    """out/highlights-<folder>[-<lang>][-screen][-greedy|-preview]<suffix>: a preview never has the print's
    name (backends.output_path)."""
    return backends.output_path(project, output_name(edition_dir), lang, target, preview, suffix)


def _check_preview_path(output: str, options: BuildOptions, project: str, diags: Diagnostics) -> None:
    """A preview (first-fit, or unpreflighted) is never written over the print PDF, even when asked to with -o."""
    if not options.preview_reason:
        return
    printed = default_output(project, options.edition_dir, options.lang, options.target,
                             suffix=os.path.splitext(output)[1] or ".pdf")
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
    from .house_words import load_house_words, merged
    from .project import check_project

    project = find_project(edition_dir)
    check_project(project, diags, found=project_of(edition_dir) is not None)
    if cache is not None and PARSED not in cache:  # what unchanged files read into, kept across processes too
        use_parsed_cache(cache, os.path.join(project, ".cache", "parsed"), _parsed_salt(project))
        for name in ("figure_words.yaml", "zh_words.yaml"):  # the package's word lists (parity, line breaking)
            package_data(name, cache)
    edition = layout = None
    try:
        edition = load_edition(edition_dir, diags, cache)
    except BuildFailed:
        pass
    # A session's rebuild with the layout files as they were (and their loading said nothing) takes the Layout it
    # made last (2 ms of a `watch` rebuild): the very object, which laid-out pages are matched by.
    stamp = _layout_stamp(project, edition_dir) if cache is not None else None
    kept = cache.get(LAYOUT_KEPT) if cache is not None else None
    if kept is not None and stamp is not None and kept[0] == stamp:
        layout = kept[1]
    else:
        try:
            # The edition's own layout/ (page, styles, templates: only what differs) is merged over the shared one.
            before = len(diags.items)
            layout = load_layout(os.path.join(project, "layout"), diags, cache, os.path.join(edition_dir, "layout"))
            if cache is not None and stamp is not None and len(diags.items) == before:
                cache[LAYOUT_KEPT] = (stamp, layout)
        except BuildFailed:
            pass
    try:  # the house's words (layout/words.yaml) and the edition's own: the names a line never breaks inside
        house = load_house_words(project, diags, cache)
    except BuildFailed:
        house = None
    if edition is None or layout is None or house is None:
        raise BuildFailed(diags)
    return replace(continued_themes(edition, layout), words=merged(house, edition.words)), layout, project


LAYOUT_KEPT = "#layout"  # a session's files cache: (the layout files' stamps, the Layout they made)


def _layout_stamp(project: str, edition_dir: str) -> tuple | None:
    """What the Layout is read from: layout/'s page, styles and templates files and every file of the edition's own
    layout/, each as (path, mtime, size); None when one cannot be read (loaded afresh, saying why)."""
    from .layout_spec import LAYOUT_FILES
    from .schema import file_stamp

    try:
        paths = [os.path.join(project, "layout", f"{name}.yaml") for name in LAYOUT_FILES]
        own = os.path.join(edition_dir, "layout")
        if os.path.isdir(own):
            paths += [os.path.join(own, name) for name in sorted(os.listdir(own))]
        return tuple(file_stamp(path) for path in paths)
    except (OSError, ValueError):
        return None


_CONTINUED: dict = {}  # id(page) -> (page, the page before's title, the band, the page with its note): one object a page


def continued_themes(edition: Edition, layout: Layout) -> Edition:
    """A page whose title is the page before's (its theme goes on) says so in its band: the layout's note
    (title_band.continued_en / _zh in layout/page.yaml) where its page file gives none of its own. The same page
    object for the same inputs, so that a page's layout is reused across builds."""
    band = layout.geometry.title_band
    if not (band.continued_en or band.continued_zh):
        return edition
    pages = sorted(edition.pages, key=lambda p: p.number)
    out, changed = [], False
    for before, page in zip([None, *pages], pages):
        if page.continued is None and before is not None and before.number == page.number - 1 \
                and (page.title.en, page.title.zh) == (before.title.en, before.title.zh):
            kept = _CONTINUED.get(id(page))
            if kept is not None and kept[0] is page and kept[1] == (before.title.en, before.title.zh) \
                    and kept[2] is band:
                page = kept[3]
            else:
                note = Text(band.ref, band.continued_en, band.continued_zh)
                made = replace(page, continued=note)
                if len(_CONTINUED) > 256:  # (a long session: the pages of old builds let go)
                    _CONTINUED.clear()
                _CONTINUED[id(page)] = (page, (before.title.en, before.title.zh), band, made)
                page = made
            changed = True
        out.append(page)
    if not changed:
        return edition
    order = {p.number: p for p in out}
    return replace(edition, pages=tuple(order[p.number] for p in edition.pages))


def _parsed_salt(project: str) -> bytes:
    """What a file's parsed value depends on besides its bytes: the package's source (and Python's version)
    and the dependency pins, as for the line store."""
    digest = hashlib.sha256(linestore._package_digest())
    try:
        with open(os.path.join(project, "pyproject.toml"), "rb") as f:
            digest.update(f.read())
    except OSError:
        digest.update(b"(missing)")
    return digest.digest()


# The session's caches and the run's state are plain classes, not dataclasses: a dataclass costs 0.5-2 ms to
# create at import, and every build process imports this module.
class FontCache:
    """The font manifest and its coverage (for the manifest file's stamp), and the faces prepared for the last
    build's characters (they serve while an edit adds no character: the PDF does not depend on it); the last
    glyph check's characters (with the first place of each) and what it found."""

    __slots__ = ("characters", "checked", "coverage", "fonts", "manifest", "stamp")

    def __init__(self, stamp: tuple | None = None, manifest: Manifest | None = None, coverage: dict | None = None):
        self.stamp, self.manifest, self.coverage = stamp, manifest, coverage
        self.fonts: FontSet | None = None
        self.characters: frozenset = frozenset()
        self.checked: tuple | None = None  # (characters used and where, allow_missing, the diagnostics found)


class LineCache:
    """The text setter and its memo of set lines, seeded from the line store `store`; the lines the last build
    set that are not saved yet."""

    __slots__ = ("elsewhere", "forked", "greedy", "saving", "setter", "store", "unsaved")

    def __init__(self):
        self.setter: TextSetter | None = None
        self.elsewhere: dict = {}  # digest -> lines, set by a child process for this build (_in_two_processes)
        self.forked = False  # this build laid out its pages in two processes
        self.saving = 0  # the child process writing the line store while the pages are drawn (_save_lines_aside)
        self.store: str | None = None
        self.greedy = False
        self.unsaved: tuple | None = None  # (path, memo)


class PageCache:
    """Each page as last laid out, with the inputs it was laid out from and its diagnostics; the layout."""

    __slots__ = ("digest", "from_disk", "keys", "laid", "layout", "unsaved")

    def __init__(self):
        self.laid: dict = {}  # page number -> (inputs, laid-out page, its diagnostics, its .cache/pages file)
        self.keys: list = []  # the last build's pages' .cache/pages files (None: a page whose inputs had no name)
        self.layout: Layout | None = None
        self.from_disk = 0  # pages the last build took from .cache/pages (laid out by an earlier process)
        self.unsaved: list = []  # (cache file, (page, its diagnostics)) not yet written there
        self.digest: tuple = (None, b"")  # (layout, digest of it) for the names in .cache/pages


class HeightCache:
    """Each frame's height in the last good build of the edition whose file is `path` (overflow messages say
    how much a frame grew)."""

    __slots__ = ("good", "path")

    def __init__(self, good: dict | None = None, path: str = ""):
        self.good: dict = good if good is not None else {}
        self.path = path


class _Run:
    """One build on its way through the stages: what each stage found, for the ones after it."""

    def __init__(self, options: BuildOptions, diags: Diagnostics, result: BuildResult):
        self.options, self.diags, self.result = options, diags, result
        self.edition: Edition | None = None
        self.layout: Layout | None = None
        self.project = ""
        self.backend: Any = None
        self.output = ""
        self.date_epoch = 0
        self.fonts: FontSet | None = None
        self.store = ""
        self.setter: TextSetter | None = None
        self.heights_path = ""
        self.pages: list = []
        self.profile: Any = None
        self.picture_icc: bytes | None = None
        self.data: Any = None


class BuildSession:
    """Builds an edition again and again, keeping what did not change (for `watch` and benchmarks).

    A build is the sequence of STAGES, each a method `_stage_<name>(run)` that reads what the stages before
    it found in `run` and adds its own; a stage that finds an error raises BuildFailed and the rest is
    skipped. Between builds the session keeps its named caches: the parsed YAML of unchanged files
    (`files`), the fonts (`fonts`), the text setter and its memo (`lines`), the laid-out pages (`pages`), the
    frame heights of the last good build (`heights`) and the output profile (`profile`). The PDF is
    byte-identical to a fresh build's (tests/test_leaflet.py proves it after edits).
    """

    STAGES = ("read", "target", "set_up", "lay_out", "check", "render", "write", "remember")

    def __init__(self):
        self.files: dict = {}  # parsed YAML files by (path, mtime, size)
        self.fonts = FontCache()
        self.lines = LineCache()
        self.pages = PageCache()
        self.heights = HeightCache()
        self.profile = None  # the PDF/X output intent's profile (250 KB read once)
        self.last_preview: tuple | None = None  # the last untagged build's document and output (Document.previous)
        # `watch` writes the line store, the pages, the parsed files and the figures after reporting a rebuild,
        # not within it (save_lines)
        self.defer_line_store = False
        self.figures_unsaved: str | None = None  # where the figures parity found go, when put off

    def build(self, options: BuildOptions) -> BuildResult:
        """Run the whole pipeline; every problem ends up in result.diagnostics."""
        started = time.perf_counter()
        diags = Diagnostics()
        run = _Run(options, diags, BuildResult(diags))
        try:
            for stage in self.STAGES:
                getattr(self, f"_stage_{stage}")(run)
        except BuildFailed:
            pass
        finally:
            if self.lines.saving:  # (a build that stopped before remembering: its child waited for all the same)
                self._saved_aside()
        run.result.seconds = time.perf_counter() - started
        return run.result

    # -- the stages ---------------------------------------------------------------------------------------
    def _stage_read(self, run: _Run) -> None:
        """The edition and the layout read and checked (the content's own checks, English against Chinese)."""
        options, diags = run.options, run.diags
        _check_folder_name(options.edition_dir, diags)
        self.pages.from_disk, self.pages.unsaved = 0, []
        if self.defer_line_store:  # (the parsed files kept by save_lines, between saves)
            self.files.setdefault(DEFERRED, [])
        else:
            self.files.pop(DEFERRED, None)
        run.edition, layout, run.project = load_inputs(options.edition_dir, diags, self.files)
        run.result.name = output_name(options.edition_dir)
        # (the figures an earlier process found, in a file named for this package's code and figure words)
        figures = os.path.join(run.project, ".cache", "figures", hashlib.sha256(
            linestore._package_digest()).hexdigest()[:32] + ".json")
        check_parity(run.edition, diags, figures, write=not self.defer_line_store)
        self.figures_unsaved = figures if self.defer_line_store else None
        self.lines.greedy = options.greedy
        if layout == self.pages.layout:
            layout = self.pages.layout  # the same object, so laid-out pages can be matched by identity
        run.layout = self.pages.layout = layout

    def _stage_target(self, run: _Run) -> None:
        """The backend, the output path (refused before the work if it must not be written) and the date."""
        options, diags = run.options, run.diags
        assert run.edition is not None
        run.backend = backends.get(options.to)
        run.output = options.output or default_output(run.project, options.edition_dir, options.lang,
                                                      options.target, options.preview_reason, run.backend.suffix)
        run.backend.check_path(run.output, diags, (options.edition_dir,))
        _check_preview_path(run.output, options, run.project, diags)
        run.date_epoch = _checked_date_epoch(run.edition, diags)

    def _stage_set_up(self, run: _Run) -> None:
        """The fonts for the characters the edition prints, the text setter, the last good frame heights."""
        options = run.options
        assert run.edition is not None and run.layout is not None
        run.fonts = self._prepare_fonts(run.project, characters_used(run.edition, run.layout), run.diags,
                                        options.allow_missing_glyphs)
        run.store, run.setter = self._restore_lines(run.project, options.edition_dir, run.fonts,
                                                    frozenset(run.edition.words))
        run.heights_path = _heights_path(run.project, options.edition_dir, options.lang)
        if run.heights_path != self.heights.path:  # (a session keeps what it read or wrote last)
            self.heights = HeightCache(_read_heights(run.heights_path), run.heights_path)

    def _stage_lay_out(self, run: _Run) -> None:
        assert run.edition is not None and run.layout is not None and run.setter is not None
        run.pages = self._layout(run.edition, run.layout, run.diags, run.options.lang, run.setter)
        run.setter.forget_boxes()  # (their memory to the drawing: text.TextSetter._box_memo)
        run.result.laid_out = len(run.pages)
        if self.lines.forked and run.setter.fresh:
            self._save_lines_aside(run)

    def _stage_check(self, run: _Run) -> None:
        """The laid-out pages judged: words broken in a narrow measure, the typography report (asked for), the
        safe area, chart colours, placeholders in a press build, the pictures; errors stop all but a proof."""
        options, diags, pages, layout = run.options, run.diags, run.pages, run.layout
        assert run.edition is not None and layout is not None and run.fonts is not None
        wordbreaks.add_diagnostics(wordbreaks.in_pages(pages), diags)  # a break inside a word, narrow measure
        if options.report:
            from . import typography

            run.result.typography = typography.report(pages, run.fonts, layout.geometry.typography)
            typography.add_diagnostics(run.result.typography, diags, layout.geometry.typography)
            typography.anatomy_report(run.result.typography, pages, run.edition, layout, diags)
        check_safe_area(pages, layout, diags)
        check_regions(run.edition, layout.geometry.charts, diags)  # one region, one colour in every chart
        mixed_anatomy_findings(run.edition, layout, diags)  # the stats of a row built one way (content: every build)
        if options.final:
            check_final(pages, diags)
        run.profile = self._output_profile(run.project, diags) if options.target == "print" else None
        if run.profile is not None:  # chart colours a reader can tell apart, measured as printed
            check_palette(layout, run.profile.icc, diags, os.path.join(run.project, ".cache", "profiles"))
        if any(isinstance(item, Picture) for page in pages for item in page.items):
            from .images import check_pictures

            run.picture_icc = (run.profile or self._output_profile(run.project, diags)).icc
            placed = [(page.number, item) for page in pages for item in page.items if isinstance(item, Picture)]
            run.result.pictures = check_pictures(placed, layout.geometry.images, options.target, run.picture_icc,
                                                 diags, options.final)
        if not options.proof:  # a proof renders what was laid out, errors and all, to its own path
            diags.raise_if_errors()

    def _stage_render(self, run: _Run) -> None:
        """The backend's output in memory, and its own check (the PDF's preflight: not for a proof)."""
        options, diags, edition = run.options, run.diags, run.edition
        assert edition is not None and run.layout is not None and run.fonts is not None
        meta = backends.Metadata(
            title=" ".join(s for _, s in edition.title.strings()),
            subject=f"{edition.title.en or ''} ({edition.edition})".strip(),
            edition=edition.edition,
            languages={"en": ("en",), "zh": ("zh-Hant",)}.get(options.lang or "", ("en", "zh-Hant")),
            date_epoch=run.date_epoch, target=options.target, variant=options.lang or "")
        document = backends.Document(tuple(run.pages), meta, edition, run.layout, run.fonts, run.project,
                                     options.edition_dir, marks=options.marks,
                                     tagged=options.preflight,  # `watch` skips both
                                     profile=run.profile, picture_icc=run.picture_icc, files=self.files)
        key = self._document_key(document)
        document = document._replace(key=key, page_keys=None if key is None else tuple(
            os.path.basename(stored) for stored in self.pages.keys))
        last, same = self.last_preview, (document.meta, document.marks, document.picture_icc, document.project)
        if not document.tagged and last is not None and last[0] == options.to and last[1] is document.layout \
                and last[2] is document.fonts and last[3] is document.profile and last[4] == same:
            document = document._replace(previous=(last[5], last[6]))
        run.result.document = document
        run.data = run.backend.render(document, diags)
        # (what a preview's next build may take its unchanged pages from; the very objects are compared)
        self.last_preview = None if document.tagged else (options.to, document.layout, document.fonts,
                                                          document.profile, same, document.pages, run.data)
        if not options.proof:  # (the PDF's preflight)
            run.backend.post_check(run.data, document, diags)
            diags.raise_if_errors()

    def _stage_write(self, run: _Run) -> None:
        """Written whole or not at all; with --strict, not at all when there is a warning."""
        options, diags = run.options, run.diags
        if options.strict and diags.worst is not None and diags.worst >= Severity.WARNING and not options.proof:
            raise BuildFailed(diags)  # --strict: a warning fails the build, and a failed build writes nothing
        run.backend.write(run.output, run.data, diags, (options.edition_dir,))

    def _stage_remember(self, run: _Run) -> None:
        """What the next build reuses: the lines set afresh (to the line store), the frame heights of a good
        build; and what the caller reads."""
        assert run.setter is not None and run.fonts is not None
        if self.lines.saving:  # (written by a child while the pages were drawn; else here, as below)
            if self._saved_aside():
                self.lines.unsaved = None
        elif run.setter.fresh:
            self.lines.unsaved = (run.store, _lines_to_keep(run.setter, self.pages.from_disk, self.lines.elsewhere))
        if not self.defer_line_store:
            self.save_lines()
        if not run.diags.has_errors():  # a proof of a failing build is no "last good build"
            heights = _frame_heights(run.pages)
            if heights != self.heights.good:  # (a rebuild that moved no frame writes nothing)
                _write_heights(run.heights_path, heights)
            self.heights.good = heights
        result = run.result
        result.output = run.output
        result.preview = run.options.preview_reason
        result.pages = run.pages
        result.layout = run.layout
        result.fonts, result.font_set = len(run.fonts.faces), run.fonts

    # -- the caches -----------------------------------------------------------------------------------------
    def _prepare_fonts(self, project: str, used: dict, diags: Diagnostics, allow_missing: bool = False):
        from .project import announce, fonts_cache

        manifest_path = os.path.join(project, "fonts", "fonts.yaml")
        cache_dir = fonts_cache(project)
        stamp = (manifest_path, _mtime(manifest_path), cache_dir)
        cache = self.fonts
        if cache.stamp != stamp:
            loaded = load_manifest(manifest_path, diags, self.files)
            if not faces_present(loaded, cache_dir):  # first use: fetched (pinned, checksummed)
                announce(f"fonts: first use, fetching the faces of {manifest_path} into {cache_dir} (once)")
                fetch_fonts(loaded, diags, cache_dir, lambda step: announce("fonts: " + step))
            check_faces_present(loaded, diags, cache_dir)
            self.fonts = cache = FontCache(stamp, loaded, load_coverage(loaded, diags, cache_dir))
        manifest, coverage = cache.manifest, cache.coverage
        assert manifest is not None and coverage is not None  # loaded above for this stamp, or raised
        if cache.checked is not None and cache.checked[1] == allow_missing and cache.checked[0] == used:
            diags.items.extend(cache.checked[2])  # (a rebuild whose edit brought no character: found as before)
        else:
            before = len(diags.items)
            reported = check_cjk_family(manifest, coverage, used, diags, allow_missing)
            check_glyphs({c: ref for c, ref in used.items() if c not in reported},
                         family_coverage(manifest, coverage, used), diags, allow_missing)
            cache.checked = (dict(used), allow_missing, diags.items[before:])
        diags.raise_if_errors()
        wanted = frozenset(used)
        # Fonts prepared for more characters serve as well (the PDF does not depend on it, see fonts.py).
        if cache.fonts is None or not wanted <= cache.characters:
            cache.fonts = prepare_fonts(manifest, set(wanted), diags, cache_dir, coverage)
            cache.characters = wanted
        return cache.fonts

    def save_lines(self) -> None:
        """Write the lines the last build set to the line store, and the pages it laid out to .cache/pages (a
        no-op when it set and laid out none); and, when put off, the files it read afresh to .cache/parsed and
        the figures parity found."""
        if self.lines.unsaved is not None:
            linestore.save(*self.lines.unsaved)
            self.lines.unsaved = None
        write_deferred(self.files)
        if self.figures_unsaved is not None:
            write_kept(self.figures_unsaved)
            self.figures_unsaved = None
        for stored, value in self.pages.unsaved:
            write_cached(stored, value, verify=False)
        self.pages.unsaved = []

    def _restore_lines(self, project: str, edition_dir: str, fonts: FontSet,
                       words: frozenset = frozenset()) -> tuple[str, TextSetter]:
        """The text setter for these fonts, the edition's words and this store (the store's name holds the
        breaking mode; its keys the words), seeded with the lines the last run stored when any changed; start
        counting what this build sets."""
        lines = self.lines
        store = linestore.store_path(project, edition_dir, lines.greedy)
        setter = lines.setter
        if setter is None or lines.store != store or setter.fonts is not fonts or setter.words != words:
            # (read when a page is set: one whose laid-out page is in .cache/pages needs no line)
            setter = lines.setter = TextSetter(fonts, greedy=lines.greedy, memo=linestore.LazyStore(store),
                                               words=words)
            lines.store = store
        setter.used, setter.fresh = {}, 0
        if isinstance(setter._memo, linestore.StoredMemo):
            setter._memo.digests = {}
        return store, setter

    def _layout(self, edition: Edition, layout: Layout, diags: Diagnostics, lang: str | None,
                setter: TextSetter) -> list[LaidOutPage]:
        """Lay out each page, reusing the previous build's result for a page whose inputs are unchanged; the pages
        to lay out afresh in two processes where that may (_in_two_processes)."""
        keys = self.pages.keys = []
        shared: list = []  # the digest of what every page's name shares (_stored_page), made once a build
        self.lines.elsewhere, self.lines.forked = {}, False
        plan: list = []  # each page: (the page, its inputs, its .cache/pages file, what it takes: None to lay out)
        for page in sorted(edition.pages, key=lambda p: p.number):
            # A picture's file is an input too: its proportions set its box (stamps: size and mtime).
            inputs = (page, layout, setter, (edition.title, lang, _picture_stamps(page)))
            cached = self.pages.laid.get(page.number)
            # Unchanged files come back from the file cache as the very same objects.
            if cached is not None and all(a is b for a, b in zip(cached[0][:3], inputs)) \
                    and cached[0][3] == inputs[3]:
                plan.append((page, None, cached[3], (cached[1], cached[2])))
                continue
            stored = self._stored_page(edition, page, layout, setter, lang, inputs[3][2], shared)
            found = read_cached(stored) if stored is not None else None
            # (an overflow's message compares with the last good build's heights, which the name leaves out)
            if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], LaidOutPage) \
                    and not any(getattr(d, "code", "overflow") == "overflow" for d in found[1]):
                self.pages.from_disk += 1
                plan.append((page, inputs, stored, (found[0], list(found[1]))))
            else:
                plan.append((page, inputs, stored, None))

        def lay_out(page) -> tuple:  # (the page laid out and checked, what it said)
            alone = replace(edition, pages=(page,))
            page_diags = Diagnostics()
            result = layout_edition(alone, layout, setter, page_diags, lang, self.heights.good)[0]
            if not any(d.code in UNPLACEABLE for d in page_diags.items):
                # (a block in no frame is already the error worth reading: one error per cause)
                check_laid_out(alone, [result], page_diags, lang, layout.geometry.charts)  # nothing of the page lost
            return result, list(page_diags.items)

        todo = [page for page, _, _, taken in plan if taken is None]
        names = {page.number: stored for page, _, stored, taken in plan if taken is None}
        made = self._in_two_processes(todo, lay_out, setter, names) if len(todo) >= FORKED_PAGES \
            and FORK_LAYOUT[0] and not self.defer_line_store else {}
        laid = []
        for page, inputs, stored, taken in plan:
            if inputs is None:  # (this session's own, as it laid it out last)
                laid.append(taken[0])
                diags.items.extend(taken[1])
                keys.append(stored)
                continue
            if taken is not None:
                result, page_items = taken
            else:
                result, page_items, written = made.pop(page.number, None) or (*lay_out(page), False)
                if stored is not None and not written:  # (with the line store: after `watch` has reported it)
                    self.pages.unsaved.append((stored, (result, tuple(page_items))))
            self.pages.laid[page.number] = (inputs, result, page_items, stored)
            keys.append(stored)
            diags.items.extend(page_items)
            laid.append(result)
        return laid

    def _save_lines_aside(self, run: _Run) -> None:
        """A build that laid out its pages in two processes writes its line store in a child forked now, while this
        process draws the pages (the second processor's again: encoding the 200-page edition's lines was 0.14 s of
        its remember stage); _stage_remember waits for it and writes the store itself if the child failed. Written
        whether or not the build then fails: a line set is the same however the build ends."""
        import signal
        import sys

        assert run.setter is not None
        self.lines.unsaved = (run.store, _lines_to_keep(run.setter, self.pages.from_disk, self.lines.elsewhere))
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        try:
            child = os.fork()
        except OSError:
            return  # (written when the build remembers, as in one process)
        if child == 0:
            code = 1
            try:
                for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                    signal.signal(number, signal.SIG_DFL)
                linestore.save(*self.lines.unsaved)
                code = 0
            finally:
                os._exit(code)
        self.lines.saving = child

    def _saved_aside(self) -> bool:
        """Wait for the child writing the line store (_save_lines_aside): whether it wrote it."""
        child, self.lines.saving = self.lines.saving, 0
        _, status = os.waitpid(child, 0)
        return status == 0

    def _in_two_processes(self, todo: list, lay_out, setter: TextSetter, names: dict) -> dict:
        """The pages `todo` laid out (`lay_out`) by this process and a child forked from it, each taking the next page
        not yet taken (a pipe holds their indexes), so that a build of many pages to lay out afresh (the generated
        200-page edition) uses a second processor: page number -> (the page, what it said, True) of every page laid
        out, the child's read back when this process has laid out its own; each process writes the pages it laid out
        to their .cache/pages files (`names`) as it goes (one process's build writes them after drawing: a failed
        build writes none; laid out in two, they are a second processor's work, and a page laid out is the same
        however the build ends). This process then tells the child the paragraphs it set
        (their digests in the line store): the child sends the lines of the others (kept for the line store,
        `lines.elsewhere`, and counted as set), and its pages with each line the setter set as its paragraph's
        digest and place (_lent_pickler), read back as this process's own lines or those sent: no line is held twice
        (the Chinese of every copy of a page of the 200-page edition). A page is laid out from the same inputs
        whichever process does it (the setter's memo and the page's fills are caches: equal lines and frames), so
        the PDF is the same bytes. Where the child fails or says nothing, this process lays out what it took. Only
        on Linux (fork; macOS forks badly), with two processors to run on, and never in a session (`watch`, `serve`:
        FORK_LAYOUT only for a `highlight build` process's own command line)."""
        import pickle
        import signal
        import sys

        memo = setter._memo
        if not (sys.platform.startswith("linux") and len(os.sched_getaffinity(0)) > 1 and len(todo) <= 16384
                and isinstance(memo, linestore.LazyStore) and not os.environ.get("HIGHLIGHT_FILL_COUNTS")):
            return {}
        claims, claiming = os.pipe()
        os.write(claiming, b"".join(k.to_bytes(2, "big") for k in range(len(todo))))  # (under a pipe's 64 KB)
        os.close(claiming)
        answer, answering = os.pipe()
        held, holding = os.pipe()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        fresh = setter.fresh
        try:
            child = os.fork()
        except OSError:
            for fd in (claims, answer, answering, held, holding):
                os.close(fd)
            return {}
        self.lines.forked = child != 0
        if child == 0:  # the child: never back into the caller's code, nor its handlers at exit
            code = 1
            try:
                os.close(answer)
                os.close(holding)
                for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                    signal.signal(number, signal.SIG_DFL)
                pages = []
                while len(claim := os.read(claims, 2)) == 2:
                    page = todo[int.from_bytes(claim, "big")]
                    pages.append((page.number, _laid_and_kept(lay_out, page, names)))
                with os.fdopen(held, "rb") as got:
                    theirs = set(got.read().decode("ascii").split())
                lines = [(memo.digest_of(key), value) for key, value in setter.used.items()]
                with os.fdopen(answering, "wb") as out:
                    _lent_pickler(out, []).dump(([(digest, value) for digest, value in lines if digest not in theirs],
                                                 setter.fresh - fresh))
                    _lent_pickler(out, lines).dump(pages)
                code = 0
            finally:
                os._exit(code)
        os.close(answering)
        os.close(held)
        made: dict = {}
        unclosed, answered = [holding, answer], False
        try:
            while len(claim := os.read(claims, 2)) == 2:
                page = todo[int.from_bytes(claim, "big")]
                made[page.number] = _laid_and_kept(lay_out, page, names)
            _LENT.update((memo.digest_of(key), value) for key, value in setter.used.items())
            unclosed.remove(holding)
            try:
                with os.fdopen(holding, "wb") as out:
                    out.write("\n".join(_LENT).encode("ascii"))
            except OSError:  # (a child gone: BrokenPipeError)
                pass
            unclosed.remove(answer)
            with os.fdopen(answer, "rb") as got:
                try:
                    lines, fresh = pickle.load(got)
                    _LENT.update(lines)
                    self.lines.elsewhere.update(lines)
                    del lines
                    made.update(pickle.load(got))
                    setter.fresh += fresh
                except Exception:  # (a child that failed: its pages laid out here, below)
                    self.lines.elsewhere.clear()
            answered = True
        finally:  # (stopped here, by an error or a signal: the child stopped too, never left behind)
            _LENT.clear()
            _FLOATS.clear()
            for fd in (claims, *unclosed):
                os.close(fd)
            if not answered:
                os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
        return made

    def _stored_page(self, edition: Edition, page, layout: Layout, setter: TextSetter, lang: str | None,
                     stamps: tuple, shared: list) -> str | None:
        """.cache/pages/<digest>.pickle: a page laid out and checked in an earlier process, with its diagnostics.
        The digest covers everything the page's layout reads: the edition without its pages (its title, words,
        typography) and the setter's words, the page, the layout, the language, the page's pictures (size and
        time) and the line store's name (the package's source, the fonts' manifest, the pins, the edition's folder
        and the breaking mode); not the last good build's frame heights, which only an overflow's message reads (a
        page stored with an overflow is laid out again). None when any of it cannot be written down (then the page
        is laid out). `shared`: the digest of what every page's name shares, made at the first page that needs it
        (pickled again for each page it was 184 ms of the 200-page edition)."""
        import pickle

        def canonical(value) -> bytes:
            """The pickle of `value` without its memo: the same bytes whichever objects it shares (a page read
            from YAML and the same page from .cache/parsed share different strings)."""
            out = io.BytesIO()
            pickler = pickle.Pickler(out, protocol=5)
            pickler.fast = True
            pickler.dump(value)
            return out.getvalue()

        store = self.lines.store
        if store is None:
            return None
        try:
            if self.pages.digest[0] is not layout:
                self.pages.digest = (layout, hashlib.sha256(canonical(layout)).digest())
            if not shared:
                shared.append(hashlib.sha256(canonical((replace(edition, pages=()), sorted(setter.words)))).digest())
            own = canonical((page, lang, stamps))
        except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
            return None
        digest = hashlib.sha256(b"highlight-page/2\0" + os.path.basename(store).encode() + self.pages.digest[1]
                                + shared[0] + own)
        return os.path.join(os.path.dirname(os.path.dirname(store)), "pages", digest.hexdigest() + ".pickle")

    def _document_key(self, document: backends.Document) -> bytes | None:
        """What a backend's output is a function of, as one digest (Document.key): each page's .cache/pages name
        (its content, the layout, the language, its pictures' stamps, the line store's name: the package, the
        fonts' manifest, the pins), the layout's digest, each face's subset file (name and stamp), the profiles'
        bytes and the document's metadata and options. None when a page has no name (it could not be written
        down), a face's file cannot be read or a function of the output's modules was replaced at run time
        (linestore.code_replaced): then nothing is kept."""
        keys = self.pages.keys
        if len(keys) != len(document.pages) or None in keys or self.pages.digest[0] is not document.layout \
                or linestore.code_replaced():
            return None
        digest = hashlib.sha256(b"highlight-document/1\0" + linestore._package_digest() + self.pages.digest[1])
        for stored in keys:
            digest.update(os.path.basename(stored).encode() + b"\0")
        try:
            for name, face in sorted(document.fonts.faces.items()):
                st = os.stat(face.path)
                digest.update(f"{name}\0{face.path}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        except OSError:
            return None
        for blob in (document.profile.icc if document.profile is not None else None, document.picture_icc):
            digest.update(hashlib.sha256(blob).digest() if blob is not None else b"(none)")
        digest.update(repr((tuple(document.meta), document.marks, document.tagged, document.edition_dir,
                            len(document.pages))).encode())
        return digest.digest()

    def _output_profile(self, project: str, diags: Diagnostics):
        """The PDF/X output intent's profile (kept for the session: 250 KB read once)."""
        from .profiles import load_manifest, load_profile

        if self.profile is None:
            own = Diagnostics()  # its loaders stop at any error so far: a proof's overflow is not theirs
            try:
                manifest = load_manifest(os.path.join(project, "profiles", "profiles.yaml"), own, self.files)
                self.profile = load_profile(manifest, own)
            finally:
                diags.extend(own)
        return self.profile


def _lines_to_keep(setter: TextSetter, pages_from_disk: int, elsewhere: dict | None = None) -> dict:
    """What the line store keeps: the lines this build used (and those a child process set for it, `elsewhere`, by
    their digests); when some pages came from .cache/pages (their lines were not looked up), the store's older lines
    too, so that a later build setting those pages finds them."""
    memo = setter._memo
    if not isinstance(memo, linestore.LazyStore):
        return setter.used
    if not pages_from_disk:  # (by the digests the lookups made: the save does not make them again)
        used = linestore.StoredMemo()
        for key, lines in setter.used.items():
            dict.__setitem__(used, memo.digest_of(key), lines)
        dict.update(used, elsewhere or {})
        return used
    kept = linestore.StoredMemo()
    dict.update(kept, dict.items(memo))  # (keyed by digest already; entries never looked up as they were stored)
    kept.colours = memo.colours
    for key, lines in setter.used.items():
        dict.__setitem__(kept, memo.digest_of(key), lines)
    dict.update(kept, elsewhere or {})
    return kept


def _laid_and_kept(lay_out, page, names: dict) -> tuple:
    """(the page laid out, what it said, True): written to its .cache/pages file, if it has a name (_in_two_processes)."""
    result, page_items = lay_out(page)
    if names.get(page.number) is not None:
        write_cached(names[page.number], (result, tuple(page_items)), verify=False)
    return result, page_items, True


_LENT: dict = {}  # digest -> lines, while a child's pages are read back (_lent_lines)
_FLOATS: dict = {}  # a float -> the one object of its value, while a child's lines are read back (_shared)


def _lent_lines(digest: str, index: int):
    """A line of a child's page as read back: the lines of that paragraph this process holds (_in_two_processes)."""
    return _LENT[digest][index]


def _shared(cls, values: tuple):
    """A child's line or glyph run as read back, each of its float values one object (as its style's size, leading
    and the like are among the lines set here; pickle writes a float anew at each use: 48,000 of them, 1.2 MB, in
    the 200-page edition). A zero keeps its sign."""
    floats = _FLOATS
    return cls(*[(floats.setdefault(v, v) if v else _ZEROS[math.copysign(1.0, v) < 0]) if type(v) is float else v
                 for v in values])


_ZEROS = (0.0, -0.0)


def _lent_pickler(out, lines: list):
    """A pickler of a child's pages and lines that writes each line the setter set as its paragraph's digest and its
    place there (_lent_lines); a line or glyph run of its own as its class and values, read back with shared floats
    (_shared); and an instance of another dataclass as its class and its fields' values, read back by its own
    __init__: pickle's default sets each field in a new __dict__ of the instance, 15,000 of them in the 200-page
    edition (2-3 MB; an instance made by __init__ keeps its values in the object, with no dict)."""
    import dataclasses
    import pickle

    places = {id(line): (digest, k) for digest, value in lines for k, line in enumerate(value)}
    made: dict = {}  # class -> its fields' names, where all are __init__ arguments (else None)

    class Lent(pickle.Pickler):
        def reducer_override(self, obj):  # (asked only of objects of classes of our own)
            cls = type(obj)
            if cls is Line:
                place = places.get(id(obj))
                if place is not None:
                    return _lent_lines, place
            elif cls is GlyphRun:
                return _shared, obj.__reduce__()
            names = made.get(cls, ())
            if names == ():
                names = made[cls] = tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) \
                    and all(f.init for f in dataclasses.fields(cls)) else None
            state = getattr(obj, "__dict__", None) if names is not None else None
            if state is None or tuple(state) != names:  # (a cached hash, a field set apart: pickled as it is)
                return NotImplemented
            return (_shared, (cls, tuple(state.values()))) if cls is Line else (cls, tuple(state.values()))

    return Lent(out, protocol=pickle.HIGHEST_PROTOCOL)


def _picture_stamps(page) -> tuple:
    """(size, mtime) of each picture file a page names, in order (None for a file that is not there)."""
    from .content import Image

    stamps: list[tuple[int, int] | None] = []
    for block in page.blocks:
        for element in block.elements:
            if isinstance(element, Image):
                if not element.file:  # a picture still to come: its placeholder
                    stamps.append(None)
                    continue
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
    """--final: nothing goes to press with a placeholder in it (a QR code without its url), nor with an element
    still marked `review: true` (its figures and dates unchecked): each such warning becomes an error."""
    from .diagnostics import Diagnostic
    from .layout import QrMark

    for i, d in enumerate(diags.items):
        if d.code == "unreviewed" and d.severity == Severity.WARNING:
            diags.items[i] = Diagnostic(Severity.ERROR, "unreviewed-in-final", d.message.replace(
                " not checked yet", " not checked yet, and a press build takes no unchecked figure"), d.source,
                d.hint, d.page)

    # A placeholder's proof warning becomes the press error in its place: one problem, counted once.
    placeholders = {item.ref: page.number for page in pages for item in page.items
                    if isinstance(item, QrMark) and item.url is None}
    diags.items[:] = [d for d in diags.items if not (d.code == "qr-placeholder" and d.source in placeholders)
                      and d.code != "image-placeholder"]  # (each picture's is its image-placeholder-final error)
    for ref, number in placeholders.items():
        diags.error("placeholder-in-final", "a QR code placeholder cannot go to press", ref, page=number,
                    hint="add url: https://... to the element, or build without --final for a proof")


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
    return (day.toordinal() - _EPOCH_ORDINAL) * 86400  # (midnight UTC, as calendar.timegm gives: no calendar import)


_EPOCH_ORDINAL = 719163  # datetime.date(1970, 1, 1).toordinal()


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


def build(options: BuildOptions) -> BuildResult:
    """Build once: load, check, lay out, render and write the PDF atomically."""
    return BuildSession().build(options)
