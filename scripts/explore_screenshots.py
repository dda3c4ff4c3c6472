"""Screenshots of `cdp explore` for the README (docs/img/explore-*.png), taken with
the headless Chromium of the browser tests (scripts/install_browser.sh).

    python scripts/explore_screenshots.py --database data/cdp.duckdb --out docs/img

The customer shown is the largest non-erased known customer of the build (or
--customer); the pages are served in-process on a free localhost port."""

from __future__ import annotations

import argparse
import shutil
import sys
import threading
from pathlib import Path
from urllib.parse import urlencode

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from cdp.explore import queries
from cdp.explore.app import ExploreApp, make_explore_server
from cdp.explore.project import find_project_dir

WIDTH = 1280


def pick_customer(database: Path) -> str:
    con = queries.open_database(database)
    try:
        for candidate in queries.health(con).largest_components:
            profile = queries.profile(con, candidate["customer_id"])
            if profile["is_known"] and not profile["is_erased"] and profile["last_name"]:
                return candidate["customer_id"]
    finally:
        con.close()
    raise SystemExit("no known, non-erased customer in this build")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True)
    parser.add_argument("--out", default="docs/img")
    parser.add_argument("--customer")
    args = parser.parse_args()
    database, out = Path(args.database), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    customer_id = args.customer or pick_customer(database)
    con = queries.open_database(database)
    try:
        customer = queries.profile(con, customer_id)
        nodes = queries.graph_nodes(con, customer_id)
        erased = queries.health(con).latest_erasures
    finally:
        con.close()
    anchor = next(n for n in nodes if n.is_anchor)
    farthest = max(nodes, key=lambda n: n.node_id)

    server = make_explore_server(ExploreApp(database, find_project_dir()), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}"
    pages = {
        "explore-search": "/?"
        + urlencode({"q": f"{customer['first_name']} {customer['last_name']}"}),
        "explore-customer": f"/customer/{customer_id}",
        "explore-why": "/why?"
        + urlencode(
            {
                "from_type": anchor.identifier_type,
                "from_value": anchor.label,
                "to_type": farthest.identifier_type,
                "to_value": farthest.label,
                "country": "",
            }
        ),
        "explore-health": "/health",
    }
    if erased:
        pages["explore-erased"] = f"/customer/{erased[0]['customer_id']}"
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--window-size={WIDTH},900",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    try:
        for name, path in pages.items():
            driver.get(site + path)
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(WIDTH, min(height + 20, 6000))
            driver.save_screenshot(str(out / f"{name}.png"))
            print(f"{out / name}.png  {site}{path}")
    finally:
        driver.quit()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
