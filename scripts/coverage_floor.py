"""Print the combined coverage's lines and branches apart and fail below their floors.

Run by `make coverage-report` after `coverage report` (whose ``fail_under`` floors the total):
``python scripts/coverage_floor.py test-artifacts/coverage.json``. The floors are the goals of
issue 18: 95 % of the lines and 85 % of the branches of the app code.
"""

import json
import sys

LINES_FLOOR = 95.0
BRANCHES_FLOOR = 85.0


def main(path: str) -> int:
    totals = json.loads(open(path, encoding="utf-8").read())["totals"]
    lines = 100.0 * totals["covered_lines"] / max(totals["num_statements"], 1)
    branches = 100.0 * totals["covered_branches"] / max(totals["num_branches"], 1)
    print(
        "Coverage: lines %.1f %% (floor %.0f %%), branches %.1f %% (floor %.0f %%)"
        % (lines, LINES_FLOOR, branches, BRANCHES_FLOOR)
    )
    failed = [
        name
        for name, value, floor in (("lines", lines, LINES_FLOOR), ("branches", branches, BRANCHES_FLOOR))
        if value < floor
    ]
    if failed:
        print("Coverage under the floor: %s" % ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
