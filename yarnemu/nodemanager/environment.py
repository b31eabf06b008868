"""
A container's environment, as the NodeManager builds it: the launch context's variables with
YARN's cross-platform expansion (``{{VAR}}`` → the variable's value, ``<CPS>`` → the classpath
separator), then the variables the NodeManager itself sets (``CONTAINER_ID``, ``NM_HOST``,
``NM_PORT``, ``NM_HTTP_PORT``, ``LOCAL_DIRS``, ``LOG_DIRS``, ``USER``, ``LOGNAME``, ``HOME``,
``PWD``, ``HADOOP_CONF_DIR``, ``JAVA_HOME``…), which a launch context cannot override.
"""

import re

__all__ = ["container_environment", "expand", "CLASS_PATH_SEPARATOR"]

CLASS_PATH_SEPARATOR = ":"
_CROSS_PLATFORM = re.compile(r"\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}")
_SHELL = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def expand(text, environment, log_dir=None):
    """
    Expand what a container launch would expand in ``text``: ``<CPS>``, ``<LOG_DIR>`` (when
    given), ``{{VAR}}``, ``$VAR`` and ``${VAR}`` (to ``""`` for unset variables, as a shell does).
    """
    text = text.replace("<CPS>", CLASS_PATH_SEPARATOR)
    if log_dir is not None:
        text = text.replace("<LOG_DIR>", str(log_dir))

    def variable(match):
        return environment.get(match.group(1) or match.group(2) or "", "")

    text = _CROSS_PLATFORM.sub(lambda m: environment.get(m.group(1), ""), text)
    return _SHELL.sub(variable, text)


def container_environment(user_environment, nm_environment):
    """
    :param user_environment: the launch context's variables, in their order.
    :param nm_environment: the NodeManager's variables for this container.
    :return: the container's environment: user variables expanded against the NodeManager's and
        the user variables before them, then the NodeManager's variables on top.
    """
    environment = dict(nm_environment)
    for name, value in user_environment.items():
        if name not in nm_environment:
            environment[name] = expand(str(value), environment)
    return environment
