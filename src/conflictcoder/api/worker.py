"""The coder behind the API: loaded once, and run on one thread of its own.

Coding is CPU work under the interpreter lock, so one thread loses nothing; it also keeps the spaCy
pipeline and the gazetteer's connection on a single thread, and lets writes to a SQLite store go one at
a time. Handlers `await` it, so the server keeps answering reads meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from conflictcoder.pipeline import Coder
from conflictcoder.settings import get_settings

T = TypeVar("T")


class CodingWorker:
    def __init__(self, coder: Coder | None = None) -> None:
        self._coder = coder
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="conflictcoder-coder")

    def _loaded(self) -> Coder:
        if self._coder is None:
            self._coder = Coder.load(get_settings())
        return self._coder

    async def run(self, work: Callable[[Coder], T]) -> T:
        """Run `work(coder)` on the coder's thread (loading the coder first if needed)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: work(self._loaded()))

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
