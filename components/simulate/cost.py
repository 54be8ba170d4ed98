"""On-demand prices (a dated table kept in the repository) and the cost figures derived from them.

The tables live in ``components/simulate/prices/*.json`` with their source and date; ``scripts/refresh_prices.py``
regenerates them from the public AWS Price List bulk files and Google's Cloud Billing Catalog. A deployment whose
instance or machine is missing from the table gets no cost (``None``) rather than a guess.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .cloud_behaviour import HOURS_PER_MONTH
from .model import SimDeployment

PRICES_DIR = Path(__file__).parent / "prices"
TABLES = {"aws": "aws_sagemaker_hosting.json", "gcp": "gcp_vertex_prediction.json"}


@cache
def price_table(cloud: str, directory: Path = PRICES_DIR) -> dict[str, Any]:
    """The price table of a cloud as stored (``regions``, ``as_of``, ``source``...)."""
    table: dict[str, Any] = json.loads((directory / TABLES[cloud]).read_text(encoding="utf-8"))
    return table


def hourly_price(dep: SimDeployment, directory: Path = PRICES_DIR) -> float | None:
    """USD per instance-hour of ``dep`` (Vertex: machine + accelerators), or None when the table lacks it."""
    region = price_table(dep.cloud, directory)["regions"].get(dep.region)
    if region is None:
        return None
    if dep.cloud == "aws":
        price = region.get(dep.instance)
        return float(price) if price is not None else None
    machine = region.get("machines", {}).get(dep.instance)
    if machine is None:
        return None
    if dep.accelerator is None or dep.gpus == 0:
        return float(machine)
    gpu = region.get("accelerators", {}).get(dep.accelerator)
    return None if gpu is None else float(machine) + dep.gpus * float(gpu)


def price_note(dep: SimDeployment) -> str:
    """Why a deployment has no price, with the fix."""
    what = dep.instance if dep.cloud == "aws" else f"{dep.instance} + {dep.gpus} x {dep.accelerator}"
    return f"no {dep.cloud} price for {what} in {dep.region}; run scripts/refresh_prices.py {dep.cloud}"


def table_date(cloud: str) -> str:
    """``as_of`` date of a cloud's price table (and ``unverified`` when transcribed by hand)."""
    table = price_table(cloud)
    return f"{table['as_of']}{'' if table.get('verified') else ' (unverified)'}"


@dataclass(frozen=True)
class MonthlyBounds:
    """Monthly cost of a deployment at its floor (min, or the lowest scheduled min) and ceiling (max)."""

    floor_usd: float | None
    ceiling_usd: float | None
    floor_instances: int
    ceiling_instances: int


def monthly_bounds(dep: SimDeployment) -> MonthlyBounds:
    """Floor: the fewest instances ever required (min and scheduled mins); ceiling: the most allowed."""
    lows = [dep.min] + [s.min for s in dep.schedules if s.min is not None]
    highs = [dep.max] + [s.max for s in dep.schedules if s.max is not None]
    floor = max(min(lows), 1 if dep.cloud == "gcp" else 0)
    ceiling = max([*highs, floor])
    price = hourly_price(dep)
    if price is None:
        return MonthlyBounds(None, None, floor, ceiling)
    return MonthlyBounds(floor * price * HOURS_PER_MONTH, ceiling * price * HOURS_PER_MONTH, floor, ceiling)
