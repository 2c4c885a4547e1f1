"""One wheel for Linux, macOS and Windows (issue 26, item 2): nothing POSIX-only at start-up, no POSIX-only
signal or probe where it does not exist, CRLF files and legacy console code pages."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import EDITION, ROOT, copy_project

# Run `highlight ARGS` with the POSIX-only modules of the standard library made unimportable, as on Windows.
WITHOUT_POSIX = """
import sys
POSIX_ONLY = {"fcntl", "termios", "resource", "pwd"}


class NotOnThisSystem:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in POSIX_ONLY:
            raise ModuleNotFoundError(f"No module named {name!r} (POSIX-only, made unimportable)")
        return None


for name in POSIX_ONLY:
    sys.modules.pop(name, None)
sys.meta_path.insert(0, NotOnThisSystem())
from highlight.cli import main
code = main(sys.argv[1:])
assert not POSIX_ONLY & set(sys.modules), POSIX_ONLY & set(sys.modules)
sys.exit(code)
"""


@pytest.mark.slow  # a whole build in a fresh process (the line store is not shared): several seconds
def test_a_build_succeeds_with_fcntl_termios_resource_and_pwd_unimportable(tmp_path):
    project = copy_project(tmp_path / "project")
    done = subprocess.run([sys.executable, "-c", WITHOUT_POSIX, "build", "content/2022-23", "-o", "out/x.pdf"],
                          cwd=project, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": ROOT})
    assert done.returncode == 0, done.stdout + done.stderr
    assert (project / "out" / "x.pdf").read_bytes().startswith(b"%PDF-")
    checked = subprocess.run([sys.executable, "-c", WITHOUT_POSIX, "preflight", "out/x.pdf"], cwd=project,
                             capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": ROOT})
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_on_windows_a_stale_temporary_file_is_probed_without_a_signal(monkeypatch):
    """On Windows os.kill(pid, 0) sends CTRL_C_EVENT to a console process group: the probe for a live writer
    of a temporary file must open the process instead, and never call os.kill."""
    import ctypes

    from highlight import atomic

    class Kernel32:
        def __init__(self):
            self.opened = []

        def OpenProcess(self, access, inherit, pid):
            self.opened.append(pid)
            return pid == 4242 and 7 or 0

        def GetLastError(self):
            return 87  # ERROR_INVALID_PARAMETER: no such process

        def GetExitCodeProcess(self, handle, code):
            code._obj.value = 259  # STILL_ACTIVE

        def CloseHandle(self, handle):
            return 1

    kernel32 = Kernel32()
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(ctypes, "windll", type("WinDLL", (), {"kernel32": kernel32})(), raising=False)

    def no_signals(pid, sig):
        raise AssertionError(f"os.kill({pid}, {sig}) on Windows")

    monkeypatch.setattr(atomic.os, "kill", no_signals)
    assert atomic._alive(4242) is True and atomic._alive(4243) is False
    assert kernel32.opened == [4242, 4243]


def _crlf_copy(folder, target) -> None:
    shutil.copytree(folder, target)
    for name in os.listdir(target):
        path = os.path.join(target, name)
        if name.endswith(".yaml"):
            with open(path, "rb") as f:
                data = f.read()
            with open(path, "wb") as f:
                f.write(data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))


def test_yaml_files_saved_with_crlf_give_the_same_pdf_and_the_same_places(tmp_path):
    """Files saved on Windows (CRLF line ends) read as the same content: the same PDF bytes, and every
    diagnostic at the same line and column."""
    from highlight.build import BuildOptions, build

    project = copy_project(tmp_path / "project", ("layout", "fonts", "profiles"))
    _crlf_copy(EDITION, project / "content" / "2022-23")
    shutil.rmtree(project / "layout")
    _crlf_copy(os.path.join(ROOT, "layout"), project / "layout")
    with open(project / "content" / "2022-23" / "p1-research-power.yaml", "rb") as f:
        assert f.read().count(b"\r\n") > 50
    crlf = build(BuildOptions(str(project / "content" / "2022-23"), str(tmp_path / "crlf.pdf")))
    lf = build(BuildOptions(EDITION, str(tmp_path / "lf.pdf")))

    def places(result) -> list:
        return [(os.path.basename(d.source.file), d.source.line, d.source.column, d.code, d.message)
                for d in result.diagnostics.items]

    assert places(crlf) == places(lf) and places(lf)
    assert (tmp_path / "crlf.pdf").read_bytes() == (tmp_path / "lf.pdf").read_bytes()


@pytest.mark.parametrize("encoding", ["cp1252", "cp950"])  # Windows' Western and Traditional Chinese code pages
def test_a_legacy_console_code_page_gets_a_build_and_its_messages(tmp_path, encoding):
    project = copy_project(tmp_path / "project", ("layout", "fonts", "profiles"))
    shutil.copytree(EDITION, project / "content" / "年報 2023")
    done = subprocess.run([sys.executable, "-m", "highlight", "build", "content/年報 2023", "-o", "out/x.pdf"],
                          cwd=project, capture_output=True, timeout=300,
                          env={**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": ROOT})
    assert done.returncode == 0, done.stderr
    printed = (done.stdout + done.stderr).decode(encoding)
    assert "Traceback" not in printed and "warning[qr-placeholder]" in printed
    assert ("年報 2023" if encoding == "cp950" else "\\u5e74\\u5831 2023") in printed


def test_the_next_command_is_quoted_for_the_shell_of_the_system(monkeypatch):
    """`highlight new` and `init` print the next command; a folder with a space is quoted so that the shell of
    the system reads it: single quotes for POSIX shells, double quotes on Windows (cmd takes '…' literally)."""
    from highlight import cli

    assert cli._quoted("content/年報 2023") == "'content/年報 2023'"
    monkeypatch.setattr(cli.os, "name", "nt")
    assert cli._quoted("content\\年報 2023") == '"content\\年報 2023"'
    assert cli._quoted("content\\2023-24") == "content\\2023-24"
