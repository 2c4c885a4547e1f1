"""Make the shipped FOGRA39 profile again with Argyll's colprof and compare it (`make profile-verify`).

A reproducibility check, not a set-up step: builds read the profile highlight ships (highlight/data/). This
downloads the two Debian packages profiles/profiles.yaml pins (kept in .cache/profiles/downloads), runs
colprof (Debian's x86_64 binary, so Linux x86_64 only), fixes the creation date, and compares the result's
sha256 with the manifest's and its bytes with the shipped profile's. Exit 0 when all three agree.
"""
from __future__ import annotations

import os
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from highlight.diagnostics import BuildFailed, Diagnostics
from highlight.profiles import load_manifest, rebuild_profile, shipped_path


def main() -> int:
    diags = Diagnostics()
    try:
        manifest = load_manifest(os.path.join(ROOT, "profiles", "profiles.yaml"), diags)
        rebuilt = rebuild_profile(manifest, diags, os.path.join(ROOT, ".cache", "profiles"),
                                  lambda step: print(f"profile-verify: {step} …", flush=True))
    except BuildFailed:
        for d in diags.items:
            print(d.format(), file=sys.stderr)
        return 1
    with open(shipped_path(manifest), "rb") as f:
        shipped = zlib.decompress(f.read())
    if rebuilt != shipped:
        print(f"profile-verify: colprof made the pinned profile, but {shipped_path(manifest)} differs from it",
              file=sys.stderr)
        return 1
    print(f"profile-verify: colprof made {manifest.profile.name} again: sha256 {manifest.profile.sha256}, "
          f"the manifest's, byte for byte the shipped profile ({len(rebuilt)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
