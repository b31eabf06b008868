"""
The ``twistd yarnemu`` options that let the real clients of the interop cache work against the
service: Hadoop RPC on loopback, containers as this machine's processes, WebHDFS JSON without
``Content-Type`` (the shaded Java WebHDFS client cannot parse it), the cache's descriptor set, and
a cluster ``yarn.application.classpath`` naming the cache's Hadoop jars — which containers find in
the ``yarn-site.xml`` of their ``HADOOP_CONF_DIR``, so that Flink's JobManager gives its
TaskManagers Hadoop's classes, as a real cluster's yarn-site does.
"""

from yarnemu.interop.classpaths import application_classpath

__all__ = ["DEFAULT_RPC_LISTEN", "interop_service_options"]

DEFAULT_RPC_LISTEN = "tcp:8032:interface=127.0.0.1"
"""``yarn.resourcemanager.address``'s port, on loopback only."""


def interop_service_options(cache, rpc_listen=DEFAULT_RPC_LISTEN, java_home=None):
    """
    :param cache: the :class:`~yarnemu.interop.cache.InteropCache`.
    :param java_home: the JDK containers run with (``None``: the service's ``JAVA_HOME``, or
        its ``java`` on ``PATH``).
    :return: the options, a list of arguments.
    """
    options = [
        "--hadoop-rpc", rpc_listen,
        "--container-executor", "process",
        "--webhdfs-no-content-type",
        "--hadoop-descriptors", cache.descriptors,
        "-D", f"yarn.application.classpath={application_classpath(cache)}",
    ]
    if java_home is not None:
        options += ["--java-home", java_home]
    return options
