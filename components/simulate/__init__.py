"""What-if autoscaling simulator and cost planner (``python -m components.simulate``).

Modules, one job each: ``traces`` (CSV and synthetic traces), ``deployments`` (the one translation from a stack's
deployment to :class:`~components.simulate.model.SimDeployment`), ``cloud_behaviour`` (named assumptions; the
documented cloud facts are read from ``components.facts``), ``schedules`` (scheduled-action expressions), ``engine`` (SageMaker target
tracking / Vertex autoscaler, queueing, the oracle), ``cost`` (dated price tables), ``evaluate`` (result rows),
``recommend`` (search and pre-warming), ``report`` / ``plot`` (Markdown and PNG), ``cost_diff`` (the pull-request
cost section). Nothing here declares resources or imports Pulumi.
"""
