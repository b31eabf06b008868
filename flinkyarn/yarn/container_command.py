"""
What the JobManager's and the TaskManagers' YARN containers have in common: how Flink fills the
start command template (``BootstrapTools.getStartCommand``), which ``env.java.*opts*`` keys it
reads for a process, how ``containerized.*.env.*`` settings become environment variables, and
the ``CLASSPATH`` (Flink's own classpath, then ``yarn.application.classpath``).
"""

from flinkyarn.config.java_hash_map import hash_map_order

__all__ = [
    "LOG_DIR",
    "IGNORE_UNRECOGNIZED_VM_OPTIONS",
    "DEFAULT_YARN_APPLICATION_CLASSPATH",
    "CLASSPATH_SEPARATOR",
    "start_command",
    "jvm_options",
    "prefixed_environment",
    "container_classpath",
]

LOG_DIR = "<LOG_DIR>"
"""YARN's ``ApplicationConstants.LOG_DIR_EXPANSION_VAR``: the NodeManager puts the log dir here."""

IGNORE_UNRECOGNIZED_VM_OPTIONS = "-XX:+IgnoreUnrecognizedVMOptions"

CLASSPATH_SEPARATOR = ":"

DEFAULT_YARN_APPLICATION_CLASSPATH = (
    "$HADOOP_CONF_DIR",
    "$HADOOP_COMMON_HOME/share/hadoop/common/*",
    "$HADOOP_COMMON_HOME/share/hadoop/common/lib/*",
    "$HADOOP_HDFS_HOME/share/hadoop/hdfs/*",
    "$HADOOP_HDFS_HOME/share/hadoop/hdfs/lib/*",
    "$HADOOP_YARN_HOME/share/hadoop/yarn/*",
    "$HADOOP_YARN_HOME/share/hadoop/yarn/lib/*",
)
"""Hadoop's ``YarnConfiguration.DEFAULT_YARN_APPLICATION_CLASSPATH``."""


def start_command(template, values):
    """
    Fill a start command template as ``BootstrapTools.getStartCommand`` does: each ``%key%`` is
    replaced in the order Flink's ``HashMap`` iterates ``values``, double spaces collapsed and the
    ends trimmed after each replacement.

    :param values: key → value, in the order Flink puts them.
    """
    for key in hash_map_order(values):
        template = template.replace(f"%{key}%", values[key]).replace("  ", " ").strip()
    return template


def jvm_options(config, process):
    """
    :param str process: ``"jobmanager"`` or ``"taskmanager"``.
    :return: the process's JVM options in the order Flink concatenates them
        (``env.java.default-opts.all``, ``env.java.opts.all``, then the process's own
        ``env.java.default-opts.<process>`` and ``env.java.opts.<process>``; the older
        ``env.java.default-opts`` and ``env.java.opts`` stand in for the ``.all`` keys), blank
        values skipped, then ``-XX:+IgnoreUnrecognizedVMOptions``.
    """
    keys = (
        ("env.java.default-opts.all", "env.java.default-opts"),
        ("env.java.opts.all", "env.java.opts"),
        (f"env.java.default-opts.{process}",),
        (f"env.java.opts.{process}",),
    )
    options = []
    for names in keys:
        for name in names:
            value = config.get_raw(name)
            if value is not None and str(value).strip():
                options.append(str(value).strip())
                break
    options.append(IGNORE_UNRECOGNIZED_VM_OPTIONS)
    return " ".join(options)


def prefixed_environment(config, prefix):
    """
    :return: the environment variables set by ``<prefix>NAME: value`` settings (e.g.
        ``containerized.master.env.``), prefix stripped, in the configuration's order.
    """
    return {key[len(prefix):]: str(value) for key, value in config.items()
            if key.startswith(prefix) and len(key) > len(prefix)}


def container_classpath(flink_classpath, yarn_classpath=None):
    """
    :param str flink_classpath: ``_FLINK_CLASSPATH``.
    :param yarn_classpath: ``yarn.application.classpath`` entries, or ``None`` for Hadoop's
        default.
    :return: the container's ``CLASSPATH``: Flink's classpath, then YARN's entries, trimmed.
    """
    entries = [flink_classpath]
    entries.extend(entry.strip() for entry in (yarn_classpath or DEFAULT_YARN_APPLICATION_CLASSPATH)
                   if entry.strip())
    return CLASSPATH_SEPARATOR.join(entries)
