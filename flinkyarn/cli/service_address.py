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

from flinkyarn.client.remote import ServiceAddress
from yarnemu.service.endpoints_file import (
    ENDPOINTS_ENV,
    EndpointsFileError,
    endpoints_from_environment,
)

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
USER_ENV = "HADOOP_USER_NAME"


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
        urls = endpoints_from_environment(environ)
        rm = rm or urls.get("rm")
        webhdfs = webhdfs or urls.get("webhdfs")
    return ServiceAddress(str(rm or DEFAULT_RM_URL).rstrip("/"),
                          str(webhdfs or DEFAULT_WEBHDFS_URL).rstrip("/"))


def resolve_user(environ=None):
    """:return: ``$HADOOP_USER_NAME``, else the login name."""
    environ = environ if environ is not None else {}
    return environ.get(USER_ENV) or getpass.getuser()
