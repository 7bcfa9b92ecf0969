"""Drive the sample app contract (shared/sample-app-contract.md) from a Python Celery client.

Sends every contract task by name with app.send_task, waits for each result with
AsyncResult.get(), and prints one JSON report on stdout:

    {"celery": "5.2.6", "python": "3.11.2", "queue": "...",
     "cases": [{"name": ..., "task": ..., "args": [...], "kwargs": {...},
                "expected": {...}, "actual": {...}}, ...]}

"expected" and "actual" have the same shape, so a reader compares them key by key:
    {"state": "SUCCESS", "result": <value>, "type": "<Python type name>"}
    {"state": "FAILURE", "exc_type": "ValueError", "exc_module": "builtins", "exc_message": "..."}
An expected failure may give "exc_message_contains" instead of "exc_message". A result not
ready in time is reported as {"state": "TIMEOUT", "waited": seconds}.

The script judges nothing: the Java test (PythonClientCallsJavaTasksInteropTests) compares
each case, so a wrong result fails there with the case's name, arguments and both values.
It exits non-zero only when it cannot run at all (bad environment, Redis unreachable).

Usage: contract_client.py [--broker URL] [--backend URL] [--queue NAME] [--timeout SECONDS]
Each option defaults to the environment variable pyapp reads: CELERY_BROKER_URL,
CELERY_RESULT_BACKEND, CELERY_QUEUE (the queue the Java worker consumes, default "celery");
--timeout (default 20) bounds the wait for all results together.
"""

import argparse
import json
import os
import platform
import sys
import time

import celery
from celery.exceptions import TimeoutError as CeleryTimeoutError

ASTRAL = "caf\u00e9 \u00fcber \u65e5\u672c\u8a9e \U0001F600"
NESTED = {
    "list": [1, 2.5, None, True, False, "x", [], {}],
    "object": {"a": {"b": {"c": [1, [2, [3]]]}}, "\u00e9": "\u00fc"},
    "empty": "",
}


def success(result):
    return {"state": "SUCCESS", "result": result, "type": type(result).__name__}


def failure(exc_type, exc_module="builtins", message=None, contains=None):
    expected = {"state": "FAILURE", "exc_type": exc_type, "exc_module": exc_module}
    if message is not None:
        expected["exc_message"] = message
    if contains is not None:
        expected["exc_message_contains"] = contains
    return expected


def case(name, task, args=None, kwargs=None, expected=None):
    return {"name": name, "task": task, "args": args or [], "kwargs": kwargs or {}, "expected": expected}


