"""
WordCount, bounded: lines → tokenize → count per word → print.

Arguments (``ParameterTool`` style):

- ``--records N``: lines to read, 100000 by default;
- ``--records-per-second R``: the source's total rate, 10000 lines/s by default (so the
  default job reads for 10 s of virtual time);
- ``--words-per-line W``: words the tokenizer emits per line, 8 by default;
- ``--job-name NAME``: ``WordCount`` by default.

The parallelism is the environment's.  With parallelism 2 Flink chains it into two tasks:
``Source: Lines -> Flat Map`` (the FORWARD edge between equal parallelisms chains, the source
being HEAD) and ``Keyed Aggregation -> Sink: Print to Std. Out`` (``key_by`` is a HASH edge,
which never chains; the print sink follows on a FORWARD edge).
"""

from flinkyarn.api import BoundedSource, ParameterTool, ProcessingCost, StreamExecutionEnvironment

__all__ = ["main", "DEFAULT_RECORDS", "DEFAULT_RECORDS_PER_SECOND", "DEFAULT_WORDS_PER_LINE"]

DEFAULT_RECORDS = 100000
DEFAULT_RECORDS_PER_SECOND = 10000.0
DEFAULT_WORDS_PER_LINE = 8.0


def tokenize(line):
    """Split a line into ``(word, 1)`` pairs (recorded for the program's sake, never called)."""
    return [(word, 1) for word in line.lower().split()]


def main(args):
    """
    Build and execute WordCount.

    :param list args: program arguments.
    :return: what the environment's ``execute`` returns.
    """
    params = ParameterTool.from_args(args)
    env = StreamExecutionEnvironment.get_execution_environment()
    source = BoundedSource(
        params.get_int("records", DEFAULT_RECORDS),
        params.get_float("records-per-second", DEFAULT_RECORDS_PER_SECOND),
    )
    lines = env.from_source(source, None, "Lines")
    words = lines.flat_map(
        tokenize,
        cost=ProcessingCost(output_ratio=params.get_float("words-per-line",
                                                          DEFAULT_WORDS_PER_LINE)),
    )
    words.key_by(lambda pair: pair[0]).sum(1).print()
    return env.execute(params.get("job-name", "WordCount"))
