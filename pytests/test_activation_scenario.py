"""cdp sync on hand-made people, one build and one rebuild (docs/activation.md).

People (DE, an opt-in country, unless said; their consent as raw consent events):
  Ann   grants email marketing and third-party sharing; in every list all along
  Bob   grants email marketing; opts out (delivery 2), grants again (delivery 3)
  Cara  grants both; asks for erasure (delivery 2)
  Dan   grants both; unsubscribes from an email (delivery 3)
  Eve   grants email marketing; asks to restrict processing (delivery 3)
  Finn  US, no signal: no explicit grant
  Gus   his phone said no to email marketing, then he granted it by email: the phone
        stays suppressed for email marketing, so a list that sends phones leaves him out
  Ivy   grants through the shop's accepts_marketing flag; the flag turns to no (delivery 2)
  Jo    grants email marketing; restricts processing by a phone typed without its
        country (delivery 2)

Timeline: build 1 and sync 1; delivery 2 lands and the sync runs before any build (the
marts are stale: the people it concerns are held and removed); delivery 3 lands, build 2,
sync 3 (Bob back, Dan and Eve out by the rebuilt marts). Destinations (declared in a
YAML file of the test): a Google Customer Match CSV list, a Meta Parquet list, an ESP
over HTTP (the reference receiver), and an HTTP destination whose server fails on
purpose (500s, a timeout, a process killed mid-sync). Every expected hash is the
sha256 of a text normalized by hand from the platforms' rules.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from cdp.activation import files, pending
from cdp.activation.receiver import ListReceiver, make_server
from cdp.activation.sync import run
from cdp.cli import main
from cdp.explore.app import ExploreApp
from conftest import PROJECT_DIR, TEST_SECRET_SALT, land_rows, query

# hand-normalized texts and their sha256
ANN_EMAIL = (
    "b7e0d8372a47f54bbefeb251ab9ac1e9e6b2d1983263de10196101be3961ed23"  # ann.lee@example.com
)
ANN_PHONE_E164 = "74bd805bcc47f8603082430ca056311389e38b74fcdfbc32bcb5c6a9269ff3bf"  # +49301234567
ANN_PHONE_DIGITS = "2f9fbc550b12cbc0e6242384cc472bd1e4f058a8b773f189f7acb86d202655ce"  # 49301234567
ANN_FIRST_GOOGLE = "79f902813a6a59515b1ed66bf8acd9b5205516298f13ad2686b9846de281f1ed"  # ann marie
ANN_FIRST_META = "2322d03565a46ece1e31e5ef0d5f79f5a0ee0dc96ff666e52948e52e0298850e"  # annmarie
ANN_LAST = "69434e1d746b140917f0e1277d27abf66f3c839c127a9d4494b0ed98f7ef788d"  # leesmith
DE = "959a45d44e6fcf58361ed004681556fe50129f2109e817dec098c00c9e5d2578"  # de
ZIP_10115 = "ac7bb74de6884ffce919c15fef4193749d4588026c643973946713ac46da540d"  # 10115
BOB_EMAIL_GOOGLE = (
    "c37f078ac5807b788de1ae3c8703da56ee6f00b450cb7e0d1edc9cb252ebc07a"  # bobstone@gmail.com
)
CARA_EMAIL = "b192c087920786c9cdd12bb3f480e5d04141d8cc70c9ae61ab3da35101f58ef3"  # cara@example.org
CARA_PHONE_E164 = "932ccc227b6c4af678fba5a72b0e0fdeb35d238c68f78a636906a19b7bd6fedc"  # +49305555555
CARA_PHONE_DIGITS = (
    "bb39903a21a248c16455a6dc96a73cb31d2cbb47208b6f4105c31a0e5253bc4b"  # 49305555555
)
CARA_FIRST = "f61f5c5e22749aeba2bd920352dbd4c9f63e0ebaed6df623b09c836ffcbec2eb"  # cara
CARA_LAST = "f8b003e0b309fd38ca34d66152b3f66a8bd7851166688a810ef51563b1140a65"  # diaz
HAND = {
    "ann.lee@example.com": ANN_EMAIL,
    "+49301234567": ANN_PHONE_E164,
    "49301234567": ANN_PHONE_DIGITS,
    "ann marie": ANN_FIRST_GOOGLE,
    "annmarie": ANN_FIRST_META,
    "leesmith": ANN_LAST,
    "de": DE,
    "10115": ZIP_10115,
    "bobstone@gmail.com": BOB_EMAIL_GOOGLE,
    "cara@example.org": CARA_EMAIL,
    "+49305555555": CARA_PHONE_E164,
    "49305555555": CARA_PHONE_DIGITS,
    "cara": CARA_FIRST,
    "diaz": CARA_LAST,
}
ALL_IDENTIFIERS = ["email", "phone", "first_name", "last_name", "country", "postal_code"]


def shop(customer_id, email, first, last, phone=None, country="DE", **extra) -> dict:
    return {
        "customer_id": customer_id,
        "email": email,
        "phone": phone,
        "first_name": first,
        "last_name": last,
        "country": country,
        "created_at": "2024-01-01",
        **extra,
    }


def consent(event_id, identifier_type, value, purpose, status, at, **extra) -> dict:
    return {
        "event_id": event_id,
        "identifier_type": identifier_type,
        "identifier_value": value,
        "purpose": purpose,
        "status": status,
        "source": "preference_center",
        "policy_version": "v3",
        "occurred_at": at,
        **extra,
    }


def privacy(request_id, identifier_type, value, request_type, at, **extra) -> dict:
    return {
        "request_id": request_id,
        "identifier_type": identifier_type,
        "identifier_value": value,
        "request_type": request_type,
        "received_at": at,
        **extra,
    }


EMAIL, SHARING = "email_marketing", "third_party_sharing"
DELIVERY_1 = {
    "shop_customers": [
        shop("S-A", "Ann.Lee@Example.com", "Ann Marie", "Lee-Smith", "+49 30 1234567"),
        shop("S-B", "Bob.Stone+shop@gmail.com", "Bob", "Stone"),
        shop("S-C", "cara@example.org", "Cara", "Diaz", "+49 30 5555555"),
        shop("S-D", "dan@example.org", "Dan", "Berg"),
        shop("S-E", "eve@example.org", "Eve", "Kuhn"),
        shop("S-F", "finn@example.com", "Finn", "Wolf", country="US"),
        shop("S-G", "gus@example.org", "Gus", "Roth", "+49 30 6666666"),
        shop(
            "S-I",
            "ivy@example.org",
            "Ivy",
            "Lang",
            accepts_marketing="yes",
            updated_at="2024-01-02",
        ),
        shop("S-J", "jo@example.org", "Jo", "Mohr", "+49 30 7654321"),
    ],
    "crm_contacts": [
        {
            "contact_id": "C-A",
            "email": "ann.lee@example.com",
            "first_name": "Ann Marie",
            "last_name": "Lee-Smith",
            "postal_code": "10115",
            "city": "Berlin",
            "country": "DE",
            "created_at": "2024-01-01",
            "updated_at": "2024-01-01",
        }
    ],
    "consent_events": [
        consent("E-A1", "email", "ann.lee@example.com", EMAIL, "granted", "2024-01-10"),
        consent("E-A2", "email", "ann.lee@example.com", SHARING, "granted", "2024-01-10"),
        consent("E-B1", "email", "bob.stone+shop@gmail.com", EMAIL, "granted", "2024-01-10"),
        consent("E-C1", "email", "cara@example.org", EMAIL, "granted", "2024-01-10"),
        consent("E-C2", "email", "cara@example.org", SHARING, "granted", "2024-01-10"),
        consent("E-D1", "email", "dan@example.org", EMAIL, "granted", "2024-01-10"),
        consent("E-D2", "email", "dan@example.org", SHARING, "granted", "2024-01-10"),
        consent("E-E1", "email", "eve@example.org", EMAIL, "granted", "2024-01-10"),
        consent("E-G1", "phone", "+49 30 6666666", EMAIL, "denied", "2024-02-01"),
        consent("E-G2", "email", "gus@example.org", EMAIL, "granted", "2024-03-01"),
        consent("E-J1", "email", "jo@example.org", EMAIL, "granted", "2024-01-10"),
    ],
}
DELIVERY_2 = {
    "consent_events": [
        consent("E-B2", "email", "bob.stone+shop@gmail.com", EMAIL, "withdrawn", "2024-06-01"),
        # a grant is no reason to hold anybody, nor a denial of a purpose the
        # destinations do not need
        consent("E-A3", "email", "ann.lee@example.com", SHARING, "granted", "2024-06-05"),
        consent("E-A4", "email", "ann.lee@example.com", "sms_marketing", "denied", "2024-06-05"),
    ],
    "privacy_requests": [
        privacy("R-C1", "email", "cara@example.org", "erasure", "2024-06-02"),
        privacy("R-J1", "phone", "030 7654321", "restrict_processing", "2024-06-04"),
        privacy("R-X1", "email", "nobody@nowhere.example", "erasure", "2024-06-04"),
    ],
    "shop_customers": [
        shop(
            "S-I",
            "ivy@example.org",
            "Ivy",
            "Lang",
            accepts_marketing="no",
            updated_at="2024-06-03",
        )
    ],
}
DELIVERY_3 = {
    "consent_events": [
        consent("E-B3", "email", "bob.stone+shop@gmail.com", EMAIL, "granted", "2024-07-01"),
    ],
    "email_activity": [
        {
            "activity_id": "A-D1",
            "email": "dan@example.org",
            "campaign_id": "K1",
            "activity_type": "unsubscribe",
            "occurred_at": "2024-06-15",
        }
    ],
    "privacy_requests": [
        privacy("R-E1", "email", "eve@example.org", "restrict_processing", "2024-06-20"),
    ],
}


def dbt_build(database: Path, *selection: str) -> None:
    """dbt build in a process of its own: in-process, dbt-duckdb keeps the file open, and
    neither the sync killed on purpose (a process of its own too) nor the explorer
    (read-only) could open it beside it."""
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "build",
            *selection,
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(PROJECT_DIR),
            "--target-path",
            str(database.parent / "target"),
            "--log-path",
            str(database.parent / "logs"),
        ],
        env={**os.environ, "CDP_DUCKDB_PATH": str(database), "CDP_SECRET_SALT": TEST_SECRET_SALT},
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]


def append_rows(database: Path, tables: dict[str, list[dict]], loaded_at: str) -> None:
    """A later delivery of the EL tool: rows added to the raw tables."""
    con = duckdb.connect(str(database))
    try:
        for table, rows in tables.items():
            columns = [r[0] for r in con.execute(f"describe raw.{table}").fetchall()]
            for row in rows:
                values = [row.get(c) for c in columns[:-1]] + [loaded_at]
                marks = ", ".join("?" for _ in values)
                con.execute(f"insert into raw.{table} values ({marks})", values)
    finally:
        con.close()


class FlakyReceiver(ListReceiver):
    """The reference receiver answering as a script says, request by request:
    "ok"; a status code (nothing applied); "slow" (apply, then answer after the
    client's timeout); "hang" (apply, then wait until released: the test kills the
    sending process meanwhile)."""

    def __init__(self) -> None:
        super().__init__()
        self.script: list = []
        self.deliveries: dict[str, int] = {}
        self.applications: dict[str, int] = {}
        self.hanging = threading.Event()
        self.release = threading.Event()

    def receive(self, body):
        step = self.script.pop(0) if self.script else "ok"
        for operation in body.get("operations", []):
            self.deliveries[operation["op_id"]] = self.deliveries.get(operation["op_id"], 0) + 1
        if isinstance(step, int):
            return step, {"error": "scripted failure"}
        before = set(self.applied)
        answer = super().receive(body)
        for op_id in set(self.applied) - before:
            self.applications[op_id] = self.applications.get(op_id, 0) + 1
        if step == "slow":
            time.sleep(1.0)
        if step == "hang":
            self.hanging.set()
            self.release.wait(30)
        return answer


def serve(receiver: ListReceiver):
    server = make_server(receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/list"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("activation")
    database = folder / "cdp.duckdb"
    land_rows(database, DELIVERY_1)
    dbt_build(database)
    esp, flaky = ListReceiver(), FlakyReceiver()
    esp_server, esp_url = serve(esp)
    flaky_server, flaky_url = serve(flaky)
    exports = folder / "exports"

    def file_list(name, fmt, file_format, purposes, identifiers):
        return {
            "name": name,
            "type": "application",
            "owner": {"name": "test"},
            "depends_on": ["ref('audience_email_marketing')"],
            "config": {
                "meta": {
                    "cdp_destination": {
                        "type": "file",
                        "format": fmt,
                        "file_format": file_format,
                        "path": str(exports / name),
                        "consent_purposes": purposes,
                        "identifiers": identifiers,
                    }
                }
            },
        }

    def http(name, url, **settings):
        return {
            "name": name,
            "type": "application",
            "owner": {"name": "test"},
            "depends_on": ["ref('audience_email_marketing')"],
            "config": {
                "meta": {
                    "cdp_destination": {
                        "type": "http",
                        "format": "json",
                        "url": url,
                        "consent_purposes": [EMAIL],
                        "identifiers": ["email", "first_name"],
                        **settings,
                    }
                }
            },
        }

    declarations = folder / "destinations.yml"
    declarations.write_text(
        json.dumps(
            {
                "version": 2,
                "exposures": [
                    file_list(
                        "ads_google", "google_customer_match", "csv", [EMAIL], ALL_IDENTIFIERS
                    ),
                    file_list(
                        "ads_meta",
                        "meta_custom_audience",
                        "parquet",
                        [EMAIL, SHARING],
                        ALL_IDENTIFIERS,
                    ),
                    file_list("ads_copy", "google_customer_match", "csv", [EMAIL], ["email"]),
                    file_list("ads_copy_two", "google_customer_match", "csv", [EMAIL], ["email"]),
                    http("esp", esp_url),
                    http(
                        "esp_flaky",
                        flaky_url,
                        batch_size=2,
                        max_attempts=3,
                        backoff_seconds=0.01,
                        timeout_seconds=0.5,
                    ),
                ],
            }
        )
    )
    world = {
        "folder": folder,
        "database": database,
        "declarations": declarations,
        "exports": exports,
        "esp": esp,
        "flaky": flaky,
        "flaky_url": flaky_url,
        "outcomes": {},
        "lines": [],
    }
    try:
        yield world
    finally:
        flaky.release.set()
        for server in (esp_server, flaky_server):
            server.shutdown()
            server.server_close()


def sync(world, *names, full=False, dry_run=False):
    lines: list[str] = []
    outcomes = run(
        world["database"],
        PROJECT_DIR,
        names=list(names),
        full=full,
        dry_run=dry_run,
        progress=False,
        declarations=[world["declarations"]],
        echo=lines.append,
    )
    world["lines"].append(lines)
    return {o.destination: o for o in outcomes}, lines


def ids(world) -> dict[str, str]:
    """First name -> customer id (from the marts)."""
    return dict(
        query(
            world["database"],
            "select first_name, customer_id from marts.customer_profiles "
            "where first_name is not null",
        )
    )


def who(world, customer_ids) -> set[str]:
    names = {v: k for k, v in ids(world).items()}
    return {names.get(c, c) for c in customer_ids}


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def log_rows(world, sync_id) -> dict[str, tuple]:
    """first name -> (operation, reason, state) of a sync's rows."""
    names = {v: k for k, v in ids(world).items()}
    rows = query(
        world["database"],
        "select customer_id, operation, reason, state from marts.activation_sync_rows "
        "where sync_id = ?",
        [sync_id],
    )
    return {names.get(c, c): (op, reason, state) for c, op, reason, state in rows}


