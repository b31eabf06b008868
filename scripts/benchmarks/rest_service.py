"""
The RM REST API under load: ``twistd yarnemu`` with ``--apps`` applications in its RM, and
``--clients`` concurrent keep-alive clients on loopback sending ``--requests`` GETs per path; the
same load against a bare ``twisted.web`` resource serving the same bytes (the reference, measured
in the same run).  Prints requests per second, p50 and p99 latency, and the ratio to the
reference.

Usage: python scripts/benchmarks/rest_service.py [--apps 1000] [--requests 2000] [--clients 20]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

from http_load import run_load
from measure import Table

from yarnemu.testing.service_process import ServiceProcess

__all__ = ["main"]


def _post(url, body=None):
    data = json.dumps(body).encode() if body is not None else b""
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        raw = response.read()
    return json.loads(raw) if raw else None


def populate(rm, apps):
    """Submit ``apps`` unmanaged-AM applications; :return: their ids."""
    ids = []
    for index in range(apps):
        application_id = _post(f"{rm}/ws/v1/cluster/apps/new-application?user.name=bench")[
            "application-id"]
        _post(f"{rm}/ws/v1/cluster/apps?user.name=bench", {
            "application-id": application_id,
            "application-name": f"bench-{index}",
            "unmanaged-AM": True,
            "am-container-spec": {"commands": {"command": "true"}},
            "resource": {"memory": 1024, "vCores": 1},
        })
        ids.append(application_id)
    return ids


def _bare_server(directory, body):
    body_file = os.path.join(directory, "body.json")
    port_file = os.path.join(directory, "port")
    with open(body_file, "wb") as stream:
        stream.write(body)
    server = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bare_server.py")
    process = subprocess.Popen([sys.executable, server, body_file, port_file])
    deadline = time.monotonic() + 30
    while not os.path.exists(port_file) or not open(port_file).read():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the bare twisted.web server did not start")
        time.sleep(0.05)
    return process, int(open(port_file).read())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--apps", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="yarnemu-bench-") as directory:
        service = ServiceProcess.start(os.path.join(directory, "service"), "--nodes", "4")
        bare = None
        try:
            began = time.monotonic()
            ids = populate(service.rm, args.apps)
            populate_seconds = time.monotonic() - began
            host, port = service.rm.split("//")[1].rsplit(":", 1)
            paths = {
                "/apps?limit=100": ["/ws/v1/cluster/apps?limit=100"],
                "/apps/{id}": [f"/ws/v1/cluster/apps/{i}" for i in ids[:100]],
                "/metrics": ["/ws/v1/cluster/metrics"],
            }
            with urllib.request.urlopen(f"{service.rm}/ws/v1/cluster/apps?limit=100") as answer:
                body = answer.read()
            bare, bare_port = _bare_server(directory, body)
            reference = run_load("127.0.0.1", bare_port, ["/"], args.requests, args.clients)
            results = {name: run_load(host, int(port), targets, args.requests, args.clients)
                       for name, targets in paths.items()}
        finally:
            service.stop()
            if bare is not None:
                bare.terminate()
                bare.wait()
    table = Table(
        f"RM REST under load: {args.apps} applications in the RM (submitted over REST in "
        f"{populate_seconds:.1f} s), {args.clients} concurrent keep-alive clients on loopback, "
        f"{args.requests} requests per target; reference: a bare twisted.web resource serving "
        f"the same {len(body):,} bytes, measured in the same run")
    table.add("bare resource: requests/s", reference.requests_per_second)
    table.add("bare resource: p99 latency", reference.percentile(0.99), unit="ms")
    for name, result in results.items():
        table.add(f"{name}: requests/s", result.requests_per_second,
                  reference.requests_per_second)
        table.add(f"{name}: p50 latency", result.percentile(0.5), reference.percentile(0.5),
                  unit="ms")
        table.add(f"{name}: p99 latency", result.percentile(0.99), reference.percentile(0.99),
                  unit="ms")
        if result.errors:
            table.add(f"{name}: errors", result.errors, ratio=False)
    print(table.render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
