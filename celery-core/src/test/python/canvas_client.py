"""Run canvases built by a Python Celery client on the Java worker and report what Python sees.

The Java worker (the sample app) consumes --queue; a Python worker (pyapp) consumes
--pyqueue for the cases that mix both. Each case prints what AsyncResult gave back; the
script judges nothing: CanvasInteropTests compares. One JSON line on stdout:

    {"celery": "5.2.6", "cases": {"<case>": {...}, ...}}

A case that raised reports {"error": "<repr>"} instead, so one broken case does not hide
the others. The script exits non-zero only when it cannot run at all.

Usage: canvas_client.py --broker URL --backend URL --queue NAME --pyqueue NAME [--timeout SECONDS]
"""

import argparse
import json
import os
import sys
import time

import celery


def main(argv):
    parser = argparse.ArgumentParser(description="Run Python-built canvases on the Java worker.")
    parser.add_argument("--broker", required=True)
    parser.add_argument("--backend", required=True)
    parser.add_argument("--queue", required=True)
    parser.add_argument("--pyqueue", required=True)
    parser.add_argument("--timeout", type=float, default=60.0)
    options = parser.parse_args(argv)
    os.environ["CELERY_BROKER_URL"] = options.broker
    os.environ["CELERY_RESULT_BACKEND"] = options.backend
    os.environ["CELERY_QUEUE"] = options.queue
    from pyapp import app  # configured from the environment set above

    cases = Cases(app, options.queue, options.pyqueue, options.timeout)
    report = {"celery": celery.__version__, "cases": {}}
    for name in ("chain", "cross_chain", "link", "link_error", "chord", "chord_error", "chord_mixed",
                 "chord_large"):
        try:
            report["cases"][name] = getattr(cases, name)()
        except Exception as exc:  # reported, judged by the Java test
            report["cases"][name] = {"error": repr(exc)}
    json.dump(report, sys.stdout)
    sys.stdout.write("\n")
    return 0


def describe(exc):
    return {"exc_type": type(exc).__name__, "exc_module": type(exc).__module__, "exc_message": str(exc)}


class Cases:

    def __init__(self, app, queue, pyqueue, timeout):
        self.app = app
        self.queue = queue
        self.pyqueue = pyqueue
        self.timeout = timeout

    def java(self, name, *args, immutable=False):
        return self.app.signature(name, args=args, queue=self.queue, immutable=immutable)

    def python(self, name, *args):
        return self.app.signature(name, args=args, queue=self.pyqueue)

    def meta(self, task_id):
        return self.app.backend.get_task_meta(task_id, cache=False)

    def chain(self):
        from celery import chain
        last = chain(self.java("tasks.add", 2, 3), self.java("tasks.mul", 4), self.java("tasks.add", 10)).apply_async()
        value = last.get(timeout=self.timeout)
        middle, first = last.parent, last.parent.parent
        return {
            "result": value,
            "parents": [middle.get(timeout=self.timeout), first.get(timeout=self.timeout)],
            "first_children": [child.id for child in self.app.AsyncResult(first.id).children or []],
            "middle_id": middle.id,
            "middle_parent_id": self.meta(middle.id).get("parent_id"),
            "first_id": first.id,
            "last_parent_id": self.meta(last.id).get("parent_id"),
        }

    def cross_chain(self):
        from celery import chain
        # Java, then Python, then Java again.
        last = chain(self.java("tasks.add", 1, 2), self.python("py.add", 10), self.java("tasks.mul", 3)).apply_async()
        return {"result": last.get(timeout=self.timeout)}

    def link(self):
        callback = self.java("tasks.add", 10)
        callback_result = callback.freeze()
        parent = self.java("tasks.add", 2, 3).apply_async(link=callback)
        return {
            "parent": parent.get(timeout=self.timeout),
            "callback": callback_result.get(timeout=self.timeout),
            "callback_parent_id": self.meta(callback_result.id).get("parent_id"),
            "parent_id": parent.id,
            "parent_children": [child.id for child in self.app.AsyncResult(parent.id).children or []],
            "callback_id": callback_result.id,
        }

    def link_error(self):
        mutable = self.java("tasks.echo")
        mutable_result = mutable.freeze()
        immutable = self.java("tasks.echo", "failed", immutable=True)
        immutable_result = immutable.freeze()
        failed = self.java("tasks.fail", "boom").apply_async(link_error=[mutable, immutable])
        failed.get(timeout=self.timeout, propagate=False)
        return {
            "state": failed.state,
            "failed_id": failed.id,
            "mutable": mutable_result.get(timeout=self.timeout),
            "immutable": immutable_result.get(timeout=self.timeout),
            "errback_parent_id": self.meta(mutable_result.id).get("parent_id"),
        }

    def chord(self):
        from celery import chord
        body = chord([self.java("tasks.add", i, i) for i in range(3)], self.java("tasks.xsum")).apply_async()
        return {"result": body.get(timeout=self.timeout), "body_id": body.id}

    def chord_error(self):
        from celery import chord
        header = [self.java("tasks.add", 1, 1), self.java("tasks.fail", "bad member")]
        body = chord(header, self.java("tasks.xsum")).apply_async()
        report = {"body_id": body.id, "failed_member_id": body.parent.results[1].id}
        # The chord's own result re-raises the failed member's error first (its parent);
        # the body's stored result is the ChordError.
        try:
            report["chord"] = {"result": body.get(timeout=self.timeout)}
        except Exception as exc:
            report["chord"] = describe(exc)
        report["body"] = self.stored_outcome(body.id)
        return report

    def stored_outcome(self, task_id):
        """What a client reads for a task's stored record, read from the key: a second
        AsyncResult for an id the result consumer already waits on (the chord's body
        above) may never be woken, a Celery client quirk."""
        deadline = time.monotonic() + self.timeout
        meta = self.app.backend.get_task_meta(task_id, cache=False)
        while meta["status"] not in ("SUCCESS", "FAILURE", "REVOKED"):
            if time.monotonic() > deadline:
                return {"exc_type": "TimeoutError", "exc_module": "test", "exc_message": meta["status"]}
            time.sleep(0.05)
            meta = self.app.backend.get_task_meta(task_id, cache=False)
        if meta["status"] == "SUCCESS":
            return {"result": meta["result"]}
        return describe(self.app.backend.exception_to_python(meta["result"]))

    def chord_mixed(self):
        from celery import chord
        # Even members run on the Java worker, odd ones on the Python worker.
        header = [self.java("tasks.add", i, i) if i % 2 == 0 else self.python("py.add", i, i) for i in range(20)]
        body = chord(header, self.java("tasks.xsum")).apply_async()
        return {"result": body.get(timeout=self.timeout), "body_id": body.id}

    def chord_large(self):
        from celery import chord
        body = chord([self.java("tasks.add", i, i) for i in range(1000)], self.java("tasks.echo")).apply_async()
        value = body.get(timeout=self.timeout)
        return {"in_order": value == [2 * i for i in range(1000)], "size": len(value), "first": value[:5],
                "body_id": body.id}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
