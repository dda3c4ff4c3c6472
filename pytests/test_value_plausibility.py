"""Back-office rows that cannot be right never silently move value (docs/contract.md §2
Value; README: Customer value, plausibility).

Quinn buys from brand birch, everything in EUR, as of 2024-06-30; the catalogue costs
SKU-Q1 at 40.00. Written by hand before the code ran:

  OQ1  2024-01-10  1 x 100.00                 gross 100.00, cost 40.00
       RQ1 refunds 150.00 for it: more than was paid for the order. The item came
       back, so the refund counts, capped at what the order was worth: 100.00
       (returned cost 40.00). OQ1: net 0.00, margin 0.00. Listed: refund_exceeds_order.
  OQ2  2024-02-10  2 x 50.00                  gross 100.00, cost 80.00
       RQ2 is dated 2024-02-01, before its order: it cannot be right, so it is not
       counted. OQ2: net 100.00, margin 20.00. Listed: return_before_order.
  OQ3  2024-03-10  its only line says unit price 'abc' (quarantined): the order has no
       readable line, its value is unknown: no purchase. Listed:
       order_without_readable_lines.
  OQ4  2024-04-10  1 x 60.00, and a line priced '1,250': 1,250 or 1.25? Quarantined as
       ambiguous_number. OQ4 counts its readable line: gross 60.00, cost 40.00.
  TQ5  store sale of '2.400' EUR: 2,400 or 2.4? Quarantined, ambiguous_number.
  TQ6  store sale of '1.250,00' EUR: grouped thousands and a decimal comma, no doubt:
       1250.00. Its cost is estimated with the brand's observed cost ratio, the
       fully costed orders': (40 + 80 + 40) / (100 + 100 + 60) = 160 / 260, so
       1250.00 x 0.6153846 = 769.23; margin 480.77.

  Quinn: 4 purchases (OQ1, OQ2, OQ4, TQ6), gross 1510.00, refunded 100.00, net 1410.00,
  margin 0.00 + 20.00 + 20.00 + 480.77 = 520.77, 1 return, average order 377.50.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import build_scenario, query

QUINN_ORDER = {"customer_id": "S-Q", "brand": "birch", "status": "delivered", "currency": "EUR"}
RAW = {
    "shop_customers": [
        {
            "customer_id": "S-Q",
            "email": "q.quinn@example.ie",
            "country": "IE",
            "created_at": "2024-01-01",
        }
    ],
    "products": [
        {
            "sku": "SKU-Q1",
            "brand": "birch",
            "name": "Stool",
            "unit_cost": "40.00",
            "currency": "EUR",
        }
    ],
    "shop_orders": [
        {**QUINN_ORDER, "order_id": "OQ1", "ordered_at": "2024-01-10T10:00:00Z"},
        {**QUINN_ORDER, "order_id": "OQ2", "ordered_at": "2024-02-10T10:00:00Z"},
        {**QUINN_ORDER, "order_id": "OQ3", "ordered_at": "2024-03-10T10:00:00Z"},
        {**QUINN_ORDER, "order_id": "OQ4", "ordered_at": "2024-04-10T10:00:00Z"},
    ],
    "shop_order_lines": [
        {
            "order_id": "OQ1",
            "line_number": "1",
            "sku": "SKU-Q1",
            "quantity": "1",
            "unit_price": "100.00",
        },
        {
            "order_id": "OQ2",
            "line_number": "1",
            "sku": "SKU-Q1",
            "quantity": "2",
            "unit_price": "50.00",
        },
        {
            "order_id": "OQ3",
            "line_number": "1",
            "sku": "SKU-Q1",
            "quantity": "1",
            "unit_price": "abc",
        },
        {
            "order_id": "OQ4",
            "line_number": "1",
            "sku": "SKU-Q1",
            "quantity": "1",
            "unit_price": "60.00",
        },
        {
            "order_id": "OQ4",
            "line_number": "2",
            "sku": "SKU-Q1",
            "quantity": "1",
            "unit_price": "1,250",
        },
    ],
    "returns": [
        {
            "return_id": "RQ1",
            "order_id": "OQ1",
            "sku": "SKU-Q1",
            "quantity": "1",
            "refund_amount": "150.00",
            "currency": "EUR",
            "returned_at": "2024-01-20T10:00:00Z",
        },
        {
            "return_id": "RQ2",
            "order_id": "OQ2",
            "sku": "SKU-Q1",
            "quantity": "1",
            "refund_amount": "50.00",
            "currency": "EUR",
            "returned_at": "2024-02-01T10:00:00Z",
        },
    ],
    "pos_transactions": [
        {
            "transaction_id": "TQ5",
            "store_id": "ST-1",
            "brand": "birch",
            "email": "q.quinn@example.ie",
            "currency": "EUR",
            "amount": "2.400",
            "transacted_at": "2024-05-10T10:00:00Z",
        },
        {
            "transaction_id": "TQ6",
            "store_id": "ST-1",
            "brand": "birch",
            "email": "q.quinn@example.ie",
            "currency": "EUR",
            "amount": "1.250,00",
            "transacted_at": "2024-05-11T10:00:00Z",
        },
    ],
}


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return build_scenario(
        tmp_path_factory.mktemp("plausibility"), RAW, "--vars", "{as_of_date: '2024-06-30'}"
    )


def test_quinns_value(database):
    rows = query(
        database,
        "select purchases_count, gross_revenue, refunded_amount, net_revenue, gross_margin, "
        "return_count, average_order_value from marts.customer_value "
        "where customer_id = (select customer_id from marts.customer_identities "
        "where identifier_type = 'shop_customer_id' and identifier_value = 'S-Q')",
    )
    assert rows == [
        (
            4,
            Decimal("1510.00"),
            Decimal("100.00"),
            Decimal("1410.00"),
            Decimal("520.77"),
            1,
            Decimal("377.50"),
        )
    ]


def test_each_purchase(database):
    rows = query(
        database,
        "select record_key, is_purchase, gross_revenue, refunded_amount, net_revenue, "
        "gross_margin from marts.customer_purchases where record_key like '%Q%' "
        "order by record_key",
    )
    assert rows == [
        ("OQ1", True, Decimal("100.00"), Decimal("100.00"), Decimal("0.00"), Decimal("0.00")),
        ("OQ2", True, Decimal("100.00"), Decimal("0.00"), Decimal("100.00"), Decimal("20.00")),
        # a row, so purchases reconcile with staging, but no purchase: its value is unknown
        ("OQ3", False, Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), None),
        ("OQ4", True, Decimal("60.00"), Decimal("0.00"), Decimal("60.00"), Decimal("20.00")),
        ("TQ6", True, Decimal("1250.00"), Decimal("0.00"), Decimal("1250.00"), Decimal("480.77")),
    ]


def test_every_implausible_row_is_listed_with_its_reason(database):
    listed = query(
        database,
        "select source_table, record_key, reason_code from data_quality.dq_implausible_values "
        "order by source_table, record_key",
    )
    assert listed == [
        ("returns", "RQ1", "refund_exceeds_order"),
        ("returns", "RQ2", "return_before_order"),
        ("shop_orders", "OQ3", "order_without_readable_lines"),
    ]
    quarantined = query(
        database,
        "select raw_table, raw_key, reason_code from data_quality.dq_quarantined_rows "
        "order by raw_table, raw_key",
    )
    assert quarantined == [
        ("pos_transactions", "TQ5", "ambiguous_number"),
        ("shop_order_lines", "OQ3#1", "unparseable_number"),
        ("shop_order_lines", "OQ4#2", "ambiguous_number"),
    ]


def test_the_capped_refund_says_how_much_was_left_out(database):
    rows = query(
        database,
        "select amount_as_sent, amount_counted from data_quality.dq_implausible_values "
        "where record_key = 'RQ1'",
    )
    assert rows == [(Decimal("150.00"), Decimal("100.00"))]
