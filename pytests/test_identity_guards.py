"""The guards against over-merging, against independent oracles.

- Line types: int_phone_line_types against Google's libphonenumber itself (the
  ``phonenumbers`` package) on the example numbers of every region and number type,
  and on numbers derived from them.
- The whole rule: random record sets (people with loyalty cards and store sales, phones
  typed on several people's records, names, placeholders in odd casing), landed as
  staged rows, through the compiled identity models (the recorded identifiers, the
  guard, the components), against docs/contract.md §2 written out in
  Python: line types from phonenumbers, limits from the identifier_limits seed, the
  blocklist in any casing, the first-name check, then union-find.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import duckdb
import phonenumbers
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberType

from conftest import PROJECT_DIR, run_dbt
from test_identity_components import union_find

SEEDS = PROJECT_DIR / "seeds"
LINE_TYPE_OF = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "fixed_line",
    PhoneNumberType.TOLL_FREE: "service",
    PhoneNumberType.SHARED_COST: "service",
    PhoneNumberType.PREMIUM_RATE: "service",
    PhoneNumberType.UAN: "service",
}
GUARD_MODELS = (
    "int_phone_line_types",
    "int_identifier_sharing_measured",
    "int_phone_first_names_compared",
    "int_identifiers_classified",
    "int_identifiers_hashed",
    "int_records_anchored",
    "int_identity_links",
    "int_identity_stars",
    "int_identity_star_edges",
    "int_identity_contraction",
    "int_identity_components",
)


def expected_line_type(e164: str) -> str:
    """What libphonenumber says, in the guards' terms (anything else is unknown)."""
    return LINE_TYPE_OF.get(phonenumbers.number_type(phonenumbers.parse(e164)), "unknown")


GUARD_SEEDS = "identifier_types identifier_limits blocked_identifiers countries first_name_variants"


def seed_guard_reference(database: Path) -> None:
    """Seed a scratch database with the reference data the guards read."""
    result = run_dbt(database, "seed", "--select", GUARD_SEEDS)
    assert result.success, result.output


def compile_guard_models(folder: Path, seeded: bool = True) -> dict[str, str]:
    """Compile the guard and component models against a scratch database, seeded
    first unless `seeded` is false (or it was seeded by the caller)."""
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "cdp.duckdb"
    if seeded and not database.exists():
        seed_guard_reference(database)
    models = (*GUARD_INPUT_MODELS, *GUARD_MODELS)
    result = run_dbt(database, "compile", "--select", *models)
    assert result.success, result.output
    compiled = folder / "target" / "compiled" / "cdp" / "models" / "intermediate"
    return {m: next(compiled.rglob(f"{m}.sql")).read_text() for m in models} | {
        "database": str(database)
    }


@pytest.fixture(scope="module")
def guard_sql(tmp_path_factory) -> dict[str, str]:
    return compile_guard_models(tmp_path_factory.mktemp("guards"))


# The staged tables the identity models read (macro identity_record_sources, the
# national phones of records and signals, the name check), each with one superset of
# columns: a model reads the ones it needs. Records are landed in three of them:
# source_table -> (staged table,
# the record's key column, {identifier_type: column}).
STAGED_TABLES = (
    "stg_crm__contacts",
    "stg_shop__customers",
    "stg_shop__orders",
    "stg_loyalty__members",
    "stg_pos__transactions",
    "stg_web__events",
    "stg_email__activities",
    "stg_support__tickets",
    "stg_survey__responses",
    "stg_social__profiles",
    "stg_consent__events",
    "stg_privacy__requests",
)
STAGED_TEXT_COLUMNS = (
    "contact_id customer_id order_id loyalty_id transaction_id event_id activity_id"
    " ticket_id response_id profile_id request_id anonymous_id email phone first_name"
    " last_name country_code shipping_country_code phone_national_digits"
).split()
STAGED_TIME_COLUMNS = (
    "created_at updated_at ordered_at enrolled_at transacted_at occurred_at submitted_at"
    " received_at"
).split()
RECORD_TABLES = {
    "loyalty_members": (
        "stg_loyalty__members",
        "loyalty_id",
        {"loyalty_id": "loyalty_id", "email": "email", "phone": "phone"},
    ),
    "pos_transactions": (
        "stg_pos__transactions",
        "transaction_id",
        {"loyalty_id": "loyalty_id", "email": "email", "phone": "phone"},
    ),
    "support_tickets": ("stg_support__tickets", "ticket_id", {"email": "email", "phone": "phone"}),
}
# from the staged records to the classification
GUARD_INPUT_MODELS = (
    "int_identifiers_recorded",
    "int_national_phones_read",
    "int_identifier_occurrences",
)


