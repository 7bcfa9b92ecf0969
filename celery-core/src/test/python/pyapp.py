"""Python Celery app used by the interoperability tests and by bench/run.sh.

Configured only from the environment, so the tests decide which Redis, which databases and
which queue it uses:

    CELERY_BROKER_URL      e.g. redis://127.0.0.1:6379/0 (required)
    CELERY_RESULT_BACKEND  e.g. redis://127.0.0.1:6379/1 (required)
    CELERY_QUEUE           default queue for send_task (optional, default "celery")

Run a worker:   python3 -m celery -A pyapp worker -P threads -Q <queue> -l INFO
Only JSON is accepted, as in the Java worker: pickle never crosses the wire.
"""

import os

from celery import Celery


def _required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise RuntimeError(
            "Environment variable %s is not set; expected a Redis URL such as "
            "redis://127.0.0.1:6379/0" % name)
    return value


app = Celery("pyapp", broker=_required("CELERY_BROKER_URL"), backend=_required("CELERY_RESULT_BACKEND"))
app.conf.update(
    accept_content=["json"],
    result_accept_content=["json"],
    task_serializer="json",
    result_serializer="json",
    task_default_queue=os.environ.get("CELERY_QUEUE", "celery"),
    timezone="UTC",
    enable_utc=True,
    # Fail fast when Redis is not there instead of retrying for minutes.
    broker_connection_max_retries=3,
    redis_socket_connect_timeout=5,
    broker_transport_options={"socket_connect_timeout": 5},
    worker_hijack_root_logger=True,
)


@app.task(name="py.add")
def add(x, y):
    return x + y


@app.task(name="py.echo")
def echo(value):
    return value


@app.task(name="py.fail")
def fail(message):
    raise ValueError(message)


@app.task(name="bench.noop")
def noop():
    return None


# --- Monitoring (issue 6): task events for the Flower-compatible API's event state ---
# CELERY_SEND_TASK_EVENTS=1 makes the worker send task-* events, as 'celery worker -E'.
if os.environ.get("CELERY_SEND_TASK_EVENTS", "").strip() == "1":
    app.conf.worker_send_task_events = True


# --- Task semantics interop (issue 4): retries and execution options seen from Java ---


@app.task(name="py.retry_until", bind=True, max_retries=None)
def retry_until(self, n):
    """Retry with a countdown of 1 s until the retry count is n, then return n.

    A second per retry, so that a client polling the state cannot miss RETRY on a loaded machine.
    """
    if self.request.retries < n:
        raise self.retry(countdown=1)
    return self.request.retries


@app.task(name="py.request_times", bind=True)
def request_times(self):
    """Return the eta and expires the worker read from the message, as ISO 8601 text."""
    return {"eta": self.request.eta, "expires": self.request.expires}


# --- Client time limits (issue 4): a task that outlives the time limits a Java client sends ---
import time  # noqa: E402


@app.task(name="py.sleep")
def sleep(seconds):
    """Sleep for the given seconds, then return them; a time limit ends it sooner."""
    time.sleep(seconds)
    return seconds


# --- Canvas client (issue 7): tasks for Java-built chains, groups and chords ---

@app.task(name="py.mul")
def mul(x, y):
    return x * y


@app.task(name="py.xsum")
def xsum(values):
    return sum(values)
