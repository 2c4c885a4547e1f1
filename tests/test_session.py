"""The build as a sequence of stages and the session's named caches (issue 24, step 4): a build runs
BuildSession.STAGES in order, a stage that fails skips the rest (nothing written), and a second build of an
unchanged edition reuses what the caches hold (the fonts, the setter, every laid-out page)."""
from __future__ import annotations

from conftest import EDITION

from highlight.build import BuildOptions, BuildSession
from highlight.diagnostics import BuildFailed


def test_a_build_runs_the_stages_in_order_and_a_failed_stage_stops_it(tmp_path, monkeypatch):
    session = BuildSession()
    ran = []
    for name in BuildSession.STAGES:
        stage = getattr(session, f"_stage_{name}")

        def record(run, stage=stage, name=name):
            ran.append(name)
            if name == "check":
                run.diags.error("test-stop", "stopped here on purpose")
                raise BuildFailed(run.diags)
            return stage(run)

        monkeypatch.setattr(session, f"_stage_{name}", record)
    out = tmp_path / "leaflet.pdf"
    result = session.build(BuildOptions(EDITION, str(out)))
    assert ran == ["read", "target", "set_up", "lay_out", "check"]
    assert not out.exists() and result.output is None
    assert [d.code for d in result.diagnostics.items if d.code == "test-stop"] == ["test-stop"]
    assert result.seconds > 0


def test_a_second_build_reuses_the_named_caches(tmp_path):
    session = BuildSession()
    first = session.build(BuildOptions(EDITION, str(tmp_path / "a.pdf")))
    fonts, setter = session.fonts.fonts, session.lines.setter
    second = session.build(BuildOptions(EDITION, str(tmp_path / "b.pdf")))
    assert session.fonts.fonts is fonts and session.lines.setter is setter
    assert all(a is b for a, b in zip(first.pages, second.pages)) and len(second.pages) == 8
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_the_caches_key_changes_with_any_module_of_the_package_subpackages_included(tmp_path, monkeypatch):
    """The line store, the parsed files and the laid-out pages are keyed by the package's source: a change to
    highlight/layout/elements.py (or checks/, backends/, web/) must make a new key, or a build after an upgrade
    or an edit serves pages laid out by the old code (the key read only the top-level modules: a page cached
    before a change to the layout came back unchanged)."""
    import shutil

    from highlight import linestore

    copy = tmp_path / "highlight"
    shutil.copytree(linestore.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "_project"))
    monkeypatch.setattr(linestore, "PACKAGE", str(copy))
    linestore._package_digest.cache_clear()
    before = linestore._package_digest()
    elements = copy / "layout" / "elements.py"
    elements.write_text(elements.read_text(encoding="utf-8") + "\n# a change\n", encoding="utf-8")
    linestore._package_digest.cache_clear()
    try:
        assert linestore._package_digest() != before
    finally:
        linestore._package_digest.cache_clear()


def test_a_watch_rebuild_keeps_the_files_it_read_afresh_and_the_figures_after_the_pdf(tmp_path):
    """A session that puts its caches off (`watch`: defer_line_store) writes the parsed value of a file read
    afresh (.cache/parsed) and the figures parity found (.cache/figures) in save_lines, between saves, not
    within the rebuild that the user waits for; a build process writes them within its build as before. Fails on
    the code before (both written within the rebuild)."""
    import os

    from conftest import ROOT, copy_project

    project = copy_project(tmp_path / "p", ("layout", "fonts", "profiles", os.path.join("content", "2022-23")),
                           cache=False)
    os.makedirs(os.path.join(project, ".cache"))
    for name in ("fonts", "profiles"):
        os.symlink(os.path.join(ROOT, ".cache", name), os.path.join(project, ".cache", name))
    edition = os.path.join(project, "content", "2022-23")
    page = os.path.join(edition, "p7-growth-continued.yaml")
    options = BuildOptions(edition, str(tmp_path / "w.pdf"), preflight=False, preview="watch")

    def cached() -> tuple[set, bytes]:
        folder = os.path.join(project, ".cache", "figures")
        figures = b""
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name), "rb") as f:
                figures += f.read()
        return set(os.listdir(os.path.join(project, ".cache", "parsed"))), figures

    session = BuildSession()
    session.defer_line_store = True
    assert not session.build(options).diagnostics.has_errors()
    session.save_lines()
    before = cached()
    with open(page, encoding="utf-8") as f:
        text = f.read()
    assert "officially opened" in text
    with open(page, "w", encoding="utf-8") as f:
        f.write(text.replace("officially opened", "opened 7,777 doors and", 1))  # (a new text and a new figure)
    assert not session.build(options).diagnostics.has_errors()
    assert cached() == before  # nothing written within the rebuild
    session.save_lines()
    parsed, figures = cached()
    assert len(parsed - before[0]) == 1 and figures != before[1] and b"7777" in figures


