"""The least a worker can do per task, for the latency floor of bench/run.sh.

BRPOP a message from the queue, then store a SUCCESS record under Celery's key and publish it
(SETEX and PUBLISH in one pipeline). No Celery, no acknowledgement, no task code: what is left of
send-to-result is the client, Redis and the machine. Usage: floor_worker.py PORT QUEUE.
"""
import json
import sys
from datetime import datetime

import redis

port, queue = int(sys.argv[1]), sys.argv[2]
broker = redis.Redis(port=port, db=0)
backend = redis.Redis(port=port, db=1)
while True:
    item = broker.brpop([queue], timeout=1)
    if not item:
        continue
    task_id = json.loads(item[1])["headers"]["id"]
    record = json.dumps({"status": "SUCCESS", "result": None, "traceback": None, "children": [],
                         "date_done": datetime.utcnow().isoformat(), "task_id": task_id})
    key = "celery-task-meta-" + task_id
    pipe = backend.pipeline(transaction=False)
    pipe.setex(key, 86400, record)
    pipe.publish(key, record)
    pipe.execute()
