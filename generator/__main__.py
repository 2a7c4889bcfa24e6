"""`python -m generator` is the `patterns` command."""

import sys

from generator.cli import main

sys.exit(main())
