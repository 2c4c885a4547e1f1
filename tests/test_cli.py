"""The command line: summary line, exit codes, default output path."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, copy_project, watching


def run(*args: str, cwd: str = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "highlight", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_build_prints_diagnostics_then_one_summary_line(tmp_path):
    out = tmp_path / "leaflet.pdf"
    done = run("build", "content/2022-23", "-o", str(out))
    assert done.returncode == 0, done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    # Six QR placeholders and page 7's two pictures still to come (the Δ of page 1's list item is now on its Chinese
    # too: issue 22). One fitted page: page 5's tiles at 21 pt ('800' and its change want more than their cell);
    # page 1 keeps its figures' 26 pt since its list's columns are balanced by height (2f4403e).
    assert summary.startswith("highlight: 8 pages, 4 fonts, 0 errors, 8 warnings (6 qr-placeholder, 2 image-placeholder), 1 fitted,")
    assert summary.endswith(str(out))
    # The first three of a kind, then a count (triage.SHOWN_PER_KIND; -v lists all six).
    assert done.stderr.count("warning[qr-placeholder]") == 3 and "… and 3 more qr-placeholder warnings" in done.stderr
    assert out.read_bytes().startswith(b"%PDF-1.6")


def test_strict_turns_warnings_into_exit_1(tmp_path):
    done = run("build", "content/2022-23", "-o", str(tmp_path / "x.pdf"), "--strict")
    assert done.returncode == 1


def test_a_folder_without_an_edition_exits_2(tmp_path):
    done = run("build", str(tmp_path))
    assert done.returncode == 2
    assert "has no edition.yaml" in done.stderr
    assert "Traceback" not in done.stderr


def test_json_diagnostics_are_machine_readable(tmp_path):
    import json

    done = run("build", "content/2022-23", "-o", str(tmp_path / "x.pdf"), "--json")
    items = json.loads(done.stdout)
    assert {d["code"] for d in items} == {"qr-placeholder", "image-placeholder"}  # (page 7: pictures to come)
    assert all(d["file"].startswith("content/2022-23/") and d["line"] > 0 and d["yaml_path"] for d in items)


def test_default_output_is_out_highlights_edition(tmp_path):
    copy_project(tmp_path)  # a copy keeps the real out/ untouched
    done = run("build", "content/2022-23", cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "highlights-2022-23.pdf").is_file()


def test_watch_rebuilds_after_an_edit_and_keeps_the_last_good_pdf(tmp_path):
    """Edit a page: the PDF is rebuilt. Break the page: nothing is written, the last good PDF stays."""
    import time

    copy_project(tmp_path)
    page = tmp_path / "content" / "2022-23" / "p7-growth-continued.yaml"
    out = tmp_path / "out" / "highlights-2022-23-preview.pdf"  # a preview: never the print PDF
    with watching(tmp_path, 3) as wait_for:
        wait_for("→")
        first = out.read_bytes()
        time.sleep(0.05)
        page.write_text(page.read_text(encoding="utf-8").replace("officially opened", "officially launched"),
                        encoding="utf-8")
        summary = wait_for("rebuilt in")
        assert "0 errors" in summary and summary.rstrip().endswith("highlights-2022-23-preview.pdf (preview, no preflight: not for print)")
        second = out.read_bytes()
        assert second != first
        # Between rebuilds (not inside one) the watcher stores the paragraph it set for the next process.
        from highlight import linestore

        store = linestore.store_path(str(tmp_path), str(tmp_path / "content" / "2022-23"), False)
        deadline = time.monotonic() + 5
        while not any("launched" in line.text for lines in linestore.load(store).values() for line in lines):
            assert time.monotonic() < deadline, "the edited paragraph never reached the line store"
            time.sleep(0.05)
        page.write_text("page: [broken", encoding="utf-8")
        summary = wait_for("rebuilt in")
        assert "nothing written, the last good PDF is kept" in summary
        assert out.read_bytes() == second


def test_github_annotations_point_at_the_yaml_line(tmp_path):
    done = run("build", "tests/cases/bad/breakdown-sum", "-o", str(tmp_path / "x.pdf"), "--format", "github")
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        "::error file=tests/cases/bad/breakdown-sum/p1.yaml,line=8,col=18,title=breakdown-sum::the rows add up "
        "to 230 but the declared total is 315 (off by -85) (hint: correct a row's count or the total)")


def test_version():
    from highlight import __version__

    done = run("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"highlight {__version__}"


def test_a_mistyped_command_or_option_gets_did_you_mean():
    done = run("biuld", "content/2022-23")
    assert done.returncode == 2 and "did you mean 'build'?" in done.stderr, done.stderr
    done = run("build", "content/2022-23", "--strcit")
    assert done.returncode == 2 and "'--strcit': did you mean '--strict'?" in done.stderr, done.stderr
    done = run("proof", "content/2022-23", "--overlya", "grid")  # the command's own options, not build's
    assert done.returncode == 2 and "did you mean '--overlay'?" in done.stderr, done.stderr


def test_quiet_prints_only_errors_and_verbose_says_more(tmp_path):
    out = str(tmp_path / "x.pdf")
    for where in (["-q", "build", "content/2022-23", "-o", out], ["build", "content/2022-23", "-o", out, "-q"]):
        done = run(*where)
        assert done.returncode == 0 and done.stdout == "" and done.stderr == "", (where, done)
    loud = run("build", "content/2022-23", "-o", out, "-v")
    normal = run("build", "content/2022-23", "-o", out)
    assert loud.stdout.startswith("highlight: edition content/2022-23;") and "edition" not in normal.stdout
    bad = run("-q", "build", str(tmp_path))  # an error is still said under -q
    assert bad.returncode == 2 and "has no edition.yaml" in bad.stderr


def test_help_lists_the_exit_codes():
    done = run("--help")
    assert "3 an internal error" in " ".join(done.stdout.split())


def test_diff_documents_its_exit_codes_as_they_are(tmp_path, built):
    """`diff` exits 1 when something changed, as diff(1) does; its --help says so (it said 1 meant errors)."""
    import shutil

    from conftest import run_cli

    helped = run("diff", "--help").stdout.replace("\n", " ")
    assert "1 something changed" in " ".join(helped.split()) and "content has errors" not in helped
    same = tmp_path / "same.pdf"
    shutil.copyfile(built[1], same)
    code, printed = run_cli(["diff", built[1], str(same), "--out", str(tmp_path / "d")])
    assert code == 0, printed


def test_preflight_takes_the_target_from_the_file(tmp_path):
    """A screen PDF is checked as screen without --target (it passed as print only with 19 FAILs before);
    a print PDF as print; --target still decides when given."""
    screen = tmp_path / "s.pdf"
    assert run("build", "content/2022-23", "--target", "screen", "-o", str(screen)).returncode == 0
    done = run("preflight", str(screen))
    assert done.returncode == 0 and " as screen (" in done.stdout and " 0 failures" in done.stdout, done.stdout
    forced = run("preflight", str(screen), "--target", "print")
    assert forced.returncode == 1 and " as print (--target)" in forced.stdout


def test_the_command_line_is_parsed_alike_with_only_its_commands_arguments_made():
    """main() makes only the run command's arguments (cli._parser(only): the other commands listed, for the usage
    and the help); every command's line parses to the same values as with the whole parser, and COMMANDS names
    the parser's commands in its order. Fails on d1b45c6 (no COMMANDS; _parser takes no command)."""
    import argparse

    from highlight import cli

    whole = cli._parser()
    commands = next(a for a in whole._actions if isinstance(a, argparse._SubParsersAction))
    assert tuple(commands.choices) == cli.COMMANDS
    lines = [["build", "content/2022-23", "-o", "x.pdf", "--strict", "--lang", "en", "--to", "json", "-q"],
             ["-v", "watch", "content/2022-23", "--proof", "--max-builds", "3"],
             ["serve", "content/2022-23", "--port", "0", "--dpi", "90"], ["init", "p", "--from", "content/x"],
             ["new", "2023-24", "--from", "2022-23"], ["check", "a.pdf", "--source", "s.txt", "--json"],
             ["proof", "content/2022-23", "--pages", "1,3-4"], ["preflight", "a.pdf", "--target", "screen"],
             ["diff", "a.pdf", "b.pdf", "--out", "d"], ["schema"], ["fonts"], ["--debug", "setup"]]
    for line in lines:
        assert cli._command_named(line) == next(w for w in line if not w.startswith("-"))
        assert vars(cli._parser(cli._command_named(line)).parse_args(line)) == vars(whole.parse_args(line)), line
    assert cli._command_named(["biuld", "x"]) is None and cli._command_named(["--help"]) is None
