"""
Where the ``flinkyarn`` command finds the yarnemu service it talks to, and who it is there.

Each URL is taken from the first of:

1. the command line: ``--rm URL``, ``--webhdfs URL``;
2. the environment: ``$YARNEMU_RM``, ``$YARNEMU_WEBHDFS``;
3. the endpoints file a service wrote (``twistd yarnemu --endpoints-file FILE``), named by
   ``$YARNEMU_ENDPOINTS``;
4. the service's defaults: ``http://127.0.0.1:8088`` and ``http://127.0.0.1:9870``.

The user is ``$HADOOP_USER_NAME``, else the login name, as Hadoop's client picks it on an
insecure cluster.
"""

import getpass
import json

from flinkyarn.client.remote import ServiceAddress

__all__ = [
    "resolve_service_address",
    "resolve_user",
    "DEFAULT_RM_URL",
    "DEFAULT_WEBHDFS_URL",
    "RM_ENV",
    "WEBHDFS_ENV",
    "ENDPOINTS_ENV",
    "USER_ENV",
    "EndpointsFileError",
]

DEFAULT_RM_URL = "http://127.0.0.1:8088"
DEFAULT_WEBHDFS_URL = "http://127.0.0.1:9870"
RM_ENV = "YARNEMU_RM"
WEBHDFS_ENV = "YARNEMU_WEBHDFS"
ENDPOINTS_ENV = "YARNEMU_ENDPOINTS"
USER_ENV = "HADOOP_USER_NAME"


class EndpointsFileError(Exception):
    """An endpoints file that cannot be read; its message says which and why."""


def _endpoints(environ):
    path = environ.get(ENDPOINTS_ENV)
    if not path:
        return {}
    try:
        with open(path, encoding="utf-8") as stream:
            urls = json.load(stream)
    except (OSError, ValueError) as error:
        raise EndpointsFileError(
            f"Could not read the yarnemu endpoints file {path} (${ENDPOINTS_ENV}): {error}"
        ) from None
    if not isinstance(urls, dict):
        raise EndpointsFileError(f"The yarnemu endpoints file {path} (${ENDPOINTS_ENV}) holds "
                                 'no {"rm": ..., "webhdfs": ...} object')
    return urls


def resolve_service_address(rm=None, webhdfs=None, environ=None):
    """
    :param rm: ``--rm``'s value, or ``None``.
    :param webhdfs: ``--webhdfs``'s value, or ``None``.
    :param environ: the environment (a mapping).
    :return: the :class:`~flinkyarn.client.remote.ServiceAddress`.
    :raise EndpointsFileError: if ``$YARNEMU_ENDPOINTS`` is consulted and cannot be read.
    """
    environ = environ if environ is not None else {}
    rm = rm or environ.get(RM_ENV)
    webhdfs = webhdfs or environ.get(WEBHDFS_ENV)
    if not (rm and webhdfs):
        urls = _endpoints(environ)
        rm = rm or urls.get("rm")
        webhdfs = webhdfs or urls.get("webhdfs")
    return ServiceAddress(str(rm or DEFAULT_RM_URL).rstrip("/"),
                          str(webhdfs or DEFAULT_WEBHDFS_URL).rstrip("/"))


def resolve_user(environ=None):
    """:return: ``$HADOOP_USER_NAME``, else the login name."""
    environ = environ if environ is not None else {}
    return environ.get(USER_ENV) or getpass.getuser()
