"""
The errors of Flink's client side, each carrying the Java class Flink raises in the same
situation, so that every surface (CLI output, scenario expectations) reports it in Flink's words.
"""

from flinkyarn.graph.errors import FlinkError

__all__ = [
    "ClusterDeploymentException",
    "ClusterRetrieveException",
    "YarnDeploymentException",
    "FlinkRuntimeException",
    "JobSubmissionException",
]


class ClusterDeploymentException(FlinkError):
    """
    A cluster could not be deployed (``Couldn't deploy Yarn session cluster``, ...); the reason is
    its ``__cause__``, as Java's ``Caused by:``.
    """

    java_class = "org.apache.flink.client.deployment.ClusterDeploymentException"


class ClusterRetrieveException(FlinkError):
    """A running cluster could not be found (``Couldn't retrieve Yarn cluster``)."""

    java_class = "org.apache.flink.client.deployment.ClusterRetrieveException"


class YarnDeploymentException(FlinkError):
    """What went wrong while deploying on YARN (the descriptor's private exception class)."""

    java_class = "org.apache.flink.yarn.YarnClusterDescriptor$YarnDeploymentException"


class FlinkRuntimeException(FlinkError):
    """Flink's unchecked exception, e.g. a second ``execute()`` where only one job is allowed."""

    java_class = "org.apache.flink.util.FlinkRuntimeException"


class JobSubmissionException(FlinkError):
    """A JobGraph the cluster did not take (``Failed to submit JobGraph.``); see its cause."""

    java_class = "org.apache.flink.runtime.client.JobSubmissionException"
