"""Traffic arithmetic of an endpoint: the split sent with a deploy and with an undeploy.

Vertex AI's ``Endpoint.traffic_split`` maps deployed model ids to percentages that add up to 100, or is empty when
the endpoint serves nothing (aiplatform_v1 ``Endpoint.traffic_split``; ``"0"`` names the model being deployed in a
``DeployModelRequest``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence


def traffic_split_for_new_model(deployed_ids: Iterable[str]) -> dict[str, int]:
    """Traffic split of a deploy: 100 to the new model (``"0"``), 0 to every model already deployed.

    The old models stay deployed (Pulumi deletes a replaced deployment only after its replacement is
    created), so traffic moves in one step and nothing is left without a serving model.
    """
    split = {str(deployed_id): 0 for deployed_id in deployed_ids}
    split["0"] = 100
    return split


def traffic_split_after_undeploy(
    current: Mapping[str, int], removed: str, remaining: Sequence[str]
) -> dict[str, int] | None:
    """Traffic split to send with an undeploy of ``removed``, or ``None`` to send none.

    Vertex AI undeploys a model only if it has no traffic or the request's split unassigns it; the split
    must add up to 100, except when the last model goes (the endpoint's split then becomes empty). The
    removed model's share goes to the ``remaining`` models in proportion to their current shares (evenly
    when they all have 0), rounded with the largest-remainder method.
    """
    if not int(current.get(removed, 0)) or not remaining:
        return None
    shares = {rid: int(current.get(rid, 0)) for rid in remaining}
    total = sum(shares.values())
    weights = shares if total else dict.fromkeys(remaining, 1)
    weight_sum = sum(weights.values())
    exact = {rid: 100 * w / weight_sum for rid, w in weights.items()}
    split = {rid: int(value) for rid, value in exact.items()}
    leftover = 100 - sum(split.values())
    for rid in sorted(remaining, key=lambda r: (split[r] - exact[r], r))[:leftover]:
        split[rid] += 1
    return split
