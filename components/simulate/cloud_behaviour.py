"""How the simulator models the clouds' scaling: references to the documented facts and the named assumptions.

Documented cloud behaviour lives once, with its source, in :mod:`components.facts.aws` (metric periods, invocation
timeout, async request TTL, the scale-from-zero step) and :mod:`components.facts.gcp` (minimum replicas, default
target, metric sample period); the simulator reads it from there. Where the AWS documentation describes behaviour
without a value (target tracking's proportional scale-out, cooldowns, scheduled actions), the engine follows:

* target tracking: https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html
  (scales out proportionally, scales in more gradually, creates its CloudWatch alarms itself);
* cooldowns (same page, "cooldown"): capacity added by a scale-out in progress counts towards the next one; no
  scale-in until the scale-in cooldown has passed; the first scale-out is never delayed;
* scheduled actions: https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-scheduled-scaling.html
  (an action sets MinCapacity / MaxCapacity at its time; capacity below the new min is raised at once).

:class:`Assumptions` holds behaviour no cloud documents precisely (alarm windows, start-up times, how utilisation
follows load, Vertex's stabilisation window, how often Vertex's autoscaler evaluates its metric - assumed once per
sample). Every field is a named, overridable **assumption**, not a fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

HOURS_PER_MONTH = 730
"""Billing convention both clouds' price pages use for monthly figures (8760 h / 12)."""

# ---------------------------------------------------------------------------------------------------------------
# Assumptions (not documented by any cloud; override them on the command line or in code)
# ---------------------------------------------------------------------------------------------------------------
STARTUP_S_BY_FAMILY: MappingProxyType[str, int] = MappingProxyType(
    {
        # ASSUMPTION: seconds from the scaling decision to an instance serving traffic. No cloud publishes it;
        # users report 3-8 minutes on both clouds (image pull + model load dominate). CPU families start faster,
        # multi-GPU families slower. Override with --startup FAMILY=SECONDS.
        "c5": 240,
        "c6i": 240,
        "c7i": 240,
        "m5": 240,
        "m6i": 240,
        "r5": 240,
        "n1": 240,
        "n2": 240,
        "e2": 240,
        "g4dn": 360,
        "g5": 360,
        "g6": 360,
        "g6e": 360,
        "inf2": 360,
        "g2": 360,
        "a2": 420,
        "p3": 420,
        "p4d": 480,
        "p4de": 480,
        "p5": 480,
        "a3": 480,
    }
)
DEFAULT_STARTUP_S = 360
"""ASSUMPTION: start-up of a family not listed above (6 minutes, the middle of the reported 3-8)."""


def instance_family(instance_or_machine: str) -> str:
    """``ml.g5.xlarge`` -> ``g5``; ``g2-standard-8`` -> ``g2``; ``n1-standard-4`` -> ``n1``."""
    name = instance_or_machine.removeprefix("ml.")
    return re.split(r"[.\-]", name, maxsplit=1)[0]


@dataclass(frozen=True)
class Assumptions:
    """Behaviour the clouds do not document precisely: every field is a named, overridable assumption.

    Attributes:
        scale_out_datapoints: consecutive datapoints above target before target tracking's scale-out alarm fires
            (commonly observed: 3 of 3 one-minute periods).
        scale_in_datapoints: consecutive datapoints below the scale-in threshold before the scale-in alarm fires
            (commonly observed: 15 of 15).
        scale_in_margin: the scale-in alarm's threshold as a fraction of the target (commonly observed: 0.9).
        metric_delay_s: seconds after a 1-minute period ends before its datapoint reaches the alarm.
        high_resolution_delay_s: the same for 10-second (high-resolution) datapoints.
        startup_s: start-up seconds per instance family (see ``STARTUP_S_BY_FAMILY``); ``default_startup_s`` else.
        service_time_s: seconds one request occupies one concurrency slot of an instance.
        max_concurrency: requests one instance serves at once (async: the deployment's
            ``max_concurrent_invocations_per_instance`` wins).
        vertex_scale_down_window_s: Vertex scales down to the highest recommendation of this trailing window.
        vertex_timeout_s: client-side timeout of a Vertex online prediction (no server-side limit is modelled).
        bill_starting_instances: instances are billed while they start (both clouds bill from provisioning).
    """

    scale_out_datapoints: int = 3
    scale_in_datapoints: int = 15
    scale_in_margin: float = 0.9
    metric_delay_s: int = 60
    high_resolution_delay_s: int = 10
    startup_s: MappingProxyType[str, int] = field(default_factory=lambda: STARTUP_S_BY_FAMILY)
    default_startup_s: int = DEFAULT_STARTUP_S
    service_time_s: float = 0.2
    max_concurrency: int = 4
    vertex_scale_down_window_s: int = 300
    vertex_timeout_s: int = 60
    bill_starting_instances: bool = True

    def startup_of(self, instance_or_machine: str) -> int:
        """Assumed start-up seconds of an instance type / machine type."""
        return self.startup_s.get(instance_family(instance_or_machine), self.default_startup_s)

    def with_overrides(self, **changes: Any) -> Assumptions:
        """A copy with some assumptions changed; ``startup`` maps family -> seconds and merges into the table."""
        startup = changes.pop("startup", None)
        result = replace(self, **changes)
        if startup:
            result = replace(result, startup_s=MappingProxyType({**result.startup_s, **startup}))
        return result
