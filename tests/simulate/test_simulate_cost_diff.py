"""--cost-diff: the pull-request comment's cost section, from a real git repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

from components.simulate.cost_diff import cost_diff_markdown

STACK = """config:
  aws:region: eu-west-1
  ml-serving:deployments:
    - name: ranker
      cloud: aws
      image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/ranker:2.3.1
      accelerator: {type: nvidia-a10g, count: 1}
      scaling: {min: 1, max: MAX, metric: concurrency, target: 3}
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def make_repo(tmp_path: Path) -> Path:
    (tmp_path / "Pulumi.yaml").write_text("name: ml-serving\nruntime: python\nstackConfigDir: stacks\n")
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "Pulumi.test.yaml").write_text(STACK.replace("MAX", "2"))
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base")
    return tmp_path


def test_floor_and_ceiling_before_and_after(tmp_path):
    repo = make_repo(tmp_path)
    (repo / "stacks" / "Pulumi.test.yaml").write_text(STACK.replace("MAX", "4"))
    text = cost_diff_markdown("HEAD", repo)
    # ml.g5.xlarge in eu-west-1 at 1.57 USD/h x 730 h: 1 instance $1,146, 2 instances $2,292, 4 instances $4,584.
    assert "| **ranker** | ml.g5.xlarge | $1,146 | $1,146 | $2,292 | $4,584 | - | - |" in text
    assert text.startswith("### Cost (on-demand, monthly = 730 h)")


def test_simulated_cost_when_the_repository_holds_a_trace(tmp_path):
    repo = make_repo(tmp_path)
    (repo / "traces" / "test").mkdir(parents=True)
    # One instance serves the whole trace (60 requests/min): 1 instance for 60 minutes, scaled to 30 days = 720 h.
    rows = "\n".join(f"{1793577600 + 60 * minute},60" for minute in range(60))
    (repo / "traces" / "test" / "ranker.csv").write_text("minute,requests\n" + rows + "\n")
    text = cost_diff_markdown("HEAD", repo)
    assert "| ranker | ml.g5.xlarge | $1,146 | $1,146 | $2,292 | $2,292 | $1,130 | $1,130 |" in text  # 720 x 1.57


def test_a_new_stack_and_a_bad_trace_do_not_break_the_section(tmp_path):
    repo = make_repo(tmp_path)
    (repo / "stacks" / "Pulumi.extra.yaml").write_text(STACK.replace("MAX", "3"))
    (repo / "traces" / "extra").mkdir(parents=True)
    (repo / "traces" / "extra" / "ranker.csv").write_text("when\n1\n")
    text = cost_diff_markdown("HEAD", repo)
    assert "| **ranker** (added) | ml.g5.xlarge | - | $1,146 | - | $3,438 | - | - |" in text
    assert "trace not used:" in text and "ranker.csv: no `timestamp` column" in text


def test_the_pull_request_comment_appends_the_cost_section_after_the_diff():
    import yaml
    from builders import REPO

    workflow = yaml.safe_load((REPO / ".github/workflows/pull-request.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["offline-plan-diff"]["steps"]
    runs = [step.get("run", "") for step in steps]
    plan = next(i for i, run in enumerate(runs) if "components.plan --diff" in run)
    cost = next(i for i, run in enumerate(runs) if "components.simulate --cost-diff" in run)
    post = next(i for i, step in enumerate(steps) if "sticky-pull-request-comment" in step.get("uses", ""))
    assert plan < cost < post
    assert ">> plan-diff.md" in runs[cost]
