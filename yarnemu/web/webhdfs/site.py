"""
:func:`webhdfs_site`: the WebHDFS ``twisted.web`` site over a fake HDFS, ready to listen on one
port that plays both the NameNode and the DataNode roles.
"""

import os

from twisted.web.server import Site

from yarnemu.web.webhdfs.locations import DEFAULT_NAMENODE_RPC_ADDRESS
from yarnemu.web.webhdfs.resource import WebHdfsResource
from yarnemu.web.webhdfs.upload import SpoolingRequest

__all__ = ["WebHdfsSite", "webhdfs_site"]


class WebHdfsSite(Site):
    """
    A site whose requests are :class:`~yarnemu.web.webhdfs.upload.SpoolingRequest`\\ s spooling
    large bodies to ``spool_dir``, and that never parses bodies as form submissions.

    :param resource: the root resource.
    :param str spool_dir: where request bodies are spooled; it should be on the same file system
        as the HDFS root.
    :param reactor: the reactor for the site's timers, or ``None`` for the global one.
    """

    def __init__(self, resource, spool_dir, reactor=None):
        kwargs = {} if reactor is None else {"reactor": reactor}
        super().__init__(resource, requestFactory=SpoolingRequest,
                         parsePOSTFormSubmission=False, **kwargs)
        self.spool_dir = os.fspath(spool_dir)


def webhdfs_site(filesystem, spool_dir, json_content_type=True, *,
                 namenode_rpc_address=DEFAULT_NAMENODE_RPC_ADDRESS, reactor=None):
    """
    :param filesystem: the :class:`~yarnemu.dfs.FakeHDFS` to serve.
    :param spool_dir: the directory large request bodies are spooled to (created if missing); put
        it on the same file system as the HDFS root.
    :param bool json_content_type: whether JSON answers carry ``Content-Type: application/json``;
        ``False`` for the shaded Java WebHDFS client, which cannot decode JSON that has one.
    :param str namenode_rpc_address: what data URLs carry as ``namenoderpcaddress``.
    :param reactor: the reactor for the site's timers (connection timeouts), or ``None`` for the
        global one.
    :return: a :class:`WebHdfsSite` serving ``/webhdfs/v1/<path>``.
    """
    os.makedirs(spool_dir, exist_ok=True)
    resource = WebHdfsResource(filesystem, json_content_type, namenode_rpc_address)
    return WebHdfsSite(resource, spool_dir, reactor)
