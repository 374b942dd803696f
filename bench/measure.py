"""Run a command in a fresh process and measure it: wall time and peak memory of its tree.

Memory is measured two ways, both printed:
  * tree RSS / PSS: /proc polled every 50 ms, summing every process below the wrapper
    (RSS double-counts pages that forked workers share; PSS splits shared pages fairly);
  * ru_maxrss: `resource.getrusage(RUSAGE_CHILDREN).ru_maxrss` in a wrapper subprocess, i.e.
    the largest single process of the tree (not a sum).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024

# Runs the command, then writes its own RUSAGE_CHILDREN figures to the file in argv[1].
_WRAPPER = """
import json, resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as handle:
    figures = {"maxrss_kib": usage.ru_maxrss, "user": usage.ru_utime, "sys": usage.ru_stime}
    json.dump(figures, handle)
sys.exit(code)
"""


@dataclass
class Measurement:
    command: list[str]
    returncode: int
    wall_s: float
    cpu_s: float  # user + system of the whole tree
    peak_tree_rss_mib: float
    peak_tree_pss_mib: float
    maxrss_single_mib: float
    peak_main_rss_mib: float  # the command's own process (an ingest's parent), polled
    load_before: str
    load_after: str
    stdout: str
    stderr: str


def load_average() -> str:
    """The 1/5/15-minute load averages, as `uptime` prints them."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
            found.extend(int(child) for child in text.split())
    except OSError:
        pass
    return found


def _tree(pid: int) -> list[int]:
    """All descendants of `pid` (not pid itself)."""
    pending, seen = _children(pid), []
    while pending:
        child = pending.pop()
        seen.append(child)
        pending.extend(_children(child))
    return seen


def _rss_pss(pid: int) -> tuple[int, int]:
    try:
        rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        pss = 0
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
                break
        return rss, pss
    except (OSError, ValueError, IndexError):
        return 0, 0


class _Poller(threading.Thread):
    def __init__(self, root: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.peak_rss = self.peak_pss = self.peak_main = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            tree = _tree(self.root)
            totals = [_rss_pss(pid) for pid in tree]
            self.peak_rss = max(self.peak_rss, sum(r for r, _ in totals))
            self.peak_pss = max(self.peak_pss, sum(p for _, p in totals))
            main = _children(self.root)  # the command's own process, not its workers
            if main:
                self.peak_main = max(self.peak_main, _rss_pss(main[0])[0])
            self.done.wait(self.interval)


def run_measured(
    command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> Measurement:
    """Run `command` under the wrapper; capture its output and measure it."""
    with tempfile.NamedTemporaryFile("r", suffix=".json") as usage_file:
        load_before = load_average()
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", _WRAPPER, usage_file.name, *command],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        poller = _Poller(process.pid)
        poller.start()
        stdout, stderr = process.communicate()
        wall = time.perf_counter() - started
        poller.done.set()
        poller.join()
        usage = json.loads(usage_file.read() or "{}")
    return Measurement(
        command=command,
        returncode=process.returncode,
        wall_s=wall,
        cpu_s=usage.get("user", 0.0) + usage.get("sys", 0.0),
        peak_tree_rss_mib=poller.peak_rss / MIB,
        peak_tree_pss_mib=poller.peak_pss / MIB,
        maxrss_single_mib=usage.get("maxrss_kib", 0) / 1024,
        peak_main_rss_mib=poller.peak_main / MIB,
        load_before=load_before,
        load_after=load_average(),
        stdout=stdout,
        stderr=stderr,
    )


MEMORY_NOTE = (
    "memory: 'tree RSS'/'tree PSS' = peak of the sum over the measured process tree, /proc "
    "polled every 50 ms (RSS counts pages shared by forked workers once per process, PSS "
    "shares them out); 'max1' = getrusage(RUSAGE_CHILDREN).ru_maxrss from a wrapper "
    "subprocess = the largest single process; 'main' = peak RSS of the command's own "
    "process (the ingest's parent, without its workers), polled."
)
