"""
What a page of the web UI is made of — :class:`Panel` values holding :class:`Table` and
:class:`Text` blocks, whose cells are text, numbers, :class:`Link`, :class:`State`,
:class:`Progress` or :class:`Time` values — and :class:`IApplicationPanels`, the seam through
which a framework running on YARN (Flink) adds its own panels to an application's page.

Panels are data, not HTML: :mod:`yarnemu.web.ui.markup` renders them and escapes every piece of
text, so that a panel from anywhere cannot inject markup (an application named ``<script>`` is
shown as that text).
"""

from attrs import field, frozen
from zope.interface import Interface

from yarnemu.records.immutable import frozen_tuple

__all__ = ["IApplicationPanels", "Panel", "Table", "Text", "Link", "State", "Progress", "Time"]


class IApplicationPanels(Interface):
    """
    Extra views of an application, e.g. a Flink cluster's jobs and TaskManagers, read from its
    ApplicationMaster.  Each method gets the application's
    :class:`~yarnemu.records.client_protocol.ApplicationReport` and answers ``None`` when it has
    nothing to add for it (another application type, not running), else a Deferred.  A Deferred
    that fails, or does not fire within the UI's timeout, is shown as a note instead.
    """

    def summary(report):
        """:return: ``None``, or a Deferred firing with a short text (or ``None``) for the
        application's row in the applications table."""

    def panels(report):
        """:return: ``None``, or a Deferred firing with a sequence of :class:`Panel` values for
        the application's page."""


@frozen
class Link:
    """
    A link.

    :ivar str text: what it shows.
    :ivar str href: where it goes: a path on the same site (``/...``) or an ``http(s)`` URL
        (anything else is shown as plain text).
    """

    text: str
    href: str


@frozen
class State:
    """A state or status name (``RUNNING``, ``SUCCEEDED``, ...), shown as a coloured badge."""

    name: str


@frozen
class Progress:
    """A progress bar; ``percent`` from 0 to 100."""

    percent: float


@frozen
class Time:
    """
    A point in time, shown in UTC (:func:`~yarnemu.web.ui.formats.format_time`).

    :ivar int ms: epoch milliseconds; 0 or less for none.
    :ivar str none: what to show for none.
    """

    ms: int
    none: str = "N/A"


@frozen
class Text:
    """A paragraph of text."""

    text: str


@frozen
class Table:
    """
    A table.

    :ivar tuple columns: the column headings.
    :ivar tuple rows: each a tuple of cells (``str``, numbers, ``None`` for empty,
        :class:`Link`, :class:`State`, :class:`Progress` or :class:`Time`), one per column.
    :ivar tuple notes: for each row, a text shown on a line of its own below it (or ``None``);
        empty for none.
    :ivar caption: a heading above the table, or ``None``.
    :ivar str empty: what to show instead of a table without rows.
    :ivar str layout: ``"rows"`` (a heading row, then the rows) or ``"fields"`` (one
        ``heading: value`` line per column, for a single record: ``rows`` holds one row).
    """

    columns: tuple = field(converter=frozen_tuple)
    rows: tuple = field(converter=lambda rows: tuple(tuple(row) for row in rows))
    notes: tuple = field(default=(), converter=frozen_tuple)
    caption: str | None = None
    empty: str = "No data available"
    layout: str = "rows"


@frozen
class Panel:
    """
    A titled section of a page.

    :ivar str title: its heading.
    :ivar tuple blocks: :class:`Table` and :class:`Text` values, in order.
    :ivar str anchor: an ``id`` for links to it (``#anchor``), or ``""``.
    """

    title: str
    blocks: tuple = field(default=(), converter=frozen_tuple)
    anchor: str = ""
