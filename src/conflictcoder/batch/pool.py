"""Worker processes that code chunks of articles, each loading the pipeline once.

Workers are started with `spawn` (a fresh interpreter: no locks or threads inherited from the parent) and
load a `Coder` in their initializer. They ignore Ctrl-C, which the parent handles for the whole run, and
exit by themselves when the parent dies (a SIGKILL of the parent leaves no orphan coding on).

A chunk goes out as its articles and comes back as one result per article: the coded article, or the
reason coding it failed (one failing article is retried alone, so the rest of its chunk is kept).
Results come back in input order, with a few chunks in flight ahead of the one being consumed.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Generic, TypeVar

from conflictcoder.model import Article, CodedArticle
from conflictcoder.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")
#: The result of coding one article in a worker: the coded article, or why it failed.
Outcome = CodedArticle | str

_CODER = None  # the worker's Coder, loaded once by `_init_worker`


def _init_worker(settings: dict[str, object], model_path: str | None, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    from conflictcoder.pipeline import Coder

    global _CODER
    _CODER = Coder.load(Settings(**settings))  # type: ignore[arg-type]
    if model_path is not None:
        from conflictcoder.learn import load_model

        _CODER.model = load_model(Path(model_path))


def _exit_with_parent(parent: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)


def code_articles(articles: list[Article]) -> list[Outcome]:
    """Code `articles` with the worker's Coder (in one spaCy batch; one by one after a failure)."""
    coder = _CODER
    assert coder is not None, "worker not initialised"
    try:
        return list(coder.code_many(articles))  # type: ignore[arg-type]
    except Exception:  # find the article that failed and keep the others
        log.debug("a chunk failed; coding its articles one by one", exc_info=True)
    out: list[Outcome] = []
    for article in articles:
        try:
            out.append(coder.code(article))
        except Exception as err:
            out.append(f"coding failed ({type(err).__name__}: {err})")
    return out


def _probe(pause: float) -> tuple[int, tuple[int, float]]:
    """(pid, (peak resident memory in bytes, CPU seconds so far)) of the worker that runs it; `pause`
    spreads probes over the workers."""
    import resource

    time.sleep(pause)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return os.getpid(), (usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime)  # Linux: KiB


class CodingPool(Generic[T]):
    """`workers` coding processes. Use as a context manager; `code_in_order` does the work."""

    def __init__(self, settings: Settings, workers: int, model_path: Path | None = None) -> None:
        self.settings, self.workers, self.model_path = settings, max(1, workers), model_path
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> CodingPool[T]:
        self._executor = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(
                self.settings.model_dump(mode="json"),
                str(self.model_path) if self.model_path else None,
                os.getpid(),
            ),
        )
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close(kill=exc_type is not None)

    def close(self, kill: bool = False) -> None:
        """Stop the workers: wait for them, or (`kill`) cancel what is queued and end them now."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if kill:
            # ProcessPoolExecutor has no public way to stop running work before Python 3.14
            processes = list((getattr(executor, "_processes", None) or {}).values())
            executor.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()
            for process in processes:
                process.join(timeout=5)
        else:
            executor.shutdown(wait=True)

    def worker_stats(self, timeout: float = 600.0) -> dict[int, tuple[int, float]]:
        """Each worker's peak resident memory in bytes and CPU seconds so far (pid -> (bytes, s)). Waits
        until every worker has loaded its pipeline and answered, so it also serves to start the workers
        before a timed run."""
        assert self._executor is not None, "use CodingPool as a context manager"
        seen: dict[int, tuple[int, float]] = {}
        deadline = time.monotonic() + timeout
        while len(seen) < self.workers and time.monotonic() < deadline:
            futures = [self._executor.submit(_probe, 0.2) for _ in range(self.workers)]
            seen.update(f.result() for f in futures)
        return seen

    def code_in_order(self, chunks: Iterable[tuple[T, list[Article]]]) -> Iterator[tuple[T, list[Outcome]]]:
        """Code each chunk's articles; yield (chunk, outcomes) in input order, keeping up to two chunks
        per worker in flight. A chunk with no articles passes through without going to a worker."""
        assert self._executor is not None, "use CodingPool as a context manager"
        window: deque[tuple[T, Future[list[Outcome]] | None]] = deque()
        ahead = 2 * self.workers
        for tag, articles in chunks:
            future = self._executor.submit(code_articles, articles) if articles else None
            window.append((tag, future))
            while len(window) > ahead or (window and window[0][1] is None):
                yield self._take(window)
        while window:
            yield self._take(window)

    @staticmethod
    def _take(window: deque[tuple[T, Future[list[Outcome]] | None]]) -> tuple[T, list[Outcome]]:
        tag, future = window.popleft()
        return tag, [] if future is None else future.result()
