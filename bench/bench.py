"""Benchmark the whole `highlight` process; prints one Markdown table (for the README).

    make bench              # or: .venv/bin/python bench/bench.py [--runs 5]

Rows: cold build (empty derived-font cache and line store), warm build
(nothing changed), a new process after a one-word edit (one paragraph set
afresh), rebuild inside `highlight watch` after a one-word edit, builds of
generated 8-, 50- and 200-page editions with every paragraph set afresh (no
line store), the leaflet's file size, and the web page's warm build (`--to html`) and size. Every timing is a whole process
(start-up and imports included) except the watch rebuild, which `watch`
measures itself from noticing the change to the PDF written, and the serve
row, from a saved edit to the page's new picture fetched over HTTP. Peak RSS is the
child's ru_maxrss from wait4.
"""
from __future__ import annotations

import argparse
import itertools
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HIGHLIGHT = [sys.executable, "-m", "highlight"]
EDITION = "content/2022-23"


# The one-word edit of every edit measurement: page 7's "HKUST(GZ) officially opened" with its adverb replaced by
# ten random letters, a word never seen before, so the paragraph is set afresh and the document is new: no line
# store, .cache/pages or .cache/output entry holds the result, as after a real edit. (Until issue 28's second
# round the edits toggled between "officially opened" and "officially launched": from the second edit on, every
# state was cached.)
_EDITED = re.compile(r"HKUST\(GZ\) [a-z]+ opened")


def one_word_edit(text: str) -> str:
    word = "".join(random.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(10))
    edited, count = _EDITED.subn(f"HKUST(GZ) {word} opened", text, count=1)
    if not count:
        raise SystemExit("bench: page 7 no longer says 'HKUST(GZ) officially opened'; update bench.one_word_edit")
    return edited


# Children run as on a user's machine: with Python's bytecode cache (some sandboxes switch it off).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_process(args: list[str], cwd: str = ROOT) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MiB, exit code) of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=CHILD_ENV)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, child.returncode


def measure(args: list[str], runs: int, before=None, cwd: str = ROOT) -> tuple[list[float], float]:
    walls, peak = [], 0.0
    for _ in range(runs):
        if before:
            before()
        wall, rss, code = run_process(args, cwd)
        if code != 0:  # a failed build skips rendering: its time would flatter us
            raise SystemExit(f"bench: {' '.join(args)} exited {code}")
        walls.append(wall)
        peak = max(peak, rss)
    return walls, peak


VOWELS = "aeiou"
PERMUTATIONS = ["".join(p) for p in itertools.permutations(VOWELS)]  # 120: one per copy of the eight pages


def _vary(text: str, copy: int) -> str:
    """The English of every quoted string with its vowels permuted, a permutation per copy: same length and
    characters, different words, so each copy is set afresh (no memo hit) and its lines break differently."""
    if copy <= 1:
        return text
    table = str.maketrans(VOWELS, PERMUTATIONS[(copy - 1) % len(PERMUTATIONS)])

    def swap(match: re.Match) -> str:
        return match.group(1) + match.group(2).translate(table) + '"'

    # Titles keep their words: the title band holds two lines and a longer variant would not fit. A figure line's
    # words (its unit and change) keep theirs too: a tile's columns are chosen for its figure line, and a variant
    # a tenth of a millimetre wider is a copyfit error (page 5's "800 students (+100% YoY)" in four columns).
    return "\n".join(line if line.startswith("title:") or line.lstrip().startswith(("unit:", "change:"))
                     else re.sub(r'(\ben: ")([^"]*)"', swap, line) for line in text.split("\n"))


def generate_edition(pages: int, target: str) -> str:
    """An edition of `pages` pages: the real eight repeated, each copy's English varied."""
    source = os.path.join(ROOT, EDITION)
    folder = os.path.join(target, f"bench-{pages}")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(source, "edition.yaml"), encoding="utf-8") as f:
        index = f.read()
    originals = re.findall(r"p\d-[a-z-]+\.yaml", index)
    names = []
    for number in range(1, pages + 1):
        original = originals[(number - 1) % len(originals)]
        with open(os.path.join(source, original), encoding="utf-8") as f:
            text = f.read()
        copy = (number - 1) // len(originals) + 1
        text = _vary(text, copy)
        text = re.sub(r"^page: \d+", f"page: {number}", text, count=1, flags=re.MULTILINE)
        name = f"page-{number:03d}.yaml"
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            f.write(text)
        names.append(name)
    index = re.sub(r"pages:.*", "pages: [" + ", ".join(names) + "]", index, flags=re.DOTALL)
    index = index.replace('edition: "2022-23"', f'edition: "bench-{pages}"')
    with open(os.path.join(folder, "edition.yaml"), "w", encoding="utf-8") as f:
        f.write(index + "\n")
    return folder


