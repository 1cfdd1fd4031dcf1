#!/usr/bin/python3
"""`pip` and `pip3` in the offline images (/usr/local/bin, ahead of Debian's /usr/bin on PATH).

With no package index (PIP_NO_INDEX=1 or --no-index), pip can only use what is installed, so an
exact pin such as `django==4.2.7` ends in "No matching distribution found". After pip's own error
this says, in two lines, what was asked for, that no index answers here, which version is
installed, and what to write instead. With an index configured it simply becomes Debian's pip.
Output and exit code are pip's own; only its stderr passes through here, unchanged, on its way out.
"""

import os
import re
import signal
import subprocess
import sys
from importlib import metadata

REAL_PIP = os.path.join("/usr/bin", os.path.basename(sys.argv[0]))
NOT_FOUND = re.compile(r"No matching distribution found for (\S+)")
TRUE = {"1", "true", "yes", "on"}


def no_index(args: list[str]) -> bool:
    return os.environ.get("PIP_NO_INDEX", "").strip().lower() in TRUE or "--no-index" in args


def requirement_files(args: list[str]) -> list[str]:
    files = []
    for i, arg in enumerate(args):
        if arg in ("-r", "--requirement") and i + 1 < len(args):
            files.append(args[i + 1])
        elif arg.startswith("--requirement="):
            files.append(arg.split("=", 1)[1])
        elif arg.startswith("-r") and len(arg) > 2:
            files.append(arg[2:])
    return files


def installed(name: str) -> tuple[str, str] | None:
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return None
    return dist.metadata["Name"] or name, dist.version


def range_for(name: str, version: str) -> str:
    """A requirement the installed version meets: its minor series, else the version itself."""
    match = re.fullmatch(r"(\d+)\.(\d+)(\.\d+)*", version)
    if not match:
        return f"{name}=={version}"
    major, minor = int(match[1]), int(match[2])
    return f"{name}>={major}.{minor},<{major}.{minor + 1}"


def explain(requirement: str, files: list[str], reason: str) -> list[str]:
    name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    if not name:
        return []
    source = f" (in {', '.join(files)})" if files else ""
    first = f"pip was asked for {requirement}{source}, but no package index answers here ({reason})"
    found = installed(name[0])
    if found is None:
        return [
            f"{first}, and {name[0]} is not installed, so pip cannot have it.",
            f"drop {name[0]} from what you install, or install it where PyPI can be reached.",
        ]
    display, version = found
    wanted = range_for(name[0].lower(), version)
    where = f" in {files[0]}" if files else ""
    return [
        f"{first}, so pip can only use what is installed: {display} {version}.",
        f"ask for a range the installed version meets instead, e.g. `{wanted}`{where}.",
    ]


def relay(child: subprocess.Popen) -> list[str]:
    """Copies the child's stderr to ours as it comes; returns the requirements pip could not find."""
    missing: list[str] = []
    pending = b""
    assert child.stderr is not None
    fd = child.stderr.fileno()
    while chunk := os.read(fd, 65536):
        view = memoryview(chunk)
        while view:
            view = view[os.write(2, view) :]
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            if found := NOT_FOUND.search(line.decode("utf-8", "replace")):
                missing.append(found[1])
    if found := NOT_FOUND.search(pending.decode("utf-8", "replace")):
        missing.append(found[1])
    return missing


def main() -> int:
    args = sys.argv[1:]
    if not no_index(args):
        os.execv(REAL_PIP, [REAL_PIP, *args])
    child = subprocess.Popen([REAL_PIP, *args], stderr=subprocess.PIPE)
    # Ctrl-C reaches pip itself (same process group); this process waits for it to finish.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    missing = relay(child)
    code = child.wait()
    if code < 0:
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    if code != 0:
        files = requirement_files(args)
        reason = "--no-index" if "--no-index" in args else "PIP_NO_INDEX=1"
        for requirement in dict.fromkeys(missing):
            for line in explain(requirement, files, reason):
                sys.stderr.write(f"offline: {line}\n")
    return code


if __name__ == "__main__":
    sys.exit(main())
