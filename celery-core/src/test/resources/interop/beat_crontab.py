"""Next run of Celery crontab schedules, as Python Celery's beat decides it.

Reads a JSON list of cases from standard input:
    {"fields": [minute, hour, day_of_month, month_of_year, day_of_week],
     "zone": "Europe/Berlin", "last": "2024-03-31T01:59:30+01:00"}
and prints a JSON list of answers, one per case, in order:
    {"next": "2024-03-31T01:00:00.000000Z", "estimate": 30.0,
     "fixedNext": "2024-03-31T01:00:00.000000Z", "fixedEstimate": 30.0}
or {"error": "..."} when Celery refuses the crontab.

"next" is the first instant after "last" at which crontab.is_due(last) answers True,
which is when beat, checking continuously, sends the task. Beat asks is_due again and
again with the current time; near a daylight saving change the answer depends on the
current time's UTC offset, so the instant is found by stepping with remaining_estimate
and then bisecting to the microsecond. "estimate" is remaining_estimate(last) asked at
"last" itself, in seconds.

"fixedNext" and "fixedEstimate" are the same with Celery 5.3's correction of
crontab._delta_to_next: before 5.3, is_before_last_run took midnight of a candidate day as
UTC, so in zones west of UTC a last run late in the evening made the next day count as
"before the last run", and the rest of the month (or year) was skipped. The correction
reads that naive date in the schedule's zone, done here by FixedCrontab below. On Celery
5.3 or later both answers are the same.
"""
import json
import sys
from datetime import datetime, timedelta, timezone

from celery import Celery
from celery.schedules import crontab
from celery.utils.time import is_naive

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
APPS = {}


def app_for(zone):
    app = APPS.get(zone)
    if app is None:
        app = Celery('beat-interop', set_as_current=False)
        app.conf.timezone = zone
        app.conf.enable_utc = True
        APPS[zone] = app
    return app


class Clock:
    """The current time crontab.now() returns."""

    def __init__(self):
        self.now = None

    def __call__(self):
        return self.now


class FixedCrontab(crontab):
    """A crontab that reads naive datetimes in its own zone, as Celery 5.3 does."""

    def maybe_make_aware(self, dt, **kwargs):
        if is_naive(dt):
            # Only candidate dates arrive naive; any offset of the day will do.
            return self.tz.localize(dt)
        return super().maybe_make_aware(dt, **kwargs)


def micros(instant):
    delta = instant - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1000000 + delta.microseconds


def from_micros(value):
    return EPOCH + timedelta(microseconds=value)


def answer(case):
    plain = next_run(case, crontab)
    fixed = next_run(case, FixedCrontab)
    return {'next': plain[0], 'estimate': plain[1],
            'fixedNext': fixed[0], 'fixedEstimate': fixed[1]}


def next_run(case, schedule_type):
    app = app_for(case['zone'])
    tz = app.timezone
    clock = Clock()
    minute, hour, day_of_month, month_of_year, day_of_week = case['fields']
    schedule = schedule_type(minute=minute, hour=hour,
                             day_of_month=day_of_month,
                             month_of_year=month_of_year,
                             day_of_week=day_of_week, nowfun=clock, app=app)
    last = datetime.fromisoformat(case['last']).astimezone(tz)

    def remaining_at(instant):
        clock.now = instant.astimezone(timezone.utc).astimezone(tz)
        return schedule.remaining_estimate(last)

    def due_at(instant):
        clock.now = instant.astimezone(timezone.utc).astimezone(tz)
        return schedule.is_due(last).is_due

    estimate = remaining_at(last).total_seconds()
    not_due = last.astimezone(timezone.utc)
    now = not_due
    for _ in range(50):
        if due_at(now):
            break
        not_due = now
        now = now + max(remaining_at(now), timedelta(microseconds=1))
    else:
        raise RuntimeError('no due time found for %r' % (case,))
    low, high = micros(not_due), micros(now)
    if high - low > 1 and not due_at(from_micros(high - 1)):
        # Usually one step lands on the due instant: nothing to bisect.
        low = high - 1
    while high - low > 1:
        middle = (low + high) // 2
        if due_at(from_micros(middle)):
            high = middle
        else:
            low = middle
    due = from_micros(high)
    return due.strftime('%Y-%m-%dT%H:%M:%S.%fZ'), estimate


def main():
    cases = json.load(sys.stdin)
    answers = []
    for case in cases:
        try:
            answers.append(answer(case))
        except Exception as exc:  # Celery refuses the crontab: report why
            answers.append({'error': '%s: %s' % (type(exc).__name__, exc)})
    json.dump(answers, sys.stdout)


if __name__ == '__main__':
    main()
