"""``--cost-diff REV``: the pull-request comment's cost section, per stack and deployment.

For every stack file: the monthly floor (min instances, 730 h) and ceiling (max instances) at git revision ``REV``
and in the working tree, and, when the repository holds ``traces/<stack>/<deployment>.csv``, the simulated cost on
that trace (scaled to 30 days) before and after. The base stack file is read with the working tree's code. Problems
(a base file this code cannot read, a bad trace) are written into the section instead of failing the comment.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from ..config import ConfigError
from .cost import MonthlyBounds, hourly_price, monthly_bounds, table_date
from .deployments import load_stack, load_stack_values, sim_deployments, stacks_dir
from .engine import simulate
from .model import SimDeployment
from .traces import Trace, TraceError, load_trace

TRACES_DIR = "traces"


def _money(value: float | None) -> str:
    return "n/a" if value is None else f"${value:,.0f}"


def _side(bounds: MonthlyBounds | None, key: str) -> str:
    return "-" if bounds is None else _money(getattr(bounds, key))


def _base_deployments(revision: str, path: Path, project_dir: Path) -> tuple[dict[str, SimDeployment], str | None]:
    """Deployments of the stack file at ``revision`` (empty when it did not exist), and a problem if any."""
    top = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], cwd=project_dir, capture_output=True, text=True, check=False
    )
    if top.returncode != 0:
        return {}, f"not a git repository: {top.stderr.strip()}"
    relative = path.resolve().relative_to(Path(top.stdout.strip()).resolve())
    shown = subprocess.run(
        ["git", "show", f"{revision}:{relative.as_posix()}"],
        cwd=project_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    if shown.returncode != 0:
        return {}, None  # a new stack file: everything is added
    try:
        document = yaml.safe_load(shown.stdout) or {}
        values = {str(key): value for key, value in (document.get("config") or {}).items()}
        stack = load_stack_values(values, path.name[len("Pulumi.") : -len(".yaml")], f"{revision}:{relative}")
    except (ConfigError, yaml.YAMLError, AttributeError) as error:
        return {}, f"the base stack file cannot be read with this code: {error}"
    return {dep.name: dep for dep in sim_deployments(stack)}, None


def _simulated_month(dep: SimDeployment | None, trace: Trace | None) -> float | None:
    if dep is None or trace is None or not trace.minutes:
        return None
    price = hourly_price(dep)
    if price is None:
        return None
    return simulate(dep, trace).instance_hours * price * (30 * 1440 / trace.minutes)


def cost_diff_markdown(revision: str, project_dir: Path) -> str:
    """The Markdown cost section comparing ``revision`` with the working tree."""
    lines = [
        "### Cost (on-demand, monthly = 730 h)",
        "",
        f"Prices: SageMaker table {table_date('aws')}, Vertex AI table {table_date('gcp')} "
        "(components/simulate/prices). Floor = min instances (lowest scheduled min), ceiling = max instances; "
        f"simulated = the declared scaling on `{TRACES_DIR}/<stack>/<deployment>.csv`, scaled to 30 days.",
    ]
    for path in sorted(stacks_dir(project_dir).glob("Pulumi.*.yaml")):
        stack_name = path.name[len("Pulumi.") : -len(".yaml")]
        lines += ["", f"#### Stack `{stack_name}`", ""]
        try:
            head = {dep.name: dep for dep in sim_deployments(load_stack(path))}
        except ConfigError as error:
            lines.append(f"Not costed: {error}")
            continue
        base, problem = _base_deployments(revision, path, project_dir)
        if problem:
            lines += [f"Base ({revision}): {problem}", ""]
        lines += [
            "| deployment | instance | floor before | floor after | ceiling before | ceiling after | "
            "simulated before | simulated after |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for name in list(head) + [name for name in base if name not in head]:
            before, after = base.get(name), head.get(name)
            trace_path = project_dir / TRACES_DIR / stack_name / f"{name}.csv"
            trace = None
            if trace_path.exists():
                try:
                    trace = load_trace(trace_path)
                except TraceError as error:
                    lines.append(f"| {name} | trace not used: {error} | | | | | | |")
            old = monthly_bounds(before) if before else None
            new = monthly_bounds(after) if after else None
            shown = after or before
            assert shown is not None
            instance = shown.instance
            if before is not None and after is not None and before.instance != after.instance:
                instance = f"{before.instance} -> {after.instance}"
            changed = old != new or (before is not None and after is not None and before != after)
            label = f"**{name}**" if changed else name
            if before is None:
                label += " (added)"
            if after is None:
                label += " (removed)"
            lines.append(
                f"| {label} | {instance} | {_side(old, 'floor_usd')} | {_side(new, 'floor_usd')} | "
                f"{_side(old, 'ceiling_usd')} | {_side(new, 'ceiling_usd')} | "
                f"{_money(_simulated_month(before, trace)) if trace and before else '-'} | "
                f"{_money(_simulated_month(after, trace)) if trace and after else '-'} |"
            )
    return "\n".join(lines) + "\n"
