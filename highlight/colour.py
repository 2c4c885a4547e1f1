"""Colour as printed: CIELAB of CMYK inks through the output ICC profile, and CIEDE2000 between colours.

The print profile (profiles.py builds it) says what an ink mix looks like on
the paper; LittleCMS, through Pillow's ImageCms, reads it. CIEDE2000 (Sharma,
Wu and Dalal 2005) is the colour difference people see: about 1 is a just
noticeable difference side by side, 10 and more tells two areas apart at a
glance. Used to refuse chart palettes whose swatches a reader could confuse.
"""
from __future__ import annotations

import hashlib
import json
import math
import os

PAPER = (0.0, 0.0, 0.0, 0.0)  # unprinted paper, as CMYK


def luminance(rgb: tuple) -> float:
    """WCAG 2.x relative luminance of sRGB channel values 0–1."""
    lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: tuple, b: tuple) -> float:
    """WCAG 2.x contrast ratio of two sRGB colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def reach_contrast(text: tuple, ground: tuple, minimum: float, quantise) -> tuple:
    """`text` darkened (on a light ground) or lightened (on a dark one) in 1 % steps just enough to reach
    `minimum` against `ground`, each step rounded as the output writes it (`quantise`), with a margin of 0.05
    so the rounding cannot take it back under: the gold accent (2.2:1 on white) becomes a darker gold for
    text; a colour that already reaches it is kept. The PDF's screen twin and the web page share it."""
    if contrast(text, ground) >= minimum:
        return text
    target = 0.0 if luminance(ground) > 0.18 else 1.0
    for step in range(1, 101):
        t = step / 100.0
        mixed = quantise(tuple(v + (target - v) * t for v in text))
        if contrast(mixed, ground) >= minimum + 0.05:
            return mixed
    return (target,) * 3


def ciede2000(lab1: tuple, lab2: tuple) -> float:
    """CIEDE2000 colour difference (Sharma, Wu and Dalal 2005), kL = kC = kH = 1."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25.0 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dh = 0.0
    if c1p * c2p:
        dh = h2p - h1p
        dh = dh - 360 if dh > 180 else dh + 360 if dh < -180 else dh
    d_l, d_c = l2 - l1, c2p - c1p
    d_h = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    else:
        h_mean = (h1p + h2p + (360 if h1p + h2p < 360 else -360)) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_mean - 30)) + 0.24 * math.cos(math.radians(2 * h_mean))
         + 0.32 * math.cos(math.radians(3 * h_mean + 6)) - 0.20 * math.cos(math.radians(4 * h_mean - 63)))
    rotation = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_mean ** 7 / (cp_mean ** 7 + 25.0 ** 7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cp_mean, 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2 * rotation)) * r_c
    return math.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h))


_LAB_MEMO: dict = {}  # (profile digest, cmyk) -> Lab, for a watch session's rebuilds
LAB_CACHE = "chart-lab.json"  # beside the profile: Lab values measured before, keyed by the profile's digest


def lab_through_profile(cmyks: list, icc: bytes, cache_dir: str | None = None) -> list[tuple[float, float, float]]:
    """CIELAB (D50) of CMYK inks (0–100) printed on the profile's condition, relative colorimetric.

    LittleCMS through Pillow's ImageCms, 8 bits a channel (L to 0.4, a and b to 1: far finer than the
    differences this is used to judge). Values measured once are kept in `cache_dir`, so a build does not
    load the colour engine again while the palette and the profile stay the same."""
    digest = hashlib.sha256(icc).hexdigest()
    cache_path = os.path.join(cache_dir, LAB_CACHE) if cache_dir else None
    wanted = [tuple(float(v) for v in c) for c in cmyks]
    missing = [c for c in dict.fromkeys(wanted) if (digest, c) not in _LAB_MEMO]
    if missing and cache_path:
        try:
            with open(cache_path, encoding="utf-8") as f:
                stored = json.load(f)
            if stored.get("profile") == digest:
                for name, lab in stored.get("lab", {}).items():
                    _LAB_MEMO[(digest, tuple(float(v) for v in name.split()))] = tuple(lab)
        except (OSError, ValueError, AttributeError):
            pass
        missing = [c for c in missing if (digest, c) not in _LAB_MEMO]
    if missing:
        for cmyk, lab in zip(missing, _measure(missing, icc)):
            _LAB_MEMO[(digest, cmyk)] = lab
        if cache_path:
            from .atomic import replace_file

            known = {" ".join(f"{v:g}" for v in c): list(lab)
                     for (d, c), lab in sorted(_LAB_MEMO.items()) if d == digest}
            replace_file(cache_path, json.dumps({"profile": digest, "lab": known}, indent=1).encode())
    return [_LAB_MEMO[(digest, c)] for c in wanted]


def _measure(cmyks: list, icc: bytes) -> list[tuple[float, float, float]]:
    import io
    from typing import cast  # (here: a build measures its palette once, then reads .cache/profiles)

    from PIL import Image, ImageCms

    transform = ImageCms.buildTransform(ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                                        ImageCms.createProfile("LAB", 5000), "CMYK", "LAB",
                                        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
    image = Image.new("CMYK", (len(cmyks), 1))
    for x, cmyk in enumerate(cmyks):
        image.putpixel((x, 0), tuple(round(v * 2.55) for v in cmyk))
    lab = ImageCms.applyTransform(image, transform)
    # Pillow's LAB: L scaled to 0–255, a and b offset by 128.
    assert lab is not None  # applyTransform returns None only with inPlace=True
    pixels = [cast("tuple[int, int, int]", lab.getpixel((x, 0))) for x in range(len(cmyks))]
    return [(p[0] * 100.0 / 255.0, p[1] - 128.0, p[2] - 128.0) for p in pixels]
