#!/usr/bin/env bash
# Throughput and latency of the Java worker side by side with Python Celery and redis-benchmark,
# all measured in one run against one redis-server started here on a free loopback port.
# Prints one table and writes it to docs/performance.md (with bench/NOTES.md appended).
# Usage: bench/run.sh [COUNT] [RATE] [SECONDS] [WARMUP_SECONDS]
#   (defaults: 20000 tasks, 200 tasks/s, 15 s measured after a 15 s warm-up at the same rate)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COUNT=${1:-20000}
RATE=${2:-200}
SECONDS_LATENCY=${3:-15}
WARMUP_SECONDS=${4:-15}
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

# Linux's autogroup scheduling weighs sessions against each other, so that a nice value
# only counts among the processes of the script's own session. Give the session the
# script's niceness (root only), so that "nice -n -15 bench/run.sh" gives its processes
# priority over other work on a shared machine as it says; everything the script starts
# stays in this session (redis-server is not daemonized).
AUTOGROUP_NICE=$(grep -oE 'nice -?[0-9]+' /proc/self/autogroup 2>/dev/null | cut -d' ' -f2 || true)
if [ -n "$AUTOGROUP_NICE" ] && [ -w /proc/self/autogroup ]; then
	echo "$(nice)" >/proc/self/autogroup 2>/dev/null || true
fi
AUTOGROUP=$(cat /proc/self/autogroup 2>/dev/null || echo "no autogroup")

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BROKER="redis://127.0.0.1:$PORT/0"
BACKEND="redis://127.0.0.1:$PORT/1"
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
	--logfile "$OUT/redis.log" &
echo $! >"$OUT/redis.pid"
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
	# The session outlives the script: give it its former weight back.
	[ -n "$AUTOGROUP_NICE" ] && echo "$AUTOGROUP_NICE" >/proc/self/autogroup 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$PORT" ping >/dev/null

if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/bench/src" "$ROOT/bench/pom.xml" "$ROOT/celery-core/src/main" "$ROOT/celery-core/pom.xml" "$ROOT/pom.xml" -newer "$JAR" -type f | head -1)" ]; then
	echo "building bench.jar..."
	# The jar plugin keeps a jar that is newer than the bench's own classes, and the
	# repackage then keeps the celery-core inside it: remove it, or a change to
	# celery-core alone would be measured with the old celery-core.
	rm -f "$JAR" "$JAR.original"
	(cd "$ROOT" && JAVA_HOME=$JDK17 ./mvnw -q -B -ntp -pl bench -am -DskipTests -Dspring-javaformat.skip=true package)
fi
[ -f "$JAR" ] || { echo "bench.jar was not built at $JAR" >&2; exit 1; }
bench() { "$JDK17/bin/java" -jar "$JAR" "$@" --broker "$BROKER" --backend "$BACKEND"; }
flush() { redis-cli -p "$PORT" flushall >/dev/null; }

# Workers run in the background; each function ends in exec so that $! is the worker itself.
# Not a Celery worker: the least a worker can do per task (see floor_worker.py).
floor_worker() { exec "$PY" "$ROOT/bench/floor_worker.py" "$PORT" bench; }
py_worker() {
	cd "$PYDIR"
	CELERY_BROKER_URL=$BROKER CELERY_RESULT_BACKEND=$BACKEND CELERY_QUEUE=bench exec "$PY" -m celery -A pyapp \
		worker -Q bench -l WARNING --without-mingle --without-gossip --without-heartbeat "$@"
}
java_worker() { exec "$JDK17/bin/java" -Xmx256m -jar "$JAR" worker --broker "$BROKER" --backend "$BACKEND" --queue bench "$@"; }
# The same worker with C1 only: no C2 compiler competing for the CPU while the code warms up.
java_c1_worker() { exec "$JDK17/bin/java" -Xmx256m -XX:TieredStopAtLevel=1 -jar "$JAR" worker --broker "$BROKER" --backend "$BACKEND" --queue bench "$@"; }
java25_worker() { exec "$JDK25/bin/java" -Xmx256m -jar "$JAR" worker --broker "$BROKER" --backend "$BACKEND" --queue bench "$@"; }


