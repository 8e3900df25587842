"""QA round 4: stopping a run with worker processes (Ctrl-C) must never hang."""

from __future__ import annotations

import os
import threading
import time

from cleankit.engine import WorkerPool
from cleankit.pipeline import Pipeline


class SlowToPickle:
    """A task argument that takes a while to pickle and is large once pickled: the pool's
    feeding thread is still pickling it when terminate() drains the pipe, then blocks
    writing it to a worker that is busy (and is then killed)."""

    def __reduce__(self) -> tuple[object, tuple[bytes]]:
        time.sleep(1.0)
        return bytes, (b"x" * (8 << 20),)


def test_terminate_returns_while_a_large_batch_is_being_sent():
    """Was: Ctrl-C during `clean -w 2` sometimes hung forever in Pool.terminate(), joining
    its feeding thread, which was blocked writing a batch to killed workers."""
    pool = WorkerPool(1, Pipeline.from_config(only=["encoding"]).spec())
    worker = pool.pool.apply(os.getpid)  # the worker is up
    pool.pool.apply_async(time.sleep, (60,))  # ... and busy, reading nothing
    time.sleep(0.5)
    pool.pool.apply_async(len, (SlowToPickle(),))
    time.sleep(0.2)  # the feeding thread is pickling it now
    stopper = threading.Thread(target=pool.terminate, daemon=True)
    started = time.monotonic()
    stopper.start()
    stopper.join(30)
    assert not stopper.is_alive(), "terminate() hung"
    assert time.monotonic() - started < 15
    try:
        os.kill(worker, 0)
    except ProcessLookupError:
        pass
    else:  # a killed child stays a zombie until it is reaped: check its state
        with open(f"/proc/{worker}/stat") as fh:
            assert fh.read().split()[2] == "Z", "the worker is still running"


def test_workers_that_cannot_rebuild_the_pipeline_stop_the_run(
    register_plugin, seeds_dir, tmp_path
):
    """Was: a cleaner registered in this process only, with workers > 1: every worker
    failed in its initializer, the pool started new ones forever (a hang, with a
    traceback per worker)."""
    from cleankit import DocumentCleaner, hookimpl
    from cleankit.errors import PluginError

    class LocalOnly(DocumentCleaner):
        name = "local_only"

        def clean(self, doc):  # type: ignore[no-untyped-def]
            pass

    class Plugin:
        @hookimpl
        def cleankit_register_cleaners(self, register):  # type: ignore[no-untyped-def]
            register(LocalOnly)

    host = register_plugin(Plugin())
    overrides = ['pipeline.cleaners=["encoding","local_only"]', "pipeline.workers=2"]
    pipeline = Pipeline.from_config(None, overrides, host=host)
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            pipeline.run([seeds_dir], tmp_path / "out")
        except BaseException as exc:  # reported by the assertions below
            outcome.append(exc)

    runner = threading.Thread(target=run, daemon=True)
    runner.start()
    runner.join(120)
    assert not runner.is_alive(), "the run hung"
    [error] = outcome
    assert isinstance(error, PluginError) and "cannot rebuild the pipeline" in str(error)
    assert "unknown cleaner 'local_only'" in str(error)
    assert not (tmp_path / "out" / "manifest.json").exists()
