"""Command line: argument parsing, printing diagnostics, exit codes. The work is in library calls."""
from __future__ import annotations

import argparse
import os
import sys

from . import backends
from .diagnostics import PATH_LIMIT, BuildFailed, Diagnostics, Severity, SourceRef, exit_code, json_text, shown

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 2.4 ms of every process, issue 28)
if TYPE_CHECKING:
    from typing import Any, NoReturn

INTERNAL_ERROR = 3  # an exception we did not expect: not the user's input (2), a bug to report


class _Output:
    """-q and -v: what is printed besides errors and the machine-readable output (JSON is never quietened)."""

    quiet = False
    verbose = False


_OUTPUT = _Output()


def _info(text: str, file=None, flush: bool = False) -> None:
    """A progress or summary line: not under -q."""
    if not _OUTPUT.quiet:
        print(text, file=file, flush=flush)


def _detail(text: str) -> None:
    """A line only -v asks for."""
    if _OUTPUT.verbose:
        print(text, flush=True)


EXIT_CODES = ("exit codes: 0 done cleanly; 1 the content has errors (or warnings, with --strict); "
              "2 the input or the environment cannot be used (this includes a mistyped command line); "
              f"{INTERNAL_ERROR} an internal error, a bug of ours (run again with --debug and report it)")


# The commands that compare or judge a PDF answer a question, and say the answer in their exit code.
_OTHER_EXITS = ("2 a PDF cannot be used or an output cannot be written (this includes a mistyped command line); "
                f"{INTERNAL_ERROR} an internal error, a bug of ours (run again with --debug and report it)")
DIFF_EXIT_CODES = ("exit codes: 0 the two PDFs read the same (no word and no page picture changed); 1 something "
                   "changed (listed above the summary, like diff(1)); " + _OTHER_EXITS)
PREFLIGHT_EXIT_CODES = "exit codes: 0 every check passed; 1 a check failed (its FAIL line says which); " + _OTHER_EXITS


def _terminal_columns() -> int:
    """shutil.get_terminal_size().columns, without importing shutil (and bz2 and lzma with it: 2 ms of every
    process; argparse's formatter asks it for each argument added)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 80
    return columns


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, as wide as the terminal as it measures it (_terminal_columns)."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        super().__init__(prog, indent_increment, max_help_position, _terminal_columns() - 2 if width is None else width)


class _Parser(argparse.ArgumentParser):
    """argparse, with "did you mean" for a mistyped command or option (Python 3.11 has no suggest_on_error)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        import difflib
        import re

        message = shown(message, 1000)  # it quotes what was typed
        choices = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if choices:
            known = re.findall(r"'([^']*)'", choices.group(2)) or [c.strip() for c in choices.group(2).split(",")]
            close = difflib.get_close_matches(choices.group(1), known, n=1)
            if close:
                message += f"\n  hint: did you mean {close[0]!r}?"
        unknown = re.match(r"unrecognized arguments: (.*)", message)
        if unknown:
            options = [o for action in self._actions for o in action.option_strings]
            for word in unknown.group(1).split():
                close = difflib.get_close_matches(word.split("=")[0], options, n=1) if word.startswith("-") else []
                if close:
                    message += f"\n  hint: {word!r}: did you mean {close[0]!r}?"
        super().error(message)


def _global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """--debug, -q, -v: accepted before the command and after it (`highlight build x --debug`)."""
    default: dict[str, Any] = {"default": argparse.SUPPRESS} if suppress else {}
    parser.add_argument("--debug", action="store_true", help="show a traceback when something unexpected fails",
                        **default)
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print only errors: no warnings, no summary or progress lines", **default)
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="say more: each set-up step and how long it took, where each file comes from",
                        **default)


COMMANDS = ("build", "watch", "serve", "init", "new", "check", "proof", "preflight", "diff", "schema", "fonts", "setup")


