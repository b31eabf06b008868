"""
Errors as values with names: each carries the Java exception class that Hadoop raises in the same
situation, so every surface (Python API, REST ``RemoteException``, later Hadoop RPC) can report it
in its native shape from one place.
"""

__all__ = [
    "RemoteError",
    "YarnException",
    "YarnRuntimeException",
    "InvalidResourceRequestException",
    "InvalidApplicationMasterRequestException",
    "ApplicationNotFoundException",
    "ApplicationAttemptNotFoundException",
    "ApplicationMasterNotRegisteredException",
    "ContainerNotFoundException",
    "InvalidContainerReleaseException",
    "InvalidResourceBlacklistRequestException",
    "InvalidStateTransitionException",
    "NodeNotFoundException",
    "QueueNotFoundException",
    "IllegalArgumentException",
    "ConfigurationException",
]


class RemoteError(Exception):
    """
    An error that a remote client of Hadoop would see as a Java exception.

    :ivar str message: the human-readable message, worded as Hadoop words it.
    :cvar str java_class: the fully qualified Java class name.
    """

    java_class = "java.lang.Exception"

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    @classmethod
    def exception_name(cls):
        """
        :return: the simple Java class name, as in a ``RemoteException``'s ``exception`` field.
        """
        return cls.java_class.rsplit(".", 1)[-1]

    def __eq__(self, other):
        return type(self) is type(other) and self.message == other.message

    def __hash__(self):
        return hash((type(self), self.message))


class IllegalArgumentException(RemoteError):
    """A malformed argument, such as an id that does not parse."""

    java_class = "java.lang.IllegalArgumentException"


class ConfigurationException(RemoteError, ValueError):
    """A configuration value that is missing, of the wrong type or out of range; names the key."""

    java_class = "java.lang.IllegalArgumentException"


class YarnException(RemoteError):
    java_class = "org.apache.hadoop.yarn.exceptions.YarnException"


class YarnRuntimeException(RemoteError):
    java_class = "org.apache.hadoop.yarn.exceptions.YarnRuntimeException"


class InvalidResourceRequestException(YarnException):
    java_class = "org.apache.hadoop.yarn.exceptions.InvalidResourceRequestException"


class InvalidApplicationMasterRequestException(YarnException):
    java_class = "org.apache.hadoop.yarn.exceptions.InvalidApplicationMasterRequestException"


class ApplicationNotFoundException(YarnException):
    java_class = "org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException"


class ApplicationAttemptNotFoundException(YarnException):
    java_class = "org.apache.hadoop.yarn.exceptions.ApplicationAttemptNotFoundException"


class ApplicationMasterNotRegisteredException(YarnException):
    java_class = "org.apache.hadoop.yarn.exceptions.ApplicationMasterNotRegisteredException"


class ContainerNotFoundException(YarnException):
    java_class = "org.apache.hadoop.yarn.exceptions.ContainerNotFoundException"


class InvalidContainerReleaseException(YarnException):
    java_class = "org.apache.hadoop.yarn.exceptions.InvalidContainerReleaseException"


class InvalidResourceBlacklistRequestException(YarnException):
    java_class = "org.apache.hadoop.yarn.exceptions.InvalidResourceBlacklistRequestException"


class NodeNotFoundException(YarnException):
    """Not a Hadoop class of its own: YARN reports an unknown node as a ``YarnException``."""

    java_class = "org.apache.hadoop.yarn.exceptions.YarnException"


class QueueNotFoundException(YarnException):
    """``getQueueInfo`` for a queue the scheduler does not have."""

    java_class = "java.io.IOException"


class InvalidStateTransitionException(YarnRuntimeException):
    """
    An input that a lifecycle's transition table does not allow in the current state.

    :ivar state: the state the machine was in.
    :ivar event: the input it refused.
    """

    java_class = "org.apache.hadoop.yarn.state.InvalidStateTransitionException"

    def __init__(self, state, event):
        super().__init__(f"Invalid event: {_name(event)} at {_name(state)}")
        self.state = state
        self.event = event


def _name(value):
    return getattr(value, "name", value)
