"""
``python -m yarnemu.interop.setup [--cache DIR]``: fill the interop cache — the Hadoop client jars
(pyspark sdist), a Flink 2.3.0 ``FLINK_HOME`` (the two Flink wheels), and the descriptor set
dumped from the Hadoop jar with the machine's JDK — printing one line per step.  Steps already
done are skipped, so a second run takes a moment.

Exit status 0 when the cache is complete (the last lines then say how to start the service for
the real clients), 1 with one message when a step fails (no JDK, a download or extraction that
fails, a bad descriptor set).
"""

import argparse
import shlex
import sys

from yarnemu.interop.cache import CACHE_ENV, InteropCache, default_cache_root
from yarnemu.interop.descriptors import DescriptorSetError, dump_descriptors
from yarnemu.interop.fetch import FetchError, fetch_flink_home, fetch_hadoop_jars
from yarnemu.interop.jdk import JdkNotFound, find_jdk
from yarnemu.interop.service_options import interop_service_options

__all__ = ["main", "set_up"]


def set_up(cache, report=print):
    """
    Do every step into ``cache``.

    :return: the :class:`~yarnemu.interop.jdk.Jdk` used.
    :raise JdkNotFound, FetchError, DescriptorSetError: when a step fails.
    """
    jdk = find_jdk()
    report(f"JDK: Java {jdk.release} in {jdk.home}")
    fetch_hadoop_jars(cache, report)
    fetch_flink_home(cache, report)
    dump_descriptors(cache, jdk, report)
    return jdk


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m yarnemu.interop.setup",
        description="Fetch the real Hadoop client jars and Flink from PyPI and dump the Hadoop "
                    "RPC descriptors, into the interop cache.")
    parser.add_argument("--cache", default=None,
                        help=f"the cache directory (default: ${CACHE_ENV}, else "
                             f"{default_cache_root({})})")
    options = parser.parse_args(argv)
    cache = InteropCache(options.cache) if options.cache else InteropCache.default()
    print(f"Interop cache: {cache.root}")
    try:
        set_up(cache)
    except (JdkNotFound, FetchError, DescriptorSetError) as error:
        print(f"yarnemu.interop.setup: {error}", file=sys.stderr)
        return 1
    print("Interop cache complete.  Start the service for the real clients with:")
    print("  twistd -n yarnemu " + shlex.join(interop_service_options(cache)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
