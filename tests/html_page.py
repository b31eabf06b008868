"""
What a person reads on a page of the web UI, parsed from its HTML with the standard library's
parser: the page's title and ``<meta http-equiv="refresh">``, and per section (``<section>`` with
an ``<h2>``) its tables (caption, column headings, rows of cell texts, the note line below a
row), its ``name: value`` fields, its paragraphs and its links.

    page = read_page(response.body)
    nodes = page.section("Nodes").table()
    assert nodes.column("Node State") == ["RUNNING", "RUNNING"]
"""

from html.parser import HTMLParser

__all__ = ["read_page", "Page", "Section", "HtmlTable"]


class HtmlTable:
    """
    :ivar caption: the caption (or the heading shown for an empty table), or ``None``.
    :ivar list columns: the column headings.
    :ivar list rows: each a list of cell texts.
    :ivar dict notes: row index → the text of the note line below it.
    """

    def __init__(self):
        self.caption = None
        self.columns = []
        self.rows = []
        self.notes = {}

    def column(self, name):
        """:return: the texts of column ``name``, top to bottom."""
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def records(self):
        """:return: each row as ``{column: text}``."""
        return [dict(zip(self.columns, row)) for row in self.rows]

    def record(self, column, value):
        """:return: the row whose ``column`` is ``value``, as ``{column: text}``."""
        (found,) = [record for record in self.records() if record[column] == value]
        return found


class Section:
    """
    :ivar str title: the ``<h2>`` text.
    :ivar str anchor: its ``id``.
    :ivar list tables: its :class:`HtmlTable` values.
    :ivar dict fields: ``name → value`` texts of its ``<dl>`` (names without the colon).
    :ivar list paragraphs: the texts of its ``<p>`` elements.
    :ivar list links: ``(text, href)`` of its links.
    """

    def __init__(self, anchor):
        self.anchor = anchor
        self.title = ""
        self.tables = []
        self.fields = {}
        self.paragraphs = []
        self.links = []

    def table(self, caption=None):
        """:return: its only table, or the one with ``caption``."""
        if caption is None:
            (table,) = self.tables
            return table
        (table,) = [table for table in self.tables if table.caption == caption]
        return table


class Page:
    """
    :ivar str title: the ``<title>``.
    :ivar str heading: the ``<h1>``.
    :ivar refresh: the refresh ``content`` of ``<meta http-equiv="refresh">``, or ``None``.
    :ivar list sections: its :class:`Section` values, in order.
    :ivar list links: ``(text, href)`` of every link.
    :ivar str text: all its visible text (outside ``<style>``), whitespace-joined.
    """

    def __init__(self):
        self.title = ""
        self.heading = ""
        self.refresh = None
        self.sections = []
        self.links = []
        self.text = ""

    def section(self, title):
        """:return: the section titled ``title``."""
        (found,) = [section for section in self.sections if section.title == title]
        return found

    def titles(self):
        return [section.title for section in self.sections]


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._section = None
        self._table = None
        self._row = None
        self._row_is_note = False
        self._cell = None
        self._in_head_row = False
        self._capture = None  # (kind, [texts])
        self._link = None
        self._field_name = None
        self._texts = []
        self._hidden = 0

    # Text capture

    def _start_capture(self, kind):
        self._capture = (kind, [])

    def _stop_capture(self):
        kind, parts = self._capture
        self._capture = None
        return kind, " ".join("".join(parts).split())

    def handle_data(self, data):
        if self._hidden:
            return
        self._texts.append(data)
        if self._capture is not None:
            self._capture[1].append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._link is not None:
            self._link[1].append(data)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("style", "script"):
            self._hidden += 1
        elif tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            self.page.refresh = attrs.get("content")
        elif tag in ("title", "h1", "h2", "caption", "h3", "p", "dt", "dd"):
            self._start_capture(tag)
        elif tag == "section":
            self._section = Section(attrs.get("id", ""))
            self.page.sections.append(self._section)
        elif tag == "table":
            self._table = HtmlTable()
            if self._pending_caption is not None:
                self._table.caption = self._pending_caption
                self._pending_caption = None
            if self._section is not None:
                self._section.tables.append(self._table)
        elif tag == "thead":
            self._in_head_row = True
        elif tag == "tbody":
            self._in_head_row = False
        elif tag == "tr":
            self._row = []
            self._row_is_note = "note" in (attrs.get("class") or "").split()
        elif tag in ("th", "td") and self._table is not None:
            self._cell = []
        elif tag == "a":
            self._link = (attrs.get("href"), [])

    _pending_caption = None

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._hidden -= 1
            return
        if self._capture is not None and tag == self._capture[0]:
            kind, text = self._stop_capture()
            if kind == "title":
                self.page.title = text
            elif kind == "h1":
                self.page.heading = text
            elif kind == "h2" and self._section is not None:
                self._section.title = text
            elif kind == "caption" and self._table is not None:
                self._table.caption = text
            elif kind == "h3":
                # The heading of an empty table or of a field list.
                self._pending_caption = text
            elif kind == "p" and self._section is not None:
                self._section.paragraphs.append(text)
                if self._pending_caption is not None:
                    empty = HtmlTable()
                    empty.caption = self._pending_caption
                    self._section.tables.append(empty)
                    self._pending_caption = None
            elif kind == "dt":
                self._field_name = text.rstrip(":")
            elif kind == "dd" and self._section is not None and self._field_name is not None:
                self._section.fields[self._field_name] = text
                self._field_name = None
            return
        if tag in ("th", "td") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            self._cell = None
            if self._row is not None:
                self._row.append(text)
        elif tag == "tr" and self._row is not None and self._table is not None:
            if self._in_head_row:
                self._table.columns = self._row
            elif self._row_is_note:
                self._table.notes[len(self._table.rows) - 1] = " ".join(self._row)
            elif self._table.columns or self._row:
                self._table.rows.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None
        elif tag == "dl":
            self._pending_caption = None
        elif tag == "section":
            self._section = None
        elif tag == "a" and self._link is not None:
            href, parts = self._link
            self._link = None
            link = (" ".join("".join(parts).split()), href)
            self.page.links.append(link)
            if self._section is not None:
                self._section.links.append(link)


def read_page(body):
    """:param body: the page (``bytes`` or ``str``).  :return: its :class:`Page`."""
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    parser = _Parser()
    parser.feed(body)
    parser.close()
    parser.page.text = " ".join("".join(parser._texts).split())
    return parser.page
