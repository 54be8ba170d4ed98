"""Property-based test over the whole stack-file schema: any generated file is planned (exit 0) or refused with
exit 2, naming the file, a key path and a fix; never a traceback, never a value outside the APIs' limits accepted.

The ``ci`` profile (the default) runs 60 files in a few seconds; ``FUZZ_PROFILE=fuzz`` runs 3000 (about ten
minutes on two busy cores); ``FUZZ_EXAMPLES=N`` sets any other number.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from builders import REPO
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from schema_strategies import near_valid_stack_files, stack_files

from components.config import ConfigError, load_stack_config, read_stack_file
from components.facts.gcp import INT32_MAX
from components.plan import main

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    database=None,
)
settings.register_profile("fuzz", settings.get_profile("ci"), max_examples=3000)
PROFILE = settings.get_profile(os.environ.get("FUZZ_PROFILE", "ci"))
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", str(PROFILE.max_examples)))
KEY_PATH = re.compile(
    r"^(|deployments(\[\d+\])?|defaults|config|[a-z0-9-]+:[A-Za-z0-9_.:-]+)"
    r"((\..+?)|(\[\d+\]))*$",
    re.DOTALL,
)


def _numbers(value: Any) -> list[Any]:
    if isinstance(value, BaseModel):
        return [item for name in type(value).model_fields for item in _numbers(getattr(value, name))]
    if isinstance(value, dict):
        return [item for inner in value.values() for item in _numbers(inner)]
    if isinstance(value, (list, tuple)):
        return [item for inner in value for item in _numbers(inner)]
    return [value] if isinstance(value, (int, float)) and not isinstance(value, bool) else []


@settings(PROFILE, max_examples=EXAMPLES)
@given(config=st.one_of(stack_files(), near_valid_stack_files()))
def test_any_stack_file_is_planned_or_refused_with_a_key_path(config):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "Pulumi.fuzz.yaml"
        path.write_text(yaml.safe_dump({"config": config}, allow_unicode=True), encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--config-file", str(path), "--json", "--project-dir", str(REPO)])
        assert code in (0, 2), err.getvalue()
        event("planned" if code == 0 else "refused")
        if code == 2:
            assert err.getvalue().startswith(f"{path}: "), err.getvalue()
            with contextlib.suppress(ConfigError):
                load_stack_config(read_stack_file(path), "fuzz", source=str(path))
                raise AssertionError("the plan refused a file that validates")
            try:
                load_stack_config(read_stack_file(path), "fuzz", source=str(path))
            except ConfigError as error:
                for problem in error.problems:
                    assert KEY_PATH.match(problem.path), problem
                    assert problem.fix, problem
            return
        stack = load_stack_config(read_stack_file(path), "fuzz", source=str(path))
        for number in _numbers(stack):
            assert math.isfinite(number) and abs(number) <= INT32_MAX, (number, stack)
