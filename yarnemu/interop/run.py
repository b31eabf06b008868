"""
``python -m yarnemu.interop.run COMMAND ARGS...``: run a real client from the interop cache
against a running ``twistd yarnemu --hadoop-rpc …``, found by its endpoints file
(``--endpoints FILE``, else ``$YARNEMU_ENDPOINTS``):

- ``yarn application|app|applicationattempt|container …``: Hadoop's ``ApplicationCLI``;
  ``yarn node …``: ``NodeCLI``; ``yarn queue …``: ``QueueCLI``;
- ``yarn-session.sh …`` and ``flink …``: Flink's own scripts, staging on ``--staging URL``
  (default: the service's WebHDFS, ``webhdfs://…/user/<user>``).

The Hadoop and Flink configuration directories are written to a temporary directory for the one
command (``yarn.application.classpath`` naming the cache's Hadoop jars, for Flink's containers).
The exit status is the command's; 2 with a message for a usage error, an unreadable endpoints
file, a service without Hadoop RPC or an incomplete cache.
"""

import argparse
import getpass
import os
import subprocess
import sys
import tempfile

from yarnemu.interop.cache import InteropCache
from yarnemu.interop.classpaths import application_classpath
from yarnemu.interop.clients import (
    APPLICATION_CLI,
    NODE_CLI,
    QUEUE_CLI,
    FlinkClient,
    HadoopClient,
)
from yarnemu.interop.flink_conf import write_flink_conf
from yarnemu.interop.hadoop_conf import rpc_address, write_hadoop_conf
from yarnemu.interop.jdk import JdkNotFound, find_jdk
from yarnemu.service.endpoints_file import ENDPOINTS_ENV, EndpointsFileError, read_endpoints

__all__ = ["main", "YARN_COMMANDS"]

YARN_COMMANDS = {
    "application": APPLICATION_CLI, "app": APPLICATION_CLI,
    "applicationattempt": APPLICATION_CLI, "container": APPLICATION_CLI,
    "node": NODE_CLI, "queue": QUEUE_CLI,
}
"""``yarn`` sub-commands → the Hadoop class that runs them."""

_FLINK_SCRIPTS = ("yarn-session.sh", "flink")


class _UsageError(Exception):
    pass


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m yarnemu.interop.run",
        description="Run the real yarn CLI or Flink's scripts against a running yarnemu "
                    "service with Hadoop RPC.")
    parser.add_argument("--endpoints", default=None,
                        help=f"the service's endpoints file (default: ${ENDPOINTS_ENV})")
    parser.add_argument("--staging", default=None,
                        help="Flink's yarn.staging-directory (default: the service's WebHDFS, "
                             "webhdfs://HOST:PORT/user/USER)")
    parser.add_argument("command", choices=("yarn", *_FLINK_SCRIPTS))
    parser.add_argument("arguments", nargs=argparse.REMAINDER)
    return parser


def _command(options, urls, rm_address, cache, jdk, directory):
    """:return: ``(argv, environment)`` of the command to run."""
    hadoop_conf = write_hadoop_conf(
        os.path.join(directory, "hadoop-conf"), rm_address,
        yarn={"yarn.application.classpath": application_classpath(cache)})
    if options.command == "yarn":
        if not options.arguments or options.arguments[0] not in YARN_COMMANDS:
            raise _UsageError(f"yarn takes one of {', '.join(YARN_COMMANDS)} first")
        client = HadoopClient(jdk, cache, hadoop_conf)
        return (client.yarn(YARN_COMMANDS[options.arguments[0]], *options.arguments),
                client.environment())
    staging = options.staging
    if staging is None:
        staging = f"webhdfs://{urls['webhdfs'].split('://', 1)[1]}/user/{getpass.getuser()}"
    flink_conf = write_flink_conf(os.path.join(directory, "flink-conf"), cache.flink_home,
                                  staging)
    client = FlinkClient(jdk, cache, flink_conf, hadoop_conf, os.path.join(directory, "log"))
    return client.script(options.command, *options.arguments), client.environment()


def main(argv=None):
    options = _parser().parse_args(argv)
    endpoints = options.endpoints or os.environ.get(ENDPOINTS_ENV)
    try:
        if not endpoints:
            raise _UsageError(f"name the service's endpoints file with --endpoints or "
                              f"${ENDPOINTS_ENV}")
        urls = read_endpoints(endpoints)
        try:
            rm_address = rpc_address(urls)
        except KeyError as error:
            raise _UsageError(f"{endpoints}: {error.args[0]}") from None
        cache = InteropCache.default()
        if cache.missing():
            raise _UsageError(f"the interop cache {cache.root} is not set up: run python -m "
                              "yarnemu.interop.setup")
        jdk = find_jdk()
        with tempfile.TemporaryDirectory(prefix="yarnemu-interop-") as directory:
            argv, environment = _command(options, urls, rm_address, cache, jdk, directory)
            return subprocess.run(argv, env=environment).returncode
    except (_UsageError, EndpointsFileError, JdkNotFound) as error:
        print(f"python -m yarnemu.interop.run: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
