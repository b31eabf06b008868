"""
Reading a YAML file into values that remember their line: :func:`load_yaml` returns a
:class:`Node` tree (mappings, sequences and scalars, each with its 1-based line), so that the
reader can say *where* a file is wrong, not only what.

Plain YAML 1.1 through PyYAML's safe composer: no tags beyond the standard ones, no objects.
Duplicate keys in a mapping are an error (PyYAML would silently keep the last one).
"""

import yaml
from attrs import frozen

from flinkyarn.scenario.errors import ScenarioError

__all__ = ["Node", "load_yaml"]


@frozen
class Node:
    """
    A YAML value and where it starts.

    :ivar value: a ``dict`` of ``str`` key → :class:`Node`, a ``list`` of :class:`Node`, or a
        scalar (``str``, ``int``, ``float``, ``bool`` or ``None``).
    :ivar int line: its 1-based line.
    :ivar dict key_lines: for a mapping, key → the line of the key.
    """

    value: object
    line: int
    key_lines: dict = {}

    @property
    def is_mapping(self):
        return isinstance(self.value, dict)

    @property
    def is_sequence(self):
        return isinstance(self.value, list)

    def plain(self):
        """:return: the value with every :class:`Node` unwrapped (for free-form blocks)."""
        if self.is_mapping:
            return {key: node.plain() for key, node in self.value.items()}
        if self.is_sequence:
            return [node.plain() for node in self.value]
        return self.value


def load_yaml(path):
    """
    :return: the root :class:`Node` of the YAML file at ``path``.
    :raise ScenarioError: if it cannot be read, is not YAML, holds several documents, or has a
        duplicate key.
    """
    try:
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(path, None, f"cannot read the scenario file: {error}") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark is not None and (mark is None or mark.index >= len(text)):
            # An unclosed quote or bracket: the problem is "at the end"; say where it opened.
            mark = error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(part for part in (error.context, error.problem) if part)
        raise ScenarioError(path, line, f"not valid YAML: {problem}") from None
    except yaml.YAMLError as error:
        raise ScenarioError(path, None, f"not valid YAML: {error}") from None
    if root is None:
        raise ScenarioError(path, None, "the scenario file is empty")
    return _convert(path, root, yaml.SafeLoader(""))


def _convert(path, node, constructor):
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        values, key_lines = {}, {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise ScenarioError(path, key_line, f"a key must be text, not {key!r}")
            if key in values:
                raise ScenarioError(path, key_line,
                                    f"'{key}' appears twice here (first on line {key_lines[key]})")
            values[key] = _convert(path, value_node, constructor)
            key_lines[key] = key_line
        return Node(values, line, key_lines)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(path, item, constructor) for item in node.value], line)
    try:
        value = constructor.construct_object(node, deep=True)
    except yaml.YAMLError as error:
        raise ScenarioError(path, line, f"not a valid value: {error}") from None
    if not isinstance(value, (str, int, float, bool, type(None))):
        # Timestamps and binary: keep what the user wrote.
        value = node.value
    return Node(value, line)
