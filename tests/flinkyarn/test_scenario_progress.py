"""
Tests for :mod:`flinkyarn.scenario.progress`: the progress bar draws only on a terminal, only after
a moment of wall time, at most ten times a second, and clears its line when done.
"""

import io

from flinkyarn.scenario.progress import ProgressBar


class FakeTerminal(io.StringIO):
    """A text stream that says whether it is a terminal, and counts flushes."""

    def __init__(self, tty=True):
        super().__init__()
        self.tty = tty
        self.flushes = 0

    def isatty(self):
        return self.tty

    def flush(self):
        self.flushes += 1


class FakeWall:
    """A wall clock that moves only when told."""

    def __init__(self, now=100.0):
        self.now = now

    def __call__(self):
        return self.now


def test_nothing_is_drawn_before_min_wall_seconds():
    """During the first min_wall_seconds nothing is drawn, and finish() then writes nothing."""
    stream, wall = FakeTerminal(), FakeWall()
    bar = ProgressBar(stream, 1_000, "run", min_wall_seconds=0.5, wall=wall)
    for done in range(0, 1_000, 10):
        wall.now += 0.004
        bar.update(done)
    bar.finish()
    assert stream.getvalue() == ""


def test_the_bar_shows_the_fraction_done_and_the_label():
    """After min_wall_seconds the bar is drawn with \\r: filled cells, the percentage, the label."""
    stream, wall = FakeTerminal(), FakeWall()
    bar = ProgressBar(stream, 2_000, "scenario.yaml", min_wall_seconds=0.5, wall=wall, width=10)
    wall.now += 0.5
    bar.update(840)
    assert stream.getvalue() == "\r[####......]  42%  scenario.yaml"
    assert stream.flushes == 1


def test_nothing_is_drawn_on_a_stream_that_is_not_a_terminal():
    """On a pipe or file (isatty false, or no isatty at all) the bar never draws."""
    for stream in (FakeTerminal(tty=False), io.StringIO()):
        wall = FakeWall()
        bar = ProgressBar(stream, 100, "x", wall=wall)
        wall.now += 10
        bar.update(50)
        bar.finish()
        assert stream.getvalue() == ""


def test_redraws_at_most_ten_times_a_second_and_only_on_change():
    """Updates within 0.1 s of a redraw are skipped, and a redraw that would not change the line
    writes nothing."""
    stream, wall = FakeTerminal(), FakeWall()
    bar = ProgressBar(stream, 100, min_wall_seconds=0, wall=wall, width=10)
    bar.update(10)
    wall.now += 0.05
    bar.update(20)  # too soon
    wall.now += 0.05
    bar.update(30)
    wall.now += 0.1
    bar.update(30)  # unchanged
    wall.now += 0.1
    bar.update(150)  # capped at 100 %
    assert stream.getvalue().split("\r")[1:] == [
        "[#.........]  10%", "[###.......]  30%", "[##########] 100%"]


def test_finish_clears_the_line_it_drew_and_stops_drawing():
    """finish() overwrites the drawn line with spaces and returns to the line start; later
    updates draw nothing."""
    stream, wall = FakeTerminal(), FakeWall()
    with ProgressBar(stream, 100, "ab", min_wall_seconds=0, wall=wall, width=4) as bar:
        bar.update(50)
    drawn = "[##..]  50%  ab"
    assert stream.getvalue() == f"\r{drawn}\r{' ' * len(drawn)}\r"
    wall.now += 1
    bar.update(100)
    assert stream.getvalue() == f"\r{drawn}\r{' ' * len(drawn)}\r"


def test_a_zero_total_counts_as_done():
    """With nothing to do (total 0) the bar shows 100 %."""
    stream, wall = FakeTerminal(), FakeWall()
    ProgressBar(stream, 0, min_wall_seconds=0, wall=wall, width=4).update(0)
    assert stream.getvalue() == "\r[####] 100%"
