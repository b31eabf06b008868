"""
The endpoints file: where a running service says it listens (``twistd yarnemu --endpoints-file
FILE``), as JSON ``{"rm": "http://127.0.0.1:PORT", "webhdfs": "http://127.0.0.1:PORT"}``, with
``"rpc": "127.0.0.1:PORT"`` (the ResourceManager's Hadoop RPC address, ``host:port`` as
``yarn.resourcemanager.address`` takes it) when it serves Hadoop RPC.  The service writes it
(atomically) once bound and removes it on shutdown; clients (``yarnemu application``/``node``,
``flinkyarn``, tests) read it, named by ``$YARNEMU_ENDPOINTS``.
"""

import json
import os
import tempfile

__all__ = ["ENDPOINTS_ENV", "EndpointsFileError", "write_endpoints", "read_endpoints",
           "endpoints_from_environment"]

ENDPOINTS_ENV = "YARNEMU_ENDPOINTS"
"""The environment variable naming a service's endpoints file."""


class EndpointsFileError(Exception):
    """An endpoints file that cannot be read; its message says which and why."""


def write_endpoints(path, urls):
    """Write ``urls`` to ``path`` in one step (readers never see half a file)."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=directory, prefix=".endpoints-")
    with os.fdopen(handle, "w") as stream:
        stream.write(json.dumps(urls) + "\n")
    os.replace(partial, path)


def read_endpoints(path, named_by=None):
    """
    :param named_by: how the caller found ``path`` (e.g. ``$YARNEMU_ENDPOINTS``), for messages.
    :return: the URLs, ``{"rm": ..., "webhdfs": ...}``.
    :raise EndpointsFileError: if the file cannot be read or holds no such object.
    """
    where = f"{path} ({named_by})" if named_by else str(path)
    try:
        with open(path, encoding="utf-8") as stream:
            urls = json.load(stream)
    except (OSError, ValueError) as error:
        raise EndpointsFileError(
            f"Could not read the yarnemu endpoints file {where}: {error}") from None
    if not isinstance(urls, dict):
        raise EndpointsFileError(f"The yarnemu endpoints file {where} holds "
                                 'no {"rm": ..., "webhdfs": ...} object')
    return urls


def endpoints_from_environment(environ):
    """
    :return: the URLs of the endpoints file ``$YARNEMU_ENDPOINTS`` names, or ``{}`` when it names
        none.
    :raise EndpointsFileError: if it names one that cannot be read.
    """
    path = environ.get(ENDPOINTS_ENV)
    if not path:
        return {}
    return read_endpoints(path, f"${ENDPOINTS_ENV}")
