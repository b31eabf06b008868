"""
An example user program whose ``main()`` runs three bounded jobs, one after the other — an
application per-job mode refuses (one job per program) and FLIP-40's driver mode runs inside the
cluster (``flinkyarn run --driver scripts/programs/three_jobs.py``, or a scenario's
``deploy: driver`` with ``program: scripts/programs/three_jobs.py:main``):

1. ``Ingest Orders``: reads the raw orders and keeps the well-formed ones;
2. ``Enrich Orders``: reads them back and joins in the customer of each (keyed by customer);
3. ``Daily Revenue``: sums the enriched orders per day.

Each ``execute()`` waits for its job, so the next starts only when the previous one finished.

Arguments (``ParameterTool`` style): ``--records N`` orders per job (20000 by default) read at
``--records-per-second R`` (10000 by default), so each job reads for a few virtual seconds.
"""

from flinkyarn.api import BoundedSource, ParameterTool, StreamExecutionEnvironment


def well_formed(order):
    """Keep orders with a customer (recorded for the program's sake; never called)."""
    return bool(order)


def customer_of(order):
    return order[0]


def day_of(order):
    return order[1]


def main(args):
    """:return: the results of the three ``execute`` calls, in order."""
    params = ParameterTool.from_args(args)
    records = params.get_int("records", 20_000)
    rate = params.get_float("records-per-second", 10_000.0)
    env = StreamExecutionEnvironment.get_execution_environment()

    env.from_source(BoundedSource(records, rate), None, "Raw Orders") \
        .filter(well_formed).print()
    ingested = env.execute("Ingest Orders")

    env.from_source(BoundedSource(records, rate), None, "Ingested Orders") \
        .key_by(customer_of).map(lambda order: order).print()
    enriched = env.execute("Enrich Orders")

    env.from_source(BoundedSource(records, rate), None, "Enriched Orders") \
        .key_by(day_of).sum(1).print()
    revenue = env.execute("Daily Revenue")
    return [ingested, enriched, revenue]
