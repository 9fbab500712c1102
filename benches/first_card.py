#!/usr/bin/env python3
"""Time from launching a TUI to a given text appearing on its screen.

Runs the command in a pseudo-terminal of 100x30 (as a user's terminal would
be), reads what it draws, and stops the clock when NEEDLE shows up in the
output; then sends `q` and waits for the program to exit. Also reports the
peak RSS of the child (ru_maxrss). Prints one line per run:
  first_card_ms=12.3 peak_rss_kb=8123
Exits 1 (naming the command) when NEEDLE never shows up within 10 s or the program does not
exit with status 0 after `q`: a failing TUI is not timed as a fast one.
Usage: first_card.py RUNS NEEDLE CMD [ARGS...]
"""
import fcntl, os, pty, resource, select, struct, sys, termios, time

def run_once(needle, argv):
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    seen = b""
    elapsed = None
    deadline = start + 10
    while time.perf_counter() < deadline:
        r, _, _ = select.select([fd], [], [], 0.5)
        if not r:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        seen += chunk
        if needle in seen:
            elapsed = (time.perf_counter() - start) * 1000
            break
    os.write(fd, b"q")
    time.sleep(0.05)
    os.write(fd, b"q")
    try:
        while select.select([fd], [], [], 0.2)[0]:
            os.read(fd, 65536)
    except OSError:
        pass
    _, status, usage = os.wait4(pid, 0)
    os.close(fd)
    if os.waitstatus_to_exitcode(status) != 0:
        print(f"first_card.py: {' '.join(argv)} exited with status "
              f"{os.waitstatus_to_exitcode(status)}; the screen read: {seen[-300:]!r}",
              file=sys.stderr)
        sys.exit(1)
    return elapsed, usage.ru_maxrss

def main():
    runs, needle, argv = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3:]
    results = []
    for _ in range(runs):
        ms, rss = run_once(needle, argv)
        if ms is None:
            print(f"first_card.py: {needle!r} never appeared on the screen of {' '.join(argv)}",
                  file=sys.stderr)
            sys.exit(1)
        results.append((ms, rss))
        print(f"first_card_ms={ms:.1f} peak_rss_kb={rss}")
    times = sorted(ms for ms, _ in results)
    rss = sorted(r for _, r in results)
    print(f"median first_card_ms={times[len(times)//2]:.1f} median peak_rss_kb={rss[len(rss)//2]}")

main()
