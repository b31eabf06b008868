"""
Tests for :mod:`yarnemu.records.resource`.
"""

from yarnemu.records.resource import Resource


def test_arithmetic_and_comparison():
    """Resources add, subtract and scale per dimension; fits_in checks both dimensions."""
    a, b = Resource(2048, 2), Resource(1024, 3)
    assert a + b == Resource(3072, 5)
    assert a - b == Resource(1024, -1)
    assert b * 2 == Resource(2048, 6)
    assert not a.fits_in(b) and Resource(1024, 1).fits_in(b)
    assert a.component_min(b) == Resource(1024, 2) and a.component_max(b) == Resource(2048, 3)


def test_text_and_json_forms():
    """A resource prints as Hadoop's ``<memory:…, vCores:…>`` and serializes as REST does."""
    assert str(Resource(1024, 1)) == "<memory:1024, vCores:1>"
    assert Resource(1024, 1).to_json() == {"memory": 1024, "vCores": 1}
