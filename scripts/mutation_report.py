"""Write docs/quality.md from mutmut's results: the score per module and every surviving mutant.

Run by `make mutation` after `mutmut run` (from the repository root, where mutants/ is).
Only the mutants of the targets count ([tool.housingmix.mutation] in pyproject.toml: of
applications/services.py, the submission). Killed, timed-out and type-checked mutants count as
killed; a mutant no test reaches ("no tests") counts as survived; one the time bound stopped
before (or interrupted) as not checked. The notes on survivors (why each is acceptable) are kept
from docs/quality-notes.md.
"""

import fnmatch
import json
import re
import subprocess
import sys
import tomllib
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = str(Path(sys.executable).with_name("mutmut"))
KILLED = {"killed", "timeout", "caught by type check"}
UNCHECKED = {"not checked", "skipped", "check was interrupted by user"}
KEY = re.compile(r"^\s*(?P<key>\S+): (?P<status>.+?)\s*$")
MODULE = re.compile(r"^(?P<module>.*?)\.x[_ǁ]")


def targets() -> list[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(data["tool"]["housingmix"]["mutation"]["targets"])


def labels() -> dict[str, str]:
    """The module's name, with the function when only one of it is a target."""
    found = {}
    for pattern in targets():
        match = re.match(r"^(?P<module>.+?)\.x_(?P<function>\w+?)__mutmut_\*$", pattern)
        if match:
            found[match["module"]] = "`%s` (`%s`)" % (match["module"], match["function"])
    return found


def results() -> list[tuple[str, str]]:
    out = subprocess.run([MUTMUT, "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True, check=True)
    patterns = targets()
    rows = []
    for line in out.stdout.splitlines():
        match = KEY.match(line)
        if match and any(fnmatch.fnmatchcase(match["key"], pattern) for pattern in patterns):
            rows.append((match["key"], match["status"]))
    return rows


def durations() -> dict[str, float]:
    """Seconds each checked mutant took (its forked test run), from mutmut's files."""
    seconds = {}
    for meta in (ROOT / "mutants").rglob("*.meta"):
        seconds.update(json.loads(meta.read_text(encoding="utf-8")).get("durations_by_key", {}))
    return seconds


def diff(key: str) -> str:
    out = subprocess.run([MUTMUT, "show", key], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip()


def main() -> int:
    rows = results()
    seconds = durations()
    by_module: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key, status in rows:
        match = MODULE.match(key)
        by_module[match["module"] if match else key].append((key, status))
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Quality: mutation testing",
        "",
        "Written by `make mutation` (mutmut, SQLite; %s). Each mutant is one small change to a" % stamp,
        "critical module (an operator, a constant, a condition); a test must fail for it to count as",
        "killed (a mutant no test reaches counts as survived). Not checked: mutants the time bound",
        "stopped before. Time: the mean seconds of one mutant's test run.",
        "",
        "| module | mutants | killed | survived | not checked | score | time |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    survivors = []
    for module in sorted(by_module):
        items = by_module[module]
        killed = sum(status in KILLED for _key, status in items)
        unchecked = sum(status in UNCHECKED for _key, status in items)
        survived = len(items) - killed - unchecked
        checked = killed + survived
        score = "%.1f %%" % (100 * killed / checked) if checked else "-"
        timed = [seconds[key] for key, _status in items if key in seconds]
        mean = "%.1f s" % (sum(timed) / len(timed)) if timed else "-"
        label = labels().get(module, "`%s`" % module)
        lines.append(
            "| %s | %d | %d | %d | %d | %s | %s |" % (label, len(items), killed, survived, unchecked, score, mean)
        )
        survivors += [(key, status) for key, status in items if status not in KILLED and status not in UNCHECKED]
    lines += ["", "## Surviving mutants", ""]
    if not survivors:
        lines.append("None.")
    for key, status in survivors:
        lines += ["### `%s` (%s)" % (key, status), "", "```diff", diff(key), "```", ""]
    notes = ROOT / "docs" / "quality-notes.md"
    if notes.exists():
        lines += ["", notes.read_text(encoding="utf-8").strip(), ""]
    (ROOT / "docs" / "quality.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = lines.index("| --- | ---: | ---: | ---: | ---: | ---: | ---: |") - 1
    print("\n".join(lines[table : table + 2 + len(by_module)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
