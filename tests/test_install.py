"""The package as a user installs it: a wheel built from the repository, installed into a fresh virtual
environment outside it, then `highlight init` and the commands run in the project it made (issues 18 and 26).

What is real: the wheel is built from a copy of the repository by pip (the build back-end and its floor
from pyproject.toml, setup.py's copy of the defaults, the package data, py.typed, the `highlight` entry
point) and installed into a new venv, and the command runs there, in a folder that is not the repository,
importing the installed copy.

What is borrowed, and why: the dependencies are not downloaded again (that would make the test depend on
the network and take minutes). Instead the new venv sees a folder holding links to exactly the
distributions pyproject.toml's `dependencies` declare, with what they in turn require, taken from this
venv. A module the package imports but does not declare (pypdfium2 and Pillow were only in the test extras)
is therefore missing there, as it would be after a real `pip install`, and the command fails.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib import metadata

import pytest
import tomllib
from conftest import ROOT


def _requirement_name(requirement: str) -> str | None:
    """The distribution a requirement names, or None when it applies only with an extra or elsewhere."""
    name, _, marker = requirement.partition(";")
    if "extra" in marker:
        return None
    if marker.strip():
        from packaging.markers import Marker  # pip's own copy is not importable; packaging comes with pytest

        if not Marker(marker.strip()).evaluate():
            return None
    return re.split(r"[\s<>=!~\[(]", name.strip(), maxsplit=1)[0]


def declared_closure() -> list[metadata.Distribution]:
    """The distributions pyproject.toml declares for run time, and everything they require."""
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        wanted = [r for r in (_requirement_name(d) for d in tomllib.load(f)["project"]["dependencies"]) if r]
    seen: dict[str, metadata.Distribution] = {}
    while wanted:
        name = wanted.pop().lower().replace("_", "-")
        if name in seen:
            continue
        dist = metadata.distribution(name)
        seen[name] = dist
        wanted.extend(r for r in (_requirement_name(req) for req in dist.requires or []) if r)
    return list(seen.values())


def _link_distributions(dists: list[metadata.Distribution], folder: str) -> None:
    """Each distribution's top-level files and folders (and its metadata) linked into `folder`."""
    os.makedirs(folder)
    for dist in dists:
        for file in dist.files or []:
            top = file.parts[0]
            if top == ".." or top.endswith(".pth") or top == "__pycache__":
                continue
            source = os.path.join(str(dist.locate_file("")), top)
            target = os.path.join(folder, top)
            if os.path.exists(source) and not os.path.lexists(target):
                os.symlink(source, target)


def _outputintent_profile(pdf: str) -> bytes:
    import pikepdf

    with pikepdf.open(pdf) as document:
        return document.Root.OutputIntents[0].DestOutputProfile.read_bytes()


@pytest.mark.slow  # builds a wheel and installs it: a minute
def test_a_wheel_installed_outside_the_repository_inits_builds_and_passes_preflight(tmp_path):
    """Issue 26's done-when: a wheel built from the repository, installed into a fresh venv outside it;
    `highlight init DIR`, then `highlight build content/2022-23` in DIR writes a print PDF that `highlight
    preflight` passes, with no Debian package downloaded and no colprof run (the profile is the package's,
    its sha256 the manifest's). The fonts come from a cache folder given as $HIGHLIGHT_CACHE (as CI would keep
    it), so nothing is fetched. pip builds the wheel in an isolated environment with setuptools>=77: from
    PyPI, or offline from pip's cache or a folder given as PIP_FIND_LINKS (with PIP_NO_INDEX=1)."""
    import hashlib

    import yaml
    from conftest import shared_fonts_cache

    source = tmp_path / "src"  # pip builds in the tree it is given: a copy, so the repository is untouched
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", ".cache", "out", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"))
    wheels = tmp_path / "wheels"
    made = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels),
                           str(source)], capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, made.stdout + made.stderr
    (wheel,) = wheels.glob("highlight-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = str(venv / "bin" / "python")
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    _link_distributions(declared_closure(), str(tmp_path / "declared"))
    with open(os.path.join(site, "declared-dependencies.pth"), "w") as f:
        f.write(str(tmp_path / "declared") + "\n")
    install = subprocess.run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
                              str(wheel)], capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stdout + install.stderr

    cache = shared_fonts_cache(tmp_path / "cache")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(HIGHLIGHT_CACHE=cache, HOME=str(tmp_path / "home"), XDG_CACHE_HOME=str(tmp_path / "home" / ".cache"))
    highlight = str(venv / "bin" / "highlight")

    def run(*args: str, cwd=tmp_path) -> subprocess.CompletedProcess:
        return subprocess.run([highlight, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)

    where = subprocess.run([python, "-c", "import highlight, os; print(os.path.dirname(highlight.__file__))"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(site), where  # the installed copy, not the repository's
    for name in ("py.typed", "figure_words.yaml", "data/FOGRA39L-highlight.icc.deflate", "_project/layout/page.yaml",
                 "_project/fonts/fonts.yaml", "_project/profiles/profiles.yaml", "_project/content/2022-23/edition.yaml"):
        assert os.path.isfile(os.path.join(where, name)), name

    done = run("init", "office")
    assert done.returncode == 0 and "highlight build content/2022-23" in done.stdout, done.stdout + done.stderr
    project = tmp_path / "office"
    built = run("build", "content/2022-23", cwd=project)
    assert built.returncode == 0, built.stdout + built.stderr
    pdf = project / "out" / "highlights-2022-23.pdf"
    checked = run("preflight", str(pdf))
    assert checked.returncode == 0 and " 0 failures" in checked.stdout, checked.stdout + checked.stderr
    with open(project / "profiles" / "profiles.yaml", encoding="utf-8") as f:
        pinned = yaml.safe_load(f)["profile"]["sha256"]
    assert hashlib.sha256(_outputintent_profile(str(pdf))).hexdigest() == pinned
    made_here = [os.path.join(d, n) for d, _, files in os.walk(tmp_path) for n in files]
    assert not [p for p in made_here if p.endswith(".deb") or os.path.basename(p) in ("colprof", "FOGRA39L.ti3")]
    assert not os.path.exists(os.path.join(cache, "fonts", "downloads"))  # nothing fetched either

    proof = run("proof", "content/2022-23", "--pages", "1", cwd=project)
    assert proof.returncode == 0, proof.stdout + proof.stderr
    assert (project / "out" / "proof" / "2022-23" / "page-01.png").read_bytes().startswith(b"\x89PNG")


def test_every_module_the_package_imports_is_declared():
    """Every import in highlight/ (at the top or inside a function) is the standard library, the package
    itself, or provided by a distribution pyproject.toml's `dependencies` bring in."""
    import ast

    declared = {dist.metadata["Name"].lower() for dist in declared_closure()}
    provided = {module.lower() for module, dists in metadata.packages_distributions().items()
                if any(d.lower() in declared for d in dists)}
    imported: dict[str, str] = {}
    for folder, _, files in os.walk(os.path.join(ROOT, "highlight")):
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as f:
                    tree = ast.parse(f.read())
                for node in ast.walk(tree):
                    if isinstance(node, ast.Import):
                        modules = [a.name for a in node.names]
                    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                        modules = [node.module]
                    else:
                        continue
                    for module in modules:
                        imported.setdefault(module.split(".")[0], os.path.relpath(path, ROOT))
    undeclared = {m: where for m, where in imported.items()
                  if m not in sys.stdlib_module_names and m != "highlight" and m.lower() not in provided}
    assert not undeclared, f"imported but not in pyproject.toml's dependencies: {undeclared}"
