"""
Hadoop's ``*-site.xml`` format: a ``<configuration>`` of ``<property>`` name/value pairs, as
``Configuration.writeXml`` writes it and every Hadoop client reads it from ``HADOOP_CONF_DIR``.
"""

from xml.sax.saxutils import escape

__all__ = ["site_xml"]


def site_xml(properties):
    """
    :param properties: name → value (values are written with ``str``), in the order to write.
    :return: the file's text.
    """
    lines = ['<?xml version="1.0" encoding="UTF-8" standalone="no"?>', "<configuration>"]
    for name, value in properties.items():
        lines.append(f"<property><name>{escape(str(name))}</name>"
                     f"<value>{escape(str(value))}</value></property>")
    lines.append("</configuration>")
    return "\n".join(lines) + "\n"
