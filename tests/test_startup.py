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


def test_a_warm_build_command_imports_no_module_only_other_paths_use(tmp_path):
    """`highlight build` of unchanged inputs (the PDF from .cache/output: no ReportLab) imports no tempfile, shutil,
    random, bz2 or lzma (atomic.py makes its temporary files itself, argparse's formatter measures the terminal
    without shutil), no traceback (only --debug prints one) and no threading: 4-5 ms of such a process. Its
    command line is parsed as before (tests/test_cli.py). Fails on d1b45c6 (all of them imported)."""
    import os

    from conftest import copy_project

    project = copy_project(tmp_path / "p")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    code = ("import atexit, runpy, sys\n"
            "atexit.register(lambda: print(sorted({m.split('.')[0] for m in sys.modules} & {'tempfile', 'shutil', "
            "'random', 'bz2', 'lzma', 'traceback', 'threading'}), 'reportlab' in sys.modules))\n"
            "sys.argv = ['highlight', 'build', 'content/2022-23', '-o', sys.argv[1], '-q']\n"
            "runpy.run_module('highlight', run_name='__main__')\n")
    runs = [subprocess.run([sys.executable, "-c", code, str(tmp_path / f"{n}.pdf")], cwd=project, env=env,
                           capture_output=True, text=True) for n in ("first", "second")]
    assert all(run.returncode == 0 for run in runs), [run.stderr[-2000:] for run in runs]
    assert runs[1].stdout.strip().splitlines()[-1] == "[] False", runs[1].stdout


def test_a_build_after_an_edit_imports_neither_ctypes_difflib_calendar_nor_pikepdf(tmp_path):
    """A build process after a one-word edit (one page laid out, the PDF drawn, tagged and preflighted) imports
    what it uses: ctypes only where pdfium's text is read back (wordbreaks.pdf_lines), difflib only to suggest a
    name for a wrong key or value (schema), 1-3 ms each of every process; calendar not at all (the edition's date
    as seconds is arithmetic); ReportLab imports none of them. Nor pikepdf (28 ms): the finishing pass writes the
    structure tree and identity with pdfobjects, and the preflight of the one page walked reads those objects.
    Nor threading (1 ms): signal.signal says whether this is the main thread. Nor typography.py, the --report's
    module (6 M instructions to import): the one check of it every build runs is checks/stats.py's. Nor inspect,
    dis or tokenize (4 ms): dataclasses imports inspect for the docstrings highlight/__init__ keeps. Nor typing
    (2.4 ms, and 0.9 ms a typing.NamedTuple): the package names its types only for mypy. Nor tempfile, shutil,
    random, bz2 or lzma (3 ms), which ReportLab's rltempfile imports for functions a build never calls. Fails on the
    code before (all three imported by every build; pikepdf since 6f78729 too; threading until issue 28's sixth
    round; typography until its tenth; inspect, dis, tokenize, typing and tempfile until its twelfth)."""
    import os

    from conftest import copy_project

    project = copy_project(tmp_path / "p")
    code = ("import atexit, sys\nfrom highlight.cli import main\nsys.argv = ['highlight', 'build', 'content/2022-23', "
            "'-o', sys.argv[1], '-q']\n\n"
            "def loaded():  # (at exit: main() ends a build process of its own command line)\n"
            "    assert 'reportlab' in sys.modules and 'highlight.tags' in sys.modules  # (the PDF drawn and tagged)\n"
            "    assert 'highlight.typography' not in sys.modules, 'the --report module loaded'\n"
            "    print(sorted({m.split('.')[0] for m in sys.modules} & {'ctypes', 'difflib', 'calendar', 'pikepdf', "
            "'threading', 'dis', 'tokenize', 'typing', 'tempfile', 'shutil', 'random', 'bz2', 'lzma'}), "
            "'signature' in vars(sys.modules['inspect']))\n\n"
            "atexit.register(loaded)\nmain()\n")
    page = os.path.join(project, "content", "2022-23", "p7-growth-continued.yaml")
    warm = subprocess.run([sys.executable, "-m", "highlight", "build", "content/2022-23", "-o", str(tmp_path / "w.pdf"),
                           "-q"], cwd=project, capture_output=True, text=True)  # (this code's caches, as a user has)
    assert warm.returncode == 0, warm.stderr[-2000:]
    with open(page, encoding="utf-8") as f:
        text = f.read()
    with open(page, "w", encoding="utf-8") as f:
        f.write(text.replace("officially opened", "ceremonially opened", 1))
    run = subprocess.run([sys.executable, "-c", code, str(tmp_path / "e.pdf")], cwd=project, capture_output=True,
                         text=True)
    assert run.returncode == 0 and run.stdout.strip() == "[] False" and not run.stderr, (run.stdout, run.stderr[-2000:])



