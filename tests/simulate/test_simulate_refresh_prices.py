"""scripts/refresh_prices.py parses the clouds' real file formats (trimmed samples with made-up prices)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from builders import REPO

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def refresh():
    spec = importlib.util.spec_from_file_location("refresh_prices", REPO / "scripts" / "refresh_prices.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_aws_offer_keeps_hosting_instances_with_an_hourly_price(refresh):
    offer = json.loads((DATA / "aws_sagemaker_offer_sample.json").read_text(encoding="utf-8"))
    # Training rows, storage (GB-Mo) and a zero (free-tier) price are dropped.
    assert refresh.parse_aws_offer(offer) == {"eu-west-1": {"ml.c5.xlarge": 0.23, "ml.g5.xlarge": 1.57}}


def test_gcp_skus_price_machines_from_core_and_ram_plus_gpus(refresh):
    skus = json.loads((DATA / "gcp_vertex_skus_sample.json").read_text(encoding="utf-8"))["skus"]
    table = refresh.parse_gcp_skus(skus, ["europe-west4"])
    machines, gpus = table["europe-west4"]["machines"], table["europe-west4"]["accelerators"]
    # g2-standard-4: 4 vCPU x 0.025 + 16 GiB x 0.003 = 0.148; the training SKU (0.099/core) is not prediction.
    assert machines["g2-standard-4"] == pytest.approx(0.148)
    assert machines["g2-standard-8"] == pytest.approx(0.296)
    assert "n1-standard-4" not in machines  # its SKU is in us-central1 only
    assert gpus == {"NVIDIA_A100_80GB": 4.1, "NVIDIA_L4": 0.7}


def test_refresh_from_a_file_writes_a_dated_verified_table(refresh, tmp_path, monkeypatch):
    monkeypatch.setattr(refresh, "PRICES", tmp_path)
    code = refresh.main(["aws", "--region", "eu-west-1", "--from-file", str(DATA / "aws_sagemaker_offer_sample.json")])
    assert code == 0
    written = json.loads((tmp_path / "aws_sagemaker_hosting.json").read_text(encoding="utf-8"))
    assert written["verified"] is True and written["generated_by"] == "scripts/refresh_prices.py"
    assert written["regions"] == {"eu-west-1": {"ml.c5.xlarge": 0.23, "ml.g5.xlarge": 1.57}}
    assert "AmazonSageMaker/current/<region>/index.json" in written["source"]


def test_refreshing_one_region_of_a_hand_transcribed_table_leaves_it_unverified(refresh, tmp_path, monkeypatch):
    monkeypatch.setattr(refresh, "PRICES", tmp_path)
    hand = {
        "verified": False,
        "verification": {"verified_entries": []},
        "regions": {"us-east-1": {"ml.m5.xlarge": 0.23}},
    }
    (tmp_path / "aws_sagemaker_hosting.json").write_text(json.dumps(hand), encoding="utf-8")
    code = refresh.main(["aws", "--region", "eu-west-1", "--from-file", str(DATA / "aws_sagemaker_offer_sample.json")])
    assert code == 0
    written = json.loads((tmp_path / "aws_sagemaker_hosting.json").read_text(encoding="utf-8"))
    assert written["verified"] is False
    assert written["verification"]["verified_entries"] == ["eu-west-1 ml.c5.xlarge", "eu-west-1 ml.g5.xlarge"]
    assert written["regions"]["us-east-1"] == {"ml.m5.xlarge": 0.23}


def test_shipped_tables_state_what_was_verified():
    """A table is ``verified`` only when its ``verification`` block lists every entry it holds."""
    from components.simulate.cost import PRICES_DIR, TABLES

    for cloud, name in TABLES.items():
        table = json.loads((PRICES_DIR / name).read_text(encoding="utf-8"))
        entries = set()
        for region, prices in table["regions"].items():
            flat = prices if cloud == "aws" else {**prices["machines"], **prices["accelerators"]}
            entries |= {f"{region} {key}" for key in flat}
        listed = set(table["verification"]["verified_entries"])
        assert listed <= entries, f"{name} lists entries it does not hold: {sorted(listed - entries)}"
        assert table["verified"] is (listed == entries), f"{name}: 'verified' disagrees with verified_entries"
        assert table["verification"]["checked"] and table["verification"]["method"]
