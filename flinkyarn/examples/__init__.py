"""
Built-in example programs, each a ``main(args)`` function, and :data:`BUILTIN_PROGRAMS`, the
registry clients and application clusters resolve program names against.
"""

from flinkyarn.examples import streaming_window, wordcount

__all__ = ["BUILTIN_PROGRAMS"]

#: Program name → ``main(args)``.
BUILTIN_PROGRAMS = {
    "wordcount": wordcount.main,
    "streaming-window": streaming_window.main,
}
