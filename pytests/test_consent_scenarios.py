"""Consent, privacy requests, suppression and audiences (docs/contract.md §2),
on hand-made raw data.

One build; one person per rule. Countries: DE is a GDPR country (opt-in), US is
not (the consent_purposes seed grants email marketing by default there).
"""

from __future__ import annotations

import hashlib

import pytest

from conftest import TEST_SECRET_SALT, build_scenario, query


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def shop(customer_id: str, email: str | None, country: str | None, **extra) -> dict:
    return {
        "customer_id": customer_id,
        "email": email,
        "country": country,
        "created_at": "2023-01-01",
        **extra,
    }


def version(customer_id, email, accepts, updated_at, loaded_at, last_name="Doe") -> dict:
    """One CDC version of a shop account (created 2024-01-01, DE), as the shop sends it."""
    return {
        "customer_id": customer_id,
        "email": email,
        "country": "DE",
        "last_name": last_name,
        "accepts_marketing": accepts,
        "created_at": "2024-01-01",
        "updated_at": updated_at,
        "_loaded_at": loaded_at,
    }


def unsubscribe(activity_id, email, at) -> dict:
    return {
        "activity_id": activity_id,
        "email": email,
        "activity_type": "unsubscribe",
        "occurred_at": at,
    }


def consent(event_id, identifier_type, value, purpose, status, at, **extra) -> dict:
    return {
        "event_id": event_id,
        "identifier_type": identifier_type,
        "identifier_value": value,
        "purpose": purpose,
        "status": status,
        "occurred_at": at,
        "source": extra.get("source", "preference_center"),
        "policy_version": extra.get("policy_version", "v1"),
    }


def privacy(request_id, value, request_type, at="2024-07-01") -> dict:
    return {
        "request_id": request_id,
        "identifier_type": "email",
        "identifier_value": value,
        "request_type": request_type,
        "received_at": at,
    }


