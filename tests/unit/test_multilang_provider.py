"""ModelDeployment, the component other Pulumi languages use through ``provider/`` (``pulumi package add``).

- the schema the SDK's analyzer infers from the component module, as the provider host does;
- the component under the shared mock runtime: its SageMaker / Vertex child declares exactly what the Python
  program declares for the same deployment, and its outputs resolve; also through the SDK's ComponentProvider
  ``construct``, with inputs as the engine sends them;
- invalid arguments fail before anything is declared, with every problem and its argument;
- the provider directory: entry point, plugin manifest, requirements.
"""

from __future__ import annotations

import gc
import importlib.metadata
import json
import os
import py_compile
import re
import runpy
import subprocess
import sys
import typing
from collections.abc import Callable, Iterator
from typing import Any

import grpc
import pulumi
import pytest
import yaml
from builders import BASE_CONFIG, REPO, aws_deployment, gcp_deployment, stack_values
from google.protobuf import empty_pb2

import components
import components.multilang as multilang
from components.config.scaling import Metric
from components.mock_runtime import STACK_TYPE, DeclaredStack, run_main, run_program
from components.multilang_table import arguments_of, deployment_of

# components.multilang is imported above: only then may pulumi.provider be imported (see share_rpc_status).
# isort: split
import pulumi.provider.experimental
from pulumi.provider.experimental.analyzer import Analyzer
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.provider.experimental.host import components_from_module
from pulumi.provider.experimental.schema import generate_schema
from pulumi.provider.experimental.util import camel_case as sdk_camel_case
from pulumi.provider.server import ComponentInitError
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

PROVIDER = REPO / "provider"
SAGEMAKER = "ml-serving:aws:SageMakerDeployment"
VERTEX = "ml-serving:gcp:VertexDeployment"
ENDPOINT = "aws:sagemaker/endpoint:Endpoint"
AI_ENDPOINT = "gcp:vertex/aiEndpoint:AiEndpoint"

AWS_ARGS: dict[str, Any] = {k: v for k, v in arguments_of(aws_deployment()).items() if k != "name"}
"""The flat arguments of tests/builders.py's AWS_DEPLOYMENT (flattened by the table; checked below). No name: the
tests declare the component under the deployment's name, which the name argument defaults to."""

GCP_ARGS: dict[str, Any] = {
    **{k: v for k, v in arguments_of(gcp_deployment()).items() if k != "name"},
    "gcp_project": BASE_CONFIG["gcp:project"],
    "gcp_region": BASE_CONFIG["gcp:region"],
}
"""The flat arguments of tests/builders.py's GCP_DEPLOYMENT."""


def test_the_fixtures_flatten_the_builders_deployments():
    assert AWS_ARGS == {
        "cloud": "aws",
        "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ranker:2.3.1",
        "artifacts": "s3://acme-models/ranker/v7/model.tar.gz",
        "accelerator_type": "nvidia-a10g",
        "accelerator_count": 1,
        "min_replicas": 2,
        "max_replicas": 6,
        "metric": "concurrency",
        "target": 3,
    }
    assert GCP_ARGS["metric"] == multilang.ScalingMetric.GPU and GCP_ARGS["gcp_region"] == "europe-west4"
    assert deployment_of({"min_replicas": 0, "async_inference": True, "gcp_project": "p"}) == {
        "scaling": {"min": 0},
        "async": True,
    }


