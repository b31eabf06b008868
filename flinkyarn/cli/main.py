"""
The ``flinkyarn`` command: Flink's command-line client (``bin/flink``, ``bin/yarn-session.sh``)
against a running yarnemu service (``twistd -n yarnemu``), on the real reactor.

    flinkyarn yarn-session [-jm SIZE] [-tm SIZE] [-s SLOTS] [-nm NAME] [-qu QUEUE] [-D k=v]...
                           [-d] [-id APPID] [-q]
    flinkyarn run [-t yarn-per-job|yarn-session|yarn-application] [-d] [-p N] [-yid APPID]
                  [-D k=v]... [--driver [--driverheapmemory MB] [--driverdirectmemory MB]
                  [--drivercpus N] [--drivernativememory MB]] PROGRAM [ARGS]
    flinkyarn run-application -t yarn-application [OPTIONS] PROGRAM [ARGS]
    flinkyarn list [-r|-s|-a]
    flinkyarn cancel JOBID
    flinkyarn stop [-p|--savepointPath DIR] JOBID

Every action takes ``--rm URL``/``--webhdfs URL`` (see :mod:`~flinkyarn.cli.service_address`);
``FLINK_HOME`` is described in :mod:`~flinkyarn.cli.distribution`. Flink's exit statuses: 0, or 1
for a refused command line (the message and ``Use the help option (-h or --help) to get help on
the command.``) or a failure (``The program finished with the following exception:`` and the
exception); a service that is not running is said so in one line, status 1; an interrupted
command (Ctrl-C, SIGTERM) ends with 128 + the signal's number, as a JVM does, after Flink's
shutdown hooks (an attached session shuts its cluster down).

This is a composition root: the global reactor is imported here, and only here.
"""

import os
import signal
import sys

from twisted.internet.defer import inlineCallbacks
from twisted.internet.error import ReactorNotRunning

from flinkyarn.cli import jobs, run, session
from flinkyarn.cli.console import CLI_CONSOLE_LOGGERS, SESSION_CONSOLE_LOGGERS, Console
from flinkyarn.cli.context import CliContext
from flinkyarn.cli.help_text import print_shared_options
from flinkyarn.cli.options import CliArgsException
from flinkyarn.cli.reachability import connection_failure
from flinkyarn.cli.service_address import EndpointsFileError
from flinkyarn.client.flink_home import FLINK_VERSION

__all__ = ["main", "ACTIONS"]

ACTIONS = {
    "run": run.run_action,
    "run-application": run.run_application_action,
    "list": jobs.list_action,
    "cancel": jobs.cancel_action,
    "stop": jobs.stop_action,
    "yarn-session": session.yarn_session_action,
}

_HELPS = (run.run_help, run.run_application_help, jobs.list_help, jobs.cancel_help,
          jobs.stop_help)


def _print_help(console):
    console.print("flinkyarn <ACTION> [OPTIONS] [ARGUMENTS]")
    console.print()
    console.print("Flink's command-line client against a running yarnemu service "
                  "(twistd -n yarnemu).")
    console.print()
    console.print("The following actions are available:")
    for print_help in _HELPS:
        print_help(console, shared=False)
    console.print()
    console.print("Options of every action above:")
    print_shared_options(console)
    console.print()
    console.print('Action "yarn-session" starts (or, with -id, attaches to) a Flink session '
                  "cluster on YARN; see flinkyarn yarn-session -h.")
    console.print()


def _invalid_action(console, action):
    console.print(f'"{action}" is not a valid action.')
    console.print()
    console.print('Valid actions are "run", "run-application", "list", "yarn-session", "stop", '
                  'or "cancel".')
    console.print()
    console.print("Specify the version option (-v or --version) to print Flink version.")
    console.print()
    console.print("Specify the help option (-h or --help) to get help on the command.")
    return 1


def _unreachable(context, error):
    address = context.address
    url, reason = context.http.unreachable or (None, str(error))
    what, where = "service", url or (address.rm if address else "")
    if address is not None and url is not None:
        if url.startswith(address.webhdfs + "/webhdfs/"):
            what, where = "WebHDFS", address.webhdfs
        elif url.startswith(address.rm):
            what, where = "ResourceManager", address.rm
    context.console.error(
        f"Could not connect to the yarnemu {what} at {where} ({reason}). Is the service "
        "running there? Give its address with --rm URL and --webhdfs URL, $YARNEMU_RM and "
        "$YARNEMU_WEBHDFS, or $YARNEMU_ENDPOINTS (the file twistd yarnemu --endpoints-file "
        "writes).")
    return 1


@inlineCallbacks
def _execute(action, arguments, context):
    try:
        code = yield action(context, arguments)
    except CliArgsException as error:
        code = context.console.argument_error(error.message)
    except BrokenPipeError:
        code = 1  # whoever read the output stopped reading
    except EndpointsFileError as error:
        context.console.error(str(error))
        code = 1
    except Exception as error:
        if context.interrupted:
            code = 1
        elif connection_failure(error) is not None:
            code = _unreachable(context, error)
        else:
            code = context.console.program_error(error)
    finally:
        try:
            yield context.close()
        except Exception:
            pass
    return code


def _run_on_reactor(action, arguments, environ, console, stdin):
    from twisted.internet import reactor
    from twisted.internet.task import react

    context = CliContext(reactor, environ, console, stdin)
    outcome = {"code": 1, "finished": False, "signal": None}

    def before_shutdown():
        if outcome["finished"]:
            return None
        return context.interrupt()

    def stop():
        try:
            reactor.stop()
        except ReactorNotRunning:
            pass

    def on_signal(signum, frame):
        outcome["signal"] = outcome["signal"] or signum
        reactor.callFromThread(stop)

    def install_signal_handlers():
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, on_signal)

    @inlineCallbacks
    def command(reactor):
        reactor.addSystemEventTrigger("before", "shutdown", before_shutdown)
        reactor.callWhenRunning(install_signal_handlers)
        code = yield _execute(action, arguments, context)
        outcome["code"] = code
        outcome["finished"] = True

    try:
        react(command)
    except SystemExit:
        pass
    if context.interrupted or not outcome["finished"]:
        return 128 + (outcome["signal"] or signal.SIGINT)
    return outcome["code"]


def main(argv=None, environ=None, stdin=None, stdout=None, stderr=None):
    """
    Run ``flinkyarn <argv>``.

    :param argv: the arguments after the program name (default: ``sys.argv[1:]``).
    :param environ: the environment (default: ``os.environ``).
    :return: the exit status.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    environ = os.environ if environ is None else environ
    out = sys.stdout if stdout is None else stdout
    err = sys.stderr if stderr is None else stderr
    stdin = sys.stdin if stdin is None else stdin
    action = argv[0] if argv else None
    console = Console(out, err, SESSION_CONSOLE_LOGGERS if action == "yarn-session"
                      else CLI_CONSOLE_LOGGERS)
    if not argv:
        _print_help(console)
        console.print("Please specify an action.")
        return 1
    action, arguments = argv[0], argv[1:]
    if action in ("-h", "--help"):
        _print_help(console)
        return 0
    if action in ("-v", "--version"):
        console.print(f"Version: {FLINK_VERSION}")
        return 0
    if action not in ACTIONS:
        return _invalid_action(console, action)
    return _run_on_reactor(ACTIONS[action], arguments, environ, console, stdin)


if __name__ == "__main__":
    sys.exit(main())
