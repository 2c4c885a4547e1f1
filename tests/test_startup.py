"""Start-up (issue 28): a warm build imports only what it uses. Speed itself is measured in bench/, not here."""
from __future__ import annotations

import subprocess
import sys

from conftest import EDITION, ROOT


def test_a_warm_build_imports_neither_pyyaml_nor_lxml(tmp_path):
    """With every file's parsed value in .cache/parsed, a new process reads no YAML (PyYAML, 20 ms to import),
    and it writes the XMP as it is kept, without pikepdf's lxml round trip (lxml: 70 ms to import)."""
    code = ("import sys\nfrom highlight.build import BuildOptions, build\n"
            f"result = build(BuildOptions({EDITION!r}, sys.argv[1]))\n"
            "assert not result.diagnostics.has_errors(), [d.format() for d in result.diagnostics.items]\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'yaml', 'lxml'}))\n")
    runs = [subprocess.run([sys.executable, "-c", code, str(tmp_path / f"{n}.pdf")], cwd=ROOT, capture_output=True,
                           text=True) for n in ("first", "second")]
    assert all(run.returncode == 0 for run in runs), [run.stderr[-2000:] for run in runs]
    assert runs[1].stdout.strip() == "[]"
    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "second.pdf").read_bytes()


def _package_copy(tmp_path):
    """A copy of the package (its own __pycache__), and the environment that imports it, writing bytecode."""
    import os
    import shutil

    shutil.copytree(os.path.join(ROOT, "highlight"), tmp_path / "highlight",
                    ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(tmp_path)
    return tmp_path / "highlight" / "__pycache__" / f"dataclass-code.{sys.implementation.cache_tag}.marshal", env


_USE_CLASSES = ("import highlight, sys\nassert highlight.__file__.startswith(sys.argv[1]), highlight.__file__\n"
                "from highlight.model import Text\nfrom highlight.diagnostics import SourceRef\n"
                "t = Text(SourceRef('a.yaml', 1, 2), en='x', zh='y')\n"
                "assert t == Text(SourceRef('a.yaml', 1, 2), en='x', zh='y') and 'x' in repr(t) and hash(t)\n"
                "import highlight.build\n")


def test_the_methods_dataclasses_writes_are_compiled_once_and_kept_as_compiling_them_gives(tmp_path):
    """highlight/__init__ keeps the code dataclasses compiles for the package's classes (40 ms a process) in
    __pycache__, keyed by the text compiled: a second process compiles none of it, and every kept code object is
    what compiling its text gives (a changed class is another text, so another entry)."""
    import marshal

    kept, env = _package_copy(tmp_path)
    first = subprocess.run([sys.executable, "-c", _USE_CLASSES, str(tmp_path)], env=env, cwd=tmp_path,
                           capture_output=True, text=True)
    assert first.returncode == 0, first.stderr[-2000:]
    data = kept.read_bytes()
    header = f"highlight-dataclass-code/1 {sys.version}\n".encode()
    assert data.startswith(header)
    entries = marshal.loads(data[len(header):])
    assert len(entries) > 100 and all(text.startswith("def __create_fn__(") for text in entries)
    assert all(compile(text, "<string>", "exec", dont_inherit=True) == code for text, code in entries.items())
    counting = ("import builtins\ncalls = []\nreal = builtins.compile\n"  # (texts dataclasses writes)
                "builtins.compile = lambda *a, **k: calls.append(str(a[0]).startswith('def __create_fn__(')) "
                "or real(*a, **k)\n" + _USE_CLASSES + "print(sum(calls))\n")
    second = subprocess.run([sys.executable, "-c", counting, str(tmp_path)], env=env, cwd=tmp_path,
                            capture_output=True, text=True)
    assert second.returncode == 0 and second.stdout.strip() == "0", (second.stdout, second.stderr[-2000:])


def test_a_damaged_or_foreign_file_of_kept_dataclass_code_is_a_miss_and_written_afresh(tmp_path):
    import marshal

    kept, env = _package_copy(tmp_path)
    header = f"highlight-dataclass-code/1 {sys.version}\n".encode()
    kept.parent.mkdir(parents=True, exist_ok=True)
    for damaged in (b"garbage", header + b"\x00\x01truncated", b"highlight-dataclass-code/1 2.7\n" + marshal.dumps({}),
                    header + marshal.dumps({"def __create_fn__(": 1}), header + marshal.dumps([1, 2])):
        kept.write_bytes(damaged)
        run = subprocess.run([sys.executable, "-c", _USE_CLASSES, str(tmp_path)], env=env, cwd=tmp_path,
                             capture_output=True, text=True)
        assert run.returncode == 0, (damaged, run.stderr[-2000:])
        data = kept.read_bytes()
        assert data.startswith(header) and len(marshal.loads(data[len(header):])) > 100, damaged
