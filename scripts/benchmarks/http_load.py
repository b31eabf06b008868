"""
An HTTP load generator for benchmarks: ``clients`` worker processes, each on one keep-alive
connection, send ``requests`` GETs between them over a list of paths, and the latencies are
gathered into :class:`LoadResult` (requests per second over the wall time, percentiles).

Workers are processes, not threads, so the load generator's own interpreter lock does not cap
the server being measured; each measured server gets the same generator in the same run.
"""

import http.client
import multiprocessing
import time

from attrs import frozen

__all__ = ["LoadResult", "run_load", "percentile"]


@frozen
class LoadResult:
    """
    :ivar int requests: requests sent.
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
    host, port, paths, count, start_at = arguments
    while time.time() < start_at:
        time.sleep(0.001)
    connection = http.client.HTTPConnection(host, port, timeout=60)
    latencies = []
    errors = 0
    for index in range(count):
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


def run_load(host, port, paths, requests=2000, clients=20):
    """
    :param paths: request targets, used round-robin by each worker.
    :return: a :class:`LoadResult`.
    """
    per_client = [requests // clients + (1 if i < requests % clients else 0)
                  for i in range(clients)]
    start_at = time.time() + 0.5
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        began = time.time()
        outcomes = pool.map(_worker, [(host, port, list(paths), n, start_at)
                                      for n in per_client if n])
        ended = time.time()
    latencies = sorted(value for values, _ in outcomes for value in values)
    return LoadResult(sum(per_client), sum(errors for _, errors in outcomes),
                      ended - max(began, start_at), tuple(latencies))
