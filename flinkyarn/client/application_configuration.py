"""
:class:`ApplicationConfiguration`: the program an application cluster runs in its JobManager
(Flink's ``ApplicationConfiguration``: main class and arguments), and how it travels there.

A program is a built-in name (``wordcount``) or a local file ``path/to/job.py[:function]``.
The client ships a file to ``usrlib/<name>.py`` and writes into the staged configuration:

- ``$internal.application.main``: the program as the JobManager's working directory sees it —
  the built-in name, or ``usrlib/<name>.py:<function>`` — ready for
  :func:`flinkyarn.examples.loader.load_program`;
- ``$internal.application.program-args``: the arguments (a ``;``-separated list).
"""

import os
import re

from attrs import field, frozen

from flinkyarn.client.staging import USRLIB_DIR
from flinkyarn.config import options as o
from flinkyarn.examples import BUILTIN_PROGRAMS
from flinkyarn.examples.loader import ProgramInvocationException

__all__ = ["ApplicationConfiguration"]

_FILE_SPEC = re.compile(r"(?P<path>.+?\.py)(?::(?P<function>[A-Za-z_][A-Za-z0-9_]*))?\Z",
                        re.DOTALL)


@frozen
class ApplicationConfiguration:
    """
    :ivar str program: a built-in program name or ``path/to/job.py[:function]``.
    :ivar tuple args: the program's arguments.
    """

    program: str
    args: tuple = field(default=(), converter=tuple)

    @property
    def program_file(self):
        """
        :return: the local path of a program file, or ``None`` for a built-in program.
        :raise ProgramInvocationException: for an unknown name or a missing file.
        """
        if self.program in BUILTIN_PROGRAMS:
            return None
        return self._file_and_function()[0]

    @property
    def entry_point(self):
        """``$internal.application.main``: the program as the JobManager finds it."""
        if self.program in BUILTIN_PROGRAMS:
            return self.program
        path, function = self._file_and_function()
        return f"{USRLIB_DIR}/{os.path.basename(path)}:{function}"

    def apply_to(self, config):
        """:return: ``config`` with the program's main and arguments set."""
        return config.with_values({
            o.APPLICATION_MAIN_CLASS.key: self.entry_point,
            o.APPLICATION_ARGS.key: list(self.args) or None,
        })

    def _file_and_function(self):
        match = _FILE_SPEC.match(self.program or "")
        if match is None:
            names = ", ".join(sorted(BUILTIN_PROGRAMS))
            raise ProgramInvocationException(
                f"Unknown program '{self.program}': give a built-in program ({names}) or a "
                "Python file as path/to/program.py[:function].")
        path = match.group("path")
        if not os.path.isfile(path):
            raise ProgramInvocationException(f"Program file '{path}' does not exist.")
        return os.path.abspath(path), match.group("function") or "main"
