"""Command line: argument parsing, printing diagnostics, exit codes. The work is in library calls."""
from __future__ import annotations

import argparse
import os
import sys
import traceback

from .diagnostics import BuildFailed, Diagnostics, Severity, exit_code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="highlight", description="Typeset the bilingual Annual Highlights leaflet.")
    parser.add_argument("--debug", action="store_true", help="show a traceback when something unexpected fails")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build an edition's PDF")
    build.add_argument("edition", help="the edition folder, e.g. content/2022-23")
    build.add_argument("-o", "--output", help="output PDF (default out/highlights-<edition>.pdf)")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")
    build.add_argument("--final", action="store_true",
                       help="a press build: placeholders (a missing picture) are errors")
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
    build.add_argument("--allow-missing-glyphs", action="store_true",
                       help="a character no font has is a warning and printed as a box (for proofs)")
    watch = sub.add_parser("watch", help="rebuild whenever a content, layout or font file changes")
    watch.add_argument("edition", help="the edition folder, e.g. content/2022-23")
    watch.add_argument("-o", "--output", help="output PDF (default out/highlights-<edition>.pdf)")
    watch.add_argument("--no-marks", action="store_true", help="leave out crop marks")
    watch.add_argument("--proof", action="store_true", help="refresh the page proofs after each good build")
    watch.add_argument("--max-builds", type=int, default=0, help=argparse.SUPPRESS)  # for tests and benchmarks
    new = sub.add_parser("new", help="start next year's edition from this year's")
    new.add_argument("edition", help="the new edition's name, e.g. 2023-24")
    new.add_argument("--from", dest="source", required=True, help="the edition to start from, e.g. 2022-23")
    new.add_argument("--content", default="content", help="the folder holding the editions (default content)")
    check = sub.add_parser("check", help="read a PDF back and compare it with its content, or with a copy deck")
    check.add_argument("paths", nargs="+", metavar="EDITION [PDF] | PDF",
                       help="content/2022-23 [out/highlights-2022-23.pdf], or with --source just the PDF")
    check.add_argument("--source", help="a plain-text source (copy deck), one line per printed line")
    check.add_argument("--strict", action="store_true",
                       help="with --source: collapse whitespace instead of removing it; else: warnings fail")
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="github: GitHub Actions annotations, so CI marks the YAML line")
    proof = sub.add_parser("proof", help="page proofs as PNG, with layout overlays, and a contact sheet")
    proof.add_argument("edition", help="the edition folder, e.g. content/2022-23")
    proof.add_argument("--pages", default="", help="pages to render, e.g. 1,3-4 (default: all)")
    proof.add_argument("--dpi", type=int, default=150)
    proof.add_argument("--overlay", default="", help="any of grid,frames,baselines,safe (overflows and QR "
                       "placeholders are always marked)")
    pre = sub.add_parser("preflight", help="check a PDF as a print shop's preflight would")
    pre.add_argument("pdf")
    pre.add_argument("--target", choices=("print", "screen"), default="print")
    pre.add_argument("--json", action="store_true", help="print the report as JSON")
    diff = sub.add_parser("diff", help="what changed between two builds: words, figures, and a picture per page")
    diff.add_argument("old", help="the earlier PDF")
    diff.add_argument("new", help="the later PDF")
    diff.add_argument("--out", help="folder for the pictures (default: out/diff)")
    diff.add_argument("--json", action="store_true", help="print the changes as JSON")
    schema = sub.add_parser("schema", help="write the JSON Schemas of content and layout files for editors")
    schema.add_argument("--out", default="schema", help="folder to write into (default schema/)")
    fonts = sub.add_parser("fonts", help="download and verify the fonts named in fonts/fonts.yaml")
    fonts.add_argument("--manifest", default=os.path.join("fonts", "fonts.yaml"))
    setup = sub.add_parser("setup", help="set up fonts and the print output profile (run by make)")
    setup.add_argument("--manifest", default=os.path.join("fonts", "fonts.yaml"))
    setup.add_argument("--profiles", default=os.path.join("profiles", "profiles.yaml"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    commands = {"build": _build, "fonts": _fonts, "setup": lambda a: _fonts(a) or _profiles(a), "watch": _watch,
                "new": _new, "check": _check, "proof": _proof, "diff": _diff, "preflight": _preflight,
                "schema": _schema}
    try:
        return commands[args.command](args)
    except KeyboardInterrupt:
        print("highlight: interrupted; the previous PDF was left as it was", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of our output went away (`| head`): nothing more to say
        sys.stderr.close()
        return 0
    except Exception as exc:  # a bug of ours: say so plainly, keep the traceback for --debug
        if args.debug:
            traceback.print_exc()
        else:
            print(f"highlight: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
                  file=sys.stderr)
        return 2


def _schema(args) -> int:
    from .jsonschema import write_schemas

    for path in write_schemas(args.out):
        print(f"highlight: wrote {path}")
    return 0


def _print(diags: Diagnostics, as_json: bool, github: bool = False) -> None:
    if as_json:
        print(diags.to_json())
        return
    for d in diags.items:
        print(d.github() if github else d.format(), file=sys.stdout if github else sys.stderr)


def _build(args) -> int:
    from .build import BuildOptions, build

    result = build(BuildOptions(args.edition, args.output, marks=not args.no_marks,
                                allow_missing_glyphs=args.allow_missing_glyphs, lang=args.lang,
                                target=args.target, report=args.report, greedy=args.greedy, strict=args.strict,
                                final=args.final))
    diags = result.diagnostics
    args.json = args.json or args.format == "json"
    code = exit_code(diags, args.strict)
    if result.typography is not None and args.json:  # one document on stdout, for machines
        import dataclasses
        import json

        from . import typography

        print(json.dumps({"diagnostics": [d.as_dict() for d in diags.items],
                          "typography": typography.as_dict(result.typography),
                          "pictures": [dataclasses.asdict(row) for row in result.pictures]},
                         ensure_ascii=False, indent=2))
    else:
        _print(diags, args.json, args.format == "github")
    if result.typography is not None and not args.json:
        from . import typography

        print(typography.table(result.typography))
        if result.pictures:
            from .images import report_table

            print(report_table(result.pictures))
    print(_summary(result, code, result.seconds), file=sys.stderr if args.json else sys.stdout)
    return code


def _summary(result, code: int, seconds: float, verb: str = "") -> str:
    diags = result.diagnostics
    warnings = diags.count(Severity.WARNING)
    errors = diags.count(Severity.ERROR) + diags.count(Severity.FATAL)
    where = result.output if result.output and not diags.has_errors() else "nothing written"
    if verb and where == "nothing written":
        where += ", the last good PDF is kept"
    elif where != "nothing written":
        if result.preview:
            where += f" (preview, {result.preview}: not for print)"
    return (f"highlight: {verb}{len(result.pages)} pages, {result.fonts} fonts, {errors} errors, {warnings} warnings, "
            f"{seconds:.2f} s → {where}")


def _watch(args) -> int:
    from .build import BuildOptions
    from .watch import watch

    options = BuildOptions(args.edition, args.output, marks=not args.no_marks, preflight=False, preview="watch")
    print(f"highlight: watching {args.edition}, layout/ and fonts/fonts.yaml (Ctrl-C to stop)", flush=True)
    for count, rebuild in enumerate(watch(options), 1):
        if rebuild.changed:
            print("changed: " + ", ".join(os.path.relpath(p) for p in rebuild.changed), flush=True)
        _print(rebuild.result.diagnostics, False)
        code = exit_code(rebuild.result.diagnostics)
        verb = f"rebuilt in {rebuild.latency_s * 1000:.0f} ms: " if rebuild.changed else ""
        print(_summary(rebuild.result, code, rebuild.result.seconds, verb), flush=True)
        if args.proof and rebuild.result.output and not rebuild.result.diagnostics.has_errors():
            from .proof import ProofOptions, render_proofs

            files = render_proofs(rebuild.result, ProofOptions(args.edition))
            print(f"highlight: proofs refreshed ({len(files) - 1} pages and the sheet)", flush=True)
        if args.max_builds and count >= args.max_builds:
            break
    return 0


def _check(args) -> int:
    import json

    from .check import check_source

    if not args.source:
        return _check_content(args)
    args.pdf = args.paths[-1]
    if _missing(args.pdf, args.source):
        return 2
    try:
        report = check_source(args.source, args.pdf, args.strict)
    except Exception as exc:  # pypdf's many kinds of unreadable file
        print(f"highlight: {args.pdf}: cannot read it as a PDF ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for page, number, text in report.missing:
            where = f"page {page}, " if page else ""
            print(f"{args.source}:{number}: missing from the PDF ({where}source line {number}): {text}")
        for page, text in report.extra:
            print(f"{args.pdf}: page {page}: not in the source: {text}")
    covered = report.source_lines - len(report.missing)
    mode = "strict" if args.strict else "whitespace-insensitive"
    print(f"highlight: covered {covered}/{report.source_lines} source lines ({mode}), "
          f"{len(report.extra)} pieces of PDF text not in the source", file=sys.stderr if args.json else sys.stdout)
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
            load_edition(edition_dir, Diagnostics())  # an edition folder, or a located error
            pdf = default_output(find_project(edition_dir), edition_dir)
        if not os.path.isfile(pdf):
            diags.fatal("no-pdf", f"{pdf}: no such file", hint="build it first: highlight build " + edition_dir)
            raise BuildFailed(diags)
        check_content(edition_dir, pdf, diags)
        check_parity(load_edition(edition_dir, Diagnostics()), diags)
    except BuildFailed:
        pass
    args.json = args.json or args.format == "json"
    _print(diags, args.json, args.format == "github")
    errors = diags.count(Severity.ERROR) + diags.count(Severity.FATAL)
    print(f"highlight: checked {edition_dir} against its PDF: {errors} errors, {diags.count(Severity.WARNING)} "
          "warnings", file=sys.stderr if args.json else sys.stdout)
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
    except ValueError:
        print(f"highlight: --pages takes numbers and ranges such as 1,3-4, not {args.pages!r}", file=sys.stderr)
        return 2
    result, files = make_proofs(ProofOptions(args.edition, pages, args.dpi, overlays), terminal_progress)
    _print(result.diagnostics, False)
    for path in files:
        print(f"highlight: wrote {path}")
    if files and result.diagnostics.has_errors():
        print("highlight: the build failed; the proof shows what was laid out, each problem outlined on its page "
              "and the errors listed on the sheet; no print PDF was written")
    return exit_code(result.diagnostics) if files else max(exit_code(result.diagnostics), 1)


def _preflight(args) -> int:
    import json

    from .preflight import PreflightRules, preflight

    if _missing(args.pdf):
        return 2
    try:
        report = preflight(args.pdf, PreflightRules(target=args.target, require_pdfx=args.target == "print"))
    except Exception as exc:  # pypdf's many kinds of unreadable file
        print(f"highlight: {args.pdf}: cannot read it as a PDF ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for finding in report.findings:
            if not finding.ok or finding.page is None:
                print(finding.line())
    summary = (f"highlight: preflight {args.pdf}: {report.pages} pages, {len(report.failures)} failures, "
               f"{len(report.findings)} checks")
    print(summary, file=sys.stderr if args.json else sys.stdout)
    return 1 if report.failures else 0


def _diff(args) -> int:
    import json

    from .check import diff_pdfs

    if _missing(args.old, args.new):
        return 2
    out = args.out or os.path.join("out", "diff")
    try:
        changes = diff_pdfs(args.old, args.new, out)
    except Exception as exc:  # pypdf's and pdfium's many kinds of unreadable file
        print(f"highlight: cannot read both PDFs ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([{"page": c.number, "removed": c.removed, "added": c.added, "picture": c.picture}
                          for c in changes], ensure_ascii=False, indent=2))
    else:
        for change in changes:
            print(f"page {change.number}:" + (f" picture {change.picture}" if change.picture else ""))
            for words in change.removed:
                print(f"  - {words}")
            for words in change.added:
                print(f"  + {words}")
    print(f"highlight: {len(changes)} page(s) changed", file=sys.stderr if args.json else sys.stdout)
    return 1 if changes else 0


def _new(args) -> int:
    from .new_edition import start_edition

    diags = Diagnostics()
    try:
        folder, marked = start_edition(args.content, args.source, args.edition, diags)
    except BuildFailed:
        _print(diags, False)
        return exit_code(diags)
    print(f"highlight: started {folder} from {args.source}; {marked} elements and footnotes with figures or dates "
          f"are marked `review: true`: the build warns about each until you check it and delete the line.\n"
          f"next: set the title and date in {os.path.join(folder, 'edition.yaml')}, then "
          f"`highlight build {folder}`")
    return 0


def _cache_beside(manifest: str, kind: str) -> str:
    """The project's .cache/<kind>, for a manifest at <project>/<folder>/<file>.yaml."""
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(manifest))), ".cache", kind)


