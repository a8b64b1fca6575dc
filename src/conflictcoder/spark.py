"""`python -m conflictcoder.spark` (or `spark-submit` of this file): the Spark job of `batch/spark.py`."""

from __future__ import annotations

import sys

from conflictcoder.batch.spark import main

if __name__ == "__main__":
    sys.exit(main())
