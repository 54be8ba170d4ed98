"""A SimDeployment with literal settings for the simulator's tests."""

from __future__ import annotations

from components.simulate.model import SimDeployment


def dep(**changes: object) -> SimDeployment:
    """A SageMaker real-time deployment on ml.g5.xlarge (assumed start-up 360 s), scaling on invocations."""
    values: dict[str, object] = {
        "name": "model",
        "cloud": "aws",
        "region": "eu-west-1",
        "instance": "ml.g5.xlarge",
        "accelerator": None,
        "gpus": 1,
        "is_async": False,
        "min": 1,
        "max": 20,
        "metric": "invocations",
        "target": 100.0,
        "capacity_rps": 100.0,
        "service_time_s": 0.2,
        "timeout_s": 60,
    }
    values.update(changes)
    return SimDeployment(**values)  # type: ignore[arg-type]
