"""highlight: typesets the bilingual Annual Highlights leaflet from YAML into a print-ready PDF.

read (content, layout_spec, fonts) → lay out (text, layout) → output (render, atomic); CONTRIBUTING.md has
the layers. The names below are re-exported lazily (PEP 562): `import highlight.diagnostics` loads that
module alone, not the pipeline and the renderer behind `highlight.build`. The pipeline's entry point is
`highlight.build.build`: the name `highlight.build` is its module's (re-exported lazily, a function of that
name would be the module or the function depending on what was imported first).
"""
from __future__ import annotations

import importlib

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 2.4 ms of every process, issue 28)
if TYPE_CHECKING:
    from typing import Any

    from .build import BuildOptions, BuildResult
    from .content import Edition, load_edition
    from .diagnostics import BuildFailed, Diagnostic, Diagnostics, Severity, SourceRef
    from .layout_spec import Layout, load_layout

_EXPORTS = {
    "BuildFailed": "diagnostics",
    "BuildOptions": "build",
    "BuildResult": "build",
    "Diagnostic": "diagnostics",
    "Diagnostics": "diagnostics",
    "Edition": "content",
    "Layout": "layout_spec",
    "Severity": "diagnostics",
    "SourceRef": "diagnostics",
    "load_edition": "content",
    "load_layout": "layout_spec",
}
__all__ = [
    "BuildFailed",
    "BuildOptions",
    "BuildResult",
    "Diagnostic",
    "Diagnostics",
    "Edition",
    "Layout",
    "Severity",
    "SourceRef",
    "load_edition",
    "load_layout",
]
__version__ = "0.1.0"


def _kept_marshal(stem: str, header: bytes, keep_generations: int = 16):
    """The reader and writer of __pycache__/<stem>.<tag>.marshal: (generation, {key: (value, last used)}) under a
    header naming what wrote it. read() is {key: value}, {} for a missing, damaged or foreign file (only a miss);
    write(used) is one save, a generation: the entries this process used are stamped with it, and those no process
    used in the last `keep_generations` saves go, so a copy that lives through many versions of the code does not
    grow (each version's texts are other keys). The file is replaced whole; a read-only package loses only
    start-up time."""
    import marshal
    import os
    import sys

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "__pycache__",
                        f"{stem}.{sys.implementation.cache_tag}.marshal")

    def read_all() -> tuple[int, dict]:
        try:
            with open(path, "rb") as f:
                data = f.read()
            if data.startswith(header):
                loaded = marshal.loads(memoryview(data)[len(header):])
                if type(loaded) is tuple and len(loaded) == 2 and type(loaded[0]) is int \
                        and type(loaded[1]) is dict:
                    return loaded[0], {key: kept for key, kept in loaded[1].items()
                                       if type(kept) is tuple and len(kept) == 2 and type(kept[1]) is int}
        except (OSError, ValueError, EOFError, TypeError):
            pass
        return 0, {}

    def read() -> dict:
        return {key: value for key, (value, _) in read_all()[1].items()}

    def write(used: dict) -> None:
        try:
            generation, everything = read_all()
            generation += 1
            everything = {key: kept for key, kept in everything.items() if kept[1] > generation - keep_generations}
            everything.update((key, (value, generation)) for key, value in used.items())
            tmp = f"{path}.{os.getpid()}.tmp"
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(tmp, "wb") as f:
                f.write(header + marshal.dumps((generation, everything)))
            os.replace(tmp, path)
        except (OSError, ValueError):  # a read-only package, or a value marshal cannot write: time lost only
            return

    return read, write


def _keep_dataclass_code() -> None:
    """Compile the methods `dataclasses` writes for highlight's classes once, not in every process.

    `@dataclass` writes each class's __init__, __repr__, __eq__, __hash__, __setattr__ … as source text and
    exec()s it: for highlight's ninety classes that is 40 ms of compiling in every process, half of the start-up
    of a warm build (issue 28). Like Python's own bytecode cache, __pycache__/dataclass-code.<tag>.marshal keeps
    the compiled code of each such text, keyed by the whole text (a changed class is another text), under a
    header naming the Python that wrote it; a missing, damaged or foreign file is only a miss. Only texts
    exec()d for modules of this package are kept; written at exit when a text was new, unless
    PYTHONDONTWRITEBYTECODE (Python's own switch) says not to."""
    import builtins
    import dataclasses
    import sys

    read, write = _kept_marshal("dataclass-code", f"highlight-dataclass-code/2 {sys.version}\n".encode())
    kept = read()
    used: dict = {}  # the texts this process exec()d, found or compiled (their code lives on in the methods)
    new: list = []
    real_exec = builtins.exec

    def exec_kept(source, globals=None, locals=None, /):
        if type(source) is str and type(globals) is dict and str(globals.get("__name__", "")).startswith("highlight."):
            code = kept.pop(source, None)  # (each is used once)
            if type(code) is not type(_keep_dataclass_code.__code__):
                # as exec() compiles a text: dataclasses.py has no __future__ import, nor does this code then
                code = compile(source, "<string>", "exec", dont_inherit=True)
                new.append(source)
            used[source] = code
            return real_exec(code, globals, locals)
        return real_exec(source, globals, locals)

    def save() -> None:
        if new:
            write(used)

    dataclasses.exec = exec_kept  # type: ignore[attr-defined]  # the name dataclasses' _create_fn calls
    if not sys.dont_write_bytecode:
        import atexit

        atexit.register(save)


