"""A progress bar for long runs (articles done, articles/s, ETA), drawn on stderr only when it is a
terminal: redirected to a file or a pipe it stays quiet, so logs and CI output carry no bar."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class _RateColumn(ProgressColumn):
    """Articles per second over the run so far."""

    def render(self, task: Task) -> Text:
        elapsed = task.finished_time if task.finished else task.elapsed
        if not elapsed or not task.completed:
            return Text("– articles/s", style="progress.data.speed")
        return Text(f"{task.completed / elapsed:,.1f} articles/s", style="progress.data.speed")


class Advance:
    """What a run calls as it goes: `done(n)` for n more articles; `total(n)` once the total is known."""

    def __init__(self, progress: Progress | None, task: int | None) -> None:
        self._progress, self._task = progress, task
        self.count = 0

    def done(self, n: int = 1) -> None:
        self.count += n
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, n)

    def total(self, n: int | None) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, total=n)


@contextmanager
def article_progress(
    console: Console, total: int | None, label: str = "coding", transient: bool = False
) -> Iterator[Advance]:
    """A progress bar on `console` while the block runs; no bar (and no output) unless `console` is a
    terminal. `total` may be None (unknown): the bar then shows the count and rate without an ETA."""
    if not console.is_terminal:
        yield Advance(None, None)
        return
    progress = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        transient=transient,
        redirect_stdout=False,
        redirect_stderr=False,
    )
    with progress:
        task = progress.add_task(label, total=total)
        yield Advance(progress, task)
