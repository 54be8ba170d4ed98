"""Cloud facts, each written once with its source.

The modules of this package hold plain data and tiny pure helpers: what the clouds' APIs accept, which metric they
publish under which name and dimensions, which property of a resource type forces a replacement. They import
nothing heavy (no Pulumi, no cloud SDK), so that the policy pack's own virtualenv can import them, and every
other part of ml-serving (config validation, resolution, components, the Vertex provider, the mock runtime, the
plan diff, the policy pack, the README tables) reads the facts from here instead of restating them.

- :mod:`components.facts.aws`: SageMaker, Application Auto Scaling, CloudWatch, S3, SNS, IAM, KMS.
- :mod:`components.facts.endpoint_updates`: SageMaker endpoint statuses during an update, the IAM actions of the
  endpoint lifecycle, SageMaker's refusal of an instance-type change of an autoscaled variant.
- :mod:`components.facts.gcp`: Vertex AI, Cloud Storage, Cloud Monitoring, IAM.
- :mod:`components.facts.resource_types`: per Pulumi resource type, the properties that force a replacement,
  whether it holds user data, and which property Pulumi auto-names.

Each entry names its source (API reference URL, botocore service model or aiplatform proto) in a short comment.
"""
