"""The README's pictures of the web page (`highlight build content/2022-23 --to html`), in Debian's Chromium.

    .venv/bin/python tools/web_screenshots.py

docs/web-phone.png: the top of the page at a phone's width (375 CSS px, drawn at 2 device pixels per px),
page 1's title band and opening.
docs/web-desktop.png: page 3 at a desktop's width (1280 px): its two stats and its two breakdowns.
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLDER = os.path.join(ROOT, "out", "highlights-2022-23-web")


def main() -> None:
    from playwright.sync_api import sync_playwright

    subprocess.run([sys.executable, "-m", "highlight", "build", "content/2022-23", "--to", "html", "-q"],
                   cwd=ROOT, check=True)
    url = "file://" + os.path.join(FOLDER, "index.html")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        try:
            phone = browser.new_page(viewport={"width": 375, "height": 1100}, device_scale_factor=2)
            phone.goto(url)
            phone.evaluate("document.fonts.ready")
            phone.screenshot(path=os.path.join(ROOT, "docs", "web-phone.png"))
            desk = browser.new_page(viewport={"width": 1280, "height": 1400})
            desk.goto(url)
            desk.evaluate("document.fonts.ready")
            desk.evaluate("document.getElementById('page-3').scrollIntoView()")
            desk.screenshot(path=os.path.join(ROOT, "docs", "web-desktop.png"))
        finally:
            browser.close()
    for name in ("web-phone.png", "web-desktop.png"):
        print("wrote docs/" + name)


if __name__ == "__main__":
    main()
