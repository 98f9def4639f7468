"""Progress of an experiment run, for a person at a terminal and for a log file alike.

On a terminal (`mode="live"`): a rich progress bar with trials done, running and left and
the estimated time to go, redrawn several times a second, so the estimate counts down
while a trial runs. Elsewhere (`mode="log"`: CI, nohup, a pipe): one plain line per
finished trial with done / left / ETA, and every `heartbeat` seconds without a finished
trial a line with the estimate brought up to date, so a log shows time passing.

The estimate: the mean time of the trials finished in this run, times the trials left,
divided by how many run at once, less the time already spent on the running ones.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import IO, Any


def _clock() -> float:
    return time.perf_counter()


def format_seconds(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class Progress:
    """Trials done, running and left, with an estimate that advances with time."""

    def __init__(
        self,
        total: int,
        cached: int,
        enabled: bool = True,
        console: Any = None,
        mode: str = "live",
        stream: IO[str] | None = None,
        heartbeat: float = 30.0,
        clock: Callable[[], float] = _clock,
    ) -> None:
        self.total, self.done, self.running = total, cached, 0
        self.enabled, self.mode = enabled, mode
        self.console = console  # a rich Console for live mode; default: standard error
        self.stream = stream  # where log lines go; default: standard error
        self.heartbeat = heartbeat
        self.clock = clock
        self.started = clock()
        self.last_finish = self.started
        self.ran = 0
        self._progress: Any = None
        self._task: Any = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # -- the estimate -----------------------------------------------------------------

    @property
    def left(self) -> int:
        return self.total - self.done

    def eta(self) -> float | None:
        """Seconds to go, or None before the first trial of this run finished."""
        if not self.ran:
            return None
        now = self.clock()
        per = (self.last_finish - self.started) / self.ran
        parallel = max(1, self.running)
        in_flight = now - self.last_finish  # time already spent on the running trials
        return max(0.0, per * self.left / parallel - in_flight)

    def _describe(self) -> str:
        eta = self.eta()
        text = f"done {self.done} running {self.running} left {self.left}"
        return text if eta is None else f"{text} ~{eta:.0f}s to go"

    def line(self, event: str = "") -> str:
        """One log line: `trials 4/10 done, 6 left, ETA 1m05s (elapsed 40s)[: event]`."""
        eta = self.eta()
        eta_text = "ETA unknown" if eta is None else f"ETA {format_seconds(eta)}"
        elapsed = format_seconds(self.clock() - self.started)
        text = f"trials {self.done}/{self.total} done, {self.left} left, {eta_text} (elapsed {elapsed})"
        return f"{text}: {event}" if event else text

    # -- display ----------------------------------------------------------------------

    def __enter__(self) -> Progress:
        if not self.enabled:
            return self
        if self.mode == "live":
            self._start_live()
        elif self.left > 0:
            self._write(self.line("starting"))
        if self.mode == "log" and self.left > 0 and self.heartbeat > 0:
            self._thread = threading.Thread(target=self._beat, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._progress is not None:
            self._progress.__exit__(None, None, None)

    def _start_live(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        owner = self

        class _Estimate(TextColumn):  # re-rendered on every refresh: the estimate counts down
            def render(self, task: Any) -> Any:
                from rich.text import Text

                return Text(owner._describe())

        self._progress = RichProgress(
            TextColumn("[bold]trials"),
            BarColumn(),
            MofNCompleteColumn(),
            _Estimate(""),
            TimeElapsedColumn(),
            console=self.console if self.console is not None else Console(stderr=True),
            transient=False,
        )
        self._progress.__enter__()
        self._task = self._progress.add_task(self._describe(), total=self.total, completed=self.done)

    def _beat(self) -> None:
        while not self._stop.wait(self.heartbeat):
            with self._lock:
                self._write(self.line("still running"))

    def _write(self, text: str) -> None:
        import sys

        stream = self.stream if self.stream is not None else sys.stderr
        stream.write(text + "\n")
        stream.flush()

    def update(self, running: int, finished: int = 0, event: str = "") -> None:
        """`running` trials now in flight; `finished` more done (described by `event`)."""
        with self._lock:
            self.running = running
            self.done += finished
            self.ran += finished
            if finished:
                self.last_finish = self.clock()
            if not self.enabled:
                return
            if self._progress is not None:
                self._progress.update(self._task, completed=self.done, description=self._describe())
            elif self.mode == "log" and finished:
                self._write(self.line(event))
