"""
:class:`ParameterTool`: program arguments parsed as Flink's ``ParameterTool.fromArgs`` parses
them (``--records 200000 --verbose``).
"""

import re
from types import MappingProxyType

from flinkyarn.graph.errors import IllegalArgumentException

__all__ = ["ParameterTool", "NO_VALUE_KEY"]

#: The value of a key given without one (``--verbose``).
NO_VALUE_KEY = "__NO_VALUE_KEY"

_NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")


def _java_list(args):
    return "[" + ", ".join(args) + "]"


class ParameterTool:
    """
    Read-only program parameters.

    :ivar data: key → value (``NO_VALUE_KEY`` for flags), in argument order.
    """

    def __init__(self, data):
        self.data = MappingProxyType(dict(data))

    @classmethod
    def from_args(cls, args):
        """
        Parse ``--key value`` and ``-key value`` pairs; a key followed by another key or by
        nothing is a flag; a value may be a negative number.

        :raise IllegalArgumentException: for an argument that is not a ``-``/``--`` key where a
            key is expected, or an empty key.
        """
        args = [str(arg) for arg in args]
        data = {}
        index = 0
        while index < len(args):
            arg = args[index]
            if arg.startswith("--"):
                key = arg[2:]
            elif arg.startswith("-"):
                key = arg[1:]
            else:
                raise IllegalArgumentException(
                    f"Error parsing arguments '{_java_list(args)}' on '{arg}'. Please prefix "
                    "keys with -- or -."
                )
            if not key:
                raise IllegalArgumentException(
                    f"The input {_java_list(args)} contains an empty argument"
                )
            index += 1
            if index >= len(args):
                data[key] = NO_VALUE_KEY
            elif _NUMBER_RE.match(args[index]):
                data[key] = args[index]
                index += 1
            elif args[index].startswith("-"):
                data[key] = NO_VALUE_KEY
            else:
                data[key] = args[index]
                index += 1
        return cls(data)

    def has(self, key):
        return key in self.data

    def get(self, key, default=None):
        """:return: the value of ``key``, or ``default`` when absent."""
        return self.data.get(key, default)

    def get_required(self, key):
        """:raise IllegalArgumentException: when ``key`` is absent."""
        if key not in self.data:
            raise IllegalArgumentException(f"No data for required key '{key}'")
        return self.data[key]

    def _typed(self, key, default, convert, what):
        if key not in self.data:
            return default
        try:
            return convert(self.data[key])
        except ValueError:
            raise IllegalArgumentException(
                f"Value '{self.data[key]}' of parameter '{key}' is not {what}."
            ) from None

    def get_int(self, key, default=None):
        return self._typed(key, default, int, "an integer")

    def get_float(self, key, default=None):
        return self._typed(key, default, float, "a number")

    def get_bool(self, key, default=None):
        """A flag without a value is true."""

        def convert(text):
            if text == NO_VALUE_KEY:
                return True
            if text.lower() in ("true", "false"):
                return text.lower() == "true"
            raise ValueError(text)

        return self._typed(key, default, convert, "true or false")

    def __len__(self):
        return len(self.data)
