"""
Tests for :mod:`yarnemu.web.ui.markup`: pages of panels as HTML — every text escaped, links only
to the same site or http(s), states as badges, a page that refreshes itself.
"""

from tests.html_page import read_page
from yarnemu.web.ui import Link, Panel, Progress, State, Table, Text, Time
from yarnemu.web.ui.markup import render_cell, render_page, render_panel

HOSTILE = '<script>alert("x")</script>'


def test_a_page_has_its_title_a_refresh_tag_and_its_panels_in_order():
    page = read_page(render_page("Cluster <Overview>", [Panel("One"), Panel("Two")],
                                 refresh_seconds=5, footer="at 12:00"))
    assert (page.title, page.heading, page.refresh) == ("Cluster <Overview>",
                                                        "Cluster <Overview>", "5")
    assert page.titles() == ["One", "Two"]
    assert "at 12:00" in page.text


def test_a_page_without_a_refresh_interval_does_not_refresh():
    assert read_page(render_page("Still", [], refresh_seconds=None)).refresh is None
    assert read_page(render_page("Still", [], refresh_seconds=0)).refresh is None


def test_every_text_is_escaped():
    panel = Panel(HOSTILE, anchor='x" onclick="y', blocks=[
        Table([HOSTILE], [[HOSTILE]], caption=HOSTILE, notes=[HOSTILE]),
        Table([HOSTILE], [[Link(HOSTILE, "/app/" + HOSTILE)]], layout="fields"),
        Text(HOSTILE),
        Table(["State"], [[State(HOSTILE)], [Time(0, none=HOSTILE)]]),
    ])
    body = render_page(HOSTILE, [panel], footer=HOSTILE).decode()
    assert "<script>" not in body
    assert 'onclick="y' not in body
    page = read_page(body)
    (section,) = page.sections
    assert section.title == HOSTILE and page.title == HOSTILE
    table = section.tables[0]
    assert (table.caption, table.columns, table.rows, table.notes) == (
        HOSTILE, [HOSTILE], [[HOSTILE]], {0: HOSTILE})
    assert section.fields == {HOSTILE: HOSTILE}
    assert (HOSTILE, "/app/" + HOSTILE) in section.links
    assert section.paragraphs == [HOSTILE]
    assert section.tables[1].rows == [[HOSTILE], [HOSTILE]]


def test_a_link_goes_only_to_this_site_or_an_http_url():
    assert render_cell(Link("app", "/app/application_1_0001")) == (
        '<a href="/app/application_1_0001">app</a>')
    assert render_cell(Link("AM", "http://node-1:8081/")) == '<a href="http://node-1:8081/">AM</a>'
    for href in ("javascript:alert(1)", "//evil.example.com/", "/\\evil.example.com/",
                 "data:text/html,x", " javascript:x", ""):
        assert render_cell(Link("click", href)) == "click"


def test_a_state_is_a_badge_coloured_by_what_it_means():
    assert render_cell(State("RUNNING")) == '<span class="state running">RUNNING</span>'
    assert render_cell(State("SUCCEEDED")) == '<span class="state good">SUCCEEDED</span>'
    assert render_cell(State("FAILED")) == '<span class="state bad">FAILED</span>'
    assert render_cell(State("KILLED")) == '<span class="state ended">KILLED</span>'
    assert render_cell(State("ACCEPTED")) == '<span class="state waiting">ACCEPTED</span>'
    assert render_cell(State("SOMETHING")) == '<span class="state ">SOMETHING</span>'


def test_cells_show_numbers_times_progress_and_nothing():
    assert render_cell(None) == ""
    assert render_cell(True) == "true"
    assert render_cell(3) == "3"
    assert render_cell(Time(1_700_000_000_000)) == (
        '<time datetime="2023-11-14T22:13:20Z">2023-11-14 22:13:20</time>')
    assert render_cell(Time(-1, none="-")) == "-"
    assert 'style="width:100.0%"' in render_cell(Progress(250))
    assert "0.0 %" in render_cell(Progress(-3))


def test_a_table_without_rows_shows_what_it_is_empty_of():
    html = render_panel(Panel("Nodes", [Table(["Node Address"], [], caption="Active",
                                              empty="No NodeManagers")]))
    (section,) = read_page(html).sections
    assert section.paragraphs == ["No NodeManagers"]
    assert section.tables[0].caption == "Active" and section.tables[0].rows == []


def test_a_panel_anchor_makes_it_linkable():
    assert render_panel(Panel("Nodes", anchor="nodes")).startswith(
        '<section class="panel" id="nodes"><h2>Nodes</h2>')
