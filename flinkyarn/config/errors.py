"""
:class:`IllegalConfigurationException`: the one error of Flink's configuration, named as Flink names
it so that every surface can report it in its native shape.
"""

from yarnemu.errors import ConfigurationException

__all__ = ["IllegalConfigurationException"]


class IllegalConfigurationException(ConfigurationException):
    """
    A Flink configuration value that does not parse, is out of range, or does not add up with
    the others; the message names the key (and the bad value) as Flink's messages do.

    :ivar tuple problems: one message per problem found; a single error has one.
    """

    java_class = "org.apache.flink.configuration.IllegalConfigurationException"

    def __init__(self, message, problems=None):
        super().__init__(message)
        self.problems = tuple(problems) if problems is not None else (message,)
