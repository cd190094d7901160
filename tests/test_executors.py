"""The worker pool ends whatever state its workers are killed in."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

HALF_SENDER = '''
import os, struct, sys, time

def half_sent(job):
    """Send the first bytes of a result, then hang: a worker killed here
    leaves the pool's reader in the middle of a message."""
    frame = sys._getframe()
    while "result_queue" not in frame.f_locals:
        frame = frame.f_back
    writer = frame.f_locals["result_queue"]._writer
    os.write(writer.fileno(), struct.pack("!i", 100_000) + b"partial")
    open(job, "w").close()
    time.sleep(600)
'''

DRIVER = '''
import os, sys, time
sys.path.insert(0, {folder!r})
from half_sender import half_sent
from newsdedupe.executors import Workers

if __name__ == "__main__":
    marker = {marker!r}
    workers = Workers(1, half_sent)
    future = workers.submit([(0, marker)])
    while not os.path.exists(marker):
        time.sleep(0.05)
    time.sleep(0.3)  # the pool's reader is now inside the half message
    workers.terminate()
    print("ended", future.done())
'''


def test_terminate_ends_a_pool_whose_worker_died_mid_result(tmp_path: Path) -> None:
    """``dedupe crawl --diff | head`` hung when the closed pipe killed a
    worker that was sending its result: the pool's reader thread waited for
    the rest of the message, and shutdown (and exit) waited for it."""
    (tmp_path / "half_sender.py").write_text(HALF_SENDER)
    script = DRIVER.format(folder=str(tmp_path), marker=str(tmp_path / "started"))
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == b"ended True\n"
