"""
MurmurHash3 x64 128-bit (seed 0 by default), with the byte order of Guava's
``Hashing.murmur3_128()``, which Flink's ``StreamGraphHasherV2`` uses to make JobVertexIDs.
"""

__all__ = ["murmur3_x64_128"]

_MASK = (1 << 64) - 1
_C1 = 0x87C37B91114253D5
_C2 = 0x4CF5AD432745937F


def _rotl(value, shift):
    return ((value << shift) | (value >> (64 - shift))) & _MASK


def _fmix(k):
    k ^= k >> 33
    k = (k * 0xFF51AFD7ED558CCD) & _MASK
    k ^= k >> 33
    k = (k * 0xC4CEB9FE1A85EC53) & _MASK
    k ^= k >> 33
    return k


def _mix_k1(k1):
    return (_rotl((k1 * _C1) & _MASK, 31) * _C2) & _MASK


def _mix_k2(k2):
    return (_rotl((k2 * _C2) & _MASK, 33) * _C1) & _MASK


def murmur3_x64_128(data, seed=0):
    """
    :param bytes data: the input.
    :return: the 16-byte hash: ``h1`` then ``h2``, each little-endian (Guava's ``asBytes``).
    """
    h1 = h2 = seed & _MASK
    length = len(data)
    blocks = length // 16
    for i in range(blocks):
        k1 = int.from_bytes(data[16 * i:16 * i + 8], "little")
        k2 = int.from_bytes(data[16 * i + 8:16 * i + 16], "little")
        h1 ^= _mix_k1(k1)
        h1 = (_rotl(h1, 27) + h2) & _MASK
        h1 = (h1 * 5 + 0x52DCE729) & _MASK
        h2 ^= _mix_k2(k2)
        h2 = (_rotl(h2, 31) + h1) & _MASK
        h2 = (h2 * 5 + 0x38495AB5) & _MASK
    tail = data[16 * blocks:]
    if len(tail) > 8:
        h2 ^= _mix_k2(int.from_bytes(tail[8:], "little"))
    if tail:
        h1 ^= _mix_k1(int.from_bytes(tail[:8], "little"))
    h1 ^= length
    h2 ^= length
    h1 = (h1 + h2) & _MASK
    h2 = (h2 + h1) & _MASK
    h1 = _fmix(h1)
    h2 = _fmix(h2)
    h1 = (h1 + h2) & _MASK
    h2 = (h2 + h1) & _MASK
    return h1.to_bytes(8, "little") + h2.to_bytes(8, "little")
