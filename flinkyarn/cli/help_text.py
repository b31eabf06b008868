"""
The help the ``flinkyarn`` actions print, laid out as Flink's ``CliFrontendParser.printHelpFor*``:
``Action "<action>" <summary>``, the syntax, the action's options, then the options for
yarn-cluster mode and the general ones (printed once, at the end, in the help of all actions).
"""

from flinkyarn.cli.cluster_options import GENERAL_OPTIONS, YarnOptions
from flinkyarn.cli.options import help_lines

__all__ = ["print_action_help", "print_shared_options"]

_YARN = YarnOptions("y", "yarn")


def print_shared_options(console):
    """The options every action but ``yarn-session`` takes."""
    console.print("  Options for yarn-cluster mode:")
    for line in help_lines(_YARN.all):
        console.print(line)
    console.print("  General options:")
    for line in help_lines(GENERAL_OPTIONS):
        console.print(line)


def print_action_help(console, action, syntax, summary, options, notes=(), shared=True):
    """
    :param options: the action's own options.
    :param notes: lines printed under the syntax.
    :param bool shared: also print the options shared by the actions.
    :return: 0.
    """
    console.print()
    console.print(f'Action "{action}" {summary}')
    console.print()
    console.print(f"  Syntax: {syntax}")
    for note in notes:
        console.print(f"  {note}")
    console.print(f'  "{action}" action options:')
    for line in help_lines(options):
        console.print(line)
    if shared:
        print_shared_options(console)
    return 0
