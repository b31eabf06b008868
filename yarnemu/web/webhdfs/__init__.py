"""
WebHDFS (``/webhdfs/v1/<path>?op=...&user.name=...``) over the fake HDFS, for HdfsCLI, fsspec's
``WebHDFS``, Hadoop's Java ``WebHdfsFileSystem`` and Flink's staging upload.

One port plays both of Hadoop's roles: the NameNode answers metadata operations and redirects
``CREATE``, ``APPEND`` and ``OPEN`` (307) to a data URL on the same host and port, which the
DataNode role answers; a data URL is told apart by its ``namenoderpcaddress`` parameter, as Hadoop's
DataNode URLs carry it.

- :mod:`~yarnemu.web.webhdfs.site`: :func:`webhdfs_site`, the public entry point;
- :mod:`~yarnemu.web.webhdfs.resource`: :class:`WebHdfsResource`, routing and writing replies;
- :mod:`~yarnemu.web.webhdfs.namenode` and :mod:`~yarnemu.web.webhdfs.datanode`: the two roles;
- :mod:`~yarnemu.web.webhdfs.params`: query parameters as Hadoop parses them;
- :mod:`~yarnemu.web.webhdfs.locations`: request paths and data URLs;
- :mod:`~yarnemu.web.webhdfs.upload`: request bodies spooled to disk;
- :mod:`~yarnemu.web.webhdfs.download`: file ranges streamed out;
- :mod:`~yarnemu.web.webhdfs.errors`: errors and their HTTP statuses.
"""

from yarnemu.web.webhdfs.resource import WebHdfsResource
from yarnemu.web.webhdfs.site import WebHdfsSite, webhdfs_site

__all__ = ["webhdfs_site", "WebHdfsSite", "WebHdfsResource"]