# Start the poller in the background (DRAIN is its pid) and wait until it polls. It counts the
# results in the backend (db 1 holds nothing else), times them by their date_done (first to last,
# so start-up is excluded) and samples the CPU time the worker of $OUT/worker.pid (with its
# children) and redis-server spent from the first result it sees to the last. Further arguments
# go to the poller.
start_drain() {
	local label=$1
	shift
	bench drain --count "$COUNT" --worker-pidfile "$OUT/worker.pid" --redis-pid "$(cat "$OUT/redis.pid")" "$@" \
		>"$OUT/$label-drain.out" 2>&1 &
	DRAIN=$!
	for _ in $(seq 600); do grep -q '^polling' "$OUT/$label-drain.out" && break; sleep 0.1; done
}

# Wait for the poller, stop the worker, print the poller's key=value line with the commands per task.
finish_drain() {
	local label=$1 pid=$2
	if ! wait "$DRAIN"; then
		echo "$label: drain failed" >&2
		cat "$OUT/$label-drain.out" "$OUT/$label.log" >&2
		exit 1
	fi
	stop "$pid"
	# Commands the worker sent per task; the poller's own commands (with the RENAMENX of a warm
	# run) are left out. Commands run inside Lua scripts count too; the script calls are
	# counted apart.
	local commands scripts
	redis-cli -p "$PORT" info commandstats | tr -d '\r' |
		grep -vE '^cmdstat_(dbsize|scan|mget|hello|select|client|info|config|ping|renamenx):' >"$OUT/$label-commandstats.txt"
	commands=$(grep -oE 'calls=[0-9]+' "$OUT/$label-commandstats.txt" | cut -d= -f2 |
		awk -v n="$COUNT" '{ s += $1 } END { printf "%.1f", s / n }')
	scripts=$(grep -E '^cmdstat_(eval|evalsha):' "$OUT/$label-commandstats.txt" | grep -oE 'calls=[0-9]+' |
		cut -d= -f2 | awk -v n="$COUNT" '{ s += $1 } END { printf "%.1f", s / n }')
	echo "$(grep '^drained=' "$OUT/$label-drain.out") commands_per_task=$commands scripts_per_task=$scripts"
}

# Cold: queue COUNT noop tasks, start the poller, then a worker, which drains them from its start.
throughput() {
	local label=$1
	shift
	flush
	bench fill --count "$COUNT" --queue bench >/dev/null
	rm -f "$OUT/worker.pid"
	redis-cli -p "$PORT" config resetstat >/dev/null
	start_drain "$label"
	("$@") >"$OUT/$label.log" 2>&1 &
	local pid=$!
	echo "$pid" >>"$OUT/pids"
	echo "$pid" >"$OUT/worker.pid"
	finish_drain "$label" "$pid"
}

# Warm: start the worker first and let it drain a warm-up batch of COUNT tasks (queued while it
# runs); once all their results are stored, queue the measured COUNT tasks on a staging key,
# delete the warm-up results, reset the command statistics and start the poller, which takes its
# first CPU sample and then renames (RENAMENX) the staging key onto the queue's key (kombu's list
# for queue "bench" is the key "bench"): the batch appears at once, and Redis wakes a worker
# blocked in BRPOP on the key as it does for a push. A poller that took its first sample only at
# the first result it saw could miss a warm worker's whole drain.
throughput_warm() {
	local label=$1
	shift
	flush
	rm -f "$OUT/worker.pid"
	("$@") >"$OUT/$label.log" 2>&1 &
	local pid=$!
	echo "$pid" >>"$OUT/pids"
	echo "$pid" >"$OUT/worker.pid"
	bench fill --count "$COUNT" --queue bench >/dev/null
	local stored=0
	for _ in $(seq 6000); do
		stored=$(redis-cli -p "$PORT" -n 1 dbsize)
		[ "$stored" -ge "$COUNT" ] && break
		alive "$pid" || break
		sleep 0.1
	done
	if [ "$stored" -lt "$COUNT" ]; then
		echo "$label: only $stored of $COUNT warm-up results were stored" >&2
		cat "$OUT/$label.log" >&2
		exit 1
	fi
	bench fill --count "$COUNT" --queue bench --key bench.staging >/dev/null
	redis-cli -p "$PORT" -n 1 flushdb >/dev/null
	redis-cli -p "$PORT" config resetstat >/dev/null
	start_drain "$label" --staging-key bench.staging --queue bench
	finish_drain "$label" "$pid"
}

