"""
The RM REST API under load: ``twistd yarnemu`` with ``--apps`` applications in its RM, and
``--clients`` concurrent keep-alive clients on loopback sending ``--requests`` GETs (or as many as
they send in ``--max-seconds``) to each of ``/ws/v1/cluster/apps?limit=100``,
``/ws/v1/cluster/apps/{id}`` (100 ids in turn), ``/ws/v1/cluster/metrics`` and the Prometheus
``/metrics``.  The reference, measured in the same run just before each target, is a bare
``twisted.web`` resource serving that target's bytes (as the service answered them) with the
same load.  Prints requests per second, p50 and p99
latency, and the ratios to the reference.

The applications are unmanaged-AM submissions (they stay ACCEPTED, holding no container), sent
over the REST API itself (``new-application`` then ``POST /apps``) by 8 keep-alive workers, whose
ids are not submitted in id order; 10,000 of them take about 10 s.

Usage: python scripts/benchmarks/rest_service.py [--apps 10000] [--requests 2000] [--clients 20]
       [--max-seconds 10] [--json]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

from http_load import run_load, submit_applications
from measure import Table

from yarnemu.testing.service_process import ServiceProcess

__all__ = ["main", "measure"]


def _paths(ids):
    """:return: target name (as the table shows it) → the request paths loaded in turn."""
    return {
        "/apps?limit=100": ["/ws/v1/cluster/apps?limit=100"],
        "/apps/{id}": [f"/ws/v1/cluster/apps/{i}" for i in ids[:100]],
        "/cluster/metrics": ["/ws/v1/cluster/metrics"],
        "/metrics (Prometheus)": ["/metrics"],
    }


def _get(url):
    with urllib.request.urlopen(url) as answer:
        return answer.read()


def _bare_server(directory, bodies):
    """Start :mod:`bare_server` serving ``bodies`` (name → bytes); :return: (process, port)."""
    port_file = os.path.join(directory, "port")
    specs = []
    for index, (name, body) in enumerate(bodies.items()):
        body_file = os.path.join(directory, f"body-{index}")
        with open(body_file, "wb") as stream:
            stream.write(body)
        specs.append(f"{name}={body_file}")
    server = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bare_server.py")
    process = subprocess.Popen([sys.executable, server, port_file, *specs])
    deadline = time.monotonic() + 30
    while not os.path.exists(port_file) or not open(port_file).read():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the bare twisted.web server did not start")
        time.sleep(0.05)
    return process, int(open(port_file).read())


def measure(apps, requests, clients, max_seconds=None):
    """
    Start the service, fill it, and load each target beside the bare reference.

    :return: ``(table, listed)``: the :class:`Table`, and how many applications
        ``/apps?limit=100`` listed (a check that the listing is the one meant).
    """
    with tempfile.TemporaryDirectory(prefix="yarnemu-bench-") as directory:
        service = ServiceProcess.start(os.path.join(directory, "service"), "--nodes", "4")
        bare = None
        try:
            host, port = service.rm.split("//")[1].rsplit(":", 1)
            began = time.monotonic()
            ids = submit_applications(host, int(port), apps)
            populate_seconds = time.monotonic() - began
            paths = _paths(ids)
            bodies = {f"target-{index}": _get(service.rm + targets[0])
                      for index, targets in enumerate(paths.values())}
            listed = len(json.loads(bodies["target-0"])["apps"]["app"])
            bare, bare_port = _bare_server(directory, bodies)
            results = {}
            for index, (name, targets) in enumerate(paths.items()):
                reference = run_load("127.0.0.1", bare_port, [f"/target-{index}"], requests,
                                     clients, max_seconds)
                ours = run_load(host, int(port), targets, requests, clients, max_seconds)
                results[name] = (ours, reference, len(bodies[f"target-{index}"]))
        finally:
            service.stop()
            if bare is not None:
                bare.terminate()
                bare.wait()
    table = Table(
        f"RM REST under load: {apps:,} applications in the RM (unmanaged AMs, submitted over "
        f"REST by 8 keep-alive clients in {populate_seconds:.1f} s), {clients} concurrent "
        f"keep-alive clients on loopback, {requests:,} requests per target"
        f"{f' (or {max_seconds:g} s of them)' if max_seconds else ''}; reference: a bare "
        f"twisted.web resource serving the target's bytes, measured in the same run")
    table.add("submissions per second", apps / populate_seconds, ratio=False)
    for name, (ours, reference, size) in results.items():
        table.add(f"{name}: body size", size, unit="bytes", ratio=False)
        table.add(f"{name}: requests sent", ours.requests, reference.requests, ratio=False)
        table.add(f"{name}: requests/s", ours.requests_per_second,
                  reference.requests_per_second)
        table.add(f"{name}: p50 latency", ours.percentile(0.5), reference.percentile(0.5),
                  unit="ms")
        table.add(f"{name}: p99 latency", ours.percentile(0.99), reference.percentile(0.99),
                  unit="ms")
        if ours.errors or reference.errors:
            table.add(f"{name}: errors", ours.errors, reference.errors, ratio=False)
    return table, listed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--apps", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--max-seconds", type=float, default=10.0,
                        help="stop loading a target after this long (0: no limit)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    table, listed = measure(args.apps, args.requests, args.clients, args.max_seconds or None)
    if args.json:
        print(table.to_json())
        return 0
    print(table.render())
    print(f"\n  /apps?limit=100 listed {listed} applications")
    return 0


if __name__ == "__main__":
    sys.exit(main())