def _prints_ok(code: str) -> None:
    """`code` run in a new interpreter in the project exits 0 having printed "ok" (its stderr shown otherwise)."""
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr[-2000:]

def test_reportlabs_rltempfile_is_the_real_module_when_used():
    """render.py leaves a stand-in for ReportLab's rltempfile until it draws: ReportLab imports without tempfile,
    and its two functions, called, import the real module and give what it gives."""
    code = ("import sys\nfrom highlight.render import _tempfile_when_used\n_tempfile_when_used()\n"
            "from reportlab.lib import utils\nfrom reportlab.pdfgen.canvas import Canvas\n"
            "assert 'tempfile' not in sys.modules and 'shutil' not in sys.modules\nimport importlib.util\n"
            "assert importlib.util.find_spec('reportlab.lib.rltempfile').origin.endswith('rltempfile.py')\n"
            "import tempfile, os\nwant = os.path.join(tempfile.gettempdir(), f'ReportLab_tmp{os.getuid()}', 'x.pdf')\n"
            "assert utils.get_rl_tempfile('x.pdf') == want, utils.get_rl_tempfile('x.pdf')\n"
            "real = sys.modules['reportlab.lib.rltempfile']\nassert real._rl_getuid() == os.getuid()\n"
            "assert real.get_rl_tempdir() == os.path.dirname(want)\nprint('ok')\n")
    _prints_ok(code)


def test_inspect_imported_after_highlight_is_the_real_module_when_used():
    """highlight/__init__ leaves a stand-in for `inspect` until a name of it is read: then the name is the real
    module's, the stand-in holds every name the real one has, and sys.modules holds the real one."""
    code = ("import importlib.util, sys, highlight\nimport inspect\nassert 'dis' not in sys.modules\nstand_in = inspect\n"
            "assert importlib.util.find_spec('inspect').origin.endswith('inspect.py') and 'dis' not in sys.modules\n"
            "from inspect import signature\nreal = sys.modules['inspect']\n"
            "assert real is not stand_in and signature is real.signature and stand_in.isclass is real.isclass\n"
            "assert str(inspect.signature(lambda a, b=2: 0)) == '(a, b=2)' and inspect.getmodule(real) is real\n"
            "assert not hasattr(stand_in, '__wrapped__') and stand_in.__file__ == real.__file__\nprint('ok')\n")
    _prints_ok(code)


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
    header = f"highlight-dataclass-code/2 {sys.version}\n".encode()
    assert data.startswith(header)
    generation, entries = marshal.loads(data[len(header):])
    assert generation == 1 and len(entries) > 100 and all(text.startswith("def __create_fn__(") for text in entries)
    assert all(compile(text, "<string>", "exec", dont_inherit=True) == code and used == 1
               for text, (code, used) in entries.items())
    counting = ("import builtins\ncalls = []\nreal = builtins.compile\n"  # (texts dataclasses writes)
                "builtins.compile = lambda *a, **k: calls.append(str(a[0]).startswith('def __create_fn__(')) "
                "or real(*a, **k)\n" + _USE_CLASSES + "print(sum(calls))\n")
    second = subprocess.run([sys.executable, "-c", counting, str(tmp_path)], env=env, cwd=tmp_path,
                            capture_output=True, text=True)
    assert second.returncode == 0 and second.stdout.strip() == "0", (second.stdout, second.stderr[-2000:])


