#!/usr/bin/env bash
# Throughput and latency of the Java worker side by side with Python Celery and redis-benchmark,
# all measured in one run against one redis-server started here on a free loopback port.
# Writes the table to docs/performance.md. Usage: bench/run.sh [COUNT] [RATE] [SECONDS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COUNT=${1:-20000}
RATE=${2:-200}
SECONDS_LATENCY=${3:-15}
PY=/usr/bin/python3
PYDIR="$ROOT/celery-core/src/test/python"
OUT="$ROOT/bench/out"
JDK25=/usr/lib/jvm/temurin-25-jdk-amd64
mkdir -p "$OUT"

command -v redis-server >/dev/null || { echo "redis-server is missing: apt-get install redis-server redis-tools" >&2; exit 1; }
"$PY" -c 'import celery, redis' 2>/dev/null || { echo "Python Celery is missing: apt-get install python3-celery python3-redis" >&2; exit 1; }

PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BROKER="redis://127.0.0.1:$PORT/0"
BACKEND="redis://127.0.0.1:$PORT/1"
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --pidfile "$OUT/redis.pid" --logfile "$OUT/redis.log"
PIDS=()
cleanup() {
	for pid in "${PIDS[@]:-}"; do kill "$pid" 2>/dev/null || true; done
	kill "$(cat "$OUT/redis.pid")" 2>/dev/null || true
}
trap cleanup EXIT
until redis-cli -p "$PORT" ping >/dev/null 2>&1; do sleep 0.1; done

if [ ! -f "$ROOT/bench/target/bench.jar" ]; then
	(cd "$ROOT" && ./mvnw -q -B -ntp -pl bench -am -DskipTests package)
fi
JAVA_HOME_17=${JAVA_HOME:-}
bench() { java -jar "$ROOT/bench/target/bench.jar" "$@" --broker "$BROKER" --backend "$BACKEND"; }
flush() { redis-cli -p "$PORT" flushall >/dev/null; }

# Queue COUNT noop tasks, start a worker, time it from the first result to the last (worker start-up excluded).
throughput() {
	local label=$1; shift
	flush
	bench fill --count "$COUNT" --queue bench >/dev/null
	"$@" >"$OUT/$label.log" 2>&1 &
	local pid=$!
	PIDS+=("$pid")
	local line
	line=$(bench drain --count "$COUNT")
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	echo "$line" | sed -E 's/.*rate=([0-9.]+).*/\1/'
}

latency() {
	local label=$1; shift
	flush
	"$@" >"$OUT/$label-latency.log" 2>&1 &
	local pid=$!
	PIDS+=("$pid")
	sleep 4
	local line
	line=$(bench latency --rate "$RATE" --seconds "$SECONDS_LATENCY" --queue bench)
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	echo "$line"
}

py_worker() { (cd "$PYDIR" && CELERY_BROKER_URL=$BROKER CELERY_RESULT_BACKEND=$BACKEND exec "$PY" -m celery -A pyapp worker -Q bench -l WARNING --without-mingle --without-gossip --without-heartbeat "$@"); }
java_worker() { java -Xmx256m -jar "$ROOT/bench/target/bench.jar" worker --broker "$BROKER" --backend "$BACKEND" --queue bench "$@"; }
java25_worker() { "$JDK25/bin/java" -Xmx256m -jar "$ROOT/bench/target/bench.jar" worker --broker "$BROKER" --backend "$BACKEND" --queue bench "$@"; }

echo "redis-benchmark (LPUSH, RPOP; 50 clients, 200000 requests each)..."
RB=$(redis-benchmark -p "$PORT" -n 200000 -q -t lpush,rpop)
RB_LPUSH=$(echo "$RB" | tr '\r' '\n' | grep -E '^LPUSH' | tail -1 | sed -E 's/^LPUSH: ([0-9.]+).*/\1/')
RB_RPOP=$(echo "$RB" | tr '\r' '\n' | grep -E '^RPOP' | tail -1 | sed -E 's/^RPOP: ([0-9.]+).*/\1/')

echo "Python Celery prefork -c 2..."
PY_PREFORK=$(throughput py-prefork py_worker -P prefork -c 2)
echo "Python Celery threads -c 8..."
PY_THREADS=$(throughput py-threads py_worker -P threads -c 8)
echo "Java worker threads -c 8 (JDK 17)..."
JAVA_THREADS=$(throughput java-threads java_worker --pool threads --concurrency 8)
JAVA_VIRTUAL=n/a
if [ -x "$JDK25/bin/java" ]; then
	echo "Java worker virtual -c 64 (JDK 25)..."
	JAVA_VIRTUAL=$(throughput java-virtual java25_worker --pool virtual --concurrency 64)
