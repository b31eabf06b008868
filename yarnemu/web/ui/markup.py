"""
The web UI's HTML: :func:`render_page` lays out a page of :class:`~yarnemu.web.ui.panels.Panel`
values — plain HTML and one inline style sheet, no JavaScript — and refreshes itself with
``<meta http-equiv="refresh">``.  Every piece of text is escaped here (``html.escape``), and a
link goes only to a path on the same site or an ``http(s)`` URL.
"""

import html
import re
import time

from yarnemu.web.ui.formats import format_time
from yarnemu.web.ui.panels import Link, Progress, State, Table, Text, Time

__all__ = ["render_page", "render_panel", "render_cell", "STYLE"]

# A path on this site (not "//host" or "/\\host", which browsers take for another host), or
# an http(s) URL.
_SAFE_HREF = re.compile(r"^(/(?![/\\])|https?://)", re.IGNORECASE)

# State and status names (YARN's and Flink's) by the colour family they are shown in.
_STATE_FAMILIES = {
    "good": ("FINISHED", "SUCCEEDED"),
    "running": ("RUNNING", "ACTIVE"),
    "bad": ("FAILED", "FAILING", "LOST", "UNHEALTHY", "FAILED_SAVING"),
    "ended": ("COMPLETE", "KILLED", "KILLING", "CANCELED", "CANCELLING", "DECOMMISSIONED",
              "DECOMMISSIONING", "SHUTDOWN", "REBOOTED", "SUSPENDED"),
    "waiting": ("NEW", "NEW_SAVING", "SUBMITTED", "ACCEPTED", "SCHEDULED", "DEPLOYING",
                "INITIALIZING", "CREATED", "RESTARTING", "RECONCILING", "ALLOCATED",
                "ACQUIRED", "ALLOCATED_SAVING", "LAUNCHED", "FINISHING", "FINAL_SAVING",
                "UNDEFINED", "RESERVED"),
}
_FAMILY_OF = {name: family for family, names in _STATE_FAMILIES.items() for name in names}

STYLE = """
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --head: #f0f4f8; --brand: #0b4f6c; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans",
       sans-serif; color: var(--ink); background: #fafbfc; }
header.top { display: flex; align-items: baseline; gap: 1.5em; padding: .7em 1.5em;
             background: var(--brand); color: #fff; }
header.top a { color: #fff; text-decoration: none; }
header.top .brand { font-size: 1.25em; font-weight: 700; letter-spacing: .02em; }
header.top .what { opacity: .85; }
header.top nav { margin-left: auto; display: flex; gap: 1.2em; }
header.top nav a:hover { text-decoration: underline; }
main { padding: .5em 1.2em 1.5em; }
h1 { font-size: 1.35em; margin: .6em 0 .3em; word-break: break-all; }
section.panel { background: #fff; border: 1px solid var(--line); border-radius: 6px;
                overflow: hidden; margin: 1em 0; padding: .6em .8em 1em; }
section.panel h2 { font-size: 1.08em; margin: .2em 0 .5em; color: var(--brand); }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: .3em 0 .8em; font-size: .92em; }
table.rows { width: 100%; }
caption, h3 { text-align: left; font-weight: 600; font-size: 1em; padding: .4em 0; margin: 0;
               color: var(--ink); }
th, td { padding: .3em .5em; border-bottom: 1px solid var(--line); text-align: left;
         vertical-align: top; }
table.rows th { background: var(--head); font-weight: 600; vertical-align: bottom; }
table.rows td.long { min-width: 10em; overflow-wrap: anywhere; }
td.token { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
dl.fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(30em, 1fr));
            column-gap: 2.5em; margin: .2em 0 .6em; }
dl.fields div { display: flex; gap: 1em; padding: .3em .2em; border-bottom: 1px solid var(--line); }
dl.fields dt { flex: none; width: 14em; color: var(--muted); font-weight: 600; }
dl.fields dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
tbody tr:hover td { background: #f7fafc; }
tr.noted td { border-bottom: none; }
tr.note td { padding-top: 0; color: var(--muted); font-size: .95em; }
tr.note td::before { content: "\\21b3\\00a0"; }
a { color: #0a6c9c; }
time { white-space: nowrap; }
.state { display: inline-block; white-space: nowrap; padding: .05em .5em; border-radius: 3px;
         font-size: .86em; font-weight: 600; letter-spacing: .02em; background: #e4e7eb;
         color: #3e4c59; }
.state.good { background: #e3f9e5; color: #207227; }
.state.running { background: #e0f2ff; color: #0b5394; }
.state.bad { background: #ffe3e3; color: #ab091e; }
.state.ended { background: #eceff1; color: #52606d; }
.state.waiting { background: #fff3c4; color: #8d5b00; }
.bar { display: inline-block; width: 4.5em; height: .8em; background: #e4e7eb; border-radius: 3px;
       overflow: hidden; vertical-align: middle; }
.bar span { display: block; height: 100%; background: #2f80b5; }
.pct { color: var(--muted); font-size: .86em; margin-left: .4em; white-space: nowrap; }
p.note { color: var(--muted); margin: .3em 0 .8em; }
.empty { color: var(--muted); font-style: italic; }
footer { padding: 1em 1.5em 2em; color: var(--muted); font-size: .88em; }
"""


