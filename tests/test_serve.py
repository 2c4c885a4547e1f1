"""`highlight serve`: live proofs in the browser (issue 17).

One server, started as a user starts it (`python -m highlight serve content/2022-23 --port 0`) on a copy of
the project, answers the JSON interface; the tests edit, break and mend the copy's YAML and watch the
revision move. A real headless Chromium (Debian's, driven by Playwright) clicks a line and sees a save.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from conftest import copy_project

EDITION = os.path.join("content", "2022-23")
P2 = os.path.join(EDITION, "p2-knowledge-transfer.yaml")
CHROMIUM = "/usr/bin/chromium"


def get(url: str, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def get_json(url: str) -> tuple[int, dict]:
    status, body = get(url)
    return status, json.loads(body)


class Server:
    def __init__(self, project: str):
        self.project = project
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.process = subprocess.Popen([sys.executable, "-m", "highlight", "serve", EDITION, "--port", "0"],
                                        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        env=env)
        self.output: list[str] = []
        self.url = None
        found = threading.Event()

        def read():
            for line in self.process.stdout:
                self.output.append(line)
                match = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
                if match and not self.url:
                    self.url = match.group(1)
                    found.set()
            found.set()

        self.reader = threading.Thread(target=read, daemon=True)
        self.reader.start()
        found.wait(60)
        assert self.url, "no URL printed:\n" + "".join(self.output)

    def state(self) -> dict:
        return get_json(self.url + "api/state")[1]

    def wait_for(self, predicate, seconds: float = 10.0) -> dict:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            state = self.state()
            if predicate(state):
                return state
            time.sleep(0.05)
        raise AssertionError(f"not within {seconds} s; last state {self.state()}")

    def write(self, relative: str, text: str) -> None:
        # Saved whole, as editors save (a temporary file renamed over the old one): written in place, the
        # server's 20 ms poll could catch the file truncated and report it empty before the real edit.
        path = os.path.join(self.project, relative)
        with open(path + ".saving", "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(path + ".saving", path)

    def read(self, relative: str) -> str:
        with open(os.path.join(self.project, relative), encoding="utf-8") as f:
            return f.read()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self.reader.join(10)
        self.process.stdout.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    project = copy_project(str(tmp_path_factory.mktemp("serve")))
    running = Server(project)
    yield running
    running.stop()


def figure_point(server: Server, page: int, text: str) -> tuple[float, float, dict]:
    """The middle of the laid-out line reading `text` on `page`, in mm from the trim's top-left, from the dump."""
    _, dump = get_json(server.url + "api/layout")
    lines = [line for p in dump["layout"]["pages"] if p["number"] == page for line in p["lines"]
             if line["text"] == text]
    assert lines, f"no line {text!r} on page {page}"
    line = lines[0]
    return line["x"] + line["w"] / 2, line["baseline"] - 1.0, line


def test_state_lists_eight_pages_each_image_served(server):
    state = server.state()
    assert state["ok"] is True and state["revision"] >= 1
    assert [p["number"] for p in state["pages"]] == list(range(1, 9))
    for page in state["pages"]:
        status, body = get(server.url + page["image"].lstrip("/"))
        assert status == 200 and body.startswith(b"\x89PNG")
    assert any(d["code"] == "qr-placeholder" for d in state["diagnostics"])
    # the previews and nothing else: the watch preview PDF and the pictures, never the print PDF
    out = os.path.join(server.project, "out")
    assert os.path.isfile(os.path.join(out, "highlights-2022-23-preview.pdf"))
    assert not os.path.exists(os.path.join(out, "highlights-2022-23.pdf"))
    assert "serving content/2022-23 at http://127.0.0.1:" in "".join(server.output)


def test_source_of_a_point_on_a_figure(server):
    x, y, _line = figure_point(server, 2, "1,747")
    # the layout dump's position is the PDF's: the figure's line is at that height in the picture's text too
    status, found = get_json(f"{server.url}api/source?page=2&x={x:.2f}&y={y:.2f}")
    assert status == 200
    assert found["file"] == "content/2022-23/p2-knowledge-transfer.yaml"
    source_line = server.read(P2).splitlines()[found["line"] - 1]
    assert source_line.strip() == 'figure: "1,747"', source_line
    assert found["column"] == source_line.index("figure") + 1
    assert found["yaml_path"] == "blocks[1].elements[0].stat" and found["text"] == "1,747"
    assert found["frame"] == "seedbed-stats" and "stat-figure" in found["style"]  # (a rank a step down is alike)
    assert found["editor"].startswith("vscode://file/") and found["editor"].endswith("p2-knowledge-transfer.yaml:22:11")


