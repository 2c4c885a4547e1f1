"""`highlight init DIR`: a project folder made from the defaults the package carries.

It holds the layout to edit (layout/), the two manifests (fonts/fonts.yaml, profiles/profiles.yaml), the
JSON Schemas editors read (schema/) and one edition in content/: the example edition, or a copy of the
edition folder given with `--from`. A file already there is never replaced: init only adds what is
missing, so it also repairs a project that lacks a file.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field

from .diagnostics import BuildFailed, Diagnostics, SourceRef
from .paths import EDITION_NAME_HINT, check_output_folder, inside, name_problem
from .project import EXAMPLE_EDITION, PROJECT_FILES, defaults_root

SHARED = ("layout", "fonts", "profiles", "schema")  # copied from the defaults (regular .yaml / .json files)
GITIGNORE = "# outputs and caches that highlight writes\n/out/\n/.cache/\n"


@dataclass
class Initialised:
    project: str
    edition: str  # content/<name>, relative to the project
    written: list[str] = field(default_factory=list)  # relative paths
    kept: list[str] = field(default_factory=list)  # relative paths already there, left as they were


def _files(folder: str) -> list[str]:
    """The regular files below `folder` (relative paths, sorted); links and anything else are left out."""
    found = []
    for here, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(here, d)) and not d.startswith("."))
        for name in sorted(files):
            path = os.path.join(here, name)
            if os.path.isfile(path) and not os.path.islink(path) and not name.startswith("."):
                found.append(os.path.relpath(path, folder))
    return found


def init_project(target: str, diags: Diagnostics, source: str | None = None) -> Initialised:
    """Make (or complete) the project `target`; `source`: an edition folder to start content/ from."""
    target = os.path.abspath(target)
    check_output_folder(target, diags, what="the project")
    defaults = defaults_root()
    if source is None:
        edition_from = os.path.join(defaults, "content", EXAMPLE_EDITION)
    else:
        edition_from = os.path.abspath(source)
        if not os.path.isfile(os.path.join(edition_from, "edition.yaml")):
            diags.fatal("no-edition", f"{source} is not an edition folder (it has no edition.yaml)", SourceRef(source),
                        hint="give --from an edition folder, such as content/2022-23 of an earlier project")
            raise BuildFailed(diags)
    name = os.path.basename(os.path.normpath(edition_from))
    why = name_problem(name)
    if why:
        diags.fatal("bad-edition-name", f"the edition folder's name {name!r} cannot be used: {why}",
                    SourceRef(edition_from), hint="rename the folder: " + EDITION_NAME_HINT)
        raise BuildFailed(diags)
    copies = [(os.path.join(defaults, rel), rel) for rel in PROJECT_FILES]
    for folder in SHARED:
        copies += [(os.path.join(defaults, folder, rel), os.path.join(folder, rel))
                   for rel in _files(os.path.join(defaults, folder)) if rel.endswith((".yaml", ".json"))]
    edition = os.path.join("content", name)
    copies += [(os.path.join(edition_from, rel), os.path.join(edition, rel)) for rel in _files(edition_from)]
    missing = [rel for path, rel in copies if rel in PROJECT_FILES and not os.path.isfile(path)]
    if missing:
        diags.fatal("defaults-missing", f"the defaults of this installation lack {', '.join(missing)} "
                    f"(looked in {defaults})", SourceRef(defaults),
                    hint="reinstall highlight (pip install --force-reinstall highlight)")
        raise BuildFailed(diags)
    done = Initialised(target, edition)
    if os.path.isdir(os.path.join(target, edition)):  # an edition there is the office's: never mixed with another
        copies = [(p, rel) for p, rel in copies if not rel.startswith(edition + os.sep)]
        done.kept.append(edition)
    seen = set()
    for path, rel in copies:
        if rel in seen:
            continue
        seen.add(rel)
        destination = os.path.join(target, rel)
        if os.path.lexists(destination):
            done.kept.append(rel)
            continue
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        if not inside(os.path.realpath(os.path.dirname(destination)), os.path.realpath(target)):
            diags.fatal("output-refused", f"will not write {destination}: a folder on the way is a link out of "
                        "the project", SourceRef(destination), hint="replace the link by a folder, or choose "
                        "another project folder")
            raise BuildFailed(diags)
        shutil.copyfile(path, destination)
        done.written.append(rel)
    ignore = os.path.join(target, ".gitignore")
    if not os.path.lexists(ignore):
        with open(ignore, "w", encoding="utf-8", newline="\n") as f:
            f.write(GITIGNORE)
        done.written.append(".gitignore")
    return done


__all__ = ["Initialised", "init_project"]
