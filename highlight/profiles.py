"""The print output condition: a FOGRA39 CMYK ICC profile, shipped with the package, its checksum pinned.

The profile is package data (`highlight/data/<name>.icc.deflate`, zlib-compressed as the PDF embeds it), so
no set-up step builds it and no build tool is needed on any system. It was built once by Argyll CMS's
colprof 2.3.1 from the FOGRA39L characterization data of Debian's icc-profiles-free (zlib licence, which
allows redistribution); profiles/profiles.yaml records that provenance and the profile's sha256, which every
build checks. `make profile-verify` (Linux x86_64) repeats the making as a reproducibility check
(`rebuild_profile`): download both Debian packages by pinned URL and sha256, take colprof and FOGRA39L.ti3
out of them (a .deb is an `ar` archive holding data.tar.xz; read here, no dpkg needed), run colprof, set the
profile's creation date to a fixed day, and compare the checksum with the manifest's and the shipped bytes.
"""
from __future__ import annotations

import io
import os
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from .atomic import replace_file
from .diagnostics import BuildFailed, Diagnostics, SourceRef
from .fonts import _sha256
from .schema import INVALID, Field, Named, Str, Struct, load_document

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")  # the shipped profile
MAX_DOWNLOAD_BYTES = 64 * 2**20  # the two Debian packages are a few MB
REINSTALL_HINT = ("the profile ships with highlight: reinstall it (pip install --force-reinstall highlight), "
                  "or restore highlight/data/ in a checkout (git checkout highlight/data)")
_FIXED_DATE = struct.pack(">6H", 2024, 1, 1, 0, 0, 0)  # ICC header bytes 24–35


@dataclass(frozen=True)
class Package:
    ref: SourceRef
    url: str
    sha256: str
    licence: str


@dataclass(frozen=True)
class Member:
    ref: SourceRef
    package: str
    member: str


@dataclass(frozen=True)
class ProfileSpec:
    ref: SourceRef
    name: str
    description: str
    measurement: Member
    tool: Member
    output_condition: str
    output_condition_text: str
    registry: str
    sha256: str
    licence: str = ""  # optional: a manifest written before the profile shipped has neither
    built_with: str = ""


@dataclass(frozen=True)
class ProfileManifest:
    ref: SourceRef
    packages: dict
    profile: ProfileSpec


_MEMBER = Struct(Member, {"package": Field(Str(), required=True), "member": Field(Str(), required=True)})
MANIFEST = Struct(ProfileManifest, {
    "packages": Field(Named(Struct(Package, {
        "url": Field(Str(), required=True), "sha256": Field(Str(), required=True),
        "licence": Field(Str(), required=True)})), required=True),
    "profile": Field(Struct(ProfileSpec, {
        "name": Field(Str(), required=True), "description": Field(Str(), required=True),
        "measurement": Field(_MEMBER, required=True), "tool": Field(_MEMBER, required=True),
        "output_condition": Field(Str(), required=True), "output_condition_text": Field(Str(), required=True),
        "registry": Field(Str(), required=True), "sha256": Field(Str(), required=True),
        "licence": Field(Str()), "built_with": Field(Str())}), required=True),
}, "The print output condition, the shipped ICC profile's checksum and how it was made")


@dataclass(frozen=True)
class OutputProfile:
    """What the PDF's OutputIntent needs."""

    icc: bytes
    name: str
    output_condition: str
    output_condition_text: str
    registry: str
    deflated: bytes  # the profile as a FlateDecode stream: the shipped bytes


def load_manifest(path: str, diags: Diagnostics, cache: dict | None = None) -> ProfileManifest:
    from .paths import SAFE_NAME_HINT, safe_name

    manifest = load_document(path, MANIFEST, diags, cache)  # (cache: a build session's parsed files)
    if manifest is INVALID:
        raise BuildFailed(diags)
    # These name files in the package's data/ and the rebuild's folder: nothing that could climb out of them.
    spec = manifest.profile
    names = [(spec.name, spec.ref, "the profile's name")] + \
        [(os.path.basename(p.url), p.ref, f"the file name of package '{k}'s url") for k, p in manifest.packages.items()] + \
        [(os.path.basename(spec.measurement.member), spec.ref, "the measurement member's file name")]
    for name, ref, what in names:
        if not safe_name(name, also="+~"):
            diags.fatal("bad-name", f"{what} {name!r} is not a plain name (it becomes a file "
                        "name)", ref, hint=SAFE_NAME_HINT.replace("e.g. 2023-24", "e.g. FOGRA39L-highlight"))
    diags.raise_if_errors()
    return manifest


def shipped_path(manifest: ProfileManifest) -> str:
    """The profile as the package ships it: zlib-compressed (the PDF's FlateDecode stream as it is)."""
    return os.path.join(DATA_DIR, f"{manifest.profile.name}.icc.deflate")