def create_inputs(con, occurrences: list[tuple], first_names: list[tuple]) -> None:
    """Land the records as staged rows: each (source_table, record_key, identifier_type,
    identifier_value) occurrence is a column of its record's row, and first names
    (loyalty cards only here) a column of the card's row."""
    con.execute("create schema if not exists staging")
    con.execute("create schema if not exists intermediate")
    columns = ", ".join(
        [f"{c} varchar" for c in STAGED_TEXT_COLUMNS]
        + [f"{c} timestamp" for c in STAGED_TIME_COLUMNS]
        + ["is_deleted boolean"]
    )
    for table in STAGED_TABLES:
        con.execute(f"create or replace table staging.{table} ({columns})")
    records: dict[tuple, dict] = defaultdict(dict)
    for table, key, kind, value in occurrences:
        _, key_column, identifier_columns = RECORD_TABLES[table]
        records[(table, key)][key_column] = key
        records[(table, key)][identifier_columns[kind]] = value
    names = dict(first_names)
    for card, name in names.items():
        records[("loyalty_members", card)].update(loyalty_id=card, first_name=name)
    for (table, _), row in sorted(records.items()):
        staged = RECORD_TABLES[table][0]
        values = {**dict.fromkeys(STAGED_TIME_COLUMNS, "2024-01-01"), **row, "is_deleted": False}
        names_sql = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        con.execute(
            f"insert into staging.{staged} ({names_sql}) values ({marks})", list(values.values())
        )


def run_models(con, sql: dict[str, str], models: tuple[str, ...]) -> None:
    for model in models:
        con.execute(f"create or replace table intermediate.{model} as {sql[model]}")


# --- line types --------------------------------------------------------------------------


def line_type_sample() -> list[str]:
    """Example numbers of every region and number type, and variants of them (last digit
    changed, one digit more, one less), in E.164."""
    numbers = set()
    for region in phonenumbers.SUPPORTED_REGIONS:
        for number_type in (
            PhoneNumberType.FIXED_LINE,
            PhoneNumberType.MOBILE,
            PhoneNumberType.TOLL_FREE,
            PhoneNumberType.PREMIUM_RATE,
            PhoneNumberType.SHARED_COST,
            PhoneNumberType.UAN,
            PhoneNumberType.VOIP,
            PhoneNumberType.PERSONAL_NUMBER,
        ):
            example = phonenumbers.example_number_for_type(region, number_type)
            if example is None:
                continue
            e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
            numbers |= {e164, e164[:-1] + str((int(e164[-1]) + 5) % 10), e164 + "7", e164[:-1]}
    return sorted(numbers)


def test_line_types_agree_with_libphonenumber(guard_sql):
    phones = line_type_sample()
    con = duckdb.connect(guard_sql["database"])
    try:
        create_inputs(con, [("support_tickets", p, "phone", p) for p in phones], [])
        run_models(con, guard_sql, GUARD_INPUT_MODELS)
        rows = con.execute(guard_sql["int_phone_line_types"]).fetchall()
        found = {phone: line_type for phone, _, line_type, _ in rows}
    finally:
        con.close()
    assert set(found) == set(phones)
    wrong = {
        p: (found[p], expected_line_type(p)) for p in phones if found[p] != expected_line_type(p)
    }
    # libphonenumber first checks a region's general pattern and its possible lengths,
    # which the line-type patterns alone do not: the few numbers outside them are the
    # only ones allowed to differ, and only towards a type the pattern itself names.
    assert len(wrong) <= len(phones) // 200, sorted(wrong.items())[:20]
    assert len(phones) > 2_000
    assert {"mobile", "fixed_line", "service", "unknown"} <= set(found.values())