RAW = {
    "shop_customers": [
        shop("S-A", "a@x.com", "DE"),
        shop("S-B", "b@x.com", "DE"),
        shop("S-C", "c@x.com", "DE"),
        shop("S-D", "d@x.com", "DE"),
        shop("S-U", "u@x.com", "US"),
        shop("S-N", "n@x.com", None),
        shop("S-E", "e@x.com", "DE"),
        shop("S-R", "r@x.com", "DE"),
        shop("S-S", "s@x.com", "US"),
        shop("S-K", "k@x.com", "DE"),
        shop("S-M", "m@x.com", "DE", accepts_marketing="Yes", updated_at="2024-02-02"),
        shop("S-W", "w@x.com", "DE"),
        shop("S-P", "p@x.com", "DE"),
        shop("S-X1", "test@test.com", "DE"),
        shop("S-X2", "test@test.com", "DE"),
        # The shop's stored accepts_marketing flag (docs/contract.md §2: a signal only
        # when its value changes). F: the flag is re-sent unchanged with an address
        # change after an email unsubscribe; that is no new grant.
        version("S-F", "f@x.com", "yes", None, "2024-01-02"),
        version("S-F", "f@x.com", "yes", "2024-03-01", "2024-03-02", last_name="Moved"),
        # G: CDC versions arrive out of order: the Feb 1 opt-out lands last. In
        # business time the flag went yes (Jan 1) -> no (Feb 1) -> yes (Mar 1).
        version("S-G", "g@x.com", "yes", None, "2024-01-02"),
        version("S-G", "g@x.com", "yes", "2024-03-01", "2024-03-02", last_name="Later"),
        version("S-G", "g@x.com", "no", "2024-02-01", "2024-04-01", last_name="Late"),
        # H: an empty and an unreadable flag are no signal, and the value after them is
        # compared with the last value the shop did send (yes): no change
        version("S-H", "h@x.com", "Yes", None, "2024-01-02"),
        version("S-H", "h@x.com", "", "2024-03-01", "2024-03-02", last_name="Empty"),
        version("S-H", "h@x.com", "maybe", "2024-04-01", "2024-04-02", last_name="Odd"),
        version("S-H", "h@x.com", "TRUE", "2024-05-01", "2024-05-02", last_name="Again"),
        # I: two versions with the same timestamp disagree (no, then yes loaded a day
        # later): both are changes at Mar 1, and at equal timestamps a denial wins
        version("S-I", "i@x.com", "yes", None, "2024-01-02"),
        version("S-I", "i@x.com", "no", "2024-03-01", "2024-03-02", last_name="One"),
        version("S-I", "i@x.com", "yes", "2024-03-01", "2024-03-03", last_name="Two"),
        # J: the first version re-delivered months later is the same version
        version("S-J", "j@x.com", "yes", None, "2024-01-02"),
        version("S-J", "j@x.com", "yes", None, "2024-06-01"),
        # K: the flag starts at no (a signal), a grant comes through the preference
        # centre, then the unchanged no is re-sent with a name change: no new denial
        version("S-K2", "k2@x.com", "no", None, "2024-01-02"),
        version("S-K2", "k2@x.com", "no", "2024-03-01", "2024-03-02", last_name="Renamed"),
        # R2: processing restricted through the shop account, then a grant through
        # the email: the grant is the latest signal, but restriction holds
        shop("S-R2", "r2@x.com", "DE"),
    ],
    "consent_events": [
        # A: grant, then a later unsubscribe
        consent("A1", "email", "a@x.com", "email_marketing", "granted", "2024-01-01"),
        # B: grant and withdrawal at the same instant; an opt_in for email
        consent("B1", "email", "B@X.com", "sms_marketing", "GRANTED", "2024-03-01T10:00:00Z"),
        consent(
            "B2", "email", "b@x.com", "sms_marketing", "Withdrawn", "2024-03-01T12:00:00+02:00"
        ),
        consent("B3", "email", "b@x.com", "email_marketing", "OPT_IN", "2024-03-01"),
        # C: a grant through a cookie, stitched to the customer at a later login
        consent(
            "C1",
            "anonymous_id",
            "cookie-c",
            "email_marketing",
            "granted",
            "2024-01-01",
            source="cookie_banner",
            policy_version="v2",
        ),
        # E: granted, then erased
        consent("E1", "email", "e@x.com", "email_marketing", "granted", "2024-01-01"),
        # R: granted, then restricted
        consent("R1", "email", "r@x.com", "email_marketing", "granted", "2024-01-01"),
        consent("R2", "email", "r@x.com", "analytics", "granted", "2024-01-01"),
        # S: granted third-party sharing and personalization, then do-not-sell
        consent("S1", "email", "s@x.com", "third_party_sharing", "granted", "2024-01-01"),
        consent("S2", "email", "s@x.com", "personalization", "granted", "2024-01-01"),
        # K: unsubscribed through the email, later a grant through the cookie
        consent("K1", "anonymous_id", "cookie-k", "email_marketing", "granted", "2024-06-01"),
        # P: grant, then a spam complaint
        consent("P1", "email", "p@x.com", "email_marketing", "opt_in", "2024-01-01"),
        # a grant and a denial through a blocked email: nobody's
        consent("X1", "email", "test@test.com", "email_marketing", "granted", "2024-01-01"),
        consent("X2", "email", "test@test.com", "sms_marketing", "opt_out", "2024-01-01"),
        # J: a withdrawal after the (once delivered) shop grant
        consent("J1", "email", "j@x.com", "email_marketing", "withdrawn", "2024-02-01"),
        # K: a grant between the two identical shop versions
        consent("K2", "email", "k2@x.com", "email_marketing", "granted", "2024-02-01"),
        consent("R2G", "email", "r2@x.com", "email_marketing", "granted", "2024-05-01"),
    ],
    "email_activity": [
        {
            "activity_id": "EA-A",
            "email": "a@x.com",
            "activity_type": "unsubscribe",
            "occurred_at": "2024-02-01",
        },
        {
            "activity_id": "EA-K",
            "email": "k@x.com",
            "activity_type": "unsubscribe",
            "occurred_at": "2024-01-01",
        },
        {
            "activity_id": "EA-P",
            "email": "p@x.com",
            "activity_type": "complaint",
            "occurred_at": "2024-02-01",
        },
        unsubscribe("EA-F", "f@x.com", "2024-02-01"),
        unsubscribe("EA-H", "h@x.com", "2024-02-01"),
    ],
    "web_events": [
        {
            "event_id": "WE-C",
            "anonymous_id": "cookie-c",
            "customer_id": "S-C",
            "event_type": "login",
            "occurred_at": "2024-05-01",
        },
        {
            "event_id": "WE-K",
            "anonymous_id": "cookie-k",
            "email": "k@x.com",
            "event_type": "identify",
            "occurred_at": "2024-05-01",
        },
        {
            "event_id": "WE-W",
            "anonymous_id": "cookie-w",
            "email": "w@x.com",
            "event_type": "newsletter_signup",
            "occurred_at": "2024-04-01",
        },
    ],
    "privacy_requests": [
        privacy("PR-E", "e@x.com", "erasure"),
        privacy("PR-R", "r@x.com", "restrict_processing"),
        privacy("PR-S", "s@x.com", "do_not_sell"),
        # an email no record carries: suppressed all the same
        privacy("PR-G", "Ghost@X.com", "erasure"),
        privacy("PR-A", "a@x.com", "access"),
        {
            "request_id": "PR-R2",
            "identifier_type": "shop_customer_id",
            "identifier_value": "S-R2",
            "request_type": "restrict_processing",
            "received_at": "2024-03-01",
        },
    ],
}


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return build_scenario(tmp_path_factory.mktemp("consent"), RAW)


