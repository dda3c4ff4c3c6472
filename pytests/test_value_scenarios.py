"""Customer value on a hand-made scenario with known numbers (docs/contract.md §2 Value).

As of 2024-06-30. Customer V: a delivered GBP order with a discount and two lines
(one product costed in USD), a cancelled EUR order, a store purchase, and a partial
return of the GBP order refunded in GBP at a later month's rate; after the as-of
date a store return and another store purchase, which count nowhere. Customer Y:
an order with one product the catalogue has no cost for, and an order of a sku the
catalogue does not know. Customer W buys only after the as-of date (a cheap-to-make
order that must not move the as-of cost ratio). Expected figures are computed by
hand from the currency_rates seed (GBP 2024-03 1.19301416, 2024-04 1.19111108; USD
2024-03 0.89174075). The brand's observed cost ratio as of 2024-06-30 is O1's:
48.92 / 131.23 = 0.3727806; cost estimates are amount x that ratio, to the cent.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import build_scenario, query, query_dicts

RAW = {
    "shop_customers": [
        {"customer_id": "S-V", "email": "v@x.com", "country": "DE", "created_at": "2024-01-01"},
        {"customer_id": "S-W", "email": "w@x.com", "country": "DE", "created_at": "2024-01-01"},
        {"customer_id": "S-Y", "email": "y@x.com", "country": "DE", "created_at": "2024-01-01"},
    ],
    "loyalty_members": [
        {"loyalty_id": "L-V", "email": "v@x.com", "enrolled_at": "2024-01-01"},
    ],
    "products": [
        {"sku": "SKU-A", "brand": "oak", "name": "Chair", "unit_cost": "20.00", "currency": "EUR"},
        {"sku": "SKU-B", "brand": "oak", "name": "Lamp", "unit_cost": "10.00", "currency": "USD"},
        # no cost in the catalogue
        {"sku": "SKU-C", "brand": "oak", "name": "Rug", "unit_cost": "", "currency": "EUR"},
    ],
    "shop_orders": [
        {
            "order_id": "O1",
            "customer_id": "S-V",
            "brand": "oak",
            "status": "delivered",
            "currency": "GBP",
            "ordered_at": "2024-03-10T12:00:00Z",
        },
        {
            "order_id": "O2",
            "customer_id": "S-V",
            "brand": "oak",
            "status": "cancelled",
            "currency": "EUR",
            "ordered_at": "2024-03-12",
        },
        # after the as-of date: W is no buyer yet, and O3's cost ratio (0.2) must not
        # change the ratio that estimates costs as of 2024-06-30
        {
            "order_id": "O3",
            "customer_id": "S-W",
            "brand": "oak",
            "status": "delivered",
            "currency": "EUR",
            "ordered_at": "2024-08-01",
        },
        # Y: 50.00 with a catalogue cost of 20.00, 30.00 without -> estimated 11.18
        {
            "order_id": "O4",
            "customer_id": "S-Y",
            "brand": "oak",
            "status": "delivered",
            "currency": "EUR",
            "ordered_at": "2024-05-01",
        },
        # Y: 2 x 10.00 of a sku the catalogue does not know -> estimated 7.46
        {
            "order_id": "O5",
            "customer_id": "S-Y",
            "brand": "oak",
            "status": "delivered",
            "currency": "EUR",
            "ordered_at": "2024-05-02",
        },
    ],
    "shop_order_lines": [
        # 2 x 50.00 - 10.00 = 90.00 GBP -> 107.37 EUR; cost 2 x 20.00 EUR = 40.00
        {
            "order_id": "O1",
            "line_number": "1",
            "sku": "SKU-A",
            "quantity": "2",
            "unit_price": "50.00",
            "discount_amount": "10.00",
        },
        # 20.00 GBP -> 23.86 EUR; cost 10.00 USD -> 8.92 EUR
        {
            "order_id": "O1",
            "line_number": "2",
            "sku": "SKU-B",
            "quantity": "1",
            "unit_price": "20.00",
        },
        {
            "order_id": "O2",
            "line_number": "1",
            "sku": "SKU-A",
            "quantity": "1",
            "unit_price": "60.00",
        },
        {
            "order_id": "O3",
            "line_number": "1",
            "sku": "SKU-A",
            "quantity": "1",
            "unit_price": "100.00",
        },
        {
            "order_id": "O4",
            "line_number": "1",
            "sku": "SKU-A",
            "quantity": "1",
            "unit_price": "50.00",
        },
        {
            "order_id": "O4",
            "line_number": "2",
            "sku": "SKU-C",
            "quantity": "1",
            "unit_price": "30.00",
        },
        {
            "order_id": "O5",
            "line_number": "1",
            "sku": "SKU-D",
            "quantity": "2",
            "unit_price": "10.00",
        },
    ],
    "pos_transactions": [
        # 40.00 EUR; cost estimated at the brand's shop ratio 48.92 / 131.23 -> 14.91
        {
            "transaction_id": "P1",
            "store_id": "ST1",
            "brand": "oak",
            "loyalty_id": "L-V",
            "currency": "EUR",
            "amount": "40.00",
            "transacted_at": "2024-03-15",
        },
        # nobody's sale
        {
            "transaction_id": "P2",
            "store_id": "ST1",
            "brand": "oak",
            "currency": "EUR",
            "amount": "15.00",
            "transacted_at": "2024-03-16",
        },
        # V after the as-of date: in the fact, in no value figure
        {
            "transaction_id": "P3",
            "store_id": "ST1",
            "brand": "oak",
            "loyalty_id": "L-V",
            "currency": "EUR",
            "amount": "25.00",
            "transacted_at": "2024-07-10",
        },
    ],
    "returns": [
        # one chair back: 45.00 GBP at the April rate -> 53.60 EUR; returned cost 20.00
        {
            "return_id": "R1",
            "order_id": "O1",
            "sku": "SKU-A",
            "quantity": "1",
            "refund_amount": "45.00",
            "currency": "GBP",
            "returned_at": "2024-04-05",
        },
        # a return of an order that was never staged: kept, unmatched
        {
            "return_id": "R2",
            "order_id": "O-UNKNOWN",
            "sku": "SKU-A",
            "quantity": "1",
            "refund_amount": "5.00",
            "currency": "EUR",
            "returned_at": "2024-04-05",
        },
        # a refund of the store purchase P1 after the as-of date: not counted as of it
        {
            "return_id": "R3",
            "pos_transaction_id": "P1",
            "quantity": "1",
            "refund_amount": "10.00",
            "currency": "EUR",
            "returned_at": "2024-07-15",
        },
    ],
}


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return build_scenario(
        tmp_path_factory.mktemp("value"), RAW, "--vars", "{as_of_date: '2024-06-30'}"
    )


def value_of(database, shop_customer_id: str) -> dict:
    rows = query_dicts(
        database,
        """
        select value.*
        from marts.customer_value as value
        inner join marts.customer_identities as identities
            on value.customer_id = identities.customer_id
        where identities.identifier_type = 'shop_customer_id'
            and identities.identifier_value = ?
        """,
        [shop_customer_id],
    )
    assert len(rows) == 1
    return rows[0]


def test_purchases_are_in_eur_with_refunds_and_cost(database):
    # every staged purchase is in the fact; refunds, returned cost and margin are as
    # of the as-of date (R3 on 2024-07-15 is not in P1's refunds)
    rows = query(
        database,
        """
        select purchase_id, is_purchase, is_after_as_of_date, cost_basis, gross_revenue,
            refunded_amount, net_revenue, cost_of_goods, returned_cost, gross_margin,
            unknown_cost_revenue
        from marts.customer_purchases order by purchase_id
        """,
    )
    d = Decimal
    assert rows == [
        ("pos_transactions:P1", True, False, "estimated", d("40.00"), d("0.00"), d("40.00"),
         d("14.91"), d("0.00"), d("25.09"), d("40.00")),
        ("pos_transactions:P2", True, False, "estimated", d("15.00"), d("0.00"), d("15.00"),
         d("5.59"), d("0.00"), d("9.41"), d("15.00")),
        ("pos_transactions:P3", True, True, "estimated", d("25.00"), d("0.00"), d("25.00"),
         d("9.32"), d("0.00"), d("15.68"), d("25.00")),
        ("shop_orders:O1", True, False, "catalog", d("131.23"), d("53.60"), d("77.63"),
         d("48.92"), d("20.00"), d("48.71"), d("0.00")),
        ("shop_orders:O2", False, False, "catalog", d("60.00"), d("0.00"), d("60.00"),
         d("20.00"), d("0.00"), d("40.00"), d("0.00")),
        ("shop_orders:O3", True, True, "catalog", d("100.00"), d("0.00"), d("100.00"),
         d("20.00"), d("0.00"), d("80.00"), d("0.00")),
        ("shop_orders:O4", True, False, "partial", d("80.00"), d("0.00"), d("80.00"),
         d("31.18"), d("0.00"), d("48.82"), d("30.00")),
        ("shop_orders:O5", True, False, "estimated", d("20.00"), d("0.00"), d("20.00"),
         d("7.46"), d("0.00"), d("12.54"), d("20.00")),
    ]  # fmt: skip


def test_customer_value_figures(database):
    v = value_of(database, "S-V")
    # the cancelled order and P3 (after the as-of date) do not count, nor R3
    assert v["return_count"] == 1
    assert v["gross_revenue"] == Decimal("171.23")
    assert v["refunded_amount"] == Decimal("53.60")
    assert v["net_revenue"] == Decimal("117.63")
    assert v["gross_margin"] == Decimal("73.80")
    assert v["return_rate"] == Decimal("0.3130")
    assert abs(v["average_order_value"] - Decimal("85.62")) <= Decimal("0.01")
    assert (v["recency_days"], v["tenure_days"]) == (107, 112)
    assert str(v["first_purchase_at"]) == "2024-03-10 12:00:00"
    assert str(v["last_purchase_at"]) == "2024-03-15 00:00:00"
    assert v["purchases_count"] == 2
    assert v["unknown_cost_revenue"] == Decimal("40.00")  # the store purchase
    # two buyers: V recency 107 days (rank 1 of 2), Y 59 -> R 1 and 3; both 2
    # purchases -> F 1; net 117.63 above Y's 100.00 -> M 3
    assert (v["r_score"], v["f_score"], v["m_score"]) == (1, 1, 3)
    assert v["is_buyer"] is True
    # V's 73.80 margin comes first of the 135.16 total: platinum
    assert v["value_tier"] == "platinum" and v["is_strategic"] is True


def test_unknown_costs_are_estimated_not_free(database):
    y = value_of(database, "S-Y")
    assert y["purchases_count"] == 2
    assert y["gross_revenue"] == Decimal("100.00")
    assert y["unknown_cost_revenue"] == Decimal("50.00")
    # 100.00 - 20.00 catalogue - 11.18 - 7.46 estimated; free goods would make it 80.00
    assert y["gross_margin"] == Decimal("61.36")
    assert (y["r_score"], y["f_score"], y["m_score"]) == (3, 1, 1)
    # 73.80 of 135.16 (54.6%) comes before Y: gold, not platinum
    assert y["value_tier"] == "gold" and y["is_strategic"] is False


def test_the_share_of_revenue_with_unknown_cost_is_reported(database):
    rows = query_dicts(
        database,
        "select * from data_quality.dq_unknown_cost_revenue order by channel",
    )
    d = Decimal
    assert [
        (
            r["channel"],
            r["purchases_count"],
            r["purchases_with_unknown_cost_count"],
            r["gross_revenue"],
            r["unknown_cost_revenue"],
            r["unknown_cost_revenue_share"],
            r["estimated_cost_of_goods"],
            r["uncosted_revenue"],
            str(r["as_of_date"]),
        )
        for r in rows
    ] == [
        # O1, O4, O5 as of 2024-06-30: 50.00 of 231.23 without a catalogue cost
        ("online_shop", 2 + 1, 2, d("231.23"), d("50.00"), d("0.2162"), d("18.64"), d("0.00"),
         "2024-06-30"),
        # P1 and P2: store sales carry no items, their cost is always estimated
        ("store", 2, 2, d("55.00"), d("55.00"), d("1.0000"), d("20.50"), d("0.00"),
         "2024-06-30"),
    ]  # fmt: skip


def test_clv_inputs_are_as_of_the_date(database):
    rows = query(
        database,
        """
        select identities.identifier_value, summaries.frequency, summaries.monetary_value
        from intermediate.int_customer_purchase_summaries as summaries
        inner join marts.customer_identities as identities
            on summaries.customer_id = identities.customer_id
        where identities.identifier_type = 'shop_customer_id'
        order by 1
        """,
    )
    # V's repeat purchase day is P1 (40.00: R3 comes after the as-of date); W has none
    assert rows == [("S-V", 1, 40.0), ("S-Y", 1, 20.0)]


def test_a_customer_without_purchases_has_a_value_row(database):
    w = value_of(database, "S-W")
    assert (w["purchases_count"], w["gross_revenue"], w["net_revenue"]) == (0, 0, 0)
    assert (w["rfm_segment"], w["value_tier"], w["is_buyer"], w["r_score"]) == (
        "non_buyer",
        "prospect",
        False,
        None,
    )


def test_unmatched_returns_and_unattributed_sales_are_kept(database):
    assert query(
        database,
        "select count(*) from marts.customer_purchases where customer_id is null",
    ) == [(1,)]
    assert query(
        database,
        "select return_id, is_matched from intermediate.int_returns_matched order by 1",
    ) == [("R1", True), ("R2", False), ("R3", True)]
