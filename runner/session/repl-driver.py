"""Feeds a step's lines to a real interactive Python console and prints the transcript as a
terminal would show it: the prompt, the echoed input, then what Python printed.
Exits 1 if any input raised, so a broken session fails its step."""
import code
import sys


class TranscriptConsole(code.InteractiveConsole):
    failed = False

    def write(self, data):
        # Tracebacks go to stdout too, so they interleave with results in reading order.
        sys.stdout.write(data)

    def showtraceback(self):
        self.failed = True
        super().showtraceback()

    def showsyntaxerror(self, filename=None, **kwargs):
        self.failed = True
        super().showsyntaxerror(filename, **kwargs)


def strip_prompt(line):
    for prompt in (">>> ", "... "):
        if line.startswith(prompt):
            return line[len(prompt):]
    return "" if line.strip() in (">>>", "...") else line


def main(path):
    with open(path, encoding="utf-8") as f:
        lines = [strip_prompt(line) for line in f.read().splitlines()]
    console = TranscriptConsole(locals={"__name__": "__console__", "__doc__": None})
    print(f"Python {sys.version.split()[0]} on {sys.platform}")
    more = False
    for line in lines:
        if not line.strip() and not more:
            continue  # a blank line outside a block does nothing in a real session
        print(("... " if more else ">>> ") + line, flush=True)
        more = console.push(line)
        sys.stdout.flush()
    if more:
        print("... ", flush=True)
        console.push("")
    print(">>> ", flush=True)
    sys.exit(1 if console.failed else 0)


if __name__ == "__main__":
    main(sys.argv[1])
