"""
Errors of program compilation and of JobGraphs as values with names: each carries the Java
exception class Flink raises in the same situation, so that surfaces (REST ``{"errors": [...]}``,
CLI output) can report it in Flink's words from one place.
"""

from yarnemu.errors import RemoteError

__all__ = [
    "FlinkError",
    "IllegalArgumentException",
    "IllegalStateException",
    "UnsupportedOperationException",
    "InvalidJobGraphException",
]


class FlinkError(RemoteError):
    """
    An error a Flink user would see as a Java exception (message and Java class, as
    :class:`yarnemu.errors.RemoteError`).
    """

    java_class = "java.lang.Exception"


class IllegalArgumentException(FlinkError, ValueError):
    """A bad argument: a parallelism below 1, a duplicate ``uid``, ..."""

    java_class = "java.lang.IllegalArgumentException"


class IllegalStateException(FlinkError, RuntimeError):
    """A call that the current state does not allow (executing an empty program, ...)."""

    java_class = "java.lang.IllegalStateException"


class UnsupportedOperationException(FlinkError):
    """A pipeline Flink refuses to build (forward partitioning across parallelisms, ...)."""

    java_class = "java.lang.UnsupportedOperationException"


class InvalidJobGraphException(FlinkError, ValueError):
    """A JobGraph that is malformed, incomplete or of an unknown format version."""

    java_class = "org.apache.flink.runtime.client.JobSubmissionException"
