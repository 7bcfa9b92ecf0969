#!/usr/bin/env bash
# Throughput and latency of the Java worker side by side with Python Celery and redis-benchmark,
# all measured in one run against one redis-server started here on a free loopback port.
# Prints one table and writes it to docs/performance.md (with bench/NOTES.md appended).
# Usage: bench/run.sh [COUNT] [RATE] [SECONDS]   (defaults: 20000 tasks, 200 tasks/s, 15 s)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COUNT=${1:-20000}
RATE=${2:-200}
SECONDS_LATENCY=${3:-15}
PY=${CELERY_TEST_PYTHON:-/usr/bin/python3}
PYDIR="$ROOT/celery-core/src/test/python"
OUT="$ROOT/bench/out"
JAR="$ROOT/bench/target/bench.jar"
JDK17=${JDK17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
JDK25=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mkdir -p "$OUT"

command -v redis-server >/dev/null || { echo "redis-server is missing: apt-get install redis-server redis-tools" >&2; exit 1; }
command -v redis-benchmark >/dev/null || { echo "redis-benchmark is missing: apt-get install redis-tools" >&2; exit 1; }
"$PY" -c 'import celery, redis' 2>/dev/null || { echo "Python Celery is missing: apt-get install python3-celery python3-redis" >&2; exit 1; }
[ -x "$JDK17/bin/java" ] || { echo "JDK 17 not found at $JDK17 (set JDK17_HOME)" >&2; exit 1; }
[ -x "$JDK25/bin/java" ] || { echo "JDK 25 not found at $JDK25 (set JDK25_HOME)" >&2; exit 1; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BROKER="redis://127.0.0.1:$PORT/0"
BACKEND="redis://127.0.0.1:$PORT/1"
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
	--pidfile "$OUT/redis.pid" --logfile "$OUT/redis.log"
# SIGTERM (warm shutdown for Celery, shutdown hook for Java), SIGKILL after 10 s.
alive() {
	local stat
	stat=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	[[ $stat != Z* ]]
}
stop() {
	kill "$1" 2>/dev/null || true
	for _ in $(seq 100); do alive "$1" || break; sleep 0.1; done
	alive "$1" && kill -9 "$1" 2>/dev/null
	sed -i "/^$1\$/d" "$OUT/pids"
}
# Background workers are recorded in a file: they are started inside $(...) subshells.
: >"$OUT/pids"
cleanup() {
	while read -r pid; do stop "$pid"; done <"$OUT/pids"
	[ -f "$OUT/redis.pid" ] && kill "$(cat "$OUT/redis.pid")" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$PORT" ping >/dev/null

if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/bench/src" "$ROOT/celery-core/src/main" -newer "$JAR" -type f | head -1)" ]; then
	echo "building bench.jar..."
	(cd "$ROOT" && JAVA_HOME=$JDK17 ./mvnw -q -B -ntp -pl bench -am -DskipTests -Dspring-javaformat.skip=true package)
fi
bench() { "$JDK17/bin/java" -jar "$JAR" "$@" --broker "$BROKER" --backend "$BACKEND"; }
flush() { redis-cli -p "$PORT" flushall >/dev/null; }

# Workers run in the background; each function ends in exec so that $! is the worker itself.
py_worker() {
	cd "$PYDIR"
	CELERY_BROKER_URL=$BROKER CELERY_RESULT_BACKEND=$BACKEND CELERY_QUEUE=bench exec "$PY" -m celery -A pyapp \
		worker -Q bench -l WARNING --without-mingle --without-gossip --without-heartbeat "$@"
}
java_worker() { exec "$JDK17/bin/java" -Xmx256m -jar "$JAR" worker --broker "$BROKER" --backend "$BACKEND" --queue bench "$@"; }
java25_worker() { exec "$JDK25/bin/java" -Xmx256m -jar "$JAR" worker --broker "$BROKER" --backend "$BACKEND" --queue bench "$@"; }


# Queue COUNT noop tasks, start a worker, time it from the first stored result to the last
# (worker start-up excluded). Prints tasks/s.
throughput() {
	local label=$1
	shift
	flush
	bench fill --count "$COUNT" --queue bench >/dev/null
	("$@") >"$OUT/$label.log" 2>&1 &
	local pid=$!
	echo "$pid" >>"$OUT/pids"
	local line
	line=$(bench drain --count "$COUNT")
	stop "$pid"
	echo "$line" | sed -E 's/.*rate=([0-9.]+).*/\1/'
}

# Start a worker, send bench.noop at RATE/s for SECONDS_LATENCY s (after a synchronous warm-up
# that also waits for the worker to consume), print p50/p99 of send-to-result.
latency() {
	local label=$1
	shift
	flush
	("$@") >"$OUT/$label-latency.log" 2>&1 &
	local pid=$!
	echo "$pid" >>"$OUT/pids"
	local line
	line=$(bench latency --rate "$RATE" --seconds "$SECONDS_LATENCY" --queue bench)
	stop "$pid"
	echo "$line"
}

echo "redis-benchmark (LPUSH, RPOP; 50 clients, 200000 requests)..."
RB=$(redis-benchmark -p "$PORT" -n 200000 -q -t lpush,rpop | tr '\r' '\n')
RB_LPUSH=$(echo "$RB" | grep -E '^LPUSH' | tail -1 | sed -E 's/^LPUSH: ([0-9.]+).*/\1/')
RB_RPOP=$(echo "$RB" | grep -E '^RPOP' | tail -1 | sed -E 's/^RPOP: ([0-9.]+).*/\1/')

echo "Python Celery prefork -c 2..."
PY_PREFORK=$(throughput py-prefork py_worker -P prefork -c 2)
echo "Python Celery threads -c 8..."
PY_THREADS=$(throughput py-threads py_worker -P threads -c 8)
echo "Java worker threads -c 8 (JDK 17)..."
JAVA_THREADS=$(throughput java-threads java_worker --pool threads --concurrency 8)
echo "Java worker virtual -c 64 (JDK 25)..."
JAVA_VIRTUAL=$(throughput java-virtual java25_worker --pool virtual --concurrency 64)
echo "Latency at $RATE tasks/s: Python prefork -c 2, Java threads (JDK 17), Java virtual (JDK 25)..."
PY_LAT=$(latency py-prefork py_worker -P prefork -c 2)
JAVA_LAT=$(latency java-threads java_worker --pool threads --concurrency 8)
JAVA25_LAT=$(latency java-virtual java25_worker --pool virtual --concurrency 64)

echo "Idle heap of a Java worker (JDK 17, threads -c 8)..."
flush
(java_worker --pool threads --concurrency 8) >"$OUT/idle.log" 2>&1 &
IDLE_PID=$!
echo "$IDLE_PID" >>"$OUT/pids"
for _ in $(seq 300); do grep -q '^ready\.' "$OUT/idle.log" && break; sleep 0.1; done
grep -q '^ready\.' "$OUT/idle.log" || { echo "Java worker did not start:" >&2; cat "$OUT/idle.log" >&2; exit 1; }
"$JDK17/bin/jcmd" "$IDLE_PID" GC.run >/dev/null
IDLE_HEAP=$("$JDK17/bin/jcmd" "$IDLE_PID" GC.heap_info | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+' | awk '{printf "%.1f", $1/1024}')
stop "$IDLE_PID"

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else print "n/a" }'; }
field() { echo "$1" | grep -oE "$2=[0-9.]+" | cut -d= -f2; }

TABLE=$(cat <<TABLE
| measurement | value | ratio to Python prefork -c 2 | ratio to redis-benchmark LPUSH |
|---|---|---|---|
| redis-benchmark LPUSH (requests/s, 50 clients) | $RB_LPUSH | | 1.00 |
| redis-benchmark RPOP (requests/s, 50 clients) | $RB_RPOP | | $(ratio "$RB_RPOP" "$RB_LPUSH") |
| Python Celery prefork -c 2, noop with result (tasks/s) | $PY_PREFORK | 1.00 | $(ratio "$PY_PREFORK" "$RB_LPUSH") |
| Python Celery threads -c 8, noop with result (tasks/s) | $PY_THREADS | $(ratio "$PY_THREADS" "$PY_PREFORK") | $(ratio "$PY_THREADS" "$RB_LPUSH") |
| Java worker threads -c 8, JDK 17, noop with result (tasks/s) | $JAVA_THREADS | $(ratio "$JAVA_THREADS" "$PY_PREFORK") | $(ratio "$JAVA_THREADS" "$RB_LPUSH") |
| Java worker virtual -c 64, JDK 25, noop with result (tasks/s) | $JAVA_VIRTUAL | $(ratio "$JAVA_VIRTUAL" "$PY_PREFORK") | $(ratio "$JAVA_VIRTUAL" "$RB_LPUSH") |
| Python prefork -c 2: send→result p50 / p99 at $RATE/s (ms) | $(field "$PY_LAT" p50_ms) / $(field "$PY_LAT" p99_ms) | 1.00 (p99) | |
| Java threads -c 8, JDK 17: send→result p50 / p99 at $RATE/s (ms) | $(field "$JAVA_LAT" p50_ms) / $(field "$JAVA_LAT" p99_ms) | $(ratio "$(field "$JAVA_LAT" p99_ms)" "$(field "$PY_LAT" p99_ms)") (p99) | |
| Java virtual -c 64, JDK 25: send→result p50 / p99 at $RATE/s (ms) | $(field "$JAVA25_LAT" p50_ms) / $(field "$JAVA25_LAT" p99_ms) | $(ratio "$(field "$JAVA25_LAT" p99_ms)" "$(field "$PY_LAT" p99_ms)") (p99) | |
| Java worker idle heap after a full GC, JDK 17 (MB) | $IDLE_HEAP | | |
TABLE
)
echo
echo "$TABLE"
{
	echo "# Performance"
	echo
	echo "Measured by \`bench/run.sh $COUNT $RATE $SECONDS_LATENCY\` on $(date -u +%Y-%m-%d), $(nproc) cores ($(uname -m)), one"
	echo "redis-server $(redis-server --version | grep -oE 'v=[0-9.]+' | cut -d= -f2) on loopback started by the script, Python Celery"
	echo "$("$PY" -c 'import celery; print(celery.__version__)') on Python $("$PY" -c 'import platform; print(platform.python_version())'),"
	echo "$("$JDK17/bin/java" -version 2>&1 | head -1 | tr -d '"') and $("$JDK25/bin/java" -version 2>&1 | head -1 | tr -d '"')."
	echo
	echo "Throughput: $COUNT \`bench.noop\` tasks (no arguments, returns None/null, result stored in the Redis backend)"
	echo "are queued first, then one worker drains them; the time runs from the first stored result to the last, so"
	echo "start-up is excluded. Latency: the Java client sends \`bench.noop\` at a fixed $RATE tasks/s for $SECONDS_LATENCY s"
	echo "(after a warm-up of $RATE tasks) and waits for each result; the figure is the time from send to result in the"
	echo "client. Ratios compare figures measured in the same run, never figures from another machine. Load average"
	echo "(1, 5, 15 min) before the run: $LOAD_BEFORE; after: $LOAD_AFTER. A load above the number of cores means other"
	echo "processes competed for the CPU and every figure below is pessimistic."
	echo
	echo "$TABLE"
	echo
	if [ -f "$ROOT/bench/NOTES.md" ]; then
		cat "$ROOT/bench/NOTES.md"
	fi
} >"$ROOT/docs/performance.md"
echo "written: docs/performance.md"
