"""Reads YAML on stdin and prints what Python's PyYAML makes of it, as JSON, for the YAML live
view. Data only: SafeLoader builds plain dicts, lists and scalars, never objects."""
import datetime
import json
import sys


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
        result.update(ok=False, error={"message": "PyYAML is not installed in this Python (pip install pyyaml)"})
        print(json.dumps(result))
        return
    try:
        result.update(ok=True, value=finite(yaml.load(sys.stdin.read(), Loader=yaml.SafeLoader)))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        result.update(ok=False, error={"message": str(error)})
        if mark is not None:
            result["error"].update(line=mark.line + 1, column=mark.column + 1)
    print(json.dumps(result, default=default, allow_nan=False))


if __name__ == "__main__":
    main()