def _keep_dataclass_signatures() -> None:
    """Write the docstring `dataclasses` gives a class without one (its name and signature) once, not in every
    process: inspect.signature for highlight's fifty-odd such classes is 6 ms of every process (issue 28).

    dataclasses sets `cls.__doc__ = cls.__name__ + str(inspect.signature(cls))`. The signature is a function of
    the __init__ dataclasses wrote: its parameter names and kinds, annotations and defaults. Like the code above,
    __pycache__/dataclass-signatures.<tag>.marshal keeps each class's signature text under a key naming the class
    and all of those (the defaults by their repr, as the signature shows them); only for a class whose signature
    is its own __init__'s (no metaclass, no __new__ or __signature__ of its own or its bases') and whose defaults
    show no set or dict (a set's repr, so the docstring, differs between processes). A key not kept,
    a damaged or foreign file, is inspect.signature as before; written at exit when one was new, unless
    PYTHONDONTWRITEBYTECODE says not to."""
    import dataclasses
    import inspect
    import sys

    read, write = _kept_marshal("dataclass-signatures", f"highlight-dataclass-signatures/2 {sys.version}\n".encode())
    kept = read()
    used: dict = {}
    new: list = []

    def key_of(cls):
        """The key of a highlight class whose signature is its own __init__'s, else None."""
        init = cls.__dict__.get("__init__")
        # (the class's and its bases' own names, as dir(cls) lists them: dir() sorted a hundred names a class)
        if not (str(getattr(cls, "__module__", "")).startswith("highlight.") and type(cls) is type
                and type(init) is type(key_of) and not any("__signature__" in vars(base) for base in cls.__mro__)
                and all("__new__" not in vars(base) for base in cls.__mro__[:-1])):
            return None
        code, defaults = init.__code__, repr((init.__defaults__, init.__kwdefaults__))
        if "{" in defaults:  # (a set's repr is in another order in each process: so is the docstring then)
            return None
        return (cls.__module__, cls.__qualname__, code.co_varnames[:code.co_argcount + code.co_kwonlyargcount],
                code.co_argcount, code.co_kwonlyargcount, code.co_flags, defaults, repr(init.__annotations__))

    class Signatures:  # (dataclasses calls inspect.signature only for these docstrings)
        def __getattr__(self, name):
            return getattr(inspect, name)

        @staticmethod
        def signature(obj, *args, **kwargs):
            key = key_of(obj) if not (args or kwargs) else None
            if key is None:
                return inspect.signature(obj, *args, **kwargs)
            text = kept.pop(key, None)  # (each is used once)
            if type(text) is not str:
                text = str(inspect.signature(obj))
                new.append(key)
            used[key] = text
            return text

    def save() -> None:
        if new:
            write(used)

    dataclasses.inspect = Signatures()  # type: ignore[attr-defined]  # the name dataclasses' _process_class calls
    if not sys.dont_write_bytecode:
        import atexit

        atexit.register(save)