def test_the_safe_area_is_checked_again_only_on_pages_laid_out_again(built, monkeypatch):
    """check_safe_area walks a page only when it is not the very object it walked before (a `watch` rebuild keeps
    the pages whose inputs did not change: 2 ms of each rebuild walked all eight); the findings of a page kept
    are said again, and a page laid out again (another object) is walked. Fails on the code before (every page
    walked at every check)."""
    from dataclasses import replace

    from highlight.checks import pages as checks
    from highlight.diagnostics import Diagnostics
    from highlight.layout import TextLine

    result, _ = built
    first = result.pages[0]
    index = next(i for i, item in enumerate(first.items) if isinstance(item, TextLine) and item.line.runs)
    outside = replace(first, items=first.items[:index] + (replace(first.items[index], x_pt=0.0),)
                      + first.items[index + 1:])  # (a line at the trim's very edge)
    monkeypatch.setattr(checks, "_CHECKED", {})  # (the build of the fixture checked its pages)
    walked = []
    real = checks._page_findings
    monkeypatch.setattr(checks, "_page_findings", lambda page, *size: walked.append(page) or real(page, *size))
    pages = [outside, *result.pages[1:]]
    said = []
    for _ in range(2):
        diags = Diagnostics()
        checks.check_safe_area(pages, result.layout, diags)
        said.append([d.format() for d in diags.items])
    assert said[0] and said[0] == said[1] and "outside-safe-area" in said[0][0]
    assert len(walked) == len(pages) and walked[0] is outside  # (the second check walked none)
    again = replace(outside, title=outside.title + " ")  # laid out again: another object
    checks.check_safe_area([again, *result.pages[1:]], result.layout, Diagnostics())
    assert len(walked) == len(pages) + 1 and walked[-1] is again


def test_a_rebuild_whose_characters_did_not_change_checks_no_glyph_again(tmp_path, monkeypatch):
    """A session's rebuild after an edit that brought no new character (nor moved the first place of one)
    says the glyph checks' findings of the build before without checking again (2-3 ms of each `watch`
    rebuild); a change of allow_missing_glyphs checks again. Fails on the code before (checked every build)."""
    import os

    from conftest import copy_project

    import highlight.build

    project = copy_project(tmp_path / "p")
    edition = os.path.join(project, "content", "2022-23")
    checked = []
    real = highlight.build.check_glyphs
    monkeypatch.setattr(highlight.build, "check_glyphs", lambda *a, **k: checked.append(1) or real(*a, **k))
    session = BuildSession()
    options = BuildOptions(edition, str(tmp_path / "w.pdf"), preflight=False, preview="watch")
    found = [[d.format() for d in session.build(options).diagnostics.items] for _ in range(2)]
    assert found[0] == found[1] and checked == [1]
    from dataclasses import replace

    session.build(replace(options, allow_missing_glyphs=True))
    assert checked == [1, 1]


