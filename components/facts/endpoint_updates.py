"""SageMaker endpoint updates and Application Auto Scaling: the facts the endpoint lifecycle relies on.

Plain data, no imports beyond the standard library (the policy pack's virtualenv can import it).
"""

from __future__ import annotations

# DescribeEndpoint ``EndpointStatus`` values (botocore sagemaker/2017-07-24 service-2.json, shape EndpointStatus;
# https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html).
ENDPOINT_IN_SERVICE = "InService"
ENDPOINT_TRANSITIONAL_STATUSES = frozenset({"Creating", "Updating", "SystemUpdating", "RollingBack"})
"""Statuses an update passes through; the waiter keeps polling while the endpoint is in one of them."""
ENDPOINT_FAILED_STATUSES = frozenset({"Failed", "UpdateRollbackFailed", "OutOfService", "Deleting"})
"""Statuses in which an update has ended without the endpoint serving the requested configuration."""

LIFECYCLE_REPLACE_KEYS: tuple[str, ...] = ("endpoint_name", "region")
"""Inputs of ml-serving's endpoint lifecycle resource (``components.aws.endpoint_lifecycle``) whose change replaces
it: another endpoint. Every other input (configuration, rollout and rollback settings) is an update-time parameter
of UpdateEndpoint (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateEndpoint.html)."""

# The scalable target of a variant (namespace, dimension, resource id) is in components.facts.aws.

# "Update endpoints that use auto scaling" (SageMaker developer guide, checked;
# https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-scaling-update.html): "If the update would change the
# instance type for any model that is a target for auto scaling, the update fails"; its note makes deregistering
# necessary for two changes only: the instance type of an autoscaled variant, and removing an autoscaled variant.
# Changing only the model is allowed. DeregisterScalableTarget also deletes the target's scaling policies and
# scheduled actions (DeregisterScalableTarget API reference).
AUTOSCALED_VARIANT_CHANGE_REFUSED = (
    'The variant(s) "[{variants}]" must be deregistered as scalable targets with AWS Application Auto Scaling '
    "before they can be removed or have their instance type updated."
)
"""The fake's ValidationException text for such an update. The refusal is documented; its exact wording is not
(recalled, not found in AWS docs, botocore, terraform-provider-aws or SDK issues): nothing matches on it, the
lifecycle deregisters the variants before ``UpdateEndpoint`` instead of reacting to the error."""


# IAM actions the endpoint lifecycle calls (IAM action name = API operation name for these services: Service
# Authorization Reference, "Actions defined by Amazon SageMaker / Application Auto Scaling / Amazon CloudWatch").
# For the deployer policy of the identity that runs `pulumi up`.
LIFECYCLE_ACTIONS: dict[str, tuple[str, ...]] = {
    "sagemaker": (
        "DescribeEndpoint",
        "DescribeEndpointConfig",
        "UpdateEndpoint",
        "DeleteEndpointConfig",
        "DeleteModel",
    ),
    "application-autoscaling": (
        "DescribeScalableTargets",
        "DescribeScalingPolicies",
        "DescribeScheduledActions",
        "RegisterScalableTarget",
        "DeregisterScalableTarget",
        "PutScalingPolicy",
        "PutScheduledAction",
    ),
    "cloudwatch": ("DescribeAlarms", "PutMetricAlarm"),
}
"""``{IAM service prefix: actions}`` the lifecycle's provider calls (checked against botocore and the fake's log)."""
