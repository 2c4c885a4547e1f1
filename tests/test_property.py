"""Property: whatever damage is done to the real content, the build reports or builds, never crashes.

Hypothesis mutates one file at a time (a page of content/2022-23, a layout file or the font
manifest) (drops keys, puts paths and hostile names where names and file names go,
changes types, inserts unknown keys, random Unicode with controls and astral
characters, very long strings, deep nesting) and builds. The build must
either succeed with a PDF that reads back (every page there, every font embedded) or
fail with located diagnostics, leaving the previous PDF and no temporary
file; it must never raise, hang or write a partial file.

    HYPOTHESIS_PROFILE=local make test    # 2,000 examples instead of CI's 300
"""
from __future__ import annotations

import os
import time

import pytest
import yaml
from conftest import ROOT, copy_project
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from highlight.build import BuildOptions, BuildSession
from highlight.diagnostics import Severity

settings.register_profile("ci", max_examples=300, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("local", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

EDITION = os.path.join("content", "2022-23")
# Every page of the edition, and the layout files the pages are set with.
PAGES = sorted(os.path.join(EDITION, n) for n in os.listdir(os.path.join(ROOT, EDITION)) if n.endswith(".yaml")) \
    + [os.path.join("layout", n) for n in ("page.yaml", "styles.yaml", "templates.yaml")] \
    + [os.path.join("fonts", "fonts.yaml")]


def _read(name: str) -> str:
    with open(os.path.join(ROOT, name), encoding="utf-8") as f:
        return f.read()


ORIGINALS = {name: _read(name) for name in PAGES}
# The edition's own characters (no new font subsets to make) and hostile ones.
OWN = sorted({c for text in ORIGINALS.values() for c in text if not c.isspace()})
HOSTILE = ["\x00", "\x07", "\x1b", "\x7f", "\u200b", "\u200e", "\u202e", "\ufeff", "\u2028", "\t", "\n",
           "\U0001f600", "\U0001f3c3", "\U00010000", "\U000e0001", "\U0010fffd", "\ud7ff", "[^", "[^Δ]", "]",
           "{", "}", "&", "*", "!!", "#", "%", "@", "|", ">", "'", '"', "\\"]
TEXT = st.lists(st.sampled_from(OWN) | st.sampled_from(HOSTILE), max_size=40).map("".join)
# Names and paths where a name or a file is expected: the edition's name, page files, face keys, sources.
PATHS = ["../../x", "/etc/passwd", "a/../../b", "..", ".", ".cache/fonts/cjk-bold.ttf", "layout/page.yaml",
         "content/2022-23/p1-research-power.yaml", "~/x", "C:\\x", "/dev/zero", "a\x00b", "\x1b[2J", "x" * 300,
         "file:///dev/zero", "https://example.org/../x", "p1.yaml/../../../etc"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True), TEXT)


def _paths(node, path=()):
    """Every (path, value) in a parsed YAML tree."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, path + (index,))


def _replace(tree, path, value):
    if not path:
        return value
    parent = tree
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return tree


@st.composite
def damaged_page(draw):
    name = draw(st.sampled_from(PAGES))
    tree = yaml.safe_load(ORIGINALS[name])
    places = list(_paths(tree))
    path, value = draw(st.sampled_from(places))
    kind = draw(st.sampled_from(["drop", "type", "unknown-key", "text", "long", "nest", "raw", "path", "rename"]))
    if kind == "drop" and path:
        parent = tree
        for step in path[:-1]:
            parent = parent[step]
        del parent[path[-1]]
    elif kind == "type":
        tree = _replace(tree, path, draw(SCALARS | st.lists(SCALARS, max_size=3) | st.dictionaries(TEXT, SCALARS,
                                                                                                     max_size=2)))
    elif kind == "unknown-key" and isinstance(value, dict):
        value[draw(TEXT)] = draw(SCALARS)
    elif kind == "text" and isinstance(value, str):
        cut = draw(st.integers(0, len(value)))
        tree = _replace(tree, path, value[:cut] + draw(TEXT) + value[cut:])
    elif kind == "long" and isinstance(value, str):
        tree = _replace(tree, path, value * draw(st.integers(20, 400)))
    elif kind == "path" and isinstance(value, str):
        tree = _replace(tree, path, draw(st.sampled_from(PATHS)))
    elif kind == "rename" and isinstance(value, dict) and value:
        old = draw(st.sampled_from(sorted(value, key=str)))
        value[draw(st.sampled_from(PATHS))] = value.pop(old)
    elif kind == "nest":
        for _ in range(draw(st.integers(1, 60))):
            value = [value]
        tree = _replace(tree, path, value)
    text = yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, width=10**6)
    if kind == "raw":  # damage the text itself: YAML syntax, indentation, duplicated lines
        lines = ORIGINALS[name].split("\n")
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["insert", "delete", "duplicate", "indent"]))
        if action == "insert":
            column = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:column] + draw(TEXT) + lines[at][column:]
        elif action == "delete":
            del lines[at:at + draw(st.integers(1, 5))]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        else:
            lines[at] = " " * draw(st.integers(1, 3)) + lines[at]
        text = "\n".join(lines)
    return name, text


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the project in a folder of its own, so that anything written beside it shows."""
    root = tmp_path_factory.mktemp("property")
    return copy_project(root / "project")


def _around(project) -> list:
    parent = project.parent
    return sorted(os.path.relpath(os.path.join(d, n), parent) for d, dirs, files in os.walk(parent)
                  for n in dirs + files if not os.path.join(d, n).startswith(str(project)))


SESSION = BuildSession()


def _one_line(text: str) -> bool:
    return text.isprintable() and len(text.splitlines()) == 1


@pytest.mark.slow  # about half the suite's time
@given(damaged_page())
def test_damaged_content_is_reported_or_built_never_crashes(project, damage):
    from pypdf import PdfReader

    name, text = damage
    edition = project / EDITION
    out = project / "out" / "leaflet.pdf"
    out.parent.mkdir(exist_ok=True)
    out.write_bytes(b"%PDF- previous")
    around = _around(project)
    (project / name).write_text(text, encoding="utf-8")
    try:
        started = time.perf_counter()
        result = SESSION.build(BuildOptions(str(edition), str(out)))  # must not raise
        assert time.perf_counter() - started < 20
        assert sorted(os.listdir(out.parent)) == ["leaflet.pdf"]  # no temporary file left behind
        assert _around(project) == around  # nothing written outside the project
        for d in result.diagnostics.items:  # every message: the user's text shown as data, one line each
            lines = d.format().split("\n")
            assert len(lines) == 1 + len(d.excerpt) + bool(d.hint), lines
            assert all(line.isprintable() for line in lines) and _one_line(d.github()), lines
            assert d.hint or d.severity < Severity.ERROR, f"no hint: {lines}"  # (issue 27)
        worst = result.diagnostics.worst
        codes = sorted({d.code for d in result.diagnostics.items if d.severity >= Severity.ERROR})
        event("built" if not codes else "reported: " + ", ".join(codes[:3]))
        if worst is not None and worst >= Severity.ERROR:
            assert out.read_bytes() == b"%PDF- previous"
            for d in result.diagnostics.items:
                assert d.message and d.code and (d.source is not None or d.severity is Severity.FATAL)
        else:
            reader = PdfReader(str(out))
            assert len(reader.pages) == len(result.pages) > 0
            for page in reader.pages:
                for font in page["/Resources"]["/Font"].values():
                    font = font.get_object()
                    if "/DescendantFonts" in font:
                        font = font["/DescendantFonts"][0].get_object()
                    assert "/FontFile2" in font["/FontDescriptor"]
    finally:
        (project / name).write_text(ORIGINALS[name], encoding="utf-8")
