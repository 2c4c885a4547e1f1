"""Font set-up and font failures: each gives a clear message that says what to run, never a traceback."""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import tarfile

import pytest
from conftest import PAGE, ROOT, copy_project, make_edition, run_cli


def _package(tmp_path, member: bytes, monkeypatch=None) -> tuple[str, str]:
    """A .tgz like an npm package, holding one face and a licence, served (with `monkeypatch`) at an https
    address without a network; returns (url, sha256)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in (("package/Face.ttf", member), ("package/LICENSE", b"OFL")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    path = tmp_path / "face.tgz"
    path.write_bytes(buffer.getvalue())
    url = "https://registry.invalid/test-face/-/face.tgz"
    if monkeypatch is not None:
        from highlight import fonts

        def fake_download(address: str, cap: int) -> bytes:
            assert address == url
            return buffer.getvalue()

        monkeypatch.setattr(fonts, "_download", fake_download)
    return url, hashlib.sha256(buffer.getvalue()).hexdigest()


def _manifest(tmp_path, url: str, sha: str, face_sha: str) -> str:
    text = f"""sources:
  test:
    registry: npm
    package: "test-face"
    version: "1.0.0"
    url: "{url}"
    sha256: "{sha}"
    licence: {{member: "package/LICENSE", sha256: "{hashlib.sha256(b'OFL').hexdigest()}", name: "OFL-1.1"}}
faces:
  latin-regular: {{source: test, member: "package/Face.ttf", sha256: "{face_sha}"}}
  latin-bold: {{source: test, member: "package/Face.ttf", sha256: "{face_sha}"}}
  cjk-regular: {{source: test, member: "package/Face.ttf", sha256: "{face_sha}"}}
  cjk-bold: {{source: test, member: "package/Face.ttf", sha256: "{face_sha}"}}
families:
  latin: {{regular: latin-regular, bold: latin-bold}}
  cjk: {{regular: cjk-regular, bold: cjk-bold}}
