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
from cleankit.errors import ConfigError


class _StageActor:
    def __init__(self, spec: dict[str, Any]) -> None:
        from cleankit.pipeline import Pipeline

        pipeline = Pipeline.from_spec(spec)
        tune_gc()
        self.stages = plan_stages(pipeline.cleaners)
        self.policy = ErrorPolicy(pipeline.settings.pipeline.on_error, pipeline.host)

    def run(self, index: int, batch: Batch) -> Batch:
        return run_document_stage(self.stages[index], batch, self.policy)


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
            ray.init(
                **({"address": address} if address else local),
                include_dashboard=False,
                log_to_driver=False,
                configure_logging=False,
            )
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
                yield self.ray.get(pending.popleft())
        while pending:
            yield self.ray.get(pending.popleft())

    def close(self) -> None:
        for actor in self.actors:
            self.ray.kill(actor)
        if self.started_here:
            self.ray.shutdown()

    def terminate(self) -> None:
        self.close()
