"""`cdp explore`'s pages as a WSGI application, and the command that serves them:
bad input gets a clear page (never a traceback), a missing or locked database a
page that says so, nothing is loaded from the internet, an erased customer's
page holds no personal data. The data is the hand-made build of
test_explore_queries.py."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from cdp.explore import queries
from cdp.explore.app import ExploreApp, is_loopback
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