def test_a_rebuild_with_the_layout_files_as_they_were_takes_the_layout_it_made(tmp_path, monkeypatch):
    """A session's rebuild whose layout files (layout/ and the edition's own) are as they were takes the Layout
    it made before, the very object, without building it again (2 ms of each `watch` rebuild); a saved
    styles.yaml builds it again. Fails on the code before (the Layout built at every rebuild)."""
    import os

    from conftest import copy_project

    import highlight.build

    project = copy_project(tmp_path / "p")
    edition = os.path.join(project, "content", "2022-23")
    made = []
    real = highlight.build.load_layout
    monkeypatch.setattr(highlight.build, "load_layout", lambda *a, **k: made.append(1) or real(*a, **k))
    session = BuildSession()
    options = BuildOptions(edition, str(tmp_path / "w.pdf"), preflight=False, preview="watch")
    first, second = session.build(options), session.build(options)
    assert not first.diagnostics.has_errors() and second.layout is first.layout and made == [1]
    styles = os.path.join(project, "layout", "styles.yaml")
    with open(styles, encoding="utf-8") as f:
        text = f.read()
    with open(styles, "w", encoding="utf-8") as f:
        f.write(text + "\n# saved again\n")
    third = session.build(options)
    assert made == [1, 1] and third.layout == first.layout and not third.diagnostics.has_errors()


def test_the_package_digest_is_kept_while_no_file_of_the_package_changed(tmp_path, monkeypatch):
    """The package's digest (the key of every cache) is read from __pycache__/package-digest.<tag> while every
    file's size, mtime and ctime are as they were (reading and digesting the 1 MB of source was 3 ms of every
    process); a file written since, even with the same size and bytes, is read again, and a damaged memo is a
    miss. Fails on the code before, which kept nothing (the memo planted below is never read)."""
    import os
    import shutil
    import sys

    from highlight import linestore

    copy = tmp_path / "highlight"
    shutil.copytree(linestore.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "_project"))
    monkeypatch.setattr(linestore, "PACKAGE", str(copy))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    memo = copy / "__pycache__" / f"package-digest.{sys.implementation.cache_tag}"
    linestore._package_digest.cache_clear()
    try:
        real = linestore._package_digest()
        assert memo.exists() and memo.read_bytes()[32:] == real
        planted = bytes(range(32))
        memo.write_bytes(memo.read_bytes()[:32] + planted)  # (what a kept memo says is believed: no source read)
        linestore._package_digest.cache_clear()
        assert linestore._package_digest() == planted
        text = copy / "text.py"
        text.write_bytes(text.read_bytes())  # the same bytes, written again: its mtime and ctime are new
        before = os.stat(linestore.__file__).st_mtime  # (older than this process, as a new process finds it)
        os.utime(text, (before, before))
        linestore._package_digest.cache_clear()
        assert linestore._package_digest() == real
        memo.write_bytes(b"damaged")
        linestore._package_digest.cache_clear()
        assert linestore._package_digest() == real and memo.read_bytes()[32:] == real
    finally:
        linestore._package_digest.cache_clear()


def test_a_line_store_key_is_digested_once_when_looked_up_then_stored_and_names_its_content(monkeypatch):
    """The setter looks a key up in the stored memo and, on a miss, stores the line under the same key object:
    the digest is computed once for both (issue 28: 40,000 digests in a fresh 200-page build, one in four
    repeated); a key of other content has another digest, one of equal content (another object) the same."""
    from highlight import linestore
    from highlight.build import load_inputs
    from highlight.diagnostics import Diagnostics
    from highlight.text import Span

    _, layout, _ = load_inputs(EDITION, Diagnostics())
    style = next(iter(layout.styles.values()))
    computed: list[int] = []
    real = linestore._key_digest
    monkeypatch.setattr(linestore, "_key_digest", lambda key: computed.append(1) or real(key))
    key = ((Span("a few words", style, "en"),), 120.0, "left", False, ())
    memo = linestore.StoredMemo()
    assert memo.get(key) is None
    memo[key] = ("lines",)
    assert len(computed) == 1 and memo.get(key) == ("lines",)
    same = ((Span("a few words", style, "en"),), 120.0, "left", False, ())
    other = ((Span("a few words", style, "en"),), 121.0, "left", False, ())
    assert linestore.key_digest(same) == linestore.key_digest(key) != linestore.key_digest(other)
    assert len(computed) == 4  # (asked for by turns, each digested afresh: only the very last key is kept)