def project_copy(tmp: str) -> str:
    """The project's inputs copied into `tmp` (its .cache shared: fonts and stores warm); returns the page file
    the edits change (page 7)."""
    for name in ("layout", "fonts", "profiles", "content"):
        shutil.copytree(os.path.join(ROOT, name), os.path.join(tmp, name))
    os.symlink(os.path.join(ROOT, ".cache"), os.path.join(tmp, ".cache"))
    return os.path.join(tmp, EDITION, "p7-growth-continued.yaml")


def edited_builds(runs: int) -> tuple[list[float], float]:
    """Whole `highlight build` processes, each after a one-word edit, in a copy of the project."""
    with tempfile.TemporaryDirectory() as tmp:
        page = project_copy(tmp)
        command = HIGHLIGHT + ["build", EDITION, "-o", os.path.join(tmp, "e.pdf")]
        run_process(command, tmp)  # this copy's line store

        def edit():
            with open(page, encoding="utf-8") as f:
                text = f.read()
            with open(page, "w", encoding="utf-8") as f:
                f.write(one_word_edit(text))

        return measure(command, runs, before=edit, cwd=tmp)


def watch_rebuilds(edits: int) -> list[float]:
    """Milliseconds `highlight watch` reports for rebuilds after one-word edits, in a copy of the project."""
    with tempfile.TemporaryDirectory() as tmp:
        page = project_copy(tmp)
        watcher = subprocess.Popen(HIGHLIGHT + ["watch", EDITION, "-o", os.path.join(tmp, "w.pdf"),
                                                "--max-builds", str(edits + 1)],
                                   cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=CHILD_ENV)
        times = []
        try:
            for i in range(edits + 1):
                while True:
                    line = watcher.stdout.readline()
                    if not line:
                        raise SystemExit("bench: watch ended early")
                    found = re.search(r"rebuilt in (\d+) ms", line)
                    if found:
                        times.append(float(found.group(1)))
                    if "→" in line:
                        break
                if i == edits:
                    break
                time.sleep(0.2)
                with open(page, encoding="utf-8") as f:
                    text = f.read()
                with open(page + ".tmp", "w", encoding="utf-8") as f:  # saved as editors do: whole, then renamed,
                    f.write(one_word_edit(text))  # so no half-written file is built
                os.replace(page + ".tmp", page)
        finally:
            watcher.kill()
            watcher.wait()
            watcher.stdout.close()
        return times


def _rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="utf-8") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024


def serve_edits(timed: int, total: int = 100) -> tuple[list[float], float, float]:
    """`highlight serve` in a copy of the project: seconds from a one-word save (written whole, then renamed,
    as editors save) to the new picture of the page served, as the page's script sees it (the server-sent
    event of the new revision, GET /api/state, GET the changed image), for the first `timed` of `total`
    edits; and the server's resident memory (MiB) after the timed edits and after all of them."""
    import http.client
    import json

    with tempfile.TemporaryDirectory() as tmp:
        page = project_copy(tmp)
        server = subprocess.Popen(HIGHLIGHT + ["serve", EDITION, "--port", "0"], cwd=tmp, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True, env=CHILD_ENV)
        try:
            port = None
            for line in server.stdout:
                found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
                if found:
                    port = int(found.group(1))
                    break
            if port is None:
                raise SystemExit("bench: serve printed no URL")
            connection = http.client.HTTPConnection("127.0.0.1", port)
            events = http.client.HTTPConnection("127.0.0.1", port)
            events.request("GET", "/api/events")
            stream = events.getresponse()

            def get(path: str) -> bytes:
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read()
                if response.status != 200:
                    raise SystemExit(f"bench: serve answered {response.status} to {path}")
                return body

            def next_revision() -> int:
                event = b""
                while True:
                    line = stream.readline()
                    if not line:
                        raise SystemExit("bench: the event stream ended")
                    if line.startswith(b"event: "):
                        event = line[7:].strip()
                    elif line.startswith(b"data: ") and event == b"revision":  # (not `pictures`, pushed before it)
                        return int(line[6:])

            next_revision()  # the revision at connection
            state = json.loads(get("/api/state"))
            times, first_rss = [], 0.0
            for i in range(total):
                time.sleep(0.2)
                with open(page, encoding="utf-8") as f:
                    text = f.read()
                started = time.perf_counter()
                with open(page + ".tmp", "w", encoding="utf-8") as f:
                    f.write(one_word_edit(text))
                os.replace(page + ".tmp", page)
                next_revision()
                now = json.loads(get("/api/state"))
                if not now["ok"]:
                    raise SystemExit("bench: the edited edition did not build under serve")
                image = now["pages"][6]["image"]
                if image == state["pages"][6]["image"]:
                    raise SystemExit("bench: page 7's picture did not change")
                get(image)
                if i < timed:
                    times.append(time.perf_counter() - started)
                if i == timed - 1:
                    first_rss = _rss_mib(server.pid)
                state = now
            connection.close()
            events.close()
            return times, first_rss, _rss_mib(server.pid)
        finally:
            server.terminate()
            server.wait()
            server.stdout.close()


