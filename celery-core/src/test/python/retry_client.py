"""Call tasks.retry_until(n) on the Java worker from a Python Celery client.

Polls the task's state while it runs (RETRY is stored under the task id after each
retry), then waits for the result, and prints one JSON line on stdout:

    {"celery": "5.2.6", "task_id": "...", "states": ["PENDING", "RETRY", ..., "SUCCESS"],
     "retries_seen": [1, 2, ...], "result": 3}

The script judges nothing: RetryInteropTests compares. It exits non-zero only when it
cannot run at all.

Usage: retry_client.py --broker URL --backend URL --queue NAME [--n 3] [--timeout SECONDS]
"""

import argparse
import json
import os
import sys
import time

import celery


def main(argv):
    parser = argparse.ArgumentParser(description="Call tasks.retry_until and report the states seen.")
    parser.add_argument("--broker", required=True)
    parser.add_argument("--backend", required=True)
    parser.add_argument("--queue", required=True)
    parser.add_argument("--n", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=20.0)
    options = parser.parse_args(argv)
    os.environ["CELERY_BROKER_URL"] = options.broker
    os.environ["CELERY_RESULT_BACKEND"] = options.backend
    os.environ["CELERY_QUEUE"] = options.queue
    from pyapp import app  # configured from the environment set above

    result = app.send_task("tasks.retry_until", args=[options.n], queue=options.queue)
    states = []
    deadline = time.monotonic() + options.timeout
    while time.monotonic() < deadline:
        # A fresh AsyncResult each time: no cached state, one GET of the meta key.
        meta = app.backend.get_task_meta(result.id, cache=False)
        if not states or states[-1] != meta["status"]:
            states.append(meta["status"])
        if meta["status"] in ("SUCCESS", "FAILURE"):
            break
        time.sleep(0.01)
    value = result.get(timeout=max(0.5, deadline - time.monotonic()))
    report = {"celery": celery.__version__, "task_id": result.id, "states": states, "result": value}
    json.dump(report, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
