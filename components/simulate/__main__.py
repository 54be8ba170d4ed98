"""What-if autoscaling simulator and cost planner.

Usage (from the Pulumi project's directory)::

    python -m components.simulate --stack prod --synthetic diurnal            # table per deployment
    python -m components.simulate --stack prod --trace traffic.csv --deployment ranker --json
    python -m components.simulate --stack prod --synthetic diurnal --plot out/     # PNGs + report.md
    python -m components.simulate --stack prod --deployment ranker --recommend    # cheapest safe scaling
    python -m components.simulate --cost-diff origin/main                          # Markdown for a pull request

Exit code 2 for an invalid stack file, an unknown deployment or a trace that cannot be read (the message names
the file and the fix).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from ..config import ConfigError
from . import cloud_behaviour as cb
from .deployments import load_stack, sim_deployments, stack_file
from .evaluate import evaluate, synthetic_for
from .model import SimDeployment
from .report import markdown, table
from .traces import SYNTHETIC, Trace, TraceError, load_trace

EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m components.simulate", description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--stack", help="stack name: <stackConfigDir>/Pulumi.<stack>.yaml")
    source.add_argument("--config-file", type=Path, help="any stack file named Pulumi.<stack>.yaml")
    traffic = parser.add_mutually_exclusive_group()
    traffic.add_argument("--trace", type=Path, help="CSV: a `timestamp` column per request, or `minute,requests`")
    traffic.add_argument("--synthetic", choices=SYNTHETIC, help="a seeded synthetic trace (default: diurnal)")
    parser.add_argument("--days", type=int, default=7, help="length of a synthetic trace in days (default 7)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the synthetic trace (default 7)")
    parser.add_argument(
        "--peak-rps",
        type=float,
        help="busiest minute of a synthetic trace in requests/s (default: 70%% of what max instances sustain)",
    )
    parser.add_argument("--deployment", action="append", help="only this deployment (repeatable)")
    parser.add_argument("--json", action="store_true", help="print {'deployments': [...]} as JSON")
    parser.add_argument("--plot", type=Path, metavar="DIR", help="write a PNG per deployment and report.md to DIR")
    parser.add_argument("--recommend", action="store_true", help="search metric, target, min, max and pre-warming")
    parser.add_argument("--p99", type=float, metavar="SECONDS", help="with --recommend: p99 latency bound")
    parser.add_argument(
        "--cost-diff",
        metavar="REV",
        help="Markdown cost section for a pull request: every stack's monthly floor/ceiling at git REV and now",
    )
    parser.add_argument("--project-dir", type=Path, default=Path.cwd(), help="Pulumi project directory (default: .)")
    group = parser.add_argument_group("assumptions (not documented by the clouds; see cloud_behaviour.py)")
    group.add_argument("--startup", action="append", default=[], metavar="FAMILY=SECONDS", help="e.g. g5=300")
    group.add_argument("--service-time", type=float, help="seconds per request (default 0.2)")
    group.add_argument("--max-concurrency", type=int, help="requests one instance serves at once (default 4)")
    group.add_argument("--scale-out-datapoints", type=int, help="datapoints above target to scale out (default 3)")
    group.add_argument("--scale-in-datapoints", type=int, help="datapoints below to scale in (default 15)")
    group.add_argument("--scale-in-margin", type=float, help="scale-in threshold as a fraction of target (0.9)")
    group.add_argument("--metric-delay", type=int, help="seconds before a 1-minute datapoint is seen (default 60)")
    return parser


def assumptions_from(args: argparse.Namespace) -> cb.Assumptions:
    """The default assumptions with the command line's overrides."""
    changes: dict[str, object] = {}
    startup: dict[str, int] = {}
    for item in args.startup:
        family, _, seconds = item.partition("=")
        if not seconds.isdigit():
            raise ValueError(f"--startup {item!r}: write FAMILY=SECONDS, e.g. g5=300")
        startup[family.strip()] = int(seconds)
    if startup:
        changes["startup"] = startup
    for option, name in (
        ("service_time", "service_time_s"),
        ("max_concurrency", "max_concurrency"),
        ("scale_out_datapoints", "scale_out_datapoints"),
        ("scale_in_datapoints", "scale_in_datapoints"),
        ("scale_in_margin", "scale_in_margin"),
        ("metric_delay", "metric_delay_s"),
    ):
        value = getattr(args, option)
        if value is not None:
            changes[name] = value
    return cb.Assumptions().with_overrides(**changes)


def _select(deps: list[SimDeployment], names: Sequence[str] | None, source: Path) -> list[SimDeployment]:
    if not names:
        return deps
    known = {dep.name: dep for dep in deps}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValueError(f"{source}: no deployment named {', '.join(unknown)}; choose from {', '.join(known)}")
    return [known[name] for name in names]


def _trace_for(args: argparse.Namespace, dep: SimDeployment, loaded: Trace | None) -> Trace:
    if loaded is not None:
        return loaded
    return synthetic_for(dep, args.synthetic or "diurnal", args.days, args.seed, args.peak_rps)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m components.simulate``; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    project_dir = args.project_dir.resolve()
    if args.cost_diff:
        from .cost_diff import cost_diff_markdown

        print(cost_diff_markdown(args.cost_diff, project_dir), end="")
        return 0
    if not (args.stack or args.config_file):
        parser.error("one of --stack or --config-file is required")
    path = args.config_file or stack_file(project_dir, args.stack)
    try:
        assumptions = assumptions_from(args)
        if not path.exists():
            raise ValueError(f"{path} does not exist; give --stack NAME for stacks/Pulumi.NAME.yaml or --config-file")
        stack = load_stack(path)
        deps = _select(sim_deployments(stack, assumptions), args.deployment, path)
        loaded = load_trace(args.trace) if args.trace else None
    except (ConfigError, TraceError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.recommend:
        from .recommend import recommend, render_recommendation

        outputs = [recommend(dep, _trace_for(args, dep, loaded), assumptions, p99_bound=args.p99) for dep in deps]
        if args.json:
            print(json.dumps({"recommendations": [item.to_json() for item in outputs]}, indent=2))
        else:
            print("\n\n".join(render_recommendation(item) for item in outputs))
        return 0
    record = args.plot is not None
    evaluations = [evaluate(dep, _trace_for(args, dep, loaded), assumptions, record=record) for dep in deps]
    if args.plot is not None:
        from .plot import write_plots

        images = write_plots(evaluations, args.plot)
        report = markdown(stack.stack, evaluations, assumptions, images)
        (args.plot / "report.md").write_text(report, encoding="utf-8")
    if args.json:
        print(json.dumps({"stack": stack.stack, "deployments": [item.row() for item in evaluations]}, indent=2))
    else:
        print(table(evaluations))
        if args.plot is not None:
            print(f"\nWrote {len(evaluations)} PNGs and report.md to {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
