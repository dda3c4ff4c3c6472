"""The demo-data generator: deterministic, complete, messy, and knows the truth."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cdp.contract import LOADED_AT, RAW_TABLES
from cdp.generate import TRUTH_TABLES, generate


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*.csv"))
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return generate(300, seed=7, out_dir=tmp_path_factory.mktemp("gen") / "a", progress=False)


def test_same_seed_gives_the_same_bytes_whatever_the_worker_count(generated, tmp_path):
    again = generate(300, seed=7, out_dir=tmp_path / "b", workers=2, progress=False)
    assert _digest(generated) == _digest(again)


def test_chunking_does_not_change_the_data(tmp_path, monkeypatch):
    """Chunks have their own seeded RNG; one worker or two, the files are the same."""
    one = generate(2_500, seed=3, out_dir=tmp_path / "one", workers=1, progress=False)
    two = generate(2_500, seed=3, out_dir=tmp_path / "two", workers=2, progress=False)
    assert _digest(one) == _digest(two)


def test_different_seed_gives_different_data(generated, tmp_path):
    other = generate(300, seed=8, out_dir=tmp_path / "c", progress=False)
    assert _digest(generated) != _digest(other)


def test_every_contract_table_has_its_columns_and_rows(generated):
    for table, columns in RAW_TABLES.items():
        files = sorted((generated / table).glob("*.csv"))
        assert files, table
        header = files[0].read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header == [*columns, LOADED_AT], table
        rows = sum(len(f.read_text(encoding="utf-8").splitlines()) - 1 for f in files)
        assert rows > 0, f"{table} is empty at 300 customers"


def test_truth_is_written_beside_the_raw_tables(generated):
    for table in TRUTH_TABLES:
        assert list((generated / "truth" / table).glob("*.csv")), table


def test_the_mess_real_data_has_is_there(generated):
    text = {
        t: "\n".join(p.read_text(encoding="utf-8") for p in (generated / t).glob("*.csv"))
        for t in RAW_TABLES
    }
    assert "test@test.com" in text["shop_customers"] + text["shop_orders"]
    assert "+0530" in text["web_events"] or "+05:30" in text["web_events"], "UTC offsets"
    assert "00" in text["crm_contacts"] and "(" in text["crm_contacts"] + text["shop_orders"]
    assert any(line.startswith(" ") or "  " in line for line in text["crm_contacts"].splitlines())
    for currency in ("EUR", "GBP", "USD"):
        assert currency in text["pos_transactions"] + text["shop_orders"], currency
    for spelling in ("opt_in", "OPT_OUT", "withdrawn"):
        assert spelling.lower() in text["consent_events"].lower(), spelling


def test_rejects_an_empty_population(tmp_path):
    with pytest.raises(ValueError, match="at least 1"):
        generate(0, seed=1, out_dir=tmp_path / "x", progress=False)
