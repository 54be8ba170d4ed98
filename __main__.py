"""ml-serving: declare the model deployments of the selected stack (stacks/Pulumi.<stack>.yaml)."""

from components.gc_settings import tune_for_program_run
from components.program import declare_deployments, stack_config_from_pulumi

tune_for_program_run()
declare_deployments(stack_config_from_pulumi())
