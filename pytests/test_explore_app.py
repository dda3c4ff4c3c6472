"""`cdp explore`'s pages as a WSGI application, and the command that serves them:
bad input gets a clear page (never a traceback), a missing or locked database a
page that says so, nothing is loaded from the internet, an erased customer's
page holds no personal data. The data is the hand-made build of
test_explore_queries.py."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest

from cdp.explore import pictures, queries
from cdp.explore.app import ExploreApp, _percent, is_loopback
from conftest import PROJECT_DIR
from test_explore_queries import ROSA_PII, explore_database


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    return explore_database(tmp_path_factory)


@pytest.fixture(scope="module")
def app(database) -> ExploreApp:
    return ExploreApp(database, PROJECT_DIR)


def call(
    app, path: str, query: str = "", method: str = "GET", host: str = "127.0.0.1:8765"
) -> tuple[int, dict, str]:
    """One request; the query string as a browser sends it (percent-encoded)."""
    environ = {
        "HTTP_HOST": host,
        "REQUEST_METHOD": method,
        # WSGI: the path is percent-decoded and carried as latin-1 characters of its bytes
        "PATH_INFO": path.encode("utf-8").decode("latin-1"),
        "QUERY_STRING": query,
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    answer = {}

    def start_response(status, headers):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(headers)

    body = b"".join(app(environ, start_response)).decode("utf-8")
    return answer["status"], answer["headers"], body


def customer_id(app, identifier: str) -> str:
    status, _, body = call(app, "/", f"q={identifier}&country=DE")
    assert status == 200
    ids = set(re.findall(r'href="/customer/(cus_[0-9a-f]+)"', body))
    assert len(ids) == 1, body
    return ids.pop()


def test_search_page_lists_the_customer(app):
    status, headers, body = call(app, "/", "q=+JANE.DOE%40example.com+&type=auto&country=DE")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert 'class="result"' in body and "Jane Doe" in body and "+49301234567" in body


@pytest.mark.parametrize(
    ("path", "query", "status", "message"),
    [
        ("/", "q=%FF", 400, "not valid UTF-8"),
        ("/", "q=a&q=b", 400, "Parameter &#39;q&#39; is given 2 times"),
        ("/", "q=" + "x" * 300, 400, "is 300 characters long"),
        ("/", "q=a%00b", 400, "contains control characters"),
        ("/", "q=jane&type=sql", 400, "Unknown search type &#39;sql&#39;"),
        ("/", "q=030+1234567&country=ZZ", 400, "Unknown country &#39;ZZ&#39;"),
        ("/why", "from_type=ssn&from_value=1&to_value=2", 400, "Unknown identifier type"),
        ("/nowhere", "", 404, "There is no page"),
        ("/customer/cus_000000000000000000000000", "", 404, "no customer"),
        ("/customer/<script>", "", 404, "&lt;script&gt;"),
    ],
)
def test_bad_input_gets_a_clear_page(app, path, query, status, message):
    got, _, body = call(app, path, query)
    assert got == status
    assert message in body
    assert "Traceback" not in body


def test_the_explorer_is_read_only(app):
    status, _, body = call(app, "/", "q=jane", method="POST")
    assert status == 405 and "read-only" in body


def test_injection_attempts_find_nothing_and_break_nothing(app):
    for typed in ("%27+or+1%3D1+--", "x%27%3B+drop+table+marts.customer_profiles%3B+--"):
        status, _, body = call(app, "/", f"q={typed}&country=DE")
        assert status == 200 and 'id="no-results"' in body
    assert customer_id(app, "S-J").startswith("cus_")


def test_pages_load_nothing_from_elsewhere_and_run_no_script(app):
    jane = customer_id(app, "S-J")
    for path, query in [
        ("/", "q=jane"),
        (f"/customer/{jane}", ""),
        ("/why", "from_type=anonymous_id&from_value=A-J&to_type=loyalty_id&to_value=900000001234"),
        ("/health", ""),
    ]:
        status, headers, body = call(app, path, query)
        assert status == 200, (path, body)
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        assert "<script" not in body
        # the only absolute URL is the SVG namespace, which is never fetched
        urls = set(re.findall(r"https?://[^\s\"'<>]+", body))
        assert urls <= {"http://www.w3.org/2000/svg"}, urls


def test_an_erased_customer_s_page_holds_no_pii(app):
    rosa = customer_id(app, "C-R")
    status, _, body = call(app, f"/customer/{rosa}")
    assert status == 200
    assert 'id="erased-banner"' in body
    for value in ROSA_PII:
        assert value.lower() not in body.lower(), value
    # and the search answer that found her by her email (the page repeats what was
    # typed; the answer itself shows nothing the marts do not)
    status, _, body = call(app, "/", "q=rosa.erased%40example.com")
    answer = re.search(r'<table id="results">.*?</table>', body, re.S).group(0)
    assert rosa in answer and "masked: matched by its sha256" in answer
    for value in ROSA_PII:
        assert value.lower() not in answer.lower(), value


def test_a_missing_database_gets_a_page_naming_it(tmp_path):
    missing = tmp_path / "not-built.duckdb"
    app = ExploreApp(missing, PROJECT_DIR)
    for path in ("/", "/health", "/why", "/customer/cus_x"):
        status, _, body = call(app, path, "q=jane")
        assert status == 503
        assert "not-built.duckdb does not exist" in body
    assert not missing.exists()


def test_a_locked_database_gets_a_page_saying_so(database, tmp_path):
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(database.read_bytes())
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('open', "
            "flush=True); time.sleep(60)",
            str(copy),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "open"
        status, _, body = call(ExploreApp(copy, PROJECT_DIR), "/health")
    finally:
        writer.kill()
        writer.wait()
    assert status == 503
    assert "is locked by another process" in body


def test_an_internal_error_shows_no_traceback(app, monkeypatch, capsys):
    def broken(con):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(queries, "health", broken)
    status, _, body = call(app, "/health")
    assert status == 500
    assert "Internal error" in body
    assert "secret detail" not in body and "Traceback" not in body
    assert "secret detail" in capsys.readouterr().err  # the terminal has it


def test_head_requests_get_headers_only(app):
    status, headers, body = call(app, "/health", method="HEAD")
    assert status == 200 and body == "" and int(headers["Content-Length"]) > 1000


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("0.0.0.0", False)],
)
def test_loopback_hosts(host, loopback):
    assert is_loopback(host) is loopback


def test_the_command_serves_on_localhost(database):
    command = [
        str(Path(sys.executable).with_name("cdp")),
        "explore",
        "--database",
        str(database),
        "--port",
        "0",
        "--country",
        "de",
    ]
    server = subprocess.Popen(command, cwd=PROJECT_DIR, stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        with urllib.request.urlopen(url + "?q=030+1234567", timeout=30) as response:
            body = response.read().decode("utf-8")
        assert "Jane Doe" in body  # read with the default country DE
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_command_names_a_project_it_cannot_find(database, tmp_path):
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("cdp")),
            "explore",
            "--database",
            str(database),
            "--project-dir",
            str(tmp_path),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "no dbt project found" in result.stderr


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("127.0.0.1:8765", 200),
        ("localhost:8765", 200),
        ("[::1]:8765", 200),
        ("evil.example:8765", 400),  # a rebinding web page's name for 127.0.0.1
        ("127.0.0.1.evil.example", 400),
    ],
)
def test_only_loopback_host_names_are_answered(app, host, status):
    got, _, body = call(app, "/health", host=host)
    assert got == status
    if status == 400:
        assert "Unexpected host" in body and "Jane" not in body


def test_a_server_bound_to_another_address_answers_any_host_name(database):
    open_app = ExploreApp(database, PROJECT_DIR, allowed_hosts=None)
    assert call(open_app, "/health", host="cdp.internal:8765")[0] == 200


# --- the landing page, browsing, the health page's wording, the customer page's figures ---


def _section(body: str, section_id: str) -> str:
    return re.search(rf'<section id="{section_id}">.*?</section>', body, re.S).group(0)


def test_the_landing_page_invites_you_in(app):
    jane, rosa = customer_id(app, "S-J"), customer_id(app, "C-R")
    status, _, body = call(app, "/")
    assert status == 200
    examples = _section(body, "examples")
    merged = re.search(r'<li class="example" data-kind="merged">.*?</li>', examples, re.S).group(0)
    assert f'href="/customer/{jane}">Jane Doe</a>' in merged
    assert "4 systems (CRM, online shop, loyalty programme, web and app)" in merged
    assert "by 7 identifiers" in merged
    erased = re.search(r'data-kind="erased">.*?</li>', examples, re.S).group(0)
    assert f'href="/customer/{rosa}">erased customer</a>' in erased
    for value in ROSA_PII:
        assert value.lower() not in body.lower(), value
    shared = re.search(r'data-kind="shared_phone">.*?</li>', examples, re.S).group(0)
    assert "+49309999999" in shared and "(seen with 2 loyalty ids)" in shared
    browse = _section(body, "browse")
    assert re.search(r'href="/browse\?by=journey_stage&amp;value=lapsed">lapsed</a></td>'
                     r'<td class="number">2</td>', browse)  # fmt: skip
    assert 'href="/browse?by=audience&amp;value=audience_email_marketing"' in browse
    assert 'href="/browse?by=value_tier&amp;value=platinum"' in browse
    health = " ".join(re.sub(r"<[^>]+>", " ", _section(body, "health-summary")).split())
    assert "4 customers 3 known 1 anonymous visitors 1 erased" in health
    assert "16 identifiers, of which 3 refused (19%)" in health
    assert "the largest customer has 7 stitching identifiers" in health
    # a search shows its answer, not the invitation
    _, _, searched = call(app, "/", "q=jane")
    assert 'id="examples"' not in searched and 'id="search-result"' in searched


def test_browsing_a_segment_lists_people_by_name(app):
    jane = customer_id(app, "S-J")
    status, _, body = call(app, "/browse", "by=journey_stage&value=lapsed")
    assert status == 200
    assert re.search(r'id="browse-total"><span><b>2</b> customers</span>', body)
    table = re.search(r'<table id="browse-table">.*?</table>', body, re.S).group(0)
    assert f'<a href="/customer/{jane}">Jane Doe</a>' in table and "Bob van den Berg" in table
    status, _, body = call(app, "/browse", "by=audience&value=audience_email_marketing")
    assert status == 200 and "Bob van den Berg" in body and "Jane Doe" not in body


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("by=journey_stage&value=churned", "Unknown journey stage &#39;churned&#39;"),
        ("by=audience&value=customer_profiles", "Unknown audience &#39;customer_profiles&#39;"),
        ("by=ssn&value=1", "Unknown segment kind &#39;ssn&#39;"),
        ("", "Unknown segment kind &#39;&#39;"),
    ],
)
def test_browsing_something_the_build_does_not_have_is_a_clear_400(app, query, message):
    status, _, body = call(app, "/browse", query)
    assert status == 400 and message in body and "Traceback" not in body


def test_the_health_page_explains_every_reason_and_counts_in_words(app):
    status, _, body = call(app, "/health")
    assert status == 200
    refused = _section(body, "refused")
    plotted = set(re.findall(r'class="bar-label">\w+ · (\w+)', refused))
    assert plotted == {"blocked", "service_number", "shared"}
    legend = re.search(r'<dl class="outcomes" id="refusal-legend">(.*?)</dl>', refused, re.S)
    explained = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", legend.group(1)))
    assert {k.replace(" ", "_") for k in explained} == plotted
    assert "toll-free" in explained["service number"]
    assert "this page does not know" not in legend.group(1)
    # the unknown caller's hotline: one record, which belongs to no customer
    row = re.search(r"<tr><td>service_number</td>.*?</tr>", refused).group(0)
    cells = re.findall(r"<td>(.*?)</td>", row)
    assert cells == ["service_number", "phone", "–", "1", "1", "0", "0", "1"]
    assert "marts.identity_health" in refused and "records_without_customer" in refused
    # customer_identities: test@test.com with Jane, the store phone with Jane and with Bob,
    # the hotline with nobody
    assert "(3 rows here for 3 identifiers" in " ".join(refused.split())
    sizes = _section(body, "components")
    assert ">1 identifier</text>" in sizes and ">2 identifiers</text>" in sizes
    assert "1 identifiers" not in body
    largest = re.search(r'<table id="largest">.*?</table>', sizes, re.S).group(0)
    first = re.search(r"<tbody>\s*<tr>(.*?)</tr>", largest, re.S).group(1)
    assert ">Jane Doe</a>" in first and "<td>DE</td>" in first and "<td>9</td>" in first


def test_the_customer_page_shows_rates_as_percentages_and_says_no_enrichment(app, monkeypatch):
    jane, bob = customer_id(app, "S-J"), customer_id(app, "900000005678")
    _, _, body = call(app, f"/customer/{jane}")
    assert '<td id="enrichment">no enrichment</td>' in body
    # Jane's only email activity is an unsubscribe: no email sent, no rate; two buyers are
    # too few to fit the CLV model: no probability
    assert '<td id="email-rates">– / –</td>' in body
    assert re.search(r'<td id="probability-alive">[^<]*/ –</td>', body)
    real_value = queries.value

    def with_rates(con, customer_id):  # the mart's types: decimal(9,4) rates, a double
        row = real_value(con, customer_id)
        row.update(
            email_open_rate=Decimal("0.6000"), email_click_rate=Decimal("0.0250"),
            probability_alive=0.8312,
        )  # fmt: skip
        return row

    monkeypatch.setattr(queries, "value", with_rates)
    _, _, body = call(app, f"/customer/{jane}")
    assert '<td id="email-rates">60% / 2.5%</td>' in body
    assert re.search(r'<td id="probability-alive">[^<]*/ 83%</td>', body)
    monkeypatch.undo()
    assert "record(s)" not in body and "1 records" not in body
    _, _, body = call(app, f"/customer/{bob}")
    assert (
        '<td id="enrichment">datafirm_a: age 35-44, income middle, interests outdoor|travel</td>'
        in body
    )


@pytest.mark.parametrize(
    ("share", "shown"),
    [
        (0.6, "60%"),
        (Decimal("0.6000"), "60%"),
        (0.0137, "1.4%"),
        (1, "100%"),
        (0, "0%"),
        (None, "–"),
    ],
)
def test_shares_are_shown_as_percentages(share, shown):
    assert _percent(share) == shown


# --- the docs' screenshots and the record that keeps them true -------------------------------

DOCS_IMG = PROJECT_DIR / "docs" / "img"


def test_every_picture_in_the_docs_is_recorded_with_its_page(tmp_path):
    manifest = json.loads((DOCS_IMG / pictures.MANIFEST).read_text(encoding="utf-8"))
    names = set(manifest["pages"])
    assert names == {
        "explore-landing",
        "explore-search",
        "explore-customer",
        "explore-why",
        "explore-erased",
        "explore-health",
    }
    assert {p.stem for p in DOCS_IMG.glob("explore-*.png")} == names, "a picture nobody checks"
    for name, entry in manifest["pages"].items():
        png = (DOCS_IMG / f"{name}.png").read_bytes()
        assert png.startswith(b"\x89PNG") and pictures.sha256(png) == entry["png_sha256"], name
        text = (DOCS_IMG / f"{name}.txt").read_text(encoding="utf-8")
        assert "cdp explore" in text and len(text.splitlines()) > 5, name
    assert manifest["stylesheet_sha256"] == pictures.stylesheet_digest(), (
        "style.css changed since the screenshots: retake them (scripts/explore_screenshots.py)"
    )


def test_a_recorded_page_that_changes_is_named(app, database, tmp_path):
    chosen = pictures.pages(database)
    assert [p.name for p in chosen] == [
        "explore-landing",
        "explore-search",
        "explore-customer",
        "explore-why",
        "explore-erased",
        "explore-health",
    ]
    jane = customer_id(app, "S-J")
    assert chosen[1].path == "/?q=Jane+Doe" and chosen[2].path == f"/customer/{jane}"
    for page in chosen:
        (tmp_path / f"{page.name}.png").write_bytes(b"\x89PNG " + page.name.encode())
    pictures.record(app, chosen, tmp_path)
    assert pictures.check(app, chosen, tmp_path) == []
    landing = (tmp_path / "explore-landing.txt").read_text(encoding="utf-8")
    assert "Jane Doe" in landing and "data/cdp.duckdb" in landing
    assert str(database) not in landing
    # below, three pages are enough (each check serves every page again)
    chosen = [p for p in chosen if p.name in ("explore-customer", "explore-why", "explore-erased")]
    pictures.record(app, chosen, tmp_path)
    # the page says something else than its picture
    (tmp_path / "explore-erased.txt").write_text(landing, encoding="utf-8")
    problems = pictures.check(app, chosen, tmp_path)
    assert len(problems) == 1 and problems[0].startswith("explore-erased: the page's text changed")
    pictures.record(app, chosen, tmp_path)
    # the same text, other markup (e.g. the graph's layout)
    manifest = json.loads((tmp_path / pictures.MANIFEST).read_text(encoding="utf-8"))
    manifest["pages"]["explore-customer"]["html_sha256"] = "0" * 64
    (tmp_path / pictures.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert pictures.check(app, chosen, tmp_path) == [
        f"explore-customer: same text, but the page's markup changed (/customer/{jane})"
    ]
    pictures.record(app, chosen, tmp_path)
    # another picture put in place of the recorded one
    (tmp_path / "explore-why.png").write_bytes(b"\x89PNG other")
    assert pictures.check(app, chosen, tmp_path) == [
        f"explore-why: {tmp_path / 'explore-why.png'} is not the picture recorded with its "
        "page text"
    ]
    pictures.record(app, chosen, tmp_path)
    # another customer chosen as the example
    moved = [
        pictures.Page(p.name, p.path + ("x" if p.name == "explore-erased" else "")) for p in chosen
    ]
    assert pictures.check(app, moved, tmp_path)[0].startswith("explore-erased: shows /customer/")


def test_page_text_is_what_a_reader_sees():
    html = (
        "<html><head><title>T</title><style>p{}</style></head><body><main><h1>Jane "
        "<span>Doe</span></h1><table><tr><th>city</th><td>Berlin</td></tr></table>"
        '<svg><g><title>tooltip</title><text x="1">label</text></g></svg>'
        '<input value="typed"><p>a   b\n c</p></main></body></html>'
    )
    assert pictures.page_text(html) == "Jane Doe\ncity Berlin\nlabel\n[typed]\na b c\n"
