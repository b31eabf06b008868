"""Looking at Deferreds in tests that drive a virtual clock by hand."""

__all__ = ["results_of"]


def results_of(deferred):
    """
    :return: a list that receives the Deferred's result (or its ``Failure``) when it fires:
        empty while it has not.
    """
    out = []
    deferred.addBoth(out.append)
    return out