def test_a_chinese_line_gives_its_zh_line_and_an_english_line_its_en_line(server):
    """Issue 26: a click on a Chinese line of a paragraph (or of the page's title) opens the text's `zh:` line,
    not the `en:` line its mapping starts with."""
    _, dump = get_json(server.url + "api/layout")
    page1 = next(p for p in dump["layout"]["pages"] if p["number"] == 1)
    p1 = os.path.join(server.project, "content", "2022-23", "p1-research-power.yaml")
    with open(p1, encoding="utf-8") as f:
        source = f.read().splitlines()
    for lang, frame in (("zh", "intro"), ("en", "intro"), ("zh", "title-band")):
        line = next(ln for ln in page1["lines"] if ln["lang"] == lang and ln["frame"] == frame)
        x, y = line["x"] + line["w"] / 2, line["baseline"] - 1.0
        status, found = get_json(f"{server.url}api/source?page=1&x={x:.2f}&y={y:.2f}")
        assert status == 200 and found["lang"] == lang, found
        written = source[found["line"] - 1]
        assert written.strip().startswith(f"{lang}:") or f"{lang}: " in written, (lang, frame, written)
        assert found["editor"].endswith(f":{found['line']}:{found['column']}")
        if lang == "zh":
            assert found["yaml_path"].endswith(".zh") or found["yaml_path"] == "title.zh", found


def test_source_of_empty_paper_is_404(server):
    status, found = get_json(f"{server.url}api/source?page=2&x=3&y=3")  # in the safe margin: nothing set
    assert status == 404 and "error" in found
    assert get_json(f"{server.url}api/source?page=2&x=abc&y=3")[0] == 400
    assert get_json(f"{server.url}api/source?page=99&x=30&y=70")[0] == 404


def test_layout_positions_match_the_pdf(server):
    """The dump's mm are the printed page's: pdfium finds the figure's glyphs inside its box."""
    import pypdfium2 as pdfium

    _, _, line = figure_point(server, 2, "1,747")
    pdf = pdfium.PdfDocument(os.path.join(server.project, "out", "highlights-2022-23-preview.pdf"))
    try:
        page = pdf[1]
        trim = page.get_trimbox()
        text = page.get_textpage()
        mm = 72 / 25.4
        left, top = trim[0] + line["x"] * mm, trim[3] - line["y"] * mm
        right, bottom = left + line["w"] * mm, top - line["h"] * mm
        assert text.get_text_bounded(left, bottom, right, top).strip() == "1,747"
    finally:
        pdf.close()


def test_paths_outside_out_are_refused(server):
    shutil.copyfile(os.path.join(server.project, "out", "highlights-2022-23-preview.pdf"),
                    os.path.join(server.project, "outside.pdf"))  # a picture-like file outside out/
    for path in ("out/../outside.pdf", "out/%2e%2e/outside.pdf", "out/..%2foutside.pdf", "out/%2e%2e%2foutside.pdf",
                 "out/serve/../../content/2022-23/edition.yaml", "out/..%2fcontent%2f2022-23%2fedition.yaml",
                 "assets/..%2f..%2f..%2foutside.pdf", "assets/..%2fserve.py", "assets/%2e%2e%2fcli.py",
                 "out/%2fetc%2fpasswd", "out//etc/passwd", "..%2f..%2f..%2fetc%2fpasswd",
                 "out/highlights-2022-23-preview.pdf%00.png", "out/%5c..%5coutside.pdf"):
        url = server.url + path
        # urllib would normalise a literal /../ away; send it as typed, as an attacker would
        status, body = get(url)
        assert status in (403, 404), (path, status)
        assert b"root:" not in body and b"edition:" not in body and not body.startswith(b"%PDF")
    status, body = get(server.url + "assets/app.js")
    assert status == 200 and b"EventSource" in body
    status, _ = get(server.url + "out/highlights-2022-23-preview.pdf")
    assert status == 200


