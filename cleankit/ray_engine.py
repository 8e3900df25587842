"""Running document stages on a Ray cluster (`--engine ray`, extra `cleankit[ray]`).

Same contract as the local process pool: each Ray actor builds the pipeline's cleaners from
the resolved config, batches are dispatched round-robin and collected in submission order,
at most two per actor in flight, so the output is byte-identical to a local run. Reading,
corpus-level stages (dedup), validation and writing stay on the driver. Connects to the
cluster in `RAY_ADDRESS` if set, else starts a local one with `workers` CPUs.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from cleankit.engine import Batch, ErrorPolicy, plan_stages, run_document_stage, tune_gc
from cleankit.errors import CleankitError, ConfigError, EngineError, PluginError


class _StageActor:
    def __init__(self, spec: dict[str, Any]) -> None:
        from cleankit.pipeline import Pipeline

        pipeline = Pipeline.from_spec(spec)
        tune_gc()
        self.stages = plan_stages(pipeline.cleaners)
        self.policy = ErrorPolicy(pipeline.settings.pipeline.on_error, pipeline.host)

    def run(self, index: int, batch: Batch) -> Batch:
        return run_document_stage(self.stages[index], batch, self.policy)


def _first_line(exc: BaseException) -> str:
    """`Type: message`, the message's first line only (Ray's hold whole tracebacks)."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"


class RayPool:
    """The `WorkerPool` interface (`map`, `close`, `terminate`) on Ray actors."""

    def __init__(self, workers: int, spec: dict[str, Any]) -> None:
        try:
            import ray
        except ImportError:
            raise ConfigError("engine 'ray' needs Ray: pip install 'cleankit[ray]'") from None
        self.ray = ray
        self.started_here = not ray.is_initialized()
        if self.started_here:
            address = os.environ.get("RAY_ADDRESS")
            # "local" starts a fresh cluster: never attach to a stray one by accident.
            local = {"address": "local", "num_cpus": workers}
            try:
                ray.init(
                    **({"address": address} if address else local),
                    include_dashboard=False,
                    log_to_driver=False,
                    configure_logging=False,
                )
            except ConnectionError as exc:  # RAY_ADDRESS names no reachable cluster
                raise EngineError(
                    f"cannot reach the Ray cluster at RAY_ADDRESS={address!r}: "
                    f"{_first_line(exc)} (unset RAY_ADDRESS to start a local one)"
                ) from None
        actor = ray.remote(num_cpus=1)(_StageActor)
        self.actors: list[Any] = [actor.remote(spec) for _ in range(workers)]
        self.workers = workers
        self.turn = 0

    def map(self, index: int, batches: Iterable[Batch]) -> Iterator[Batch]:
        pending: deque[Any] = deque()
        for batch in batches:
            actor = self.actors[self.turn % len(self.actors)]
            self.turn += 1
            pending.append(actor.run.remote(index, batch))
            if len(pending) >= 2 * self.workers:
                yield self._get(pending.popleft())
        while pending:
            yield self._get(pending.popleft())

    def _get(self, ref: Any) -> Batch:
        """The batch, or the actor's error as the local pool would raise it: a
        `CleanerFailed` (on_error = "fail") as itself, not as Ray's multi-line traceback."""
        try:
            return self.ray.get(ref)  # type: ignore[no-any-return]
        except self.ray.exceptions.RayTaskError as exc:
            cause = getattr(exc, "cause", None)
            if isinstance(cause, CleankitError):
                raise cause from None
            raise PluginError(f"a Ray actor failed: {_first_line(cause or exc)}") from None
        except self.ray.exceptions.RayActorError as exc:  # e.g. its __init__ raised
            raise PluginError(f"a Ray actor cannot run the pipeline: {_first_line(exc)}") from None

    def close(self) -> None:
        for actor in self.actors:
            self.ray.kill(actor)
        if self.started_here:
            self.ray.shutdown()

    def terminate(self) -> None:
        self.close()
