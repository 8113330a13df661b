#!/usr/bin/env python3
"""Times what a tmux pane shows without polling it.

bench/scale.sh starts this with `tmux pipe-pane`, which copies everything the program in the
pane writes to the terminal to our standard input. Polling the pane instead (a tmux client and
a grep every few milliseconds) costs a fork and an exec per look, and on a 2-core machine with
slow process creation that took a third of a core from the program being timed, while the
anchors (valkey-cli, redis-cli) run unprobed.

    panewatch.py OUT STAGE [STAGE ...]

Each STAGE is REGEX or REGEX::COMMAND. Stages match in order, each in the text written after
the previous stage matched, with escape sequences (CSI, OSC, other ESC pairs) removed and
searched across write boundaries. OUT is created empty once the watcher is reading, so the
caller can wait for it before it starts the clock (Python takes tens of milliseconds to start,
and output that waits in the pipe meanwhile would be timed late). When a stage matches, its time (milliseconds since the epoch)
is appended to OUT as a line, and COMMAND, if any, runs through sh (bench/scale.sh presses a key
there: `tmux send-keys`). The rest of the stream is read and dropped, so tmux never blocks.
"""
import os
import re
import subprocess
import sys
import time

ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[ -/]*[0-~])")
KEEP = 4096  # text kept across reads, so a match split between two writes is still found


def main():
    out = sys.argv[1]
    stages = []
    for arg in sys.argv[2:]:
        regex, _, command = arg.partition("::")
        stages.append((re.compile(regex.encode(), re.M), command))
    fd = sys.stdin.fileno()
    open(out, "w").close()
    raw = b""
    text = b""
    while True:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return
        if not stages:
            continue
        raw += chunk
        # An escape sequence cut by the end of this read stays in raw until the next one.
        cut = raw.rfind(b"\x1b")
        if cut >= 0 and not ESCAPES.match(raw, cut):
            raw, pending = raw[:cut], raw[cut:]
        else:
            pending = b""
        text = (text + ESCAPES.sub(b"", raw))[-KEEP:]
        raw = pending
        while stages:
            regex, command = stages[0]
            m = regex.search(text)
            if not m:
                break
            with open(out, "a") as f:
                f.write("%d\n" % int(time.time() * 1000))
            text = text[m.end():]
            stages.pop(0)
            if command:
                subprocess.run(["sh", "-c", command], check=False)


if __name__ == "__main__":
    main()
