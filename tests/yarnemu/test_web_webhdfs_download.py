"""
Tests for :mod:`yarnemu.web.webhdfs.download`: file ranges streamed a chunk at a time, pausing when
the consumer is full.
"""

import io

import pytest
from twisted.internet.defer import Deferred
from twisted.internet.error import ConnectionLost
from twisted.python.failure import Failure

from tests.yarnemu.test_web_webhdfs_site import WebHdfs
from yarnemu.web.webhdfs.download import CHUNK_SIZE, FileRangeProducer


class Consumer:
    """A request-like consumer that can ask its producer to pause after every write."""

    def __init__(self, pause_after_write):
        self.pause_after_write = pause_after_write
        self.written = []
        self.producer = None
        self.finished = False
        self.lost = False
        self._finish = Deferred()

    def registerProducer(self, producer, streaming):
        assert streaming
        self.producer = producer

    def unregisterProducer(self):
        self.producer = None

    def notifyFinish(self):
        return self._finish

    def write(self, data):
        self.written.append(data)
        if self.pause_after_write:
            self.producer.pauseProducing()

    def finish(self):
        self.finished = True
        self._finish.callback(None)

    def loseConnection(self):
        self.lost = True


class Stream(io.BytesIO):
    def __init__(self, data):
        super().__init__(data)
        self.closes = 0

    def close(self):
        self.closes += 1
        super().close()


def test_it_writes_one_chunk_per_resume_when_the_consumer_pauses():
    data = bytes(range(256)) * 1000
    stream, consumer = Stream(data), Consumer(pause_after_write=True)
    producer = FileRangeProducer(consumer, stream, len(data), chunk_size=100_000)
    producer.start()
    assert [len(chunk) for chunk in consumer.written] == [100_000]
    while not consumer.finished:
        producer.resumeProducing()
    assert [len(chunk) for chunk in consumer.written] == [100_000, 100_000, 56_000]
    assert b"".join(consumer.written) == data
    assert consumer.producer is None and stream.closes == 1


def test_it_sends_only_the_range_from_the_current_position():
    stream, consumer = Stream(b"0123456789"), Consumer(pause_after_write=False)
    stream.seek(2)
    FileRangeProducer(consumer, stream, 5, chunk_size=2).start()
    assert consumer.written == [b"23", b"45", b"6"] and consumer.finished


def test_a_file_shorter_than_promised_drops_the_connection():
    stream, consumer = Stream(b"abc"), Consumer(pause_after_write=False)
    FileRangeProducer(consumer, stream, 10).start()
    assert consumer.written == [b"abc"]
    assert consumer.lost and not consumer.finished and stream.closes == 1


def test_stop_producing_closes_the_stream_and_sends_no_more():
    stream, consumer = Stream(b"x" * 10), Consumer(pause_after_write=True)
    producer = FileRangeProducer(consumer, stream, 10, chunk_size=1)
    producer.start()
    producer.stopProducing()
    producer.resumeProducing()
    assert consumer.written == [b"x"] and stream.closes == 1 and not consumer.finished


def test_a_lost_connection_closes_the_stream():
    stream, consumer = Stream(b"x" * 10), Consumer(pause_after_write=True)
    FileRangeProducer(consumer, stream, 10, chunk_size=1).start()
    consumer._finish.errback(Failure(ConnectionLost()))
    assert stream.closes == 1


def test_an_empty_range_finishes_at_once():
    stream, consumer = Stream(b"abc"), Consumer(pause_after_write=True)
    FileRangeProducer(consumer, stream, 0).start()
    assert consumer.written == [] and consumer.finished and stream.closes == 1


@pytest.mark.parametrize("size", [0, 1, CHUNK_SIZE, 5 * CHUNK_SIZE + 17])
def test_open_over_http_reads_back_byte_identical(tmp_path, size):
    webhdfs = WebHdfs(tmp_path)
    data = bytes(i * 31 % 256 for i in range(size))
    webhdfs.fs.create("/f.bin", data, "alice")
    step1 = webhdfs.call("GET", "/f.bin", {"op": "OPEN", "user.name": "alice"})
    step2 = webhdfs.follow(step1, "GET")
    assert (step2.status, step2.body) == (200, data)