# ---------------------------------------------------------------------------
# the scenario, step by step (the tests of this module run in order)


def test_sync_1_sends_who_may_be_sent_with_the_hashes_the_platforms_ask_for(world):
    outcomes, _ = sync(world, "ads_google", "ads_meta", "esp")
    world["outcomes"][1] = outcomes
    people = ids(world)
    assert all(o.status == "succeeded" for o in outcomes.values())

    # Google: email marketing; Gus's phone is suppressed for it, and this list sends phones
    google = outcomes["ads_google"]
    (add_file,) = sorted((world["exports"] / "ads_google").glob("*.csv"))
    assert add_file.name == f"ads_google-{google.sync_id:06d}-add.csv"
    rows = read_csv(add_file)
    assert len(rows) == 7 == google.counts["add"]
    assert list(rows[0]) == ["Email", "Phone", "First Name", "Last Name", "Country", "Zip"]
    ann = next(r for r in rows if r["Email"] == ANN_EMAIL)
    assert ann == {
        "Email": ANN_EMAIL,
        "Phone": ANN_PHONE_E164,
        "First Name": ANN_FIRST_GOOGLE,
        "Last Name": ANN_LAST,
        "Country": "DE",  # in clear, as Google asks
        "Zip": "10115",
    }
    # Google's Gmail rule: dots and the +suffix of the local part removed
    assert any(r["Email"] == BOB_EMAIL_GOOGLE for r in rows)
    assert google.excluded == {"suppressed": 1}

    # Meta: also needs third-party sharing, which only Ann, Cara and Dan granted
    meta = outcomes["ads_meta"]
    (meta_file,) = (world["exports"] / "ads_meta").glob("*.parquet")
    meta_rows = pq.read_table(meta_file).to_pylist()
    assert {r["email"] for r in meta_rows} == {
        ANN_EMAIL,
        CARA_EMAIL,
        hashlib.sha256(b"dan@example.org").hexdigest(),
    }
    assert next(r for r in meta_rows if r["email"] == ANN_EMAIL) == {
        "email": ANN_EMAIL,
        "phone": ANN_PHONE_DIGITS,
        "fn": ANN_FIRST_META,
        "ln": ANN_LAST,
        "country": DE,
        "zip": ZIP_10115,
    }
    assert meta.excluded == {"no_grant": 5}

    # the ESP gets clear addresses (it mails them) of everyone in the audience
    assert set(world["esp"].records) == {
        people[n] for n in ("Ann Marie", "Bob", "Cara", "Dan", "Eve", "Gus", "Ivy", "Jo")
    }
    assert world["esp"].records[people["Ann Marie"]] == {
        "email": "ann.lee@example.com",
        "first_name": "Ann Marie",
    }