class _Unused:
    """Stands for the parser of a command not being run (_parser's `only`): its arguments are not made."""

    def add_argument(self, *args, **kwargs) -> None:
        pass


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with `only` (a command's name), the other commands' parsers are listed (for
    the usage and the help) but not given their arguments: building them all was 3-9 ms of every process."""
    real = argparse._  # type: ignore[attr-defined]
    translated: dict = {}

    def once(message: str) -> str:  # (gettext looks for a catalogue on disk at every call: once a message)
        text = translated.get(message)
        if text is None:
            text = translated[message] = real(message)
        return text

    argparse._ = once  # type: ignore[attr-defined]
    try:
        return _made_parser(only)
    finally:
        argparse._ = real  # type: ignore[attr-defined]


def _made_parser(only: str | None) -> argparse.ArgumentParser:
    from . import __version__

    parser = _Parser(prog="highlight", description="Typeset the bilingual Annual Highlights leaflet.",
                     epilog=EXIT_CODES)
    parser.add_argument("--version", action="version", version=f"highlight {__version__}")
    _global_options(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    common = _Parser(add_help=False)
    _global_options(common, suppress=True)  # SUPPRESS: an option not given after the command keeps its value

    def command(name: str, help: str, epilog: str = EXIT_CODES) -> Any:
        if only is not None and name != only:
            sub.add_parser(name, help=help, add_help=False)
            return _Unused()
        return sub.add_parser(name, help=help, parents=[common], epilog=epilog)

    build = command("build", help="build an edition's PDF (or another output: --to)")
    build.add_argument("edition", help="the edition folder, e.g. content/2022-23")
    build.add_argument("-o", "--output", help="output file (default out/highlights-<edition>.pdf, .json with --to json; "
                                                  "a folder with --to html)")
    build.add_argument("--to", choices=backends.names(), default="pdf",
                       help="the output: pdf (the default); json, the page model (every page's items with their "
                            "role, language, text, box in mm and source) → out/highlights-<edition>.json; html, "
                            "the web page → out/highlights-<edition>-web/index.html")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")
    build.add_argument("--no-marks", action="store_true", help="leave out crop marks")
    build.add_argument("--json", action="store_true",
                       help="print diagnostics as a JSON list; with --report, one JSON object "
                            "{diagnostics, typography} (the summary line goes to stderr)")
    build.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="github: GitHub Actions annotations, so CI marks the YAML line")
    build.add_argument("--target", choices=("print", "screen"), default="print",
                       help="screen: RGB, no marks, links and bookmarks → out/highlights-<edition>-screen.pdf")
    build.add_argument("--report", action="store_true",
                       help="the typography report: runts, loose and tight lines, hyphens, compressed and hanging "
                            "punctuation, rule breaks, lines off the baseline grid, underfull and overfull frames")
    build.add_argument("--greedy", action="store_true",
                       help="first-fit line breaking instead of total fit (to compare; not for print)")
    build.add_argument("--lang", choices=("en", "zh"),
                       help="a single-language variant, written to out/highlights-<edition>-<lang>.pdf")
    build.add_argument("--final", action="store_true",
                       help="the press build: a placeholder (a QR code with no url, a missing picture) and an "
                       "element still marked `review: true` are errors, not warnings")
    build.add_argument("--allow-missing-glyphs", action="store_true",
                       help="a character no font has is a warning and printed as a box (for proofs)")
    build.add_argument("--jobs", type=int, choices=(1, 2), default=2,
                       help="processes to lay out the pages in: 2 (the default) uses a second processor, on Linux, "
                            "for an edition of 24 or more pages to set afresh; 1 keeps to one (less memory in all)")
    watch = command("watch", help="rebuild whenever a content, layout or font file changes")
    watch.add_argument("edition", help="the edition folder, e.g. content/2022-23")
    watch.add_argument("-o", "--output", help="output PDF (default out/highlights-<edition>.pdf)")
    watch.add_argument("--no-marks", action="store_true", help="leave out crop marks")
    watch.add_argument("--proof", action="store_true", help="refresh the page proofs after each good build")
    watch.add_argument("--max-builds", type=int, default=0, help=argparse.SUPPRESS)  # for tests and benchmarks
    serve = command("serve", help="live proofs in the browser: the pages, overlays, a click to the YAML line")
    serve.add_argument("edition", help="the edition folder, e.g. content/2022-23")
    serve.add_argument("--port", type=int, default=8017, help="port to listen on (0: any free port; default 8017)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default loopback only)")
    serve.add_argument("--editor", default="vscode://file{path}:{line}:{column}",
                       help="the link a clicked line opens, with {path}, {line} and {column}")
    serve.add_argument("--dpi", type=int, default=110, help="resolution of the page pictures (default 110)")
    init = command("init", help="make a project folder: the layout to edit, the manifests, an edition to start from")
    init.add_argument("folder", help="the project folder to make (or complete: nothing there is replaced)")
    init.add_argument("--from", dest="source", help="an edition folder to copy into content/ (default: the example "
                      "edition)")
    new = command("new", help="start next year's edition from this year's")
    new.add_argument("edition", help="the new edition's name, e.g. 2023-24")
    new.add_argument("--from", dest="source", required=True,
                     help="the edition to start from, by name or path: 2022-23 or content/2022-23")
    new.add_argument("--content", default="content", help="the folder holding the editions (default content)")
    check = command("check", help="read a PDF back and compare it with its content, or with a copy deck")
    check.add_argument("paths", nargs="+", metavar="EDITION [PDF] | PDF",
                       help="content/2022-23 [out/highlights-2022-23.pdf], or with --source just the PDF")
    check.add_argument("--source", help="a plain-text source (copy deck), one line per printed line")
    check.add_argument("--strict", action="store_true",
                       help="with --source: collapse whitespace instead of removing it; else: warnings fail")
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="github: GitHub Actions annotations, so CI marks the YAML line")
    proof = command("proof", help="page proofs as PNG, with layout overlays, and a contact sheet")
    proof.add_argument("edition", help="the edition folder, e.g. content/2022-23")
    proof.add_argument("--pages", default="", help="pages to render, e.g. 1,3-4 (default: all)")
    proof.add_argument("--dpi", type=int, default=150)
    proof.add_argument("--overlay", default="", help="any of grid,frames,baselines,safe (overflows and QR "
                       "placeholders are always marked)")
    pre = command("preflight", help="check a PDF as a print shop's preflight would", epilog=PREFLIGHT_EXIT_CODES)
    pre.add_argument("pdf")
    pre.add_argument("--target", choices=("print", "screen"),
                     help="what the file is checked as (default: what it declares: PDF/X is print; highlight's "
                          "file without PDF/X is its screen rendition; any other file print)")
    pre.add_argument("--json", action="store_true", help="print the report as JSON")
    diff = command("diff", help="what changed between two builds: words, figures, and a picture per page",
                   epilog=DIFF_EXIT_CODES)
    diff.add_argument("old", help="the earlier PDF")
    diff.add_argument("new", help="the later PDF")
    diff.add_argument("--out", help="folder for the pictures (default: out/diff)")
    diff.add_argument("--json", action="store_true", help="print the changes as JSON")
    schema = command("schema", help="write the JSON Schemas of content and layout files for editors")
    schema.add_argument("--out", default="schema", help="folder to write into (default schema/)")
    fonts = command("fonts", help="download and verify the fonts named in fonts/fonts.yaml")
    fonts.add_argument("--manifest", default=os.path.join("fonts", "fonts.yaml"))
    setup = command("setup", help="fetch the fonts and check the shipped print profile (run by make; a build "
                    "fetches the fonts on first use anyway)")
    setup.add_argument("--manifest", default=os.path.join("fonts", "fonts.yaml"))
    setup.add_argument("--profiles", default=os.path.join("profiles", "profiles.yaml"))
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP: unwound like Ctrl-C, so the temporary file is removed and the last PDF kept."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum, frame):
    raise Terminated(signum)


def _signals(handler) -> dict:
    """Install `handler` for SIGTERM and SIGHUP (main thread only: elsewhere signal.signal refuses, ValueError); the
    handlers they had. (No `threading` to ask which thread this is: importing it was 1 ms of every build.)"""
    import signal

    previous: dict = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            try:
                previous[number] = signal.signal(number, handler if handler else signal.SIG_DFL)
            except ValueError:  # not the main thread: put back what was set, set nothing
                _restore_signals(previous)
                return {}
    return previous


def _restore_signals(previous: dict) -> None:
    import signal

    for number, handler in previous.items():
        signal.signal(number, handler)


def _command_named(argv: list[str]) -> str | None:
    """The command `argv` runs (its first word that is no option: the options before a command take no value),
    None when that word is no command (the whole parser says so, with its suggestions)."""
    word = next((a for a in argv if not a.startswith("-")), None)
    return word if word in COMMANDS else None


def main(argv: list[str] | None = None) -> int:
    _text_streams()
    parser = _parser(_command_named(sys.argv[1:] if argv is None else argv))
    args, extras = parser.parse_known_args(argv)
    if extras:  # said by the command's own parser, which knows its options (for "did you mean")
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        commands.choices[args.command].error("unrecognized arguments: " + " ".join(extras))
    _OUTPUT.quiet, _OUTPUT.verbose = args.quiet, args.verbose and not args.quiet
    from .project import QUIET

    QUIET[0] = _OUTPUT.quiet  # a first-use download's progress lines too
    for option, value in sorted(vars(args).items()):
        for one in value if isinstance(value, list) else [value]:
            why = _argument_problem(one) if isinstance(one, str) else None
            if why:
                diags = Diagnostics()
                diags.fatal("bad-argument", f"the {option.replace('_', '-')} given {why}", SourceRef(one),
                            hint="type it again without that character")
                _print(diags, False)
                return 2
    if argv is None and args.command == "build":  # (the process's own command line: one build, one thread)
        _pillow_when_used()
        _no_cyclic_collection()
        _two_processes(args.jobs)
    elif COLLECTOR_HELD[0]:
        import gc

        gc.enable()
    previous = _signals(_on_signal)
    try:
        code = _run(args)
    finally:
        _restore_signals(previous)
    if argv is None and args.command == "build" and sys.getprofile() is None and sys.gettrace() is None:
        end_process(code)  # one build of the process's own command line: its end (a profiler's or a
    return code  # debugger's process returns: `python -m cProfile -m highlight build` writes its figures after)


COLLECTOR_HELD = [False]  # `python -m highlight` turned the collector off before importing the package


def end_process(code: int) -> NoReturn:
    """End a `highlight build` process (its own command line: main() without arguments, as the `highlight`
    script and `python -m highlight` call it) once the build is done: the atexit handlers run (the kept code of
    highlight/__init__, HIGHLIGHT_FILL_COUNTS), the text streams are flushed, and the process exits with `code`
    without the interpreter's teardown. That teardown frees every module and object the build made, one
    by one, and collects the cycles among them (57 M of 1,354 M instructions of a build after a one-word edit,
    4 %): work for nothing in a process about to end. Every file the build writes is closed (and renamed into
    place) before this; a build runs no thread, and the child it may fork to lay out pages
    (build._in_two_processes) has ended and been waited for."""
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader gone away, a stream closed: nothing more to say
            pass
    os._exit(code)


def _no_cyclic_collection() -> None:
    """A `highlight build` process makes one document and exits: what it builds (the parsed files, the pages, the
    lines, the PDF) lives until the end, and the cyclic garbage collector's passes over it free next to nothing
    (peak RSS of the 200-page edition 140.4 MB with them, 140.1 MB without) while costing 15-80 ms of a build
    after an edit and 0.6-0.8 s of the 200-page edition (5 full collections). Reference counting still frees
    all the rest. Only for the process's own command line: `watch` and `serve` run for hours, and a caller of
    main(argv) keeps its collector."""
    import gc

    gc.disable()


def _two_processes(jobs: int) -> None:
    """A `highlight build` process may lay out many pages to set afresh in two processes (build._in_two_processes):
    only its own command line, which ends when the build does, and not with --jobs 1 (the second process's pages
    are memory of its own: the 200-page edition's process tree peaks 6-14 MiB higher); a session (`watch`,
    `serve`) and a caller of main(argv) lay out in one."""
    from .build import FORK_LAYOUT

    FORK_LAYOUT[0] = jobs > 1


def _pillow_when_used() -> None:
    """ReportLab's utils import PIL.Image when ReportLab is imported (6-8 ms of a build after an edit), though a
    leaflet without pictures never uses it: in a `highlight build` process, PIL.Image is a module that runs its
    code when first used (importlib.util.LazyLoader), as Pillow itself is imported only where pictures are
    handled. Only for the process's own command line: 3.11's LazyLoader is not safe for two threads using the
    module first at once, and `serve` (and the tests' servers) draw pictures on threads."""
    if "PIL.Image" in sys.modules:
        return
    import importlib.util

    try:
        spec = importlib.util.find_spec("PIL.Image")
    except ImportError:
        return
    if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["PIL.Image"] = module
    spec.loader.exec_module(module)
    sys.modules["PIL"].Image = module  # type: ignore[attr-defined]  # (what `from PIL import Image` reads)


def _argument_problem(value: str) -> str | None:
    """Why a command-line value can be no path, name or page selection (os.stat would raise): a NUL, or a
    character the file system's encoding cannot hold (a lone surrogate that is no undecodable byte)."""
    if "\0" in value:
        return "holds a NUL character"
    try:
        os.fsencode(value)
    except UnicodeError:
        return "holds a character no file name can hold (a lone surrogate)"
    return None


def _text_streams() -> None:
    """Whatever the terminal's encoding (PYTHONIOENCODING=ascii, a C locale), print what it cannot show as
    escapes instead of failing after the PDF was written."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (getattr(stream, "errors", "") or "") == "strict":
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


def _run(args) -> int:
    commands = {"build": _build, "fonts": _fonts, "setup": lambda a: _fonts(a) or _profiles(a), "watch": _watch,
                "new": _new, "check": _check, "proof": _proof, "diff": _diff, "preflight": _preflight,
                "schema": _schema, "serve": _serve, "init": _init}
    try:
        return commands[args.command](args)
    except KeyboardInterrupt as exc:
        signum = getattr(exc, "signum", 2)
        print(f"highlight: {'interrupted' if signum == 2 else 'stopped by a signal'}; the previous PDF was left "
              "as it was", file=sys.stderr)
        return 128 + signum
    except BrokenPipeError:  # the reader of our output went away (`| head`): nothing more to say
        sys.stderr.close()
        return 0
    except Exception as exc:  # a bug of ours: say so plainly, keep the traceback for --debug
        if args.debug:
            import traceback  # (only here: with textwrap, 1 ms of every process)

            traceback.print_exc()
        else:
            print(f"highlight: internal error: {type(exc).__name__}: {shown(exc, 500)} (run with --debug for details)",
                  file=sys.stderr)
        return INTERNAL_ERROR


def _schema(args) -> int:
    from .editor_schemas import schema_documents, write_schemas
    from .paths import check_output, check_output_folder

    diags = Diagnostics()
    try:
        check_output_folder(args.out, diags, what="the schemas (--out)")
        for filename in schema_documents():
            check_output(os.path.join(args.out, filename), diags, magic=b"{", what="the schemas (--out)")
    except BuildFailed:
        _print(diags, False)
        return 2
    for path in write_schemas(args.out):
        _info(f"highlight: wrote {shown(path, PATH_LIMIT)}")
    return 0


def _print(diags: Diagnostics, as_json: bool, github: bool = False) -> None:
    if as_json:
        print(diags.to_json())
        return
    if github:  # a machine's: every diagnostic, in order
        for d in diags.items:
            if not (_OUTPUT.quiet and d.severity <= Severity.WARNING):
                print(d.github())
        return
    from .triage import shown as triaged

    for shown_item in triaged(diags, _OUTPUT.verbose):  # every error; of each kind of warning the first few
        if isinstance(shown_item, str):
            if not _OUTPUT.quiet:
                print(shown_item, file=sys.stderr)
        elif not (_OUTPUT.quiet and shown_item.severity <= Severity.WARNING):
            print(shown_item.format(), file=sys.stderr)


def _build(args) -> int:
    from .build import BuildOptions, build, find_project

    _detail(f"highlight: edition {shown(args.edition, PATH_LIMIT)}; layout/, fonts/fonts.yaml and .cache/ of the "
            f"project {shown(find_project(args.edition), PATH_LIMIT)}")

    result = build(BuildOptions(args.edition, args.output, marks=not args.no_marks,
                                allow_missing_glyphs=args.allow_missing_glyphs, lang=args.lang,
                                target=args.target, report=args.report, greedy=args.greedy, strict=args.strict,
                                final=args.final, to=args.to))
    diags = result.diagnostics
    args.json = args.json or args.format == "json"
    code = exit_code(diags, args.strict)
    if result.typography is not None and args.json:  # one document on stdout, for machines
        import dataclasses

        from . import typography

        print(json_text({"diagnostics": [d.as_dict() for d in diags.items],
                         "typography": typography.as_dict(result.typography),
                         "pictures": [dataclasses.asdict(row) for row in result.pictures]}))
    else:
        _print(diags, args.json, args.format == "github")
    if result.typography is not None and not args.json:
        from . import typography

        print(typography.table(result.typography))
        if result.pictures:
            from .images import report_table

            print(report_table(result.pictures))
    _info(_summary(result, code, result.seconds), file=sys.stderr if args.json else sys.stdout)
    return code


def _summary(result, code: int, seconds: float, verb: str = "") -> str:
    from .triage import summary

    return summary(result, seconds, verb)


def _watch(args) -> int:
    from .build import BuildOptions
    from .watch import watch

    options = BuildOptions(args.edition, args.output, marks=not args.no_marks, preflight=False, preview="watch")
    _info(f"highlight: watching {shown(args.edition, PATH_LIMIT)}, layout/ and fonts/fonts.yaml (Ctrl-C to stop)",
          flush=True)
    for count, rebuild in enumerate(watch(options), 1):
        if rebuild.changed:
            _info("changed: " + ", ".join(shown(os.path.relpath(p), PATH_LIMIT) for p in rebuild.changed), flush=True)
        _print(rebuild.result.diagnostics, False)
        code = exit_code(rebuild.result.diagnostics)
        verb = f"rebuilt in {rebuild.latency_s * 1000:.0f} ms: " if rebuild.changed else ""
        _info(_summary(rebuild.result, code, rebuild.result.seconds, verb), flush=True)
        if args.proof and rebuild.result.output and not rebuild.result.diagnostics.has_errors():
            from .proof import ProofOptions, render_proofs

            files = render_proofs(rebuild.result, ProofOptions(args.edition))
            _info(f"highlight: proofs refreshed ({len(files) - 1} pages and the sheet)", flush=True)
        if args.max_builds and count >= args.max_builds:
            break
    return 0


def _serve(args) -> int:
    from .serve import ServeOptions, serve

    if not 36 <= args.dpi <= 300 or not 0 <= args.port <= 65535:
        print("highlight: serve takes a port 0-65535 and a dpi of 36 to 300", file=sys.stderr)
        return 2
    if _no_edition(args.edition):
        return 2

    def built(result, latency_s: float, first: bool) -> None:
        _print(result.diagnostics, False)
        verb = "" if first else f"rebuilt in {latency_s * 1000:.0f} ms: "
        _info(_summary(result, exit_code(result.diagnostics), result.seconds, verb), flush=True)

    def ready(url: str) -> None:
        beyond = "" if args.host in ("127.0.0.1", "localhost", "::1") else \
            f" (listening on {args.host}: anyone who can reach it sees the proofs)"
        print(f"highlight: serving {shown(args.edition, PATH_LIMIT)} at {url}{beyond} (Ctrl-C to stop)", flush=True)

    try:
        return serve(ServeOptions(args.edition, args.host, args.port, args.editor, args.dpi), ready, built)
    except OSError as exc:  # the port is taken, or the address is not this machine's
        print(f"highlight: cannot listen on {shown(args.host)}:{args.port}: {shown(exc.strerror or exc)}",
              file=sys.stderr)
        return 2


def _check(args) -> int:

    from .check import check_source, read_source

    if not args.source:
        return _check_content(args)
    args.pdf = args.paths[-1]
    web = args.pdf.lower().endswith((".html", ".htm"))  # a web page of `build --to html`, read as a PDF is
    if _missing(args.pdf, "the web page" if web else "the PDF") or \
            _missing(args.source, "the copy deck", COPY_DECK_HINT) or (_unusable_web(args.pdf) if web else
                                                                      _unusable_pdf(args.pdf)):
        return 2
    diags = Diagnostics()
    try:  # the deck first, on its own: a deck that is not text is blamed, not the PDF
        source = read_source(args.source, diags)
    except BuildFailed:
        _print(diags, False)
        return 2
    try:
        report = check_source(args.source, args.pdf, args.strict, source)
    except Exception as exc:  # pypdf's many kinds of unreadable file
        _unreadable(args.pdf, exc)
        return 2
    if args.json:
        print(json_text(report.as_dict()))
    else:
        for page, number, text in report.missing:
            where = f"page {page}, " if page else ""
            print(f"{shown(args.source)}:{number}: missing from the {'web page' if web else 'PDF'} ({where}source line "
                  f"{number}): {shown(text)}")
        for page, text in report.extra:
            print(f"{shown(args.pdf)}: page {page}: not in the source: {shown(text)}")
    covered = report.source_lines - len(report.missing)
    mode = "strict" if args.strict else "whitespace-insensitive"
    _info(f"highlight: covered {covered}/{report.source_lines} source lines ({mode}), "
          f"{len(report.extra)} pieces of {'the web page' if web else 'PDF'} text not in the source",
          file=sys.stderr if args.json else sys.stdout)
    return 0 if report.ok else 1


def _check_content(args) -> int:
    from .build import default_output, find_project
    from .check import check_content
    from .content import load_edition
    from .parity import check_parity

    edition_dir = args.paths[0]
    diags = Diagnostics()
    try:
        pdf = args.paths[1] if len(args.paths) > 1 else None
        if pdf is None:
            load_edition(edition_dir, diags)  # an edition that cannot be read is the answer
            pdf = default_output(find_project(edition_dir), edition_dir)
        from .paths import input_problem
        from .preflight import pdf_problem

        # one message for one cause: a PDF that is not there, or one that cannot be read
        missing = input_problem(pdf, root=os.sep)
        if missing:
            diags.fatal("no-pdf", f"cannot check the edition against {pdf}: {missing}", SourceRef(pdf),
                        hint="build it first: highlight build " + _quoted(edition_dir))
            raise BuildFailed(diags)
        damaged = pdf_problem(pdf) if not pdf.lower().endswith((".html", ".htm")) else None  # (a web page: parsed)
        if damaged:
            diags.fatal("pdf-unreadable", f"will not read {pdf}: {damaged}", SourceRef(pdf),
                        hint="rebuild it: highlight build " + _quoted(edition_dir))
            raise BuildFailed(diags)
        check_content(edition_dir, pdf, diags)
        check_parity(load_edition(edition_dir, Diagnostics()), diags)
    except BuildFailed:
        pass
    args.json = args.json or args.format == "json"
    _print(diags, args.json, args.format == "github")
    errors = diags.count(Severity.ERROR) + diags.count(Severity.FATAL)
    from .triage import plural

    what = "web page" if pdf and pdf.lower().endswith((".html", ".htm")) else "PDF"
    _info(f"highlight: checked {shown(edition_dir, PATH_LIMIT)} against its {what}: {plural(errors, 'error')}, "
          f"{plural(diags.count(Severity.WARNING), 'warning')}", file=sys.stderr if args.json else sys.stdout)
    return exit_code(diags, args.strict)


def _proof(args) -> int:
    from .proof import OVERLAYS, ProofOptions, make_proofs, parse_pages, terminal_progress

    overlays = tuple(o for o in args.overlay.split(",") if o)
    unknown = [o for o in overlays if o not in OVERLAYS]
    if unknown or not 36 <= args.dpi <= 1200:
        print(f"highlight: overlays are {', '.join(OVERLAYS)}; dpi is 36 to 1200", file=sys.stderr)
        return 2
    try:
        pages = parse_pages(args.pages)
    except ValueError as exc:
        print(f"highlight: --pages: {shown(exc)}\n  hint: give page numbers and ranges such as 1,3-4",
              file=sys.stderr)
        return 2
    result, files = make_proofs(ProofOptions(args.edition, pages, args.dpi, overlays), terminal_progress)
    _print(result.diagnostics, False)
    for path in files:
        _info(f"highlight: wrote {shown(path, PATH_LIMIT)}")
    if files and result.diagnostics.has_errors():
        print("highlight: the build failed; the proof shows what was laid out, each problem outlined on its page "
              "and the errors listed on the sheet; no print PDF was written")
    return exit_code(result.diagnostics) if files else max(exit_code(result.diagnostics), 1)


def _preflight(args) -> int:

    from .preflight import PreflightRules, declared_target, preflight

    if _missing(args.pdf) or _unusable_pdf(args.pdf):
        return 2
    try:
        target, why = (args.target, "--target") if args.target else declared_target(args.pdf)
        report = preflight(args.pdf, PreflightRules(target=target, require_pdfx=target == "print"))
    except Exception as exc:  # pypdf's many kinds of unreadable file
        _unreadable(args.pdf, exc)
        return 2
    if args.json:
        print(json_text(report.as_dict()))
    else:
        for finding in report.findings:
            # failures, the document-wide checks, and every picture (colour space, resolution, ink) as a report
            if not finding.ok or finding.page is None or finding.check.startswith("image-"):
                print(finding.line())
    from .triage import plural

    summary = (f"highlight: preflight {shown(args.pdf, PATH_LIMIT)} as {target} ({why}): {report.pages} pages, "
               f"{plural(len(report.failures), 'failure')}, "
               f"{len(report.findings)} checks")
    _info(summary, file=sys.stderr if args.json else sys.stdout)
    return 1 if report.failures else 0


def _diff(args) -> int:

    from .visual_diff import diff_pdfs

    out = args.out or os.path.join("out", "diff")
    if _refused_folder(out, "page-*.png", b"\x89PNG", "the diff pictures (--out)", (args.old, args.new)) \
            or _missing(args.old) or _missing(args.new) or _unusable_pdf(args.old, args.new):
        return 2
    try:
        changes = diff_pdfs(args.old, args.new, out)
    except Exception as exc:  # pypdf's and pdfium's many kinds of unreadable file: blame the one that fails alone
        from .check import read_pages

        for path in (args.old, args.new):
            try:
                read_pages(path)
            except Exception as alone:
                _unreadable(path, alone)
                return 2
        _unreadable(f"{args.old}, {args.new}", exc)
        return 2
    if args.json:
        print(json_text([{"page": c.number, "removed": c.removed, "added": c.added, "picture": c.picture}
                         for c in changes]))
    else:
        for change in changes:
            picture = f" picture {shown(change.picture, PATH_LIMIT)}" if change.picture else ""
            print(f"page {change.number}:{picture}")
            for words in change.removed:
                print(f"  - {shown(words, 2000)}")
            for words in change.added:
                print(f"  + {shown(words, 2000)}")
    from .triage import plural

    _info(f"highlight: {plural(len(changes), 'page')} changed", file=sys.stderr if args.json else sys.stdout)
    return 1 if changes else 0


def _init(args) -> int:
    from .init_project import init_project

    diags = Diagnostics()
    try:
        done = init_project(args.folder, diags, args.source)
    except BuildFailed:
        _print(diags, False)
        return exit_code(diags)
    kept = f"; kept as they were: {len(done.kept)} (nothing is replaced)" if done.kept else ""
    _info(f"highlight: project {shown(done.project, PATH_LIMIT)}: wrote {len(done.written)} files (layout/, "
          f"fonts/fonts.yaml, profiles/profiles.yaml, schema/, {shown(done.edition, PATH_LIMIT)}){kept}")
    for rel in done.written:
        _detail(f"highlight: wrote {shown(rel, PATH_LIMIT)}")
    _info(f"next: cd {_quoted(args.folder)}, then `highlight build {_quoted(done.edition.replace(os.sep, '/'))}` "
          "(the fonts are fetched once on first use)")
    return 0


def _new(args) -> int:
    from .new_edition import start_edition
    from .paths import EDITION_NAME_HINT, name_problem

    diags = Diagnostics()
    _editions_as_paths(args)
    for name in (args.edition, args.source):
        why = name_problem(name)
        if why:
            diags.fatal("bad-edition-name", f"{name!r} cannot name an edition folder: {why}",
                        SourceRef(args.content), hint=EDITION_NAME_HINT)
            _print(diags, False)
            return 2
    origin = os.path.join(args.content, args.source)
    if os.path.isdir(origin):  # its files read where they are, so a problem names them, not the staged copy
        from .yamlsource import load_yaml

        for name in sorted(os.listdir(origin)):
            if name.endswith((".yaml", ".yml")):
                try:
                    load_yaml(os.path.join(origin, name), diags)
                except BuildFailed:
                    pass
        if diags.has_errors():
            _print(diags, False)
            return exit_code(diags)
    target = os.path.join(args.content, args.edition)
    if os.path.lexists(target) and not os.path.isdir(target) or os.path.islink(target):
        print(f"highlight: error[output-refused]: {shown(target, PATH_LIMIT)} exists and is not an edition folder\n"
              "  hint: choose another name", file=sys.stderr)
        return 2
    try:
        folder, marked = start_edition(args.content, args.source, args.edition, diags)
    except BuildFailed:
        _print(diags, False)
        return exit_code(diags)
    _info(f"highlight: started {shown(folder, PATH_LIMIT)} from {shown(args.source, PATH_LIMIT)}; {marked} elements "
          "and footnotes with figures or dates are marked `review: true`: the build warns about each until you "
          "check it and delete its `review: true` (each warning says where), and `build --final` refuses them.\n"
          f"next: set the title and date in {shown(os.path.join(folder, 'edition.yaml'), PATH_LIMIT)}, then "
          f"`highlight build {_quoted(folder)}`")
    return 0


def _editions_as_paths(args) -> None:
    """`new` takes editions by name (2023-24 --from 2022-23) or, as `build` does, by path (content/2023-24
    --from content/2022-23): a path names its folder, and its parent is the content folder. The new edition is
    put beside the one it starts from unless its own path says where."""
    if any(sep in args.source for sep in ("/", os.sep)):
        folder, args.source = os.path.split(os.path.normpath(args.source))
        if args.content == "content":  # the default: the edition's own parent wins
            args.content = folder or "."
    if any(sep in args.edition for sep in ("/", os.sep)):
        folder, name = os.path.split(os.path.normpath(args.edition))
        if os.path.normpath(folder or ".") == os.path.normpath(args.content):
            args.edition = name  # else name_problem refuses the separator, saying why


def _cache_beside(manifest: str, kind: str) -> str:
    """Where the set-up of a manifest at <project>/<folder>/<file>.yaml keeps its files: $HIGHLIGHT_CACHE/<kind>,
    else the project's own .cache/<kind> (an explicit set-up, as `make` runs it, is the project's; a build that
    finds none fetches into the user's cache instead: project.fonts_cache)."""
    from .project import CACHE_ENV

    if os.environ.get(CACHE_ENV):
        return os.path.join(os.path.abspath(os.environ[CACHE_ENV]), kind)
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(manifest))), ".cache", kind)


