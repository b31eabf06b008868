"""
Tests for :mod:`flinkyarn.examples.loader`: finding built-in programs and loading user
programs from ``path/to/file.py:function``, with clear errors.
"""

from pathlib import Path

import pytest

from flinkyarn.examples import BUILTIN_PROGRAMS
from flinkyarn.examples.loader import ProgramInvocationException, load_program

TWO_JOBS = Path(__file__).parent / "programs" / "two_jobs.py"


def _write(tmp_path, text, name="program.py"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_built_in_names_resolve_to_the_registry():
    """A built-in program name gives its registered main."""
    assert load_program("wordcount") is BUILTIN_PROGRAMS["wordcount"]


def test_a_file_loads_with_the_default_or_a_named_function(tmp_path):
    """path.py gives its main; path.py:name gives that function."""
    path = _write(tmp_path, "def main(args):\n    return 'main'\n\ndef other(args):\n"
                            "    return 'other'\n")
    assert load_program(str(path))([]) == "main"
    assert load_program(f"{path}:other")([]) == "other"
    assert load_program(str(TWO_JOBS)).__name__ == "main"


def test_a_changed_file_is_read_again(tmp_path):
    """Loading a file twice reads it afresh."""
    path = _write(tmp_path, "def main(args):\n    return 1\n")
    assert load_program(str(path))([]) == 1
    path.write_text("def main(args):\n    return 2\n")
    assert load_program(str(path))([]) == 2


def test_a_missing_file_is_a_clear_error(tmp_path):
    """A path that does not exist names the file."""
    with pytest.raises(ProgramInvocationException,
                       match=r"Program file '.*nope.py' does not exist"):
        load_program(str(tmp_path / "nope.py"))


def test_a_missing_function_is_a_clear_error(tmp_path):
    """A file without the entry point names the function."""
    path = _write(tmp_path, "def helper(args):\n    pass\n")
    with pytest.raises(ProgramInvocationException, match="has no function 'main'"):
        load_program(str(path))
    with pytest.raises(ProgramInvocationException, match="has no function 'run'"):
        load_program(f"{path}:run")


def test_a_non_callable_entry_point_is_refused(tmp_path):
    """An entry point that is not a function is refused."""
    path = _write(tmp_path, "main = 42\n")
    with pytest.raises(ProgramInvocationException, match="is not callable"):
        load_program(str(path))


def test_a_syntax_error_names_the_line(tmp_path):
    """A file that does not parse reports the error and its line."""
    path = _write(tmp_path, "def main(args):\n    return (\n\nx = 1 +\n")
    with pytest.raises(ProgramInvocationException, match=r"Could not load program .*\(line \d+\)"):
        load_program(str(path))


def test_a_failing_top_level_is_reported_with_its_cause(tmp_path):
    """An exception while loading the module is reported with its type and message."""
    path = _write(tmp_path, "raise RuntimeError('no config')\n")
    with pytest.raises(ProgramInvocationException, match="RuntimeError: no config") as error:
        load_program(str(path))
    assert isinstance(error.value.__cause__, RuntimeError)


def test_unknown_names_list_the_built_in_programs():
    """A name that is neither built in nor a .py file lists what exists."""
    with pytest.raises(ProgramInvocationException,
                       match="Unknown program 'sleep'.*streaming-window, wordcount"):
        load_program("sleep")
