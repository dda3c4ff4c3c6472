"""cdp sync without a build: the ad platforms' hashing rules (macros/activation/), the
destination declarations, the HTTP sender's retries against a local server that fails
on purpose, the reference receiver, and the delta rules on hand-made states.

Every expected hash below is the sha256 of a text normalized by hand from the
platforms' published rules (Google: Customer Match / Data Manager API "Format user
data"; Meta: customer-list custom audiences), written out with its digest; the test
checks the digest of the text too, so a typo in either shows.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from cdp.activation import plan
from cdp.activation.destinations import Destination, DestinationError, load_destinations
from cdp.activation.http import DeliveryError, post_batch
from cdp.activation.receiver import ListReceiver, make_server
from cdp.project_macros import MacroError, ProjectMacros
from conftest import PROJECT_DIR

# text normalized by hand from the platform's rules -> its sha256
HAND = {
    "annlee@gmail.com": "16e202bdcd9646af11faa3a5a3b9c07a6303e9629583246f8208e43c529087de",
    "bobstone@googlemail.com": "0e67be3169e2ea9898a5086fb56e3f4d3c8ed05436eea94dc2a569ae5e74b2c6",
    "first.last+tag@example.com": (
        "00a8ed6a6cfc7ef2da7516e9a728bf88f3d1dbdcd7c75dd6ef608068ff6d0f69"
    ),
    "ab@x.com": "211f828b5a531d9c0886467e1b277d630e636157e86b4eaf5169b4ac3808ff96",
    "+49301234567": "74bd805bcc47f8603082430ca056311389e38b74fcdfbc32bcb5c6a9269ff3bf",
    "+14155550134": "e80ac8e3eca883c7344a609f3532e3f70365f5c1facd204f88f5d2c7caebac38",
    "ann marie": "79f902813a6a59515b1ed66bf8acd9b5205516298f13ad2686b9846de281f1ed",
    "obriensmith": "16765783f9c8c8a3accf27f1abb877688cb5904c21a4a7afb5f125bcfcb246ba",
    "zoë": "2752b88686847fa5c86f47b94ce652b7b3f22a91c37617d451a4db9afa431450",
    "ann.lee@gmail.com": "e7824da9ecd8c9d3b5c7af9db4876347efd23f0fa94290ea26bdafb98f6fa541",
    "bob.stone+shop@googlemail.com": (
        "3de02a8f3c20a7153a21290d28700b7d73fc627cdde422eb79759f9f7e909b95"
    ),
    "49301234567": "2f9fbc550b12cbc0e6242384cc472bd1e4f058a8b773f189f7acb86d202655ce",
    "annmarie": "2322d03565a46ece1e31e5ef0d5f79f5a0ee0dc96ff666e52948e52e0298850e",
    "de": "959a45d44e6fcf58361ed004681556fe50129f2109e817dec098c00c9e5d2578",
    "sw1a1aa": "830e1d4b9838bab1f5c2acdb23e0b502ff13a9832c4632e8d67a1d43d3b7f614",
    "12345": "5994471abb01112afcc18159f6cc74b4f511b99806da59b3caf5a9c173cacfc5",
}

# (field, mart value, Google's upload value: a hand-normalized text that is hashed, or
# a clear value)
GOOGLE_CASES = [
    # lower case, whitespace out; gmail/googlemail: dots and +suffix of the local part out
    ("email", " Ann.Lee@GMAIL.com ", ("hash", "annlee@gmail.com")),
    ("email", "Bob.Stone+shop@googlemail.com", ("hash", "bobstone@googlemail.com")),
    # any other domain keeps its dots and +suffix
    ("email", "First.Last+Tag@Example.com", ("hash", "first.last+tag@example.com")),
    ("email", "a b@x.com", ("hash", "ab@x.com")),
    ("email", None, None),
    # E.164
    ("phone", "+49 30 1234567", ("hash", "+49301234567")),
    ("phone", "+14155550134", ("hash", "+14155550134")),
    # lower case, no punctuation, spaces collapsed and trimmed; accents kept
    ("first_name", "  Ann   Marie ", ("hash", "ann marie")),
    ("last_name", "O'Brien-Smith", ("hash", "obriensmith")),
    ("first_name", "Zoë", ("hash", "zoë")),
    ("last_name", "!!!", None),
    # country and postal code go in clear
    ("country", " de ", ("clear", "DE")),
    ("postal_code", " 10115 ", ("clear", "10115")),
]
META_CASES = [
    # trimmed, lower case; no Gmail rule: dots and +suffix stay
    ("email", " Ann.Lee@GMAIL.com ", "ann.lee@gmail.com"),
    ("email", "Bob.Stone+shop@googlemail.com", "bob.stone+shop@googlemail.com"),
    # digits only, leading zeros out: the country code first, no '+'
    ("phone", "+49 30 1234567", "49301234567"),
    ("phone", "0049 30 1234567", "49301234567"),
    # lower-case letters only (spaces, punctuation out; letters beyond a-z kept)
    ("first_name", "Ann Marie", "annmarie"),
    ("last_name", "O'Brien-Smith", "obriensmith"),
    ("first_name", "Zoë", "zoë"),
    ("country", "DE", "de"),
    # lower case, no spaces, the part before '-'
    ("postal_code", "SW1A 1AA", "sw1a1aa"),
    ("postal_code", "12345-6789", "12345"),
    ("phone", None, None),
]


def test_the_hand_digests_are_the_sha256_of_their_texts():
    for text, digest in HAND.items():
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == digest, text


@pytest.fixture(scope="module")
def macros() -> ProjectMacros:
    return ProjectMacros(PROJECT_DIR)


def evaluate(macros: ProjectMacros, macro: str, field: str, value: str | None):
    sql = macros.render(macro, field, "input.value")
    query = f"select {sql} from (select ?::varchar as value) as input"
    return duckdb.execute(query, [value]).fetchone()[0]


@pytest.mark.parametrize(("field", "value", "expected"), GOOGLE_CASES)
def test_google_customer_match_values(macros, field, value, expected):
    got = evaluate(macros, "google_customer_match_value", field, value)
    if expected is None:
        assert got is None
    elif expected[0] == "hash":
        assert got == HAND[expected[1]]
    else:
        assert got == expected[1]


@pytest.mark.parametrize(("field", "value", "expected"), META_CASES)
def test_meta_custom_audience_values(macros, field, value, expected):
    got = evaluate(macros, "meta_custom_audience_value", field, value)
    assert got == (HAND[expected] if expected is not None else None)


def test_an_unknown_field_fails_naming_the_known_ones(macros):
    with pytest.raises(MacroError, match="unknown field city.*email, phone"):
        macros.render("google_customer_match_value", "city", "x")
    with pytest.raises(MacroError, match="unknown field dob"):
        macros.render("meta_custom_audience_value", "dob", "x")


# ---------------------------------------------------------------------------
# declarations


def declare(tmp_path: Path, exposures: list[dict], name: str = "destinations.yml") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"version": 2, "exposures": exposures}))  # JSON is YAML
    return path


def exposure(name="list_a", depends_on=("ref('audience_email_marketing')",), **block):
    settings = {
        "type": "file",
        "format": "google_customer_match",
        "path": "out",
        "consent_purposes": ["email_marketing"],
        "identifiers": ["email"],
        **block,
    }
    settings = {k: v for k, v in settings.items() if v is not None}
    return {
        "name": name,
        "type": "application",
        "owner": {"name": "x"},
        "depends_on": list(depends_on),
        "config": {"meta": {"cdp_destination": settings}},
    }


def load(tmp_path: Path, *exposures_: dict) -> dict[str, Destination]:
    return load_destinations(tmp_path, [declare(tmp_path, list(exposures_))])


def test_a_file_destination_is_read_with_its_defaults(tmp_path):
    (destination,) = load(tmp_path, exposure()).values()
    assert destination.name == "list_a"
    assert destination.audience == "audience_email_marketing"
    assert destination.path == tmp_path / "out"  # relative to the project
    assert destination.file_format == "csv"
    assert destination.consent_purposes == ("email_marketing",)
    assert destination.not_configured is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "ftp"}, "type must be one of file, http"),
        ({"colour": "red"}, "unknown key.*colour"),
        ({"format": "csv"}, "format must be one of"),
        ({"format": "json"}, "json is for http"),
        ({"consent_purposes": []}, "consent_purposes must be a list"),
        ({"consent_purposes": None}, "consent_purposes must be a list"),
        ({"identifiers": ["email", "fax"]}, "unknown identifier.*fax"),
        ({"identifiers": ["first_name", "last_name"]}, "needs email or phone"),
        ({"identifiers": ["email", "first_name"]}, "Google matches names only with the address"),
        ({"file_format": "xlsx"}, "file_format must be one of csv, parquet"),
        ({"path": None}, "path .* is required"),
        ({"url": "http://x"}, "unknown key.*url"),
        ({"audience": "audience_sms_marketing"}, "not among the exposure's depends_on"),
    ],
)
def test_a_wrong_declaration_is_refused_naming_the_file_exposure_and_key(tmp_path, change, message):
    with pytest.raises(DestinationError, match=message) as error:
        load(tmp_path, exposure(**change))
    assert "destinations.yml: exposure list_a" in str(error.value)


def http_exposure(**block):
    settings = {"url": "https://esp.example.com/lists/1", **block}
    return exposure(type="http", format="json", path=None, **settings)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"url": "http://esp.example.com/x"}, "use https"),
        ({"url": "ftp://x/y"}, "not an http"),
        ({"fields": ["email"]}, "are identifiers"),
        ({"fields": ["customer_id"]}, "are identifiers"),
        ({"batch_size": 0}, "batch_size must be between"),
        ({"max_attempts": 2.5}, "whole number"),
        ({"headers_from_env": {"Authorization": "not a name"}}, "headers_from_env maps"),
    ],
)
def test_a_wrong_http_declaration_is_refused(tmp_path, change, message):
    with pytest.raises(DestinationError, match=message):
        load(tmp_path, http_exposure(**change))


def test_plain_http_is_allowed_to_this_machine_only(tmp_path):
    for url in ("http://127.0.0.1:8099/x", "http://localhost/x", "http://[::1]:80/x"):
        (destination,) = load(tmp_path, http_exposure(url=url)).values()
        assert destination.url == url


def test_values_read_environment_variables_as_dbt_does(tmp_path, monkeypatch):
    monkeypatch.setenv("CDP_TEST_ESP", "https://esp.example.com/lists/7")
    (destination,) = load(tmp_path, http_exposure(url="{{ env_var('CDP_TEST_ESP') }}")).values()
    assert destination.url == "https://esp.example.com/lists/7"
    monkeypatch.delenv("CDP_TEST_ESP")
    with pytest.raises(DestinationError, match="environment variable CDP_TEST_ESP is not set"):
        load(tmp_path, http_exposure(url="{{ env_var('CDP_TEST_ESP') }}"))
    # an empty value (a default of '') leaves the destination declared but not configured
    (destination,) = load(tmp_path, http_exposure(url="{{ env_var('CDP_TEST_ESP', '') }}")).values()
    assert destination.not_configured and "url is empty" in destination.not_configured


def test_headers_are_read_from_the_environment_when_sending(tmp_path, monkeypatch):
    (destination,) = load(
        tmp_path, http_exposure(headers_from_env={"Authorization": "CDP_TEST_TOKEN"})
    ).values()
    monkeypatch.delenv("CDP_TEST_TOKEN", raising=False)
    with pytest.raises(DestinationError, match="CDP_TEST_TOKEN .* is not set"):
        destination.headers()
    monkeypatch.setenv("CDP_TEST_TOKEN", "Bearer s3cret")
    assert destination.headers() == {"Authorization": "Bearer s3cret"}


def test_the_audience_must_be_named_when_the_exposure_depends_on_several_models(tmp_path):
    two = ("ref('audience_email_marketing')", "ref('suppressed_identifiers')")
    with pytest.raises(DestinationError, match="depends on 2 models.*audience:"):
        load(tmp_path, exposure(depends_on=two))
    (destination,) = load(
        tmp_path, exposure(depends_on=two, audience="audience_email_marketing")
    ).values()
    assert destination.audience == "audience_email_marketing"


def test_a_destination_declared_twice_is_refused(tmp_path):
    first = declare(tmp_path, [exposure()], "a.yml")
    second = declare(tmp_path, [exposure()], "b.yml")
    with pytest.raises(DestinationError, match="declared twice: in .*a.yml and .*b.yml"):
        load_destinations(tmp_path, [first, second])


def test_the_projects_own_declarations_are_valid():
    declared = load_destinations(PROJECT_DIR)
    assert {"email_marketing_sync", "google_ads_win_back", "meta_email_marketing"} <= set(declared)
    assert declared["google_ads_win_back"].audience == "audience_lapsed_high_value_email"


# ---------------------------------------------------------------------------
# HTTP: retries and back-off against a local server that fails on purpose


class Script:
    """What the server answers to each request, in order: a status code, "timeout"
    (answer later than the client waits), or "ok"."""

    def __init__(self, *steps) -> None:
        self.steps = list(steps)
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.lock = threading.Lock()

    def next(self, body: dict, headers: dict):
        with self.lock:
            self.requests.append(body)
            self.headers.append(headers)
            return self.steps.pop(0) if self.steps else "ok"


@pytest.fixture
def scripted_server():
    servers = []

    def start(script: Script) -> str:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                step = script.next(body, dict(self.headers))
                if step == "timeout":
                    time.sleep(0.6)
                    step = "ok"
                if isinstance(step, tuple):  # (status, extra headers)
                    status, extra = step
                elif step == "ok":
                    status, extra = 200, {}
                else:
                    status, extra = step, {}
                answer = json.dumps(
                    {"rejected": [{"op_id": "o-2", "reason": "invalid email ann@x.com"}]}
                    if status == 200 and body.get("reject")
                    else {}
                ).encode()
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/list"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def http_destination(url: str, **settings) -> Destination:
    return Destination(
        name="esp",
        audience="audience_email_marketing",
        type="http",
        format="json",
        consent_purposes=("email_marketing",),
        identifiers=("email",),
        declared_in="test",
        url=url,
        **{"timeout_seconds": 0.3, "max_attempts": 4, "backoff_seconds": 0.5, **settings},
    )


def batch(**extra) -> dict:
    return {"operations": [{"op_id": "o-1"}, {"op_id": "o-2"}], **extra}


def test_server_errors_are_retried_with_exponential_back_off(scripted_server):
    script = Script(500, 503, "ok")
    url = scripted_server(script)
    sleeps: list[float] = []
    result = post_batch(http_destination(url), batch(), "key-1", {"X-Token": "t"}, sleeps.append)
    assert result.attempts == 3
    assert sleeps == [0.5, 1.0]  # backoff_seconds x 2^(attempt - 1)
    assert result.retries == ["HTTP 500", "HTTP 503"]
    # the same batch and idempotency key every time, with the declared header
    assert len({json.dumps(r, sort_keys=True) for r in script.requests}) == 1
    assert {h["Idempotency-Key"] for h in script.headers} == {"key-1"}
    assert {h["X-Token"] for h in script.headers} == {"t"}


def test_a_retry_after_answer_is_honoured(scripted_server):
    url = scripted_server(Script((429, {"Retry-After": "2"}), "ok"))
    sleeps: list[float] = []
    result = post_batch(http_destination(url), batch(), "k", {}, sleeps.append)
    assert (result.attempts, sleeps) == (2, [2.0])


def test_a_timeout_is_retried_and_may_have_been_applied(scripted_server):
    script = Script("timeout", "ok")
    url = scripted_server(script)
    result = post_batch(http_destination(url), batch(), "k", {}, lambda s: None)
    assert result.attempts == 2
    assert result.retries == ["no answer within 0.3 s"]
    script2 = Script("timeout", "timeout")
    url2 = scripted_server(script2)
    with pytest.raises(DeliveryError, match="no answer within 0.3 s .2 times. in 2") as error:
        post_batch(http_destination(url2, max_attempts=2), batch(), "k", {}, lambda s: None)
    assert error.value.maybe_applied


def test_a_client_error_stops_at_once_and_was_not_applied(scripted_server):
    script = Script(400)
    url = scripted_server(script)
    with pytest.raises(DeliveryError, match="HTTP 400") as error:
        post_batch(http_destination(url), batch(), "k", {}, lambda s: None)
    assert not error.value.maybe_applied
    assert len(script.requests) == 1


def test_messages_never_show_a_token_in_the_url(scripted_server):
    base = scripted_server(Script(401))
    with pytest.raises(DeliveryError) as error:
        post_batch(http_destination(base + "?token=s3cret"), batch(), "k", {}, lambda s: None)
    assert "s3cret" not in str(error.value)
    assert str(error.value).startswith(base + "?… answered HTTP 401")


def test_retries_run_out_after_max_attempts(scripted_server):
    script = Script(500, 500, 500, 500, 500)
    url = scripted_server(script)
    with pytest.raises(DeliveryError, match=r"HTTP 500 \(4 times\) in 4 attempt") as error:
        post_batch(http_destination(url), batch(), "k", {}, lambda s: None)
    assert error.value.maybe_applied
    assert len(script.requests) == 4


def test_nobody_listening_is_no_delivery(tmp_path):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    destination = http_destination(f"http://127.0.0.1:{port}/x", max_attempts=2)
    with pytest.raises(DeliveryError, match="cannot connect") as error:
        post_batch(destination, batch(), "k", {}, lambda s: None)
    assert not error.value.maybe_applied


def test_rejected_operations_keep_a_reason_code_never_the_receivers_text(scripted_server):
    url = scripted_server(Script("ok"))
    result = post_batch(http_destination(url), batch(reject=True), "k", {}, lambda s: None)
    # "invalid email ann@x.com" is free text that may hold personal data: not kept
    assert result.rejected == {"o-2": "rejected"}


# ---------------------------------------------------------------------------
# the reference receiver


def test_the_reference_receiver_applies_each_op_id_once():
    receiver = ListReceiver()
    server = make_server(receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/list"
        add = {"op_id": "1-1", "op": "add", "external_id": "c1", "data": {"email": "a@x.com"}}
        body = {"operations": [add, {"op_id": "1-2", "op": "fly", "external_id": "c2"}]}
        first = post_batch(http_destination(url), body, "k", {}, lambda s: None)
        assert first.rejected == {"1-2": "invalid_operation"}
        remove = {"op_id": "2-1", "op": "remove", "external_id": "c1", "identifiers": {}}
        post_batch(http_destination(url), {"operations": [remove]}, "k2", {}, lambda s: None)
        # the add sent again after a timeout is not applied again
        post_batch(http_destination(url), {"operations": [add]}, "k", {}, lambda s: None)
        assert receiver.records == {}
        assert set(receiver.applied) == {"1-1", "2-1"}
    finally:
        server.shutdown()
        server.server_close()
    with pytest.raises(ValueError, match="this machine only"):
        make_server(ListReceiver(), host="0.0.0.0")


# ---------------------------------------------------------------------------
# consent at send time and the delta, on hand-made rows

GRANTED = {
    "status": "granted",
    "is_contactable": True,
    "is_processing_restricted": False,
    "is_erased": False,
    "default_status": "denied",
}


@pytest.mark.parametrize(
    ("row", "include_default", "reason"),
    [
        (GRANTED, False, None),
        ({**GRANTED, "status": "denied", "is_contactable": False}, False, "consent_denied"),
        # no signal: the jurisdiction's default only when the project's var allows it
        ({**GRANTED, "status": "not_set", "default_status": "granted"}, False, "no_grant"),
        ({**GRANTED, "status": "not_set", "default_status": "granted"}, True, None),
        (
            {**GRANTED, "status": "not_set", "default_status": "denied", "is_contactable": False},
            True,
            "no_grant",
        ),
        (
            {**GRANTED, "is_processing_restricted": True, "is_contactable": False},
            True,
            "restricted",
        ),
        ({**GRANTED, "is_erased": True, "is_contactable": False}, True, "erased"),
        # granted but not contactable (third_party_sharing after do_not_sell)
        ({**GRANTED, "is_contactable": False}, True, "not_contactable"),
        (None, True, "customer_unknown"),
    ],
)
def test_consent_read_at_send_time(row, include_default, reason):
    assert plan.consent_reason(row, include_default) == reason


def candidate(customer_id, email="x@example.com", **changes) -> plan.Candidate:
    values = {
        "customer_id": customer_id,
        "in_audience": True,
        "has_profile": True,
        "is_erased": False,
        "consent": {"email_marketing": {"purpose": "email_marketing", **GRANTED}},
        "suppressed": False,
        "data": {"Email": email},
        "identifier_hashes": {"Email": email},
        **changes,
    }
    return plan.Candidate(**values)


def member(customer_id, email="x@example.com", **changes) -> plan.Member:
    salt = "s" * 16
    values = {
        "customer_id": customer_id,
        "identifier_hashes": {"Email": email},
        "fingerprint": plan.fingerprint(salt, {"Email": email}),
        "pending_operation": None,
        "pending_op_id": None,
        "pending_identifier_hashes": None,
        "pending_fingerprint": None,
        **changes,
    }
    return plan.Member(**values)


def google_list(batch_size: int = 500) -> Destination:
    return Destination(
        name="ads",
        audience="audience_email_marketing",
        type="http",
        format="google_customer_match",
        consent_purposes=("email_marketing",),
        identifiers=("email",),
        declared_in="test",
        url="https://ads.example.com/x",
        batch_size=batch_size,
    )


def make(candidates, members, batch_size=500, held=(), full=False):
    return plan.make_plan(
        candidates,
        {m.customer_id: m for m in members},
        google_list(batch_size),
        sync_id=9,
        salt="s" * 16,
        include_default=False,
        held=set(held),
        full=full,
    )


def test_the_delta_adds_who_entered_updates_who_changed_removes_who_left():
    the_plan = make(
        [
            candidate("new"),
            candidate("same"),
            candidate("moved", email="new@example.com"),
            candidate("gone", in_audience=False),
            candidate("denied", consent={"email_marketing": {**GRANTED, "status": "denied"}}),
            candidate("suppressed", suppressed=True),
            candidate("held"),
        ],
        [
            member("same"),
            member("moved", email="old@example.com"),
            member("gone"),
            member("denied"),
            member("held"),
        ],
        batch_size=2,
        held={"held"},
    )
    summary = [(o.customer_id, o.operation, o.reason, o.batch_number) for o in the_plan.operations]
    # removals first, then updates, then adds; batches of two in that order
    assert summary == [
        ("denied", "remove", "consent_denied", 1),
        ("gone", "remove", "left_audience", 1),
        ("held", "remove", "held_pending_signal", 2),
        ("moved", "update", "changed", 2),
        ("new", "add", "entered", 3),
    ]
    assert [o.op_id for o in the_plan.operations] == ["9-1", "9-2", "9-3", "9-4", "9-5"]
    moved = the_plan.operations[3]
    assert moved.previous_hashes == {"Email": "old@example.com"}  # a file removes the old row
    assert the_plan.operations[0].identifier_hashes == {"Email": "x@example.com"}
    assert the_plan.unchanged == 1
    # audience members not sent, by reason (the one who left is no member any more)
    assert the_plan.excluded == {"consent_denied": 1, "suppressed": 1, "held_pending_signal": 1}


def test_an_unconfirmed_add_is_sent_again_under_its_op_id_or_removed():
    the_plan = make(
        [
            candidate("retry"),
            candidate("changed_since", email="b@example.com"),
            candidate("withdrew", consent={"email_marketing": {**GRANTED, "status": "denied"}}),
        ],
        [
            member(
                name,
                identifier_hashes=None,
                fingerprint=None,
                pending_operation="add",
                pending_op_id=f"4-{n}",
                pending_identifier_hashes={"Email": "x@example.com"},
                pending_fingerprint=plan.fingerprint("s" * 16, {"Email": "x@example.com"}),
            )
            for n, name in enumerate(("retry", "changed_since", "withdrew"))
        ],
    )
    by_customer = {o.customer_id: o for o in the_plan.operations}
    # the same add: the same op_id, so a receiver that applied it applies it once
    assert (by_customer["retry"].operation, by_customer["retry"].op_id) == ("add", "4-0")
    assert by_customer["retry"].reason == "unconfirmed_retry"
    # a different payload is a new operation
    assert by_customer["changed_since"].op_id.startswith("9-")
    # the destination may hold what the unconfirmed add sent: removed with those hashes
    withdrew = by_customer["withdrew"]
    assert (withdrew.operation, withdrew.reason) == ("remove", "consent_denied")
    assert withdrew.identifier_hashes == {"Email": "x@example.com"}


def test_an_unconfirmed_removal_is_owed_until_accepted():
    pending_removal = member("left", pending_operation="remove", pending_op_id="4-7")
    the_plan = make([candidate("left", in_audience=False)], [pending_removal])
    (removal,) = the_plan.operations
    assert (removal.operation, removal.op_id) == ("remove", "4-7")
    # back in the audience: added again (the removal may have been applied)
    the_plan = make([candidate("left")], [pending_removal])
    assert [(o.operation, o.reason) for o in the_plan.operations] == [("add", "entered")]


def test_a_removal_of_a_never_confirmed_add_sends_the_hashes_that_add_sent():
    """The add was in flight when a sync died, then its removal too: the destination
    may hold the add's hashes, which only the pending state knows."""
    uncertain = member(
        "twice_unsure",
        identifier_hashes=None,
        fingerprint=None,
        pending_operation="remove",
        pending_op_id="5-1",
        pending_identifier_hashes={"Email": "x@example.com"},
    )
    (removal,) = make([candidate("twice_unsure", in_audience=False)], [uncertain]).operations
    assert (removal.op_id, removal.identifier_hashes) == ("5-1", {"Email": "x@example.com"})


def test_a_full_sync_sends_everyone_again():
    the_plan = make(
        [candidate("same"), candidate("gone", in_audience=False)],
        [member("same"), member("gone")],
        full=True,
    )
    assert [(o.customer_id, o.operation, o.reason) for o in the_plan.operations] == [
        ("gone", "remove", "left_audience"),
        ("same", "add", "full_resync"),
    ]


def test_the_explorer_says_when_nothing_was_synced_yet(tmp_path):
    from cdp.explore.app import ExploreApp

    database = tmp_path / "empty.duckdb"
    duckdb.connect(str(database)).close()
    answer = {}
    body = b"".join(
        ExploreApp(database, PROJECT_DIR)(
            {"REQUEST_METHOD": "GET", "PATH_INFO": "/syncs", "QUERY_STRING": ""},
            lambda status, headers: answer.update(status=status),
        )
    ).decode()
    assert answer["status"] == "200 OK"
    assert 'id="no-syncs"' in body and "cdp sync" in body