def test_a_stored_entry_is_decoded_when_looked_up_and_written_back_as_stored_when_not(tmp_path):
    """The line store's entries stay as stored until looked up (a build after an edit sets one page's lines:
    13 ms of decoding and 5 of encoding the others saved); a damaged entry is a miss and goes; the entries never
    looked up are written back as they were, and the store reads back as the whole store did."""
    import json
    import os
    import shutil

    from conftest import ROOT, copy_project

    from highlight import linestore

    project = copy_project(tmp_path / "p", ("layout", "fonts", "profiles", os.path.join("content", "2022-23")),
                           cache=False)
    os.makedirs(os.path.join(project, ".cache"))
    for name in ("fonts", "profiles"):  # (no line store, no page laid out before: every line set and stored)
        os.symlink(os.path.join(ROOT, ".cache", name), os.path.join(project, ".cache", name))
    session = BuildSession()
    options = BuildOptions(os.path.join(project, "content", "2022-23"), str(tmp_path / "a.pdf"))
    assert not session.build(options).diagnostics.has_errors()
    copy = str(tmp_path / "store.json")
    shutil.copyfile(session.lines.store, copy)
    whole = linestore.load(copy)
    assert len(whole) > 100
    lazy = linestore.LazyStore(copy)
    lazy._load()
    assert all(type(value) is bytes for value in dict.values(lazy))  # nothing decoded yet: each its JSON text
    damaged, looked_up, *_ = list(dict.keys(lazy))
    dict.__setitem__(lazy, damaged, [["not", "a", "line"]])
    assert lazy._decoded(damaged, dict.get(lazy, damaged), None) is None and damaged not in dict.keys(lazy)
    assert lazy._decoded(looked_up, dict.get(lazy, looked_up), None) == dict.get(whole, looked_up)
    written = str(tmp_path / "written.json")
    linestore.save(written, lazy)
    with open(copy, encoding="utf-8") as f:
        before = json.load(f)
    with open(written, encoding="utf-8") as f:
        after = json.load(f)
    untouched = [d for d in before["lines"] if d not in (damaged, looked_up)]
    assert all(after["lines"][d] == before["lines"][d] for d in untouched)
    again = linestore.load(written)
    assert set(again) == set(whole) - {damaged} and all(dict.get(again, d) == dict.get(whole, d) for d in again)


