"""Run mutmut on the critical functions ([tool.housingmix.mutation] targets), bounded in time.

Run by `make mutation` (from the repository root). At the bound mutmut and its worker are stopped:
mutmut saves each mutant's result as it comes, so the results so far are kept (the mutant under
way counts as not checked); `scripts/mutation_report.py` then writes docs/quality.md from what ran.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = str(Path(sys.executable).with_name("mutmut"))


def targets() -> list[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(data["tool"]["housingmix"]["mutation"]["targets"])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=40)
    parser.add_argument("patterns", nargs="*", help="mutant name patterns (default: the targets)")
    args = parser.parse_args()
    command = [MUTMUT, "run", "--max-children", "1", *(args.patterns or targets())]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    try:
        return process.wait(timeout=args.minutes * 60)
    except subprocess.TimeoutExpired:
        print("mutmut stopped at the time bound (%g minutes): the report counts what ran." % args.minutes)
        os.killpg(process.pid, signal.SIGTERM)  # mutmut and the forked worker (one session)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        return 0
    finally:
        print("mutmut ran for %.1f minutes" % ((time.monotonic() - started) / 60))


if __name__ == "__main__":
    sys.exit(main())
