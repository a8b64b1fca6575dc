"""Start-up cost (issue 13 point 3): one short article with `conflictcoder code`, from a cold command.

Runs, in turns, N times each:
- `conflictcoder code ARTICLE` as a fresh process (what a user waits for; target ≤ 3 s wall), and
- a bare reference in a fresh process: `import spacy; spacy.load(DEFAULT_MODEL)` on the same text,
and reports the median wall time and the median CPU time (user + sys of the child) of both, and their
ratio. The machine is shared, so CPU time is the steadier figure; wall time is what the target names.
`--src DIR` runs the command from another checkout's `src` (e.g. an older commit, for before/after).

Usage: python bench/startup.py [--rounds 5] [--src DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARTICLE = (
    "QUETTA: Gunmen attacked a Levies post near Zehri in Khuzdar district on Monday, killing two "
    "personnel, officials said."
)
REFERENCE = (
    "import sys, spacy; from conflictcoder.nlp import DEFAULT_MODEL; "
    "nlp = spacy.load(DEFAULT_MODEL); nlp(open(sys.argv[1]).read())"
)


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--src", type=Path, default=None, help="run conflictcoder from this src directory")
    args = ap.parse_args(argv)
    env = dict(os.environ)
    if args.src is not None:
        env["PYTHONPATH"] = str(args.src.resolve())
    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / "short.txt"
        article.write_text(ARTICLE, encoding="utf-8")
        code = [str(Path(sys.executable).parent / "conflictcoder"), "code", str(article)]
        ref = [sys.executable, "-c", REFERENCE, str(article)]
        run(code, env)  # the gazetteer index is built or migrated once, outside the measurement
        times: dict[str, list[tuple[float, float]]] = {"code": [], "spacy": []}
        for _ in range(args.rounds):
            times["code"].append(run(code, env))
            times["spacy"].append(run(ref, env))
    med = {
        k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in times.items()
    }
    print(f"rounds: {args.rounds}; src: {args.src or 'installed'}; load average {os.getloadavg()[0]:.1f}")
    print(f"{'':<36}{'wall s':>8}{'cpu s':>8}")
    print(f"{'conflictcoder code (short article)':<36}{med['code'][0]:>8.2f}{med['code'][1]:>8.2f}")
    print(f"{'bare spaCy load + parse':<36}{med['spacy'][0]:>8.2f}{med['spacy'][1]:>8.2f}")
    wall, cpu = med["code"][0] / med["spacy"][0], med["code"][1] / med["spacy"][1]
    print(f"ratio code / spaCy: wall {wall:.2f}, cpu {cpu:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