def _unusable_pdf(*paths: str) -> bool:
    """Say why a PDF cannot be read safely (truncated, encrypted, a stream bomb), before any reader inflates it."""
    from .preflight import pdf_problem

    return any(_refused("pdf-unreadable", path, pdf_problem(path),
                        "give a PDF that highlight built (rebuild it with `highlight build`)") for path in paths)


def _unusable_web(path: str) -> bool:
    """Say why a file named .html is not a web page `build --to html` wrote (before it is parsed)."""
    from .web import DOCTYPE, MAX_PAGE_BYTES

    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            head = f.read(len(DOCTYPE))
    except OSError as exc:
        why = f"it cannot be read ({exc.strerror})"
    else:
        why = ("it is not a web page highlight wrote (it does not start with <!DOCTYPE html>)" if head != DOCTYPE
               else f"it is larger than {MAX_PAGE_BYTES // 2**20} MB" if size > MAX_PAGE_BYTES else "")
    return _refused("html-unreadable", path, why, "give the index.html that `highlight build EDITION --to html` wrote")


def _refused(code: str, path: str, why: str | None, hint: str) -> bool:
    """Print the one located error that refuses to read `path` when there is a reason (`why`); say whether."""
    if not why:
        return False
    diags = Diagnostics()
    diags.fatal(code, f"will not read {path}: {why}", SourceRef(path), hint=hint)
    _print(diags, False)
    return True


