"""Parsing on a Spark cluster: the same parser, inside Spark tasks, for the same lake.

`gongkai ingest --engine spark` runs the ordinary pipeline (discover, fingerprint, plan
the buckets, write the shards) on the driver and hands only the parsing, the expensive
and embarrassingly parallel part, to Spark: each task parses its share of the files and
the results stream back to the driver in input order, where the pipeline writes them
exactly as the local worker pool's. So the lake is the same, row for row and byte for
byte, whichever engine parsed it.

Inside a task the files go through the local worker pool with one worker: a child process
of the task parses one document at a time under the same per-document time and memory
budget, so a document that hangs, eats memory or kills its parser becomes an error row
naming the file and the reason, and the task (and the rest of the lake) goes on.

Executors read the files at the paths the driver found: a shared or mounted filesystem
(local in CI). They need this package installed (a venv shipped with `spark.archives`,
or an image), and PYSPARK_PYTHON pointing at its Python.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import partial

from ingest.lake.inputs import Fingerprint
from ingest.lake.parquet import cell_columns_table
from ingest.lake.workers import Budget, Result, Rows, run_jobs

# Files per Spark task: big enough to amortise a task, small enough to spread the work.
FILES_PER_TASK = 64


def parse_on_spark(
    fingerprints: list[Fingerprint], budget: Budget | None = None
) -> Iterator[Result]:
    """(documents row, cells) for each fingerprint, in order, parsed by Spark tasks."""
    if not fingerprints:
        return iter(())
    context = spark_session().sparkContext
    slices = max(context.defaultParallelism, -(-len(fingerprints) // FILES_PER_TASK))
    tasks = context.parallelize(fingerprints, min(slices, len(fingerprints)))
    # parallelize keeps the order within and across partitions; toLocalIterator fetches
    # one partition at a time, so the driver holds one task's results, not the corpus.
    parse_task = partial(_parse_task, budget=budget or Budget())
    return tasks.mapPartitions(parse_task).toLocalIterator()


def _parse_task(fingerprints: Iterable[Fingerprint], budget: Budget) -> Iterator[Result]:
    """One task's files, in order, each parsed by a watched child process of the task."""
    files = list(fingerprints)
    if files:
        [results] = run_jobs(_parse_files, [(files, files)], 1, progress=False, budget=budget)
        yield from results


def _parse_files(files: list[Fingerprint], parse: Callable[[Fingerprint], Rows]) -> list[Result]:
    """In the task's child process: each file's result, in order (a document that broke an
    earlier child comes back from `parse` as its error row)."""
    return [(doc, cell_columns_table(cells.columns.values())) for doc, cells in map(parse, files)]


def spark_session():  # -> pyspark.sql.SparkSession (pyspark is imported only when used)
    """The running session (spark-submit, a Databricks or other notebook) or a new one.

    An active session (a notebook's) is used as it is. Under spark-submit the master is
    spark-submit's; otherwise GONGKAI_SPARK_MASTER (default local[2]). Tasks run this
    process's Python unless PYSPARK_PYTHON says otherwise.
    """
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("gongkai ingest")
    master = os.environ.get("GONGKAI_SPARK_MASTER")
    if master or "PYSPARK_GATEWAY_PORT" not in os.environ:  # not launched by spark-submit
        builder = builder.master(master or "local[2]").config("spark.ui.enabled", "false")
    return builder.getOrCreate()