def test_each_sent_row_records_the_consent_it_relied_on(world):
    google = world["outcomes"][1]["ads_google"]
    people = ids(world)
    proof = query(
        world["database"],
        "select purpose, status, source, policy_version, decided_at, signal_id "
        "from marts.activation_sync_consent where sync_id = ? and customer_id = ?",
        [google.sync_id, people["Ann Marie"]],
    )
    assert [row[:4] for row in proof] == [(EMAIL, "granted", "preference_center", "v3")]
    assert str(proof[0][4]) == "2024-01-10 00:00:00"
    assert "E-A1" in proof[0][5]
    # what was sent is kept as keyed hashes only: the key and value, salted
    (sent,) = query(
        world["database"],
        "select sent_fields from marts.activation_sync_rows where sync_id = ? and customer_id = ?",
        [google.sync_id, people["Ann Marie"]],
    )[0:1]
    keyed = hashlib.sha256(f"{TEST_SECRET_SALT}:Email:{ANN_EMAIL}".encode()).hexdigest()
    assert json.loads(sent[0])["Email"] == keyed
    summary = query(
        world["database"],
        "select added, removed, failed, excluded, audience_build from marts.activation_syncs "
        "where sync_id = ?",
        [google.sync_id],
    )
    assert summary == [(7, 0, 0, 1, 1)]


