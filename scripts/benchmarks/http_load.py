"""
An HTTP load generator for benchmarks: ``clients`` worker processes, each on one keep-alive
connection, send ``requests`` GETs between them over a list of paths, and the latencies are
gathered into :class:`LoadResult` (requests per second over the wall time, percentiles).
:func:`submit_applications` fills an RM the same way, over its REST API.

Workers are processes, not threads, so the load generator's own interpreter lock does not cap
the server being measured; each measured server gets the same generator in the same run.
"""

import http.client
import json
import multiprocessing
import time

from attrs import frozen

__all__ = ["LoadResult", "run_load", "percentile", "submit_applications"]


@frozen
class LoadResult:
    """
    :ivar int requests: requests sent (and answered or failed).
    :ivar int errors: answers that were not 200 (or did not come).
    :ivar float wall_seconds: from the first request to the last answer.
    :ivar tuple latencies_ms: every request's latency, sorted.
    """

    requests: int
    errors: int
    wall_seconds: float
    latencies_ms: tuple

    @property
    def requests_per_second(self):
        return self.requests / self.wall_seconds if self.wall_seconds else float("inf")

    def percentile(self, fraction):
        return percentile(self.latencies_ms, fraction)


def percentile(sorted_values, fraction):
    """:return: the nearest-rank percentile of sorted values (``fraction`` in 0–1)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), int(-(-fraction * len(sorted_values) // 1))))
    return sorted_values[rank - 1]


def _worker(arguments):
    host, port, paths, count, start_at, stop_at = arguments
    while time.time() < start_at:
        time.sleep(0.001)
    connection = http.client.HTTPConnection(host, port, timeout=60)
    latencies = []
    errors = 0
    for index in range(count):
        if stop_at is not None and time.time() >= stop_at:
            break
        path = paths[index % len(paths)]
        began = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=60)
        latencies.append((time.perf_counter() - began) * 1000.0)
    connection.close()
    return latencies, errors


def run_load(host, port, paths, requests=2000, clients=20, max_seconds=None):
    """
    :param paths: request targets, used round-robin by each worker.
    :param max_seconds: stop sending after this long (each worker finishes the request it is
        in), so that a slow target costs at most about this much wall time; ``None``: no limit.
    :return: a :class:`LoadResult` of the requests actually sent.
    """
    per_client = [requests // clients + (1 if i < requests % clients else 0)
                  for i in range(clients)]
    start_at = time.time() + 0.5
    stop_at = start_at + max_seconds if max_seconds is not None else None
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        began = time.time()
        outcomes = pool.map(_worker, [(host, port, list(paths), n, start_at, stop_at)
                                      for n in per_client if n])
        ended = time.time()
    latencies = sorted(value for values, _ in outcomes for value in values)
    return LoadResult(len(latencies), sum(errors for _, errors in outcomes),
                      ended - max(began, start_at), tuple(latencies))


def _submitter(arguments):
    host, port, indexes = arguments
    connection = http.client.HTTPConnection(host, port, timeout=60)

    def post(path, body=None):
        data = json.dumps(body).encode() if body is not None else b""
        connection.request("POST", path, body=data,
                           headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        raw = response.read()
        if response.status not in (200, 202):
            raise RuntimeError(f"POST {path}: {response.status} {raw[:200]!r}")
        return json.loads(raw) if raw else None

    ids = []
    for index in indexes:
        application_id = post("/ws/v1/cluster/apps/new-application?user.name=bench")[
            "application-id"]
        post("/ws/v1/cluster/apps?user.name=bench", {
            "application-id": application_id,
            "application-name": f"bench-{index}",
            "unmanaged-AM": True,
            "am-container-spec": {"commands": {"command": "true"}},
            "resource": {"memory": 1024, "vCores": 1},
        })
        ids.append(application_id)
    connection.close()
    return ids


def submit_applications(host, port, count, clients=8):
    """
    Submit ``count`` unmanaged-AM applications (``bench-<i>``, user ``bench``) through the RM
    REST API (``new-application``, then ``POST /apps``) from ``clients`` keep-alive workers.
    The workers interleave, so ids are not submitted in id order.

    :return: the application ids, worker by worker.
    :raise RuntimeError: if a POST is not answered 200/202.
    """
    shares = [list(range(worker, count, clients)) for worker in range(min(clients, count))]
    with multiprocessing.get_context("fork").Pool(len(shares)) as pool:
        answers = pool.map(_submitter, [(host, port, share) for share in shares])
    return [application_id for ids in answers for application_id in ids]
