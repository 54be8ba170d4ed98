"""ml-serving: declare the model deployments of the selected stack (stacks/Pulumi.<stack>.yaml)."""

from components.program import declare_deployments, stack_config_from_pulumi

declare_deployments(stack_config_from_pulumi())
