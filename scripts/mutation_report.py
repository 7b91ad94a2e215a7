"""Write docs/quality.md from mutmut's results: the score per module and every surviving mutant.

Run by `make mutation` after `mutmut run` (from the repository root, where mutants/ is).
Killed, timed-out and type-checked mutants count as killed; a mutant no test reaches counts as
survived. The notes on survivors (why each is acceptable) are kept from docs/quality-notes.md.
"""

import re
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = str(Path(sys.executable).with_name("mutmut"))
KILLED = {"killed", "timeout", "caught by type check"}
KEY = re.compile(r"^\s*(?P<key>\S+): (?P<status>.+?)\s*$")
MODULE = re.compile(r"^(?P<module>.*?)\.x[_ǁ]")


def results() -> list[tuple[str, str]]:
    out = subprocess.run([MUTMUT, "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True, check=True)
    rows = []
    for line in out.stdout.splitlines():
        match = KEY.match(line)
        if match:
            rows.append((match["key"], match["status"]))
    return rows


def diff(key: str) -> str:
    out = subprocess.run([MUTMUT, "show", key], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip()


def main() -> int:
    rows = results()
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
        "killed. Not checked: mutants the time bound stopped before.",
        "",
        "| module | mutants | killed | survived | not checked | score |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    survivors = []
    for module in sorted(by_module):
        items = by_module[module]
        killed = sum(status in KILLED for _key, status in items)
        unchecked = sum(status in ("not checked", "skipped") for _key, status in items)
        survived = len(items) - killed - unchecked
        checked = killed + survived
        score = "%.1f %%" % (100 * killed / checked) if checked else "-"
        lines.append("| `%s` | %d | %d | %d | %d | %s |" % (module, len(items), killed, survived, unchecked, score))
        survivors += [(key, status) for key, status in items if status not in KILLED and status != "not checked"]
    lines += ["", "## Surviving mutants", ""]
    if not survivors:
        lines.append("None.")
    for key, status in survivors:
        lines += ["### `%s` (%s)" % (key, status), "", "```diff", diff(key), "```", ""]
    notes = ROOT / "docs" / "quality-notes.md"
    if notes.exists():
        lines += ["", notes.read_text(encoding="utf-8").strip(), ""]
    (ROOT / "docs" / "quality.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[6 : 8 + len(by_module)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
