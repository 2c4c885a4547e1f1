"""The wheel carries the project's defaults: setuptools reads everything else from pyproject.toml.

`highlight init` makes a project from the repository's own layout/, fonts/fonts.yaml,
profiles/profiles.yaml, schema/ and the example edition (content/2022-23). They live at the top of the
repository, where the office edits them; this build step copies them into the built package as
highlight/_project/, so an installed highlight has them without a second copy in the source tree. An
editable install (a checkout) reads them in place (highlight/project.py, defaults_root).
"""
import glob
import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

DEFAULTS = ["layout/*.yaml", "fonts/fonts.yaml", "profiles/profiles.yaml", "schema/*.schema.json",
            "content/2022-23/*.yaml"]


class build_py_with_defaults(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        here = os.path.dirname(os.path.abspath(__file__))
        for pattern in DEFAULTS:
            for path in sorted(glob.glob(os.path.join(here, pattern))):
                target = os.path.join(self.build_lib, "highlight", "_project", os.path.relpath(path, here))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copyfile(path, target)


setup(cmdclass={"build_py": build_py_with_defaults})
