"""
:class:`YarnCommand`: what Hadoop's ``YarnCLI`` commands (``ApplicationCLI``, ``NodeCLI``) share —
their usage text, and the answer to a command line that names no command option.
"""

from yarnemu.yarncli.options import usage

__all__ = ["YarnCommand"]


class YarnCommand:
    """
    The base of a ``yarnemu`` command.

    :cvar str title: the command's name in its usage line (``usage: <title>``).
    :cvar options: its :class:`~yarnemu.yarncli.options.Option` tuple.

    :param rm: the :class:`~yarnemu.yarncli.rest.RmRest` to ask.
    :param out: where the command's output goes (``System.out``).
    :param err: where its complaints go (``System.err``).
    """

    title = None
    options = ()

    def __init__(self, rm, out, err):
        self.rm = rm
        self.out = out
        self.err = err

    def _usage(self):
        """Print the usage; :return: -1, the status of a command line Hadoop refuses."""
        self.out.write(usage(self.title, self.options))
        return -1

    def _without_command(self, line):
        """
        Answer a parsed command line that named no command option: the usage for ``-help``;
        else ``Invalid Command Usage :`` on stderr, then the usage.

        :return: 0, as Hadoop's commands return in both cases.
        """
        if not line.has("help"):
            self.err.write("Invalid Command Usage : \n")
        self._usage()
        return 0
