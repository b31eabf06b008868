"""
A test program that runs two jobs one after the other, as an application-mode ``main()`` may:
``first`` (a sequence mapped and printed) and ``second`` (a sequence filtered and printed).
"""

from flinkyarn.api import ParameterTool, StreamExecutionEnvironment


def main(args):
    """:return: the results of both ``execute`` calls, in order."""
    params = ParameterTool.from_args(args)
    records = params.get_int("records", 1000)
    env = StreamExecutionEnvironment.get_execution_environment()
    env.from_sequence(1, records).map(lambda n: n * 2).print()
    first = env.execute(params.get("prefix", "") + "first")
    env.from_sequence(1, records).filter(lambda n: n % 2 == 0).print()
    second = env.execute(params.get("prefix", "") + "second")
    return [first, second]
