#!/usr/bin/env python3
"""Refresh the simulator's price tables (components/simulate/prices/*.json) from the clouds' public price data.

    scripts/refresh_prices.py aws --region eu-west-1 --region us-east-1
    scripts/refresh_prices.py gcp --region europe-west4 --region us-central1      # needs GOOGLE_API_KEY
    scripts/refresh_prices.py aws --from-file index.json --region eu-west-1        # parse a downloaded file

AWS: the Price List bulk file of SageMaker per region,
https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonSageMaker/current/<region>/index.json
(products with productFamily "ML Instance" and attributes.component "Hosting"; the OnDemand term's hourly USD).
No credentials needed. The files are large (hundreds of MB for SageMaker): the script streams them to disk first.

Google: the Cloud Billing Catalog API (public prices, but it needs an API key: GOOGLE_API_KEY),
https://cloudbilling.googleapis.com/v1/services/<service>/skus ; the Vertex AI service's prediction SKUs
("... Prediction <family> Instance Core / Ram running in ..." per vCPU-hour / GiB-hour, and "... <GPU> GPU ..." per
GPU-hour). A machine's node-hour = vCPUs x core price + GiB x RAM price (shapes below, from
https://cloud.google.com/compute/docs/machine-resource).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import urllib.request
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PRICES = REPO / "components" / "simulate" / "prices"
AWS_URL = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonSageMaker/current/{region}/index.json"
GCP_URL = "https://cloudbilling.googleapis.com/v1/services/{service}/skus?currencyCode=USD&pageSize=5000&key={key}"
VERTEX_SERVICE_ID = "C7E2-9256-1C43"
"""Cloud Billing Catalog id of the Vertex AI service (check with GET /v1/services if the API answers 404)."""

MACHINE_SHAPES: Mapping[str, tuple[str, int, float]] = {
    # machine type -> (family as in the SKU description, vCPUs, memory GiB)
    "n1-standard-4": ("N1", 4, 15.0),
    "n1-standard-8": ("N1", 8, 30.0),
    "n1-standard-16": ("N1", 16, 60.0),
    "g2-standard-4": ("G2", 4, 16.0),
    "g2-standard-8": ("G2", 8, 32.0),
    "g2-standard-12": ("G2", 12, 48.0),
    "g2-standard-16": ("G2", 16, 64.0),
    "g2-standard-24": ("G2", 24, 96.0),
    "a2-highgpu-1g": ("A2", 12, 85.0),
    "a2-highgpu-2g": ("A2", 24, 170.0),
}
GPU_NAMES: Mapping[str, str] = {
    # words in the SKU description -> aiplatform AcceleratorType enum name
    "L4": "NVIDIA_L4",
    "T4": "NVIDIA_TESLA_T4",
    "V100": "NVIDIA_TESLA_V100",
    "P100": "NVIDIA_TESLA_P100",
    "A100 80GB": "NVIDIA_A100_80GB",
    "A100": "NVIDIA_TESLA_A100",
    "H100 80GB": "NVIDIA_H100_80GB",
}
_CORE_RAM = re.compile(r"Prediction (?P<family>[A-Z][A-Z0-9]*) (?:Predefined )?Instance (?P<kind>Core|Ram)\b")
_GPU = re.compile(r"Prediction .*?(?P<gpu>A100 80GB|H100 80GB|A100|H100|V100|P100|T4|L4) GPU")


def parse_aws_offer(document: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    """region -> instance type -> USD/hour of SageMaker hosting, from a Price List offer file."""
    products = document.get("products", {})
    on_demand = document.get("terms", {}).get("OnDemand", {})
    table: dict[str, dict[str, float]] = {}
    for sku, product in products.items():
        attributes = product.get("attributes", {})
        if product.get("productFamily") != "ML Instance" or attributes.get("component") != "Hosting":
            continue
        instance, region = attributes.get("instanceName"), attributes.get("regionCode")
        if not instance or not region:
            continue
        for term in on_demand.get(sku, {}).values():
            for dimension in term.get("priceDimensions", {}).values():
                if dimension.get("unit") == "Hrs" and "USD" in dimension.get("pricePerUnit", {}):
                    price = float(dimension["pricePerUnit"]["USD"])
                    if price > 0:
                        table.setdefault(region, {})[instance] = price
    return {region: dict(sorted(prices.items())) for region, prices in sorted(table.items())}


def _unit_price(sku: Mapping[str, Any]) -> float | None:
    for info in sku.get("pricingInfo", []):
        rates = info.get("pricingExpression", {}).get("tieredRates", [])
        if rates:
            money = rates[-1].get("unitPrice", {})
            return int(money.get("units", "0") or 0) + int(money.get("nanos", 0) or 0) / 1e9
    return None


def parse_gcp_skus(skus: Iterable[Mapping[str, Any]], regions: Iterable[str]) -> dict[str, dict[str, dict[str, float]]]:
    """region -> {"machines": machine -> USD/node-hour, "accelerators": enum name -> USD/GPU-hour}."""
    wanted = set(regions)
    cores: dict[tuple[str, str], float] = {}
    ram: dict[tuple[str, str], float] = {}
    gpus: dict[tuple[str, str], float] = {}
    for sku in skus:
        if sku.get("category", {}).get("usageType") != "OnDemand":
            continue
        description = sku.get("description", "")
        price = _unit_price(sku)
        if price is None:
            continue
        for region in sku.get("serviceRegions", []):
            if region not in wanted:
                continue
            core_ram = _CORE_RAM.search(description)
            gpu = _GPU.search(description)
            if core_ram:
                target = cores if core_ram.group("kind") == "Core" else ram
                target[(region, core_ram.group("family"))] = price
            elif gpu:
                gpus[(region, GPU_NAMES[gpu.group("gpu")])] = price
    table: dict[str, dict[str, dict[str, float]]] = {}
    for region in sorted(wanted):
        machines = {
            machine: round(vcpus * cores[(region, family)] + memory * ram[(region, family)], 6)
            for machine, (family, vcpus, memory) in MACHINE_SHAPES.items()
            if (region, family) in cores and (region, family) in ram
        }
        accelerators = {name: price for (where, name), price in sorted(gpus.items()) if where == region}
        if machines or accelerators:
            table[region] = {"machines": dict(sorted(machines.items())), "accelerators": accelerators}
    return table


def _download(url: str) -> Path:
    handle, name = tempfile.mkstemp(suffix=".json")
    os.close(handle)
    with urllib.request.urlopen(url, timeout=300) as response, open(name, "wb") as out:
        while chunk := response.read(1 << 20):
            out.write(chunk)
    return Path(name)


def _entries(cloud: str, regions: Mapping[str, Any]) -> set[str]:
    """``"<region> <instance>"`` (aws) / ``"<region> <machine or accelerator>"`` (gcp) of every price in ``regions``."""
    if cloud == "aws":
        return {f"{region} {key}" for region, prices in regions.items() for key in prices}
    return {
        f"{region} {key}"
        for region, prices in regions.items()
        for key in {**prices.get("machines", {}), **prices.get("accelerators", {})}
    }


def _write(cloud: str, file_name: str, regions: Mapping[str, Any], source: str, service: str) -> Path:
    path = PRICES / file_name
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    merged = {**old.get("regions", {}), **regions}
    today = datetime.now(tz=UTC).date().isoformat()
    # Regions kept from the old table stay as verified as they were: the table is verified only when every entry is.
    kept = {
        entry
        for entry in old.get("verification", {}).get("verified_entries", [])
        if entry.split(" ", 1)[0] not in regions
    }
    verified = sorted(kept | _entries(cloud, regions))
    document = {
        "cloud": cloud,
        "service": service,
        "as_of": today,
        "source": source,
        "generated_by": "scripts/refresh_prices.py",
        "verified": set(verified) == _entries(cloud, merged),
        "verification": {
            "checked": today,
            "method": f"scripts/refresh_prices.py {cloud} --region {' --region '.join(sorted(regions))}: {source}",
            "verified_entries": verified,
        },
        "regions": merged,
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cloud", choices=("aws", "gcp"))
    parser.add_argument("--region", action="append", required=True, help="region to refresh (repeatable)")
    parser.add_argument("--from-file", type=Path, help="parse this downloaded file instead of fetching")
    parser.add_argument("--service-id", default=VERTEX_SERVICE_ID, help="gcp: Cloud Billing service id")
    args = parser.parse_args(argv)
    if args.cloud == "aws":
        regions: dict[str, Any] = {}
        for region in args.region:
            path = args.from_file or _download(AWS_URL.format(region=region))
            parsed = parse_aws_offer(json.loads(path.read_text(encoding="utf-8")))
            regions.update({key: value for key, value in parsed.items() if key in args.region})
        written = _write(
            "aws",
            "aws_sagemaker_hosting.json",
            regions,
            AWS_URL.format(region="<region>") + " (productFamily 'ML Instance', component 'Hosting', OnDemand)",
            "AmazonSageMaker real-time / asynchronous hosting, on-demand, USD per instance-hour",
        )
    else:
        if args.from_file:
            skus = json.loads(args.from_file.read_text(encoding="utf-8")).get("skus", [])
        else:
            key = os.environ.get("GOOGLE_API_KEY")
            if not key:
                print("error: set GOOGLE_API_KEY (the Cloud Billing Catalog API needs an API key)", file=sys.stderr)
                return 2
            skus, token = [], ""
            while True:
                url = GCP_URL.format(service=args.service_id, key=key) + (f"&pageToken={token}" if token else "")
                page = json.loads(_download(url).read_text(encoding="utf-8"))
                skus += page.get("skus", [])
                token = page.get("nextPageToken", "")
                if not token:
                    break
        written = _write(
            "gcp",
            "gcp_vertex_prediction.json",
            parse_gcp_skus(skus, args.region),
            f"https://cloudbilling.googleapis.com/v1/services/{args.service_id}/skus (Vertex AI prediction SKUs)",
            "Vertex AI prediction (custom-trained models, dedicated nodes), on-demand, USD per node-hour: machine "
            "plus accelerators",
        )
    print(f"wrote {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