def test_a_second_sync_without_changes_sends_nothing(world):
    outcomes, _ = sync(world, "ads_google", "ads_meta", "esp")
    assert {n: (o.status, sum(o.counts.values())) for n, o in outcomes.items()} == {
        "ads_google": ("succeeded", 0),
        "ads_meta": ("succeeded", 0),
        "esp": ("succeeded", 0),
    }
    assert len(list((world["exports"] / "ads_google").glob("*"))) == 1  # no new file


def test_the_audience_table_is_not_trusted_for_consent(world):
    """A row in the audience that consent does not allow now (a stale or hand-edited
    audience) is not sent: consent is read from the marts at send time."""
    finn = ids(world)["Finn"]
    con = duckdb.connect(str(world["database"]))
    con.execute(
        "insert into marts.audience_email_marketing (customer_id, email) values (?, ?)",
        [finn, "finn@example.com"],
    )
    con.close()
    try:
        outcomes, _ = sync(world, "esp")
        assert outcomes["esp"].counts["add"] == 0
        assert outcomes["esp"].excluded == {"no_grant": 1}
        assert finn not in world["esp"].records
    finally:
        con = duckdb.connect(str(world["database"]))
        con.execute("delete from marts.audience_email_marketing where customer_id = ?", [finn])
        con.close()


