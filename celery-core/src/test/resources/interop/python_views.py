"""Show values the way Python and Celery 5.2 show them, for the Java ports to compare.
Input (stdin): {"repr": [values], "args": [[args]], "kwargs": [{kwargs}],
"parse": [ISO texts], "format": [[epoch microseconds, offset minutes]]}.
Output (stdout): the same keys, each with one answer per input."""
import json
import sys
from datetime import datetime, timedelta, timezone

from celery.utils.iso8601 import parse_iso8601
from celery.utils.saferepr import saferepr


def parse(text):
    try:
        value = parse_iso8601(text)
    except Exception as exc:  # the Java side expects a rejection
        return {'error': type(exc).__name__}
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return {'isoformat': value.isoformat(), 'epoch_micros': round(value.timestamp() * 1_000_000)}


def fmt(epoch_micros, offset_minutes):
    zone = timezone(timedelta(minutes=offset_minutes))
    value = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=epoch_micros)
    return value.astimezone(zone).isoformat().replace('+00:00', '+00:00')


def main():
    request = json.load(sys.stdin)
    answer = {
        'repr': [repr(value) for value in request.get('repr', [])],
        'args': [saferepr(tuple(args), 1024) for args in request.get('args', [])],
        'kwargs': [saferepr(kwargs, 1024) for kwargs in request.get('kwargs', [])],
        'parse': [parse(text) for text in request.get('parse', [])],
        'format': [fmt(micros, offset) for micros, offset in request.get('format', [])],
    }
    json.dump(answer, sys.stdout)


if __name__ == '__main__':
    main()
