"""
:class:`ScenarioError`: a scenario file that is wrong, with where and why.
"""

__all__ = ["ScenarioError"]


class ScenarioError(Exception):
    """
    A scenario file that cannot run: unreadable, not YAML, or not a scenario.

    ``str()`` is ``FILE:LINE: message`` (``FILE: message`` when no line applies), the form
    editors and compilers use, so a person can jump to the line.

    :ivar str path: the file.
    :ivar line: the 1-based line, or ``None``.
    :ivar str message: what is wrong, for a person.
    """

    def __init__(self, path, line, message):
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self):
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"