def _escape(value):
    return html.escape(str(value), quote=True)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def render_cell(value):
    """:return: the HTML of one cell's content (text escaped)."""
    if value is None:
        return ""
    if isinstance(value, Link):
        if _SAFE_HREF.match(value.href or ""):
            return f'<a href="{_escape(value.href)}">{_escape(value.text)}</a>'
        return _escape(value.text)
    if isinstance(value, State):
        family = _FAMILY_OF.get(str(value.name).upper(), "")
        return f'<span class="state {family}">{_escape(value.name)}</span>'
    if isinstance(value, Progress):
        percent = min(max(float(value.percent), 0.0), 100.0)
        return (f'<span class="bar" title="{percent:.1f} %"><span style="width:{percent:.1f}%">'
                f'</span></span><span class="pct">{percent:.1f} %</span>')
    if isinstance(value, Time):
        if value.ms is None or value.ms <= 0:
            return _escape(value.none)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(value.ms / 1000.0))
        return f'<time datetime="{stamp}">{_escape(format_time(value.ms))}</time>'
    if isinstance(value, bool):
        return "true" if value else "false"
    return _escape(value)


_LONG_TEXT = 60
_TOKEN = re.compile(r"\S{1,40}")


def _td(value):
    if _is_number(value):
        css = ' class="num"'
    elif isinstance(value, str) and len(value) > _LONG_TEXT:
        css = ' class="long"'
    elif isinstance(value, (str, Link)) and _TOKEN.fullmatch(getattr(value, "text", value)):
        # An id or an address: kept on one line rather than broken at a hyphen.
        css = ' class="token"'
    else:
        css = ""
    return f"<td{css}>{render_cell(value)}</td>"


def _render_table(table):
    caption = f"<caption>{_escape(table.caption)}</caption>" if table.caption else ""
    if table.layout == "fields":
        (row,) = table.rows or ((),)
        heading = f"<h3>{_escape(table.caption)}</h3>" if table.caption else ""
        lines = "".join(f"<div><dt>{_escape(name)}:</dt><dd>{render_cell(value)}</dd></div>"
                        for name, value in zip(table.columns, row))
        return f'{heading}<dl class="fields">{lines}</dl>'
    if not table.rows:
        heading = f"<h3>{_escape(table.caption)}</h3>" if table.caption else ""
        return f'{heading}<p class="empty">{_escape(table.empty)}</p>'
    head = "".join(f"<th>{_escape(name)}</th>" for name in table.columns)
    body = []
    notes = table.notes or (None,) * len(table.rows)
    for row, note in zip(table.rows, notes):
        opening = '<tr class="noted">' if note else "<tr>"
        body.append(opening + "".join(_td(value) for value in row) + "</tr>")
        if note:
            body.append(f'<tr class="note"><td colspan="{len(table.columns)}">'
                        f"{render_cell(note)}</td></tr>")
    body = "".join(body)
    return (f'<div class="scroll"><table class="rows">{caption}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def _render_block(block):
    if isinstance(block, Table):
        return _render_table(block)
    if isinstance(block, Text):
        return f'<p class="note">{_escape(block.text)}</p>'
    raise TypeError(f"not a block of a panel: {block!r}")


def render_panel(panel):
    """:return: the HTML of a :class:`~yarnemu.web.ui.panels.Panel`."""
    anchor = f' id="{_escape(panel.anchor)}"' if panel.anchor else ""
    blocks = "".join(_render_block(block) for block in panel.blocks)
    return f'<section class="panel"{anchor}><h2>{_escape(panel.title)}</h2>{blocks}</section>'


def render_page(title, panels, refresh_seconds=None, footer=""):
    """
    :param str title: the page's title and heading.
    :param panels: its :class:`~yarnemu.web.ui.panels.Panel` values.
    :param refresh_seconds: how often the browser reloads it (``None`` or 0: never).
    :param str footer: text at the bottom.
    :return: the page, UTF-8 bytes.
    """
    refresh = (f'<meta http-equiv="refresh" content="{int(refresh_seconds)}">'
               if refresh_seconds else "")
    body = "".join(render_panel(panel) for panel in panels)
    page = (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"{refresh}<title>{_escape(title)}</title><style>{STYLE}</style></head><body>"
        '<header class="top"><a class="brand" href="/">yarnemu</a>'
        '<span class="what">ResourceManager</span><nav>'
        '<a href="/#cluster-metrics">Cluster</a><a href="/#nodes">Nodes</a>'
        '<a href="/#applications">Applications</a>'
        '<a href="/ws/v1/cluster/info">REST API</a></nav></header>'
        f"<main><h1>{_escape(title)}</h1>{body}</main>"
        f"<footer>{_escape(footer)}</footer></body></html>\n"
    )
    return page.encode("utf-8")
