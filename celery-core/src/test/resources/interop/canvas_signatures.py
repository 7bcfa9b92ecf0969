"""Print the JSON form of Celery signatures, one case per key, for SignatureTests.

Run with the Debian Celery (5.2.6): /usr/bin/python3 canvas_signatures.py
Its output is checked in as io/celery4j/canvas/python-signatures.json; SignatureInteropTests
runs this script again and compares, so the fixture stays what Celery writes.
No broker is contacted: signatures are plain dicts, json.dumps writes them as kombu does.
"""
import json
import sys

from celery import Celery, chain, chord, group
from celery.canvas import chunks, xmap, xstarmap

app = Celery("canvas", broker="memory://", backend="cache+memory://")


def sig(name, *args, **kwargs):
    return app.signature(name, args, kwargs)


linked = sig("tasks.add", 1)
linked.link(sig("tasks.echo"))
linked.link_error(app.signature("tasks.echo", ("x",), immutable=True))

frozen = app.signature("tasks.add", (2, 3), reply_to="16050096-cf9c-39c1-9a45-b5109ba17ab9")
frozen.freeze("584b5da7-0427-4933-bc52-39987691331a")

cases = {
    "s": sig("tasks.add", 2, 3),
    "si": app.signature("tasks.add", (2,), immutable=True),
    "kwargs_and_options": app.signature("tasks.add", (2,), {"y": 3}, queue="math", priority=5, countdown=10),
    "values": sig("tasks.echo", "h\u00e9llo \u2713", 1.5, None, True, [1, "two"], {"n": {"x": 1}}),
    "link": linked,
    "clone": sig("tasks.add", 2).clone((1,), {"z": 1}, queue="q"),
    "clone_immutable": app.signature("tasks.add", (2,), immutable=True).clone((1,), {"z": 1}, queue="q"),
    "frozen": frozen,
    "chain": chain(sig("tasks.add", 2, 3), sig("tasks.mul", 4)),
    "group": group(sig("tasks.add", 1, 1), sig("tasks.add", 2, 2)),
    "chord": chord([sig("tasks.add", 1, 1), sig("tasks.add", 2, 2)], sig("tasks.xsum")),
    "map": xmap(sig("tasks.echo"), [1, 2], app=app),
    "starmap": xstarmap(sig("tasks.add"), [[1, 2], [3, 4]], app=app),
    "chunks": chunks(sig("tasks.add"), [[1, 2], [3, 4], [5, 6]], 2, app=app),
}
json.dump(cases, sys.stdout)
sys.stdout.write("\n")
