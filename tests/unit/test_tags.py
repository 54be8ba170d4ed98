"""GCP label values made from free text (project, stack, display names) follow the label value rule."""

from __future__ import annotations

import pytest

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