PDF_HINT = "give the path of a PDF file (one that `highlight build` wrote)"
COPY_DECK_HINT = "give the copy deck as a plain-text file (UTF-8), one line per printed line"


def _missing(path: str, what: str = "the PDF", hint: str = PDF_HINT) -> bool:
    """Say that an input file named on the command line is not there or not a regular file, blaming that file
    and saying which input it is (exit 2 follows); never opens it."""
    from .paths import input_problem

    why = input_problem(path, root=os.sep)  # named on the command line: any folder, but a regular file
    if why:
        diags = Diagnostics()
        diags.fatal("input-refused", f"will not read {what} {path}: {why}", SourceRef(path), hint=hint)
        _print(diags, False)
        return True
    return False


def _unreadable(pdf: str, exc: Exception) -> None:
    """A PDF that passed `pdf_problem` and still defeated the reader: blamed, located at the file."""
    diags = Diagnostics()
    diags.fatal("pdf-unreadable", f"cannot read the PDF {pdf} ({type(exc).__name__}: {exc})", SourceRef(pdf),
                hint=PDF_HINT)
    _print(diags, False)


def _no_edition(folder: str) -> bool:
    """Say that `folder` (named on the command line) is not an edition folder, blaming it; never reads it."""
    if os.path.isfile(os.path.join(folder, "edition.yaml")):
        return False
    diags = Diagnostics()
    diags.fatal("no-edition", f"{folder} is not an edition folder (it has no edition.yaml)", SourceRef(folder),
                hint="pass a folder such as content/2022-23")
    _print(diags, False)
    return True


