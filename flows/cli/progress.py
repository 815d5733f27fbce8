"""Progress display for the CLI; silent unless the CLI turns it on."""

from __future__ import annotations

from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

_progress: Progress | None = None


@contextmanager
def shown():
    """Show progress bars on the terminal while the block runs."""
    global _progress
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    ) as progress:
        _progress = progress
        try:
            yield
        finally:
            _progress = None


class Step:
    def __init__(self, description: str, total: int | None = None):
        self.task = _progress.add_task(description, total=total) if _progress else None

    def advance(self, n: int = 1, description: str | None = None) -> None:
        if _progress is not None and self.task is not None:
            _progress.update(self.task, advance=n, **({"description": description} if description else {}))

    def progress(self, done: int, total: int) -> None:
        """The stages' progress callback: ``done`` more of ``total``."""
        if _progress is not None and self.task is not None:
            _progress.update(self.task, advance=done, total=total)