def consent_of(database, shop_customer_id: str, purpose: str) -> tuple:
    rows = query(
        database,
        """
        select consent.status, consent.is_contactable, consent.source, consent.signal_type,
            consent.jurisdiction, cast(consent.decided_at as varchar)
        from marts.customer_consent as consent
        inner join marts.customer_identities as identities
            on consent.customer_id = identities.customer_id
        where identities.identifier_type = 'shop_customer_id'
            and identities.identifier_value = ? and consent.purpose = ?
        """,
        [shop_customer_id, purpose],
    )
    assert len(rows) == 1, rows
    return rows[0]


def audience(database, name: str) -> set[str]:
    column = "email" if name == "email_marketing" else "phone"
    return {r[0] for r in query(database, f"select {column} from marts.audience_{name}")}


def test_grant_then_a_later_unsubscribe_is_denied(database):
    assert consent_of(database, "S-A", "email_marketing")[:4] == (
        "denied",
        False,
        "email",
        "email_unsubscribe",
    )
    assert "a@x.com" not in audience(database, "email_marketing")


def test_grant_and_denial_at_the_same_instant_is_denied(database):
    status, contactable, *_ = consent_of(database, "S-B", "sms_marketing")
    assert (status, contactable) == ("denied", False)
    # spellings are normalized: OPT_IN is a grant
    assert consent_of(database, "S-B", "email_marketing")[:2] == ("granted", True)
    assert "b@x.com" in audience(database, "email_marketing")


def test_a_grant_through_a_cookie_applies_once_the_cookie_is_stitched(database):
    status, contactable, source, signal_type, _, decided_at = consent_of(
        database, "S-C", "email_marketing"
    )
    assert (status, contactable, source, signal_type) == (
        "granted",
        True,
        "cookie_banner",
        "consent_event",
    )
    assert decided_at == "2024-01-01 00:00:00"
    assert "c@x.com" in audience(database, "email_marketing")
    history = query(
        database,
        """
        select history.identifier_type, history.identifier_value, history.policy_version,
            history.is_status_change
        from marts.customer_consent_history as history
        where history.signal_id = 'consent_events:C1:email_marketing'
        """,
    )
    assert history == [("anonymous_id", "cookie-c", "v2", True)]


