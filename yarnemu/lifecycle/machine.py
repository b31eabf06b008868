"""
:class:`TransitionTable`: the allowed (state, input) → target states of one lifecycle.
"""

from yarnemu.errors import InvalidStateTransitionException

__all__ = ["TransitionTable"]


class TransitionTable:
    """
    :param str name: the lifecycle's name, for messages.
    :param arcs: ``(from_states, inputs, to_states)`` triples; each is one value or a tuple of
        values (every from-state × every input may lead to any of the to-states).
    :param ignored: ``(from_states, inputs)`` pairs that are accepted and change nothing.
    """

    def __init__(self, name, arcs, ignored=()):
        self.name = name
        self._arcs = {}
        self._ignored = set()
        for sources, events, targets in arcs:
            for source in _states(sources):
                for event in _states(events):
                    key = (source, event)
                    if key in self._arcs:
                        raise ValueError(f"{name}: duplicate arc from {source} on {event}")
                    self._arcs[key] = frozenset(_states(targets))
        for sources, events in ignored:
            for source in _states(sources):
                for event in _states(events):
                    if (source, event) in self._arcs:
                        raise ValueError(f"{name}: {event} in {source} is both an arc and ignored")
                    self._ignored.add((source, event))

    def next_state(self, state, event, target=None):
        """
        :param target: which of the allowed targets to go to; may be omitted when there is one.
        :return: the target state, or ``None`` if the input is ignored in ``state``.
        :raise InvalidStateTransitionException: if the table does not allow ``event`` in
            ``state`` or does not allow it to lead to ``target``.
        """
        targets = self._arcs.get((state, event))
        if targets is None:
            if (state, event) in self._ignored:
                return None
            raise InvalidStateTransitionException(state, event)
        if target is None:
            if len(targets) != 1:
                raise ValueError(f"{self.name}: {event} in {state} needs one of {sorted(targets)}")
            (target,) = targets
            return target
        if target not in targets:
            raise InvalidStateTransitionException(state, event)
        return target

    def accepts(self, state, event):
        """
        :return: ``True`` if ``event`` is an arc (not merely ignored) in ``state``.
        """
        return (state, event) in self._arcs

    def arcs(self):
        """
        :return: every ``(state, event, targets)`` arc, for documentation and tests.
        """
        return [(state, event, targets) for (state, event), targets in self._arcs.items()]


def _states(value):
    if isinstance(value, (set, frozenset, tuple, list)):
        return tuple(value)
    return (value,)
