"""Hostile input, round 3 (issue 27): messages that cannot be forged, the right file blamed, the names an
office uses, a hint on every error code and one error per cause.

Every piece of user text in a message goes through `diagnostics.shown`: a property test feeds it every
control, separator and bidi character, and the three formats (terminal, JSON, GitHub) of a Diagnostic
built from such text; then each command-line input (the PDF, the copy deck, the edition folder, -o,
--pages) is given a value that tries to forge a summary line or is the wrong kind of file, and the
message must blame that input, on its own line, with a hint.
"""
from __future__ import annotations

import ast
import json
import os
import re
import unicodedata

import pytest
from conftest import PAGE, ROOT, make_edition, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from highlight.diagnostics import LINE_BREAKS, Diagnostic, Severity, SourceRef, shown

FORGED = "highlight: 8 pages, 4 fonts, 0 errors, 0 warnings, 0.01 s → out/highlights-2022-23.pdf"
# Every character a terminal or a log viewer could take for control: C0, DEL, C1, the line and paragraph
# separators, the bidi embeddings, overrides, isolates and marks, the other format characters.
CONTROLS = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]]
BIDI = list("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
FORMAT = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) in ("Cf", "Zl", "Zp")]
HOSTILE = CONTROLS + BIDI + FORMAT + ["\ud800", "\udfff"]
TEXT = st.lists(st.sampled_from(HOSTILE) | st.characters() | st.sampled_from(["\n" + FORGED, "\x1b[2K\r"]),
                max_size=60).map("".join)


def _one_line(text: str) -> bool:
    """Nothing in `text` a terminal, a log viewer or Python's splitlines would break a line at or obey."""
    return len(text.splitlines()) <= 1 and not any(c in LINE_BREAKS or not c.isprintable() for c in text)


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_shown_user_text_is_one_printable_line_capped(text):
    out = shown(text)
    assert _one_line(out), repr(out)
    assert len(out) <= 200
    assert "\x1b" not in out and "\r" not in out
    out.encode("utf-8")  # no lone surrogate left to fail the terminal's encoder (it would raise)


def test_every_control_separator_and_bidi_character_is_escaped():
    for char in HOSTILE:
        out = shown(f"a{char}b")
        assert _one_line(out) and out.startswith("a") and out.endswith("b") and len(out) > 3, repr(char)


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT, TEXT, TEXT)
def test_every_format_of_a_diagnostic_keeps_user_text_on_its_line(message, file, yaml_path, hint):
    d = Diagnostic(Severity.ERROR, "unknown-key", message, SourceRef(file, 3, 4, yaml_path), hint or "x", 2)
    lines = d.format().split("\n")
    assert len(lines) == 2 and lines[1].startswith("  hint: ") and all(_one_line(line) for line in lines)
    assert re.match(r".*: error\[unknown-key\]: page 2: ", lines[0])
    github = d.github()
    assert _one_line(github) and github.startswith("::error file=")
    assert re.fullmatch(r"::error file=[^,:]*,line=3,col=4,title=unknown-key::.*", github), github
    for value in d.as_dict().values():
        assert not isinstance(value, str) or _one_line(value)


# -- the commands: one line per message, and the right file blamed ---------------------------------------

