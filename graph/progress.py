"""Progress reporting for long CLI steps: a one-line bar on a terminal, plain log lines otherwise.

A `Progress` is the `progress=callback(label, count)` that `GraphStore.load`, the migration and the
Neo4j export call once per batch. On a terminal (the stream is a TTY) it redraws one line with `\\r`,
at most every `min_interval` seconds, so that a million-row load does not spend its time printing.
Elsewhere (a log file, CI, a pipe) carriage returns would garble the output, so it writes one line
per label and batch instead; those lines say what happened and can be grepped afterwards.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

# What `GraphStore.load`, the migration and the Neo4j export call once per batch: (what, how many rows).
OnProgress = Callable[[str, int], None]
BAR_WIDTH = 24


class Progress:
    """Counts rows per label; `total` (all labels together) enables a bar and a percentage."""

    def __init__(
        self,
        title: str,
        total: int | None = None,
        stream: TextIO | None = None,
        interactive: bool | None = None,
        min_interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.title = title
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        if interactive is None:
            isatty = getattr(self.stream, "isatty", None)
            interactive = bool(isatty and isatty())
        self.interactive = interactive
        self.min_interval = min_interval
        self.clock = clock
        self.done = 0
        self.by_label: dict[str, int] = {}
        self.started = clock()
        self._drawn_at: float | None = None
        self._width = 0
        self._closed = False

    def __call__(self, label: str, count: int) -> None:
        self.done += count
        self.by_label[label] = self.by_label.get(label, 0) + count
        if self.interactive:
            now = self.clock()
            if self._drawn_at is None or now - self._drawn_at >= self.min_interval or self._complete():
                self._draw(label, now)
        else:
            of = f"/{self.total:,}" if self.total else ""
            self._write(f"{self.title}: {label} +{count:,} ({self.done:,}{of} rows)\n")

    def _complete(self) -> bool:
        return self.total is not None and self.done >= self.total

    def _draw(self, label: str, now: float) -> None:
        self._drawn_at = now
        elapsed = now - self.started
        rate = f"{self.done / elapsed:,.0f} rows/s" if elapsed > 0 else ""
        if self.total:
            share = min(self.done / self.total, 1.0)
            filled = int(share * BAR_WIDTH)
            bar = f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {share:4.0%} {self.done:,}/{self.total:,}"
        else:
            bar = f"{self.done:,} rows"
        line = f"{self.title}: {bar}  {label}  {rate}".rstrip()
        # Pad over the previous, possibly longer, line: `\r` alone leaves its tail visible.
        pad = max(self._width - len(line), 0)
        self._width = len(line)
        self._write("\r" + line + " " * pad)

    def message(self, text: str) -> None:
        """A line of its own (a step finished, a file written) without breaking the bar."""
        if self.interactive and self._drawn_at is not None:
            self._write("\r" + " " * self._width + "\r")
            self._width = 0
            self._drawn_at = None
        self._write(text + "\n")

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.interactive and self._drawn_at is not None:
            # Draw the final state (the last batches may have been skipped by the rate limit).
            self._draw(next(reversed(self.by_label), ""), self.clock())
            self._write("\n")

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def reporter(title: str, total: int | None = None, stream: TextIO | None = None) -> Progress:
    """The CLI's reporter on stderr (stdout stays for results that may be piped)."""
    return Progress(title, total, stream)