def test_a_gdpr_country_customer_without_signals_is_not_contactable(database):
    for purpose in ("email_marketing", "sms_marketing", "analytics", "personalization"):
        status, contactable, source, _, jurisdiction, _ = consent_of(database, "S-D", purpose)
        assert (status, contactable, source, jurisdiction) == (
            "not_set",
            False,
            "jurisdiction_default",
            "gdpr",
        )
    assert "d@x.com" not in audience(database, "email_marketing")


def test_other_jurisdictions_use_the_seed_default_and_unknown_is_most_protective(database):
    assert consent_of(database, "S-U", "email_marketing")[:2] == ("not_set", True)
    assert consent_of(database, "S-U", "sms_marketing")[:2] == ("not_set", False)
    status, contactable, _, _, jurisdiction, _ = consent_of(database, "S-N", "email_marketing")
    assert (status, contactable, jurisdiction) == ("not_set", False, "unknown")
    # audiences take explicit grants only (var audiences_include_default_consent)
    assert "u@x.com" not in audience(database, "email_marketing")


def test_an_erased_customer_is_in_no_audience_and_not_contactable(database):
    assert consent_of(database, "S-E", "email_marketing")[:2] == ("denied", False)
    erased = query(
        database,
        "select count(*) from marts.customer_consent where is_erased and is_contactable",
    )
    assert erased == [(0,)]
    for name in ("email_marketing", "sms_marketing"):
        members = query(
            database,
            f"""
            select count(*) from marts.audience_{name} as members
            inner join marts.customer_profiles as profiles
                on members.customer_id = profiles.customer_id
            where profiles.is_erased
            """,
        )
        assert members == [(0,)]
    assert "e@x.com" not in audience(database, "email_marketing")


def test_restrict_processing_makes_every_purpose_not_contactable(database):
    for purpose in ("email_marketing", "analytics", "personalization"):
        assert consent_of(database, "S-R", purpose)[1] is False
    assert "r@x.com" not in audience(database, "email_marketing")


def test_a_grant_after_a_restriction_does_not_make_the_customer_contactable(database):
    assert consent_of(database, "S-R2", "email_marketing")[:4] == (
        "granted",
        False,
        "preference_center",
        "consent_event",
    )
    # the address itself was never opted out: only the restriction keeps it out
    # of the audience, and puts it on the suppression list as the customer's
    assert query(
        database,
        "select purpose, suppression_reason, suppression_scope from marts.suppressed_identifiers "
        "where identifier_sha256 = ? order by purpose",
        [sha256("r2@x.com")],
    ) == [
        (purpose, "privacy_restrict_processing", "customer")
        for purpose in (
            "analytics",
            "email_marketing",
            "personalization",
            "sms_marketing",
            "third_party_sharing",
        )
    ]
    assert "r2@x.com" not in audience(database, "email_marketing")


def test_do_not_sell_denies_third_party_sharing_only(database):
    assert consent_of(database, "S-S", "third_party_sharing")[:4] == (
        "denied",
        False,
        "privacy",
        "privacy_do_not_sell",
    )
    assert consent_of(database, "S-S", "personalization")[:2] == ("granted", True)


def test_shop_accepts_marketing_newsletter_signups_and_complaints(database):
    assert consent_of(database, "S-M", "email_marketing")[:4] == (
        "granted",
        True,
        "shop",
        "shop_accepts_marketing",
    )
    assert consent_of(database, "S-W", "email_marketing")[:4] == (
        "granted",
        True,
        "web",
        "newsletter_signup",
    )
    assert consent_of(database, "S-P", "email_marketing")[:4] == (
        "denied",
        False,
        "email",
        "email_complaint",
    )


