"""`gongkai ingest --engine spark` under spark-submit, with spark-submit's master and settings.

    spark-submit --master yarn [options] scripts/spark_ingest.py PATH... --out LAKE [--replace]

takes the same arguments as `gongkai ingest` (without `--engine`). The driver finds the
files, plans the buckets and writes the lake; Spark tasks parse the files (ingest/lake/spark.py).
"""

import sys

from gongkai.cli import main

if __name__ == "__main__":
    sys.exit(main(["ingest", "--engine", "spark", *sys.argv[1:]]))
