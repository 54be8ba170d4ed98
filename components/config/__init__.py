"""Typed, validated models of a stack file's `ml-serving:` config.

All validation lives in this package: :func:`load_stack_config` reports every problem of a stack file at once
as a :class:`ConfigError` (file, key path, what is wrong, how to fix it), before any resource is declared.
"""

from .async_options import AsyncOptions
from .deployment import AcceleratorSpec, DeploymentConfig
from .problems import ConfigError, Problem
from .rollout import RollbackAlarms, RolloutConfig
from .sagemaker import SageMakerOptions, VpcOptions
from .sagemaker_serving import ContainerSpec, MultiModelOptions, VariantSpec
from .scaling import ScalingConfig, ScheduledScaling
from .stack import (
    NAMESPACE,
    StackConfig,
    StackDefaults,
    load_stack_config,
    load_stack_file,
    read_stack_file,
    stack_name_of,
)
from .vertex import VertexOptions

__all__ = [
    "NAMESPACE",
    "AcceleratorSpec",
    "AsyncOptions",
    "ConfigError",
    "ContainerSpec",
    "DeploymentConfig",
    "MultiModelOptions",
    "Problem",
    "RollbackAlarms",
    "RolloutConfig",
    "SageMakerOptions",
    "ScalingConfig",
    "ScheduledScaling",
    "StackConfig",
    "StackDefaults",
    "VariantSpec",
    "VertexOptions",
    "VpcOptions",
    "load_stack_config",
    "load_stack_file",
    "read_stack_file",
    "stack_name_of",
]