CHROMIUM = "/usr/bin/chromium"


def browser_edits(edits: int) -> list[float] | None:
    """`highlight serve` in a copy of the project, its page open in Chromium (Debian's, steered by Playwright as
    tests/test_serve.py does): seconds from a one-word save (written whole, then renamed, as editors save) to
    the new picture of page 7 shown in the page (its <img> src changes once the new image has loaded), for
    each of `edits` edits; None when Chromium or Playwright is not there."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not os.path.exists(CHROMIUM):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        page_file = project_copy(tmp)
        server = subprocess.Popen(HIGHLIGHT + ["serve", EDITION, "--port", "0"], cwd=tmp, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True, env=CHILD_ENV)
        times = []
        try:
            url = None
            for line in server.stdout:
                found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
                if found:
                    url = found.group(1)
                    break
            if url is None:
                raise SystemExit("bench: serve printed no URL")
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--no-first-run"])
                try:
                    view = browser.new_page(viewport={"width": 1500, "height": 1000})
                    view.goto(url)
                    view.wait_for_function("document.querySelectorAll('.page img').length === 8 && [...document"
                                           ".querySelectorAll('.page img')].every(i => i.naturalWidth > 0)")
                    for i in range(edits):
                        time.sleep(0.3)
                        old = view.locator("#page-7 img").first.get_attribute("src")
                        with open(page_file, encoding="utf-8") as f:
                            text = f.read()
                        started = time.perf_counter()
                        with open(page_file + ".tmp", "w", encoding="utf-8") as f:
                            f.write(one_word_edit(text))
                        os.replace(page_file + ".tmp", page_file)
                        view.wait_for_function(f"document.querySelector('#page-7 img').getAttribute('src') !== "
                                               f"{old!r}", timeout=10000, polling="raf")
                        times.append(time.perf_counter() - started)
                finally:
                    browser.close()
        finally:
            server.terminate()
            server.wait()
            server.stdout.close()
        return times


PEER = os.path.join(ROOT, "bench", "peers", "typst_leaflet.py")


def peer_pairs(pairs: int) -> tuple[list[float], list[float], list[float]]:
    """Whole processes, alternated: our warm build of the leaflet, then Typst's build of the same texts
    (bench/peers/typst_leaflet.py), `pairs` times after one unmeasured run of each (bytecode and caches
    warm for both). Returns our seconds, Typst's seconds and the ratio of each pair."""
    with tempfile.TemporaryDirectory() as tmp:
        source, pdf = os.path.join(tmp, "leaflet.typ"), os.path.join(tmp, "typst.pdf")
        subprocess.run([sys.executable, PEER, EDITION, source], cwd=ROOT, check=True)
        ours = HIGHLIGHT + ["build", EDITION, "-o", os.path.join(tmp, "ours.pdf")]
        theirs = [sys.executable, PEER, "--compile", source, pdf]
        for command in (ours, theirs):
            measure(command, 1)
        mine, peer = [], []
        for _ in range(pairs):
            mine += measure(ours, 1)[0]
            peer += measure(theirs, 1)[0]
        return mine, peer, [a / b for a, b in zip(mine, peer)]


