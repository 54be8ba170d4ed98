"""Run by tests/policies/test_policy_pack_entry_point.py with policies/venv's Python (pulumi-policy installed).

Loads policies/__main__.py with PolicyPack replaced by a recorder, then feeds every resource of an offline plan
to the recorded pulumi-policy objects, built with pulumi-policy's own argument classes, and prints the
violations as JSON. The policy config comes from a pack config file, split per policy as the engine does.
"""

import json
import runpy
import sys
from pathlib import Path

import pulumi_policy

recorded = {}


class RecordingPack:
    """Stands in for PolicyPack, whose constructor would start serving the engine."""

    def __init__(self, name, policies, **_):
        recorded["name"] = name
        recorded["policies"] = policies


pulumi_policy.PolicyPack = RecordingPack
runpy.run_path(sys.argv[1], run_name="__main__")

plan = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
pack_config = json.loads(Path(sys.argv[3]).read_text(encoding="utf-8"))
options = pulumi_policy.PolicyResourceOptions(False, [], None, [], pulumi_policy.PolicyCustomTimeouts(0, 0, 0), [])
resources = {}
for entry in plan["resources"]:
    if entry["type"].startswith(("pulumi:", "ml-serving:")):
        continue
    resources[entry["urn"]] = pulumi_policy.PolicyResource(
        entry["type"], entry["inputs"], entry["urn"], entry["name"], options, None, None, [], {}
    )
for entry in plan["resources"]:
    if entry["urn"] in resources:
        deps = [resources[u] for u in (entry.get("options") or {}).get("dependsOn", []) if u in resources]
        resources[entry["urn"]].dependencies.extend(deps)


def config_of(policy_name):
    value = pack_config.get(policy_name) or {}
    return value if isinstance(value, dict) else {}


violations = []
for policy in recorded["policies"]:

    def report(message, urn=None, name=policy.name):
        violations.append({"policy": name, "urn": urn, "message": message})

    if isinstance(policy, pulumi_policy.ResourceValidationPolicy):
        for resource in resources.values():
            args = pulumi_policy.ResourceValidationArgs(
                resource.resource_type,
                resource.props,
                resource.urn,
                resource.name,
                options,
                None,
                config_of(policy.name),
            )
            policy.validate(args, report)
    else:
        policy.validate(pulumi_policy.StackValidationArgs(list(resources.values()), config_of(policy.name)), report)

print(
    json.dumps({"name": recorded["name"], "policies": [p.name for p in recorded["policies"]], "violations": violations})
)
