"""
The reference server of the service benchmark: a bare ``twisted.web`` resource answering each GET
of ``/NAME`` with the bytes of one file, served the way the yarnemu service serves (one ``Site``,
one reactor); any other path is 404.

    python scripts/benchmarks/bare_server.py PORT_FILE NAME=BODY_FILE [NAME=BODY_FILE ...]

It listens on an ephemeral loopback port and writes the port number to ``PORT_FILE``.
"""

import sys

from twisted.internet import reactor
from twisted.web.resource import Resource
from twisted.web.server import Site


class StaticJson(Resource):
    """Every GET: 200 with ``body`` as ``application/json``."""

    isLeaf = True

    def __init__(self, body):
        super().__init__()
        self._body = body

    def render_GET(self, request):
        request.setHeader(b"Content-Type", b"application/json")
        return self._body


def main(argv):
    port_file, *bodies = argv
    root = Resource()
    for spec in bodies:
        name, _, body_file = spec.partition("=")
        with open(body_file, "rb") as stream:
            root.putChild(name.encode("utf-8"), StaticJson(stream.read()))
    port = reactor.listenTCP(0, Site(root), interface="127.0.0.1")
    with open(port_file, "w") as stream:
        stream.write(str(port.getHost().port))
    reactor.run()


if __name__ == "__main__":
    main(sys.argv[1:])
