"""Send tasks as a Celery 5.2 client does (apply_async, send_task, canvas) through
kombu's memory:// transport and print each message as the exact JSON text kombu's Redis
transport would push: one JSON object per line, {"call": <what was called>,
"envelope": <text>}."""
from datetime import datetime, timedelta, timezone

from celery import chain, chord, group
from kombu.utils.json import dumps

from interop_app import add, app, drain, echo, greet, mul, xsum

PLUS_ONE = timezone(timedelta(hours=1))

CALLS = [
    ('add', lambda: add.delay(2, 3)),
    ('greet', lambda: greet.apply_async(('Zoë',), {'greeting': 'Grüß dich ✓ 😀'})),
    ('options', lambda: add.apply_async(
        (1, 2), eta=datetime(2030, 1, 2, 3, 4, 5, 123456, tzinfo=PLUS_ONE),
        expires=datetime(2030, 1, 3, tzinfo=timezone.utc), priority=7, queue='other',
        time_limit=10, soft_time_limit=5)),
    ('send_task', lambda: app.send_task('tasks.greet', kwargs={'name': 'Ada'})),
    ('link', lambda: add.apply_async((2, 3), link=add.s(10), link_error=echo.si('failed'))),
    ('chain', lambda: chain(add.s(2, 3), mul.s(4), add.s(10)).apply_async()),
    ('group', lambda: group(add.s(i, i) for i in range(2)).apply_async()),
    ('chord', lambda: chord((add.s(i, i) for i in range(2)), xsum.s()).apply_async()),
    ('echo', lambda: echo.delay("it's", 'say "hi"', 'line\nbreak \\ slash', 0.1, 1e16, 1e-05,
                                2 ** 53 + 1, -0.0, None, True, [[[[1]]]], {'a': {'b': {'c': 1}}},
                                'x' * 1100, key='värde')),
]


def main():
    with app.connection_for_write():
        for call, send in CALLS:
            send()
            for envelope in drain():
                print(dumps({'call': call, 'envelope': envelope}), flush=True)


if __name__ == '__main__':
    main()