"""
    (tmp_path / "fonts").mkdir(exist_ok=True)
    path = tmp_path / "fonts" / "fonts.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_package_with_the_wrong_checksum_is_refused(tmp_path, monkeypatch):
    url, sha = _package(tmp_path, b"face bytes", monkeypatch)
    manifest = _manifest(tmp_path, url, "0" * 64, hashlib.sha256(b"face bytes").hexdigest())
    code, printed = run_cli(["fonts", "--manifest", manifest])
    assert code == 2 and "error[font-checksum]" in printed and sha in printed and "Traceback" not in printed
    assert not (tmp_path / ".cache" / "fonts" / "latin-regular.ttf").exists()


def test_a_face_with_the_wrong_checksum_is_refused(tmp_path, monkeypatch):
    url, sha = _package(tmp_path, b"face bytes", monkeypatch)
    manifest = _manifest(tmp_path, url, sha, "1" * 64)
    code, printed = run_cli(["fonts", "--manifest", manifest])
    assert code == 2 and "error[font-checksum]" in printed and "package/Face.ttf" in printed


def test_no_network_during_set_up_says_what_to_do(tmp_path):
    manifest = _manifest(tmp_path, "https://127.0.0.1:9/face.tgz", "0" * 64, "0" * 64)
    code, printed = run_cli(["fonts", "--manifest", manifest])
    assert code == 2 and "error[font-download]" in printed and "run the command again" in printed


def _edition_with_own_fonts(tmp_path) -> str:
    """A one-page edition whose .cache/fonts is a copy (not the shared link), so a face can be spoiled."""
    folder = make_edition(tmp_path, PAGE)
    os.unlink(tmp_path / ".cache")
    shutil.copytree(os.path.join(ROOT, ".cache", "fonts"), tmp_path / ".cache" / "fonts",
                    ignore=shutil.ignore_patterns("derived", "downloads"))
    return folder


def test_a_missing_face_is_fetched_on_first_use_with_progress(tmp_path):
    """No set-up step: the build fetches what the cache lacks, says so on stderr, and builds (the package is
    taken from the cache's verified downloads/ here, as it would be from the npm registry)."""
    folder = _edition_with_own_fonts(tmp_path)
    os.unlink(tmp_path / ".cache" / "fonts" / "cjk-bold.ttf")
    shutil.copytree(os.path.join(ROOT, ".cache", "fonts", "downloads"), tmp_path / ".cache" / "fonts" / "downloads")
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf")])
    assert code == 0, printed
    assert "fonts: first use, fetching" in printed and "extracting and verifying" in printed
    assert (tmp_path / ".cache" / "fonts" / "cjk-bold.ttf").stat().st_size > 1_000_000


def test_a_missing_face_without_a_network_says_what_to_do(tmp_path, monkeypatch):
    import urllib.error

    from highlight import fonts

    def no_network(url: str, cap: int) -> bytes:
        raise urllib.error.URLError("no network")

    monkeypatch.setattr(fonts, "_download", no_network)
    folder = _edition_with_own_fonts(tmp_path)
    os.unlink(tmp_path / ".cache" / "fonts" / "cjk-bold.ttf")
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf")])
    assert code == 2 and "error[font-download]" in printed and "npm registry" in printed, printed


def test_a_corrupt_face_file_is_reported_not_crashed_on(tmp_path):
    folder = _edition_with_own_fonts(tmp_path)
    (tmp_path / ".cache" / "fonts" / "latin-bold.ttf").write_bytes(b"\x00\x01\x00\x00 not really a font")
    code, printed = run_cli(["build", folder, "-o", str(tmp_path / "x.pdf")])
    assert code == 2 and "error[font-corrupt]" in printed and "Traceback" not in printed


def _project_with_own_cache(tmp_path):
    """A copy of the project whose font cache holds the set-up faces but no derived subsets."""
    copy_project(tmp_path, cache=False)
    shutil.copytree(os.path.join(ROOT, "tests", "cases", "good", "bom-crlf"), tmp_path / "content" / "small")
    cache = tmp_path / ".cache" / "fonts"
    cache.mkdir(parents=True)
    source = os.path.join(ROOT, ".cache", "fonts")
    for filename in os.listdir(source):
        if os.path.isfile(os.path.join(source, filename)):
            os.link(os.path.join(source, filename), cache / filename)  # the 7 MB faces, without copying
    os.symlink(os.path.join(ROOT, ".cache", "profiles"), tmp_path / ".cache" / "profiles")
    return tmp_path


@pytest.mark.slow  # subsets the faces afresh: several seconds
def test_fonts_from_a_cached_superset_give_the_same_bytes(tmp_path):
    """Subsets keep the source's glyph IDs, so reusing a bigger cached subset cannot change the PDF."""
    exact = _project_with_own_cache(tmp_path / "a")
    reused = _project_with_own_cache(tmp_path / "b")
    assert run_cli(["build", str(exact / "content" / "small"), "-o", str(tmp_path / "exact.pdf")])[0] == 0
    assert run_cli(["build", str(reused / "content" / "2022-23"), "-o", str(tmp_path / "full.pdf")])[0] == 0
    derived = sorted(os.listdir(reused / ".cache" / "fonts" / "derived"))
    assert run_cli(["build", str(reused / "content" / "small"), "-o", str(tmp_path / "reused.pdf")])[0] == 0
    # The small edition's Latin characters are all in the leaflet's: no new Latin subset was made.
    latin = [n for n in os.listdir(reused / ".cache" / "fonts" / "derived") if n.startswith("latin-regular")
             and n.endswith(".ttf")]
    assert len(latin) == 1 and len(derived) >= 8
    assert (tmp_path / "exact.pdf").read_bytes() == (tmp_path / "reused.pdf").read_bytes()


def test_the_families_coverage_of_the_used_characters_is_the_whole_coverage_cut_to_them():
    """build checks the glyphs of the characters the edition uses against the families' coverage of those
    characters only (the faces' unions and intersection cost 5 ms a build): the same answer for each of them,
    a character of no face, of the CJK face only and of the Latin face only included (issue 28)."""
    from highlight.diagnostics import Diagnostics
    from highlight.fonts import family_coverage, load_coverage, load_manifest

    diags = Diagnostics()
    manifest = load_manifest(os.path.join(ROOT, "fonts", "fonts.yaml"), diags)
    coverage = load_coverage(manifest, diags, os.path.join(ROOT, ".cache", "fonts"))
    whole = family_coverage(manifest, coverage)["families"]
    used = {chr(c) for c in range(0x20, 0x3000, 7)} | set("研究資助局，。ﬁ\U0001F600\uE000")
    assert family_coverage(manifest, coverage, used)["families"] == whole & {ord(c) for c in used}


def test_faces_whose_character_maps_are_the_same_bytes_share_one_set_read_once(tmp_path):
    """load_coverage parses a character map once for all the faces whose .cmap.json holds the same bytes (the two
    weights of Noto Sans HK: 24,000 code points each, 2-3 ms of every build); a face whose map differs has its
    own set, and every set is what its file says."""
    import json

    from highlight.diagnostics import Diagnostics
    from highlight.fonts import face_path, load_coverage, load_manifest

    diags = Diagnostics()
    manifest = load_manifest(os.path.join(ROOT, "fonts", "fonts.yaml"), diags)
    source = os.path.join(ROOT, ".cache", "fonts")
    names = sorted(manifest.faces)
    for name in names:
        shutil.copyfile(face_path(name, source) + ".cmap.json", face_path(name, str(tmp_path)) + ".cmap.json")
    changed = face_path(names[0], str(tmp_path)) + ".cmap.json"
    with open(changed, encoding="utf-8") as f:
        codes = json.load(f)
    with open(changed, "w", encoding="utf-8") as f:
        json.dump(codes[:-1], f)  # one code point fewer than its twin
    coverage = load_coverage(manifest, diags, str(tmp_path))
    for name in names:
        with open(face_path(name, str(tmp_path)) + ".cmap.json", encoding="utf-8") as f:
            assert coverage[name] == frozenset(json.load(f)), name
    twins = [(a, b) for a in names for b in names if a < b and coverage[a] == coverage[b]]
    assert twins and all(coverage[a] is coverage[b] for a, b in twins)
    assert all(coverage[names[0]] is not coverage[n] for n in names[1:])


def test_a_character_map_is_parsed_once_and_read_from_its_binary_copy_after(tmp_path, monkeypatch):
    """load_coverage writes each character map it parses as 32-bit integers beside its JSON (.cmap.json.u32,
    under a header naming the JSON's sha256): the next build reads that copy, not the JSON (29 M of the 1,296 M
    instructions of a build after an edit); a damaged copy, or one of another JSON, is parsed again and written
    afresh, and the sets are always what the JSON says. Fails on the code before (no copy; the JSON parsed by
    every build)."""
    import json

    from highlight import fonts
    from highlight.diagnostics import Diagnostics

    diags = Diagnostics()
    manifest = fonts.load_manifest(os.path.join(ROOT, "fonts", "fonts.yaml"), diags)
    names = sorted(manifest.faces)
    maps = [fonts.face_path(name, str(tmp_path)) + ".cmap.json" for name in names]
    for name, path in zip(names, maps):
        shutil.copyfile(fonts.face_path(name, os.path.join(ROOT, ".cache", "fonts")) + ".cmap.json", path)

    real_loads = json.loads

    def truth() -> dict:
        out = {}
        for name, path in zip(names, maps):
            with open(path, encoding="utf-8") as f:
                out[name] = frozenset(real_loads(f.read()))
        return out

    parsed = []
    monkeypatch.setattr(fonts.json, "loads", lambda text, *a, **k: parsed.append(1) or real_loads(text, *a, **k))
    assert fonts.load_coverage(manifest, diags, str(tmp_path)) == truth() and parsed
    copies = sorted(n for n in os.listdir(tmp_path) if n.endswith(".u32"))
    assert copies  # (one a map: the twins' shared one's name is the first face's that read it)
    parsed.clear()
    assert fonts.load_coverage(manifest, diags, str(tmp_path)) == truth() and not parsed
    assert len(copies) == 2  # (the test's premise: two maps, each of two faces)
    owner = maps[names.index(copies[0].removesuffix(".ttf.cmap.json.u32"))]  # (the face that wrote the first)
    last = os.path.join(tmp_path, copies[-1])
    with open(last, "r+b") as f:  # damaged: a code point cut in half
        f.truncate(os.path.getsize(last) - 2)
    with open(owner, encoding="utf-8") as f:
        codes = real_loads(f.read())
    with open(owner, "w", encoding="utf-8") as f:  # another map for that face: its copy is another JSON's
        json.dump(codes[:-1], f)
    assert fonts.load_coverage(manifest, diags, str(tmp_path)) == truth() and parsed
    parsed.clear()
    assert fonts.load_coverage(manifest, diags, str(tmp_path)) == truth() and not parsed
    assert not diags.has_errors()
