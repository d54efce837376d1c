"""Run a command; write its wall-clock seconds, peak memory and exit code as JSON.

    python3 benchmarks/measure.py RESULT.json COMMAND [ARG ...]

Linux counts a process's peak resident memory (ru_maxrss) from the moment it is
forked, and keeps it across exec: a build started directly by run.py, after
run.py has modelled a 10,000-page site for the other tools' corpus, would
report run.py's size as its own. Forked from this small process, the command's
peak is its own (and that of its worker processes, which it waits for).
"""

import json
import os
import sys
import time


def main() -> None:
    result, command = sys.argv[1], sys.argv[2:]
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    with open(result, "w", encoding="utf-8") as file:
        json.dump({"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024,
                   "exit": os.waitstatus_to_exitcode(status)}, file)


if __name__ == "__main__":
    main()