# (inspect.signature's calls for highlight's classes, but those whose defaults show a set: its repr, so the
# docstring, is in another order in each process, and is not kept)
_DOCS = ("import dataclasses, hashlib, inspect, sys\ncalls = []\nreal = inspect.signature\n"
         "def spy(c, *a, **k):\n    init = vars(c).get('__init__')\n"
         "    calls.append(str(getattr(c, '__module__', '')).startswith('highlight.') and "
         "'{' not in repr((getattr(init, '__defaults__', None), getattr(init, '__kwdefaults__', None))))\n"
         "    return real(c, *a, **k)\n"
         "inspect.signature = spy\n" + _USE_CLASSES +
         "import highlight.render, highlight.tags, highlight.preflight, highlight.cli\n"
         "docs = sorted((c.__module__, c.__qualname__, c.__doc__) for m in list(sys.modules.values()) "
         "if getattr(m, '__name__', '').startswith('highlight.') for c in vars(m).values() "
         "if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == m.__name__)\n"
         "print(sum(calls), len(docs), hashlib.sha256(repr(docs).encode()).hexdigest())\n")


def test_the_docstrings_dataclasses_writes_are_kept_and_are_what_inspect_gives(tmp_path):
    """A highlight dataclass without a docstring gets `Name(signature)` from dataclasses, which calls
    inspect.signature: 6 ms a process for fifty-odd classes. highlight/__init__ keeps each signature's text in
    __pycache__/dataclass-signatures.<tag>.marshal: a second process calls inspect.signature for none of them and
    every class has the very docstring the first computed; a damaged file is a miss. Fails on the code before
    (inspect.signature called in every process)."""
    kept, env = _package_copy(tmp_path)
    env["PYTHONHASHSEED"] = "0"  # (so that a set shown in a docstring is shown alike by every process)
    signatures = kept.parent / kept.name.replace("dataclass-code", "dataclass-signatures")
    runs = []
    for damage in (None, None, b"garbage", None):
        if damage is not None:
            signatures.write_bytes(damage)
        run = subprocess.run([sys.executable, "-c", _DOCS, str(tmp_path)], env=env, cwd=tmp_path,
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stderr[-2000:]
        runs.append(run.stdout.split())
    computed, read, after_damage, again = runs
    assert int(computed[0]) > 40 and int(computed[1]) > 80  # (the classes without a docstring of their own)
    assert read[0] == "0" and read[1:] == computed[1:]  # none computed, every docstring the same
    assert after_damage == computed and again == read


def test_a_damaged_or_foreign_file_of_kept_dataclass_code_is_a_miss_and_written_afresh(tmp_path):
    import marshal

    kept, env = _package_copy(tmp_path)
    header = f"highlight-dataclass-code/2 {sys.version}\n".encode()
    kept.parent.mkdir(parents=True, exist_ok=True)
    for damaged in (b"garbage", header + b"\x00\x01truncated", b"highlight-dataclass-code/2 2.7\n" + marshal.dumps((1, {})),
                    header + marshal.dumps({"def __create_fn__(": 1}), header + marshal.dumps([1, 2]),
                    header + marshal.dumps((1, {"def __create_fn__(": 1})),
                    header + marshal.dumps((1, {"def __create_fn__(": (1, 1)}))):
        kept.write_bytes(damaged)
        run = subprocess.run([sys.executable, "-c", _USE_CLASSES, str(tmp_path)], env=env, cwd=tmp_path,
                             capture_output=True, text=True)
        assert run.returncode == 0, (damaged, run.stderr[-2000:])
        data = kept.read_bytes()
        assert data.startswith(header) and len(marshal.loads(data[len(header):])[1]) > 100, damaged


def test_kept_dataclass_code_no_process_used_in_the_last_sixteen_saves_goes(tmp_path):
    """A copy of the package that lives through many versions of its classes (a checkout, a worktree) keeps only
    what recent processes used: each version's texts are other keys, and a file that kept every one grew to 1.2 MB
    read at every start. Stamped as the kept patterns are; fails on the code before (kept up to 4,000 texts)."""
    import marshal

    kept, env = _package_copy(tmp_path)
    header = f"highlight-dataclass-code/2 {sys.version}\n".encode()
    kept.parent.mkdir(parents=True, exist_ok=True)
    old_code = compile("def __create_fn__(): pass", "<string>", "exec", dont_inherit=True)
    kept.write_bytes(header + marshal.dumps((100, {"def __create_fn__(old)": (old_code, 85),
                                                   "def __create_fn__(recent)": (old_code, 86)})))
    run = subprocess.run([sys.executable, "-c", _USE_CLASSES, str(tmp_path)], env=env, cwd=tmp_path,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    generation, entries = marshal.loads(kept.read_bytes()[len(header):])
    assert generation == 101 and "def __create_fn__(old)" not in entries
    assert entries["def __create_fn__(recent)"] == (old_code, 86) and len(entries) > 100


_USE_PATTERNS = ("import highlight, re, sys\nassert highlight.__file__.startswith(sys.argv[1]), highlight.__file__\n"
                 "import highlight.content, highlight.parity\n"  # (their module-level patterns)
                 "m = re.compile(r'(?P<year>\\d{4})-(?P<month>\\d\\d)(x)?', re.I).match('2023-04X')\n"
                 "assert m['year'] == '2023' and m['month'] == '04' and m.group(3) == 'X' and m.re.groups == 3\n"
                 "assert re.compile(br'\\xff+').fullmatch(b'\\xff\\xff') and re.compile('(?m)^b$').search('a\\nb')\n"
                 "assert re.compile('(?x) a b  # c').pattern == '(?x) a b  # c' and re.match('(?x) a b', 'ab')\n"
                 "assert re.compile('a', re.M).flags == re.compile('(?m)a').flags == re.M | re.U\n")


def _kept_patterns(tmp_path):
    kept, env = _package_copy(tmp_path)
    return kept.with_name(f"regex-code.{sys.implementation.cache_tag}.marshal"), env


def test_regular_expressions_are_compiled_once_and_kept_as_re_compiles_them(tmp_path):
    """highlight/__init__ keeps what re's compiler makes of each pattern (118 patterns, 34 ms of a build after an
    edit) in __pycache__: a second process parses none of the patterns the first used, its patterns match as
    compiled ones do (groups, names, flags, bytes), and each kept entry makes a Pattern equal to re's own."""
    kept, env = _kept_patterns(tmp_path)
    first = subprocess.run([sys.executable, "-c", _USE_PATTERNS, str(tmp_path)], env=env, cwd=tmp_path,
                           capture_output=True, text=True)
    assert first.returncode == 0, first.stderr[-2000:]
    compare = ("import marshal, re, sys, _sre\nfrom re import _compiler\ndata = open(sys.argv[1], 'rb').read()\n"
               "generation, entries = marshal.loads(data[data.index(b'\\n') + 1:])\n"
               "assert generation == 1 and len(entries) > 20, len(entries)\n"
               "for (pattern, flags), (entry, used) in entries.items():\n"
               "    mine, theirs = _sre.compile(pattern, *entry), _compiler.compile(pattern, flags)\n"
               "    assert (mine, mine.flags, mine.groups, mine.groupindex) == "
               "(theirs, theirs.flags, theirs.groups, theirs.groupindex), pattern\n"
               "assert ('(?P<year>\\\\d{4})-(?P<month>\\\\d\\\\d)(x)?', int(re.I)) in entries\n")
    checked = subprocess.run([sys.executable, "-c", compare, str(kept)], cwd=tmp_path, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr[-2000:]  # (a process without highlight: re's own compiler)
    counting = ("import re._parser as parser, re._compiler as compiler\ncalls = []\nreal = parser.parse\n"
                "hooked = lambda: compiler.compile.__name__ == 'compile_kept'\n"  # (patterns of the imports before
                "parser.parse = lambda *a, **k: hooked() and calls.append(a[0]) or real(*a, **k)\n"  # the hook: re's)
                + _USE_PATTERNS + "print(len(calls), calls)\n")
    second = subprocess.run([sys.executable, "-c", counting, str(tmp_path)], env=env, cwd=tmp_path,
                            capture_output=True, text=True)
    assert second.returncode == 0 and second.stdout.strip() == "0 []", (second.stdout, second.stderr[-2000:])


def test_a_damaged_or_foreign_file_of_kept_patterns_or_a_bad_entry_is_a_miss_and_written_afresh(tmp_path):
    import _sre
    import marshal

    kept, env = _kept_patterns(tmp_path)
    header = f"highlight-regex-code/2 {sys.version} {_sre.MAGIC} {_sre.CODESIZE}\n".encode()
    key = ("(?P<year>\\d{4})-(?P<month>\\d\\d)(x)?", 2)  # (re.I)
    kept.parent.mkdir(parents=True, exist_ok=True)
    for damaged in (b"garbage", header + b"\x00\x01truncated", b"highlight-regex-code/2 2.7 1 4\n" + marshal.dumps((1, {})),
                    header + marshal.dumps([1, 2]), header + marshal.dumps((1, [])), header + marshal.dumps({key: 1}),
                    header + marshal.dumps((1, {key: 1})), header + marshal.dumps((1, {key: ((2, [], 2, {}, ()),)})),
                    header + marshal.dumps((1, {key: ((2, [1, 2, 3], 2, {}, ()), 1)})),  # code the matcher refuses
                    header + marshal.dumps((1, {key: ((2, [], 2, {"year": 1}, (None, "year"), "more"), 1)}))):
        kept.write_bytes(damaged)
        run = subprocess.run([sys.executable, "-c", _USE_PATTERNS, str(tmp_path)], env=env, cwd=tmp_path,
                             capture_output=True, text=True)
        assert run.returncode == 0, (damaged, run.stderr[-2000:])
        data = kept.read_bytes()
        assert data.startswith(header), damaged
        generation, entries = marshal.loads(data[len(header):])
        assert len(entries) > 20 and len(entries[key][0]) == 5, damaged
        assert entries[key][0][3] == {"year": 1, "month": 2} and entries[key][1] == generation, damaged


def test_a_kept_pattern_no_process_used_in_the_last_sixteen_saves_goes(tmp_path):
    """ReportLab's rl_safe_eval writes one pattern in a new order in every process: such entries do not pile up.
    A save is a generation; the entries this process used are stamped with it, and those last used sixteen or
    more generations before go, the others stay."""
    import _sre
    import marshal
    import re

    kept, env = _kept_patterns(tmp_path)
    header = f"highlight-regex-code/2 {sys.version} {_sre.MAGIC} {_sre.CODESIZE}\n".encode()
    kept.parent.mkdir(parents=True, exist_ok=True)
    from re import _compiler, _parser  # type: ignore[attr-defined]

    entry = (32, [int(c) for c in _compiler._code(_parser.parse("x", 32), 32)], 0, {}, ())  # what re makes of 'x'
    assert _sre.compile("x", *entry) == re.compile("x")
    kept.write_bytes(header + marshal.dumps((100, {("old", 32): (entry, 85), ("recent", 32): (entry, 86)})))
    run = subprocess.run([sys.executable, "-c", _USE_PATTERNS, str(tmp_path)], env=env, cwd=tmp_path,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    generation, entries = marshal.loads(kept.read_bytes()[len(header):])
    assert generation == 101 and ("old", 32) not in entries and entries[("recent", 32)] == (entry, 86)
    assert len(entries) > 20 and all(used == 101 for key, (_, used) in entries.items() if key != ("recent", 32))


def test_a_build_command_loads_pillow_only_when_a_picture_needs_it_with_the_same_pdf(tmp_path):
    """ReportLab imports PIL.Image on import (6-8 ms); `highlight build` (its own command line) gives it a module
    that runs when first used: a leaflet with no picture to convert never runs it, one with pictures does, and
    both PDFs are byte for byte those of a build that imported Pillow whole (main() given its arguments)."""
    import os
    import shutil

    from conftest import copy_project

    project = copy_project(tmp_path, ("layout", "fonts", "profiles", os.path.join("content", "2022-23")), cache=False)
    shutil.copytree(os.path.join(ROOT, "tests", "fixtures", "edition-b"), os.path.join(project, "content", "b"))
    os.makedirs(os.path.join(project, ".cache"))
    for name in ("fonts", "profiles"):
        os.symlink(os.path.join(ROOT, ".cache", name), os.path.join(project, ".cache", name))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    own = ("import atexit, sys\n"
           "atexit.register(lambda: print(type(sys.modules.get('PIL.Image')).__name__))\n"
           "from highlight.cli import main\n"
           "sys.argv = ['highlight', 'build', sys.argv[1], '-o', sys.argv[2], '-q']\n"
           "sys.exit(main())\n")
    given = ("import sys\nfrom highlight.cli import main\n"
             "sys.exit(main(['build', sys.argv[1], '-o', sys.argv[2], '-q']))\n")
    for edition, pictures in (("content/2022-23", False), ("content/b", True)):
        pdfs = []
        for code in (own, given):
            shutil.rmtree(os.path.join(project, ".cache", "output"), ignore_errors=True)  # (drawn, not kept)
            pdfs.append(tmp_path / f"{len(pdfs)}.pdf")
            run = subprocess.run([sys.executable, "-c", code, edition, str(pdfs[-1])], cwd=project, env=env,
                                 capture_output=True, text=True)
            assert run.returncode in (0, 1) and pdfs[-1].exists(), run.stderr[-2000:]
            if code is own:
                assert run.stdout.split()[-1] == ("module" if pictures else "_LazyModule"), (edition, run.stdout)
        assert pdfs[0].read_bytes() == pdfs[1].read_bytes(), edition


def test_a_build_process_runs_without_the_cyclic_collector_and_other_commands_keep_it(tmp_path):
    """`highlight build` (its own process: `python -m highlight` and the `highlight` script alike) makes one
    document and exits: the cyclic collector is off from the package's import on (15-80 ms of a build after an
    edit, 0.6-0.8 s of the 200-page edition, freeing next to nothing); `check`, `watch`, `serve` and a caller of
    main(argv) keep it. Fails on the code before (the collector on in every process)."""
    import gc
    import os

    from conftest import copy_project

    from highlight.cli import main

    project = copy_project(tmp_path / "p")
    code = ("import atexit, gc, runpy, sys\n"  # (at exit: a build process ends without returning here)
            "atexit.register(lambda: print(gc.isenabled()))\nsys.argv = ['highlight'] + sys.argv[1:]\n"
            "runpy.run_module('highlight', run_name='__main__')\n")
    states = {}
    for command in (["build", "content/2022-23", "-o", str(tmp_path / "a.pdf"), "-q"], ["check", "content/2022-23"]):
        run = subprocess.run([sys.executable, "-c", code, *command], cwd=project, capture_output=True, text=True)
        states[command[0]] = run.stdout.strip().splitlines()[-1]
    assert states == {"build": "False", "check": "True"}
    assert (tmp_path / "a.pdf").exists()
    main(["build", os.path.join(project, "content", "2022-23"), "-o", str(tmp_path / "b.pdf"), "-q"])
    assert gc.isenabled()


def test_a_build_after_an_edit_writes_no_kept_code_at_exit(tmp_path):
    """Once the kept patterns, dataclass code and signatures hold what a build uses, a build after a one-word
    edit writes none of the three files at exit: ReportLab's rl_safe_eval pattern, built from a set in a new
    order in every process, is compiled and not kept (kept, it made every build process rewrite regex-code at
    exit, 3 ms). Fails on the code before (regex-code rewritten by every process)."""
    import os
    import re

    from conftest import copy_project

    kept, env = _package_copy(tmp_path / "pkg")
    env.pop("PYTHONHASHSEED", None)  # (each process its own set order, as on a user's machine)
    project = copy_project(tmp_path / "p")
    page = os.path.join(project, "content", "2022-23", "p7-growth-continued.yaml")
    files = [kept.with_name(f"{stem}.{sys.implementation.cache_tag}.marshal")
             for stem in ("regex-code", "dataclass-code", "dataclass-signatures")]

    def build() -> None:  # after a word no store holds (a paragraph set afresh: the setter's patterns used)
        import random

        with open(page, encoding="utf-8") as f:
            text = f.read()
        word = "".join(random.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(12))
        with open(page, "w", encoding="utf-8") as f:
            f.write(re.sub(r"HKUST\(GZ\) [a-z]+ opened", f"HKUST(GZ) {word} opened", text, count=1))
        run = subprocess.run([sys.executable, "-m", "highlight", "build", "content/2022-23", "-o",
                              str(tmp_path / "out.pdf"), "-q"], cwd=project, env=env, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr[-2000:]

    build()  # (the first process keeps what it compiled)
    build()
    before = [f.read_bytes() for f in files]
    build()
    assert [f.read_bytes() for f in files] == before


def test_a_build_process_ends_without_the_interpreters_teardown_and_other_commands_keep_it(tmp_path):
    """`python -m highlight build` and the `highlight` script (main() without arguments) end once the build is
    done: the atexit handlers run and what was printed is flushed, then the process exits with the build's code
    without the interpreter's teardown (freeing every object one by one and collecting their cycles: 4 % of a
    build after an edit). An object still alive at the end is not finalised there; under `check` (and for a
    caller of main(argv)) it is, as before. Fails on the code before (every process torn down)."""
    from conftest import copy_project

    project = copy_project(tmp_path / "p")
    probe = ("import atexit, runpy, sys\n"
             "class Alive:\n    def __del__(self):\n        print('finalised', flush=True)\n"
             "alive = Alive()\n"
             "atexit.register(lambda: print('atexit ran'))\n"
             "print('started')  # (left in the buffer: a pipe's stdout is flushed at the end)\n"
             "sys.argv = ['highlight'] + sys.argv[1:]\n")
    module = probe + "runpy.run_module('highlight', run_name='__main__')\n"  # python -m highlight
    script = probe + "from highlight.cli import main\nsys.exit(main())\n"  # what pip's `highlight` script runs
    seen = []
    for code, command in ((module, ["build", "content/2022-23", "-q"]), (module, ["check", "content/2022-23", "-q"]),
                          (script, ["build", "content/2022-23", "-q", "-o", "out/b.pdf"]),
                          (script, ["check", "content/2022-23", "-q"])):  # (check: the PDF the first built)
        run = subprocess.run([sys.executable, "-c", code, *command], cwd=project, capture_output=True, text=True)
        seen.append((command[0], run.returncode, [line for line in run.stdout.splitlines()
                                                  if line in ("started", "atexit ran", "finalised")]))
    torn_down = ["started", "atexit ran", "finalised"]
    assert seen == [("build", 0, torn_down[:2]), ("check", 0, torn_down), ("build", 0, torn_down[:2]),
                    ("check", 0, torn_down)], seen
    # under a profiler (or a debugger, a tracer) the build returns, so the profiler writes its figures after it
    run = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(tmp_path / "build.prof"), "-m", "highlight",
                          "build", "content/2022-23", "-q", "-o", "out/c.pdf"], cwd=project, capture_output=True)
    assert run.returncode == 0 and (tmp_path / "build.prof").stat().st_size > 0, run.stderr[-2000:]