# Start a worker; the client sends 200 tasks one at a time (which also waits for the worker to
# consume), then bench.noop at RATE/s for WARMUP_SECONDS s (warm-up, timed apart), waits for all of
# those results, then at RATE/s for SECONDS_LATENCY s; prints p50/p99 of send-to-result of both.
latency() {
	local label=$1
	shift
	flush
	("$@") >"$OUT/$label-latency.log" 2>&1 &
	local pid=$!
	echo "$pid" >>"$OUT/pids"
	local line
	line=$(bench latency --rate "$RATE" --seconds "$SECONDS_LATENCY" --warmup "$WARMUP_SECONDS" --queue bench)
	stop "$pid"
	echo "$line"
}

echo "redis-benchmark (LPUSH, RPOP; 50 clients, 200000 requests)..."
RB=$(redis-benchmark -p "$PORT" -n 200000 -q -t lpush,rpop | tr '\r' '\n')
RB_LPUSH=$(echo "$RB" | grep -E '^LPUSH' | tail -1 | sed -E 's/^LPUSH: ([0-9.]+).*/\1/')
RB_RPOP=$(echo "$RB" | grep -E '^RPOP' | tail -1 | sed -E 's/^RPOP: ([0-9.]+).*/\1/')

echo "Python Celery prefork -c 2..."
PY_PREFORK_RUN=$(throughput py-prefork py_worker -P prefork -c 2)
echo "Python Celery threads -c 8..."
PY_THREADS_RUN=$(throughput py-threads py_worker -P threads -c 8)
echo "Java worker threads -c 8 (JDK 17)..."
JAVA_THREADS_RUN=$(throughput java-threads java_worker --pool threads --concurrency 8)
echo "Java worker virtual -c 8 (JDK 25)..."
JAVA_VIRTUAL_RUN=$(throughput java-virtual java25_worker --pool virtual --concurrency 8)
echo "Java worker threads -c 8 (JDK 17, C1 only)..."
JAVA_C1_RUN=$(throughput java-c1 java_c1_worker --pool threads --concurrency 8)
echo "Python Celery prefork -c 2, warm..."
PY_PREFORK_WARM_RUN=$(throughput_warm py-prefork-warm py_worker -P prefork -c 2)
echo "Java worker threads -c 8 (JDK 17), warm..."
JAVA_THREADS_WARM_RUN=$(throughput_warm java-threads-warm java_worker --pool threads --concurrency 8)
echo "Java worker virtual -c 8 (JDK 25), warm..."
JAVA_VIRTUAL_WARM_RUN=$(throughput_warm java-virtual-warm java25_worker --pool virtual --concurrency 8)
echo "Latency at $RATE tasks/s ($WARMUP_SECONDS s warm-up, $SECONDS_LATENCY s measured): Python prefork -c 2, Java threads (JDK 17), Java virtual (JDK 25), Java C1 only..."
PY_LAT=$(latency py-prefork py_worker -P prefork -c 2)
JAVA_LAT=$(latency java-threads java_worker --pool threads --concurrency 8)
JAVA25_LAT=$(latency java-virtual java25_worker --pool virtual --concurrency 8)
JAVA_C1_LAT=$(latency java-c1 java_c1_worker --pool threads --concurrency 8)
echo "Latency floor: a minimal Python loop (BRPOP, then SETEX and PUBLISH; no Celery) with the same client..."
FLOOR_LAT=$(latency floor floor_worker)

