"""Hostile clients of `highlight serve` (issue 27, point 6): a client that disconnects mid-answer, a slow
client, oversized requests and too many connections are handled quietly, with bounded memory and threads.

The server runs in this process (make_server, no build: the HTTP side alone), so what it prints is
captured and its threads counted.
"""
from __future__ import annotations

import socket
import struct
import threading
import time

import pytest
from conftest import PAGE, make_edition

from highlight import serve as serve_module
from highlight.serve import ServeOptions, make_server


@pytest.fixture
def server(tmp_path, monkeypatch):
    """(host, port, project) of a running server; `limits` set before it is made."""
    def start(**limits):
        for name, value in limits.items():
            monkeypatch.setattr(serve_module, name, value, raising=False)
        edition = make_edition(tmp_path, PAGE)
        (tmp_path / "out").mkdir()
        (tmp_path / "out" / "big.pdf").write_bytes(b"%PDF-" + b"x" * (16 * 2**20))
        httpd, live = make_server(ServeOptions(edition, port=0))
        thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        started.append((httpd, live))
        return httpd.server_address[:2]

    started: list = []
    yield start
    for httpd, live in started:
        live.stopping.set()
        httpd.shutdown()
        httpd.server_close()


def _ask(address, request: bytes, timeout: float = 5) -> bytes:
    with socket.create_connection(address, timeout=timeout) as s:
        s.sendall(request)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
        return answer


def _alive(address) -> None:
    answer = _ask(address, b"GET /api/state HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert answer.startswith(b"HTTP/1.0 200"), answer[:200]


def test_a_client_that_disconnects_mid_answer_prints_nothing(server, capfd):
    address = server()
    for _ in range(3):
        s = socket.create_connection(address, timeout=5)
        s.sendall(b"GET /out/big.pdf HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert s.recv(100).startswith(b"HTTP/1.0 200")
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, as a closed tab
        s.close()
    time.sleep(1.0)
    _alive(address)
    err = capfd.readouterr().err
    assert "Traceback" not in err and "BrokenPipeError" not in err and "ConnectionResetError" not in err, err
    assert err == "", err  # an ordinary event: nothing to say


def test_a_slow_client_is_closed_and_others_are_served(server, capfd):
    address = server(REQUEST_SECONDS=0.5)
    slow = socket.create_connection(address, timeout=4)
    started = time.monotonic()
    closed = False
    try:
        for char in b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"y" * 40:
            _alive(address)  # served meanwhile
            slow.sendall(bytes([char]))
            time.sleep(0.1)
            if time.monotonic() - started > 3:
                break
    except OSError:  # reset by the server
        closed = True
    if not closed:
        try:
            closed = slow.recv(100) == b""
        except (TimeoutError, OSError) as error:
            closed = not isinstance(error, TimeoutError)
    slow.close()
    assert closed and time.monotonic() - started < 4
    assert "Traceback" not in capfd.readouterr().err


def test_oversized_headers_are_refused_with_431_and_the_server_goes_on(server, capfd):
    address = server()
    headers = b"".join(b"X-Pad-%d: %s\r\n" % (i, b"z" * 1000) for i in range(90))  # 90 kB: http.server takes it
    answer = _ask(address, b"GET /api/state HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + b"\r\n")
    assert answer.startswith(b"HTTP/1.0 431"), answer[:200]
    answer = _ask(address, b"GET /" + b"a" * 200_000 + b" HTTP/1.1\r\n\r\n")
    assert answer.startswith((b"HTTP/1.0 431", b"HTTP/1.0 414")), answer[:200]
    _alive(address)
    assert "Traceback" not in capfd.readouterr().err


def test_connections_beyond_the_limit_get_503_without_a_thread(server, capfd):
    before = threading.active_count()
    address = server(MAX_CLIENTS=4)
    idle = [socket.create_connection(address, timeout=3) for _ in range(4)]
    try:
        time.sleep(0.3)
        held = threading.active_count() - before
        extra = [socket.create_connection(address, timeout=3) for _ in range(8)]
        for s in extra:
            assert s.recv(100).startswith(b"HTTP/1.0 503"), "a connection beyond the limit was held"
            s.close()
        assert threading.active_count() - before <= held
    finally:
        for s in idle:
            s.close()
    time.sleep(0.3)
    _alive(address)
    assert "Traceback" not in capfd.readouterr().err


def test_a_large_file_is_streamed_not_held_whole_per_client(server):
    import tracemalloc

    address = server()
    tracemalloc.start()
    try:
        readers = []
        for _ in range(3):  # three clients that read the 16 MB PDF slowly
            s = socket.create_connection(address, timeout=5)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.sendall(b"GET /out/big.pdf HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert s.recv(100).startswith(b"HTTP/1.0 200")
            readers.append(s)
        time.sleep(0.5)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        for s in readers:
            s.close()
    assert peak < 4 * 2**20, f"{peak / 2**20:.0f} MiB held for three clients of a 16 MB file"
