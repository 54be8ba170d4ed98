"""`ModelDeployment`: one model deployment for other Pulumi languages (TypeScript, Go, C#, Java, YAML).

The Python component provider in ``provider/`` hosts this class with the SDK's
``pulumi.provider.experimental.component_provider_host``; ``pulumi package add`` then generates an SDK for the
consumer's language from the schema the SDK's analyzer infers from the annotations below:

- the inputs are the keys of :class:`ModelDeploymentArgs` (a ``TypedDict``: ``NotRequired`` keys are optional),
  camel-cased in the schema (``min_replicas`` -> ``minReplicas``), their docstrings become the descriptions;
  the TypedDict, the enums and the key paths are generated from :mod:`components.multilang_table` into
  :mod:`components.multilang_args` (``venv/bin/python -m components.multilang_gen``);
- the outputs are the ``pulumi.Output[...]`` annotations of :class:`ModelDeployment`;
- the enums :class:`Cloud` and :class:`ScalingMetric` become the schema types ``ml-serving:index:Cloud`` and
  ``ml-serving:index:ScalingMetric``;
- the resource type is ``ml-serving:index:ModelDeployment`` (the SDK puts every component in module ``index``).

The arguments are flat and plain (no ``pulumi.Input``): a deployment is validated as a whole, with the same
rules and messages as a stack file (:class:`~components.config.DeploymentConfig`), *before* any resource is
declared, and validation needs the values. The generated SDKs therefore take plain strings, numbers and maps; a
value that still arrives as an Output (a secret, a value with dependencies, an unknown during preview) is
refused with an error that names the argument. The full richness of a stack file (variants, rollouts, async
options, schedules, VPC, KMS...) stays with the Python components, see ``provider/README.md``.

This module deliberately imports the cloud packages, not their component classes, so that the only
``ComponentResource`` subclass in its namespace is :class:`ModelDeployment` (the SDK's
``components_from_module`` would otherwise also pick up the Python-only components).
"""

import difflib
import inspect
import sys
from collections.abc import Mapping
from enum import Enum
from typing import Any

import pulumi
from pulumi.output import Unknown
from pydantic import ValidationError

try:
    from google.rpc import status_pb2
except TypeError as clash:  # protobuf: "duplicate symbol 'google.rpc.Status'"
    raise ImportError(
        "components.multilang must be imported before pulumi.provider: both define google.rpc.Status "
        "(see components.multilang.share_rpc_status)"
    ) from clash

from . import aws, gcp
from .config import ConfigError, DeploymentConfig, Problem
from .config.problems import config_error_from_validation
from .multilang_args import ARGUMENT_OF_KEY, Cloud, ModelDeploymentArgs, ScalingMetric
from .multilang_table import deployment_of

__all__ = [
    "ARGUMENT_OF_KEY",
    "PACKAGE",
    "TYPE_TOKEN",
    "Cloud",
    "ModelDeployment",
    "ModelDeploymentArgs",
    "ModelDeploymentError",
    "ScalingMetric",
]

# No `from __future__ import annotations` here: the SDK's analyzer reads the annotations at runtime and needs
# real types, not strings.


def share_rpc_status() -> None:
    """Let the Pulumi SDK's provider server use googleapis' ``google.rpc.Status`` message.

    The SDK's provider server (``pulumi.provider.server``, imported by ``component_provider_host``) loads its own
    copy of ``google.rpc.Status`` (``pulumi/runtime/proto/status_pb2.py``, registered as
    ``google/protobuf/status.proto``), and the Vertex AI client loads googleapis' (``google/rpc/status.proto``).
    Protobuf refuses the second definition of the same symbol, whichever comes first ("duplicate symbol
    'google.rpc.Status'"), so a process could not host ModelDeployment at all. Both define the same message
    (code, message, details) with the same wire format, and the SDK only builds error details with it, so the
    SDK's module is pointed at googleapis' one. Runs when this module is imported; it must be imported before
    ``pulumi.provider`` (``provider/__main__.py`` and the tests do so).
    """
    sys.modules.setdefault("pulumi.runtime.proto.status_pb2", status_pb2)


share_rpc_status()

