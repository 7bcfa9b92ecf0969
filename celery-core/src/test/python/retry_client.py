"""Call tasks.retry_until(n) on the Java worker from a Python Celery client.

Subscribes to the task's result channel before sending it, so that it sees every state
the worker stores and publishes (RETRY under the task id after each retry, then SUCCESS)
however briefly each lasts, then reads the result, and prints one JSON line on stdout:

    {"celery": "5.2.6", "task_id": "...", "states": ["RETRY", ..., "SUCCESS"], "result": 3}

The script judges nothing: RetryInteropTests compares. It exits non-zero only when it
cannot run at all.

Usage: retry_client.py --broker URL --backend URL --queue NAME [--n 3] [--timeout SECONDS]
"""

import argparse
import json
import os
import sys
import time
import uuid

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

    task_id = str(uuid.uuid4())
    channel = app.backend.get_key_for_task(task_id).decode()
    pubsub = app.backend.client.pubsub()
    pubsub.subscribe(channel)
    deadline = time.monotonic() + options.timeout
    # Wait for the confirmation: every state stored after it is published to us.
    confirmation = pubsub.get_message(timeout=options.timeout)
    if not confirmation or confirmation["type"] != "subscribe":
        raise SystemExit("no confirmation of SUBSCRIBE %s: %r" % (channel, confirmation))
    result = app.send_task("tasks.retry_until", args=[options.n], queue=options.queue, task_id=task_id)
    states = []
    while time.monotonic() < deadline:
        message = pubsub.get_message(timeout=max(0.0, deadline - time.monotonic()))
        if not message or message["type"] != "message":
            continue
        status = json.loads(message["data"])["status"]
        if not states or states[-1] != status:
            states.append(status)
        if status in ("SUCCESS", "FAILURE"):
            break
    pubsub.close()
    value = result.get(timeout=max(0.5, deadline - time.monotonic()))
    report = {"celery": celery.__version__, "task_id": result.id, "states": states, "result": value}
    json.dump(report, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