@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the project with a one-page edition content/case, the current folder."""
    make_edition(tmp_path, PAGE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _not_forged(printed: str) -> None:
    assert not re.search(r"^highlight: 8 pages", printed, re.MULTILINE), printed
    assert "\x1b" not in printed and "Traceback" not in printed and "internal error" not in printed, printed


@pytest.mark.parametrize("form", ["text", "json", "github"])
def test_a_key_with_a_newline_and_an_escape_cannot_forge_a_summary(project, form):
    page = project / "content" / "case" / "p1.yaml"
    page.write_text(PAGE + json.dumps("x\n" + FORGED + "\x1b[8m", ensure_ascii=True) + ": 1\n", encoding="utf-8")
    code, printed = run_cli(["build", "content/case", "--format", form])
    assert code == 1
    _not_forged(printed)
    if form == "json":
        found = json.loads(printed[:printed.rindex("]") + 1])
        assert all(_one_line(d["message"]) and _one_line(d["yaml_path"]) for d in found), found
    else:
        assert re.search(r"^(content/case/p1\.yaml:8:1 .*error\[unknown-key\]|::error file=content/case/p1\.yaml,"
                         r"line=8,col=1,title=unknown-key::).*\\n" + re.escape(FORGED[:20]), printed, re.MULTILINE)


@pytest.fixture
def pdf(project):
    code, printed = run_cli(["build", "content/case", "-o", "out/case.pdf"])
    assert code == 0, printed
    return "out/case.pdf"


def test_a_binary_copy_deck_is_blamed_not_the_pdf(project, pdf):
    (project / "deck.txt").write_bytes(b"Sports science\n" + bytes(range(256)) * 4)
    code, printed = run_cli(["check", pdf, "--source", "deck.txt"])
    assert code == 2
    assert re.match(r"deck\.txt:2:1: error\[source-unreadable\]: the copy deck cannot be read as text: .*NUL", printed)
    assert "hint: export the copy deck as plain text" in printed
    assert "PDF" not in printed.split("hint:")[0] and pdf not in printed, printed


def test_a_copy_deck_saved_as_unicode_text_by_word_is_read(project, pdf):
    deck = "Research Power\r\n研究實力\r\nSports science\r\n運動科學\r\n"
    (project / "deck.txt").write_bytes(deck.encode("utf-16"))  # with its BOM, as Word saves "Unicode" text
    code, printed = run_cli(["check", pdf, "--source", "deck.txt"])
    assert code == 0 and "covered 4/4 source lines" in printed, printed


def test_json_output_escapes_what_a_terminal_would_obey_and_keeps_the_text(project, pdf):
    line = "Sports \u202escience\x85 \u2066運動\u2069"
    (project / "deck.txt").write_text(line + "\n", encoding="utf-8")
    code, printed = run_cli(["check", pdf, "--source", "deck.txt", "--json"])
    assert code == 1
    document = printed[:printed.rindex("}") + 1]
    assert all(c.isprintable() or c == "\n" for c in document), repr(document)
    assert "運動" in document  # Chinese stays readable
    assert json.loads(document)["missing"][0]["text"] == line.strip()  # the data is kept, only its spelling escaped


def test_a_copy_deck_in_another_encoding_is_blamed_at_its_line(project, pdf):
    (project / "deck.txt").write_bytes("Sports science\n運動科學\n".encode("big5"))
    code, printed = run_cli(["check", pdf, "--source", "deck.txt"])
    assert code == 2 and re.match(r"deck\.txt:2:1: error\[source-unreadable\]: .*byte 0x\w\w is not UTF-8", printed)


DECK = "deck.txt"


@pytest.mark.parametrize("argv, blamed", [
    # the PDF: a name that tries to forge a summary, and a PDF that is not there
    (["check", "out/x\n" + FORGED + ".pdf", "--source", DECK], r"out/x\\nhighlight: 8 pages.*: error\[input-refused\]: "
                                                                r"will not read the PDF"),
    (["preflight", "out/none.pdf"], r"out/none\.pdf: error\[input-refused\]: will not read the PDF out/none\.pdf: no such"),
    # the copy deck: not there (the hint is about a copy deck, not a PDF)
    (["check", "out/case.pdf", "--source", "none.txt"], r"none\.txt: error\[input-refused\]: will not read the copy "
                                                        r"deck none\.txt: no such file\n  hint: give the copy deck"),
    # the edition folder
    (["build", "content/y\n" + FORGED], r"content/y\\nhighlight: 8 pages.*: error\[no-edition\]"),
    (["check", "content/y\n" + FORGED], r"content/y\\nhighlight: 8 pages.*: error\[no-edition\]"),
    (["proof", "content/y\n" + FORGED], r"content/y\\nhighlight: 8 pages.*: error\[no-edition\]"),
    (["serve", "content/none", "--port", "0"], r"content/none: error\[no-edition\]: content/none is not an edition folder"),
    # -o
    (["build", "content/case", "-o", "out/x\n" + FORGED], r"out/x\\nhighlight: 8 pages.*: error\[output-refused\]"),
    # --pages
    (["proof", "content/case", "--pages", "1\n" + FORGED], r"highlight: --pages: '1\\nhighlight: 8 pages.*"),
    (["proof", "content/case", "--pages", "5"], r"content/case: error\[no-such-page\]: --pages names page 5"),
])
def test_each_command_line_input_is_blamed_on_one_line_with_a_hint(project, pdf, argv, blamed):
    (project / DECK).write_text("Sports science\n", encoding="utf-8")
    os.makedirs("content/y\n" + FORGED)  # a folder, but no edition in it
    code, printed = run_cli(argv)
    assert code in (1, 2), printed
    assert re.search("^" + blamed, printed, re.MULTILINE), printed
    assert "hint: " in printed
    _not_forged(printed)


# -- names an office uses ----------------------------------------------------------------------------

OFFICE = "年報 2023 edition"


def _office_edition(project, name: str = OFFICE) -> str:
    folder = project / "content" / name
    os.rename(project / "content" / "case", folder)
    text = (folder / "edition.yaml").read_text(encoding="utf-8")
    (folder / "edition.yaml").write_text(text.replace('"case"', json.dumps(name, ensure_ascii=False)), encoding="utf-8")
    return os.path.join("content", name)


def test_a_chinese_spaced_edition_builds_reproducibly_under_a_safe_name(project):
    edition = _office_edition(project)
    code, printed = run_cli(["build", edition])
    assert code == 0, printed
    pdf = project / "out" / "highlights-年報-2023-edition.pdf"
    first = pdf.read_bytes()
    code, printed = run_cli(["build", edition])
    assert code == 0 and pdf.read_bytes() == first
    assert sorted(os.listdir(project / "out")) == ["highlights-年報-2023-edition.pdf"]


def test_a_chinese_spaced_edition_is_proofed(project):
    edition = _office_edition(project)
    code, printed = run_cli(["proof", edition, "--pages", "1", "--dpi", "36"])
    assert code == 0, printed
    assert os.path.isfile(project / "out" / "proof" / "年報-2023-edition" / "page-01.png"), printed


def test_a_chinese_spaced_edition_is_served(project):
    import threading
    import urllib.request

    from highlight.serve import ServeOptions, serve

    edition = _office_edition(project)
    stop, urls = threading.Event(), []
    ready = threading.Event()
    thread = threading.Thread(target=serve, args=(ServeOptions(edition, port=0, dpi=36),
                                                  lambda url: (urls.append(url), ready.set())), kwargs={"stop": stop})
    thread.start()
    try:
        assert ready.wait(60)
        with urllib.request.urlopen(urls[0] + "api/state", timeout=10) as response:
            state = json.loads(response.read())
        assert state["ok"] and state["pages"], state
        with urllib.request.urlopen(urls[0] + state["pages"][0]["image"].lstrip("/"), timeout=10) as response:
            assert response.read().startswith(b"\x89PNG")
    finally:
        stop.set()
        thread.join(10)


def test_new_starts_a_chinese_spaced_edition_that_builds(project):
    edition = _office_edition(project)
    code, printed = run_cli(["new", "年報 2024 edition", "--from", OFFICE])
    assert code == 0, printed
    assert "`highlight build 'content/年報 2024 edition'`" in printed
    text = (project / "content" / "年報 2024 edition" / "edition.yaml").read_text(encoding="utf-8")
    assert 'edition: "年報 2024 edition"' in text
    code, printed = run_cli(["build", "content/年報 2024 edition"])
    assert code == 0, printed
    assert (project / "out" / "highlights-年報-2024-edition.pdf").is_file()
    assert edition


@pytest.mark.parametrize("name", ["CON", "com1.txt", "-rf", ".git", "a:b", "a\u202eb", "a\x1bb", "..", "a/b"])
def test_new_refuses_only_what_is_dangerous_as_a_file_name(project, name):
    code, printed = run_cli(["new", "--from", "case", "--", name])
    assert code == 2 and "error[bad-edition-name]" in printed and "hint: " in printed, printed
    assert sorted(os.listdir(project / "content")) == ["case"]
    _not_forged(printed)


@pytest.mark.parametrize("name", ["CON", "-x", "a\x1bb"])
def test_a_build_of_a_folder_with_a_dangerous_name_is_refused_at_the_folder(project, name):
    edition = _office_edition(project, name)
    code, printed = run_cli(["build", "--", edition] if name.startswith("-") else ["build", edition])
    assert code == 2 and re.match(r"content/\S+: error\[bad-edition-name\]: the edition folder's name", printed), printed
    assert not os.path.exists(project / "out") or os.listdir(project / "out") == []


# -- a hint on every error code; one error per cause -----------------------------------------------------

def _diagnostic_calls():
    """Every call that reports an error in the package: (file:line, code, has a hint)."""
    for folder, _, files in os.walk(os.path.join(ROOT, "highlight")):
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as f:
                tree = ast.parse(f.read())
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr in ("error", "fatal") and len(node.args) >= 2):
                    continue
                # Diagnostics.error(code, message, source, hint) or Reader.error(node, path, code, message, hint)
                at = 2 if len(node.args) >= 3 and isinstance(node.args[2], ast.Constant) \
                    and isinstance(node.args[2].value, str) and re.fullmatch(r"[a-z0-9-]+", node.args[2].value) else 0
                code = node.args[at]
                code = code.value if isinstance(code, ast.Constant) else ast.unparse(code)
                hints = [k.value for k in node.keywords if k.arg == "hint"] + node.args[at + 3 if at == 0 else 4:][:1]
                empty = not hints or (isinstance(hints[0], ast.Constant) and not hints[0].value)
                yield f"{os.path.relpath(path, ROOT)}:{node.lineno}", code, not empty


def test_every_error_code_in_the_catalogue_has_a_hint():
    calls = list(_diagnostic_calls())
    assert len({code for _, code, _ in calls}) > 80  # the walk finds the catalogue
    missing = [f"{where} {code}" for where, code, hint in calls if not hint]
    assert not missing, "errors without a hint:\n" + "\n".join(missing)


def test_a_frame_cycle_is_one_located_error_before_any_page_is_laid_out(project):
    templates = project / "layout" / "templates.yaml"
    text = templates.read_text(encoding="utf-8")
    templates.write_text(text.replace("discoveries-head:  {col: 1, span: 12, below: [intro]",
                                      "discoveries-head:  {col: 1, span: 12, below: [subjects]"), encoding="utf-8")
    page = project / "content" / "case" / "p1.yaml"
    page.write_text(PAGE + '  - frame: discoveries-head\n    elements:\n      - paragraph: {en: "Areas", zh: "領域"}\n',
                    encoding="utf-8")
    code, printed = run_cli(["build", "content/case"])
    assert code == 1
    errors = re.findall(r"^(\S+) .*error\[([a-z-]+)\]", printed, re.MULTILINE)
    assert [e[1] for e in errors] == ["frame-cycle"], printed
    assert errors[0][0].startswith("layout/templates.yaml:") and "hint: " in printed
    assert "bug of highlight" not in printed


def test_a_frame_off_the_grid_has_a_hint(project):
    templates = project / "layout" / "templates.yaml"
    text = templates.read_text(encoding="utf-8")
    templates.write_text(text.replace("intro:             {col: 1, span: 8,", "intro:             {col: 1, span: 20,"),
                         encoding="utf-8")
    code, printed = run_cli(["build", "content/case"])
    assert code == 1
    assert re.search(r"error\[frame-off-grid\]: frame 'intro' spans columns 1–20 but the grid has 12\n  hint: set "
                     r"span: 12", printed), printed



def test_diff_blames_the_pdf_that_cannot_be_read(project, pdf, monkeypatch):
    import shutil

    import highlight.check

    shutil.copy(pdf, "out/new.pdf")
    real = highlight.check.read_pages

    def read_pages(path):  # a PDF that passes the cheap checks and still defeats the reader
        if path == "out/new.pdf":
            raise ValueError("a damaged cross-reference table")
        return real(path)

    monkeypatch.setattr(highlight.check, "read_pages", read_pages)
    code, printed = run_cli(["diff", pdf, "out/new.pdf"])
    assert code == 2
    assert re.match(r"out/new\.pdf: error\[pdf-unreadable\]: cannot read the PDF out/new\.pdf \(ValueError: a damaged",
                    printed), printed
    assert pdf not in printed