def test_the_generated_module_and_readme_table_are_fresh():
    result = subprocess.run(
        [sys.executable, "-m", "components.multilang_gen", "--check"], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr  # says: run venv/bin/python -m components.multilang_gen


def test_the_enums_are_the_configs_literals():
    assert [m.value for m in multilang.ScalingMetric] == ["invocations", "concurrency", "cpu", "gpu", "backlog"]
    assert [m.value for m in multilang.Cloud] == ["aws", "gcp"]


# --- schema ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    """The package schema as the provider host builds it: analyzer over the module's components, then the spec."""
    found = components_from_module(multilang)
    result = Analyzer(multilang.PACKAGE).analyze(found)
    spec = generate_schema(
        multilang.PACKAGE,
        components.__version__,
        "acme",
        result["component_definitions"],
        result["type_definitions"],
        sorted(result["dependencies"], key=lambda d: d.name),
    )
    return json.loads(json.dumps(spec.to_json()))


@pytest.fixture(scope="module")
def resource(schema: dict[str, Any]) -> dict[str, Any]:
    """The ModelDeployment resource of the schema."""
    return schema["resources"][multilang.TYPE_TOKEN]


def test_the_module_offers_one_component_to_the_host():
    assert components_from_module(multilang) == [multilang.ModelDeployment]


def test_package_and_type_token(schema):
    assert (schema["name"], schema["version"], schema["namespace"]) == ("ml-serving", components.__version__, "acme")
    assert list(schema["resources"]) == ["ml-serving:index:ModelDeployment"] == [multilang.TYPE_TOKEN]
    assert schema["dependencies"] == []  # no resource references in the arguments: no provider dependency


def test_component_description_is_the_class_docstring_without_indentation(resource):
    assert resource["isComponent"] is True
    description = resource["description"]
    assert description.startswith("A model served on AWS SageMaker or Google Vertex AI")
    assert "\n    " not in description and "ml-serving:aws:SageMakerDeployment" in description


def test_required_and_optional_inputs_with_types(resource):
    assert resource["requiredInputs"] == ["cloud", "image"]
    types = {name: prop.get("type") or prop["$ref"] for name, prop in resource["inputProperties"].items()}
    assert types == {
        "cloud": "#/types/ml-serving:index:Cloud",
        "image": "string",
        "name": "string",
        "artifacts": "string",
        "acceleratorType": "string",
        "acceleratorCount": "integer",
        "instanceType": "string",
        "machineType": "string",
        "minReplicas": "integer",
        "maxReplicas": "integer",
        "metric": "#/types/ml-serving:index:ScalingMetric",
        "target": "number",
        "environment": "object",
        "tags": "object",
        "asyncInference": "boolean",
        "gcpProject": "string",
        "gcpRegion": "string",
    }
    for key in ("environment", "tags"):
        assert resource["inputProperties"][key]["additionalProperties"]["type"] == "string"


def test_inputs_are_plain_so_sdks_take_no_outputs(resource):
    assert all(prop.get("plain") is True for prop in resource["inputProperties"].values())


def test_every_input_is_described_by_its_docstring(resource):
    inputs = resource["inputProperties"]
    assert all(prop.get("description") for prop in inputs.values())
    assert inputs["minReplicas"]["description"].startswith("Fewest instances / replicas, default 1.")
    assert "default: the stack's `gcp:project` config" in inputs["gcpProject"]["description"]
    assert "\n" not in "".join(prop["description"] for prop in inputs.values())


def test_schema_names_are_the_sdk_camel_case_of_the_python_arguments(resource):
    arguments = list(multilang.ModelDeploymentArgs.__annotations__)
    assert [sdk_camel_case(argument) for argument in arguments] == list(resource["inputProperties"])
    assert all(multilang.camel_case(argument) == sdk_camel_case(argument) for argument in arguments)


def test_outputs(resource):
    outputs = resource["properties"]
    assert {name: prop["type"] for name, prop in outputs.items()} == {
        "endpointName": "string",
        "invokeUrl": "string",
        "cloud": "string",
    }
    assert resource["required"] == ["cloud", "endpointName", "invokeUrl"]
    assert all(prop["description"] for prop in outputs.values())


def test_enums_mirror_the_config(schema):
    cloud = schema["types"]["ml-serving:index:Cloud"]
    metric = schema["types"]["ml-serving:index:ScalingMetric"]
    assert cloud["type"] == metric["type"] == "string"
    assert [member["value"] for member in cloud["enum"]] == ["aws", "gcp"]
    assert [member["value"] for member in metric["enum"]] == list(typing.get_args(Metric))
    assert all(member["description"] for member in cloud["enum"] + metric["enum"])


# --- under the shared mock runtime ------------------------------------------------------------------------------


def declare(args: dict[str, Any], name: str = "ranker") -> Callable[[], None]:
    """A program declaring one ModelDeployment and exporting its outputs."""

    def program() -> None:
        deployment = multilang.ModelDeployment(name, args)  # type: ignore[arg-type]
        pulumi.export(
            "deployment",
            {"endpoint_name": deployment.endpoint_name, "invoke_url": deployment.invoke_url, "cloud": deployment.cloud},
        )

    return program


def descendants(plan: DeclaredStack, root_type: str) -> set[tuple[str, str, str]]:
    """(type, name, inputs) of every resource below the single ``root_type`` component, that component included."""
    root = plan.one(root_type)
    below = [r for r in plan.resources if r.urn == root.urn or root.urn.split("::")[2] in r.urn.split("::")[2]]
    return {(r.type, r.name, json.dumps(r.inputs, sort_keys=True)) for r in below}


@pytest.fixture(scope="module")
def aws_plan() -> DeclaredStack:
    return run_program(declare(AWS_ARGS), stack="test", config=BASE_CONFIG)


@pytest.fixture(scope="module")
def gcp_plan() -> DeclaredStack:
    return run_program(declare(GCP_ARGS, name="reranker"), stack="test", config=BASE_CONFIG)


def test_aws_declares_a_sagemaker_deployment_under_the_component(aws_plan):
    component = aws_plan.one(multilang.TYPE_TOKEN, "ranker")
    assert component.parent == aws_plan.resources[0].urn and not component.custom
    child = aws_plan.one(SAGEMAKER)
    assert (child.name, child.parent) == ("ranker", component.urn)
    assert not aws_plan.by_type(VERTEX)


def test_aws_child_declares_what_the_python_program_declares(aws_plan):
    program = run_main(REPO, stack="test", config=stack_values(aws_deployment()))
    assert descendants(aws_plan, SAGEMAKER) == descendants(program, SAGEMAKER)


def test_aws_outputs_resolve(aws_plan):
    name = aws_plan.outputs["deployment"]["endpoint_name"]
    assert name.startswith("ranker-endpoint-")  # the mock runtime's auto-name of the SageMaker endpoint
    assert aws_plan.outputs["deployment"] == {
        "endpoint_name": name,
        "invoke_url": f"https://runtime.sagemaker.eu-west-1.amazonaws.com/endpoints/{name}/invocations",
        "cloud": "aws",
    }


def test_gcp_declares_a_vertex_deployment_under_the_component(gcp_plan):
    component = gcp_plan.one(multilang.TYPE_TOKEN, "reranker")
    child = gcp_plan.one(VERTEX)
    assert (child.name, child.parent) == ("reranker", component.urn)
    endpoint = gcp_plan.one(AI_ENDPOINT)
    assert (endpoint.inputs["project"], endpoint.inputs["location"]) == ("acme-ml", "europe-west4")


def test_gcp_child_declares_what_the_python_program_declares(gcp_plan):
    program = run_main(REPO, stack="test", config=stack_values(gcp_deployment()))
    assert descendants(gcp_plan, VERTEX) == descendants(program, VERTEX)


def test_gcp_outputs_resolve(gcp_plan):
    outputs = gcp_plan.outputs["deployment"]
    assert outputs["cloud"] == "gcp"
    # The Vertex child's endpoint_name / invoke_url (not its deprecated endpoint / predict_url aliases); the id is
    # Pulumi's auto-name of the AiEndpoint.
    assert re.fullmatch(
        r"projects/acme-ml/locations/europe-west4/endpoints/reranker-endpoint-[0-9a-f]{7}", outputs["endpoint_name"]
    )
    assert (
        outputs["invoke_url"] == f"https://europe-west4-aiplatform.googleapis.com/v1/{outputs['endpoint_name']}:predict"
    )


def test_gcp_project_and_region_default_to_the_stack_config():
    args = {key: value for key, value in GCP_ARGS.items() if not key.startswith("gcp_")}
    plan = run_program(declare(args, name="reranker"), stack="test", config=BASE_CONFIG)
    endpoint = plan.one(AI_ENDPOINT)
    assert (endpoint.inputs["project"], endpoint.inputs["location"]) == ("acme-ml", "europe-west4")


def test_explicit_gcp_project_and_region_win_over_the_stack_config():
    args = {**GCP_ARGS, "gcp_project": "team-ml", "gcp_region": "us-central1"}
    plan = run_program(declare(args, name="reranker"), stack="test", config=BASE_CONFIG)
    endpoint = plan.one(AI_ENDPOINT)
    assert (endpoint.inputs["project"], endpoint.inputs["location"]) == ("team-ml", "us-central1")


def test_name_argument_names_the_deployment_and_plain_strings_work_for_enums():
    args = {**AWS_ARGS, "name": "ranker-v2", "cloud": "aws", "metric": "concurrency", "tags": {"team": "search"}}
    plan = run_program(declare(args, name="ranking"), stack="test", config=BASE_CONFIG)
    endpoint = plan.one(ENDPOINT)
    assert endpoint.inputs["tags"]["deployment"] == "ranker-v2" and endpoint.inputs["tags"]["team"] == "search"
    assert plan.one(SAGEMAKER).name == "ranking"


def test_registered_outputs_use_the_schema_names(monkeypatch, resource):
    registered: list[dict[str, Any]] = []
    original = multilang.ModelDeployment.register_outputs

    def spy(self: multilang.ModelDeployment, outputs: dict[str, Any]) -> None:
        if isinstance(self, multilang.ModelDeployment):
            registered.append(outputs)
        original(self, outputs)

    monkeypatch.setattr(multilang.ModelDeployment, "register_outputs", spy)
    run_program(declare(AWS_ARGS), stack="test", config=BASE_CONFIG)
    assert [sorted(outputs) for outputs in registered] == [sorted(resource["properties"])]


def test_construct_as_the_engine_calls_it():
    """The SDK's ComponentProvider maps camelCase wire inputs (numbers as floats, enums as strings) to the args."""
    provider = ComponentProvider([multilang.ModelDeployment], multilang.PACKAGE, "acme", components.__version__)
    wire = {
        "cloud": "aws",
        "image": AWS_ARGS["image"],
        "acceleratorType": "nvidia-a10g",
        "acceleratorCount": 1.0,
        "minReplicas": 2.0,
        "maxReplicas": 6.0,
        "metric": "concurrency",
        "target": 3.0,
        "environment": {"MODEL_NAME": "ranker"},
    }

    def program() -> None:
        result = provider.construct("ranker", multilang.TYPE_TOKEN, wire, None)
        pulumi.export("state", result.state)

    plan = run_program(program, stack="test", config=BASE_CONFIG)
    state = plan.outputs["state"]
    assert set(state) == {"endpointName", "invokeUrl", "cloud"} and state["cloud"] == "aws"
    assert state["invokeUrl"].endswith(f"/endpoints/{state['endpointName']}/invocations")
    assert plan.one(SAGEMAKER).parent == plan.one(multilang.TYPE_TOKEN).urn
    config = plan.one("aws:sagemaker/endpointConfiguration:EndpointConfiguration")
    assert config.inputs["productionVariants"][0]["initialInstanceCount"] == 2


def test_construct_reports_our_message_to_the_engine():
    provider = ComponentProvider([multilang.ModelDeployment], multilang.PACKAGE, "acme", components.__version__)

    def program() -> None:
        provider.construct("ranker", multilang.TYPE_TOKEN, {"cloud": "aws", "image": "nginx:latest"}, None)

    with pytest.raises(
        ComponentInitError,
        match=r"1 problem in its arguments; nothing was declared.\n  - image: 'nginx:latest' is not an Amazon ECR image URI",
    ):
        run_program(program, stack="test", config=BASE_CONFIG)


# --- invalid arguments ------------------------------------------------------------------------------------------


@pytest.fixture
def failing() -> Iterator[Callable[..., str]]:
    """Declare a ModelDeployment that must fail; return its message, checking that nothing was declared."""

    def run(args: dict[str, Any], name: str = "ranker", config: dict[str, Any] | None = None) -> str:
        errors: list[multilang.ModelDeploymentError] = []

        def program() -> None:
            try:
                multilang.ModelDeployment(name, args)  # type: ignore[arg-type]
            except multilang.ModelDeploymentError as error:
                errors.append(error)

        plan = run_program(program, stack="test", config=BASE_CONFIG if config is None else config)
        assert [r.type for r in plan.resources] == [STACK_TYPE], "nothing may be declared for invalid arguments"
        assert len(errors) == 1
        message = str(errors[0])
        assert message.startswith(f'ModelDeployment "{name}" (ml-serving:index:ModelDeployment): ')
        assert "nothing was declared." in message.splitlines()[0]
        return message

    yield run


def test_min_above_max_names_the_argument_and_the_key(failing):
    message = failing({**AWS_ARGS, "min_replicas": 3, "max_replicas": 1, "metric": None, "target": None})
    assert (
        "  - maxReplicas (scaling.max): max (1) is below min (3). Fix: set max to at least 3, or lower min" in message
    )


def test_unknown_accelerator_names_the_argument(failing):
    message = failing({**AWS_ARGS, "accelerator_type": "nvidia-x9"})
    assert "  - acceleratorType (accelerator.type): " in message and "nvidia-x9" in message


def test_every_problem_is_reported_at_once(failing):
    args = {**GCP_ARGS, "min_replicas": 0, "metric": "concurrency", "instance_type": "ml.g5.xlarge"}
    args.pop("gcp_project")
    message = failing(args, name="reranker", config={})
    assert message.splitlines()[0].endswith(": 4 problems in its arguments; nothing was declared.")
    for problem in (
        "gcpProject: required on cloud gcp. Fix: pass gcpProject or set gcp:project in the stack",
        "minReplicas (scaling.min): Vertex AI scales to zero only",
        "metric (scaling.metric): concurrency is not available on gcp",
        "instanceType (instance_type): instance_type is the SageMaker key",
    ):
        assert f"  - {problem}" in message


def test_gcp_without_project_anywhere_fails(failing):
    args = {key: value for key, value in GCP_ARGS.items() if not key.startswith("gcp_")}
    message = failing(args, name="reranker", config={"aws:region": "eu-west-1"})
    assert "  - gcpProject: required on cloud gcp. Fix: pass gcpProject or set gcp:project in the stack" in message
    assert "  - gcpRegion: required on cloud gcp. Fix: pass gcpRegion or set gcp:region in the stack" in message


def test_gcp_arguments_are_refused_on_aws(failing):
    message = failing({**AWS_ARGS, "gcp_project": "acme-ml"})
    assert "  - gcpProject: applies only to cloud gcp. Fix: remove gcpProject on cloud aws" in message


def test_accelerator_count_needs_a_type(failing):
    args = {key: value for key, value in AWS_ARGS.items() if key != "accelerator_type"}
    assert "  - acceleratorType: required when acceleratorCount is set" in failing(args)


def test_a_bad_default_name_says_it_came_from_the_resource_name(failing):
    message = failing(AWS_ARGS, name="Ranker_1")
    assert "  - name: 'Ranker_1' is not a lowercase slug" in message
    assert "the name argument defaults to the resource name 'Ranker_1'" in message


def test_unknown_argument_suggests_the_right_one(failing):
    message = failing({**AWS_ARGS, "min_replica": 1})
    assert "  - min_replica: unknown argument 'min_replica'. Fix: did you mean 'min_replicas'?" in message


def test_an_output_is_refused_by_argument(failing):
    message = failing({**AWS_ARGS, "image": pulumi.Output.from_input(AWS_ARGS["image"])})
    assert "  - image: is an Output (a secret, or a value that depends on another resource)" in message
    assert "every argument must be a plain value" in message


def test_a_secret_in_a_map_is_refused_by_key(failing):
    message = failing({**AWS_ARGS, "environment": {"API_KEY": pulumi.Output.secret("s3cr3t"), "MODE": "fast"}})
    assert "  - environment.API_KEY: is an Output" in message and "environment.MODE" not in message


def test_an_unknown_value_is_refused(failing):
    assert "  - artifacts: is unknown until another resource is created" in failing(
        {**AWS_ARGS, "artifacts": pulumi.output.UNKNOWN}
    )


def test_environment_and_tag_keys_keep_their_path(failing):
    message = failing({**GCP_ARGS, "tags": {"Team": "Search"}}, name="reranker")
    assert "  - tags.Team: 'Team: Search' cannot be a GCP label" in message


@pytest.mark.parametrize(
    ("key_path", "argument"),
    [
        ("scaling.max", "maxReplicas (scaling.max)"),
        ("scaling.metric", "metric (scaling.metric)"),
        ("accelerator.count", "acceleratorCount (accelerator.count)"),
        ("accelerator", "acceleratorType (accelerator)"),
        ("async", "asyncInference (async)"),
        ("machine_type", "machineType (machine_type)"),
        ("tags.team", "tags.team"),
        ("image", "image"),
        ("sagemaker.vpc", "sagemaker.vpc"),
    ],
)
def test_argument_path(key_path, argument):
    assert multilang.argument_path(key_path) == argument


# --- the provider directory -------------------------------------------------------------------------------------


def test_entry_point_compiles(tmp_path):
    py_compile.compile(str(PROVIDER / "__main__.py"), cfile=str(tmp_path / "main.pyc"), doraise=True)


def test_entry_point_hosts_the_component_under_the_package_name_and_version(monkeypatch):
    calls: list[tuple[list[type], str, str | None, str | None]] = []
    thresholds: list[tuple[int, ...]] = []

    def host(components: list[type], name: str, namespace: str | None = None, version: str | None = None) -> None:
        calls.append((components, name, namespace, version))
        thresholds.append(gc.get_threshold())

    monkeypatch.setattr(pulumi.provider.experimental, "component_provider_host", host)
    before = gc.get_threshold()
    try:
        runpy.run_path(str(PROVIDER / "__main__.py"), run_name="__main__")
    finally:
        gc.set_threshold(*before)
    assert calls == [([multilang.ModelDeployment], "ml-serving", "acme", components.__version__)]
    assert thresholds == [(10_000, 20, 1_000)]  # the provider's process serves with the program's GC settings

    (found, name, namespace, version) = calls[0]
    served = json.loads(ComponentProvider(found, name, namespace, version or "0.0.0").schema or "{}")
    assert list(served["resources"]) == [multilang.TYPE_TOKEN] and served["version"] == "0.1.0"


def test_the_provider_process_serves_the_schema_over_grpc():
    """``python provider/ ENGINE`` as Pulumi starts it: a fresh interpreter prints its port and answers GetSchema.

    PYTHONPATH stands in for requirements.txt's editable install of this repository into ``provider/venv``.
    """
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, str(PROVIDER), "127.0.0.1:1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=PROVIDER,
    )
    try:
        port = int(process.stdout.readline() if process.stdout else b"")
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = provider_pb2_grpc.ResourceProviderStub(channel)
            served = json.loads(stub.GetSchema(provider_pb2.GetSchemaRequest(version=0), timeout=60).schema)
            info = stub.GetPluginInfo(empty_pb2.Empty(), timeout=60)
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert (served["name"], served["version"], info.version) == ("ml-serving", components.__version__, "0.1.0")
    assert list(served["resources"]) == [multilang.TYPE_TOKEN], stderr.decode()


