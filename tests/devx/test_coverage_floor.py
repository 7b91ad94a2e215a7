"""scripts/coverage_floor.py: lines and branches printed apart, each failing under its floor."""

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "coverage_floor.py"


def _run(tmp_path, lines, statements, branches, all_branches):
    data = tmp_path / "coverage.json"
    totals = {"covered_lines": lines, "num_statements": statements}
    totals.update(covered_branches=branches, num_branches=all_branches)
    data.write_text(json.dumps({"totals": totals}))
    return subprocess.run([sys.executable, str(SCRIPT), str(data)], capture_output=True, text=True)


def test_both_over_their_floors_pass(tmp_path):
    result = _run(tmp_path, 953, 1000, 878, 1000)
    assert result.returncode == 0
    assert result.stdout.strip() == "Coverage: lines 95.3 % (floor 95 %), branches 87.8 % (floor 85 %)"


def test_lines_under_their_floor_fail_though_branches_pass(tmp_path):
    result = _run(tmp_path, 949, 1000, 990, 1000)
    assert result.returncode == 1
    assert "Coverage under the floor: lines" in result.stdout


def test_branches_under_their_floor_fail(tmp_path):
    result = _run(tmp_path, 1000, 1000, 849, 1000)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == "Coverage under the floor: branches"
