"""
Flink client configuration directories (``FLINK_CONF_DIR``) for deploying real Flink onto a
running service: the distribution's ``conf/`` (log4j and logback files) with its ``config.yaml``
plus :data:`INTEROP_FLINK_CONFIG` and the caller's settings.

``config.yaml`` is written flat (``a.b.c: value``, which Flink 2.x reads as it reads nested keys),
after flattening the distribution's nested file, so that a setting given here replaces the
distribution's instead of standing beside it.  The distribution's ``bind-host: localhost``
settings stay: Flink's YARN client removes them from what it ships, as on a real cluster.
"""

import os
import shutil

import yaml

__all__ = ["INTEROP_FLINK_CONFIG", "flatten", "write_flink_conf"]

INTEROP_FLINK_CONFIG = {
    # Smaller than the distribution's 1600m / 1728m: two JVMs per session on a 2-core machine.
    "jobmanager.memory.process.size": "1024m",
    "taskmanager.memory.process.size": "1024m",
    "taskmanager.memory.managed.size": "128m",
    # A failed JobManager fails the test at once instead of being retried.
    "yarn.application-attempts": 1,
}
"""What the interop suite sets over the distribution's ``config.yaml``."""


def flatten(mapping, prefix=""):
    """:return: a nested ``config.yaml`` mapping as ``{"a.b.c": value}``."""
    flat = {}
    for key, value in mapping.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def write_flink_conf(directory, flink_home, staging_directory, settings=None):
    """
    Write a Flink configuration directory.

    :param flink_home: the ``FLINK_HOME`` whose ``conf/`` to start from.
    :param staging_directory: ``yarn.staging-directory`` (``file:///…`` or
        ``webhdfs://host:port/…``).
    :param settings: more Flink settings (they win over everything else).
    :return: ``directory``.
    """
    source = os.path.join(flink_home, "conf")
    os.makedirs(directory, exist_ok=True)
    for name in sorted(os.listdir(source)):
        if name != "config.yaml" and os.path.isfile(os.path.join(source, name)):
            shutil.copyfile(os.path.join(source, name), os.path.join(directory, name))
    with open(os.path.join(source, "config.yaml"), encoding="utf-8") as stream:
        config = flatten(yaml.safe_load(stream) or {})
    config.update(INTEROP_FLINK_CONFIG)
    config["yarn.staging-directory"] = staging_directory
    # yarn-session writes .yarn-properties-<user> here instead of the machine's /tmp.
    config["yarn.properties-file.location"] = os.path.abspath(directory)
    config.update(settings or {})
    with open(os.path.join(directory, "config.yaml"), "w", encoding="utf-8") as stream:
        stream.write("# Written by yarnemu.interop.flink_conf from the distribution's "
                     "config.yaml.\n")
        yaml.safe_dump(config, stream, default_flow_style=False, sort_keys=False, width=1 << 16)
    return directory
