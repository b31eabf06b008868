"""
Built-in container programs: the allow-list a yarnemu NodeManager runs in-process.

- ``sleep N`` (``N`` seconds, or with a ``s``/``m``/``h``/``d`` suffix, as GNU ``sleep``), ``true``
  and ``false``: work for containers;
- ``org.apache.hadoop.yarn.applications.distributedshell.ApplicationMaster``: an application
  master that runs a command in N containers, as Hadoop's DistributedShell does.
"""

from yarnemu.nodemanager.programs import ProgramRegistry
from yarnemu.programs.coreutils import FalseProgram, SleepProgram, TrueProgram
from yarnemu.programs.distributed_shell import (
    DISTRIBUTED_SHELL_AM,
    DistributedShellApplicationMaster,
)

__all__ = ["builtin_programs", "DISTRIBUTED_SHELL_AM"]


def builtin_programs():
    """:return: a new :class:`ProgramRegistry` with the built-in programs."""
    return ProgramRegistry({
        "sleep": SleepProgram,
        "true": TrueProgram,
        "false": FalseProgram,
        DISTRIBUTED_SHELL_AM: DistributedShellApplicationMaster,
    })
