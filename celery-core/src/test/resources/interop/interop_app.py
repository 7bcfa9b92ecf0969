"""A Celery 5 app without a broker for interop tests: kombu's memory:// transport
(the same virtual transport code as redis://, messages kept in this process) and an
in-memory result backend. Task names follow the sample-app contract."""
from celery import Celery
from kombu.transport.memory import Channel
from kombu.utils.json import dumps

app = Celery('interop', broker='memory://', backend='cache+memory://')
app.conf.accept_content = ['json']
app.conf.task_serializer = 'json'
app.conf.result_serializer = 'json'


@app.task(name='tasks.add')
def add(x, y):
    return x + y


@app.task(name='tasks.mul')
def mul(x, y):
    return x * y


@app.task(name='tasks.xsum')
def xsum(numbers):
    return sum(numbers)


@app.task(name='tasks.greet')
def greet(name, greeting='Hello'):
    return f'{greeting}, {name}!'


@app.task(name='tasks.echo')
def echo(*args, **kwargs):
    return {'args': list(args), 'kwargs': kwargs}


def drain():
    """Return every message published so far, as the exact JSON text kombu's Redis
    transport would push (kombu.transport.redis.Channel._put), in publish order."""
    sent = []
    for queue in list(Channel.queues.values()):
        while not queue.empty():
            sent.append(dumps(queue.get()))
    return sent
