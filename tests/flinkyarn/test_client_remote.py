"""
Flink's YARN client in this process against ``twistd -n yarnemu`` running as another process, in
real time: the session is deployed through the RM REST API with its files staged over WebHDFS,
reaches RUNNING, runs WordCount through the RM web proxy, shows in ``yarnemu application -list``,
and shuts down FINISHED/SUCCEEDED with its staging directory gone.

These are trial test cases: pytest runs them with the reactor spinning.
"""

import subprocess
import sys

from twisted.internet import reactor
from twisted.internet.defer import inlineCallbacks

from flinkyarn.client import ClusterSpecification
from flinkyarn.client.executors import SessionPipelineExecutor, run_program
from tests.flinkyarn.live_service import LiveServiceTestCase
from yarnemu.client.rest_yarn_client import RestYarnClient
from yarnemu.client.webhdfs_client import WebHdfsClient
from yarnemu.records.states import FinalApplicationStatus, YarnApplicationState
from yarnemu.timers import sleep_ms

class RemoteSessionTests(LiveServiceTestCase):
    flink_config = {"taskmanager.numberOfTaskSlots": 2, "execution.attached": True}

    def yarn_cli(self, *arguments):
        done = subprocess.run([sys.executable, "-m", "yarnemu.cli", *arguments, "--rm",
                               self.address.rm], capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        return done.stdout

    @inlineCallbacks
    def test_a_session_deployed_over_rest_and_webhdfs_runs_a_job(self):
        descriptor = self.descriptor()
        spec = ClusterSpecification.from_configuration(self.config)
        client = yield descriptor.deploy_session_cluster(spec)
        application_id = client.application_id

        yarn = RestYarnClient(self.http, self.address.rm, "alice")
        report = yield yarn.get_application_report(application_id)
        self.assertEqual(report.yarn_application_state, YarnApplicationState.RUNNING)
        self.assertEqual((report.user, report.application_type), ("alice", "Apache Flink"))
        staging = descriptor.application_dir(application_id)
        hdfs = WebHdfsClient(self.http, self.address.webhdfs, "alice")
        staged = yield hdfs.list_status(staging)
        self.assertIn("flink-conf.yaml", [status.path_suffix for status in staged])

        listing = self.yarn_cli("application", "-list")
        self.assertIn(str(application_id), listing)
        self.assertIn("RUNNING", listing)

        executor = SessionPipelineExecutor(client, self.config, descriptor.log, descriptor)
        yield run_program("wordcount", ["--records", "2000"], executor, self.config)
        jobs = yield client.list_jobs()
        self.assertEqual([(job.job_name, job.job_state.name) for job in jobs],
                         [("WordCount", "FINISHED")])

        yield client.shutdown_cluster()
        for _ in range(600):
            report = yield yarn.get_application_report(application_id)
            if report.yarn_application_state is YarnApplicationState.FINISHED:
                break
            yield sleep_ms(reactor, 50)
        self.assertEqual(report.final_application_status, FinalApplicationStatus.SUCCEEDED)
        # Clients see FINISHED from the moment the AM unregisters (RMAppState FINISHING); the
        # JobManager deletes its staging directory right after, as Flink's does.
        for _ in range(200):
            exists = yield hdfs.exists(staging)
            if not exists:
                break
            yield sleep_ms(reactor, 50)
        self.assertFalse(exists)
