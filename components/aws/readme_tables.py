"""The README's AWS sections generated from code: the SageMaker metric catalogue and limits (from
:mod:`components.facts.aws`) and the deployer's actions (from :mod:`.deployer_policy`).

``python -m components.aws.readme_tables --write README.md`` refreshes the blocks between
``<!-- BEGIN generated:NAME -->`` and ``<!-- END generated:NAME -->``; ``tests/aws/test_readme_tables.py`` fails when
they are stale, so the README cannot drift from the facts.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from ..facts import aws as facts
from .deployer_policy import render_permissions


def _range(bounds: tuple[int, int]) -> str:
    return f"{bounds[0]}-{bounds[1]}"


def render_scaling_metrics() -> str:
    """The SageMaker side of each neutral scaling metric, as ml-serving declares it."""
    lines = [
        "| `metric` | SageMaker tracks | namespace | dimensions | statistic | real-time | async | default target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, metric in facts.SCALING_METRICS.items():
        tracked = f"`{metric.predefined_type}` (predefined)" if metric.predefined_type else f"`{metric.metric.name}`"
        if metric.per_device:
            tracked += f", target x {'vCPUs' if metric.per_device == 'vcpu' else 'GPUs'}"
        default = f"{metric.default_target:g}" if metric.default_target is not None else f"none: {metric.no_default}"
        lines.append(
            f"| `{name}` | {tracked} | `{metric.metric.namespace}` | {', '.join(metric.metric.dimensions)} | "
            f"{metric.statistic if metric.predefined_type is None else 'set by AWS'} | {'yes' if metric.realtime else 'no'} | {'yes' if metric.asynchronous else 'no'} | "
            f"{default} |"
        )
    return "\n".join(lines) + "\n"


def render_limits() -> str:
    """The SageMaker limits the offline validation applies (botocore's service models, see the facts)."""
    rows = [
        ("endpoint, endpoint configuration, model and variant names", f"{facts.SAGEMAKER_NAME_MAX} characters"),
        ("production variants per endpoint", str(facts.MAX_PRODUCTION_VARIANTS)),
        ("containers per model", str(facts.MAX_CONTAINERS)),
        ("environment variables per container", f"{facts.MAX_ENVIRONMENT_ENTRIES}, values {facts.ENVIRONMENT_VALUE_MAX} characters"),
        ("tags per resource", f"{facts.MAX_TAGS} (keys {facts.TAG_KEY_MAX}, values {facts.TAG_VALUE_MAX} characters)"),
        ("rollout `wait_seconds` / `termination_wait_seconds`", f"{_range(facts.WAIT_INTERVAL_RANGE)} s"),
        ("rollout `max_duration_seconds`", f"{_range(facts.EXECUTION_TIMEOUT_RANGE)} s"),
        ("rollout `canary_percent` / `linear_step_percent`", f"{_range(facts.CANARY_PERCENT_RANGE)} / {_range(facts.LINEAR_STEP_PERCENT_RANGE)} %"),
        ("rollback alarms per endpoint", str(facts.MAX_ROLLBACK_ALARMS)),
        ("instance types", f"the {len(facts.INSTANCE_TYPES)} of `ProductionVariantInstanceType`"),
        ("no `sagemaker.kms_key` on", ", ".join(f"ml.{f}" for f in sorted(facts.LOCAL_NVME_FAMILIES))),
    ]  # fmt: skip
    lines = ["| limit | value |", "|---|---|"] + [f"| {what} | {value} |" for what, value in rows]
    return "\n".join(lines) + "\n"


GENERATED: dict[str, Callable[[], str]] = {
    "aws-scaling-metrics": render_scaling_metrics,
    "aws-limits": render_limits,
    "deployer-permissions": render_permissions,
}
"""README blocks generated here, by marker name."""


def update_readme(text: str) -> str:
    """``text`` with every block of :data:`GENERATED` replaced by its current content."""
    for name, render in GENERATED.items():
        start, end = f"<!-- BEGIN generated:{name} -->", f"<!-- END generated:{name} -->"
        head, found, rest = text.partition(start)
        if not found:
            raise ValueError(f"the README has no {start} marker")
        _, _, tail = rest.partition(end)
        text = f"{head}{start}\n{render()}{end}{tail}"
    return text


def main(argv: list[str]) -> int:
    """``--write README.md`` refreshes the blocks of that file; without arguments, print them."""
    if len(argv) == 2 and argv[0] == "--write":
        path = Path(argv[1])
        path.write_text(update_readme(path.read_text(encoding="utf-8")), encoding="utf-8")
        return 0
    for name, render in GENERATED.items():
        print(f"<!-- {name} -->\n{render()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
