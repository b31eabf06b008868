"""
The ``twistd yarnemu`` plugin: an emulated YARN cluster with Flink on it, in real time, serving the
ResourceManager REST API, the web proxy and WebHDFS.  See ``twistd yarnemu --help``.
"""

from twisted.application.service import IServiceMaker
from twisted.plugin import IPlugin
from zope.interface import implementer

from yarnemu.service.options import ServiceOptions


class _Options(ServiceOptions):
    @staticmethod
    def cluster_from_scenario(path):
        from flinkyarn.service import cluster_from_scenario

        return cluster_from_scenario(path)


@implementer(IServiceMaker, IPlugin)
class _YarnEmuServiceMaker:
    tapname = "yarnemu"
    description = ("An emulated YARN cluster (ResourceManager REST, WebHDFS, web proxy, "
                   "optionally Hadoop RPC) running Flink's YARN deployment modes.")
    options = _Options

    def makeService(self, options):
        from twisted.internet import reactor

        from flinkyarn.service import make_service

        return make_service(options, reactor)


serviceMaker = _YarnEmuServiceMaker()
