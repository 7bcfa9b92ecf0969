"""Send tasks to the Java worker with Celery's execution options, from a Python client.

Each case is one app.send_task with countdown, eta (naive or offset-aware), expires, or
time limits (the timelimit header). All are sent first, then each is waited for; the
script prints one JSON report on stdout:

    {"celery": "5.2.6", "cases": {"<name>": {"state": "SUCCESS", "result": 3,
        "elapsed": 2.1, "exc_type": null, "exc_module": null, "exc_message": null}, ...}}

"elapsed" is the time from just before the send until the result was ready: a case sent
with a countdown or eta of 2 s must show at least 2. A naive eta is written in the Java
worker's timezone, given with --worker-utc-offset-hours (Celery reads naive dates in its
timezone setting). The script judges nothing: PythonClientTaskOptionsInteropTests does.

Usage: options_client.py --broker URL --backend URL --queue NAME
           [--worker-utc-offset-hours H] [--delay SECONDS] [--timeout SECONDS]
"""

import argparse
import json
import os
import sys
import time
from datetime import datetime, timedelta, timezone

import celery


def main(argv):
    parser = argparse.ArgumentParser(description="Send tasks with execution options to the Java worker.")
    parser.add_argument("--broker", required=True)
    parser.add_argument("--backend", required=True)
    parser.add_argument("--queue", required=True)
    parser.add_argument("--worker-utc-offset-hours", type=float, default=0.0)
    parser.add_argument("--delay", type=float, default=2.0)
    parser.add_argument("--timeout", type=float, default=30.0)
    options = parser.parse_args(argv)
    os.environ["CELERY_BROKER_URL"] = options.broker
    os.environ["CELERY_RESULT_BACKEND"] = options.backend
    os.environ["CELERY_QUEUE"] = options.queue
    from pyapp import app  # configured from the environment set above

    delay = timedelta(seconds=options.delay)
    worker_zone = timezone(timedelta(hours=options.worker_utc_offset_hours))
    plus_five = timezone(timedelta(hours=5))

    def send(name, task, args, **send_options):
        started = time.monotonic()
        result = app.send_task(task, args=args, queue=options.queue, **send_options)
        return name, started, result

    sent = [
        send("countdown", "tasks.add", [1, 2], countdown=options.delay),
        # Naive: the wall clock of the worker's timezone, without an offset.
        send("eta_naive", "tasks.add", [2, 3], eta=(datetime.now(worker_zone) + delay).replace(tzinfo=None)),
        send("eta_aware", "tasks.add", [3, 4], eta=datetime.now(plus_five) + delay),
        send("expires_past", "tasks.add", [4, 5], expires=datetime.now(timezone.utc) - timedelta(seconds=30)),
        send("expires_future", "tasks.add", [5, 6], expires=60),
        send("time_limit", "tasks.sleep", [30], time_limit=1),
        send("soft_time_limit", "tasks.sleep", [30], soft_time_limit=1),
        send("soft_within_hard", "tasks.sleep", [30], time_limit=30, soft_time_limit=1),
        send("limits_not_reached", "tasks.sleep", [0.1], time_limit=20, soft_time_limit=10),
    ]
    deadline = time.monotonic() + options.timeout
    cases = {}
    for name, started, result in sent:
        cases[name] = outcome(result, started, deadline)
    json.dump({"celery": celery.__version__, "cases": cases}, sys.stdout)
    sys.stdout.write("\n")
    return 0


def outcome(result, started, deadline):
    # Poll the backend rather than get(): the time a result became ready is measured
    # for each case, not after the cases before it.
    while time.monotonic() < deadline:
        meta = result.backend.get_task_meta(result.id, cache=False)
        if meta["status"] in ("SUCCESS", "FAILURE", "REVOKED"):
            break
        time.sleep(0.02)
    elapsed = time.monotonic() - started
    report = {"state": result.state, "elapsed": round(elapsed, 3), "result": None,
              "exc_type": None, "exc_module": None, "exc_message": None}
    try:
        report["result"] = result.get(timeout=max(0.1, deadline - time.monotonic()))
    except celery.exceptions.TimeoutError:
        report["state"] = "TIMEOUT"
    except Exception as exc:  # what AsyncResult.get() raised: the task's exception
        report["exc_type"] = type(exc).__name__
        report["exc_module"] = type(exc).__module__
        report["exc_message"] = str(exc)
    return report


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
