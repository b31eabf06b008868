"""
A container's ``launch_container.sh``, as the NodeManager writes it for the process executor
(``ContainerExecutor.writeLaunchEnv`` with ``UnixShellScriptBuilder``, Hadoop 3): ``#!/bin/bash``,
``set -o pipefail -e``, the script's own output sent to ``prelaunch.out`` and ``prelaunch.err`` in
the container's log directory, one ``export`` per variable of the container's environment, then
``exec /bin/bash -c`` with the launch context's commands joined by spaces, ``<LOG_DIR>``,
``<CPS>`` and ``{{VAR}}`` replaced.

Hadoop writes values between double quotes and lets the script's shell expand them.  Here the
NodeManager has expanded the environment already (:mod:`yarnemu.nodemanager.environment`: once,
in order, as the script's shell would), so every value is exported literally in single quotes:
spaces, quotes, ``$`` and newlines arrive unchanged, and nothing in a value or a variable name is
ever run.  The command is also passed to ``bash -c`` in single quotes, so that only that inner
``bash`` reads it — once, as a command line.

Also here: the empty ``container_tokens`` file (Hadoop's token storage format, no tokens, no
secrets) for containers whose launch context carries no tokens, since a Java client reads the
file named by ``HADOOP_TOKEN_FILE_LOCATION`` when it logs in.
"""

import re
import shlex

from yarnemu.nodemanager.environment import expand_markers

__all__ = [
    "LAUNCH_SCRIPT",
    "PRELAUNCH_OUT",
    "PRELAUNCH_ERR",
    "TOKENS_FILE",
    "EMPTY_CREDENTIALS",
    "launch_script",
    "launch_command",
    "export",
]

LAUNCH_SCRIPT = "launch_container.sh"
"""``ContainerLaunch.CONTAINER_SCRIPT``: in the working directory, copied to the log directory."""

PRELAUNCH_OUT = "prelaunch.out"
PRELAUNCH_ERR = "prelaunch.err"
"""Where the script's standard output and error go (``ContainerLaunch.CONTAINER_PRE_LAUNCH_*``);
a command that does not redirect its own writes there too."""

TOKENS_FILE = "container_tokens"
"""``ContainerLaunch.FINAL_CONTAINER_TOKENS_FILE``, which ``HADOOP_TOKEN_FILE_LOCATION`` names."""

EMPTY_CREDENTIALS = b"HDTS\x00\x00\x00"
"""``Credentials.writeTokenStorageToStream`` of no tokens: the magic ``HDTS``, format 0
(``WRITABLE``), then the vint counts of tokens and of secret keys, both 0."""

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def export(name, value):
    """
    :return: the line exporting ``name`` with ``value``, taken literally.  A name that is not a
        shell identifier fails the script as ``export`` fails in Hadoop's (exit code 1, bash's
        "not a valid identifier" in ``prelaunch.err``), and is never run.
    """
    if _IDENTIFIER.match(name):
        return f"export {name}={shlex.quote(value)}"
    message = f"{LAUNCH_SCRIPT}: export: `{name}={value}': not a valid identifier"
    return f"echo {shlex.quote(message)} >&2; exit 1"


def launch_command(commands, log_dir):
    """
    :return: the command line the container runs: its commands joined by spaces, with
        ``<LOG_DIR>`` (the container's log directory), ``<CPS>`` and ``{{VAR}}`` replaced
        (``ContainerLaunch.expandEnvironment``).
    """
    return expand_markers(" ".join(commands), str(log_dir))


def launch_script(environment, commands, log_dir):
    """
    :param environment: the container's variables, in the order to export them.
    :param commands: the launch context's commands.
    :param log_dir: the container's log directory.
    :return: the text of ``launch_container.sh``.
    """
    log_dir = str(log_dir).rstrip("/")
    lines = [
        "#!/bin/bash",
        "",
        "set -o pipefail -e",
        export("PRELAUNCH_OUT", f"{log_dir}/{PRELAUNCH_OUT}"),
        'exec >"${PRELAUNCH_OUT}"',
        export("PRELAUNCH_ERR", f"{log_dir}/{PRELAUNCH_ERR}"),
        'exec 2>"${PRELAUNCH_ERR}"',
        'echo "Setting up env variables"',
    ]
    lines.extend(export(name, value) for name, value in environment.items())
    lines.append('echo "Launching container"')
    lines.append(f"exec /bin/bash -c {shlex.quote(launch_command(commands, log_dir))}")
    return "\n".join(lines) + "\n"
