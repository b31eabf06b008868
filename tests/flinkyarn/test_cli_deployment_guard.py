"""
An interrupted ``flinkyarn`` cancels the deployment in progress, as Flink's
``DeploymentFailureHook``: the waiting application is killed and its staging directory deleted;
a finished deployment is left alone.
"""

import io

from twisted.internet.defer import CancelledError

from flinkyarn.cli.console import Console
from flinkyarn.cli.context import CliContext
from flinkyarn.cli.deployment_guard import InterruptibleDescriptor
from tests.flinkyarn.client_harness import USER, ClientHarness
from yarnemu.records.states import RMAppState


def test_an_interrupt_kills_the_deployment_that_waits(tmp_path):
    harness = ClientHarness(tmp_path)
    context = CliContext(harness.clock, {}, Console(io.StringIO(), io.StringIO()),
                         http=object())
    descriptor = InterruptibleDescriptor(harness.descriptor, context)
    running = harness.run(descriptor.deploy_session_cluster(harness.spec()))
    # The queue's AM resource limit (10% of 24 GB) holds the second JobManager in ACCEPTED.
    waiting = descriptor.deploy_session_cluster(harness.spec())
    harness.clock.advance(120)
    second = [app for app in harness.cluster.rm.apps if app != running.application_id][0]
    assert harness.app(second).state is RMAppState.ACCEPTED
    assert harness.fs.exists(f"/user/{USER}/.flink/{second}")

    interrupted = context.interrupt()
    assert isinstance(harness.failure_of(waiting), CancelledError)
    harness.run(interrupted)
    assert context.interrupted
    assert harness.app(second).state in (RMAppState.KILLING, RMAppState.KILLED)
    harness.clock.advance(10)
    assert harness.app(second).state is RMAppState.KILLED
    assert not harness.fs.exists(f"/user/{USER}/.flink/{second}")
    assert harness.app(running.application_id).state is RMAppState.RUNNING
    assert "Cancelling deployment from Deployment Failure Hook" in harness.client_messages()