echo "Idle heap of a Java worker (JDK 17, threads -c 8)..."
flush
(java_worker --pool threads --concurrency 8) >"$OUT/idle.log" 2>&1 &
IDLE_PID=$!
echo "$IDLE_PID" >>"$OUT/pids"
for _ in $(seq 600); do grep -q '^ready\.' "$OUT/idle.log" && break; sleep 0.1; done
grep -q '^ready\.' "$OUT/idle.log" || { echo "Java worker did not start:" >&2; cat "$OUT/idle.log" >&2; exit 1; }
"$JDK17/bin/jcmd" "$IDLE_PID" GC.run >/dev/null
IDLE_HEAP=$("$JDK17/bin/jcmd" "$IDLE_PID" GC.heap_info | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+' | awk '{printf "%.1f", $1/1024}')
stop "$IDLE_PID"

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
# The value of one key=value field (whole key: p50_ms is not warmup_p50_ms).
field() { echo "$1" | tr ' ' '\n' | grep -E "^$2=" | cut -d= -f2; }
PY_PREFORK=$(field "$PY_PREFORK_RUN" rate)
PY_THREADS=$(field "$PY_THREADS_RUN" rate)
JAVA_THREADS=$(field "$JAVA_THREADS_RUN" rate)
JAVA_VIRTUAL=$(field "$JAVA_VIRTUAL_RUN" rate)
JAVA_C1=$(field "$JAVA_C1_RUN" rate)
PY_PREFORK_WARM=$(field "$PY_PREFORK_WARM_RUN" rate)
JAVA_THREADS_WARM=$(field "$JAVA_THREADS_WARM_RUN" rate)
JAVA_VIRTUAL_WARM=$(field "$JAVA_VIRTUAL_WARM_RUN" rate)
cpu() { echo "$(field "$1" worker_cpu_ms) + $(field "$1" redis_cpu_ms) ms; $(field "$1" commands_per_task) commands ($(field "$1" scripts_per_task) of them script calls)"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# Latency rows: p50 / p99 of the given phase (warmup_ for the warm-up's), ratio of p99 to Python's.
lat() { echo "$(field "$1" "$2p50_ms") / $(field "$1" "$2p99_ms")"; }
latratio() { ratio "$(field "$1" "$2p99_ms")" "$(field "$PY_LAT" "$2p99_ms")"; }
LAT_COLD_ROWS=""
if [ "$WARMUP_SECONDS" -gt 0 ]; then
	LAT_COLD_ROWS=$(cat <<ROWS
| Python prefork -c 2: send→result p50 / p99 at $RATE/s, cold: the first $WARMUP_SECONDS s (the warm-up) (ms) | $(lat "$PY_LAT" warmup_) | | 1.00 (p99) | |
| Java threads -c 8, JDK 17: send→result p50 / p99 at $RATE/s, cold: the first $WARMUP_SECONDS s (ms) | $(lat "$JAVA_LAT" warmup_) | | $(latratio "$JAVA_LAT" warmup_) (p99) | |
| Java virtual -c 8, JDK 25: send→result p50 / p99 at $RATE/s, cold: the first $WARMUP_SECONDS s (ms) | $(lat "$JAVA25_LAT" warmup_) | | $(latratio "$JAVA25_LAT" warmup_) (p99) | |
| Java threads -c 8, JDK 17 C1 only: send→result p50 / p99 at $RATE/s, cold: the first $WARMUP_SECONDS s (ms) | $(lat "$JAVA_C1_LAT" warmup_) | | $(latratio "$JAVA_C1_LAT" warmup_) (p99) | |
ROWS
)
fi
LAT_WARM="after a $WARMUP_SECONDS s warm-up"
[ "$WARMUP_SECONDS" -gt 0 ] || LAT_WARM="without warm-up"

TABLE=$(cat <<TABLE
| measurement | value | per task: CPU of worker + redis-server; Redis commands | ratio to Python prefork -c 2 (cold to cold, warm to warm) | ratio to redis-benchmark LPUSH |
|---|---|---|---|---|
| redis-benchmark LPUSH (requests/s, 50 clients) | $RB_LPUSH | | | 1.00 |
| redis-benchmark RPOP (requests/s, 50 clients) | $RB_RPOP | | | $(ratio "$RB_RPOP" "$RB_LPUSH") |
| Python Celery prefork -c 2, noop with result, cold (tasks/s) | $PY_PREFORK | $(cpu "$PY_PREFORK_RUN") | 1.00 | $(ratio "$PY_PREFORK" "$RB_LPUSH") |
| Python Celery threads -c 8, noop with result, cold (tasks/s) | $PY_THREADS | $(cpu "$PY_THREADS_RUN") | $(ratio "$PY_THREADS" "$PY_PREFORK") | $(ratio "$PY_THREADS" "$RB_LPUSH") |
| Java worker threads -c 8, JDK 17, noop with result, cold (tasks/s) | $JAVA_THREADS | $(cpu "$JAVA_THREADS_RUN") | $(ratio "$JAVA_THREADS" "$PY_PREFORK") | $(ratio "$JAVA_THREADS" "$RB_LPUSH") |
| Java worker virtual -c 8, JDK 25, noop with result, cold (tasks/s) | $JAVA_VIRTUAL | $(cpu "$JAVA_VIRTUAL_RUN") | $(ratio "$JAVA_VIRTUAL" "$PY_PREFORK") | $(ratio "$JAVA_VIRTUAL" "$RB_LPUSH") |
| Java worker threads -c 8, JDK 17 C1 only (\`-XX:TieredStopAtLevel=1\`), noop with result, cold (tasks/s) | $JAVA_C1 | $(cpu "$JAVA_C1_RUN") | $(ratio "$JAVA_C1" "$PY_PREFORK") | $(ratio "$JAVA_C1" "$RB_LPUSH") |
| Python Celery prefork -c 2, warm, noop with result (tasks/s) | $PY_PREFORK_WARM | $(cpu "$PY_PREFORK_WARM_RUN") | 1.00 | $(ratio "$PY_PREFORK_WARM" "$RB_LPUSH") |
| Java worker threads -c 8, JDK 17, warm, noop with result (tasks/s) | $JAVA_THREADS_WARM | $(cpu "$JAVA_THREADS_WARM_RUN") | $(ratio "$JAVA_THREADS_WARM" "$PY_PREFORK_WARM") | $(ratio "$JAVA_THREADS_WARM" "$RB_LPUSH") |
| Java worker virtual -c 8, JDK 25, warm, noop with result (tasks/s) | $JAVA_VIRTUAL_WARM | $(cpu "$JAVA_VIRTUAL_WARM_RUN") | $(ratio "$JAVA_VIRTUAL_WARM" "$PY_PREFORK_WARM") | $(ratio "$JAVA_VIRTUAL_WARM" "$RB_LPUSH") |
$LAT_COLD_ROWS
| Python prefork -c 2: send→result p50 / p99 at $RATE/s, $LAT_WARM (ms) | $(lat "$PY_LAT" "") | | 1.00 (p99) | |
| Java threads -c 8, JDK 17: send→result p50 / p99 at $RATE/s, $LAT_WARM (ms) | $(lat "$JAVA_LAT" "") | | $(latratio "$JAVA_LAT" "") (p99) | |
| Java virtual -c 8, JDK 25: send→result p50 / p99 at $RATE/s, $LAT_WARM (ms) | $(lat "$JAVA25_LAT" "") | | $(latratio "$JAVA25_LAT" "") (p99) | |
| Java threads -c 8, JDK 17 C1 only: send→result p50 / p99 at $RATE/s, $LAT_WARM (ms) | $(lat "$JAVA_C1_LAT" "") | | $(latratio "$JAVA_C1_LAT" "") (p99) | |
| Floor, not a worker (BRPOP, SETEX + PUBLISH in a Python loop; the client, Redis and the machine alone): send→result p50 / p99 at $RATE/s, $LAT_WARM (ms) | $(lat "$FLOOR_LAT" "") | | $(latratio "$FLOOR_LAT" "") (p99) | |
| Java worker idle heap after a full GC, JDK 17 (MB) | $IDLE_HEAP | | | |
TABLE
)
# No empty line in the table when there are no cold latency rows.
TABLE=$(echo "$TABLE" | sed '/^$/d')
echo
echo "$TABLE"
{
	echo "# Performance"
	echo
	echo "Measured by \`bench/run.sh $COUNT $RATE $SECONDS_LATENCY $WARMUP_SECONDS\` on $(date -u +%Y-%m-%d): $(nproc) cores ($(uname -m)),"
	echo "redis-server $(redis-server --version | grep -oE 'v=[0-9.]+' | cut -d= -f2) on loopback (started by the script),"
	echo "Python Celery $("$PY" -c 'import celery; print(celery.__version__)') on Python $("$PY" -c 'import platform; print(platform.python_version())'),"
	echo "$("$JDK17/bin/java" -version 2>&1 | head -1 | tr -d '"') and $("$JDK25/bin/java" -version 2>&1 | head -1 | tr -d '"')."
	echo
	echo "Throughput: $COUNT \`bench.noop\` tasks (no arguments, returns None/null, result stored in the Redis backend)"
	echo "are drained by one worker; the time runs from the first stored result to the last, so start-up is excluded."
	echo "*Cold* rows: the tasks are queued first, then the worker is started. *Warm* rows: the worker is started first"
	echo "and drains a warm-up batch of $COUNT tasks, queued while it runs; once all their results are stored, the"
	echo "measured $COUNT tasks are queued on a staging key, the warm-up's results are deleted and the command statistics"
	echo "reset, and the staging key is renamed onto the queue's key (\`RENAMENX\`; Redis wakes the worker waiting in"
	echo "\`BRPOP\` on it as for a push), so the whole batch appears at once in the queue of a running worker."
	echo "CPU per task is what the worker (with its pool processes) and redis-server consumed from the first result"
	echo "(warm: from the rename) to the last, divided by the tasks: unlike rates it hardly depends on other load;"
	echo "Redis commands are counted by redis-server (INFO commandstats) while the worker drained the measured batch"
	echo "(cold: from its start; warm: from just before the rename; to its stop), without the poller's own; they"
	echo "include the commands run inside Lua scripts; the script calls (EVAL, EVALSHA) among them are given in brackets."
	if [ "$WARMUP_SECONDS" -gt 0 ]; then
		echo "Latency: the Java client (a fresh JVM too) sends 200 tasks one at a time, waiting for each, then"
		echo "\`bench.noop\` at a fixed $RATE tasks/s for $WARMUP_SECONDS s (the warm-up, $((RATE * WARMUP_SECONDS)) tasks), waits until all"
		echo "their results have arrived, then sends at the same rate for $SECONDS_LATENCY s (measured); it waits for each"
		echo "result on a pool of waiter threads, and the figure is the time from send to result in the client. The"
		echo "*cold* latency rows are the warm-up's own latencies: the measurement as it was before the warm-up was added."
	else
		echo "Latency: the Java client sends 200 tasks one at a time, waiting for each, then \`bench.noop\` at a fixed"
		echo "$RATE tasks/s for $SECONDS_LATENCY s without warm-up, waiting for each result on a pool of waiter threads;"
		echo "the figure is the time from send to result in the client."
	fi
	echo
	echo "Both warm-ups are the same for every worker, Python and Java, so that the ratios compare like with like. Why"
	echo "warm up: a worker runs for days, and the first $COUNT tasks (or the first seconds at $RATE/s) after a JVM start"
	echo "measure the JIT compiler at work (the C2 compiler's threads use more CPU during a cold drain than the worker's"
	echo "own), not the code the worker runs for the rest of its life. The cold rows stay: they are what a freshly started"
	echo "worker (after a deploy, a scale-up) does."
	echo
	echo "Ratios compare figures measured in the same run, never figures from another machine. Load average (1, 5, 15"
	echo "min) before the run: $LOAD_BEFORE; after: $LOAD_AFTER. A load above the number of cores means other processes"
	echo "competed for the CPU and every rate and latency below is pessimistic. The script ran at niceness $(nice) (its"
	echo "processes inherit it; a negative value gives them priority over other work on a shared machine; the"
	echo "session's autogroup: $AUTOGROUP)."
	echo
	echo "$TABLE"
	echo
	if [ -f "$ROOT/bench/NOTES.md" ]; then
		cat "$ROOT/bench/NOTES.md"
	fi
} >"$ROOT/docs/performance.md"
echo "written: docs/performance.md"