def test_flaky_destination_first_sync_survives_500s_and_a_timeout(world):
    flaky = world["flaky"]
    # batch 1: a 500, then accepted; batch 2: applied but answered too late, sent again
    flaky.script = [500, "ok", "slow", "ok"]
    outcomes, _ = sync(world, "esp_flaky")
    outcome = outcomes["esp_flaky"]
    assert outcome.status == "succeeded"
    assert outcome.counts["add"] == 8
    assert set(flaky.records) == set(world["esp"].records)
    assert set(flaky.applications.values()) == {1}  # nobody applied twice
    assert sorted(flaky.deliveries.values()) == [1] * 4 + [2] * 4  # batches 1 and 2 twice
    assert "batch 1 accepted after 1 failed attempt(s) (HTTP 500)" in outcome.message
    assert "batch 2 accepted after 1 failed attempt(s) (no answer within 0.5 s)" in outcome.message


def test_delivery_2_lands_and_syncing_before_the_build_holds_who_it_concerns(world, monkeypatch):
    database = world["database"]
    append_rows(database, DELIVERY_2, "2025-02-01 00:00:00")
    # too many new signals: nothing is sent at all
    monkeypatch.setattr(pending, "PENDING_LIMIT", 3)
    outcomes, lines = sync(world, "esp")
    assert outcomes["esp"].status == "refused"
    assert "more than 3" in outcomes["esp"].message
    assert "privacy_requests: 3" in lines[0] and "more than 3" in lines[0]
    monkeypatch.undo()

    outcomes, lines = sync(world, "ads_google", "ads_meta", "esp")
    world["outcomes"][2] = outcomes
    assert lines[0] == (
        "6 consent or privacy signal(s) landed in raw after the last dbt build "
        "(consent_events: 2, privacy_requests: 3, shop_customers: 1); 5 customer(s) held "
        "until dbt build reads them (by the destinations needing a purpose concerned); "
        "1 match no customer (privacy_requests R-X1)"
    )
    google = outcomes["ads_google"]
    assert log_rows(world, google.sync_id) == {
        name: ("remove", "held_pending_signal", "sent") for name in ("Bob", "Cara", "Ivy", "Jo")
    }
    # the remove file holds the hashes sent before: Cara's email and phone among them
    remove_file = world["exports"] / "ads_google" / f"ads_google-{google.sync_id:06d}-remove.csv"
    removed = read_csv(remove_file)
    assert {"Email": CARA_EMAIL, "Phone": CARA_PHONE_E164} == {
        k: v
        for k, v in next(r for r in removed if r["Email"] == CARA_EMAIL).items()
        if k in ("Email", "Phone")
    }
    assert list(removed[0]) == ["Email", "Phone", "First Name", "Last Name"]  # hashes only
    assert log_rows(world, outcomes["ads_meta"].sync_id) == {
        "Cara": ("remove", "held_pending_signal", "sent")
    }
    assert who(world, world["esp"].records) == {"Ann Marie", "Dan", "Eve", "Gus"}


