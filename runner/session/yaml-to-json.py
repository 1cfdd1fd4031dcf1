"""Reads YAML on stdin and prints what Python's PyYAML makes of it, as JSON, for the YAML live
view. Data only: SafeLoader builds plain dicts, lists and scalars, never objects."""
import datetime
import json
import sys

# Aliases let a few hundred bytes stand for gigabytes ("billion laughs"): PyYAML shares the
# aliased objects, but JSON writes every repetition out. The answer is refused past this many
# characters of expanded data; the runner caps what it reads from here as well.
EXPANDED_LIMIT = 1_000_000


class TooBig(Exception):
    """Refused before anything is expanded; `code` names the reason for the page's language
    (contract/messages.ts), the text is the English."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def expanded_size(value):
    """Characters the value takes once every alias is written out, computed once per shared
    object (linear in the document, not in the expansion); raises TooBig past the limit."""
    sizes = {}
    in_progress = set()

    def size(item):
        if isinstance(item, (str, bytes)):
            return len(item) + 2
        if isinstance(item, datetime.date):
            return 32
        if not isinstance(item, (dict, list, set, tuple)):
            return 8
        key = id(item)
        if key in sizes:
            return sizes[key]
        if key in in_progress:
            raise TooBig(
                "yaml.self-alias",
                "this YAML refers to itself through an alias (a node that contains its own anchor)",
            )
        in_progress.add(key)
        total = 2
        children = item.items() if isinstance(item, dict) else ((None, child) for child in item)
        for name, child in children:
            total += 2 + size(child) + (0 if name is None else size(name))
            if total > EXPANDED_LIMIT:
                raise TooBig(
                    "yaml.expands-too-far",
                    f"the aliases in this YAML expand to more than {EXPANDED_LIMIT:,} characters of data "
                    "(a \"billion laughs\" document?); refused so nothing freezes"
                )
        in_progress.discard(key)
        sizes[key] = total
        return total

    size(value)


def default(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (set, tuple)):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return repr(value)


def finite(value):
    """JSON has no Infinity or NaN; YAML's .inf and .nan are sent as the strings JavaScript prints."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [finite(item) for item in value]
    return value


def main():
    result = {"python": sys.version.split()[0]}
    try:
        import yaml
    except ImportError:
        result.update(ok=False, error={"message": "PyYAML is not installed in this Python (pip install pyyaml)", "code": "yaml.no-pyyaml"})
        print(json.dumps(result))
        return
    try:
        value = yaml.load(sys.stdin.read(), Loader=yaml.SafeLoader)
        expanded_size(value)
        result.update(ok=True, value=finite(value))
    except TooBig as error:
        result.update(ok=False, error={"message": str(error), "code": error.code})
    except RecursionError:
        result.update(
            ok=False, error={"message": "this YAML is nested too deeply for Python to load", "code": "yaml.too-deep"}
        )
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        result.update(ok=False, error={"message": str(error)})
        if mark is not None:
            result["error"].update(line=mark.line + 1, column=mark.column + 1)
    print(json.dumps(result, default=default, allow_nan=False))


if __name__ == "__main__":
    main()