def _quoted(path: str) -> str:
    """A path as a shell command takes it (a folder named with spaces or Chinese, e.g. `年報 2023 edition`): POSIX
    shells' quoting, or on Windows the double quotes cmd and PowerShell both read ('…' is no quote to cmd)."""
    if os.name == "nt":
        return shown(f'"{path}"' if any(c in path for c in ' &()[]{}^=;!\'+,`~') else path, PATH_LIMIT)
    import shlex

    return shown(shlex.quote(path), PATH_LIMIT)


def _refused_folder(folder: str, pattern: str, magic: bytes, what: str, inputs: tuple = ()) -> bool:
    """Print why `folder` (or one of its files matching `pattern` we would replace) must not be written."""
    import glob

    from .paths import check_output, check_output_folder

    diags = Diagnostics()
    try:
        check_output_folder(folder, diags, inputs, what)
        for path in glob.glob(os.path.join(glob.escape(folder), pattern)):
            check_output(path, diags, inputs, magic, what)
    except BuildFailed:
        _print(diags, False)
        return True
    return False


def _set_up_step(manifest_path: str, kind: str, load, run, done) -> int:
    """Load a set-up manifest, run its step and print `done(manifest, cache, result)` with how long it took;
    each step is announced as it starts (a first set-up downloads and builds for a minute or more)."""
    import time

    start = time.monotonic()
    diags = Diagnostics()

    def progress(step: str) -> None:
        _info(f"highlight: {kind}: {shown(step, 500)} …", flush=True)

    try:
        manifest = load(manifest_path, diags)
        cache = _cache_beside(manifest_path, kind)
        against = "the profile highlight ships" if kind == "profiles" else shown(cache, PATH_LIMIT)
        _info(f"highlight: {kind}: checking {shown(manifest_path, PATH_LIMIT)} against {against}", flush=True)
        result = run(manifest, diags, cache, progress)
    except BuildFailed:
        _print(diags, False)
        return exit_code(diags) or 2
    if isinstance(result, list):
        for path in result:
            _detail(f"highlight: {kind}: wrote {shown(path, PATH_LIMIT)}")
    _info(f"{shown(done(manifest, cache, result), 1000)} ({time.monotonic() - start:.1f} s)", flush=True)
    return 0


def _profiles(args) -> int:
    from .profiles import load_manifest, load_profile, shipped_path

    return _set_up_step(args.profiles, "profiles", load_manifest, lambda manifest, diags, cache, progress:
                        load_profile(manifest, diags), lambda manifest, cache, profile:
                        f"highlight: output profile verified (sha256 {manifest.profile.sha256[:12]}…, shipped with "
                        f"highlight, nothing to build): {shipped_path(manifest)}")


def _fonts(args) -> int:
    from .fonts import fetch_fonts, load_manifest

    return _set_up_step(args.manifest, "fonts", load_manifest, fetch_fonts, lambda manifest, cache, fetched:
                        f"highlight: fonts ready ({len(fetched)} files fetched, {len(manifest.faces)} faces "
                        f"verified) in {cache}")
