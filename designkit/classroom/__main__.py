"""``python -m designkit.classroom``: the instructor pipeline's command line."""
import sys

from designkit.classroom.cli import main

if __name__ == "__main__":  # guarded: grading workers are spawned processes that re-import this module
    sys.exit(main())