CASES = [
    case("add small integers", "tasks.add", [2, 3], expected=success(5)),
    case("add negative and large integers", "tasks.add", [-(2 ** 40), 2 ** 41], expected=success(2 ** 40)),
    case("add by keyword", "tasks.add", kwargs={"x": 20, "y": 22}, expected=success(42)),
    case("add an integer and a float gives a float", "tasks.add", [1.5, 2], expected=success(3.5)),
    case("mul", "tasks.mul", [6, 7], expected=success(42)),
    case("mul beyond 2**53 stays exact", "tasks.mul", [2 ** 53 + 1, 1000], expected=success((2 ** 53 + 1) * 1000)),
    case("mul by zero and a negative", "tasks.mul", [-3, 0], expected=success(0)),
    case("xsum of integers stays an integer", "tasks.xsum", [[1, 2, 3, 4]], expected=success(10)),
    case("xsum with a float is a float", "tasks.xsum", [[1, 2.5, 3]], expected=success(6.5)),
    case("xsum of an empty list", "tasks.xsum", [[]], expected=success(0)),
    case("xsum beyond 64 bits stays exact", "tasks.xsum", [[2 ** 63 - 1, 1]], expected=success(2 ** 63)),
    case("xsum adds floats left to right", "tasks.xsum", [[0.1] * 10], expected=success(sum([0.1] * 10))),
    case("echo None", "tasks.echo", [None], expected=success(None)),
    case("echo True", "tasks.echo", [True], expected=success(True)),
    case("echo False", "tasks.echo", [False], expected=success(False)),
    case("echo 2**53", "tasks.echo", [2 ** 53], expected=success(2 ** 53)),
    case("echo -2**53", "tasks.echo", [-(2 ** 53)], expected=success(-(2 ** 53))),
    case("echo 0", "tasks.echo", [0], expected=success(0)),
    case("echo a float", "tasks.echo", [3.141592653589793], expected=success(3.141592653589793)),
    case("echo a float with no fraction stays a float", "tasks.echo", [1.0], expected=success(1.0)),
    case("echo a tiny float", "tasks.echo", [1e-300], expected=success(1e-300)),
    case("echo non-ASCII and astral text", "tasks.echo", [ASTRAL], expected=success(ASTRAL)),
    case("echo nested lists and objects", "tasks.echo", [NESTED], expected=success(NESTED)),
    case("echo by keyword", "tasks.echo", kwargs={"value": [1, "two", 3.0]}, expected=success([1, "two", 3.0])),
    case("greet positional", "tasks.greet", ["Ada", "Hi"], expected=success("Hi, Ada!")),
    case("greet keyword", "tasks.greet", kwargs={"name": "Ada", "greeting": "Hi"}, expected=success("Hi, Ada!")),
    case("greet positional and keyword", "tasks.greet", ["Ada"], {"greeting": "Salut"},
         expected=success("Salut, Ada!")),
    case("greet default greeting", "tasks.greet", ["Ada"], expected=success("Hello, Ada!")),
    case("greet default greeting by keyword", "tasks.greet", kwargs={"name": "\u00c9mile"},
         expected=success("Hello, \u00c9mile!")),
    case("fail raises ValueError with the message", "tasks.fail", ["boom: \u00e9 is not allowed"],
         expected=failure("ValueError", message="boom: \u00e9 is not allowed")),
    case("wrong argument count fails naming the task", "tasks.add", [1],
         expected=failure("TypeError", contains="tasks.add")),
    case("sleep returns its argument", "tasks.sleep", [0.3], expected=success(0.3)),
]


def outcome(result, timeout):
    started = time.monotonic()
    try:
        value = result.get(timeout=timeout, propagate=True, disable_sync_subtasks=False)
    except CeleryTimeoutError:
        return {"state": "TIMEOUT", "waited": round(time.monotonic() - started, 3)}
    except Exception as exc:  # the remote failure, rebuilt by Celery
        return {"state": result.state, "exc_type": type(exc).__name__, "exc_module": type(exc).__module__,
                "exc_message": str(exc)}
    return {"state": result.state, "result": value, "type": type(value).__name__}


def main(argv):
    parser = argparse.ArgumentParser(description="Send every sample app contract task and report the results.")
    parser.add_argument("--broker", help="broker URL (default: $CELERY_BROKER_URL)")
    parser.add_argument("--backend", help="result backend URL (default: $CELERY_RESULT_BACKEND)")
    parser.add_argument("--queue", help="queue the Java worker consumes (default: $CELERY_QUEUE or celery)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for all results")
    options = parser.parse_args(argv)
    for variable, value in (("CELERY_BROKER_URL", options.broker), ("CELERY_RESULT_BACKEND", options.backend),
                            ("CELERY_QUEUE", options.queue)):
        if value:
            os.environ[variable] = value
    from pyapp import app  # configured from the environment set above

    timeout = options.timeout
    queue = app.conf.task_default_queue
    # Send everything first so the Java worker runs the cases concurrently, then collect.
    sent = [(c, app.send_task(c["task"], args=c["args"], kwargs=c["kwargs"], queue=queue)) for c in CASES]
    deadline = time.monotonic() + timeout
    for c, result in sent:
        c["task_id"] = result.id
        c["actual"] = outcome(result, max(0.5, deadline - time.monotonic()))
        print("%-50s %s" % (c["name"], c["actual"]), file=sys.stderr)
    report = {"celery": celery.__version__, "python": platform.python_version(), "queue": queue, "cases": CASES}
    json.dump(report, sys.stdout, ensure_ascii=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
