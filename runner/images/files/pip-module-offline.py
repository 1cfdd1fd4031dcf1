"""`python -m pip` in the offline images goes the way `pip` does: through pip-offline.py.

Loaded at every interpreter start by tutorial-pip-module.pth (a site directory's `.pth` line that
starts with `import`), so it must cost nothing and change nothing unless the interpreter was asked
for `-m pip` with no package index (PIP_NO_INDEX=1 or --no-index). Then it replaces this process
with /usr/local/bin/pip3 and the same arguments: pip's own output, exit code and terminal, with the
offline explanation after pip's error. Not in a virtual environment: there pip is the venv's own.
"""

import os
import sys

WRAPPER = "/usr/local/bin/pip3"
TRUE = {"1", "true", "yes", "on"}
# Interpreter options whose value is the next word (python -W error -m pip ...).
TAKES_VALUE = {"-W", "-X", "-Q", "--check-hash-based-pycs"}


def pip_arguments(argv: list[str]) -> list[str] | None:
    """The words after `-m pip` when the interpreter runs the pip module; None otherwise."""
    words = argv[1:]
    i = 0
    while i < len(words):
        word = words[i]
        if word == "-m":
            return words[i + 2 :] if words[i + 1 : i + 2] in (["pip"], ["pip3"]) else None
        if word in ("-mpip", "-mpip3"):
            return words[i + 1 :]
        if word == "-c" or word == "-" or not word.startswith("-"):
            return None  # a command, stdin or a script: not pip
        i += 2 if word in TAKES_VALUE else 1
    return None


def route() -> None:
    if sys.prefix != sys.base_prefix or not os.access(WRAPPER, os.X_OK):
        return
    rest = pip_arguments(list(getattr(sys, "orig_argv", [])))
    if rest is None:
        return
    if os.environ.get("PIP_NO_INDEX", "").strip().lower() not in TRUE and "--no-index" not in rest:
        return
    os.execv(WRAPPER, [WRAPPER, *rest])


route()