def test_importing_the_sdk_provider_first_fails_with_a_clear_message():
    code = "import pulumi.provider.server\nimport components.multilang\n"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode != 0
    assert "ImportError: components.multilang must be imported before pulumi.provider" in result.stderr


def test_importing_the_entry_point_does_not_start_the_host(monkeypatch):
    monkeypatch.setattr(pulumi.provider.experimental, "component_provider_host", pytest.fail)
    module = runpy.run_path(str(PROVIDER / "__main__.py"), run_name="provider_main")
    assert module["ModelDeployment"] is multilang.ModelDeployment


def test_plugin_manifest_is_a_python_plugin():
    manifest = yaml.safe_load((PROVIDER / "PulumiPlugin.yaml").read_text())
    assert manifest["runtime"]["name"] == "python"
    assert manifest["runtime"]["options"] == {"toolchain": "pip", "virtualenv": "venv"}


def test_requirements_install_this_repository():
    lines = [
        line.strip()
        for line in (PROVIDER / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert lines == ["-e .."]
    # Pulumi runs pip in the plugin directory, so `..` is the repository root: the ml-serving project.
    root = (PROVIDER / "..").resolve()
    assert root == REPO.resolve()
    # What pip installs from there: the ml-serving distribution, at the version the schema announces.
    assert importlib.metadata.version("ml-serving") == components.__version__ == "0.1.0"
    assert importlib.metadata.metadata("ml-serving")["Name"] == "ml-serving"
