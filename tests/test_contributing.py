"""CONTRIBUTING.md stays true: the modules it names exist, and its backend example runs (issue 18, item 7)."""
from __future__ import annotations

import os
import re
import textwrap
import xml.etree.ElementTree as ET

from conftest import ROOT


def _read(name: str) -> str:
    with open(os.path.join(ROOT, name), encoding="utf-8") as f:
        return f.read()


def named_modules(text: str) -> set[str]:
    """Every `something.py` the text names, as written (a path, or a bare module name)."""
    return set(re.findall(r"[\w/]+\.py\b", text))


def _exists(name: str) -> bool:
    if "/" in name:  # from the repository's root, or from the package's (`layout/items.py`)
        return any(os.path.isfile(os.path.join(ROOT, base, name)) for base in ("", "highlight"))
    return any(os.path.isfile(os.path.join(ROOT, folder, name))
               for folder in ("highlight", os.path.join("highlight", "layout"), os.path.join("highlight", "backends"),
                              os.path.join("highlight", "checks"),
                              "tests", "bench", "tools"))


def test_every_module_contributing_and_architecture_name_exists():
    for document in ("CONTRIBUTING.md", os.path.join("docs", "architecture.md")):
        names = named_modules(_read(document))
        assert len(names) > 15, (document, names)  # the picture and the tables were read
        # the worked examples name modules to be written: those are the exceptions, and only those
        missing = {n for n in names if not _exists(n)} - {"highlight/backends/svg.py"}
        assert not missing, f"{document} names modules that do not exist: {sorted(missing)}"


def test_the_links_of_contributing_lead_somewhere():
    text = _read("CONTRIBUTING.md")
    for target in re.findall(r"\]\(([^)#]+)(?:#([^)]+))?\)", text):
        path, anchor = target
        assert os.path.exists(os.path.join(ROOT, path)), path
        if anchor:
            headings = {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-")
                        for h in re.findall(r"^#+ (.+)$", _read(path), re.MULTILINE)}
            assert anchor in headings, (path, anchor, headings)


def test_the_backend_example_runs_and_keeps_every_line(built):
    """The SVG backend of the worked example, run on the real leaflet's document: well-formed, one group per
    page, every text line's words in it, and the same bytes twice."""
    from highlight.diagnostics import Diagnostics

    text = _read("CONTRIBUTING.md")
    section = text[text.index("### Worked example: the pages as one SVG"):]
    code = textwrap.dedent(re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1))
    namespace: dict = {}
    exec(compile(code, "CONTRIBUTING.md", "exec"), namespace)  # noqa: S102 (this repository's own example)
    result, _ = built
    backend = namespace["SvgBackend"]()
    data = backend.render(result.document, Diagnostics())
    assert data == backend.render(result.document, Diagnostics())  # reproducible
    assert data.startswith(backend.magic)
    root = ET.fromstring(data)
    groups = list(root.iter("{http://www.w3.org/2000/svg}g"))
    assert len(groups) == len(result.pages) == 8
    for page, group in zip(result.pages, groups):
        drawn = "".join(t.text or "" for t in group.iter("{http://www.w3.org/2000/svg}text"))
        for item in page.items:
            line = getattr(item, "line", None)
            if line is not None:
                for run in line.runs:
                    if not run.artifact:
                        assert run.text in drawn, (page.number, run.text)


def _modules() -> list[str]:
    """Every module of the package, by its path inside highlight/ (layout/items.py)."""
    package = os.path.join(ROOT, "highlight")
    return sorted(os.path.relpath(os.path.join(folder, name), package).replace(os.sep, "/")
                  for folder, _, files in os.walk(package) for name in files if name.endswith(".py"))


def test_every_module_is_named_in_contributing():
    """A module of a package by its name (`items.py`) or its package's init by the package (`layout/`)."""
    text = _read("CONTRIBUTING.md")
    named = named_modules(text)
    for module in _modules():
        folder, _, name = module.rpartition("/")
        if name == "__init__.py" and folder:
            assert f"{folder}/" in text, f"CONTRIBUTING.md never names the package {folder}/"
        else:
            assert name in {n.rpartition("/")[2] for n in named}, f"CONTRIBUTING.md never names {module}"


def _contract_layers() -> list[list[str]]:
    """The layers contract of pyproject.toml, read as import-linter reads it (tomllib is Python 3.11's)."""
    text = _read("pyproject.toml")
    contract = text[text.index('type = "layers"'):]
    assert 'containers = ["highlight"]' in contract[:300] and "exhaustive = true" in contract[:300]
    block = contract[contract.index("layers = [") + len("layers = ["):contract.index("\n]")]
    layers = re.findall(r'^\s*"([^"]+)",', block, re.MULTILINE)
    return [[m.strip() for m in layer.split(":")] for layer in layers]


def _documented_layers() -> list[list[str]]:
    text = _read("CONTRIBUTING.md")
    section = text[text.index("## The layers"):]
    section = section[:section.index("\n## ", 4)]
    rows = re.findall(r"^\| [^|]+ \| (`[^|]*) \|", section, re.MULTILINE)
    layers = []
    for cell in rows:
        modules = []
        for name, note in re.findall(r"`([^`]+)`( \(when present\))?", cell):
            name = name.removesuffix(".py").removesuffix("/")
            modules.append(f"({name})" if note else name)
        layers.append(modules)
    return layers


def test_the_layers_in_contributing_are_the_ones_import_linter_enforces():
    documented, enforced = _documented_layers(), _contract_layers()
    assert len(enforced) == 8
    assert documented == enforced
