"""The PDF kept for a later build of the same document (.cache/output, issue 28): a build whose pages, layout,
fonts, profiles and options are unchanged takes the PDF the last such build rendered (and its preflight passed)
instead of drawing, tagging and checking it again; any change makes a new key; a damaged entry is a miss."""
from __future__ import annotations

import os

from conftest import ROOT, copy_project

import highlight.render
from highlight.backends import pdf as pdf_backend
from highlight.build import BuildOptions, BuildSession


def _project(tmp_path) -> str:
    project = copy_project(tmp_path, ("layout", "fonts", "profiles", os.path.join("content", "2022-23")), cache=False)
    os.makedirs(os.path.join(project, ".cache"))
    for name in ("fonts", "profiles"):
        os.symlink(os.path.join(ROOT, ".cache", name), os.path.join(project, ".cache", name))
    return os.path.join(project, "content", "2022-23")


def test_an_unchanged_document_is_not_rendered_again_and_a_damaged_entry_is_a_miss(tmp_path, monkeypatch):
    edition = _project(tmp_path)
    kept = os.path.join(tmp_path, ".cache", "output")
    rendered: list[int] = []
    real = highlight.render.render_pdf
    monkeypatch.setattr(highlight.render, "render_pdf", lambda pages, *a: rendered.append(len(pages))
                        or real(pages, *a))

    def build_once(name: str, **options) -> bytes:
        rendered.clear()
        result = BuildSession().build(BuildOptions(edition, str(tmp_path / name), **options))
        assert not result.diagnostics.has_errors(), [d.format() for d in result.diagnostics.items]
        return (tmp_path / name).read_bytes()

    first = build_once("a.pdf")
    assert rendered == [8] and len(os.listdir(kept)) == 1
    assert build_once("b.pdf") == first and rendered == []  # the kept PDF, not drawn again
    [entry] = os.listdir(kept)
    with open(os.path.join(kept, entry), "r+b") as f:  # one byte of the PDF changed: its digest no longer agrees
        f.seek(-2000, os.SEEK_END)
        byte = f.read(1)
        f.seek(-2000, os.SEEK_END)
        f.write(bytes([byte[0] ^ 0x20]))
    assert build_once("c.pdf") == first and rendered == [8]  # a miss: drawn again, and kept afresh
    assert build_once("d.pdf") == first and rendered == []
    with open(os.path.join(kept, entry), "r+b") as f:
        f.truncate(40)
    assert build_once("e.pdf") == first and rendered == [8]
    screen = build_once("f.pdf", target="screen")  # another target: another key
    assert rendered == [8] and screen != first and len(os.listdir(kept)) == 2
    page = os.path.join(edition, "p7-growth-continued.yaml")
    with open(page, encoding="utf-8") as f:
        text = f.read()
    with open(page, "w", encoding="utf-8") as f:
        f.write(text.replace("officially opened", "formally opened"))
    assert build_once("g.pdf") != first and rendered == [8]  # an edited page: another key


def test_the_key_names_every_part_of_the_document_the_pdf_is_made_from(tmp_path):
    edition = _project(tmp_path)
    session = BuildSession()
    result = session.build(BuildOptions(edition, str(tmp_path / "a.pdf")))
    document = result.document
    key = document.key
    assert key is not None and session._document_key(document) == key
    changed = [document._replace(marks=False), document._replace(tagged=False),
               document._replace(meta=document.meta._replace(target="screen")),
               document._replace(meta=document.meta._replace(date_epoch=document.meta.date_epoch + 1)),
               document._replace(meta=document.meta._replace(title="Another title")),
               document._replace(picture_icc=b"another profile"), document._replace(pages=document.pages[:7])]
    assert all(session._document_key(other) not in (key, None) for other in changed[:-1])
    assert session._document_key(changed[-1]) is None  # the pages' names do not match the pages
    face = next(iter(document.fonts.faces.values()))
    stat = os.stat(face.path)
    os.utime(face.path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1000))  # a face's subset file written again
    try:
        assert session._document_key(document) not in (key, None)
    finally:
        os.utime(face.path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    session.pages.keys[3] = None  # a page whose inputs could not be written down: nothing kept
    assert session._document_key(document) is None
    assert pdf_backend.read_kept(document._replace(key=None)) is None