fi
echo "Latency at $RATE tasks/s: Python prefork, then Java threads..."
PY_LAT=$(latency py-prefork py_worker -P prefork -c 2)
JAVA_LAT=$(latency java-threads java_worker --pool threads --concurrency 8)
IDLE_HEAP="n/a"
java_worker --pool threads --concurrency 8 >"$OUT/idle.log" 2>&1 &
IDLE_PID=$!
PIDS+=("$IDLE_PID")
sleep 6
if command -v jcmd >/dev/null; then
	jcmd "$IDLE_PID" GC.run >/dev/null 2>&1 || true
	sleep 1
	IDLE_HEAP=$(jcmd "$IDLE_PID" GC.heap_info 2>/dev/null | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+' | awk '{printf "%.1f", $1/1024}')
fi
kill "$IDLE_PID" 2>/dev/null || true

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else print "n/a" }'; }
field() { echo "$1" | grep -oE "$2=[0-9.]+" | cut -d= -f2; }

TABLE=$(cat <<TABLE
| measurement | value | ratio to Python prefork -c2 | ratio to redis-benchmark LPUSH |
|---|---|---|---|
| redis-benchmark LPUSH (requests/s, 50 clients) | $RB_LPUSH | | 1.00 |
| redis-benchmark RPOP (requests/s, 50 clients) | $RB_RPOP | | $(ratio "$RB_RPOP" "$RB_LPUSH") |
| Python Celery 5.2 prefork -c 2, noop with result (tasks/s) | $PY_PREFORK | 1.00 | $(ratio "$PY_PREFORK" "$RB_LPUSH") |
| Python Celery 5.2 threads -c 8, noop with result (tasks/s) | $PY_THREADS | $(ratio "$PY_THREADS" "$PY_PREFORK") | $(ratio "$PY_THREADS" "$RB_LPUSH") |
| Java worker threads -c 8, JDK 17 (tasks/s) | $JAVA_THREADS | $(ratio "$JAVA_THREADS" "$PY_PREFORK") | $(ratio "$JAVA_THREADS" "$RB_LPUSH") |
| Java worker virtual -c 64, JDK 25 (tasks/s) | $JAVA_VIRTUAL | $(ratio "$JAVA_VIRTUAL" "$PY_PREFORK") | $(ratio "$JAVA_VIRTUAL" "$RB_LPUSH") |
| Python prefork -c 2: send→result p50 / p99 at $RATE/s (ms) | $(field "$PY_LAT" p50_ms) / $(field "$PY_LAT" p99_ms) | 1.00 (p99) | |
| Java threads -c 8: send→result p50 / p99 at $RATE/s (ms) | $(field "$JAVA_LAT" p50_ms) / $(field "$JAVA_LAT" p99_ms) | $(ratio "$(field "$JAVA_LAT" p99_ms)" "$(field "$PY_LAT" p99_ms)") (p99) | |
| Java worker idle heap after GC (MB) | $IDLE_HEAP | | |
TABLE
)
echo
echo "$TABLE"
{
	echo "# Performance"
	echo
	echo "Measured by \`bench/run.sh $COUNT $RATE $SECONDS_LATENCY\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), one redis-server"
	echo "($(redis-server --version | grep -oE 'v=[0-9.]+')) on loopback started by the script, Python Celery $("$PY" -c 'import celery; print(celery.__version__)'),"
	echo "$(java -version 2>&1 | head -1)."
	echo
	echo "Throughput: $COUNT \`bench.noop\` tasks (no arguments, result stored in Redis) are queued first, then one worker"
	echo "drains them; the time runs from the first stored result to the last, so start-up is excluded. Latency: the Java"
	echo "client sends \`bench.noop\` at a fixed $RATE tasks/s for $SECONDS_LATENCY s and waits for each result through the"
	echo "backend's pub/sub; the figure is the time from send to result in the client. Ratios are against figures measured"
	echo "in the same run, never against numbers from another machine."
	echo
	echo "$TABLE"
	echo
	echo "How to read it: see the notes at the end of this page."
	echo
	sed -n '/^## Notes/,$p' "$ROOT/bench/NOTES.md" 2>/dev/null || true
} > "$ROOT/docs/performance.md"
echo "written: docs/performance.md"
