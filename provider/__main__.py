"""The ml-serving component provider: hosts ``ModelDeployment`` for other Pulumi languages.

Pulumi runs this file (``python provider/ <engine address>``) in ``provider/venv``, which it creates from
``provider/requirements.txt``, when a consumer runs ``pulumi package add`` (to read the schema and generate an
SDK) and on every ``pulumi preview`` / ``up`` of a program that declares a ``ml-serving:index:ModelDeployment``.
See ``provider/README.md``.
"""

# components.multilang must be imported before pulumi.provider: it points the SDK's google.rpc.Status at
# googleapis' definition, which the Vertex AI client loads (see components.multilang.share_rpc_status).
from components import __version__
from components.gc_settings import tune_for_program_run
from components.multilang import PACKAGE, ModelDeployment

# isort: split
from pulumi.provider.experimental import component_provider_host

NAMESPACE = "acme"
"""The package namespace: the generated SDKs are named after it (e.g. ``@acme/ml-serving`` for TypeScript)."""


def main() -> None:
    """Serve the component provider until the engine stops it. The process lives for one ``preview`` / ``up`` of
    the consumer's program and holds the components it constructs: the collector is tuned as for our own program
    (:mod:`components.gc_settings`)."""
    tune_for_program_run()
    component_provider_host([ModelDeployment], name=PACKAGE, namespace=NAMESPACE, version=__version__)


if __name__ == "__main__":
    main()