def edited_peer_pairs(pairs: int) -> tuple[list[float], list[float], list[float]]:
    """As peer_pairs, but each of our builds follows a one-word edit of page 7 (one_word_edit: a paragraph no
    cache holds, a new document: no line store entry, no .cache/pages for that page, no .cache/output), in a
    copy of the project: what a user waits for after a save. Typst compiles the same texts whole each time."""
    with tempfile.TemporaryDirectory() as tmp:
        page = project_copy(tmp)
        source, pdf = os.path.join(tmp, "leaflet.typ"), os.path.join(tmp, "typst.pdf")
        subprocess.run([sys.executable, PEER, EDITION, source], cwd=tmp, check=True)
        ours = HIGHLIGHT + ["build", EDITION, "-o", os.path.join(tmp, "ours.pdf")]
        theirs = [sys.executable, PEER, "--compile", source, pdf]

        def edit():
            with open(page, encoding="utf-8") as f:
                text = f.read()
            with open(page, "w", encoding="utf-8") as f:
                f.write(one_word_edit(text))

        measure(ours, 1, before=edit, cwd=tmp)
        measure(theirs, 1)
        mine, peer = [], []
        for _ in range(pairs):
            mine += measure(ours, 1, before=edit, cwd=tmp)[0]
            peer += measure(theirs, 1)[0]
        return mine, peer, [a / b for a, b in zip(mine, peer)]


def web_rows(out: str, runs: int) -> list[str]:
    """The web page of the leaflet (`build --to html`), warm (its font subsets and the line store cached), and
    the size of the folder it writes."""
    folder = os.path.join(out, "leaflet-web")
    command = HIGHLIGHT + ["build", EDITION, "--to", "html", "-o", folder]
    run_process(command)  # the first build caches the WOFF2 subsets (.cache/web)
    walls, peak = measure(command, runs)
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(folder) for f in files)
    return [row("warm web page build, 8 pages (--to html)", walls, "s", peak, "goal ≤ 0.5 s"),
            f"| leaflet web page size (HTML, CSS, fonts) | {size / 1024:.0f} KB | — | the whole folder |"]


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip() + f", {os.cpu_count()} cores"
    except OSError:
        pass
    return platform.processor() or platform.machine()


