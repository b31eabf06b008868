"""``flinkyarn list``'s lines and the job ids of ``cancel``/``stop``."""

import datetime

import pytest

from flinkyarn.cli.jobs import job_list_lines, parse_job_id
from flinkyarn.cli.options import CliArgsException
from flinkyarn.client.cluster_client import JobStatusMessage
from flinkyarn.ids import JobID
from flinkyarn.states import JobStatus

UTC = datetime.timezone.utc
RULE = "--------------------------------------------------------------"
T0 = 1_700_000_000_000  # 14.11.2023 22:13:20 UTC


def job(digit, name, state, start):
    return JobStatusMessage(JobID(digit * 32), name, state, start)


def test_running_and_scheduled_jobs_are_listed_by_start_time():
    jobs = [
        job("a", "late", JobStatus.RUNNING, T0 + 2000),
        job("b", "restarting", JobStatus.RESTARTING, T0),
        job("c", "waiting", JobStatus.CREATED, T0 + 1000),
        job("d", "done", JobStatus.FINISHED, T0),
    ]
    assert job_list_lines(jobs, tz=UTC) == [
        "------------------ Running/Restarting Jobs -------------------",
        f"14.11.2023 22:13:20 : {'b' * 32} : restarting (RESTARTING)",
        f"14.11.2023 22:13:22 : {'a' * 32} : late (RUNNING)",
        RULE,
        "----------------------- Scheduled Jobs -----------------------",
        f"14.11.2023 22:13:21 : {'c' * 32} : waiting (CREATED)",
        RULE,
    ]


def test_all_adds_the_terminated_jobs_and_nothing_says_so():
    jobs = [job("d", "done", JobStatus.FINISHED, T0), job("e", "gone", JobStatus.CANCELED, T0)]
    assert job_list_lines(jobs, show_all=True, tz=UTC) == [
        "No running jobs.",
        "No scheduled jobs.",
        "---------------------- Terminated Jobs -----------------------",
        # Equal start times: by state name (CANCELED before FINISHED).
        f"14.11.2023 22:13:20 : {'e' * 32} : gone (CANCELED)",
        f"14.11.2023 22:13:20 : {'d' * 32} : done (FINISHED)",
        RULE,
    ]
    assert job_list_lines([], show_running=True, show_scheduled=False, tz=UTC) == [
        "No running jobs."]


def test_job_ids_are_parsed_as_flink_parses_them():
    assert parse_job_id("A" * 32) == JobID("a" * 32)
    with pytest.raises(CliArgsException, match=r'^Cannot parse JobID from "xyz"\. The expected '
                                               r"format is \[0-9a-fA-F\]\{32\}"):
        parse_job_id("xyz")
    with pytest.raises(CliArgsException, match="^Missing JobId$"):
        parse_job_id(None)
