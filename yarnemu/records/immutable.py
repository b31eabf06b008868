"""
attrs converters that make record fields immutable, so that frozen records are values all the
way down.
"""

from types import MappingProxyType

__all__ = ["frozen_mapping", "frozen_tuple"]


def frozen_mapping(value):
    """
    :return: a read-only copy of ``value`` (a mapping or an iterable of pairs), keeping its order.
    """
    if value is None:
        value = {}
    return MappingProxyType(dict(value))


def frozen_tuple(value):
    """
    :return: ``value`` as a tuple (``None`` becomes the empty tuple).
    """
    if value is None:
        return ()
    return tuple(value)