def test_raw_dot_dot_is_refused(server):
    import http.client

    host, port = server.url[len("http://"):-1].split(":")
    shutil.copyfile(os.path.join(server.project, "out", "highlights-2022-23-preview.pdf"),
                    os.path.join(server.project, "outside.pdf"))
    for raw in ("/out/../outside.pdf", "/out/serve/../../outside.pdf", "/assets/../serve.py",
                "/out/../content/2022-23/edition.yaml", "/out/./../outside.pdf"):
        connection = http.client.HTTPConnection(host, int(port), timeout=5)
        connection.request("GET", raw)
        response = connection.getresponse()
        assert response.status in (403, 404), raw
        body = response.read()
        assert not body.startswith(b"%PDF") and b"edition:" not in body and b"import" not in body
        connection.close()


def test_other_host_names_refused_on_loopback(server):
    status, _ = get(server.url + "api/state", {"Host": "attacker.example:80"})
    assert status == 403
    assert get(server.url + "api/state", {"Host": "localhost"})[0] == 200


def test_loopback_by_default():
    from highlight.cli import _parser
    from highlight.serve import ServeOptions, make_server

    assert _parser().parse_args(["serve", EDITION]).host == "127.0.0.1"
    server, _ = make_server(ServeOptions(EDITION, port=0))
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


def test_events_stream_announces_the_revision(server):
    request = urllib.request.urlopen(server.url + "api/events", timeout=5)
    try:
        assert request.headers["Content-Type"] == "text/event-stream"
        assert request.readline() == b"event: revision\n"
        assert request.readline().startswith(b"data: ")
    finally:
        request.close()


def test_a_save_changes_the_revision_and_the_text(server):
    before = server.state()
    original = server.read(P2)
    image = {p["number"]: p["image"] for p in before["pages"]}
    server.write(P2, original.replace('en: "active start-ups"', 'en: "active young start-ups"', 1))
    after = server.wait_for(lambda s: s["revision"] > before["revision"], 5)
    assert after["ok"] is True
    changed = {p["number"] for p in after["pages"] if image[p["number"]] != p["image"]}
    assert changed == {2}, changed  # only the edited page is rendered again
    _, dump = get_json(server.url + "api/layout")
    texts = [line["text"] for p in dump["layout"]["pages"] if p["number"] == 2 for line in p["lines"]]
    assert any("active young start-ups" in t for t in texts), texts
    server.write(P2, original)
    server.wait_for(lambda s: s["revision"] > after["revision"] and s["ok"], 5)


def test_a_save_pushes_its_new_picture_before_the_revision_is_announced(server):
    """The page's script fetches a changed picture as soon as it is drawn (issue 28): the event stream sends
    `pictures` (their number and image) before the revision, whose state then names the same image."""
    original = server.read(P2)
    request = urllib.request.urlopen(server.url + "api/events", timeout=10)
    try:
        assert request.readline() == b"event: revision\n"
        request.readline(), request.readline()  # the revision at connection, and the blank line
        before = server.state()
        server.write(P2, original.replace('en: "active start-ups"', 'en: "active new start-ups"', 1))
        events = []
        while not events or events[-1][0] != "revision":
            kind = request.readline().decode().strip()
            if not kind.startswith("event: "):
                continue
            events.append((kind[7:], request.readline().decode()[6:].strip()))
        assert [kind for kind, _ in events] == ["pictures", "revision"], events
        after = server.wait_for(lambda s: s["revision"] > before["revision"], 5)
        pushed = json.loads(events[0][1])
        assert pushed == [p for p in after["pages"] if p["number"] == 2], (pushed, after["pages"])
    finally:
        request.close()
        last = server.state()["revision"]
        server.write(P2, original)
        server.wait_for(lambda s: s["revision"] > last and s["ok"], 5)


def test_a_broken_save_keeps_the_last_good_pages(server):
    before = server.state()
    original = server.read(P2)
    good_pages = before["pages"]
    lines = original.splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if 'figure: "1,747"' in line)
    lines[number] = lines[number].replace('figure: "1,747"', 'figure: [1,747')  # unclosed flow sequence
    server.write(P2, "".join(lines))
    broken = server.wait_for(lambda s: s["revision"] > before["revision"], 5)
    assert broken["ok"] is False
    assert broken["pages"] == good_pages  # the last good pictures stay
    errors = [d for d in broken["diagnostics"] if d["severity"] in ("error", "fatal")]
    assert errors and errors[0]["file"] == "content/2022-23/p2-knowledge-transfer.yaml"
    assert errors[0]["line"] and errors[0]["line"] >= number + 1
    for page in good_pages:  # still served
        assert get(server.url + page["image"].lstrip("/"))[0] == 200
    server.write(P2, original)
    mended = server.wait_for(lambda s: s["revision"] > broken["revision"] and s["ok"], 5)
    assert mended["ok"] is True