def test_a_failed_batch_keeps_its_removals_owed_and_the_next_sync_sends_them(world):
    flaky = world["flaky"]
    flaky.script = ["ok", 500, 500, 500]  # batch 2 of the four removals fails three times
    outcomes, _ = sync(world, "esp_flaky")
    failed = outcomes["esp_flaky"]
    assert failed.status == "failed"
    assert "stopped at batch 2 of 2" in failed.message
    assert (failed.counts["remove"], failed.counts["unsent"]) == (2, 2)
    states = query(
        world["database"],
        "select state, customer_id, op_id from marts.activation_sync_rows where sync_id = ? "
        "order by op_id",
        [failed.sync_id],
    )
    sent = who(world, [c for state, c, _ in states if state == "sent"])
    # a 500 may come from a receiver that applied part of the batch: state unknown
    owed = [(op_id,) for state, _, op_id in states if state == "unknown"]
    assert len(sent) == len(owed) == 2
    # the first batch's two removals were applied, the second's are owed
    assert who(world, flaky.records) == {"Ann Marie", "Dan", "Eve", "Gus"} | (
        {"Bob", "Cara", "Ivy", "Jo"} - sent
    )

    outcomes, _ = sync(world, "esp_flaky")
    resumed = outcomes["esp_flaky"]
    assert resumed.status == "succeeded"
    assert resumed.counts["remove"] == 2
    assert who(world, flaky.records) == {"Ann Marie", "Dan", "Eve", "Gus"}
    # sent again under the same op_ids; the receiver applied each once
    again = query(
        world["database"],
        "select op_id from marts.activation_sync_rows where sync_id = ? order by op_id",
        [resumed.sync_id],
    )
    assert again == owed
    assert set(flaky.applications.values()) == {1}


