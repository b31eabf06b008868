"""
The driver's program in the TaskManager: :func:`load_driver_main` turns a
:class:`~flinkyarn.graph.driver_program.DriverProgram` into its ``main(args)`` — a built-in
program, or the shipped file's text compiled as ``usrlib/<name>.py`` (the name its frames show
in tracebacks, whatever directory the TaskManager runs in, so that event logs do not depend on
where the cluster keeps its data) — and :func:`driver_failure` words what ``main()`` raised as
the driver task's failure cause.

A failure of ``main()`` is not recoverable: a restarted driver would run the same ``main()``
into the same failure (and submit its jobs again), so the cause is a
``SuppressRestartsException``, which fails the driver job whatever the restart strategy.  Its
message holds the whole story: ``The main method caused an error: …`` and the Python traceback
of ``main()``'s own frames.
"""

import linecache
import sys
import traceback
import types
import zlib

from flinkyarn.examples import BUILTIN_PROGRAMS
from flinkyarn.examples.loader import ProgramInvocationException
from flinkyarn.runtime.jobmaster.job_master import SUPPRESS_RESTARTS_EXCEPTION
from flinkyarn.runtime.messages import SerializedThrowable

__all__ = ["load_driver_main", "driver_failure", "program_file_name", "USRLIB"]

USRLIB = "usrlib"
"""Where a shipped program is said to be: Flink's user library directory."""

_SUPPRESS_RESTARTS_MESSAGE = ("Unrecoverable failure. This suppresses job restarts. Please check "
                              "the stack trace for the root cause.")


def program_file_name(program):
    """:return: the name a shipped program's code is compiled under (``usrlib/<name>.py``),
    or ``None`` for a built-in program."""
    return None if program.source is None else f"{USRLIB}/{program.file_name}"


def load_driver_main(program):
    """
    :param program: a :class:`~flinkyarn.graph.driver_program.DriverProgram`.
    :return: its ``main(args)`` callable.
    :raise ProgramInvocationException: for an unknown built-in program, a file that does not
        compile or whose top-level code fails, or a missing or non-callable entry function —
        worded as :func:`flinkyarn.examples.loader.load_program` words them.
    """
    if program.source is None:
        main = BUILTIN_PROGRAMS.get(program.entry)
        if main is None:
            raise ProgramInvocationException(f"Unknown program '{program.entry}'.")
        return main
    file_name = program_file_name(program)
    lines = program.source.splitlines(keepends=True)
    # Tracebacks find the source lines of a file that is nowhere on disk.
    linecache.cache[file_name] = (len(program.source), None, lines, file_name)
    try:
        code = compile(program.source, file_name, "exec")
    except SyntaxError as error:
        raise ProgramInvocationException(
            f"Could not load program '{file_name}': {error.msg} (line {error.lineno}).") from error
    digest = zlib.crc32(program.source.encode("utf-8"))
    module_name = f"flinkyarn_driver_program_{digest:08x}"
    module = types.ModuleType(module_name)
    module.__file__ = file_name
    # Registered while it runs (dataclasses and pickling inside it need that), removed after.
    sys.modules[module_name] = module
    try:
        exec(code, module.__dict__)  # noqa: S102 - the user's own program, as a JVM runs a jar
    except Exception as error:
        raise ProgramInvocationException(
            f"Could not load program '{file_name}': {type(error).__name__}: {error}") from error
    finally:
        sys.modules.pop(module_name, None)
    main = getattr(module, program.function, None)
    if main is None:
        raise ProgramInvocationException(
            f"The program '{file_name}' has no function '{program.function}'; it needs a "
            f"{program.function}(args) entry point.")
    if not callable(main):
        raise ProgramInvocationException(
            f"The entry point '{program.function}' of program '{file_name}' is not callable.")
    return main


def driver_failure(error, program):
    """
    :param error: what loading or running ``main()`` raised (a ``ProgramInvocationException``
        whose ``__cause__`` is ``main()``'s own exception, if it ran).
    :param program: the :class:`~flinkyarn.graph.driver_program.DriverProgram`.
    :return: the driver task's failure cause, a ``SerializedThrowable``: a
        ``SuppressRestartsException`` caused by ``error`` and the traceback of ``main()``.
    """
    java_class = getattr(error, "java_class", None) or type(error).__name__
    message = getattr(error, "message", None) or str(error)
    text = f"{_SUPPRESS_RESTARTS_MESSAGE}\nCaused by: {java_class}: {message}"
    cause = error.__cause__
    if cause is not None:
        trace = "".join(_user_trace(cause, program)).rstrip("\n")
        text += f"\nCaused by: {trace}"
    return SerializedThrowable(SUPPRESS_RESTARTS_EXCEPTION, text)


def _user_trace(error, program):
    """``error``'s Python traceback, showing only the frames of the program's own file."""
    shown = program_file_name(program)
    exception = traceback.TracebackException.from_exception(error)
    pending = [exception]
    while pending:
        current = pending.pop()
        current.stack = traceback.StackSummary.from_list(
            [frame for frame in current.stack if shown is not None and frame.filename == shown])
        pending.extend(chained for chained in (current.__cause__, current.__context__)
                       if chained is not None)
    return exception.format()
