"""`cdp explore` in headless Chromium (Debian chromium + chromium-driver through
selenium, as the docs browser test): search the hand-made customer of
test_explore_queries.py, open her page, check the golden record values and
sources, the identity graph's node count and the consent rows; an erased
customer's page shows no personal data. Skips, saying why, without Chromium
(scripts/install_browser.sh installs it)."""

from __future__ import annotations

import shutil
import threading
import time

import pytest

from cdp.explore.app import ExploreApp, make_explore_server
from conftest import PROJECT_DIR
from test_explore_queries import ROSA_PII, explore_database

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="headless Chromium not installed (Debian packages chromium and chromium-driver; "
    "scripts/install_browser.sh installs them as root)",
)
CHROMIUM_ARGUMENTS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1200",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    database = explore_database(tmp_path_factory)
    server = make_explore_server(ExploreApp(database, PROJECT_DIR, "DE"), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in CHROMIUM_ARGUMENTS:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def wait_for(condition, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
            if value:
                return value
        except Exception:
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise TimeoutError("the page did not show in time")
        time.sleep(0.2)


def search(browser, site, text: str, country: str = "DE") -> list:
    """Type into the search box, choose the country, submit; the result rows."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(site + "/")
    box = browser.find_element(By.ID, "q")
    box.clear()
    box.send_keys(text)
    Select(browser.find_element(By.ID, "country")).select_by_value(country)
    browser.find_element(By.ID, "search-button").click()
    wait_for(lambda: browser.find_element(By.ID, "search-result"))
    return browser.find_elements(By.CSS_SELECTOR, "#results tr.result")


def open_only_result(browser, site, text: str) -> None:
    from selenium.webdriver.common.by import By

    rows = search(browser, site, text)
    assert len(rows) == 1, [r.text for r in rows]
    rows[0].find_element(By.CSS_SELECTOR, "a").click()
    wait_for(lambda: browser.find_element(By.ID, "golden-record"))


def golden_row(browser, attribute: str) -> tuple[str, str, str, str]:
    from selenium.webdriver.common.by import By

    row = browser.find_element(By.CSS_SELECTOR, f'#golden-record tr[data-attribute="{attribute}"]')
    return tuple(
        row.find_element(By.CSS_SELECTOR, f"td.{cell}").text
        for cell in ("value", "source", "collected", "rule")
    )


def test_search_a_customer_and_read_her_golden_record(browser, site):
    from selenium.webdriver.common.by import By

    # her landline typed the way a caller says it, read as a German number
    open_only_result(browser, site, "030 1234567")
    assert browser.find_element(By.ID, "customer-name").text == "Jane Doe"
    # the email is observed once per source table that carries it: CRM contact, shop
    # account, loyalty card, order, email activity
    assert golden_row(browser, "primary_email") == (
        "jane.doe@example.com",
        "crm",
        "2022-05-01 09:00",
        "all 5 records agree",
    )
    assert golden_row(browser, "primary_phone")[:3] == ("+49301234567", "crm", "2022-05-01 09:00")
    assert golden_row(browser, "first_name") == (
        "Jane",
        "crm",
        "2022-05-01 09:00",
        "trust rank: crm (1) over loyalty (3)",
    )
    assert golden_row(browser, "city")[:2] == ("Berlin", "crm")
    assert golden_row(browser, "birth_date")[:2] == ("1985-04-12", "crm")


def test_her_identity_graph_has_every_identifier(browser, site):
    from selenium.webdriver.common.by import By

    open_only_result(browser, site, "jane.doe@example.com")
    graph = browser.find_element(By.CSS_SELECTOR, "#identity-graph svg")
    nodes = graph.find_elements(By.CSS_SELECTOR, "g.node")
    # email, landline, mobile, CRM contact, shop account, loyalty card, cookie
    assert len(nodes) == 7
    assert sorted(n.get_attribute("data-type") for n in nodes) == [
        "anonymous_id",
        "crm_contact_id",
        "email",
        "loyalty_id",
        "phone",
        "phone",
        "shop_customer_id",
    ]
    assert len(graph.find_elements(By.CSS_SELECTOR, "g.node.anchor")) == 1
    apart = graph.find_elements(By.CSS_SELECTOR, "g.node-apart")
    assert sorted(a.get_attribute("data-type") for a in apart) == ["email", "phone"]
    assert "test@test.com" in graph.text and "shared" in graph.text and "blocked" in graph.text


def test_her_consent_rows(browser, site):
    from selenium.webdriver.common.by import By

    open_only_result(browser, site, "S-J")
    rows = {
        row.get_attribute("data-purpose"): (
            row.find_element(By.CSS_SELECTOR, "td.status").text,
            row.find_element(By.CSS_SELECTOR, "td.contactable").text,
        )
        for row in browser.find_elements(By.CSS_SELECTOR, "#consent tbody tr")
    }
    assert rows == {
        "analytics": ("not_set", "no"),
        "email_marketing": ("denied", "no"),
        "personalization": ("not_set", "no"),
        "sms_marketing": ("granted", "yes"),
        "third_party_sharing": ("not_set", "no"),
    }
    history = browser.find_elements(
        By.CSS_SELECTOR, '#consent-history tr[data-purpose="email_marketing"]'
    )
    assert len(history) == 3  # accepts_marketing, the web form, the unsubscribe


def test_an_erased_customer_page_is_masked(browser, site):
    from selenium.webdriver.common.by import By

    open_only_result(browser, site, "C-R")
    assert browser.find_element(By.ID, "erased-banner").is_displayed()
    text = browser.find_element(By.TAG_NAME, "body").text
    source = browser.page_source
    for value in ROSA_PII:
        assert value.lower() not in text.lower(), value
        assert value.lower() not in source.lower(), value
    assert golden_row(browser, "primary_email") == ("–", "–", "–", "erased")
    graph = browser.find_element(By.CSS_SELECTOR, "#identity-graph svg")
    assert len(graph.find_elements(By.CSS_SELECTOR, "g.node")) == 3
    assert len(graph.find_elements(By.CSS_SELECTOR, "g.node.masked")) == 2


def test_a_number_read_with_another_country_finds_nobody(browser, site):
    from selenium.webdriver.common.by import By

    assert search(browser, site, "030 1234567", country="FR") == []
    assert browser.find_element(By.ID, "no-results").is_displayed()


def test_why_are_two_identifiers_one_customer(browser, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(site + "/why")
    Select(browser.find_element(By.ID, "from_type")).select_by_value("anonymous_id")
    browser.find_element(By.ID, "from_value").send_keys("A-J")
    Select(browser.find_element(By.ID, "to_type")).select_by_value("loyalty_id")
    browser.find_element(By.ID, "to_value").send_keys("900000001234")
    browser.find_element(By.ID, "why-button").click()
    verdict = wait_for(lambda: browser.find_element(By.ID, "verdict")).text
    assert verdict.startswith("One customer: cus_")
    records = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "#hops td.record")]
    assert records == [
        "web_events:E-J2",
        "shop_customers:S-J",
        "loyalty_members:900000001234",
    ]


def test_identity_health_and_audiences(browser, site):
    from selenium.webdriver.common.by import By

    browser.get(site + "/health")
    row = wait_for(
        lambda: browser.find_element(
            By.CSS_SELECTOR, '#audience-table tr[data-audience="audience_email_marketing"]'
        )
    )
    # Bob is in; Jane (unsubscribed) and Rosa (erased) are kept out by consent
    assert row.find_element(By.CSS_SELECTOR, "td.members").text == "1"
    assert row.find_element(By.CSS_SELECTOR, "td.excluded").text == "2"
    # the id registry's first build: the four customers created, nothing merged yet
    builds = browser.find_element(By.ID, "build-table").find_elements(By.CSS_SELECTOR, "tbody tr")
    assert [r.text for r in builds] == ["1 4 4 0 0 0 0 0 0"]
    assert (
        "No merges, splits or retirements yet." in browser.find_element(By.ID, "change-table").text
    )


def test_a_bad_query_string_gets_a_page_not_a_traceback(browser, site):
    from selenium.webdriver.common.by import By

    browser.get(site + "/?q=%FF")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Bad query"
    assert "not valid UTF-8" in browser.find_element(By.ID, "error-message").text
    assert "Traceback" not in browser.page_source


OVERLAPS_JS = """
const svg = document.querySelector('svg.graph');
const box = e => e.getBoundingClientRect();
const counts = [...svg.querySelectorAll('text.link-count')].map(box);
const others = [...svg.querySelectorAll('g.node text, g.node circle')].map(box);
const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
let overlaps = 0;
counts.forEach((c, i) => {
    others.forEach(o => { if (hit(c, o)) overlaps++; });
    counts.forEach((d, j) => { if (j > i && hit(c, d)) overlaps++; });
});
return [counts.length, overlaps];
"""


def test_link_counts_stay_clear_of_node_labels_as_chromium_draws_them(browser, site):
    """Measured in the browser with its own fonts: on Jane's graph and on a crowded one
    (a hub with ten long-labelled identifiers, each linked by several records)."""
    from selenium.webdriver.common.by import By

    from cdp.explore.queries import GraphLink, GraphNode
    from cdp.explore.svg import identity_graph

    open_only_result(browser, site, "jane.doe@example.com")
    counts, overlaps = browser.execute_script(OVERLAPS_JS)
    assert counts >= 1 and overlaps == 0
    nodes = [
        GraphNode(i, "email" if i % 2 else "anonymous_id", f"someone.long.name{i}@example.com",
                  False, 3, i == 1)
        for i in range(1, 15)
    ]  # fmt: skip
    records = [{"source_table": "web_events", "record_key": f"E{i}", "linked_at": None}
               for i in range(4)]  # fmt: skip
    links = [GraphLink(1, i, records[: 2 + i % 3]) for i in range(2, 11)]
    links += [GraphLink(i, i + 9, records[:2]) for i in range(2, 6)]
    stylesheet = (PROJECT_DIR / "src/cdp/explore/static/style.css").read_text(encoding="utf-8")
    page = f"<style>{stylesheet}</style>{identity_graph(nodes, links, [])}"
    browser.get("about:blank")  # a page of its own: the explorer's forbids inline styles
    browser.execute_script("document.open(); document.write(arguments[0]); document.close();", page)
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.graph g.node")) == 14
    counts, overlaps = browser.execute_script(OVERLAPS_JS)
    assert counts == 13 and overlaps == 0


def test_the_landing_page_leads_to_a_merged_customer(browser, site):
    from selenium.webdriver.common.by import By

    browser.get(site + "/")
    example = browser.find_element(By.CSS_SELECTOR, '#examples li[data-kind="merged"] a')
    assert example.text == "Jane Doe"
    example.click()
    wait_for(lambda: browser.find_element(By.ID, "golden-record"))
    assert browser.find_element(By.ID, "customer-name").text == "Jane Doe"
    browser.get(site + "/")
    browser.find_element(By.LINK_TEXT, "lapsed").click()
    wait_for(lambda: browser.find_element(By.ID, "browse-table"))
    names = [
        a.text for a in browser.find_elements(By.CSS_SELECTOR, "#browse-table td:first-child a")
    ]
    assert sorted(names) == ["Bob van den Berg", "Jane Doe"]
