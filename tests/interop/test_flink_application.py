"""
Real Apache Flink 2.3.0 in application mode on the service: Flink's own ``bin/flink run -t
yarn-application`` ships a small job jar; ``YarnApplicationClusterEntryPoint`` runs its
``main()`` in the JobManager's container, the job runs in a TaskManager's, and the cluster ends
itself: the application FINISHED/SUCCEEDED, its staging directory removed, its JVMs gone.
"""

import time

from tests.interop.conftest import container_logs, run_streaming, wait_for, wait_until_ended
from yarnemu.interop.processes import descendants

NAME = "interop-application"
RESULTS = [str(n * 20000) for n in range(1, 11)]


def test_application_mode_runs_the_job_and_finishes_succeeded(
        service_factory, flink_factory, job_jar, measurements, tmp_path):
    """flink run -t yarn-application JAR: FINISHED/SUCCEEDED with the job's output printed."""
    service = service_factory("application-service")
    staging = tmp_path / "staging"
    staging.mkdir()
    flink = flink_factory(service, "flink-application", f"file://{staging}")
    started = time.monotonic()
    transcript = run_streaming(
        flink.flink("run", "-t", "yarn-application", f"-Dyarn.application.name={NAME}", job_jar),
        flink.environment(), timeout=180)
    assert transcript.returncode == 0, transcript.text
    found = transcript.first(r"(application_\d+_\d+)")
    assert found, transcript.text
    application_id = found[1].group(1)
    app = wait_until_ended(service, application_id, timeout=180)
    measurements(f"application mode: flink run start -> application FINISHED: "
                 f"{time.monotonic() - started:.1f} s")
    assert (app["state"], app["finalStatus"], app["name"]) == ("FINISHED", "SUCCEEDED", NAME)
    printed = []
    for path in container_logs(service, application_id, "taskmanager.out"):
        with open(path) as stream:
            printed.extend(line.split()[-1] for line in stream.read().splitlines())
    assert printed == RESULTS
    # The JobManager deletes the staging directory after unregistering.
    wait_for(lambda: not (staging / ".flink" / application_id).exists(), 30,
             what=f"the staging directory of {application_id} to go")
    wait_for(lambda: not descendants(service.pid), 60,
             what="the application's container processes to exit")
