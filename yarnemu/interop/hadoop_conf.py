"""
Hadoop client configuration directories (``HADOOP_CONF_DIR``) pointing a real Java client at a
running service: ``yarn-site.xml`` with the ResourceManager's RPC address, ``core-site.xml`` with
the default filesystem, and a ``log4j2.properties`` that keeps the client's log on stderr at WARN
(so that a command's standard output is only what it prints).

The RPC address comes from the service's endpoints file (its ``"rpc"`` entry, see
:func:`rpc_address`).  The client gives up on an unreachable ResourceManager after
:data:`CLIENT_YARN_SITE`'s ``yarn.resourcemanager.connect.max-wait.ms`` (5 s) instead of
Hadoop's 15 minutes.
"""

import os
from xml.sax.saxutils import escape

__all__ = ["CLIENT_YARN_SITE", "CLIENT_CORE_SITE", "configuration_xml", "rpc_address",
           "write_hadoop_conf"]

CLIENT_YARN_SITE = {
    "yarn.resourcemanager.connect.max-wait.ms": "5000",
    "yarn.resourcemanager.connect.retry-interval.ms": "500",
}
"""yarn-site settings every client configuration gets (fail within seconds, not minutes)."""

CLIENT_CORE_SITE = {
    "ipc.client.connect.max.retries": "1",
    "ipc.client.connect.retry.interval": "200",
}
"""core-site settings every client configuration gets (one quick connection retry)."""

_LOG4J2_PROPERTIES = """\
# The Java client's own log: warnings and errors on stderr; stdout is what the command prints.
status = warn
appender.stderr.type = Console
appender.stderr.name = stderr
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = %d{HH:mm:ss,SSS} %p %c{1}: %m%n
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = stderr
"""


def configuration_xml(properties):
    """
    :param properties: name → value, in the order to write them.
    :return: a Hadoop ``<configuration>`` document holding them.
    """
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<configuration>"]
    for name, value in properties.items():
        lines.append(f"  <property><name>{escape(str(name))}</name>"
                     f"<value>{escape(str(value))}</value></property>")
    lines.append("</configuration>")
    return "\n".join(lines) + "\n"


def rpc_address(urls):
    """
    :param urls: a service's endpoints (:func:`~yarnemu.service.endpoints_file.read_endpoints`).
    :return: the ResourceManager's RPC ``host:port``, from the ``"rpc"`` entry (a ``host:port``,
        with or without a ``scheme://``).
    :raise KeyError: if the service serves no Hadoop RPC (no ``"rpc"`` entry).
    """
    if "rpc" not in urls:
        raise KeyError("the service's endpoints have no \"rpc\" entry: start it with "
                       "--hadoop-rpc")
    address = urls["rpc"]
    return address.split("://", 1)[1].rstrip("/") if "://" in address else address


def write_hadoop_conf(directory, rm_address, yarn=None, core=None, default_fs="file:///"):
    """
    Write a Hadoop client configuration directory.

    :param rm_address: ``yarn.resourcemanager.address`` (``host:port``).
    :param yarn: more yarn-site settings (they win over :data:`CLIENT_YARN_SITE`).
    :param core: more core-site settings (they win over :data:`CLIENT_CORE_SITE`).
    :param default_fs: ``fs.defaultFS``.
    :return: ``directory``.
    """
    os.makedirs(directory, exist_ok=True)
    yarn_site = {"yarn.resourcemanager.address": rm_address, **CLIENT_YARN_SITE, **(yarn or {})}
    core_site = {"fs.defaultFS": default_fs, **CLIENT_CORE_SITE, **(core or {})}
    for name, text in (("yarn-site.xml", configuration_xml(yarn_site)),
                       ("core-site.xml", configuration_xml(core_site)),
                       ("log4j2.properties", _LOG4J2_PROPERTIES)):
        with open(os.path.join(directory, name), "w", encoding="utf-8") as stream:
            stream.write(text)
    return directory