def row(name: str, values: list[float], unit: str, peak: float | None, note: str = "") -> str:
    scale = 1000.0 if unit == "ms" else 1.0
    lo, med, hi = min(values) * scale, statistics.median(values) * scale, max(values) * scale
    fmt = "{:.0f}" if unit == "ms" else "{:.2f}"
    cells = [name, f"{fmt.format(lo)} / {fmt.format(med)} / {fmt.format(hi)} {unit}",
             f"{peak:.0f} MiB" if peak else "—", note]
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pairs", type=int, default=7, help="alternated pairs against the peer (Typst)")
    parser.add_argument("--peer-only", action="store_true", help="only the comparison with Typst")
    parser.add_argument("--browser-only", action="store_true", help="only save-to-picture in Chromium (serve)")
    parser.add_argument("--web-only", action="store_true", help="only the web page's build (--to html)")
    args = parser.parse_args()
    out = tempfile.mkdtemp(prefix="highlight-bench-")
    pdf = os.path.join(out, "leaflet.pdf")
    derived = os.path.join(ROOT, ".cache", "fonts", "derived")
    line_store = os.path.join(ROOT, ".cache", "lines")
    laid_pages = os.path.join(ROOT, ".cache", "pages")  # pages laid out by an earlier process (build.py)
    parsed = os.path.join(ROOT, ".cache", "parsed")  # files parsed by an earlier process (schema.py)
    kept = os.path.join(ROOT, ".cache", "output")  # PDFs rendered by an earlier process (backends/pdf.py)
    drawn = os.path.join(ROOT, ".cache", "drawn")  # pages drawn by an earlier process (render.py)

    def forget_lines():  # every paragraph set afresh: no stored line, no page laid out or drawn, no PDF before
        for folder in (line_store, laid_pages, kept, drawn):
            shutil.rmtree(folder, ignore_errors=True)
    lines = [f"Measured {time.strftime('%Y-%m-%d')} on {cpu_name()}, Python {platform.python_version()}; "
             f"min / median / max of {args.runs} runs unless noted.", "",
             "| what | time | peak RSS | note |", "|---|---|---|---|"]
    build = HIGHLIGHT + ["build", EDITION, "-o", pdf]
    if args.browser_only:
        shown = browser_edits(20)
        print("no Chromium or Playwright" if shown is None else
              row("serve in Chromium: one-word save → new picture shown", shown, "ms", None, "20 edits"))
        return

    if args.web_only:
        lines += web_rows(out, args.runs)
        print("\n".join(lines))
        return
    def against_the_peer(measured, ours: str, note: str, peer_label: str, peer_note: str, ratio_label: str,
                         goal: str) -> None:  # our row, the peer's, and the ratio of the alternated pairs
        mine, peer, ratios = measured
        lines.append(row(f"{ours}: ours, {args.pairs} pairs", mine, "s", None, note))
        lines.append(row(peer_label, peer, "s", None, peer_note))
        lo, med, hi = min(ratios), statistics.median(ratios), max(ratios)
        lines.append(f"| {ratio_label} | {lo:.2f} / {med:.2f} / {hi:.2f} × | — |{' ' + goal if goal else ''} |")

    against_the_peer(peer_pairs(args.pairs), "warm build against the peer", "alternated with Typst's build, whole "
                     "processes", "the peer: Typst 0.15.2 (PyPI), the same texts", "bench/peers/typst_leaflet.py",
                     "ratio ours / Typst", "goal ≤ 2.0× (median)")
    against_the_peer(edited_peer_pairs(args.pairs), "build after a one-word edit against the peer",
                     "a new process after each save (one page laid out and the PDF made again), alternated",
                     "the peer: Typst 0.15.2, the same texts, in the same run", "", "ratio after an edit, ours / Typst",
                     "")
    if args.peer_only:
        print("\n".join(lines))
        return

    walls, peak = measure(build, 3, before=lambda: (shutil.rmtree(derived, ignore_errors=True), forget_lines(),
                                                    shutil.rmtree(parsed, ignore_errors=True)))
    lines.append(row("cold build (no derived fonts, no line store, nothing parsed or laid out before)", walls, "s",
                     peak, "3 runs; goal ≤ 10 s"))
    run_process(build)  # stores the lines
    walls, peak = measure(build, args.runs)
    lines.append(row("warm build, 8 pages", walls, "s", peak, "goal ≤ 0.5 s, ≤ 150 MiB"))
    lines += web_rows(out, args.runs)
    walls, peak = edited_builds(args.runs)
    lines.append(row("warm build after a one-word edit", walls, "s", peak, "a new process; one paragraph set"))
    walls, peak = measure(build, args.runs, before=forget_lines)
    lines.append(row("warm fonts, no line store, 8 pages", walls, "s", peak,
                     "every paragraph set afresh (no line store, no page laid out before)"))
    size_kb = os.path.getsize(pdf) / 1024
    rebuilds = [t / 1000 for t in watch_rebuilds(args.runs)]
    lines.append(row("watch: one-word edit → PDF written", rebuilds, "ms", None, "goal ≤ 60 ms"))
    shown = browser_edits(20)
    if shown is None:
        lines.append("| serve in Chromium: one-word save → new picture shown | — | — | no Chromium or Playwright here |")
    else:
        lines.append(row("serve in Chromium: one-word save → new picture shown", shown, "ms", None,
                         "20 edits, Playwright (the page's own refresh); goal ≤ 150 ms (median)"))
    served, rss_start, rss_end = serve_edits(9)
    lines.append(row("serve: one-word save → new page picture served", served, "ms", rss_end,
                     f"9 edits; goal ≤ 150 ms; RSS {rss_start:.0f} MiB after 9 edits, {rss_end:.0f} MiB after 100 "
                     f"({(rss_end / rss_start - 1) * 100:+.0f} %; goal ≤ +20 %)"))
    generated = os.path.join(ROOT, ".cache", "bench", "content")
    per_page, medians = {}, {}
    for pages in (8, 50, 200):
        folder = generate_edition(pages, generated)
        target = os.path.join(out, f"bench-{pages}.pdf")
        command = HIGHLIGHT + ["build", folder, "-o", target]
        run_process(command)  # fills the font cache for this character set
        try:
            walls, peak = measure(command, 3, before=forget_lines)
        except SystemExit as failed:  # (its time would flatter us: said, not measured, and the other rows kept)
            lines.append(f"| generated edition, {pages} pages | fails | — | {failed}: not measured |")
            continue
        medians[pages] = statistics.median(walls)
        per_page[pages] = medians[pages] / pages
        note = f"{per_page[pages] * 1000:.1f} ms/page overall"
        if pages > 8 and (8 if pages == 50 else 50) in medians:
            smaller = 8 if pages == 50 else 50
            note += f", {(medians[pages] - medians[smaller]) / (pages - smaller) * 1000:.1f} ms per added page"
        lines.append(row(f"generated edition, {pages} pages", walls, "s", peak,
                         note + ("; goal ≤ 5 s" if pages == 200 else "")))
    lines.append(f"| leaflet PDF size | {size_kb:.0f} KB | — | goal ≤ 400 KB |")
    shutil.rmtree(out, ignore_errors=True)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
