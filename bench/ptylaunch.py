#!/usr/bin/env python3
"""Times a program's launch on a pseudo-terminal of its own, from its exec, without tmux.

    bench/ptylaunch.py REGEX [REGEX ...] -- PROGRAM [ARG ...]

Prints, for each REGEX in order, the milliseconds from just before PROGRAM is exec'd to the
moment text matching it was written to the terminal (escape sequences removed, each REGEX
searched in the text after the previous match), then kills the program. bench/scale.sh times
launches in tmux, whose making of the pane (a fork, a pty, a shell) counts in its figures;
this measures only the program's own share. The child writes its clock just before exec, so
Python's start-up is not counted. TERM is xterm-256color unless PTY_TERM says otherwise; the
terminal is 160x45. Example, first frame and first keys of 5 launches:

    for i in 1 2 3 4 5; do bench/ptylaunch.py '[!-~]' 'key:' -- ./amr-tui -p bench; done
"""
import fcntl
import os
import pty
import re
import select
import struct
import sys
import termios
import time

ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[ -/]*[0-~])")


def main():
    if "--" not in sys.argv:
        sys.exit(__doc__)
    i = sys.argv.index("--")
    stages = [re.compile(p.encode(), re.M) for p in sys.argv[1:i]]
    argv = sys.argv[i + 1:]
    clock_r, clock_w = os.pipe()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = os.environ.get("PTY_TERM", "xterm-256color")
        os.write(clock_w, b"%f" % time.time())
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 160, 0, 0))
    os.close(clock_w)
    t0 = float(os.read(clock_r, 64))
    text, out, deadline = b"", [], time.time() + 30
    while stages and time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 1 << 16)
        except OSError:
            break
        now = time.time()
        text += ESCAPES.sub(b"", chunk)  # a sequence split across reads is rare at launch
        while stages:
            m = stages[0].search(text)
            if not m:
                break
            out.append("%.1f" % ((now - t0) * 1000))
            text = text[m.end():]
            stages.pop(0)
    out += ["timeout"] * len(stages)
    print(" ".join(out))
    os.kill(pid, 9)


if __name__ == "__main__":
    main()
