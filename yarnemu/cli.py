"""
The ``yarnemu`` command: ``yarnemu demo`` (a YARN-only demo), ``yarnemu scenario run FILE``, and
``yarnemu application ...`` / ``yarnemu node ...`` (Hadoop's ``yarn application`` and ``yarn
node`` against a running service's RM REST API; their single-dash options are Hadoop's and are
parsed by :mod:`yarnemu.yarncli`, not here).

This is a composition root: ``scenario`` runs Flink on YARN, so it imports :mod:`flinkyarn`
(lazily, when that command runs); nothing else in :mod:`yarnemu` does.
"""

import argparse
import sys

__all__ = ["main", "build_parser"]


def build_parser():
    parser = argparse.ArgumentParser(prog="yarnemu",
                                     description="A YARN resource manager emulator.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = commands.add_parser("demo", help="run the demo: a small cluster in virtual time",
                               description="Run a DistributedShell application on a small "
                                           "emulated cluster in virtual time and print its timeline.")
    demo.add_argument("--nodes", type=_positive, default=3, help="NodeManagers (default 3)")
    demo.add_argument("--containers", type=_positive, default=4,
                      help="containers the ApplicationMaster asks for (default 4)")
    demo.add_argument("--sleep", type=_positive, default=30,
                      help="seconds each container sleeps (default 30)")
    demo.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    demo.add_argument("--events", metavar="OUT.jsonl", help="write the event stream as JSON lines")
    scenario = commands.add_parser("scenario", help="run scripted scenarios in virtual time",
                                   description="Scripted scenario runs: YAML files telling what "
                                               "happens to a YARN cluster running Flink.")
    actions = scenario.add_subparsers(dest="action", required=True, metavar="ACTION")
    run = actions.add_parser("run", help="run a scenario file",
                             description="Run a scenario in virtual time: print its timeline, "
                                         "summary and expectations. Exit status: 0 when every "
                                         "expectation holds, 1 when one fails, 2 when the file "
                                         "is invalid.")
    from flinkyarn.scenario.command import add_arguments

    add_arguments(run)
    for name, aliases, summary in (
            ("application", ["app"], "list, show or kill applications (Hadoop's yarn "
                                     "application)"),
            ("node", [], "list or show NodeManagers (Hadoop's yarn node)")):
        # prefix_chars="+": Hadoop's "-list" style options pass through to yarnemu.yarncli.
        hadoop_style = commands.add_parser(
            name, aliases=aliases, help=summary, add_help=False, prefix_chars="+",
            description=f"{summary}, against the RM REST API at --rm URL, $YARNEMU_RM or "
                        "http://127.0.0.1:8088. Options as Hadoop's; -help lists them.")
        hadoop_style.add_argument("arguments", nargs="*", metavar="-OPTION",
                                  help="Hadoop's options, e.g. -list, -status ID, -kill ID")
        hadoop_style.set_defaults(yarn_command=name)
    return parser


def _positive(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        from yarnemu.demo import main as demo_main

        return demo_main(args)
    if args.command == "scenario":
        from flinkyarn.scenario.command import run_command

        return run_command(args)
    if getattr(args, "yarn_command", None):
        from yarnemu.yarncli import run as yarn_main

        return yarn_main(args.yarn_command, args.arguments)
    return 2


if __name__ == "__main__":
    sys.exit(main())
