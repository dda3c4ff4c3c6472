"""Screenshots of `cdp explore` for the docs (docs/img/explore-*.png), taken with headless
Chromium (scripts/install_browser.sh) from a build of the demo data, with the text of
each page recorded beside its picture (see cdp.explore.pictures); --check tells whether
the pictures still show what the explorer shows for a build.

    CDP_DUCKDB_PATH=/tmp/shots/cdp.duckdb CDP_CUSTOMERS=2000 ./scripts/demo.sh
    python scripts/explore_screenshots.py --database /tmp/shots/cdp.duckdb
    python scripts/explore_screenshots.py --database /tmp/shots/cdp.duckdb --check

The pictures are of the 2,000-customer demo (seed 42), the build the test command makes
(scripts/test.sh runs --check on it). The pages are served in-process on a free
localhost port; the customers shown are the landing page's examples."""

from __future__ import annotations

import argparse
import shutil
import sys
import threading
from pathlib import Path

from cdp.explore import pictures
from cdp.explore.app import ExploreApp, make_explore_server
from cdp.explore.project import find_project_dir

WIDTH = 1280
DOCS_IMG = Path(__file__).resolve().parent.parent / "docs" / "img"


def take(app: ExploreApp, chosen: list[pictures.Page], out: Path) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver_path:
        raise SystemExit("chromium and chromedriver are needed: run scripts/install_browser.sh")
    server = make_explore_server(app, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}"
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={WIDTH},900",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        for page in chosen:
            driver.set_window_size(WIDTH, 900)
            driver.get(site + page.path)
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(WIDTH, min(height + 20, 6000))
            driver.execute_script(
                "document.querySelector('header .database').textContent = arguments[0]",
                f"{pictures.SHOWN_DATABASE} · read-only",
            )
            driver.save_screenshot(str(out / f"{page.name}.png"))
            print(f"{out / page.name}.png  {page.path}")
    finally:
        driver.quit()
        server.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True, help="a built DuckDB file of the demo")
    parser.add_argument("--out", default=str(DOCS_IMG), help="folder of the pictures")
    parser.add_argument(
        "--check",
        action="store_true",
        help="take nothing: fail when a recorded picture no longer matches its page",
    )
    args = parser.parse_args()
    database, out = Path(args.database), Path(args.out)
    app = ExploreApp(database, find_project_dir(Path(__file__).resolve().parent.parent))
    chosen = pictures.pages(database)
    if args.check:
        problems = pictures.check(app, chosen, out)
        for problem in problems:
            print(f"stale screenshot: {problem}", file=sys.stderr)
        if problems:
            print(
                "the pictures in the docs no longer show what cdp explore shows: retake them "
                "on the 2,000-customer demo (seed 42) with\n"
                "  CDP_DUCKDB_PATH=/tmp/shots/cdp.duckdb CDP_CUSTOMERS=2000 ./scripts/demo.sh\n"
                "  python scripts/explore_screenshots.py --database /tmp/shots/cdp.duckdb",
                file=sys.stderr,
            )
            return 1
        print(f"{len(chosen)} screenshots in {out} match their pages")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    take(app, chosen, out)
    pictures.record(app, chosen, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
