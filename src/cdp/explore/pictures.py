"""The explorer's pictures in the docs (docs/img/explore-*.png) and the record that keeps
them true to the pages (scripts/explore_screenshots.py takes them with headless
Chromium; ``--check`` compares).

Beside each picture, ``explore-<page>.txt`` holds the text of the page it shows, and
``explore-screenshots.json`` for each page its address, the sha256 of the HTML the
explorer served (the database path left out) and of the stylesheet, and the sha256 of
the picture. The pages are chosen by queries on the marts (the example customers of the
landing page), never by hard-coded ids. Checking serves the same pages again from a
database in-process (no browser) and names every page whose text or markup differs from
the record, or whose picture is not the one recorded: such a picture no longer shows
what the explorer shows, and must be retaken."""

from __future__ import annotations

import difflib
import hashlib
import io
import json
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from cdp.explore import queries
from cdp.explore.app import ExploreApp

MANIFEST = "explore-screenshots.json"
SHOWN_DATABASE = "data/cdp.duckdb"  # the path the pictures show: the demo's default
# elements whose text is not shown as such (tooltips, styles) and elements that end a line
HIDDEN = {"title", "style", "script", "head"}
BLOCKS = {
    "p", "div", "section", "h1", "h2", "h3", "li", "tr", "table", "dt", "dd", "summary",
    "details", "header", "nav", "form", "svg", "g", "br",
}  # fmt: skip


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.hidden = 0

    def _end_line(self) -> None:
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in BLOCKS or tag in ("td", "th", "text", "option"):
            if tag in BLOCKS:
                self._end_line()
            else:
                self.current.append(" ")
        if tag == "input":
            value = dict(attrs).get("value")
            if value:
                self.current.append(f" [{value}] ")

    def handle_endtag(self, tag) -> None:
        if tag in HIDDEN:
            self.hidden -= 1
        elif tag in BLOCKS:
            self._end_line()

    def handle_data(self, data) -> None:
        if not self.hidden:
            self.current.append(data)


def page_text(html: str) -> str:
    """The text a reader sees on the page: every text node outside tooltips and styles,
    a line per block (paragraph, table row, chart element), spaces collapsed."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    parser._end_line()
    return "\n".join(parser.lines) + "\n"


@dataclass(frozen=True)
class Page:
    name: str  # the picture is explore-<name>.png
    path: str  # address on the explorer, with its query string


def pages(database: Path) -> list[Page]:
    """The pages the docs show, chosen from this build: the landing page, a search for the
    merged example customer's name, her page, why her first and last identifiers are one
    customer, the erased example's page, identity health."""
    con = queries.open_database(database)
    try:
        examples = {e.kind: e for e in queries.examples(con)}
        chosen = [Page("explore-landing", "/")]
        merged = examples.get("merged")
        if merged is not None:
            card = merged.card
            chosen.append(Page("explore-search", "/?" + urlencode({"q": card["name"]})))
            chosen.append(Page("explore-customer", f"/customer/{merged.customer_id}"))
            nodes = queries.graph_nodes(con, merged.customer_id)
            anchor = next(n for n in nodes if n.is_anchor)
            farthest = max(nodes, key=lambda n: n.node_id)
            why = {
                "from_type": anchor.identifier_type,
                "from_value": anchor.label,
                "to_type": farthest.identifier_type,
                "to_value": farthest.label,
                "country": "",
            }
            chosen.append(Page("explore-why", "/why?" + urlencode(why)))
        if "erased" in examples:
            chosen.append(Page("explore-erased", f"/customer/{examples['erased'].customer_id}"))
        chosen.append(Page("explore-health", "/health"))
        return chosen
    finally:
        con.close()


def serve(app: ExploreApp, path: str) -> str:
    """One page as the explorer serves it (in-process, no server), with the database
    path shown as the demo's default."""
    route, _, query = path.partition("?")
    environ = {
        "HTTP_HOST": "127.0.0.1:8765",
        "REQUEST_METHOD": "GET",
        "PATH_INFO": route.encode("utf-8").decode("latin-1"),
        "QUERY_STRING": query,
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    answer = {}

    def start_response(status, headers):
        answer["status"] = status

    body = b"".join(app(environ, start_response)).decode("utf-8")
    if not answer["status"].startswith("200"):
        raise RuntimeError(f"{path}: the explorer answered {answer['status']}")
    return body.replace(str(app.database), SHOWN_DATABASE)


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def stylesheet_digest() -> str:
    return sha256((Path(__file__).parent / "static" / "style.css").read_bytes())


def record(app: ExploreApp, chosen: list[Page], folder: Path, pictures: bool = True) -> dict:
    """Write each page's text and the manifest into folder (the pictures are already
    there when ``pictures``); return the manifest."""
    manifest = {"stylesheet_sha256": stylesheet_digest(), "pages": {}}
    for page in chosen:
        html = serve(app, page.path)
        (folder / f"{page.name}.txt").write_text(page_text(html), encoding="utf-8")
        entry = {"path": page.path, "html_sha256": sha256(html)}
        if pictures:
            entry["png_sha256"] = sha256((folder / f"{page.name}.png").read_bytes())
        manifest["pages"][page.name] = entry
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def check(app: ExploreApp, chosen: list[Page], folder: Path) -> list[str]:
    """What no longer matches between the recorded pictures and the pages served now:
    one message per page (empty when every picture is current)."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        return [f"{manifest_path} is missing: take the screenshots"]
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    problems = []
    recorded = manifest.get("pages", {})
    now = {page.name: page for page in chosen}
    for name in sorted(set(recorded) - set(now)):
        problems.append(f"{name}: recorded, but this build has no such page any more")
    for name, page in now.items():
        entry = recorded.get(name)
        if entry is None:
            problems.append(f"{name}: this build has the page, but no picture is recorded")
            continue
        if entry["path"] != page.path:
            problems.append(f"{name}: shows {entry['path']}, the build now chooses {page.path}")
            continue
        png = folder / f"{name}.png"
        if "png_sha256" in entry and (
            not png.is_file() or sha256(png.read_bytes()) != entry["png_sha256"]
        ):
            problems.append(f"{name}: {png} is not the picture recorded with its page text")
        html = serve(app, page.path)
        text_path = folder / f"{name}.txt"
        before = text_path.read_text(encoding="utf-8") if text_path.is_file() else ""
        text = page_text(html)
        if text != before:
            diff = difflib.unified_diff(
                before.splitlines(), text.splitlines(), "recorded", "served now", lineterm="", n=1
            )
            shown = "\n    ".join(list(diff)[:40])
            problems.append(f"{name}: the page's text changed ({page.path}):\n    {shown}")
        elif entry["html_sha256"] != sha256(html):
            problems.append(f"{name}: same text, but the page's markup changed ({page.path})")
    if manifest.get("stylesheet_sha256") != stylesheet_digest():
        problems.append("the stylesheet (src/cdp/explore/static/style.css) changed")
    return problems
