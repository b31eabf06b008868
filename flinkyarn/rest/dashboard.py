"""
What a JobManager serves at ``/`` — where Flink serves its web dashboard, and where YARN's
"ApplicationMaster" link (``/proxy/<applicationId>/``) lands: a small server-rendered page with
the cluster overview, the jobs, and links to the REST API, instead of Flink's Angular dashboard.

Links are relative, so the page works the same through the RM web proxy and directly.
"""

from html import escape

__all__ = ["dashboard_page", "DASHBOARD_CONTENT_TYPE"]

DASHBOARD_CONTENT_TYPE = b"text/html; charset=utf-8"

_OVERVIEW_FIELDS = (
    ("Flink version", "flink-version"),
    ("TaskManagers", "taskmanagers"),
    ("Task slots", "slots-total"),
    ("Available task slots", "slots-available"),
    ("Running jobs", "jobs-running"),
    ("Finished jobs", "jobs-finished"),
    ("Cancelled jobs", "jobs-cancelled"),
    ("Failed jobs", "jobs-failed"),
)

_REST_LINKS = ("overview", "jobs/overview", "taskmanagers", "config", "jobmanager/config")


def dashboard_page(overview, jobs_overview):
    """
    :param overview: the ``/overview`` body (``ClusterOverviewWithVersion``).
    :param jobs_overview: the ``/jobs/overview`` body (``MultipleJobsDetails``).
    :return: the page's UTF-8 bytes; every value is escaped.
    """
    rows = "".join(
        f"<tr><th>{escape(label)}</th><td>{escape(str(overview.get(key, '')))}</td></tr>"
        for label, key in _OVERVIEW_FIELDS)
    jobs = sorted(jobs_overview.get("jobs", []), key=lambda job: -int(job.get("start-time", 0)))
    job_rows = "".join(
        f"<tr><td><a href=\"jobs/{escape(job['jid'])}\">{escape(job['jid'])}</a></td>"
        f"<td>{escape(job['name'])}</td><td>{escape(job['state'])}</td>"
        f"<td>{escape(str(job.get('tasks', {}).get('total', '')))}</td></tr>"
        for job in jobs) or "<tr><td colspan=\"4\">No jobs.</td></tr>"
    links = " · ".join(f"<a href=\"{path}\">/{path}</a>" for path in _REST_LINKS)
    return (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"refresh\" content=\"5\"><title>Apache Flink</title>"
        "<style>body{font-family:sans-serif;margin:1.5em;color:#222}"
        "table{border-collapse:collapse;margin-bottom:1.5em}"
        "th,td{border-bottom:1px solid #ddd;padding:.3em .8em;text-align:left}</style>"
        "</head><body><h1>Apache Flink</h1>"
        f"<h2>Overview</h2><table>{rows}</table>"
        "<h2>Jobs</h2><table><tr><th>Job ID</th><th>Name</th><th>Status</th><th>Tasks</th></tr>"
        f"{job_rows}</table>"
        f"<p>REST API: {links}</p></body></html>"
    ).encode("utf-8")
