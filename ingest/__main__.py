import sys

from ingest.cli import ingest_main

sys.exit(ingest_main())
