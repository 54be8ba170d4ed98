"""Resolution: a validated deployment config becomes a frozen, fully defaulted deployment per cloud.

Every default and derived value (instance type, GPUs, vCPUs, variants, targets, names, tags) is decided here once;
components only wire resources from the resolved deployment and never re-derive a value.

- :mod:`components.resolve.aws`: ``ResolvedSageMaker``.
- :mod:`components.resolve.gcp`: ``ResolvedVertex``.
"""