# --- the whole rule ------------------------------------------------------------------------

PHONES = (
    "+4915123456780",  # German mobiles
    "+4915123456781",
    "+4916012345678",
    "+493012345678",  # Berlin landlines
    "+493012345679",
    "+14155550134",  # North America: the plan cannot tell the line type
    "+14155550135",
    "+448001234567",  # toll-free
    "+4410000000",  # not a valid number: unknown
    "+44000000000",  # zeros typed into a required field: a placeholder, blocked
)
NAMES = ("Anna", "anna", "Jon", "Jonathan", "J.", "Paul", "Lea", None)
BLOCKED_SPELLINGS = ("test@test.com", "TEST@TEST.COM", "Test@Test.Com")


def read_seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / f"{name}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@st.composite
def record_sets(draw):
    """People with a loyalty card (email, phone, first name, each optional) and store
    sales on that card (with an email or a placeholder and a phone, each optional).
    Phones come from a small pool, so several people type the same ones."""
    occurrences, first_names = [], []
    for person in range(draw(st.integers(2, 30))):
        card = f"L{person}"
        rows = [("loyalty_members", card, "loyalty_id", card)]
        if draw(st.integers(0, 4)):
            rows.append(("loyalty_members", card, "email", f"p{person}@x.com"))
        if draw(st.booleans()):
            rows.append(("loyalty_members", card, "phone", draw(st.sampled_from(PHONES))))
        name = draw(st.sampled_from(NAMES))
        if name:
            first_names.append((card, name))
        occurrences += rows
        for sale in range(draw(st.integers(0, 2))):
            key = f"P{person}-{sale}"
            occurrences.append(("pos_transactions", key, "loyalty_id", card))
            email = draw(st.sampled_from((None, f"p{person}@x.com", *BLOCKED_SPELLINGS)))
            if email:
                occurrences.append(("pos_transactions", key, "email", email))
            if draw(st.booleans()):
                occurrences.append(
                    ("pos_transactions", key, "phone", draw(st.sampled_from(PHONES)))
                )
    return occurrences, first_names


def name_key(name: str) -> str:
    """macro name_key, for the names of this oracle (ASCII: no accents to fold)."""
    folded = name.lower().replace("ae", "a").replace("oe", "o").replace("ue", "u")
    return "".join(c for c in folded if "a" <= c <= "z")


def names_match(key: str, other: str, variants: set[tuple[str, str]]) -> bool:
    return key.startswith(other) or other.startswith(key) or (key, other) in variants


