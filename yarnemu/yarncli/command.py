"""
The entry point of ``yarnemu application`` and ``yarnemu node``: picks the RM's address, runs
the command, and turns what escapes it into one line on stderr.

* ``--rm URL`` (or ``--rm=URL``), anywhere among the arguments, names the RM's web address;
  else ``$YARNEMU_RM``; else the endpoints file ``$YARNEMU_ENDPOINTS`` names (a service's
  ``--endpoints-file``); else ``http://127.0.0.1:8088``.  An endpoints file that cannot be read
  is one line on stderr and status 1.
* The exit status is the command's own (Hadoop's ``-1`` is 255 as a process status).
* No connection to the RM: ``Failed to connect to the ResourceManager at URL (reason) ...`` and
  status 1.
* Interrupted (Ctrl-C, e.g. while a kill is awaited): status 130, quietly.
* What Hadoop's commands leave uncaught (a malformed id, an unknown option, an unexpected error
  from the RM) ends a Java ``main`` with the exception's first line and status 1: so here,
  ``Exception in thread "main" <class>: <message>``, without the stack trace.
"""

import sys
import time

from yarnemu.errors import RemoteError
from yarnemu.service.endpoints_file import EndpointsFileError
from yarnemu.yarncli.application import ApplicationCommand
from yarnemu.yarncli.node import NodeCommand
from yarnemu.yarncli.options import ParseException
from yarnemu.yarncli.rest import RmRest, RmRestError, RmUnreachable, resolve_rm_url

__all__ = ["run", "COMMANDS"]

COMMANDS = {"application": ApplicationCommand, "app": ApplicationCommand, "node": NodeCommand}


def _split_rm_option(arguments):
    """:return: ``(the --rm value or None, the other arguments)``."""
    url = None
    rest = []
    i = 0
    while i < len(arguments):
        argument = arguments[i]
        if argument == "--rm" and i + 1 < len(arguments):
            url = arguments[i + 1]
            i += 2
            continue
        if argument.startswith("--rm="):
            url = argument[len("--rm="):]
        else:
            rest.append(argument)
        i += 1
    return url, rest


def run(command, arguments, send=None, sleep=None, environ=None, out=None, err=None, tz=None):
    """
    Run ``yarnemu <command> <arguments>``.

    :param str command: ``application`` (or ``app``) or ``node``.
    :param arguments: the arguments after the command.
    :param send: the HTTP exchange for :class:`~yarnemu.yarncli.rest.RmRest` (``None``: urllib).
    :param sleep: ``sleep(seconds)`` between the polls of a kill (``None``: ``time.sleep``).
    :param environ: the environment (``None``: ``os.environ``).
    :param out: standard output (``None``: ``sys.stdout`` at call time).
    :param err: standard error (``None``: ``sys.stderr`` at call time).
    :param tz: the time zone of dates (``None``: the local one).
    :return: the exit status.
    """
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    url, arguments = _split_rm_option(list(arguments))
    try:
        rm = RmRest(resolve_rm_url(url, environ), send=send)
    except EndpointsFileError as error:
        err.write(f"{error}\n")
        return 1
    kind = COMMANDS[command]
    if kind is ApplicationCommand:
        cli = ApplicationCommand(rm, out, err, sleep=sleep or time.sleep)
    else:
        cli = NodeCommand(rm, out, err, tz=tz)
    try:
        return cli.run(arguments)
    except RmUnreachable as error:
        out.flush()
        err.write(f"Failed to connect to the ResourceManager at {error.url} ({error.reason}); "
                  f"is the yarnemu service running there? Give its web address with --rm URL "
                  f"or YARNEMU_RM.\n")
        return 1
    except (RemoteError, RmRestError, ParseException) as error:
        out.flush()
        err.write(f'Exception in thread "main" {error.java_class}: {error.message}\n')
        return 1
    except KeyboardInterrupt:
        out.flush()
        return 130
