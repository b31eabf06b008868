"""
The Java classpaths of the real clients, from the :class:`~yarnemu.interop.cache.InteropCache`.

- A Hadoop client (``ApplicationCLI``, our Java programs): the configuration directory first (so
  that ``yarn-site.xml`` and ``core-site.xml`` are found as resources), Hadoop's two shaded client
  jars, and slf4j/commons-logging/log4j to log with.
- Flink: its scripts build the classpath from ``FLINK_HOME/lib`` and add ``$HADOOP_CLASSPATH`` —
  which is Hadoop's two client jars only (Flink brings its own slf4j and log4j).
- Containers: ``yarn.application.classpath`` is what YARN applications (Flink's client for its
  JobManager, the JobManager for its TaskManagers) add to a container's ``CLASSPATH``: the
  container's own ``{{HADOOP_CONF_DIR}}`` (Hadoop's cross-platform form, expanded when the
  container starts) and the same two jars, at their absolute paths on this machine.
"""

import os

__all__ = ["hadoop_client_classpath", "flink_hadoop_classpath", "application_classpath"]


def hadoop_client_classpath(cache, conf_dir, *more):
    """:return: the classpath (a list of paths) of a Java Hadoop client using ``conf_dir``."""
    return [conf_dir, *cache.hadoop_client_jars(), *cache.logging_jars(), *more]


def flink_hadoop_classpath(cache):
    """:return: ``HADOOP_CLASSPATH`` for Flink's scripts (a ``:``-joined string)."""
    return os.pathsep.join(cache.hadoop_client_jars())


def application_classpath(cache):
    """:return: the value of ``yarn.application.classpath`` (comma-separated)."""
    return ",".join(["{{HADOOP_CONF_DIR}}", *cache.hadoop_client_jars()])
