"""GCP label values made from free text (project, stack, display names) follow the label value rule."""

from __future__ import annotations

import pytest
from builders import gcp_deployment, stack_values

from components.config import ConfigError, load_stack_config
from components.facts.gcp import LABEL_VALUE
from components.tags import gcp_labels, label_value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ranker", "ranker"),
        ("Acme ML/Prod", "acme-ml-prod"),
        ("team_a-1", "team_a-1"),
        ("café", "caf-"),
        ("", ""),
        ("x" * 64, "x" * 63),  # label values hold at most 63 characters
    ],
)
def test_label_value(value, expected):
    assert label_value(value) == expected
    assert LABEL_VALUE.match(label_value(value))


def test_gcp_labels_are_valid_label_values():
    labels = gcp_labels("ML-Serving", "Prod", "ranker", {"team": "Search Team"})
    assert labels == {
        "project": "ml-serving",
        "stack": "prod",
        "deployment": "ranker",
        "managed-by": "ml-serving",
        "team": "search-team",
    }


def test_a_vertex_deployment_leaves_room_for_the_standard_and_the_provider_labels():
    # A Vertex model takes 64 labels; ml-serving adds project, stack, deployment and managed-by, and the model
    # deployment provider adds its four ownership labels: 56 are left for the stack file's tags.
    fits = {f"team-{n}": "ml" for n in range(56)}
    load_stack_config(stack_values(gcp_deployment(tags=fits)), "test")
    with pytest.raises(ConfigError) as caught:
        load_stack_config(stack_values(gcp_deployment(tags={**fits, "team-56": "ml"})), "test")
    assert "57 tags; a Vertex model takes at most 64 labels" in str(caught.value)
    assert "keep 56 tags or fewer" in str(caught.value)
