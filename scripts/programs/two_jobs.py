"""
An example user program whose ``main()`` submits two bounded jobs, one after the other — the
kind of program application mode exists for (``deploy: application`` with
``program: scripts/programs/two_jobs.py:main``).

1. ``Clean Events``: reads events, drops malformed ones, writes the rest (parallelism from the
   environment);
2. ``Daily Counts``: reads the cleaned events back and counts them per key.

Arguments (``ParameterTool`` style): ``--records N`` events per job (50000 by default) read at
``--records-per-second R`` (10000 by default), so each job reads for a few virtual seconds.
"""

from flinkyarn.api import BoundedSource, ParameterTool, StreamExecutionEnvironment


def well_formed(event):
    """Keep events with a key (recorded for the program's sake; the simulation never calls it)."""
    return bool(event)


def key_of(event):
    return event[0]


def main(args):
    """:return: the results of the two ``execute`` calls, in order."""
    params = ParameterTool.from_args(args)
    records = params.get_int("records", 50_000)
    rate = params.get_float("records-per-second", 10_000.0)
    env = StreamExecutionEnvironment.get_execution_environment()

    env.from_source(BoundedSource(records, rate), None, "Raw Events") \
        .filter(well_formed).print()
    cleaned = env.execute("Clean Events")

    env.from_source(BoundedSource(records, rate), None, "Clean Events") \
        .key_by(key_of).sum(1).print()
    counted = env.execute("Daily Counts")
    return [cleaned, counted]
