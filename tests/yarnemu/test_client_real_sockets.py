"""
The remote clients over real sockets: :class:`~yarnemu.client.RestYarnClient` and
:class:`~yarnemu.client.WebHdfsClient` with :class:`~yarnemu.client.AgentHttpClient` on the real
reactor (in a child process, as the reactor runs once per process) against ``twistd -n yarnemu``
on loopback.
"""

import json
import os
import subprocess
import sys

import pytest

from yarnemu.testing.service_process import ServiceProcess

_CLIENT = """
import json, sys
from twisted.internet import task
from twisted.internet.defer import inlineCallbacks
from yarnemu.client import AgentHttpClient, RestYarnClient, WebHdfsClient
from yarnemu.records import ApplicationSubmissionContext, ContainerLaunchContext

@inlineCallbacks
def main(reactor, rm, webhdfs, local):
    http = AgentHttpClient(reactor)
    yarn = RestYarnClient(http, rm, "alice")
    fs = WebHdfsClient(http, webhdfs, "alice")
    seen = {}
    try:
        home = yield fs.home_directory()
        with open(local, "rb") as stream:
            status = yield fs.create(home + "/staged.bin", stream, overwrite=True)
        seen["home"] = home
        seen["length"] = status.length
        seen["slice"] = (yield fs.read_bytes(home + "/staged.bin", 1000, 16)).hex()
        app = (yield yarn.create_application()).application_id
        spec = ContainerLaunchContext(commands=["sleep 600"])
        yield yarn.submit_application(ApplicationSubmissionContext(app, spec))
        seen["user"] = (yield yarn.get_application_report(app)).user
        seen["killed_at_once"] = yield yarn.kill_application(app)
    finally:
        yield http.close()
    print(json.dumps(seen))

task.react(main, sys.argv[1:])
"""


@pytest.fixture
def service(tmp_path):
    service = ServiceProcess.start(tmp_path / "service", "--nodes", "1")
    yield service
    service.stop()


def test_staging_and_submitting_over_the_network(service, tmp_path):
    """A file streams over WebHDFS and an application is submitted and killed over REST."""
    local = tmp_path / "staged.bin"
    data = os.urandom(8 * 2**20)
    local.write_bytes(data)
    script = tmp_path / "client.py"
    script.write_text(_CLIENT)
    done = subprocess.run([sys.executable, str(script), service.rm, service.webhdfs, str(local)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen == {"home": "/user/alice", "length": len(data), "slice": data[1000:1016].hex(),
                    "user": "alice", "killed_at_once": False}
