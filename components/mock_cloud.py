"""Cloud-like answers of the mock runtime: what AWS and GCP would return for a registration or an invoke.

:class:`CloudLikeMocks` gives every resource the outputs the cloud computes (auto-names with a deterministic
suffix, ARNs, ids, e-mails) and answers the data-source invokes (caller identity, region, partition, GCP project),
deterministically. The runtime itself is set up in :mod:`components.mock_runtime` (the one place).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from pulumi.runtime import mocks as sdk_mocks

from .facts.resource_types import RESOURCE_TYPES

MOCK_ACCOUNT = "123456789012"
"""AWS account id of the mock runtime."""
MOCK_PROJECT_NUMBER = "123456789"
"""GCP project number of the mock runtime."""
DYNAMIC_PROVIDER_KEY = "__provider"


def _suffix(*parts: str, length: int = 7) -> str:
    return hashlib.sha256("::".join(parts).encode()).hexdigest()[:length]


def _uuid(*parts: str) -> str:
    digest = hashlib.sha256("::".join(parts).encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


class CloudLikeMocks(sdk_mocks.Mocks):
    """Answers registrations and invokes the way AWS and GCP would, deterministically.

    Args:
        config: the stack's config keys (``aws:region``, ``gcp:project``, ``gcp:region``...).
    """

    def __init__(self, config: Mapping[str, Any]):
        self.region = str(config.get("aws:region") or "us-east-1")
        self.gcp_project = str(config.get("gcp:project") or "mock-project")
        self.gcp_region = str(config.get("gcp:region") or "us-central1")

    def call(self, args: sdk_mocks.MockCallArgs) -> tuple[dict, list[tuple[str, str]]]:
        """Answer data-source invokes (caller identity, region, partition, GCP project)."""
        token = args.token
        if token == "aws:index/getCallerIdentity:getCallerIdentity":
            arn = f"arn:aws:iam::{MOCK_ACCOUNT}:user/ml-serving-ci"
            return {"accountId": MOCK_ACCOUNT, "arn": arn, "userId": "AIDAMOCKUSER", "id": MOCK_ACCOUNT}, []
        if token == "aws:index/getRegion:getRegion":
            region = args.args.get("region") or self.region
            return {
                "region": region,
                "name": region,
                "id": region,
                "endpoint": f"ec2.{region}.amazonaws.com",
            }, []
        if token == "aws:index/getPartition:getPartition":
            return {
                "partition": "aws",
                "dnsSuffix": "amazonaws.com",
                "id": "aws",
                "reverseDnsPrefix": "com.amazonaws",
            }, []
        if token == "gcp:organizations/getProject:getProject":
            project = args.args.get("projectId") or self.gcp_project
            return {
                "projectId": project,
                "number": MOCK_PROJECT_NUMBER,
                "name": project,
                "id": f"projects/{project}",
            }, []
        return dict(args.args), []

    def new_resource(self, args: sdk_mocks.MockResourceArgs) -> tuple[str | None, dict]:
        """Return (id, state): the inputs plus the outputs the cloud would compute."""
        state = {key: value for key, value in args.inputs.items() if key != DYNAMIC_PROVIDER_KEY}
        if not args.custom:
            return f"{args.name}-component", state
        entry = RESOURCE_TYPES.get(args.typ)
        name_key = entry.auto_name if entry else None
        if name_key and not state.get(name_key):
            prefix = state.get(entry.name_prefix) if entry and entry.name_prefix else None
            state[name_key] = (
                f"{prefix}{_suffix(args.typ, args.name, length=26)}"
                if prefix
                else f"{args.name}-{_suffix(args.typ, args.name)}"
            )
        resource_id = self._outputs(args.typ, args.name, state)
        return resource_id, state

    def _outputs(self, typ: str, logical: str, state: dict[str, Any]) -> str:
        region, account = state.get("region") or self.region, MOCK_ACCOUNT
        name = str(state.get("name", logical))
        service, _, kind = typ.partition(":")[2].partition("/")
        arn_of = {
            "sagemaker/model:Model": f"arn:aws:sagemaker:{region}:{account}:model/{name}",
            "sagemaker/endpointConfiguration:EndpointConfiguration": f"arn:aws:sagemaker:{region}:{account}:endpoint-config/{name}",
            "sagemaker/endpoint:Endpoint": f"arn:aws:sagemaker:{region}:{account}:endpoint/{name}",
            "iam/role:Role": f"arn:aws:iam::{account}:role/{name}",
            "iam/policy:Policy": f"arn:aws:iam::{account}:policy/{name}",
            "sns/topic:Topic": f"arn:aws:sns:{region}:{account}:{name}",
            "cloudwatch/metricAlarm:MetricAlarm": f"arn:aws:cloudwatch:{region}:{account}:alarm:{name}",
            "appautoscaling/policy:Policy": (
                f"arn:aws:autoscaling:{region}:{account}:scalingPolicy:{_uuid(typ, logical)}:"
                f"resource/{state.get('serviceNamespace', 'sagemaker')}/{state.get('resourceId', '')}:policyName/{name}"
            ),
            "appautoscaling/target:Target": f"arn:aws:application-autoscaling:{region}:{account}:scalable-target/{_suffix(typ, logical, length=32)}",
            "kms/key:Key": f"arn:aws:kms:{region}:{account}:key/{_uuid(typ, logical)}",
        }
        key = f"{service}/{kind}"
        if typ.startswith("aws:") and key in arn_of:
            state.setdefault("arn", arn_of[key])
        if typ.startswith("aws:"):
            state.setdefault("tagsAll", state.get("tags") or {})
        if typ == "aws:s3/bucket:Bucket" or typ == "aws:s3/bucketV2:BucketV2":
            bucket = state["bucket"]
            state.setdefault("arn", f"arn:aws:s3:::{bucket}")
            state.setdefault("bucketRegionalDomainName", f"{bucket}.s3.{region}.amazonaws.com")
            return str(bucket)
        if typ == "aws:sns/topic:Topic":
            return str(state["arn"])
        if typ == "aws:iam/role:Role":
            state.setdefault("uniqueId", "AROA" + _suffix(typ, logical, length=17).upper())
            return name
        if typ == "aws:iam/rolePolicy:RolePolicy":
            return f"{state.get('role')}:{name}"
        if typ == "aws:appautoscaling/target:Target":
            return str(state.get("resourceId"))
        if typ == "aws:kms/key:Key":
            key_id = str(state["arn"]).rsplit("/", 1)[-1]
            state.setdefault("keyId", key_id)
            return key_id
        if typ == "aws:cloudwatch/dashboard:Dashboard":
            state.setdefault("dashboardArn", f"arn:aws:cloudwatch::{account}:dashboard/{state.get('dashboardName')}")
            return str(state.get("dashboardName"))
        if typ.startswith("gcp:"):
            return self._gcp_outputs(typ, logical, state)
        if typ.startswith("pulumi-python:dynamic"):
            return self._vertex_model_outputs(typ, logical, state)
        return name if "name" in state else f"{logical}-{_suffix(typ, logical)}"

    def _vertex_model_outputs(self, typ: str, logical: str, state: dict[str, Any]) -> str:
        """What the Vertex model deployment resource reports after create (ids Vertex assigns)."""
        if "image_uri" in state and "endpoint" in state:
            region = state.get("region") or self.gcp_region
            model_id = str(int(_suffix(typ, logical, "model", length=15), 16))
            state["model"] = f"projects/{MOCK_PROJECT_NUMBER}/locations/{region}/models/{model_id}"
            state["model_version_id"] = "1"
            state["deployed_model_id"] = str(int(_suffix(typ, logical, "deployed", length=15), 16))
            state["deployment_key"] = _suffix(typ, logical, "key", length=16)
            return f"{state['endpoint']}/deployedModels/{state['deployed_model_id']}"
        return f"{logical}-{_suffix(typ, logical)}"

    def _gcp_outputs(self, typ: str, logical: str, state: dict[str, Any]) -> str:
        project = state.get("project") or self.gcp_project
        location = state.get("location") or state.get("region") or self.gcp_region
        state.setdefault("project", project)
        labels = state.get("labels") or {}
        state.setdefault("effectiveLabels", labels)
        state.setdefault("pulumiLabels", labels)
        if typ == "gcp:serviceaccount/account:Account":
            email = f"{state['accountId']}@{project}.iam.gserviceaccount.com"
            state.setdefault("email", email)
            state.setdefault("member", f"serviceAccount:{email}")
            state.setdefault("uniqueId", str(int(_suffix(typ, logical, length=12), 16)))
            state.setdefault("name", f"projects/{project}/serviceAccounts/{email}")
            return str(state["name"])
        if typ == "gcp:storage/bucket:Bucket":
            state.setdefault("url", f"gs://{state['name']}")
            state.setdefault("selfLink", f"https://www.googleapis.com/storage/v1/b/{state['name']}")
            return str(state["name"])
        if typ == "gcp:vertex/aiEndpoint:AiEndpoint":
            # ``name`` is Pulumi's auto-name (filled in new_resource from the resource-type facts), sent as the
            # endpoint id; the id is the endpoint's full resource name.
            if state.get("dedicatedEndpointEnabled"):
                state.setdefault(
                    "dedicatedEndpointDns", f"{state['name']}.{location}-{MOCK_PROJECT_NUMBER}.prediction.vertexai.goog"
                )
            return f"projects/{project}/locations/{location}/endpoints/{state['name']}"
        if "name" in state:
            return str(state["name"])
        return f"{logical}-{_suffix(typ, logical)}"
