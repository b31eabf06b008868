"""
Finding a program's ``main(args)``: a built-in name (:data:`~flinkyarn.examples.BUILTIN_PROGRAMS`)
or a user program given as ``path/to/file.py:function`` (``:main`` may be left out).

A user file is loaded as a module from its path (``importlib``; nothing is ``eval``-ed), which
runs its top-level code as importing it would.  This is for programs a user runs from their own
client; surfaces that accept programs from others resolve only built-in names.
"""

import hashlib
import importlib.machinery
import importlib.util
import re
import sys
from pathlib import Path

from flinkyarn.examples import BUILTIN_PROGRAMS
from flinkyarn.graph.errors import FlinkError

__all__ = ["ProgramInvocationException", "load_program", "load_program_file"]

_SPEC_RE = re.compile(r"(?P<path>.+?)(?::(?P<function>[A-Za-z_][A-Za-z0-9_]*))?\Z", re.DOTALL)


class _FreshSourceLoader(importlib.machinery.SourceFileLoader):
    """Compiles the source on every load: no bytecode cache, so an edited program (even one
    rewritten within the same second) is never run stale, and nothing is written beside it."""

    def get_code(self, fullname):
        return self.source_to_code(self.get_data(self.path), self.path)


class ProgramInvocationException(FlinkError):
    """A program that cannot be found, loaded or called."""

    java_class = "org.apache.flink.client.program.ProgramInvocationException"


def load_program(spec):
    """
    :param str spec: a built-in program name, or ``path/to/file.py[:function]``.
    :return: the program's ``main(args)`` callable.
    :raise ProgramInvocationException: for an unknown name, a missing file, a file that does not
        load (syntax error, failing import), or a missing or non-callable function.
    """
    if spec in BUILTIN_PROGRAMS:
        return BUILTIN_PROGRAMS[spec]
    match = _SPEC_RE.match(spec or "")
    if match is None or not match.group("path").endswith(".py"):
        names = ", ".join(sorted(BUILTIN_PROGRAMS))
        raise ProgramInvocationException(
            f"Unknown program '{spec}': give a built-in program ({names}) or a Python file as "
            "path/to/program.py[:function]."
        )
    return load_program_file(match.group("path"), match.group("function") or "main")


def load_program_file(path, function="main"):
    """
    :return: ``function`` of the Python file at ``path``.
    :raise ProgramInvocationException: as :func:`load_program`.
    """
    path = Path(path)
    if not path.is_file():
        raise ProgramInvocationException(f"Program file '{path}' does not exist.")
    digest = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:16]
    module_name = f"flinkyarn_user_program_{digest}"
    spec = importlib.util.spec_from_file_location(
        module_name, path, loader=_FreshSourceLoader(module_name, str(path))
    )
    if spec is None or spec.loader is None:
        raise ProgramInvocationException(f"Could not load program '{path}': not a Python file.")
    module = importlib.util.module_from_spec(spec)
    # Registered while it runs, so that dataclasses and pickling inside it work; removed after,
    # so that a second load reads the file again.
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as error:
        raise ProgramInvocationException(
            f"Could not load program '{path}': {error.msg} (line {error.lineno})."
        ) from error
    except Exception as error:  # the program's own top-level code failed
        raise ProgramInvocationException(
            f"Could not load program '{path}': {type(error).__name__}: {error}"
        ) from error
    finally:
        sys.modules.pop(module_name, None)
    entry = getattr(module, function, None)
    if entry is None:
        raise ProgramInvocationException(
            f"The program '{path}' has no function '{function}'; it needs a "
            f"{function}(args) entry point."
        )
    if not callable(entry):
        raise ProgramInvocationException(
            f"The entry point '{function}' of program '{path}' is not callable."
        )
    return entry
