"""
The reference server of the service benchmark: a bare ``twisted.web`` resource answering every
GET with the same bytes, served the way the yarnemu service serves (one ``Site``, one reactor).

    python scripts/benchmarks/bare_server.py BODY_FILE PORT_FILE
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
    body_file, port_file = argv
    with open(body_file, "rb") as stream:
        body = stream.read()
    port = reactor.listenTCP(0, Site(StaticJson(body)), interface="127.0.0.1")
    with open(port_file, "w") as stream:
        stream.write(str(port.getHost().port))
    reactor.run()


if __name__ == "__main__":
    main(sys.argv[1:])
