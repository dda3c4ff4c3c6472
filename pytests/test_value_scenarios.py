"""Customer value on a hand-made scenario with known numbers (docs/contract.md §2 Value).

Customer V: a delivered GBP order with a discount and two lines (one product costed
in USD), a cancelled EUR order, a store purchase, and a partial return of the GBP
order refunded in GBP at a later month's rate. Expected figures are computed by hand
from the currency_rates seed (GBP 2024-03 1.19301416, 2024-04 1.19111108; USD 2024-03
0.89174075).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import build_scenario, query, query_dicts

RAW = {
    "shop_customers": [
        {"customer_id": "S-V", "email": "v@x.com", "country": "DE", "created_at": "2024-01-01"},
        {"customer_id": "S-W", "email": "w@x.com", "country": "DE", "created_at": "2024-01-01"},
    ],
    "loyalty_members": [
        {"loyalty_id": "L-V", "email": "v@x.com", "enrolled_at": "2024-01-01"},
    ],
    "products": [
        {"sku": "SKU-A", "brand": "oak", "name": "Chair", "unit_cost": "20.00", "currency": "EUR"},
        {"sku": "SKU-B", "brand": "oak", "name": "Lamp", "unit_cost": "10.00", "currency": "USD"},
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
    rows = query(
        database,
        """
        select purchase_id, is_purchase, cost_basis, gross_revenue, refunded_amount,
            net_revenue, cost_of_goods, returned_cost, gross_margin
        from marts.customer_purchases order by purchase_id
        """,
    )
    d = Decimal
    assert rows == [
        ("pos_transactions:P1", True, "estimated", d("40.00"), d("0.00"), d("40.00"),
         d("14.91"), d("0.00"), d("25.09")),
        ("pos_transactions:P2", True, "estimated", d("15.00"), d("0.00"), d("15.00"),
         d("5.59"), d("0.00"), d("9.41")),
        ("shop_orders:O1", True, "catalog", d("131.23"), d("53.60"), d("77.63"),
         d("48.92"), d("20.00"), d("48.71")),
        ("shop_orders:O2", False, "catalog", d("60.00"), d("0.00"), d("60.00"),
         d("20.00"), d("0.00"), d("40.00")),
    ]  # fmt: skip


def test_customer_value_figures(database):
    v = value_of(database, "S-V")
    assert v["purchases_count"] == 2  # the cancelled order does not count
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
    assert (v["r_score"], v["f_score"], v["m_score"]) == (1, 1, 1)  # the only buyer
    assert v["is_buyer"] is True
    assert v["value_tier"] == "platinum" and v["is_strategic"] is True


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
        "select return_id, is_matched from intermediate.int_returns_matched order by 1",
    ) == [("R1", True), ("R2", False)]
    assert query(
        database,
        "select count(*) from marts.customer_purchases where customer_id is null",
    ) == [(1,)]