def test_delivery_3_and_build_2_bob_returns_dan_and_eve_leave(world):
    database = world["database"]
    syncs_before = query(database, "select count(*) from activation.syncs")[0][0]
    append_rows(database, DELIVERY_3, "2025-03-01 00:00:00")
    # deliveries 2 and 3 touched these raw tables only: what reads them is rebuilt, the
    # rest reads unchanged tables
    dbt_build(
        database,
        "--select",
        "base_consent__events+",
        "base_privacy__requests+",
        "base_shop__customers+",
        "base_email__activities+",
    )
    # dbt build leaves the sync state and the log views alone
    assert query(database, "select count(*) from activation.syncs")[0][0] == syncs_before
    assert query(database, "select count(*) from marts.activation_syncs")[0][0] == syncs_before

    outcomes, lines = sync(world, "ads_google", "ads_meta", "esp")
    world["outcomes"][3] = outcomes
    # the log names the build the audience came from (the identity registry's count)
    assert query(
        database,
        "select audience_build from marts.activation_syncs where sync_id = ?",
        [outcomes["ads_google"].sync_id],
    ) == [(2,)]
    assert lines[0].startswith("ads_google")  # no signal newer than the build
    assert log_rows(world, outcomes["ads_google"].sync_id) == {
        "Bob": ("add", "entered", "sent"),
        "Dan": ("remove", "consent_denied", "sent"),
        "Eve": ("remove", "restricted", "sent"),
    }
    assert log_rows(world, outcomes["ads_meta"].sync_id) == {
        "Dan": ("remove", "consent_denied", "sent")
    }
    assert who(world, world["esp"].records) == {"Ann Marie", "Bob", "Gus"}
    add_file = (
        world["exports"]
        / "ads_google"
        / (f"ads_google-{outcomes['ads_google'].sync_id:06d}-add.csv")
    )
    assert [r["Email"] for r in read_csv(add_file)] == [BOB_EMAIL_GOOGLE]


def test_the_erased_person_is_in_no_list_and_nothing_sync_keeps_can_identify_her(world):
    database = world["database"]
    people = ids(world)
    assert "Cara" not in people  # erased: no name in the marts
    forbidden = {
        "cara@example.org",
        "+49305555555",
        "Cara",
        "Diaz",
        CARA_EMAIL,
        CARA_PHONE_E164,
        CARA_PHONE_DIGITS,
        CARA_FIRST,
        CARA_LAST,
    }
    columns = query(
        database,
        "select table_schema, table_name, column_name from information_schema.columns "
        "where (table_schema = 'activation' or table_name like 'activation!_%' escape '!') "
        "and data_type = 'VARCHAR'",
    )
    assert len(columns) > 20
    found, control = [], []
    con = duckdb.connect(str(database), read_only=True)
    try:
        for schema, table, column in columns:
            values = {
                v
                for (v,) in con.execute(
                    f'select distinct "{column}" from {schema}.{table}'
                ).fetchall()
                if v
            }
            text = " ".join(values)
            found += [(table, column, f) for f in forbidden if f in text]
            control += [(table, column) for v in values if ANN_EMAIL in v]
    finally:
        con.close()
    assert found == []
    # the same scan finds Ann's hash where a removal of hers would need it
    assert ("destination_members", "identifier_hashes") in control


def test_a_killed_sync_is_resumed_without_applying_anyone_twice(world):
    flaky = world["flaky"]
    flaky.script = ["hang"]  # batch 1 (Dan's and Eve's removals) is applied, then hangs
    env = {**os.environ, "CDP_SECRET_SALT": TEST_SECRET_SALT}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cdp.cli",
            "sync",
            "--database",
            str(world["database"]),
            "--declarations",
            str(world["declarations"]),
            "--destination",
            "esp_flaky",
            "--no-progress",
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert flaky.hanging.wait(60), process.communicate(timeout=5)[0]
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        flaky.release.set()
    assert who(world, flaky.records) == {"Ann Marie", "Gus"}  # removals applied; Bob not yet
    killed = query(
        world["database"],
        "select sync_id, status from activation.syncs where destination = 'esp_flaky' "
        "order by sync_id desc limit 1",
    )[0]
    assert killed[1] == "running"

    outcomes, _ = sync(world, "esp_flaky")
    resumed = outcomes["esp_flaky"]
    assert resumed.status == "succeeded"
    assert who(world, flaky.records) == {"Ann Marie", "Bob", "Gus"}
    assert set(flaky.applications.values()) == {1}  # the removals sent again applied once
    assert query(
        world["database"],
        "select status, message from activation.syncs where sync_id = ?",
        [killed[0]],
    ) == [
        (
            "interrupted",
            "the process stopped during the sync; operations in flight are sent again "
            "under their op_id",
        )
    ]
    # the removals in flight when the process died went again under their own op_ids
    in_flight = query(
        world["database"],
        "select op_id from activation.sync_operations where sync_id = ? and state = 'unknown' "
        "order by op_id",
        [killed[0]],
    )
    assert len(in_flight) == 2
    assert in_flight == query(
        world["database"],
        "select op_id from activation.sync_operations where sync_id = ? and operation = 'remove' "
        "order by op_id",
        [resumed.sync_id],
    )
    assert sorted(log_rows(world, resumed.sync_id).items()) == [
        ("Bob", ("add", "entered", "sent")),
        ("Dan", ("remove", "consent_denied", "sent")),
        ("Eve", ("remove", "restricted", "sent")),
    ]


