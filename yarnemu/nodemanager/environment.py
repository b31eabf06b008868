"""
A container's environment, as the NodeManager builds it: the launch context's variables with
YARN's expansion (``<LOG_DIR>`` → the container's log directory, ``<CPS>`` → the classpath
separator, ``{{VAR}}`` → the variable's value), then the variables the NodeManager itself sets
(``CONTAINER_ID``, ``NM_HOST``, ``NM_PORT``, ``NM_HTTP_PORT``, ``LOCAL_DIRS``, ``LOG_DIRS``,
``USER``, ``LOGNAME``, ``HOME``, ``PWD``, ``HADOOP_CONF_DIR``…), which a launch context cannot
override.  Containers that run as processes of this machine also inherit a few of its variables
(``yarn.nodemanager.env-whitelist``: ``JAVA_HOME``, ``PATH``…), which a launch context may
override and refer to.
"""

import re

__all__ = ["container_environment", "expand", "expand_markers", "CLASS_PATH_SEPARATOR"]

CLASS_PATH_SEPARATOR = ":"
_CROSS_PLATFORM = re.compile(r"\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}")
_SHELL = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def expand_markers(text, log_dir=None):
    """
    What the NodeManager replaces in commands and environment values before any shell sees them
    (``ContainerLaunch.expandEnvironment``): ``<LOG_DIR>`` (when given), ``<CPS>``, and
    ``{{VAR}}``, which becomes ``${VAR}``.
    """
    text = text.replace("<CPS>", CLASS_PATH_SEPARATOR)
    if log_dir is not None:
        text = text.replace("<LOG_DIR>", str(log_dir))
    return _CROSS_PLATFORM.sub(r"${\1}", text)


def expand(text, environment, log_dir=None):
    """
    Expand an environment value as the container's launch script does: the markers of
    :func:`expand_markers`, then ``$VAR`` and ``${VAR}`` (to ``""`` for unset variables, as a
    shell does), in one pass, so that a value is never expanded twice.
    """
    def variable(match):
        return environment.get(match.group(1) or match.group(2), "")

    return _SHELL.sub(variable, expand_markers(text, log_dir))


def container_environment(user_environment, nm_environment, log_dir=None, inherited=None):
    """
    :param user_environment: the launch context's variables, in their order.
    :param nm_environment: the NodeManager's variables for this container.
    :param log_dir: the container's log directory, for ``<LOG_DIR>``.
    :param inherited: variables the container inherits from the machine, if any.
    :return: the container's environment: user variables expanded against the inherited ones,
        the NodeManager's and the user variables before them, then the NodeManager's variables on
        top; inherited variables come first and only stay where no other variable replaced them.
    """
    environment = {**inherited, **nm_environment} if inherited else dict(nm_environment)
    for name, value in user_environment.items():
        if name not in nm_environment:
            environment[name] = expand(str(value), environment, log_dir)
    return environment