def test_an_unsubscribed_address_stays_suppressed_after_a_grant_through_the_cookie(database):
    # the customer's latest signal (through the cookie) is a grant ...
    assert consent_of(database, "S-K", "email_marketing")[:2] == ("granted", True)
    # ... but the address itself unsubscribed: the audience drops it
    assert (sha256("k@x.com"), "email_unsubscribe") in {
        (h, r)
        for h, r in query(
            database,
            "select identifier_sha256, suppression_reason from marts.suppressed_identifiers "
            "where purpose = 'email_marketing'",
        )
    }
    assert "k@x.com" not in audience(database, "email_marketing")


def test_the_suppression_list_holds_the_addresses_of_customers_who_said_no(database):
    """An ESP given the list must not mail a customer who opted out through another
    identifier (the shop account, a cookie): every stitching email and phone of a
    customer whose decision for a purpose is a denial is on it, for that purpose."""
    rows = query(
        database,
        "select identifier_sha256, purpose, suppression_reason, suppression_scope "
        "from marts.suppressed_identifiers where identifier_type = 'email'",
    )
    by_email = {}
    for digest, purpose, reason, scope in rows:
        by_email.setdefault(digest, set()).add((purpose, reason, scope))
    # I: the shop flag's tie made the customer's decision a denial
    assert by_email[sha256("i@x.com")] == {
        ("email_marketing", "shop_accepts_marketing", "customer")
    }
    # A: the address itself unsubscribed: the value's own suppression comes first
    assert by_email[sha256("a@x.com")] == {("email_marketing", "email_unsubscribe", "identifier")}
    # G granted last, D never answered (GDPR default, no denial), K2 granted: not listed
    for email in ("g@x.com", "d@x.com", "k2@x.com"):
        assert sha256(email) not in by_email, email


def test_signals_through_non_stitching_identifiers_apply_to_nobody(database):
    assert query(
        database,
        "select count(*) from marts.customer_consent_history where signal_id like '%:X_:%'",
    ) == [(0,)]
    suppressed = query(
        database,
        "select purpose, suppression_reason from marts.suppressed_identifiers "
        "where identifier_sha256 = ?",
        [sha256("test@test.com")],
    )
    # the denial suppresses the value itself; the grant suppresses nothing
    assert suppressed == [("sms_marketing", "consent_event")]


def test_the_suppression_list_does_not_depend_on_stitching(database):
    # an erased value is listed by its keyed hash only: a plain sha256 of an erased
    # person's identifier could be brute-forced (a phone's from the numbering plan)
    ghost = query(
        database,
        "select purpose, suppression_reason, identifier_sha256 from marts.suppressed_identifiers "
        "where identifier_type = 'email' and identifier_hash = ? order by purpose",
        [sha256(f"{TEST_SECRET_SALT}:email:ghost@x.com")],
    )
    assert ghost == [
        (p, "privacy_erasure", None)
        for p in sorted(
            [
                "analytics",
                "email_marketing",
                "personalization",
                "sms_marketing",
                "third_party_sharing",
            ]
        )
    ]
    # hashes only: no clear-text identifier anywhere in the list
    assert query(
        database,
        "select count(*) from marts.suppressed_identifiers where identifier_sha256 like '%@%'",
    ) == [(0,)]


def test_history_shows_every_change_with_its_proof(database):
    rows = query(
        database,
        """
        select history.signal_sequence, history.status, history.previous_status,
            history.is_status_change, history.signal_type, history.source,
            history.identifier_type, cast(history.occurred_at as varchar)
        from marts.customer_consent_history as history
        inner join marts.customer_identities as identities
            on history.customer_id = identities.customer_id
        where identities.identifier_value = 'S-A' and history.purpose = 'email_marketing'
        order by history.signal_sequence
        """,
    )
    assert rows == [
        (
            1,
            "granted",
            None,
            True,
            "consent_event",
            "preference_center",
            "email",
            "2024-01-01 00:00:00",
        ),
        (
            2,
            "denied",
            "granted",
            True,
            "email_unsubscribe",
            "email",
            "email",
            "2024-02-01 00:00:00",
        ),
    ]


