"""Score identity stitching against the generator's truth (schema `truth`).

Units are the stitching identifiers that belong to exactly one true person
(shared ones, such as a household landline or test@test.com, have no single
right answer and are excluded). Two identifiers form a *true pair* when they
belong to the same person and a *predicted pair* when they are in the same
customer:

    precision = correct predicted pairs / predicted pairs
    recall    = correct predicted pairs / true pairs

An over-merged customer holds identifiers of more than one person; a split
person has identifiers in more than one customer.
"""

from __future__ import annotations

import duckdb

SCORE_SQL = """
with
owners as (
    select identifier_type, identifier_value, min(person_id) as person_id
    from truth.identifiers
    group by all
    having count(distinct person_id) = 1
),
scored as (
    select stitched.customer_id, owners.person_id
    from intermediate.int_identifiers_stitched as stitched
    inner join owners using (identifier_type, identifier_value)
),
cells as (select customer_id, person_id, count(*) as n from scored group by all),
customers as (select customer_id, sum(n) as n, count(*) as persons from cells group by all),
persons as (select person_id, sum(n) as n, count(*) as customers from cells group by all)
select
    (select count(*) from scored) as identifiers_scored,
    (select sum(n * (n - 1) / 2) from cells) as correct_pairs,
    (select sum(n * (n - 1) / 2) from customers) as predicted_pairs,
    (select sum(n * (n - 1) / 2) from persons) as true_pairs,
    (select count(*) from customers) as customers,
    (select count(*) from customers where persons > 1) as over_merged_customers,
    (select count(*) from persons) as persons,
    (select count(*) from persons where customers > 1) as split_persons
"""


def score(database: str) -> dict[str, float]:
    con = duckdb.connect(database, read_only=True)
    try:
        row = con.execute(SCORE_SQL).fetchone()
        names = [d[0] for d in con.description]
    finally:
        con.close()
    result = {name: (value or 0) for name, value in zip(names, row, strict=True)}
    result["precision"] = (
        result["correct_pairs"] / result["predicted_pairs"] if result["predicted_pairs"] else 1.0
    )
    result["recall"] = (
        result["correct_pairs"] / result["true_pairs"] if result["true_pairs"] else 1.0
    )
    return result


def report(result: dict[str, float]) -> str:
    return "\n".join(
        [
            f"identifiers scored      {result['identifiers_scored']:>12,}",
            f"pairwise precision      {result['precision']:>12.5f}",
            f"pairwise recall         {result['recall']:>12.5f}",
            f"customers               {result['customers']:>12,}",
            f"  over-merged           {result['over_merged_customers']:>12,}",
            f"true persons            {result['persons']:>12,}",
            f"  split                 {result['split_persons']:>12,}",
        ]
    )
