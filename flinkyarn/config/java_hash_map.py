"""
The iteration order of a ``java.util.HashMap`` with string keys, so that command lines Flink
builds from a ``HashMap`` (the ``-D key=value`` dynamic properties of container launch commands)
come out in the same order as Flink's own.
"""

__all__ = ["java_string_hash", "hash_map_order"]

_DEFAULT_CAPACITY = 16
_LOAD_FACTOR = 0.75


def java_string_hash(text):
    """:return: Java's ``String.hashCode()`` of ``text``, as an unsigned 32-bit number."""
    units = text.encode("utf-16-be")
    value = 0
    for index in range(0, len(units), 2):
        value = (31 * value + int.from_bytes(units[index:index + 2], "big")) & 0xFFFFFFFF
    return value


def hash_map_order(keys):
    """
    :param keys: distinct string keys, in the order they were put into a new ``HashMap``.
    :return: the keys in the order the map iterates them: by bucket (``hash ^ hash >>> 16``
        masked by the table size, which doubles whenever the map grows past 3/4 full), and in
        put order within a bucket (resizing keeps that order).
    """
    keys = list(keys)
    capacity = _DEFAULT_CAPACITY
    while len(keys) > capacity * _LOAD_FACTOR:
        capacity *= 2

    def bucket(key):
        hashed = java_string_hash(key)
        return (hashed ^ (hashed >> 16)) & (capacity - 1)

    position = {key: index for index, key in enumerate(keys)}
    return sorted(keys, key=lambda key: (bucket(key), position[key]))