def load_profile(manifest: ProfileManifest, diags: Diagnostics) -> OutputProfile:
    """The shipped profile, checked against the manifest's sha256."""
    spec = manifest.profile
    path = shipped_path(manifest)
    try:
        with open(path, "rb") as f:
            deflated = f.read()
        icc = zlib.decompress(deflated)
    except (OSError, zlib.error) as exc:
        diags.fatal("profile-missing", f"the output profile {spec.name} cannot be read from {path} "
                    f"({getattr(exc, 'strerror', None) or exc})", spec.ref, hint=REINSTALL_HINT)
        raise BuildFailed(diags) from None
    if _sha256(icc) != spec.sha256:
        diags.fatal("profile-checksum", f"the shipped profile {path} has sha256 {_sha256(icc)}, profiles.yaml "
                    f"pins {spec.sha256}", spec.ref,
                    hint="profiles.yaml names the profile this version of highlight ships: take the profiles.yaml "
                         "of `highlight init`, or " + REINSTALL_HINT)
        raise BuildFailed(diags)
    return OutputProfile(icc, spec.description, spec.output_condition, spec.output_condition_text, spec.registry,
                         deflated)


def _deb_member(deb: bytes, member: str) -> bytes:
    """A file from a Debian package: an `ar` archive whose data.tar.* holds the files."""
    import tarfile  # (set-up only: a build reads the profile made, 8 ms to import)

    if not deb.startswith(b"!<arch>\n"):
        raise ValueError("not a Debian package")
    offset = 8
    while offset < len(deb):
        header = deb[offset:offset + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        body = deb[offset + 60:offset + 60 + size]
        if name.startswith("data.tar"):
            with tarfile.open(fileobj=io.BytesIO(body)) as tar:
                extracted = tar.extractfile(member)
                if extracted is None:
                    raise KeyError(member)
                return extracted.read()
        offset += 60 + size + (size & 1)
    raise KeyError("data.tar")


def rebuild_profile(manifest: ProfileManifest, diags: Diagnostics, cache_dir: str,
                    progress: Callable[[str], None] | None = None) -> bytes:
    """Make the profile again as it was made (Linux x86_64: colprof is Debian's amd64 binary), in `cache_dir`
    (the packages are kept in its downloads/), and check it against the manifest's sha256; return its bytes.
    `progress` is told each step as it starts (the download and colprof take a while)."""
    import subprocess  # (set-up only, as tarfile: a build reads the profile made)
    import urllib.error
    import urllib.request

    spec = manifest.profile
    debs = {}
    for name in {spec.measurement.package, spec.tool.package}:
        package = manifest.packages.get(name)
        if package is None:
            diags.fatal("unknown-package", f"profile names package '{name}', which is not listed", spec.ref,
                        hint="packages: " + ", ".join(manifest.packages))
            raise BuildFailed(diags)
        archive = os.path.join(cache_dir, "downloads", os.path.basename(package.url))
        data = None
        if os.path.exists(archive):
            with open(archive, "rb") as f:
                data = f.read()
            data = data if _sha256(data) == package.sha256 else None
        if data is None:
            if progress:
                progress(f"downloading {package.url}")
            try:
                with urllib.request.urlopen(package.url, timeout=120) as response:  # noqa: S310 (sha-pinned)
                    data = response.read(MAX_DOWNLOAD_BYTES + 1)
                if len(data) > MAX_DOWNLOAD_BYTES:
                    raise OSError(f"more than {MAX_DOWNLOAD_BYTES // 2**20} MiB; nothing was written")
            except (urllib.error.URLError, OSError) as exc:
                diags.fatal("profile-download", f"cannot download {package.url}: {getattr(exc, 'reason', exc)}",
                            package.ref, hint="check the network (the rebuild needs deb.debian.org), then run "
                            "`make profile-verify` again")
                raise BuildFailed(diags) from None
            if _sha256(data) != package.sha256:
                diags.fatal("profile-checksum", f"{package.url} downloaded with sha256 {_sha256(data)}, "
                            f"profiles.yaml pins {package.sha256}", package.ref,
                            hint="the download is not the package pinned: check its URL and version, then the pin")
                raise BuildFailed(diags)
            replace_file(archive, data)
        debs[name] = data
    work = os.path.join(cache_dir, "work")
    os.makedirs(work, exist_ok=True)
    stem = os.path.splitext(os.path.basename(spec.measurement.member))[0]
    replace_file(os.path.join(work, stem + ".ti3"), _deb_member(debs[spec.measurement.package],
                                                                  spec.measurement.member))
    tool = os.path.join(work, "colprof")
    replace_file(tool, _deb_member(debs[spec.tool.package], spec.tool.member))
    os.chmod(tool, 0o755)
    if progress:
        progress(f"building the {spec.name} profile with Argyll's colprof (about 20 s)")
    try:
        subprocess.run([tool, "-D", spec.description, "-qm", stem], cwd=work, check=True, timeout=600,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        diags.fatal("profile-build", f"colprof could not build the profile: {exc} {detail.decode(errors='replace')[-300:]}",
                    spec.tool.ref, hint="the rebuild runs Debian's x86_64 colprof: run it on Linux x86_64 (builds "
                    "never need it: the profile ships with highlight)")
        raise BuildFailed(diags) from None
    with open(os.path.join(work, stem + ".icc"), "rb") as f:
        icc = bytearray(f.read())
    icc[24:36] = _FIXED_DATE  # the only byte colprof varies between runs
    if _sha256(bytes(icc)) != spec.sha256:
        diags.fatal("profile-checksum", f"the profile colprof built has sha256 {_sha256(bytes(icc))}, "
                    f"profiles.yaml pins {spec.sha256}", spec.ref,
                    hint="a different Argyll or data version; check it before changing the pin")
        raise BuildFailed(diags)
    return bytes(icc)
