"""
Flink's YARN client in this process against ``twistd -n yarnemu`` running as another process, in
real time: the session is deployed through the RM REST API with its files staged over WebHDFS,
reaches RUNNING, runs WordCount through the RM web proxy, shows in ``yarnemu application -list``,
and shuts down FINISHED/SUCCEEDED with its staging directory gone.

These are trial test cases: pytest runs them with the reactor spinning.
"""

import os
import shutil
import subprocess
import sys
import tempfile

from twisted.internet import reactor
from twisted.internet.defer import inlineCallbacks
from twisted.trial.unittest import TestCase

from flinkyarn.client import ClusterSpecification, FlinkHome
from flinkyarn.client.executors import SessionPipelineExecutor, run_program
from flinkyarn.client.remote import ServiceAddress, remote_descriptor
from yarnemu.client.http import AgentHttpClient
from yarnemu.client.rest_yarn_client import RestYarnClient
from yarnemu.client.webhdfs_client import WebHdfsClient
from yarnemu.records.states import FinalApplicationStatus, YarnApplicationState
from yarnemu.testing.service_process import ServiceProcess
from yarnemu.timers import sleep_ms

TIME_SCALE = "20"


class RemoteSessionTests(TestCase):
    timeout = 120

    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.mkdtemp(prefix="yarnemu-remote-")
        cls.service = ServiceProcess.start(os.path.join(cls.directory, "service"), "--nodes", "3",
                                           "--time-scale", TIME_SCALE)
        cls.address = ServiceAddress.from_endpoints_file(cls.service.endpoints_file)

    @classmethod
    def tearDownClass(cls):
        cls.service.stop()
        shutil.rmtree(cls.directory, ignore_errors=True)

    def setUp(self):
        self.http = AgentHttpClient(reactor)
        self.addCleanup(self.http.close)
        self.home = FlinkHome.create(os.path.join(self.directory, "flink"), "tiny")
        self.config = self.home.configuration().with_values({
            "taskmanager.numberOfTaskSlots": 2,
            "execution.attached": True,
        })

    def yarn_cli(self, *arguments):
        done = subprocess.run([sys.executable, "-m", "yarnemu.cli", *arguments, "--rm",
                               self.address.rm], capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        return done.stdout

    @inlineCallbacks
    def test_a_session_deployed_over_rest_and_webhdfs_runs_a_job(self):
        descriptor = remote_descriptor(reactor, self.address, "alice", self.home, self.config,
                                       http=self.http)
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
