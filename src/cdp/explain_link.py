"""``cdp explain-link``: why two identifiers are one customer (or why not).

The project's analysis ``analyses/explain_customer_link.sql`` is compiled by dbt once,
with its four inputs as variables bound at run time (macro ``query_parameter``): asking
about other people needs no new compilation, and no value asked about reaches compiled
SQL or dbt's logs. Each identifier is read as everywhere in the project (emails as their
mailbox, phones in E.164, a phone in national format by the one known reading of its
digits). The answer: the shortest chain of links between the two, with the record behind
each link; or what stands in the way (two customers, an identifier no record carries,
one that links nothing, one that cannot be read).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cdp.access_request import (
    PROJECT_DIR,
    AccessRequestError,
    _connect,
    _reference,
    compiled_sql,
    dbt_target_path,
)

ANALYSIS = "explain_customer_link"
# what stands in the way, per status of an identifier the analysis reads
NOT_FOUND = {
    "no_matching_customer": "no record carries it",
    "national_phone_not_found": (
        "no customer holds these national digits in any country's reading: "
        "give the number with +<country code>"
    ),
}
NOT_STITCHING = {
    "blocked": "it is a placeholder on the blocklist, which links nothing",
    "service_number": "it is a service number (toll-free, shared-cost), which links nothing",
    "shared": "it is shared by several people, so it links nothing",
    "type_not_stitching": "identifiers of this type link nothing",
}


class ExplainLinkError(ValueError):
    """The question cannot be asked as given: says why."""


@dataclass
class LinkEnd:
    """One of the two identifiers asked about, as the analysis read it."""

    identifier_type: str
    as_given: str
    read_as: str | None
    status: str
    reason_code: str | None
    non_stitching_reason: str | None
    customer_id: str | None

    def label(self) -> str:
        return f"{self.identifier_type} {self.read_as or self.as_given.strip()}"

    def trouble(self) -> str:
        """Why this identifier belongs to no one customer."""
        if self.status == "not_found":
            return NOT_FOUND[self.reason_code or "no_matching_customer"]
        if self.status == "ambiguous":
            return (
                "customers of several countries hold these national digits: "
                "give the number with +<country code>"
            )
        if self.status in ("shared", "blocked"):
            return NOT_STITCHING.get(self.non_stitching_reason or "shared", NOT_STITCHING["shared"])
        return f"it is not a valid {self.identifier_type}"


@dataclass
class Hop:
    """One link of the chain: the record that carries both identifiers."""

    number: int
    identifier: str
    linked_identifier: str
    linked_by_table: str
    linked_by_record: str


@dataclass
class Explanation:
    first: LinkEnd
    second: LinkEnd
    hops: list[Hop] = field(default_factory=list)

    @property
    def is_one_customer(self) -> bool:
        return (
            self.first.status == self.second.status == "found"
            and self.first.customer_id == self.second.customer_id
        )

    def lines(self) -> list[str]:
        """The answer for the terminal."""
        first, second = self.first, self.second
        for end in (first, second):
            if end.status != "found":
                return [f"not one customer: {end.label()}: {end.trouble()}"]
        if not self.is_one_customer:
            return [
                "not one customer: "
                f"{first.label()} belongs to {first.customer_id}, "
                f"{second.label()} to {second.customer_id}"
            ]
        if not self.hops:
            return [f"one customer, {first.customer_id}: the same identifier"]
        links = "link" if len(self.hops) == 1 else "links"
        rows = [("hop", "from", "to", "linked by")] + [
            (
                str(hop.number),
                hop.identifier,
                hop.linked_identifier,
                f"{hop.linked_by_table} {hop.linked_by_record}",
            )
            for hop in self.hops
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        table = [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            + "  "
            + row[3]
            for row in rows
        ]
        return [f"one customer, {first.customer_id}: {len(self.hops)} {links}", *table]


def rows(
    database: str,
    first: tuple[str, str],
    second: tuple[str, str],
    project_dir: Path = PROJECT_DIR,
    target_path: Path | None = None,
) -> list[dict]:
    """The analysis's rows for two (identifier type, value) pairs, as dicts."""
    if not Path(database).is_file():
        raise ExplainLinkError(f"no database at {database}")
    try:
        with _connect(database) as con:
            known_types = sorted(row[0] for row in _reference(con, "identifier_types"))
    except AccessRequestError as error:
        raise ExplainLinkError(str(error)) from error
    for identifier_type, _ in (first, second):
        if identifier_type not in known_types:
            raise ExplainLinkError(
                f"unknown identifier type {identifier_type!r}: one of {', '.join(known_types)}"
            )
    try:
        # the database as the build named it, and the build's target folder: dbt then
        # reuses the build's parse of the project instead of parsing it again
        sql = compiled_sql(
            database, project_dir, target_path or dbt_target_path(project_dir), analysis=ANALYSIS
        )
    except AccessRequestError as error:
        raise ExplainLinkError(str(error)) from error
    bound = {
        "from_identifier_type": first[0],
        "from_identifier_value": first[1],
        "to_identifier_type": second[0],
        "to_identifier_value": second[1],
    }
    with _connect(database) as con:
        for name, value in bound.items():
            con.execute(f"set variable cdp_request_{name} = ?", [value])
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def explain(
    database: str,
    first: tuple[str, str],
    second: tuple[str, str],
    project_dir: Path = PROJECT_DIR,
    target_path: Path | None = None,
) -> Explanation:
    """Why the two identifiers are one customer, or what stands in the way."""
    found = rows(database, first, second, project_dir, target_path)
    given = {"from": first, "to": second}
    ends = {
        row["row_type"]: LinkEnd(
            identifier_type=row["identifier_type"],
            as_given=given[row["row_type"]][1],
            read_as=row["identifier_value"],
            status=row["status"],
            reason_code=row["reason_code"],
            non_stitching_reason=row["non_stitching_reason"],
            customer_id=row["customer_id"],
        )
        for row in found
        if row["row_type"] in given
    }
    hops = [
        Hop(
            number=row["hop"],
            identifier=f"{row['identifier_type']} {row['identifier_value']}",
            linked_identifier=f"{row['linked_identifier_type']} {row['linked_identifier_value']}",
            linked_by_table=row["linked_by_table"],
            linked_by_record=row["linked_by_record"],
        )
        for row in found
        if row["row_type"] == "hop"
    ]
    return Explanation(ends["from"], ends["to"], hops)
