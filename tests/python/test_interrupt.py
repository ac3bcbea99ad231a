"""Ctrl-C stops a long run with KeyboardInterrupt, and other Python threads run while it simulates."""

import os
import signal
import threading
import time

import pytest

import guidance

# Far longer than either test lasts: 10^8 trials on one thread take seconds even on a fast machine (the
# columns' memory is touched only as trials are written, so an interrupted run never holds much of it).
LONG_RUN = dict(trials=100_000_000, seed=1, threads=1)


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    path = tmp_path_factory.mktemp("interrupt") / "small.yaml"
    path.write_text("name: small\ndrivers:\n  units: {dist: normal, mean: 10, sd: 1}\n"
                    "metrics:\n  revenue: units * 2\n")
    return guidance.load(str(path))


def test_ctrl_c_interrupts_a_run(model):
    started = time.monotonic()
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        model.run(**LONG_RUN)
    assert time.monotonic() - started < 5.0
    timer.join()
    assert model.run(trials=1000, seed=1).trials == 1000  # the model is usable afterwards


def test_other_threads_run_while_it_simulates(model):
    ticks = []
    stop = threading.Event()

    def tick():
        # Python work during the run; it ends the run once it has done enough. Had the run kept the GIL,
        # this thread could not run, and the run would not be interrupted.
        while not stop.is_set():
            ticks.append(sum(i * i for i in range(1000)))
            if len(ticks) == 200:
                os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.001)

    ticker = threading.Thread(target=tick)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        ticker.start()
        model.run(**LONG_RUN)
    stop.set()
    ticker.join()
    assert len(ticks) >= 200
    assert time.monotonic() - started < 10.0