def test_an_overflow_is_outlined_over_the_last_good_pages(server):
    before = server.state()
    original = server.read(P2)
    longer = original.replace('en: "active start-ups"', 'en: "' + "active start-ups " * 40 + '"', 1)
    server.write(P2, longer)
    failed = server.wait_for(lambda s: s["revision"] > before["revision"], 5)
    try:
        assert failed["ok"] is False and failed["pages"] == before["pages"]
        assert any(d["code"] == "overflow" for d in failed["diagnostics"]), failed["diagnostics"]
        _, dump = get_json(server.url + "api/layout")
        assert dump["failed"] is not None
        page2 = next(p for p in dump["failed"]["pages"] if p["number"] == 2)
        assert any(f["overflowed"] for f in page2["frames"])
        good2 = next(p for p in dump["layout"]["pages"] if p["number"] == 2)
        assert not any(f["overflowed"] for f in good2["frames"])
    finally:
        server.write(P2, original)
        server.wait_for(lambda s: s["revision"] > failed["revision"] and s["ok"], 5)


def test_compare_with_an_earlier_pdf(server):
    _, listed = get_json(server.url + "api/pdfs")
    assert "serve/2022-23/session-start.pdf" in listed["pdfs"]
    before = server.state()
    original = server.read(P2)
    server.write(P2, original.replace('figure: "1,747"', 'figure: "1,748"', 1))
    server.wait_for(lambda s: s["revision"] > before["revision"] and s["ok"], 5)
    try:
        status, found = get_json(server.url + "api/compare?against=serve/2022-23/session-start.pdf")
        assert status == 200
        assert [c["number"] for c in found["pages"]] == [2]
        change = found["pages"][0]
        assert any("1,747" in w for w in change["removed"]) and any("1,748" in w for w in change["added"]), change
        assert get(server.url + change["picture"].lstrip("/"))[0] == 200
        outside = os.path.join(server.project, "outside.pdf")  # a PDF, but not under out/
        shutil.copyfile(os.path.join(server.project, "out", "serve", "2022-23", "session-start.pdf"), outside)
        for against in ("../outside.pdf", "%2e%2e%2foutside.pdf", outside, "serve/../../outside.pdf"):
            assert get_json(server.url + "api/compare?against=" + against)[0] == 404, against
    finally:
        server.write(P2, original)
        server.wait_for(lambda s: s["ok"] and s["revision"] > before["revision"] + 1, 5)


# -- a real browser ---------------------------------------------------------------------------------------------

