"""`highlight new`: start next year's edition from this year's, with every figure and date marked for review.

The page files are copied as text, so their comments (the readings chosen for
last year's open questions) travel with them. Each element or footnote that
holds a digit, and every picture, gets `review: true`, found by position in the composed YAML;
the build warns about each one (an error with --strict) until it is removed,
so last year's numbers are never printed by accident. edition.yaml is copied as
text too: its `words:` (the names, terms and fixed translations a line never
breaks inside) carry forward with their comments, to be kept or pruned.
"""
from __future__ import annotations

import datetime
import json
import os
import re
import shutil

import yaml

from .diagnostics import BuildFailed, Diagnostics, SourceRef
from .paths import EDITION_NAME_HINT, name_problem
from .yamlsource import display_path, load_yaml


def start_edition(content_dir: str, source: str, name: str, diags: Diagnostics) -> tuple[str, int]:
    """Copy content/<source> to content/<name>; return (the new folder, how many items were marked)."""
    why = name_problem(name)
    if why:
        diags.fatal("bad-edition-name", f"{name!r} cannot name an edition folder: {why}", SourceRef(content_dir),
                    hint=EDITION_NAME_HINT)
        raise BuildFailed(diags)
    origin = os.path.join(content_dir, source)
    target = os.path.join(content_dir, name)
    if not os.path.isfile(os.path.join(origin, "edition.yaml")):
        diags.fatal("no-edition", f"{display_path(origin)} has no edition.yaml", SourceRef(display_path(origin)),
                    hint="name an existing edition with --from, e.g. --from 2022-23")
        raise BuildFailed(diags)
    if os.path.exists(target):
        diags.fatal("edition-exists", f"{display_path(target)} already exists; nothing was changed",
                    SourceRef(display_path(target)), hint="choose another name, or remove that folder first")
        raise BuildFailed(diags)
    staging = target + ".partial"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(origin, staging)
    marked = 0
    try:
        for filename in sorted(os.listdir(staging)):
            path = os.path.join(staging, filename)
            if filename == "edition.yaml":
                _rename_edition(path, source, name)
                _record_layout(path, origin, source, name)
            elif filename.endswith((".yaml", ".yml")):
                marked += _mark_for_review(path, diags)
        diags.raise_if_errors()
        os.replace(staging, target)  # all or nothing
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target, marked


def _rename_edition(path: str, old: str, new: str) -> None:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    # A name may hold quotes or a '#' (年報 "2023" edition): written as a quoted YAML (JSON) string, never raw.
    quoted = json.dumps(new, ensure_ascii=False)
    text = re.sub(r'^edition: .*$', lambda m: f"edition: {quoted}", text, count=1, flags=re.MULTILINE)
    # The folio title names the edition (inside its quotes: only a name that needs no escaping is put there);
    # the date moves on a year (check it).
    if re.fullmatch(r"[\w .()+-]+", new):
        text = re.sub(r"^(title: .*)$", lambda m: m.group(1).replace(old, new), text, count=1, flags=re.MULTILINE)

    def next_year(match: re.Match) -> str:
        try:
            day = datetime.date.fromisoformat(match.group(2))
            day = day.replace(year=day.year + 1)
        except ValueError:
            return match.group(0)
        return f'{match.group(1)}"{day.isoformat()}"  # moved on a year from {match.group(2)}: check it'

    text = re.sub(r'^(date: )"?([\d-]+)"?.*$', next_year, text, count=1, flags=re.MULTILINE)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def _record_layout(path: str, origin: str, source: str, name: str) -> None:
    """Say in edition.yaml what the edition was made with: the shared layout/ and the source edition's own
    layout/ (copied along with its pages), with a digest of those files as they were, and where this
    edition's layout changes go. A comment, not a field: the build finds an edition's layout by where its
    files are, so a field could only disagree with them; a record is for the reader and for `git log`."""
    import hashlib

    from .layout_spec import LAYOUT_FILES
    from .paths import find_project

    shared = os.path.join(find_project(origin), "layout")
    digest = hashlib.sha256()
    for stem in LAYOUT_FILES:
        for folder, tag in ((shared, (stem + ".yaml\0").encode()), (os.path.join(origin, "layout"), b"override\0")):
            try:
                with open(os.path.join(folder, stem + ".yaml"), "rb") as f:
                    digest.update(tag + f.read())
            except OSError:
                pass  # an edition overrides only the files it needs
    own = os.path.join(os.path.dirname(display_path(origin)), name, "layout")
    note = (f"# layout: made from {source} with layout/ and content/{source}/layout/ "
            f"(sha256 {digest.hexdigest()[:16]} of their files then).\n"
            f"# This edition's layout changes go in {own}/ (page.yaml, styles.yaml, templates.yaml: only the keys "
            f"that differ),\n# merged over layout/ for this edition alone; an edit to layout/ itself changes "
            f"every edition's PDF.\n")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.rstrip("\n") + "\n" + note)


def _has_digit(node: yaml.Node) -> bool:
    """A figure or a date somewhere in the item's values (a heading's `level` is neither)."""
    if isinstance(node, yaml.ScalarNode):
        return any(c.isdigit() for c in node.value)
    if isinstance(node, yaml.SequenceNode):
        return any(_has_digit(n) for n in node.value)
    return any(_has_digit(v) for k, v in node.value if k.value != "level")


def _items_with_figures(root: yaml.Node | None):
    """Mapping nodes of elements and footnotes that hold a digit, and of pictures (none in an empty file)."""
    if not isinstance(root, yaml.MappingNode):
        return
    top = {k.value: v for k, v in root.value}
    for block in getattr(top.get("blocks"), "value", []):
        fields = {k.value: v for k, v in getattr(block, "value", [])}
        for element in getattr(fields.get("elements"), "value", []):
            if isinstance(element, yaml.MappingNode) and len(element.value) == 1:
                kind, body = element.value[0]
                # a picture is reviewed like a figure: last year's photograph may not be this year's
                if isinstance(body, yaml.MappingNode) and (_has_digit(body) or kind.value == "image"):
                    yield body
    for note in getattr(top.get("footnotes"), "value", []):
        if isinstance(note, yaml.MappingNode) and _has_digit(note):
            yield note


def _mark_for_review(path: str, diags: Diagnostics) -> int:
    doc = load_yaml(path, diags)
    with open(path, encoding="utf-8-sig") as f:
        lines = f.read().split("\n")
    edits = []
    for node in _items_with_figures(doc.root):
        line, column = node.start_mark.line, node.start_mark.column
        if node.flow_style:  # {en: ..., level: 2}: add the key just inside the brace
            edits.append((line, column + 1, "review: true, "))
        elif len(lines[line]) - len(lines[line].lstrip()) == column:
            # A block mapping on lines of its own: a line before its first key, at its indentation.
            edits.append((line, None, " " * column + "review: true"))
        else:
            # `- marker: "*"`: the mapping starts on the list dash's line; add the key after the
            # first key whose value is a scalar, at the mapping's indentation.
            first = next((v for _, v in node.value if isinstance(v, yaml.ScalarNode)), None)
            if first is None:
                continue
            end = first.end_mark.line - (1 if first.end_mark.column == 0 else 0)
            edits.append((end + 1, None, " " * column + "review: true"))
    for line, column, text in sorted(edits, reverse=True):
        if column is None:
            lines.insert(line, text)
        else:
            lines[line] = lines[line][:column] + text + lines[line][column:]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    return len(edits)
