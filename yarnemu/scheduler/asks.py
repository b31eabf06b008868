"""
:class:`AskTable`: one application attempt's outstanding resource requests.

Asks are **absolute totals** per scheduler key ``(priority, allocation_request_id)`` and resource
name (host, rack or ``*``): an update replaces the stored entry, ``num_containers == 0`` cancels
it, and the scheduler decrements the stored counts as it allocates.  The ``*`` (ANY) count is the
key's total demand.
"""

from bisect import insort

from yarnemu.records.am_protocol import ANY
from yarnemu.records.states import NodeType

__all__ = ["AskEntry", "AskTable"]


class AskEntry:
    """One stored request: its capability, outstanding count and relaxLocality flag."""

    __slots__ = ("capability", "count", "relax_locality")

    def __init__(self, capability, count, relax_locality):
        self.capability = capability
        self.count = count
        self.relax_locality = relax_locality

    def __repr__(self):
        return f"AskEntry({self.capability}, {self.count}, relax={self.relax_locality})"


class AskTable:
    """
    :ivar int pending: the sum of the ANY counts over all keys: the containers still wanted.
    """

    def __init__(self):
        self._by_key = {}
        self._keys = []
        self.pending = 0

    def update(self, request):
        """
        Replace the stored ask for the request's key and resource name.

        :return: the change in :attr:`pending` it caused.
        """
        key = request.scheduler_key
        names = self._by_key.get(key)
        if names is None:
            names = self._by_key[key] = {}
            insort(self._keys, key)
        old = names.get(request.resource_name)
        names[request.resource_name] = AskEntry(
            request.capability, request.num_containers, request.relax_locality
        )
        if request.resource_name != ANY:
            return 0
        delta = request.num_containers - (old.count if old is not None else 0)
        self.pending += delta
        return delta

    def keys(self):
        """:return: the scheduler keys, lowest priority number first."""
        return self._keys

    def entry(self, key, resource_name):
        """:return: the :class:`AskEntry` for a key and name, or ``None``."""
        names = self._by_key.get(key)
        return names.get(resource_name) if names is not None else None

    def any_count(self, key):
        entry = self.entry(key, ANY)
        return entry.count if entry is not None else 0

    def distinct_locations(self, key):
        """:return: how many resource names the key asks for (for the locality wait factor)."""
        names = self._by_key.get(key)
        return len(names) if names else 0

    def consume(self, key, host, rack, locality):
        """
        Record one container allocated for ``key``: a node-local allocation decrements the node,
        rack and ANY counts, a rack-local one the rack and ANY counts, an off-switch one ANY.
        """
        names = self._by_key[key]
        if locality is NodeType.NODE_LOCAL:
            _decrement(names.get(host))
        if locality is not NodeType.OFF_SWITCH:
            _decrement(names.get(rack))
        _decrement(names[ANY])
        self.pending -= 1

    def items(self):
        """:return: every ``(key, resource_name, entry)``, in key order."""
        return [
            (key, name, entry)
            for key in self._keys
            for name, entry in self._by_key[key].items()
        ]


def _decrement(entry):
    if entry is not None and entry.count > 0:
        entry.count -= 1
