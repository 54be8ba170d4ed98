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
