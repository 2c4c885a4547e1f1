"""JSON Schema for editors, generated from the very specs the loader validates with (never written twice).

`highlight schema` writes schema/*.schema.json; each content and layout file
names its schema in a first line `# yaml-language-server: $schema=...`, so
editors with the YAML language server complete keys and flag mistakes while
the office types. tests/test_schema.py fails when a committed schema is stale.
"""
from __future__ import annotations

import json
import os

from .content import EDITION, PAGE
from .fonts import MANIFEST
from .house_words import WORDS
from .layout_spec import GEOMETRY, STYLES, TEMPLATES
from .profiles import MANIFEST as PROFILES
from .web.settings import WEB

SCHEMAS = {
    "edition": (EDITION, "An edition of the Annual Highlights leaflet: content/<edition>/edition.yaml"),
    "page": (PAGE, "One page of the leaflet: content/<edition>/p*.yaml"),
    "layout-page": (GEOMETRY, "Page size, margins, grid: layout/page.yaml"),
    "layout-styles": (STYLES, "Colours and type styles: layout/styles.yaml"),
    "layout-templates": (TEMPLATES, "Page templates with named frames: layout/templates.yaml"),
    "layout-words": (WORDS, "The house's words every edition inherits (names, terms): layout/words.yaml"),
    "layout-web": (WEB, "The web page's measures and the words of its links: layout/web.yaml"),
    "fonts": (MANIFEST, "The font manifest: fonts/fonts.yaml"),
    "profiles": (PROFILES, "The print output profile: profiles/profiles.yaml"),
}


def schema_documents() -> dict[str, str]:
    """File name → JSON text, for every schema."""
    out = {}
    for name, (spec, title) in SCHEMAS.items():
        document = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                    "$id": f"{name}.schema.json", "title": title, **spec.json_schema()}
        out[f"{name}.schema.json"] = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    return out


def write_schemas(folder: str) -> list[str]:
    os.makedirs(folder, exist_ok=True)
    written = []
    for filename, text in schema_documents().items():
        path = os.path.join(folder, filename)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        written.append(path)
    return written
