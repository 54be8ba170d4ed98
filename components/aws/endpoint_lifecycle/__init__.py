"""SageMaker endpoint updates that never surprise: a dynamic provider on boto3 (see :mod:`.provider`).

Modules: :mod:`.provider` (the resource and its provider; its module path and class names are part of the state
contract), :mod:`.rollover` (the update itself), :mod:`.scaling_hold` (autoscaling held aside and put back),
:mod:`.waiter` (bounded polling, throttling), :mod:`.errors`.
"""

from .errors import EndpointUpdateError
from .provider import EndpointLifecycleProvider, SageMakerEndpointLifecycle

__all__ = ["EndpointLifecycleProvider", "EndpointUpdateError", "SageMakerEndpointLifecycle"]
