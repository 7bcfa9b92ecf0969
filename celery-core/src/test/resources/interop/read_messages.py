"""Read task envelopes (one JSON text per line on stdin) as a Celery 5.2 worker does:
kombu's virtual transport Message (base64 body), accept_content json, then
celery.worker.request.Request (headers, ISO dates through celery.utils.iso8601) and
Request.execute, which runs the task through celery.app.trace. Prints one JSON object
per message with what Celery read, the task's return value and what the task sent on."""
import sys
import traceback

from celery.utils.iso8601 import parse_iso8601
from celery.utils.saferepr import saferepr
from celery.worker.request import Request
from kombu.utils.json import dumps, loads

from interop_app import app, drain


def read(channel, line):
    payload = loads(line)
    message = channel.Message(payload, channel=channel)
    message.accept = {'application/json'}
    request = Request(message, app=app, hostname='interop@python',
                      on_ack=lambda *a: None, on_reject=lambda *a: None)
    args, kwargs, embed = request._payload
    headers = message.headers
    seen = {
        'id': request.id,
        'task': request.task_name,
        'args': args,
        'kwargs': kwargs,
        'embed': embed,
        'eta': request.eta.isoformat() if request.eta else None,
        'eta_timestamp': request.eta.timestamp() if request.eta else None,
        'eta_parsed': parse_iso8601(headers['eta']).isoformat() if headers.get('eta') else None,
        'expires': request.expires.isoformat() if request.expires else None,
        'expires_timestamp': request.expires.timestamp() if request.expires else None,
        'time_limits': list(request.time_limits),
        'delivery_info': request.delivery_info,
        'reply_to': request.reply_to,
        'correlation_id': request.correlation_id,
        'root_id': request.root_id,
        'parent_id': request.parent_id,
        'group': headers.get('group'),
        'group_index': headers.get('group_index'),
        'retries': headers.get('retries'),
        'argsrepr': request.argsrepr,
        'kwargsrepr': request.kwargsrepr,
        'python_argsrepr': saferepr(tuple(args), app.amqp.argsrepr_maxsize),
        'python_kwargsrepr': saferepr(kwargs, app.amqp.kwargsrepr_maxsize),
        'header_keys': list(headers.keys()),
        'property_keys': list(message.properties.keys()),
        'content_type': message.content_type,
        'revoked': request.revoked(),
    }
    seen['result'] = request.execute()
    seen['sent'] = drain()
    return seen


def main():
    with app.connection_for_read() as connection:
        channel = connection.default_channel
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                seen = read(channel, line)
            except Exception as exc:  # reported to the Java test, which asserts on it
                seen = {'error': type(exc).__name__, 'message': str(exc),
                        'traceback': traceback.format_exc()}
            print(dumps(seen), flush=True)


if __name__ == '__main__':
    main()