def oracle(occurrences, first_names) -> tuple[set, set]:
    """docs/contract.md §2 with the README's decision table, written out directly.
    Returns (the partition of stitching identifiers, the non-stitching identifiers)."""
    limits = {
        (row["identifier_type"], row["line_type"], row["linked_type"]): int(
            row["max_linked_values"]
        )
        for row in read_seed("identifier_limits")
    }
    blocked = {
        (r["identifier_type"], r["identifier_value"].lower())
        for r in read_seed("blocked_identifiers")
    }
    records: dict[tuple, set] = defaultdict(set)
    for table, key, kind, value in occurrences:
        records[(table, key)].add((kind, value))
    names = dict(first_names)

    def is_blocked(identifier) -> bool:
        is_phone = identifier[0] == "phone"
        is_zeros = is_phone and phonenumbers.parse(identifier[1]).national_number == 0
        return is_zeros or (identifier[0], identifier[1].lower()) in blocked

    def line_type(identifier) -> str:
        return expected_line_type(identifier[1]) if identifier[0] == "phone" else "any"

    variants = {
        (name_key(row[first]), name_key(row[second]))
        for row in read_seed("first_name_variants")
        for first, second in (("name", "variant"), ("variant", "name"))
    }

    def names_conflict(phone) -> bool:
        keys = {
            name_key(names[key])
            for (table, key), carried in records.items()
            if phone in carried and table == "loyalty_members" and names.get(key)
        }
        keys = sorted(k for k in keys if len(k) >= 2)
        return any(
            not names_match(a, b, variants) for i, a in enumerate(keys) for b in keys[i + 1 :]
        )

    identifiers = {identifier for carried in records.values() for identifier in carried}
    stitching = set()
    for identifier in identifiers:
        kind = identifier[0]
        if is_blocked(identifier) or line_type(identifier) == "service":
            continue
        linked: dict[str, set] = defaultdict(set)
        for carried in records.values():
            if identifier in carried:
                for other in carried:
                    if other[0] != kind and not is_blocked(other):
                        linked[other[0]].add(other[1])
        over = any(
            len(values) > limits[(kind, line_type(identifier), linked_type)]
            for linked_type, values in linked.items()
            if (kind, line_type(identifier), linked_type) in limits
        )
        if over or (kind == "phone" and names_conflict(identifier)):
            continue
        stitching.add(identifier)
    index = {identifier: n for n, identifier in enumerate(sorted(stitching))}
    edges = []
    for carried in records.values():
        linked_ids = sorted(index[i] for i in carried if i in index)
        edges += [(linked_ids[0], other) for other in linked_ids[1:]]
    ordered = sorted(stitching)
    partition = {
        frozenset(ordered[n] for n in group)
        for group in union_find(set(range(len(ordered))), edges)
    }
    return partition, identifiers - stitching


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record_set=record_sets())
def test_guards_and_components_equal_the_rule_written_out(guard_sql, record_set):
    occurrences, first_names = record_set
    con = duckdb.connect(guard_sql["database"])
    try:
        create_inputs(con, occurrences, first_names)
        run_models(con, guard_sql, (*GUARD_INPUT_MODELS, *GUARD_MODELS[:-1]))
        rows = con.execute(f"""
            select
                identifiers.identifier_type, identifiers.identifier_value,
                identifiers.is_stitching, components.component_id
            from intermediate.int_identifiers_classified as identifiers
            left join ({guard_sql["int_identity_components"]}) as components
                using (node_id)
        """).fetchall()
    finally:
        con.close()
    groups: dict[int, set] = defaultdict(set)
    non_stitching = set()
    for kind, value, is_stitching, component in rows:
        if is_stitching:
            groups[component].add((kind, value))
        else:
            non_stitching.add((kind, value))
    expected_partition, expected_non_stitching = oracle(occurrences, first_names)
    assert non_stitching == expected_non_stitching
    assert {frozenset(group) for group in groups.values()} == expected_partition


def test_the_rule_written_out_can_tell():
    """The oracle itself on a case with a known answer: the store phone on three cards."""
    occurrences = [
        ("loyalty_members", f"L{n}", kind, value)
        for n in range(3)
        for kind, value in (
            ("loyalty_id", f"L{n}"),
            ("email", f"p{n}@x.com"),
            ("phone", "+493012345678"),
        )
    ]
    partition, non_stitching = oracle(occurrences, [])
    assert non_stitching == {("phone", "+493012345678")}
    assert len(partition) == 3


# --- the limits are read from the built seed ---------------------------------------------


def land_one_email_with_two_mobiles(con) -> None:
    """One address on two loyalty cards, each with another German mobile."""
    create_inputs(
        con,
        [
            ("loyalty_members", "L1", "loyalty_id", "L1"),
            ("loyalty_members", "L1", "email", "ann@example.com"),
            ("loyalty_members", "L1", "phone", "+4915112345678"),
            ("loyalty_members", "L2", "loyalty_id", "L2"),
            ("loyalty_members", "L2", "email", "ann@example.com"),
            ("loyalty_members", "L2", "phone", "+4915187654321"),
        ],
        [],
    )