def test_a_store_is_read_without_decoding_its_entries_and_written_without_encoding_them_again(tmp_path,
                                                                                               monkeypatch):
    """Reading a line store decodes none of its entries (a build after an edit looks up a paragraph or two of
    700: the whole file through json.loads was 5-7 ms, and json.dumps again 5-9 ms), and the file written back
    is the one json.dumps writes; an entry whose text holds what looks like an entry's key (a quote, 32 hex
    digits, a quote and a colon) reads back as it was. Fails on the code before: it parsed the whole file."""
    import dataclasses
    import json
    import os

    from conftest import ROOT, copy_project

    from highlight import linestore

    project = copy_project(tmp_path / "p", ("layout", "fonts", "profiles", os.path.join("content", "2022-23")),
                           cache=False)
    os.makedirs(os.path.join(project, ".cache"))
    for name in ("fonts", "profiles"):
        os.symlink(os.path.join(ROOT, ".cache", name), os.path.join(project, ".cache", name))
    session = BuildSession()
    assert not session.build(BuildOptions(os.path.join(project, "content", "2022-23"),
                                          str(tmp_path / "a.pdf"))).diagnostics.has_errors()
    whole = linestore.load(session.lines.store)
    digest, lines = next(iter(dict.items(whole)))
    line, run = lines[0], lines[0].runs[0]
    tricky = '"' + "0123456789abcdef" * 2 + '":["x"],' + run.text
    odd = (dataclasses.replace(line, runs=(dataclasses.replace(run, text=tricky),) + line.runs[1:]),) + lines[1:]
    memo = linestore.StoredMemo()
    dict.update(memo, dict.items(whole))
    memo.colours = whole.colours
    dict.__setitem__(memo, "f" * 32, odd)
    path = str(tmp_path / "store.json")
    linestore.save(path, memo)
    with open(path, "rb") as f:
        data = f.read()
    assert data == json.dumps(json.loads(data), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    decoded = []
    real_loads = json.loads
    monkeypatch.setattr(linestore.json, "loads", lambda text, *a, **k: decoded.append(len(text)) or
                        real_loads(text, *a, **k))
    lazy = linestore.LazyStore(path)
    lazy._load()
    assert decoded and max(decoded) < len(data) / 20, decoded  # (the colours' table alone)
    assert len(dict.keys(lazy)) == len(dict.keys(whole)) + 1
    assert lazy._decoded("f" * 32, dict.get(lazy, "f" * 32), None) == odd
    assert lazy._decoded(digest, dict.get(lazy, digest), None) == lines
    monkeypatch.undo()
    again = str(tmp_path / "again.json")
    linestore.save(again, lazy)
    with open(again, "rb") as f:
        assert f.read() == data  # (an entry looked up is written as it was stored, the others as their text)


def test_the_figures_parity_found_are_kept_for_the_next_process_and_a_damaged_file_is_a_miss(tmp_path,
                                                                                              monkeypatch):
    """check_parity keeps the figures it found (text -> figures) in a file the build names for the package's
    code and figure words: a later process works out none of them again (figure_words' expressions: 10 ms) and
    warns as a fresh check does; a damaged or foreign file is a miss and is written afresh; a new text is
    worked out alone."""
    import json
    from dataclasses import replace

    from highlight import parity
    from highlight.build import load_inputs
    from highlight.diagnostics import Diagnostics

    edition, _, _ = load_inputs(EDITION, Diagnostics())
    kept = str(tmp_path / "figures" / "kept.json")
    worked: list[str] = []
    real = parity._figures

    def check(edition) -> list:
        parity._KEPT_FROM[0] = None  # (as a new process: the file read again)
        real.cache_clear()
        worked.clear()
        diags = Diagnostics()
        parity.check_parity(edition, diags, kept)
        return [d.format() for d in diags.items]

    monkeypatch.setattr(parity, "_figures", lambda text: worked.append(text) or real(text))
    fresh = Diagnostics()
    parity.check_parity(edition, fresh)
    first = check(edition)
    assert first == [d.format() for d in fresh.items] and len(worked) > 100
    assert check(edition) == first and worked == []  # every figure from the file
    for damaged in ("{not json", json.dumps({"format": "other", "figures": {}}),
                    json.dumps({"format": "highlight-figures/1", "figures": {"x": [["-", "", "one", "", ""]]}})):
        with open(kept, "w", encoding="utf-8") as f:
            f.write(damaged)
        assert check(edition) == first and len(worked) > 100, damaged
    page = edition.pages[6]
    block = page.blocks[0]
    heading = block.elements[0]
    edited = replace(edition, pages=edition.pages[:6] + (replace(page, blocks=(replace(block, elements=(
        replace(heading, en=heading.en + " 2031"),) + block.elements[1:]),) + page.blocks[1:]),) + edition.pages[7:])
    check(edited)
    assert worked == [heading.en + " 2031"]  # the new text alone


def test_a_process_whose_source_changed_under_it_keys_its_caches_apart(tmp_path, monkeypatch):
    """The caches are keyed by the package's source as read from disk when a process first needs the key. A full
    test run that lived through an edit of highlight/text.py read the new file, ran the old code, and kept the old
    code's lines and pages under the new source's key: the next run served them (page 4's connector dash at its
    old width) until .cache was cleared. A source file newer than the process's import of the package now gives
    that process a key of its own, shared with no other. Fails on the code before (the edited file's digest)."""
    import os
    import shutil
    import time

    from highlight import linestore

    copy = tmp_path / "highlight"
    shutil.copytree(linestore.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "_project"))
    monkeypatch.setattr(linestore, "PACKAGE", str(copy))
    text = copy / "text.py"
    edited = text.read_text(encoding="utf-8") + "\n# an edit while the process runs\n"
    text.write_text(edited, encoding="utf-8")
    later = time.time() + 5
    os.utime(text, (later, later))  # written after the process imported the code
    linestore._package_digest.cache_clear()
    try:
        mine = linestore._package_digest()
        before = os.stat(linestore.__file__).st_mtime  # older than this process: as a new process would find it
        os.utime(text, (before, before))
        linestore._package_digest.cache_clear()
        assert mine != linestore._package_digest()
    finally:
        linestore._package_digest.cache_clear()
