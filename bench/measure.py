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
import signal
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
    cpu_s: float  # user + system of the whole tree (see run_measured)
    peak_tree_rss_mib: float
    peak_tree_pss_mib: float
    maxrss_single_mib: float
    peak_main_rss_mib: float  # the command's own process (an ingest's parent), polled
    load_before: str
    load_after: str
    stdout: str
    stderr: str
    timed_out: bool = False


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
        self.cpu_at_kill = 0.0
        # (pid, start time) -> its own user+system ticks when last seen: counts processes
        # that their parent never waits for (pyspark's JVM), which getrusage misses.
        self.cpu_ticks: dict[tuple[int, int], int] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            members = _tree(self.root)
            for pid in members:
                key, ticks = _own_cpu_ticks(pid)
                if key is not None:
                    self.cpu_ticks[key] = ticks
            totals = [_rss_pss(pid) for pid in members]
            self.peak_rss = max(self.peak_rss, sum(r for r, _ in totals))
            self.peak_pss = max(self.peak_pss, sum(p for _, p in totals))
            main = _children(self.root)  # the command's own process, not its workers
            if main:
                self.peak_main = max(self.peak_main, _rss_pss(main[0])[0])
            self.done.wait(self.interval)


def run_measured(
    command: list[str],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout_s: float | None = None,
) -> Measurement:
    """Run `command` under the wrapper; capture its output and measure it.

    CPU time is the larger of getrusage(RUSAGE_CHILDREN) in the wrapper (every process
    waited for) and the sum of the own times of every process seen in the tree (/proc,
    polled): a JVM that pyspark starts is never waited for, so getrusage alone misses it.
    With `timeout_s`, the command runs in its own session and its whole process tree is
    killed when the time is up (`timed_out`; CPU time is then that of the tree so far,
    read from /proc, since the wrapper never reports).
    """
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
            start_new_session=timeout_s is not None,
        )
        poller = _Poller(process.pid)
        poller.start()
        timed_out = False
        try:
            stdout, stderr = process.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            timed_out = True
            poller.cpu_at_kill = _tree_cpu_s(process.pid)
            os.killpg(process.pid, signal.SIGKILL)
            stdout, stderr = process.communicate()
        wall = time.perf_counter() - started
        poller.done.set()
        poller.join()
        usage = json.loads(usage_file.read() or "{}")
        if timed_out:
            usage = {"user": poller.cpu_at_kill, "sys": 0.0}
        polled_cpu = sum(poller.cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")
        reaped_cpu = usage.get("user", 0.0) + usage.get("sys", 0.0)
    return Measurement(
        command=command,
        returncode=process.returncode,
        wall_s=wall,
        cpu_s=max(reaped_cpu, polled_cpu),
        peak_tree_rss_mib=poller.peak_rss / MIB,
        peak_tree_pss_mib=poller.peak_pss / MIB,
        maxrss_single_mib=usage.get("maxrss_kib", 0) / 1024,
        peak_main_rss_mib=poller.peak_main / MIB,
        load_before=load_before,
        load_after=load_average(),
        stdout=stdout,
        stderr=stderr,
        timed_out=timed_out,
    )


def _own_cpu_ticks(pid: int) -> tuple[tuple[int, int] | None, int]:
    """((pid, start time), own user + system clock ticks) of a live process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (pid, int(fields[19])), int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return None, 0


def _tree_cpu_s(pid: int) -> float:
    """User + system seconds of `pid` and its descendants (their own, /proc/PID/stat)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for member in [pid, *_tree(pid)]:
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
        except (OSError, ValueError, IndexError):
            pass
    return total / ticks


MEMORY_NOTE = (
    "memory: 'tree RSS'/'tree PSS' = peak of the sum over the measured process tree, /proc "
    "polled every 50 ms (RSS counts pages shared by forked workers once per process, PSS "
    "shares them out); 'max1' = getrusage(RUSAGE_CHILDREN).ru_maxrss from a wrapper "
    "subprocess = the largest single process; 'main' = peak RSS of the command's own "
    "process (the ingest's parent, without its workers), polled."
)