def test_a_full_sync_writes_a_replace_file_of_everyone_who_may_be_sent(world):
    outcomes, _ = sync(world, "ads_google", full=True)
    outcome = outcomes["ads_google"]
    replace = world["exports"] / "ads_google" / f"ads_google-{outcome.sync_id:06d}-replace.csv"
    assert sorted(r["Email"] for r in read_csv(replace)) == sorted([ANN_EMAIL, BOB_EMAIL_GOOGLE])
    assert outcome.counts["add"] == 2


def test_a_file_sync_killed_after_writing_is_confirmed_not_written_twice(world, monkeypatch):
    publish = files.publish

    def publish_then_die(paths):
        publish(paths)
        raise KeyboardInterrupt

    monkeypatch.setattr(files, "publish", publish_then_die)
    with pytest.raises(KeyboardInterrupt):
        sync(world, "ads_copy")
    monkeypatch.undo()
    outcomes, _ = sync(world, "ads_copy")
    assert outcomes["ads_copy"].counts["add"] == 0  # the first sync's file had been written
    written = sorted(p.name for p in (world["exports"] / "ads_copy").iterdir())
    assert len(written) == 1 and written[0].endswith("-add.csv")
    # Ann, Bob and Gus: this list sends no phone, so Gus's suppressed phone does not matter
    assert len(read_csv(world["exports"] / "ads_copy" / written[0])) == 3

    def die_before_publishing(paths):
        raise KeyboardInterrupt

    monkeypatch.setattr(files, "publish", die_before_publishing)
    with pytest.raises(KeyboardInterrupt):
        sync(world, "ads_copy_two")
    monkeypatch.undo()
    outcomes, _ = sync(world, "ads_copy_two")
    assert outcomes["ads_copy_two"].counts["add"] == 3  # nothing had been delivered
    written = sorted(p.name for p in (world["exports"] / "ads_copy_two").iterdir())
    assert written == [f"ads_copy_two-{outcomes['ads_copy_two'].sync_id:06d}-add.csv"]


def test_the_command_line(world, capsys):
    base = [
        "sync",
        "--database",
        str(world["database"]),
        "--declarations",
        str(world["declarations"]),
    ]
    assert main([*base, "--destination", "nope"]) == 2
    assert "no destination named nope; declared: ads_copy" in capsys.readouterr().err
    assert main([*base, "audience_email_marketing", "--destination", "esp", "--dry-run"]) == 0
    assert "esp: dry_run: 0 to add, 0 to update, 0 to remove" in capsys.readouterr().out


def test_the_explorer_lists_recent_syncs(world):
    app = ExploreApp(world["database"], PROJECT_DIR)

    def get(path, query_string=""):
        answer = {}

        def start_response(status, headers):
            answer["status"] = status

        body = b"".join(
            app(
                {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query_string},
                start_response,
            )
        ).decode()
        return answer["status"], body

    status, body = get("/syncs")
    assert status == "200 OK"
    assert "interrupted" in body and "esp_flaky" in body and 'href="/syncs"' in body
    resumed = world["outcomes"][3]["ads_google"].sync_id
    status, body = get("/syncs", f"sync={resumed}")
    assert status == "200 OK"
    assert "consent_denied" in body and "restricted" in body
    assert f"/customer/{ids(world)['Bob']}" in body
    assert get("/syncs", "sync=x")[0] == "400 Bad Request"
    assert get("/syncs", "sync=999999")[0] == "404 Not Found"
