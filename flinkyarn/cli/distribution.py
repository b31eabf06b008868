"""
The Flink distribution (``FLINK_HOME``) the ``flinkyarn`` command ships, and the configuration
it starts from.

* ``FLINK_HOME`` is ``$FLINK_HOME`` if set, else ``flinkyarn/flink`` in the user's cache
  directory (``$XDG_CACHE_HOME``, else ``~/.cache``). A directory without a distribution gets one
  generated (:meth:`~flinkyarn.client.flink_home.FlinkHome.create`).
* Its size (``flinkyarn.simulation.dist.size``: ``realistic``, the size of Flink's release, or
  ``tiny``) is the one the command line's ``-D`` or the distribution's ``flink-conf.yaml`` sets;
  when neither does, an existing distribution keeps the size it has and a new one is
  ``realistic``. (The jars are sparse files: resizing them costs nothing.)
* The configuration is the distribution's ``conf/flink-conf.yaml``, as ``GlobalConfiguration``
  loads it, with the command line's settings over it.
"""

import os

from flinkyarn.client.flink_home import DIST_JAR_NAME, LIB_FILES, FlinkHome, tiny_size
from flinkyarn.config import LEGACY_CONFIG_FILE_NAME, parse_flink_conf
from flinkyarn.config import options as o

__all__ = ["flink_home_directory", "open_flink_home", "FLINK_HOME_ENV"]

FLINK_HOME_ENV = "FLINK_HOME"

_DIST_JAR_SIZE = next(entry.size for entry in LIB_FILES if entry.path.endswith(DIST_JAR_NAME))


def flink_home_directory(environ):
    """:return: the ``FLINK_HOME`` directory for the environment ``environ`` (a mapping)."""
    if environ.get(FLINK_HOME_ENV):
        return os.path.abspath(environ[FLINK_HOME_ENV])
    cache = environ.get("XDG_CACHE_HOME") or os.path.join(
        environ.get("HOME") or os.path.expanduser("~"), ".cache")
    return os.path.join(cache, "flinkyarn", "flink")


def _configured_size(directory):
    path = os.path.join(directory, "conf", LEGACY_CONFIG_FILE_NAME)
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as stream:
        return parse_flink_conf(stream.read(), path).get(o.SIM_DIST_SIZE.key)


def _existing_size(directory):
    jar = os.path.join(directory, "lib", DIST_JAR_NAME)
    if not os.path.isfile(jar):
        return None
    return "tiny" if os.path.getsize(jar) == tiny_size(_DIST_JAR_SIZE) else "realistic"


def open_flink_home(directory, dynamic_properties):
    """
    :param directory: ``FLINK_HOME``.
    :param dynamic_properties: the command line's settings, key → value.
    :return: the :class:`~flinkyarn.client.flink_home.FlinkHome` there, generated or completed
        at its size (see the module docstring).
    :raise IllegalConfigurationException: for a malformed ``flink-conf.yaml`` or an unknown
        size.
    """
    size = (dynamic_properties.get(o.SIM_DIST_SIZE.key) or _configured_size(directory)
            or _existing_size(directory) or o.SIM_DIST_SIZE.default)
    return FlinkHome.create(directory, size)