def test_every_customer_has_one_row_per_purpose(database):
    assert query(
        database,
        """
        select count(*) = 5 * (select count(*) from marts.customer_profiles)
        from marts.customer_consent
        """,
    ) == [(True,)]


def email_history(database, shop_customer_id: str) -> list[tuple]:
    """(status, signal type, date) of every email_marketing signal of the customer."""
    return query(
        database,
        """
        select history.status, history.signal_type, cast(history.occurred_at as date)::varchar
        from marts.customer_consent_history as history
        inner join marts.customer_identities as identities
            on history.customer_id = identities.customer_id
        where identities.identifier_type = 'shop_customer_id'
            and identities.identifier_value = ? and history.purpose = 'email_marketing'
        order by history.signal_sequence
        """,
        [shop_customer_id],
    )


def test_an_unchanged_shop_flag_does_not_re_grant_after_an_unsubscribe(database):
    status, contactable, source, signal_type, _, decided_at = consent_of(
        database, "S-F", "email_marketing"
    )
    assert (status, contactable, source, signal_type, decided_at) == (
        "denied",
        False,
        "email",
        "email_unsubscribe",
        "2024-02-01 00:00:00",
    )
    assert email_history(database, "S-F") == [
        ("granted", "shop_accepts_marketing", "2024-01-01"),
        ("denied", "email_unsubscribe", "2024-02-01"),
    ]
    assert "f@x.com" not in audience(database, "email_marketing")


def test_cdc_versions_arriving_out_of_order_are_read_in_business_time(database):
    assert email_history(database, "S-G") == [
        ("granted", "shop_accepts_marketing", "2024-01-01"),
        ("denied", "shop_accepts_marketing", "2024-02-01"),
        ("granted", "shop_accepts_marketing", "2024-03-01"),
    ]
    status, contactable, _, _, _, decided_at = consent_of(database, "S-G", "email_marketing")
    assert (status, contactable, decided_at) == ("granted", True, "2024-03-01 00:00:00")


def test_an_empty_or_unreadable_flag_is_no_signal_and_no_change(database):
    assert email_history(database, "S-H") == [
        ("granted", "shop_accepts_marketing", "2024-01-01"),
        ("denied", "email_unsubscribe", "2024-02-01"),
    ]
    assert consent_of(database, "S-H", "email_marketing")[:2] == ("denied", False)


def test_two_versions_at_one_timestamp_that_disagree_resolve_to_the_denial(database):
    assert sorted(email_history(database, "S-I")) == [
        ("denied", "shop_accepts_marketing", "2024-03-01"),
        ("granted", "shop_accepts_marketing", "2024-01-01"),
        ("granted", "shop_accepts_marketing", "2024-03-01"),
    ]
    status, contactable, _, _, _, decided_at = consent_of(database, "S-I", "email_marketing")
    assert (status, contactable, decided_at) == ("denied", False, "2024-03-01 00:00:00")


def test_a_redelivered_version_is_not_a_new_signal(database):
    assert email_history(database, "S-J") == [
        ("granted", "shop_accepts_marketing", "2024-01-01"),
        ("denied", "consent_event", "2024-02-01"),
    ]
    assert consent_of(database, "S-J", "email_marketing")[:2] == ("denied", False)


def test_a_first_no_counts_but_re_reading_it_does_not_deny_again(database):
    assert email_history(database, "S-K2") == [
        ("denied", "shop_accepts_marketing", "2024-01-01"),
        ("granted", "consent_event", "2024-02-01"),
    ]
    assert consent_of(database, "S-K2", "email_marketing")[:2] == ("granted", True)
    assert "k2@x.com" in audience(database, "email_marketing")