def _missing(*paths: str) -> bool:
    """Say which input file is not there (exit 2 follows)."""
    for path in paths:
        if not os.path.isfile(path):
            print(f"highlight: {path}: no such file", file=sys.stderr)
            return True
    return False


def _set_up_step(manifest_path: str, kind: str, load, run, done) -> int:
    """Load a set-up manifest, run its step and print `done(manifest, cache, result)`; the exit code."""
    diags = Diagnostics()
    try:
        manifest = load(manifest_path, diags)
        cache = _cache_beside(manifest_path, kind)
        result = run(manifest, diags, cache)
    except BuildFailed:
        _print(diags, False)
        return exit_code(diags) or 2
    print(done(manifest, cache, result))
    return 0


def _profiles(args) -> int:
    from .profiles import load_manifest, profile_path, set_up_profile

    return _set_up_step(args.profiles, "profiles", load_manifest, set_up_profile, lambda manifest, cache, built:
                        f"highlight: output profile {'built and ' if built else ''}verified: "
                        f"{profile_path(manifest, cache)}")


def _fonts(args) -> int:
    from .fonts import fetch_fonts, load_manifest

    return _set_up_step(args.manifest, "fonts", load_manifest, fetch_fonts, lambda manifest, cache, fetched:
                        f"highlight: fonts ready ({len(fetched)} files fetched, {len(manifest.faces)} faces "
                        f"verified) in {cache}")
