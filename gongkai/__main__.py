"""`python -m gongkai` is the `gongkai` command."""

import sys

from gongkai.cli import main

sys.exit(main())
