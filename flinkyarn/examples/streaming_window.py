"""
A streaming window job that never ends on its own: events → parse → count per key in 5 s
tumbling event-time windows → print.

Arguments (``ParameterTool`` style):

- ``--records-per-second R``: the source's total rate, 1000 events/s by default;
- ``--window-seconds S``: the window size, 5 by default;
- ``--job-name NAME``: ``Streaming Window`` by default.

With parallelism 2 Flink chains it into two tasks: ``Source: Events -> Map`` and
``TumblingEventTimeWindows -> Sink: Print to Std. Out`` (split by the HASH edge of ``key_by``).
"""

from datetime import timedelta

from flinkyarn.api import (
    ParameterTool,
    StreamExecutionEnvironment,
    TumblingEventTimeWindows,
    UnboundedSource,
)

__all__ = ["main", "DEFAULT_RECORDS_PER_SECOND", "DEFAULT_WINDOW_SECONDS"]

DEFAULT_RECORDS_PER_SECOND = 1000.0
DEFAULT_WINDOW_SECONDS = 5


def parse(event):
    """Turn an event into ``(key, 1)`` (recorded for the program's sake, never called)."""
    return (event, 1)


def main(args):
    """
    Build and execute the window job.

    :param list args: program arguments.
    :return: what the environment's ``execute`` returns.
    """
    params = ParameterTool.from_args(args)
    env = StreamExecutionEnvironment.get_execution_environment()
    events = env.from_source(
        UnboundedSource(params.get_float("records-per-second", DEFAULT_RECORDS_PER_SECOND)),
        None,
        "Events",
    )
    window = TumblingEventTimeWindows.of(
        timedelta(seconds=params.get_int("window-seconds", DEFAULT_WINDOW_SECONDS))
    )
    events.map(parse).key_by(lambda pair: pair[0]).window(window).sum(1).print()
    return env.execute(params.get("job-name", "Streaming Window"))