def _browser_or_skip():
    """Debian's chromium (`make test` installs it when run as root, as in CI); elsewhere the test skips,
    except in CI, where a missing browser is a failure, not a skip."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI: `make test` installs Debian's chromium as root")
        pytest.skip(f"{CHROMIUM} is not installed (as root: apt-get install -y chromium; `make test` does it)")
    return pytest.importorskip("playwright.sync_api")


@pytest.mark.slow  # starts a headless browser
def test_browser_shows_pages_toggles_clicks_and_updates(server):
    sync_api = _browser_or_skip()
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            requested = []
            page.on("request", lambda r: requested.append(r.url))
            page.goto(server.url)
            page.wait_for_function("document.querySelectorAll('.page img').length === 8 && "
                                   "[...document.querySelectorAll('.page img')].every(i => i.naturalWidth > 0)")
            assert page.locator(".page").count() == 8
            assert all(url.startswith(server.url) for url in requested), requested  # nothing from elsewhere

            # an overlay toggles: the frames' outlines are drawn only when ticked
            frames = page.locator("#page-2 .ov-frames rect").first
            assert not frames.is_visible()
            page.locator("#overlays input[value=frames]").check()
            assert frames.is_visible()
            page.locator("#overlays input[value=frames]").uncheck()
            assert not frames.is_visible()

            # a click on the figure "1,747" names its YAML line
            x, y, _ = figure_point(server, 2, "1,747")
            _, dump = get_json(server.url + "api/layout")
            bx, by, bw, bh = next(p for p in dump["layout"]["pages"] if p["number"] == 2)["box"]
            svg = page.locator("#page-2 svg").bounding_box()
            page.mouse.click(svg["x"] + (x - bx) / bw * svg["width"], svg["y"] + (y - by) / bh * svg["height"])
            page.wait_for_selector("#source .where")
            assert page.locator("#source .text").inner_text() == "1,747"
            assert re.fullmatch(r"content/2022-23/p2-knowledge-transfer\.yaml:22:11 \(blocks\[1\]\.elements\[0\]\.stat\)",
                                page.locator("#source .where").inner_text())
            assert page.locator("#source .frame").inner_text() == "seedbed-stats"
            assert page.locator("#source a.editor").get_attribute("href").startswith("vscode://file/")
            # empty paper names no line; the diagnostics panel lists the build's located messages
            page.mouse.click(svg["x"] + (3 - bx) / bw * svg["width"], svg["y"] + (3 - by) / bh * svg["height"])
            page.wait_for_selector("#source >> text=no line here")
            listed = page.locator("#diagnostics li").all_inner_texts()
            assert len(listed) == len(server.state()["diagnostics"]) and listed
            assert any(re.match(r"content/2022-23/p1-research-power\.yaml:\d+:\d+ .*qr-placeholder", t) for t in listed)

            shot = os.environ.get("SERVE_SCREENSHOT")  # tools: the README's picture, made by this browser
            if shot:
                page.locator("#overlays input[value=frames]").check()
                page.screenshot(path=shot)
                page.locator("#overlays input[value=frames]").uncheck()

            # a save updates the picture in place: no reload (a mark set on the window survives), scroll kept
            page.evaluate("window.__mark = 'still here'; window.scrollTo(0, 400)")
            scrolled = page.evaluate("window.scrollY")
            old_src = page.locator("#page-2 img").first.get_attribute("src")
            original = server.read(P2)
            server.write(P2, original.replace('en: "active start-ups"', 'en: "active new start-ups"', 1))
            try:
                page.wait_for_function(f"document.querySelector('#page-2 img').getAttribute('src') !== {old_src!r}",
                                       timeout=10000)
                assert page.evaluate("window.__mark") == "still here"
                assert page.evaluate("window.scrollY") == scrolled
            finally:
                server.write(P2, original)
                server.wait_for(lambda s: s["ok"] and s["pages"][1]["image"] != old_src, 10)
            assert errors == [], errors
        finally:
            browser.close()


def test_bad_folder_and_taken_port_exit_2(tmp_path, capsys):
    import socket

    from highlight.cli import main

    assert main(["serve", str(tmp_path / "no-such-edition")]) == 2
    assert "edition folder" in capsys.readouterr().err
    project = copy_project(str(tmp_path / "p"))
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        code = main(["serve", os.path.join(project, EDITION), "--port", str(taken.getsockname()[1])])
    finally:
        taken.close()
    assert code == 2
    err = capsys.readouterr().err
    assert "cannot listen on 127.0.0.1:" in err and "Traceback" not in err


def test_a_failing_proof_is_not_the_last_good_build(tmp_path):
    """serve builds proofs (laid out even when failing); the frame heights an overflow message compares with
    stay those of the last build that succeeded."""
    from highlight.build import BuildOptions, BuildSession, _heights_path, build

    project = copy_project(str(tmp_path))
    edition = os.path.join(project, EDITION)
    assert not build(BuildOptions(edition, str(tmp_path / "good.pdf"))).diagnostics.has_errors()
    heights = _heights_path(project, edition, None)
    with open(heights, encoding="utf-8") as f:
        good = f.read()
    page = os.path.join(project, P2)
    with open(page, encoding="utf-8") as f:
        text = f.read()
    with open(page, "w", encoding="utf-8") as f:
        f.write(text.replace('en: "active start-ups"', 'en: "' + "active start-ups " * 40 + '"', 1))
    result = BuildSession().build(BuildOptions(edition, str(tmp_path / "proof.pdf"), preflight=False, proof=True))
    assert any(d.code == "overflow" for d in result.diagnostics.items) and result.pages
    with open(heights, encoding="utf-8") as f:
        assert f.read() == good


def _live_proof_built(tmp_path, monkeypatch):
    """A LiveProof of a copy of the project after its first build as `serve` makes it: (live, session, options)."""
    from dataclasses import replace

    from highlight.build import BuildOptions, BuildSession
    from highlight.serve import LiveProof, ServeOptions

    monkeypatch.chdir(copy_project(tmp_path))
    live = LiveProof(ServeOptions("content/2022-23", port=0))
    os.makedirs(live.serve_dir, exist_ok=True)
    session = BuildSession()
    options = replace(BuildOptions(live.options.edition_dir, live.scratch_pdf, preflight=False, proof=True),
                      preview="watch")
    live._take(session.build(options))
    return live, session, options


def test_a_save_writes_down_again_only_the_pages_it_changed(tmp_path, monkeypatch):
    """The layout dump the page draws its overlays from: after a one-word save on page 7, the other pages'
    records are the very ones of the build before (not written down again, issue 28), and the whole dump is
    what a fresh one of the same build would be."""
    live, session, options = _live_proof_built(tmp_path, monkeypatch)
    before = {p["number"]: p for p in live.layout["pages"]}
    page = os.path.join("content", "2022-23", "p7-growth-continued.yaml")
    with open(page, encoding="utf-8") as f:
        text = f.read()
    with open(page, "w", encoding="utf-8") as f:
        f.write(text.replace("officially opened", "formally opened"))
    result = session.build(options)
    live._take(result)
    after = {p["number"]: p for p in live.layout["pages"]}
    assert [n for n in after if after[n] is not before[n]] == [7]
    assert any("formally" in line["text"] for line in after[7]["lines"])
    live._dumped.clear()
    assert live._dump(result) == live.layout


def test_a_page_picture_has_the_pixels_pdfium_draws_without_pillows_filters(tmp_path, monkeypatch):
    """serve's page pictures (the longest step between a save and its picture was Pillow's PNG encoder, which
    tries five filters on every row: 23 ms a page at 110 dpi) are PNGs of unfiltered rows that zlib packs:
    every page's picture decodes to the very pixels pdfium draws of the preview. Fails on the code before (it
    encoded with Pillow, refused here)."""
    from dataclasses import replace

    import pypdfium2 as pdfium
    from PIL import Image

    from highlight.build import BuildOptions, BuildSession
    from highlight.serve import LiveProof, ServeOptions

    project = copy_project(tmp_path)
    monkeypatch.chdir(project)
    live = LiveProof(ServeOptions("content/2022-23", port=0))
    os.makedirs(live.serve_dir, exist_ok=True)
    Image.init()

    def refused(*args, **kwargs):
        raise AssertionError("a page picture went through Pillow's PNG encoder")

    monkeypatch.setitem(Image.SAVE, "PNG", refused)
    options = replace(BuildOptions(live.options.edition_dir, live.scratch_pdf, preflight=False, proof=True),
                      preview="watch")
    live._take(BuildSession().build(options))
    monkeypatch.undo()
    pdf = pdfium.PdfDocument(live.preview_pdf)
    try:
        for index in range(len(pdf)):
            drawn = pdf[index].render(scale=live.options.dpi / 72).to_pil().convert("RGB")
            with Image.open(os.path.join(live.serve_dir, f"page-{index + 1:02d}.png")) as picture:
                assert picture.format == "PNG" and picture.mode == "RGB" and picture.size == drawn.size
                assert picture.tobytes() == drawn.tobytes(), index + 1
    finally:
        pdf.close()


def test_a_save_reads_the_picture_box_of_only_the_pages_it_drew_again(tmp_path, monkeypatch):
    """After a save that changed page 7, serve draws page 7's picture and reads page 7's box alone (reading all
    eight made pdfium load every page: 5-15 ms between the save and its picture); the boxes are those of
    reading every page. Fails on the code before (eight boxes read at every save)."""
    from highlight.serve import LiveProof

    live, session, options = _live_proof_built(tmp_path, monkeypatch)
    first = list(live._boxes)
    assert len(first) == 8
    read: list = []
    real = LiveProof._box
    monkeypatch.setattr(LiveProof, "_box", staticmethod(lambda pdf_page: read.append(1) or real(pdf_page)))
    page = os.path.join("content", "2022-23", "p7-growth-continued.yaml")
    with open(page, encoding="utf-8") as f:
        text = f.read()
    with open(page, "w", encoding="utf-8") as f:
        f.write(text.replace("officially opened", "formally opened"))
    live._take(session.build(options))
    assert live.drawn_pages and [p["number"] for p in live.drawn_pages] == [7] and len(read) == 1
    assert live._boxes == first