def _keep_regex_code() -> None:
    """Compile each regular expression once, not in every process: what re's compiler makes of a pattern kept.

    Python compiles every pattern a process uses afresh (parse, then the matcher's code): in a build after a
    one-word edit, 118 patterns and 34 ms of a 300 ms process (highlight's own normalising, parity and line
    breaking rules, YAML's reader and resolver, pikepdf's metadata; issue 28). Like the dataclass code above,
    __pycache__/regex-code.<tag>.marshal keeps, for each (pattern, flags), what re._compiler.compile hands to
    _sre.compile (the matcher's code, the flags, the groups and their names), under a header naming the Python
    and the matcher's version that wrote it: `re` makes the same Pattern from them (Patterns are equal when
    pattern, flags and code are). A missing, damaged or foreign file, an entry not of the shape written, or code
    the matcher refuses is a miss (compiled afresh). Written at exit when a pattern was new, unless
    PYTHONDONTWRITEBYTECODE says not to; each save is a generation, and an entry no process used in the last
    sixteen saves goes (_kept_marshal). ReportLab's rl_safe_eval writes a pattern in a new order in every process: it is
    compiled and not kept (kept, it was new in every process, and every build wrote the file at exit). re.DEBUG
    compiles (which print the code) are left to `re`."""
    import sys

    try:  # (re's private modules: typeshed describes neither)
        _sre, _compiler, _parser = (importlib.import_module(m) for m in ("_sre", "re._compiler", "re._parser"))
    except ImportError:  # (a Python whose `re` is built otherwise: left as it is)
        return
    real_compile = _compiler.compile
    read, write = _kept_marshal("regex-code", f"highlight-regex-code/2 {sys.version} {_sre.MAGIC} {_sre.CODESIZE}\n"
                                .encode())
    kept = read()
    used: dict = {}  # the entries this process used, found or compiled
    new: list = []
    unkept = ("reportlab.lib.rl_safe_eval",)  # modules whose patterns differ in every process: compiled, not kept

    def caller_unkept() -> bool:
        """Whether the pattern being compiled comes from one of `unkept` (the first caller outside `re`)."""
        frame: Any = sys._getframe(2)
        for _ in range(8):
            if frame is None:
                return False
            name = frame.f_globals.get("__name__", "")
            if name != "re" and not name.startswith("re."):
                return name in unkept
            frame = frame.f_back
        return False

    def compile_kept(p, flags=0):
        if type(p) not in (str, bytes) or flags & _compiler.SRE_FLAG_DEBUG:
            return real_compile(p, flags)
        key = (p, int(flags))
        entry = kept.get(key)
        if type(entry) is tuple and len(entry) == 5 and type(entry[0]) is int and type(entry[1]) is list \
                and type(entry[2]) is int and type(entry[3]) is dict and type(entry[4]) is tuple:
            try:
                compiled = _sre.compile(p, *entry)
                used[key] = entry
                return compiled
            except (RuntimeError, TypeError, ValueError, OverflowError):  # code the matcher refuses: a miss
                pass
        if caller_unkept():  # (ReportLab's pattern from a set, in a new order in every process: kept, it made
            return real_compile(p, flags)  # every build process write the file at exit, 3 ms, for one new entry)
        # as re._compiler.compile does, keeping what it hands to _sre.compile
        parsed = _parser.parse(p, flags)
        code = [int(c) for c in _compiler._code(parsed, flags)]  # (its opcodes are an int subclass marshal refuses)
        indexgroup: list = [None] * parsed.state.groups
        for name, index in parsed.state.groupdict.items():
            indexgroup[index] = name
        entry = (int(flags | parsed.state.flags), code, parsed.state.groups - 1, dict(parsed.state.groupdict),
                 tuple(indexgroup))
        used[key] = kept[key] = entry
        new.append(key)
        return _sre.compile(p, *entry)

    def save() -> None:
        if new:
            write(used)

    _compiler.compile = compile_kept  # type: ignore[attr-defined]  # the name re._compile calls
    if not sys.dont_write_bytecode:
        import atexit

        atexit.register(save)


def _inspect_when_used() -> None:
    """`dataclasses` imports `inspect` (with dis, opcode, tokenize and linecache: 4 ms of every process, issue 28)
    only to write a class's docstring from its signature, which _keep_dataclass_signatures keeps: until a name of
    it is read, `inspect` is a stand-in module that imports the real one then and takes its names (so a module
    that imported the stand-in reads the real functions), and leaves the real one in sys.modules. importlib's
    LazyLoader cannot serve here: in 3.11 an `import inspect` reads the module's __spec__, which loads it."""
    import importlib.util
    import sys
    import types

    if "inspect" in sys.modules:
        return
    stand_in = types.ModuleType("inspect", "inspect, imported when first used (highlight/__init__.py)")
    try:  # (the real module's spec, as importlib.util.find_spec("inspect") finds it)
        stand_in.__spec__ = importlib.util.find_spec("inspect")
    except (ImportError, ValueError):
        return

    def load(name: str):
        if name.startswith("__") and name not in ("__all__", "__file__", "__path__", "__loader__"):
            raise AttributeError(name)  # (a probe of a dunder, hasattr(module, "__wrapped__"): not a use)
        if sys.modules.get("inspect") is stand_in:
            del sys.modules["inspect"]
        real = importlib.import_module("inspect")
        vars(stand_in).update(vars(real))
        return getattr(real, name)

    stand_in.__getattr__ = load  # type: ignore[method-assign]  # (PEP 562: names it does not hold yet)
    sys.modules["inspect"] = stand_in


_keep_regex_code()  # (first: dataclasses and inspect compile patterns when imported)
_inspect_when_used()
_keep_dataclass_code()
_keep_dataclass_signatures()


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'highlight' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # found once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