def email_classification(con, sql: dict[str, str]) -> tuple:
    run_models(con, sql, (*GUARD_INPUT_MODELS, *GUARD_MODELS[:4]))
    return con.execute("""
        select non_stitching_reason, shared_with_type, shared_with_count, sharing_limit
        from intermediate.int_identifiers_classified
        where identifier_type = 'email'
    """).fetchone()


def test_a_limit_added_to_the_seed_is_applied(tmp_path):
    """A limit on a pair of types the shipped seed does not limit (an email seen with
    more than one phone) is read from the built seed, so the guard reads that pair of
    columns too: the email on two cards with two mobiles becomes shared. Under the
    shipped limits the same email links (two cards are within its limit of three)."""
    shipped = compile_guard_models(tmp_path / "shipped")
    edited_folder = tmp_path / "edited"
    edited_folder.mkdir()
    seed_guard_reference(edited_folder / "cdp.duckdb")
    con = duckdb.connect(str(edited_folder / "cdp.duckdb"))
    con.execute(
        "insert into reference.identifier_limits values ('email', 'any', 'phone', 1, 'test')"
    )
    con.close()
    edited = compile_guard_models(edited_folder)
    for sql, expected in (
        (shipped, (None, None, None, None)),
        (edited, ("shared", "phone", 2, 1)),
    ):
        con = duckdb.connect(sql["database"])
        try:
            land_one_email_with_two_mobiles(con)
            assert email_classification(con, sql) == expected
        finally:
            con.close()


def test_compiled_before_the_seed_is_built_every_pair_is_read_with_the_same_answer(
    tmp_path, guard_sql
):
    """Compiled on a database without the seed (dbt compile before the first build),
    the guard reads every pair of identifier columns; the answer is the same as with
    only the limited pairs read."""
    unseeded = compile_guard_models(tmp_path, seeded=False)
    measured = "int_identifier_sharing_measured"
    assert unseeded[measured].count("union all") > guard_sql[measured].count("union all")
    seed_guard_reference(tmp_path / "cdp.duckdb")
    occurrences = [
        (table, f"{table[0]}{n}", kind, value)
        for n in range(4)
        for table, kind, value in (
            ("loyalty_members", "loyalty_id", f"l{n}"),
            ("loyalty_members", "email", f"p{n % 2}@example.com"),
            ("loyalty_members", "phone", "+4930123456" + str(n % 3)),
            ("pos_transactions", "loyalty_id", f"l{n}"),
            ("pos_transactions", "phone", "+4915112345678"),
            ("support_tickets", "email", f"p{n}@example.com"),
            ("support_tickets", "phone", "+4915112345678"),
        )
    ]
    answers = []
    for sql in (unseeded, guard_sql):
        con = duckdb.connect(sql["database"])
        try:
            create_inputs(con, occurrences, [])
            run_models(con, sql, (*GUARD_INPUT_MODELS, *GUARD_MODELS[:4]))
            answers.append(
                con.execute("""
                    select * from intermediate.int_identifier_sharing_measured
                    order by all
                """).fetchall()
            )
        finally:
            con.close()
    assert answers[0] == answers[1]
    assert any(row[-1] for row in answers[0])  # some value is over its limit


def test_without_any_limit_on_emails_the_guard_still_builds(tmp_path):
    """With every email row removed from the built seed, no pair of email columns is
    read (the national phones' vote has no email pairs to measure): the models still
    build, and no email is measured or shared."""
    database = tmp_path / "cdp.duckdb"
    seed_guard_reference(database)
    con = duckdb.connect(str(database))
    con.execute("delete from reference.identifier_limits where identifier_type = 'email'")
    con.close()
    sql = compile_guard_models(tmp_path)
    assert "'email' as identifier_type" not in sql["int_national_phones_read"]
    con = duckdb.connect(sql["database"])
    try:
        land_one_email_with_two_mobiles(con)
        assert email_classification(con, sql) == (None, None, None, None)
        measured_types = con.execute(
            "select distinct identifier_type from intermediate.int_identifier_sharing_measured"
        ).fetchall()
    finally:
        con.close()
    assert measured_types == [("phone",)]