PACKAGE = "ml-serving"
"""The Pulumi package name of the component provider (``pulumi package add`` names the SDK after it)."""
TYPE_TOKEN = f"{PACKAGE}:index:ModelDeployment"
"""The resource type the SDK's component provider derives for :class:`ModelDeployment` (module ``index``)."""


class ModelDeploymentError(ConfigError):
    """The arguments of a ModelDeployment are invalid. ``str()`` lists every problem by argument; nothing was
    declared."""

    def render(self) -> str:
        """One line per problem under the component's name, type token and problem count."""
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{self.source}: {count} {noun} in its arguments; nothing was declared."]
        lines += ["  - " + str(problem).replace("\n", "\n      ") for problem in self.problems]
        return "\n".join(lines)


class ModelDeployment(pulumi.ComponentResource):
    """A model served on AWS SageMaker or Google Vertex AI, with the ml-serving conventions: least-privilege
    identity, standard tags / labels, autoscaling and (on aws) a CloudWatch dashboard.

    The arguments are the common keys of an ml-serving stack file, flattened (`minReplicas` is `scaling.min`,
    `acceleratorType` is `accelerator.type`...), and are validated with the same rules before anything is
    declared. They must be plain values (no outputs or secrets). The deployment is declared as a child
    `ml-serving:aws:SageMakerDeployment` or `ml-serving:gcp:VertexDeployment` component.
    """

    endpoint_name: pulumi.Output[str]
    """The endpoint: the SageMaker endpoint name on aws, the Vertex AI endpoint resource name (projects/P/locations/L/endpoints/ID) on gcp."""
    invoke_url: pulumi.Output[str]
    """The HTTPS URL clients call: SageMaker's invocations (or async-invocations) URL, SigV4-signed, on aws; Vertex AI's :predict URL, with a Google access token, on gcp."""
    cloud: pulumi.Output[str]
    """`aws` or `gcp`, as given."""

    def __init__(self, name: str, args: ModelDeploymentArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        """Validate ``args`` as a deployment, then declare the component and its cloud's deployment under it.

        Args:
            name: the resource name; also the deployment name when ``args`` has no ``name``.
            args: plain values (see :class:`ModelDeploymentArgs`); an Output, a secret or an unknown is refused.
            opts: options of the component; children inherit providers and protection through ``parent``.

        Raises:
            ModelDeploymentError: every problem of ``args`` at once, by argument name, before anything is declared.
        """
        source = f'ModelDeployment "{name}" ({TYPE_TOKEN})'
        values = dict(args)
        problems = _unknown_arguments(values) + _not_plain(values)
        if problems:
            raise ModelDeploymentError(source, problems)
        config, project, region = _deployment(name, values, source)

        super().__init__(TYPE_TOKEN, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        if config.cloud == "aws":
            sagemaker = aws.SageMakerDeployment(name, config, opts=child)
            self.deployment: aws.SageMakerDeployment | gcp.VertexDeployment = sagemaker
            self.endpoint_name = sagemaker.endpoint_name
            self.invoke_url = sagemaker.invoke_url
        else:
            vertex = gcp.VertexDeployment(name, config, project=project, region=region, opts=child)
            self.deployment = vertex
            self.endpoint_name = vertex.endpoint_name
            self.invoke_url = vertex.invoke_url
        self.config = config
        self.cloud = pulumi.Output.from_input(config.cloud)
        self.register_outputs({"endpointName": self.endpoint_name, "invokeUrl": self.invoke_url, "cloud": self.cloud})


# The schema takes the class docstring as the component's description; without the source indentation (Python
# 3.13 strips it by itself) it reads well in the generated SDKs' documentation.
ModelDeployment.__doc__ = inspect.cleandoc(ModelDeployment.__doc__ or "")


def camel_case(name: str) -> str:
    """A Python argument name as the package schema spells it: ``min_replicas`` -> ``minReplicas``.

    The same rule as the SDK's analyzer (``pulumi.provider.experimental.util.camel_case``); not imported from
    there because importing ``pulumi.provider`` before :func:`share_rpc_status` ran would break the process.
    """
    first, *rest = name.split("_")
    return first + "".join(word[:1].upper() + word[1:] for word in rest)


def argument_path(key_path: str) -> str:
    """The argument a stack-file key path comes from, as the schema names it, with the key path when different.

    ``scaling.max`` -> ``maxReplicas (scaling.max)``; ``tags.Team`` -> ``tags.Team``; ``image`` -> ``image``.
    """
    for key in sorted(ARGUMENT_OF_KEY, key=len, reverse=True):
        if key_path == key or key_path.startswith((f"{key}.", f"{key}[")):
            argument = camel_case(ARGUMENT_OF_KEY[key]) + key_path[len(key) :]
            return argument if argument == key_path else f"{argument} ({key_path})"
    return key_path


def _unknown_arguments(values: Mapping[str, Any]) -> list[Problem]:
    """Keys that are not arguments (a Python caller's typo; other languages' SDKs send only schema keys)."""
    known = list(ModelDeploymentArgs.__annotations__)
    problems: list[Problem] = []
    for key in values:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            fix = f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(known)}"
            problems.append(Problem(str(key), f"unknown argument '{key}'", fix))
    return problems


def _not_plain(values: Mapping[str, Any]) -> list[Problem]:
    """Arguments that are not plain values: Outputs (secrets, values with dependencies), unknowns, awaitables."""
    problems: list[Problem] = []
    for key, value in values.items():
        nested = value.items() if isinstance(value, Mapping) else ()
        for path, item in [(camel_case(key), value), *((f"{camel_case(key)}.{k}", v) for k, v in nested)]:
            if isinstance(item, pulumi.Output):
                what = "an Output (a secret, or a value that depends on another resource)"
            elif isinstance(item, Unknown):
                what = "unknown until another resource is created"
            elif inspect.isawaitable(item):
                what = "an awaitable"
            else:
                continue
            problems.append(
                Problem(
                    path,
                    f"is {what}; ModelDeployment validates the whole deployment before declaring any resource, so "
                    "every argument must be a plain value",
                    "pass a plain string / number / map (a literal or a non-secret config value)",
                )
            )
    return problems


def _plain(value: Any) -> Any:
    """An enum member as its value; a whole number that crossed the wire as a float (``2.0``) as an int."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _deployment(name: str, values: Mapping[str, Any], source: str) -> tuple[DeploymentConfig, str | None, str | None]:
    """The validated deployment and the GCP project / region; raises :class:`ModelDeploymentError` with all
    problems."""
    problems: list[Problem] = []
    data = deployment_of({key: _plain(value) for key, value in values.items()})
    data["name"] = _plain(values.get("name", name))
    if "count" in data.get("accelerator", {}) and "type" not in data["accelerator"]:
        problems.append(
            Problem(
                "acceleratorType",
                "required when acceleratorCount is set",
                "set acceleratorType (e.g. nvidia-l4) or remove acceleratorCount",
            )
        )
        del data["accelerator"]

    cloud = _plain(values.get("cloud"))
    project, region = values.get("gcp_project"), values.get("gcp_region")
    if cloud == "gcp":
        project = project or pulumi.Config("gcp").get("project")
        region = region or pulumi.Config("gcp").get("region")
        for argument, value, key in (("gcpProject", project, "gcp:project"), ("gcpRegion", region, "gcp:region")):
            if not value:
                problems.append(
                    Problem(argument, "required on cloud gcp", f"pass {argument} or set {key} in the stack")
                )
    else:
        for argument, value in (("gcpProject", project), ("gcpRegion", region)):
            if value is not None:
                problems.append(Problem(argument, "applies only to cloud gcp", f"remove {argument} on cloud {cloud}"))

    config: DeploymentConfig | None = None
    try:
        config = DeploymentConfig.model_validate(data)
    except ValidationError as error:
        problems += _by_argument(config_error_from_validation(source, error).problems, name, "name" in values)
    except ConfigError as error:
        problems += _by_argument(error.problems, name, "name" in values)
    if problems or config is None:
        raise ModelDeploymentError(source, problems)
    return config, project, region


def _by_argument(problems: list[Problem], name: str, named: bool) -> list[Problem]:
    """Problems of the deployment re-keyed by argument; a bad default name says where it came from."""
    keyed: list[Problem] = []
    for problem in problems:
        fix = problem.fix
        if problem.path == "name" and not named:
            fix = f"the name argument defaults to the resource name '{name}'; pass a name (a lowercase slug)"
        keyed.append(Problem(argument_path(problem.path), problem.message, fix))
    return keyed
