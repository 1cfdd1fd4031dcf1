"""
Runs a command in a new pseudo-terminal and relays it over plain pipes, so the runner (Node, no
native module) can hold an interactive shell: Python's own `pty` module on this machine.

    python3 pty-relay.py ROWS COLS -- COMMAND...

  stdin     bytes typed by the learner, passed to the terminal as they are (Ctrl-C is byte 3:
            the terminal's line discipline turns it into SIGINT for the foreground job)
  stdout    everything the terminal shows
  fd 3      control lines "ROWS COLS\\n": a new window size (TIOCSWINSZ; the kernel sends
            SIGWINCH, and `docker exec -it` passes the size on into the lab)

Ends with the command's exit status once its terminal closes; closing stdin hangs up the terminal.
"""

import errno
import fcntl
import os
import pty
import select
import struct
import sys
import termios

CONTROL_FD = 3


def set_size(fd: int, rows: int, cols: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def clamp(text: str) -> int:
    return max(1, min(int(text), 1000))


def main() -> int:
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        print("usage: pty-relay.py ROWS COLS -- COMMAND...", file=sys.stderr)
        return 2
    rows, cols, argv = clamp(sys.argv[1]), clamp(sys.argv[2]), sys.argv[4:]
    try:  # before the fork: the terminal's own descriptor may take number 3 when it is free
        os.fstat(CONTROL_FD)
        readers = [0, CONTROL_FD]
    except OSError:
        readers = [0]
    pid, master = pty.fork()
    if pid == 0:
        set_size(0, rows, cols)
        try:
            os.execvp(argv[0], argv)
        except OSError as error:
            print(f"pty-relay: cannot start {argv[0]}: {error.strerror}", file=sys.stderr)
        os._exit(127)

    os.set_blocking(master, False)
    readers.append(master)
    pending = b""  # typed, not yet taken by the terminal (a large paste into a busy program)
    control = b""
    while True:
        writers = [master] if pending else []
        ready, writable, _ = select.select(readers, writers, [])
        if master in ready:
            try:
                data = os.read(master, 65536)
            except OSError as error:  # EIO: every process of the terminal has closed it
                if error.errno in (errno.EAGAIN, errno.EINTR):
                    continue
                data = b""
            if not data:
                break
            view = memoryview(data)
            while view:
                view = view[os.write(1, view) :]
        if master in writable and pending:
            try:
                pending = pending[os.write(master, pending) :]
            except BlockingIOError:
                pass
        if 0 in ready:
            data = os.read(0, 65536)
            if not data:
                break  # the runner is gone: hang up
            pending += data
        if CONTROL_FD in ready:
            try:
                data = os.read(CONTROL_FD, 4096)
            except (BlockingIOError, InterruptedError):
                continue
            if not data:
                readers.remove(CONTROL_FD)
                continue
            control += data
            while b"\n" in control:
                line, control = control.split(b"\n", 1)
                parts = line.split()
                if len(parts) == 2 and all(p.isdigit() for p in parts):
                    set_size(master, clamp(parts[0].decode()), clamp(parts[1].decode()))
    os.close(master)  # a hang-up for whatever still runs in the terminal
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)


if __name__ == "__main__":
    sys.exit(main())
