#!/usr/bin/env bash
# The benchmark of the Duplicate Message service one command, loopback only,
# bounded in time, cleans up after itself. See bench/README.md.
#
#   bench/run.sh
#
# Builds the production jar (in a copy of the project), starts PostgreSQL (Debian's server
# package on a free loopback port, or SPRING_DATASOURCE_URL if given), the bridge stub
# (bench/Stub.java) and the service; measures start-up and RSS; drives POST .../duplicate with
# wrk at several concurrencies against the floor (bench/Floor.java, plain JDBC + java.net.http);
# p99 at about half of peak throughput; a 60 s correctness run; a slow-bridge scenario; and
# prints a results table with the targets' verdicts (also written to bench/out/<time>/results.md).
#
# Settings (environment, all optional):
#   SPRING_DATASOURCE_URL/_USERNAME/_PASSWORD  an external PostgreSQL (a scratch database: rows are added, never removed)
#   BENCH_JAR               use this production jar instead of building one
#   BENCH_CONCURRENCY       "1 8 32 128"   callers (wrk connections / floor threads)
#   BENCH_DURATION          15             seconds per measured step
#   BENCH_ROUNDS            2              route and floor steps per concurrency, taking turns; route ÷ floor is the ratio of their mean req/s
#   BENCH_WARMUP            180            seconds of service warm-up (c=8) before the first step: on 2 cores C2 still compiles for about 3 minutes (compiler threads 0.2 cores after 90 s, 0.08 after 240 s)
#   BENCH_STEP_WARMUP       30             seconds of unmeasured route load at each concurrency before its first round (after 8 callers, the service at 32 did 1065-1140 req/s for its first 15-45 s, then 1210-1250)
#   BENCH_FLOOR_WARMUP      30             seconds of warm-up inside each floor run (a fresh JVM: at 32 threads the floor did 1460 req/s after 5 s, 1740 after 15 s, 1930-1970 after 30 or 60 s)
#   BENCH_SOAK              60             seconds of the correctness run
#   BENCH_SOAK_CONCURRENCY  32
#   BENCH_SLOW_DURATION     30             seconds of the slow-bridge scenario
#   BENCH_SLOW_CONNECTIONS  200            duplicates in flight in the slow-bridge scenario
#   BENCH_HALF_CONNECTIONS  16             paced connections of the half-peak step
#   BENCH_JAVA_OPTS         ""             JVM options of the service added to docker/jvm.options (README's defaults)
#   BENCH_CDS               1              1: start as docker/Dockerfile does (unpacked jar + CDS archive, docker/app-cds.sh); 0: java -jar
#   BENCH_JFR               0              1: record the measured steps with JFR and print the top frames
#   BENCH_NMT               0              1: native memory tracking; its summary after the last step goes to nmt.txt
#   BENCH_CALIBRATE         1              1: step 9, where a duplicate's CPU goes (a service with bench/calibration.camel.yaml beside the routes; ~8 min)
#   BENCH_STARTS            3              starts on the migrated database after the quiet check (the last is the measured run); the report takes their median
#   BENCH_QUIET_LOAD        1.0            wait until the 1-minute load average is below this ...
#   BENCH_QUIET_WAIT        180            ... for at most this many seconds (then run anyway and say so)
#   BENCH_MAX_SECONDS       2700           watchdog: the whole run is stopped after this
#   BENCH_CONVERSATIONS     1000           seeded conversations ...
#   BENCH_PER_CONVERSATION  3              ... each with this many agent text messages
#   BENCH_OUT               bench/out/<time>   where logs and results go
#   BENCH_KEEP              0              1: keep the work folder (PostgreSQL data, build copy)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT=$(cd "$BENCH_DIR/.." && pwd)
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${BENCH_OUT:-$BENCH_DIR/out/$STAMP}
CONCURRENCY=${BENCH_CONCURRENCY:-"1 8 32 128"}
DURATION=${BENCH_DURATION:-15}
ROUNDS=${BENCH_ROUNDS:-2}
WARMUP=${BENCH_WARMUP:-180}
STEP_WARMUP=${BENCH_STEP_WARMUP:-30}
FLOOR_WARMUP=${BENCH_FLOOR_WARMUP:-30}
SOAK=${BENCH_SOAK:-60}
SOAK_C=${BENCH_SOAK_CONCURRENCY:-32}
SLOW=${BENCH_SLOW_DURATION:-30}
SLOW_C=${BENCH_SLOW_CONNECTIONS:-200}
HALF_C=${BENCH_HALF_CONNECTIONS:-16}
SERVICE_JAVA_OPTS="@$PROJECT/docker/jvm.options ${BENCH_JAVA_OPTS:-}"
CDS=${BENCH_CDS:-1}
JFR=${BENCH_JFR:-0}
NMT=${BENCH_NMT:-0}
CALIBRATE=${BENCH_CALIBRATE:-1}
STARTS=${BENCH_STARTS:-3}
QUIET_LOAD=${BENCH_QUIET_LOAD:-1.0}
QUIET_WAIT=${BENCH_QUIET_WAIT:-180}
MAX_SECONDS=${BENCH_MAX_SECONDS:-2700}
CONVERSATIONS=${BENCH_CONVERSATIONS:-1000}
PER_CONVERSATION=${BENCH_PER_CONVERSATION:-3}
KEEP=${BENCH_KEEP:-0}
BRIDGE_TOKEN_VALUE=bench-bridge-token
RUN_TAG=$STAMP-$$
TOKEN=bench-token-$RUN_TAG

mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/dms-bench.XXXXXX)
chmod 755 "$WORK"
LOG=$OUT/run.log
: > "$LOG"

log() { echo "[$(date +%H:%M:%S)] $*" | tee -a "$LOG" >&2; }
die() { log "FAILED: $*"; exit 1; }

# ---------------------------------------------------------------- processes and cleanup
PIDS=()            # our background processes, stopped by id in cleanup
PG_STARTED=0
SVC_PID=
WATCHDOG=

cleanup() {
    local code=$?
    trap - EXIT INT TERM
    set +e
    [ -n "$SVC_PID" ] && stop_service
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null
    done
    if [ "$PG_STARTED" = 1 ]; then
        as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast -w -t 30 stop >> "$OUT/postgres.log" 2>&1
    fi
    [ -n "$WATCHDOG" ] && kill -- "-$WATCHDOG" 2>/dev/null
    if [ "$KEEP" = 1 ]; then
        log "work folder kept: $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$code"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# The watchdog: its own process group (setsid), so that cleanup can stop it and its sleep by id.
setsid bash -c "sleep $MAX_SECONDS; kill -TERM $$" > /dev/null 2>&1 &
WATCHDOG=$!

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

need_package() { # command package
    command -v "$1" > /dev/null 2>&1 && return 0
    [ "$(id -u)" = 0 ] || die "$1 is missing: install Debian's $2"
    log "installing $2"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2"; } >> "$OUT/apt.log" 2>&1 \
        || die "apt-get install $2 (see $OUT/apt.log)"
}

# A port nobody listens on, below the kernel's range for outgoing connections' local ports
# (ip_local_port_range, usually from 32768): a port in that range may be free to listen on
# while a connection of the run uses it as its local port, and then cannot be bound.
free_port() {
    local p low
    low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2> /dev/null || echo 32768)
    [ "$low" -gt 12000 ] || low=32768
    for _ in $(seq 1 200); do
        p=$((10000 + RANDOM % (low - 10000)))
        if ! (exec 3<> "/dev/tcp/127.0.0.1/$p") 2> /dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
load1() { cut -d' ' -f1 /proc/loadavg; }
kv() { tr ' ' '\n' <<< "$1" | awk -F= -v k="$2" '$1 == k { v = $2 } END { print (v == "" ? 0 : v) }'; }
calc() { awk "BEGIN { printf \"%s\", $1 }"; }
TICKS=$(getconf CLK_TCK)
proc_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
host_busy_idle() { awk '/^cpu / { print $2+$3+$4+$7+$8+$9, $5+$6 }' /proc/stat; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

# Peak RSS of a process during a step, until the file $2.stop exists. The kernel's own peak
# (VmHWM) is reset to the current RSS at the step's start (clear_refs 5, Linux 4.0+), so a
# short spike between two samples is counted too; VmRSS sampled every 0.5 s where that is
# not allowed. (A sample alone missed such spikes: 387 MB sampled while VmHWM said 544 MB.)
rss_sampler() {
    local pid=$1 file=$2 max=0 r field=VmRSS
    echo 5 2> /dev/null > "/proc/$pid/clear_refs" && field=VmHWM
    while kill -0 "$pid" 2> /dev/null; do
        r=$(awk -v f="$field:" '$1 == f { print $2 }' "/proc/$pid/status" 2> /dev/null || echo 0)
        [ "${r:-0}" -gt "$max" ] && max=$r
        echo "$max" > "$file"
        [ ! -e "$file.stop" ] || break
        sleep 0.5
    done
}

# ---------------------------------------------------------------- tools
log "results and logs: $OUT"
need_package wrk wrk
need_package curl curl
command -v java > /dev/null && command -v javac > /dev/null || die "a JDK 17+ (java, javac) is needed"

# ---------------------------------------------------------------- 1. build the production jar
SRC=$PROJECT
BUILD_NOTE=
if [ -n "${BENCH_JAR:-}" ]; then
    JAR=$BENCH_JAR
    log "using jar $JAR"
else
    SRC=$WORK/src
    mkdir -p "$SRC"
    log "building the production jar in a copy of the project ($SRC)"
    (cd "$PROJECT" && tar --exclude=target --exclude=.git --exclude=bench/out -cf - .) | tar -C "$SRC" -xf -
    build_start=$(now_ms)
    # README's production build; offline first (the usual case on a machine that built before)
    build() { (cd "$SRC" && ./mvnw -q -B -Dproduction "$@" package) >> "$OUT/build.log" 2>&1; }
    if build -o -DskipTests; then
        :
    elif build -DskipTests; then
        :
    else
        # -DskipTests still compiles the tests, against the production class path
        BUILD_NOTE="README's production build (-Dproduction -DskipTests) FAILED (see build.log); built with -Dmaven.test.skip=true"
        log "$BUILD_NOTE"
        build -o -Dmaven.test.skip=true || build -Dmaven.test.skip=true || die "build failed (see $OUT/build.log)"
    fi
    JAR=$SRC/target/duplicate-message-service.jar
    log "built in $(( ($(now_ms) - build_start) / 1000 )) s: $JAR"
fi
[ -f "$JAR" ] || die "no jar $JAR"
if jar tf "$JAR" | grep -q 'zonky'; then
    die "$JAR has the embedded PostgreSQL: not the production build (-Dproduction)"
fi
ROUTES=$SRC/routes
# The service starts as docker/Dockerfile starts it: the unpacked jar with a CDS archive of its
# start-up classes, docker/jvm.options, and glibc's malloc limited to 2 arenas.
SERVICE_JAR=$JAR
CDS_NOTE="plain \`java -jar\`"
if [ "$CDS" = 1 ]; then
    log "unpacking the jar and recording its CDS archive (docker/app-cds.sh)"
    "$PROJECT/docker/app-cds.sh" "$JAR" "$WORK/cds" "$ROUTES" > "$OUT/app-cds.log" 2>&1 || die "docker/app-cds.sh failed (see $OUT/app-cds.log)"
    SERVICE_JAR=$WORK/cds/duplicate-message-service.jar
    SERVICE_JAVA_OPTS="$SERVICE_JAVA_OPTS -XX:SharedArchiveFile=$WORK/cds/app.jsa"
    CDS_NOTE="unpacked jar + CDS archive (docker/app-cds.sh), as docker/Dockerfile"
fi
POOL=$(awk '/maximum-pool-size:/ { print $2; exit }' "$SRC/src/main/resources/application.yaml")
POOL=${SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE:-${POOL:-10}}

# The service's own PostgreSQL driver, from ~/.m2 (the version in the jar), for Floor and Sql.
PG_DRIVER=$(jar tf "$JAR" | grep -o 'postgresql-[0-9][0-9.]*\.jar' | head -1)
PG_VERSION=${PG_DRIVER#postgresql-}
PG_VERSION=${PG_VERSION%.jar}
PGJAR=$HOME/.m2/repository/org/postgresql/postgresql/$PG_VERSION/postgresql-$PG_VERSION.jar
if [ ! -f "$PGJAR" ]; then
    (cd "$WORK" && jar xf "$JAR" "BOOT-INF/lib/$PG_DRIVER")
    PGJAR=$WORK/BOOT-INF/lib/$PG_DRIVER
fi
CLASSES=$WORK/classes
javac -d "$CLASSES" -cp "$PGJAR" "$BENCH_DIR/Floor.java" "$BENCH_DIR/Sql.java" 2>> "$LOG" || die "javac"
log "JDBC driver $PGJAR"

# ---------------------------------------------------------------- 2. PostgreSQL
if [ -n "${SPRING_DATASOURCE_URL:-}" ]; then
    JDBC=$SPRING_DATASOURCE_URL
    DB_USER=${SPRING_DATASOURCE_USERNAME:-}
    DB_PASSWORD=${SPRING_DATASOURCE_PASSWORD:-}
    PG_DESC="external: $JDBC"
    log "PostgreSQL: $PG_DESC"
else
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -1)
    if [ -z "$PGBIN" ]; then
        [ "$(id -u)" = 0 ] || die "PostgreSQL is missing: install Debian's postgresql"
        log "installing postgresql"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >> "$OUT/apt.log" 2>&1 \
            || die "apt-get install postgresql (see $OUT/apt.log)"
        PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    fi
    PG_PORT=$(free_port)
    mkdir -p "$WORK/pg"
    [ "$(id -u)" = 0 ] && chown postgres "$WORK/pg"
    as_pg "$PGBIN/initdb" -D "$WORK/pg" -U bench -A trust -E UTF8 --no-locale > "$OUT/postgres.log" 2>&1 \
        || die "initdb (see $OUT/postgres.log)"
    as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w -t 60 \
        -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$WORK/pg -c max_connections=100" \
        start >> "$OUT/postgres.log" 2>&1 || { cat "$WORK/pg/server.log" >> "$OUT/postgres.log" 2>/dev/null; die "pg_ctl start (see $OUT/postgres.log)"; }
    PG_STARTED=1
    DB_USER=bench
    DB_PASSWORD=
    BENCH_JDBC_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/postgres BENCH_DB_USER=bench \
        java -cp "$CLASSES:$PGJAR" Sql "CREATE DATABASE platform" || die "create database"
    JDBC=jdbc:postgresql://127.0.0.1:$PG_PORT/platform
    PG_DESC="Debian PostgreSQL $("$PGBIN/postgres" --version | awk '{ print $3 }') on 127.0.0.1:$PG_PORT (default settings, max_connections=100)"
    log "PostgreSQL: $PG_DESC"
fi
sql() { BENCH_JDBC_URL=$JDBC BENCH_DB_USER=$DB_USER BENCH_DB_PASSWORD=$DB_PASSWORD java -cp "$CLASSES:$PGJAR" Sql "$@"; }

# ---------------------------------------------------------------- 3. the bridge stub
STUB_PORT=$(free_port)
java "$BENCH_DIR/Stub.java" --port "$STUB_PORT" --token "$BRIDGE_TOKEN_VALUE" --max-seconds "$MAX_SECONDS" \
    > "$OUT/stub.log" 2>&1 &
PIDS+=($!)
STUB=http://127.0.0.1:$STUB_PORT
for _ in $(seq 1 300); do
    curl -fsS -o /dev/null "$STUB/__stats" 2> /dev/null && break
    sleep 0.1
done
curl -fsS -o /dev/null "$STUB/__stats" || die "the bridge stub did not start (see $OUT/stub.log)"
stub() { curl -fsS -X "${2:-GET}" "$STUB/$1"; }
log "bridge stub: $STUB"

# ---------------------------------------------------------------- 4. the service
SVC_PORT=$(free_port)
SVC=http://127.0.0.1:$SVC_PORT
# SERVICE_EXTRA_CP: more classes for the service (step 9's calibration-floor route): the unpacked
# jar takes them on its class path and starts by its manifest's Main-Class; the executable jar
# through Spring Boot's PropertiesLauncher (loader.path: its own class loader, which sees the jar's
# libraries, e.g. the JDBC driver)
start_service() { # label [extra JVM options]
    local label=$1 extra=${2:-} t0 t1 launch
    launch=(-jar "$SERVICE_JAR")
    if [ -n "${SERVICE_EXTRA_CP:-}" ] && [ "$CDS" = 1 ]; then
        rm -rf "$WORK/manifest" && mkdir -p "$WORK/manifest"
        (cd "$WORK/manifest" && jar xf "$SERVICE_JAR" META-INF/MANIFEST.MF)
        launch=(-cp "$SERVICE_JAR:$SERVICE_EXTRA_CP" "$(awk -F': *' '/^Main-Class/ { print $2 }' "$WORK/manifest/META-INF/MANIFEST.MF" | tr -d '\r')")
    elif [ -n "${SERVICE_EXTRA_CP:-}" ]; then
        launch=(-cp "$SERVICE_JAR" "-Dloader.path=$SERVICE_EXTRA_CP" org.springframework.boot.loader.launch.PropertiesLauncher)
    fi
    t0=$(now_ms)
    # shellcheck disable=SC2086
    SERVER_PORT=$SVC_PORT SPRING_DATASOURCE_URL=$JDBC SPRING_DATASOURCE_USERNAME=$DB_USER \
    SPRING_DATASOURCE_PASSWORD=$DB_PASSWORD BRIDGE_URL=$STUB BRIDGE_TOKEN=$BRIDGE_TOKEN_VALUE \
    ROUTES_DIR=$ROUTES FILES_BASE_URL=http://files.bench.invalid FILES_SIGNING_KEY=bench-signing-key MALLOC_ARENA_MAX=2 \
        java $SERVICE_JAVA_OPTS $extra "${launch[@]}" > "$OUT/service-$label.log" 2>&1 &
    SVC_PID=$!
    while ! curl -fsS -o /dev/null --max-time 1 "$SVC/actuator/health/readiness" 2> /dev/null; do
        kill -0 "$SVC_PID" 2> /dev/null || { SVC_PID=; die "the service stopped (see $OUT/service-$label.log)"; }
        [ $(( $(now_ms) - t0 )) -lt 120000 ] || die "the service was not ready within 120 s"
        sleep 0.05
    done
    t1=$(now_ms)
    STARTUP_MS=$((t1 - t0))
    STARTUP_RSS_KB=$(rss_kb "$SVC_PID")
    STARTED_LINE=$(grep -o 'Started DuplicateMessageApplication in [0-9.]* seconds (process running for [0-9.]*)' \
        "$OUT/service-$label.log" | head -1 || true)
}
stop_service() {
    local pid=$SVC_PID
    SVC_PID=
    kill -TERM "$pid" 2> /dev/null || return 0
    for _ in $(seq 1 300); do
        kill -0 "$pid" 2> /dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
}

log "starting the service on an empty database (Flyway creates the schema)"
start_service first
STARTUP1_MS=$STARTUP_MS
STARTUP1_RSS=$STARTUP_RSS_KB
STARTUP1_LINE=$STARTED_LINE
log "ready after $STARTUP1_MS ms (${STARTED_LINE:-?}), RSS $((STARTUP1_RSS / 1024)) MB"
stop_service

# ---------------------------------------------------------------- seed
log "seeding: $CONVERSATIONS conversations x $PER_CONVERSATION agent text messages"
sed -e "s/@RUN@/$RUN_TAG/g" -e "s/@TOKEN@/$TOKEN/g" -e "s/@CONVERSATIONS@/$CONVERSATIONS/g" \
    -e "s/@PER_CONVERSATION@/$PER_CONVERSATION/g" "$BENCH_DIR/seed.sql" > "$WORK/seed.sql"
sql --file "$WORK/seed.sql" || die "seed"
PAIRS=$OUT/pairs.txt
sql "SELECT m.conversation_id || ' ' || m.id FROM messages m JOIN users u ON u.id = m.user_id
     WHERE u.name = 'bench $RUN_TAG' AND m.duplicate_of_id IS NULL ORDER BY m.id" > "$PAIRS"
log "seeded $(wc -l < "$PAIRS") agent messages ($PAIRS)"

# ---------------------------------------------------------------- quiet machine?
QUIET_START=$(now_ms)
while :; do
    L=$(load1)
    if awk -v l="$L" -v q="$QUIET_LOAD" 'BEGIN { exit !(l < q) }'; then
        QUIET="yes: 1-minute load average $L before measuring"
        break
    fi
    if [ $(( $(now_ms) - QUIET_START )) -ge $((QUIET_WAIT * 1000)) ]; then
        QUIET="NO: 1-minute load average still $L after waiting ${QUIET_WAIT} s; measured anyway"
        break
    fi
    log "waiting for a quiet machine: 1-minute load average $L (want < $QUIET_LOAD)"
    sleep 10
done
log "quiet: $QUIET"

# One start time varies by 20-30 % on a shared machine (6.6-9.5 s for one build within an hour
# here): the service starts $STARTS times on the migrated database, and the report takes the
# median. The last start is the measured run.
JFR_OPTS=
[ "$JFR" = 1 ] && JFR_OPTS="-XX:StartFlightRecording=filename=$OUT/service.jfr,settings=profile,dumponexit=true"
[ "$NMT" = 1 ] && JFR_OPTS="$JFR_OPTS -XX:NativeMemoryTracking=summary"
STARTUP2_ALL=
for i in $(seq 1 "$STARTS"); do
    if [ "$i" -lt "$STARTS" ]; then
        log "starting the service again (migrated database): start $i of $STARTS"
        start_service "start-$i"
        stop_service
    else
        log "starting the service again (migrated database): start $i of $STARTS, the measured run"
        start_service measured "$JFR_OPTS"
    fi
    log "ready after $STARTUP_MS ms (${STARTED_LINE:-?}), RSS $((STARTUP_RSS_KB / 1024)) MB"
    STARTUP2_ALL="$STARTUP2_ALL $STARTUP_MS"
done
STARTUP2_MS=$(printf '%s\n' $STARTUP2_ALL | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
STARTUP2_RSS=$STARTUP_RSS_KB
STARTUP2_LINE=$STARTED_LINE
log "start-up on the migrated database: median $STARTUP2_MS ms of$STARTUP2_ALL"
MAX_RSS_KB=$STARTUP2_RSS

export BENCH_PAIRS=$PAIRS BENCH_TOKEN=$TOKEN

# ---------------------------------------------------------------- measuring helpers
# One wrk run against the service with its RSS and CPU. Sets R (the RESULT line), R_RSS_KB, R_CPU, R_HOST.
wrk_step() { # name connections seconds mode [pace_ms] [timeout] [count: 1 = count replies in Lua]
    local name=$1 c=$2 d=$3 mode=$4 pace=${5:-0} timeout=${6:-10s} count=${7:-0} t cpu0 cpu1 w0 w1 h0 h1
    t=$(( c < 2 ? 1 : 2 ))
    rm -f "$OUT/rss-$name" "$OUT/rss-$name.stop"
    rss_sampler "$SVC_PID" "$OUT/rss-$name" &
    local sampler=$!
    cpu0=$(proc_cpu_ticks "$SVC_PID"); w0=$(now_ms); h0=$(host_busy_idle)
    BENCH_MODE=$mode BENCH_PACE_MS=$pace BENCH_COUNT=$count wrk -t"$t" -c"$c" -d"${d}s" --timeout "$timeout" \
        -s "$BENCH_DIR/requests.lua" "$SVC" > "$OUT/wrk-$name.txt" 2>&1 || true
    cpu1=$(proc_cpu_ticks "$SVC_PID"); w1=$(now_ms); h1=$(host_busy_idle)
    touch "$OUT/rss-$name.stop"
    wait "$sampler" 2> /dev/null || true
    R=$(grep '^RESULT' "$OUT/wrk-$name.txt" || true)
    [ -n "$R" ] || die "wrk gave no result (see $OUT/wrk-$name.txt)"
    R_RSS_KB=$(cat "$OUT/rss-$name" 2> /dev/null || echo 0)
    [ "$R_RSS_KB" -gt "$MAX_RSS_KB" ] && MAX_RSS_KB=$R_RSS_KB
    R_CPU=$(calc "sprintf(\"%.2f\", ($cpu1 - $cpu0) / $TICKS / (($w1 - $w0) / 1000))")
    R_CPU_MS=$(calc "sprintf(\"%.3f\", ($cpu1 - $cpu0) / $TICKS * 1000 / ($(kv "$R" requests) + 0.000001))")
    R_HOST=$(awk -v a="$h0" -v b="$h1" 'BEGIN { split(a, x, " "); split(b, y, " ");
        busy = y[1] - x[1]; idle = y[2] - x[2]; printf "%.0f", 100 * busy / (busy + idle) }')
}

# Correctness of everything created since watermark $1: waits for the sends to finish, then
# compares the duplicates in the database with the keys the bridge stub saw. Sets C_* and C_OK.
check_step() { # name watermark n200 connections
    local name=$1 wm=$2 n200=$3 c=$4 left stats resent0
    for _ in $(seq 1 240); do
        left=$(sql "SELECT count(*) FROM messages WHERE id > $wm AND duplicate_of_id IS NOT NULL AND status = 'created'")
        stats=$(stub __stats)
        [ "$left" = 0 ] && grep -q '"in_flight":0,' <<< "$stats" && break
        sleep 0.5
    done
    sleep 0.5
    stats=$(stub __stats)
    C_RESENT=$(( $(grep -c 'Resending duplicate' "$OUT/service-measured.log" || true) - ${RESENT_SEEN:-0} ))
    RESENT_SEEN=$(grep -c 'Resending duplicate' "$OUT/service-measured.log" || true)
    read -r C_CREATED C_SENT C_ERROR C_LEFT <<< "$(sql "SELECT count(*), count(*) FILTER (WHERE status = 'sent'),
        count(*) FILTER (WHERE status = 'error'), count(*) FILTER (WHERE status = 'created')
        FROM messages WHERE id > $wm AND duplicate_of_id IS NOT NULL" | tr '\t' ' ')"
    sql "SELECT 'message-' || id FROM messages WHERE id > $wm AND duplicate_of_id IS NOT NULL" | sort > "$OUT/db-keys-$name.txt"
    stub __keys | awk '{ print $1 }' | sort > "$OUT/bridge-keys-$name.txt"
    C_KEYS=$(wc -l < "$OUT/bridge-keys-$name.txt")
    C_LOST=$(comm -23 "$OUT/db-keys-$name.txt" "$OUT/bridge-keys-$name.txt" | wc -l)
    C_UNKNOWN=$(comm -13 "$OUT/db-keys-$name.txt" "$OUT/bridge-keys-$name.txt" | wc -l)
    C_TWICE=$(grep -o '"keys_accepted_twice":[0-9]*' <<< "$stats" | cut -d: -f2)
    C_BADKEY=$(grep -o '"bad_key":[0-9]*' <<< "$stats" | cut -d: -f2)
    C_BADTOKEN=$(grep -o '"bad_token":[0-9]*' <<< "$stats" | cut -d: -f2)
    C_ATTEMPTS=$(grep -o '"attempts":[0-9]*' <<< "$stats" | cut -d: -f2)
    if [ "$n200" = - ]; then n200=$C_CREATED; fi # the floor finishes every call it began
    C_ABANDONED=$((C_CREATED - n200))
    C_OK=ok
    if [ "$C_CREATED" != "$C_KEYS" ] || [ "$C_LOST" != 0 ] || [ "$C_UNKNOWN" != 0 ] || [ "$C_TWICE" != 0 ] \
        || [ "$C_BADKEY" != 0 ] || [ "$C_BADTOKEN" != 0 ] || [ "$C_LEFT" != 0 ] \
        || [ "$C_ABANDONED" -lt 0 ] || [ "$C_ABANDONED" -gt "$c" ]; then
        C_OK=FAILED
    fi
    C_TEXT="stored $C_CREATED = bridge keys $C_KEYS (attempts $C_ATTEMPTS); 200s $n200 + $C_ABANDONED stored without a 200 (wrk abandons <= $c in flight at its stop); lost $C_LOST, unknown to the DB $C_UNKNOWN; same key accepted twice $C_TWICE (resent by the recovery route: $C_RESENT); sent $C_SENT, error $C_ERROR, still created $C_LEFT"
    echo "$name: $C_OK: $C_TEXT stub=$stats" >> "$OUT/correctness.txt"
}
watermark() { sql "SELECT coalesce(max(id), 0) FROM messages"; }

# ---------------------------------------------------------------- 5. the sweep, route and floor in turn
log "warm-up: ${WARMUP} s at 8 connections"
wrk_step warmup 8 "$WARMUP" duplicate
log "warm-up: $(kv "$R" rps) req/s"

declare -A S_MEAN F_MEAN RATIOS S_RPS S_P50 S_P95 S_P99 S_BAD S_RSS S_CPU S_CPUMS S_HOST S_LOAD S_OK F_RPS F_P50 F_P95 F_P99 F_ERR F_CPU F_CPUMS F_OK
# The floor (bench/Floor.java) at $2 threads, FLOOR_WARMUP s + DURATION s, output in floor-$1.txt;
# F is its FLOOR line
run_floor() { # label threads
    java -cp "$CLASSES:$PGJAR" Floor --jdbc "$JDBC" --user "$DB_USER" --password "$DB_PASSWORD" \
        --bridge "$STUB" --bridge-token "$BRIDGE_TOKEN_VALUE" --token "$TOKEN" --pairs "$PAIRS" --project "$SRC" \
        --threads "$2" --pool "$POOL" --duration "$DURATION" --warmup "$FLOOR_WARMUP" > "$OUT/floor-$1.txt" 2>&1 || true
    F=$(grep '^FLOOR' "$OUT/floor-$1.txt" || true)
    [ -n "$F" ] || die "the floor gave no result (see $OUT/floor-$1.txt)"
    # a floor that fails is no floor (a statement of the routes changed: update bench/Floor.java);
    # a rare failed call (a bridge call past its 5 s timeout) is only reported: the floor
    # prints the first five bridge failures, warm-up included, into its file
    if awk -v e="$(kv "$F" errors)" -v r="$(kv "$F" requests)" 'BEGIN { exit !(e * 100 > r) }'; then
        die "the floor failed $(kv "$F" errors) of $(kv "$F" requests) duplicates (see $OUT/floor-$1.txt)"
    fi
}
# mean_of ARRAY C [FORMAT]: the mean of ARRAY[C/1..ROUNDS] (printf FORMAT, default %.1f)
mean_of() {
    local -n values=$1
    local r
    for r in $(seq 1 "$ROUNDS"); do echo "${values[$2/$r]}"; done | awk -v f="${3:-%.1f}" '{ sum += $1 } END { printf f, sum / NR }'
}
PEAK=0
PEAK_C=
for c in $CONCURRENCY; do
    if [ "$STEP_WARMUP" -gt 0 ]; then
        log "route: $c connections, ${STEP_WARMUP} s warm-up (not measured)"
        wrk_step "warmup-c$c" "$c" "$STEP_WARMUP" duplicate
    fi
    for r in $(seq 1 "$ROUNDS"); do
        # route and floor take turns, so a drift of the machine's speed during the sweep touches both
        k=$c/$r; sfx=$([ "$ROUNDS" -gt 1 ] && echo "-r$r" || true)
        S_LOAD[$k]=$(load1)
        stub __reset POST > /dev/null
        wm=$(watermark)
        log "route: $c connections, round $r/$ROUNDS, ${DURATION} s"
        wrk_step "route-c$c$sfx" "$c" "$DURATION" duplicate
        S_RPS[$k]=$(kv "$R" rps); S_P50[$k]=$(kv "$R" p50_ms); S_P95[$k]=$(kv "$R" p95_ms); S_P99[$k]=$(kv "$R" p99_ms)
        bad=$(( $(kv "$R" s401) + $(kv "$R" s404) + $(kv "$R" s4xx) + $(kv "$R" s5xx) + $(kv "$R" sother) ))
        sock=$(( $(kv "$R" connect_err) + $(kv "$R" read_err) + $(kv "$R" write_err) + $(kv "$R" timeout_err) ))
        S_RSS[$k]=$((R_RSS_KB / 1024)); S_CPU[$k]=$R_CPU; S_CPUMS[$k]=$R_CPU_MS; S_HOST[$k]=$R_HOST
        check_step "route-c$c$sfx" "$wm" "$(kv "$R" s200)" "$c"
        S_BAD[$k]="$bad / $sock / $C_ERROR"
        S_OK[$k]=$C_OK
        log "route c=$c round $r: ${S_RPS[$k]} req/s p50 ${S_P50[$k]} p99 ${S_P99[$k]} ms, non-2xx/socket/error-status ${S_BAD[$k]}, RSS ${S_RSS[$k]} MB, CPU ${S_CPU[$k]}, host ${S_HOST[$k]}%; $C_OK: $C_TEXT"

        stub __reset POST > /dev/null
        wm=$(watermark)
        log "floor: $c threads, round $r/$ROUNDS, ${FLOOR_WARMUP} s warm-up + ${DURATION} s"
        run_floor "c$c$sfx" "$c"
        F_RPS[$k]=$(kv "$F" rps); F_P50[$k]=$(kv "$F" p50_ms); F_P95[$k]=$(kv "$F" p95_ms); F_P99[$k]=$(kv "$F" p99_ms)
        F_ERR[$k]=$(kv "$F" errors); F_CPU[$k]=$(calc "sprintf(\"%.2f\", $(kv "$F" cpu_s) / $(kv "$F" seconds))")
        F_CPUMS[$k]=$(calc "sprintf(\"%.3f\", $(kv "$F" cpu_s) * 1000 / ($(kv "$F" requests) + 0.000001))")
        check_step "floor-c$c$sfx" "$wm" - "$c"
        F_OK[$k]=$C_OK
        log "floor c=$c round $r: ${F_RPS[$k]} req/s p50 ${F_P50[$k]} p99 ${F_P99[$k]} ms, errors ${F_ERR[$k]}, bridge calls not sent (warm-up included, each a stored error) $(kv "$F" bridge_failures); $C_OK"
    done
    S_MEAN[$c]=$(mean_of S_RPS "$c"); F_MEAN[$c]=$(mean_of F_RPS "$c")
    RATIOS[$c]=$(for r in $(seq 1 "$ROUNDS"); do calc "sprintf(\"%.0f%%\\n\", 100 * ${S_RPS[$c/$r]} / ${F_RPS[$c/$r]})"; done | paste -sd' ')
    log "c=$c: route ${S_MEAN[$c]} req/s, floor ${F_MEAN[$c]} req/s (means of $ROUNDS rounds); route ÷ floor by round: ${RATIOS[$c]}"
    if awk -v a="${S_MEAN[$c]}" -v b="$PEAK" 'BEGIN { exit !(a > b) }'; then PEAK=${S_MEAN[$c]}; PEAK_C=$c; fi
done

# ---------------------------------------------------------------- 6. p99 at about half of peak
HALF_TARGET=$(calc "$PEAK / 2")
log "half of peak ($PEAK req/s at $PEAK_C connections): target $HALF_TARGET req/s with $HALF_C paced connections"
# connections / rate = mean pace + latency: start from the latency of one caller, then correct
# the pace twice by what a 5 s probe achieved
first_c=${CONCURRENCY%% *}
pace=$(calc "int($HALF_C * 1000 / $HALF_TARGET - ${S_P50[$first_c/1]:-0} + 0.5)")
[ "$pace" -lt 1 ] && pace=1
for probe in 1 2; do
    wrk_step "half-probe$probe" "$HALF_C" 5 duplicate "$pace"
    probe_rps=$(kv "$R" rps)
    awk -v r="$probe_rps" 'BEGIN { exit !(r > 0) }' || break
    pace=$(calc "int($pace + $HALF_C * 1000 / $HALF_TARGET - $HALF_C * 1000 / $probe_rps + 0.5)")
    [ "$pace" -lt 1 ] && pace=1
    log "half of peak, probe $probe: $probe_rps req/s; pace now $pace ms"
done
stub __reset POST > /dev/null
wm=$(watermark)
wrk_step half "$HALF_C" "$DURATION" duplicate "$pace"
H=$R
H_RSS=$((R_RSS_KB / 1024)); H_CPU=$R_CPU; H_PACE=$pace
check_step half "$wm" "$(kv "$H" s200)" "$HALF_C"
H_OK=$C_OK
log "half: $(kv "$H" rps) req/s (target $HALF_TARGET, pace $pace ms), p50 $(kv "$H" p50_ms) p95 $(kv "$H" p95_ms) p99 $(kv "$H" p99_ms) ms; $C_OK"

# ---------------------------------------------------------------- 7. the correctness run
stub __reset POST > /dev/null
wm=$(watermark)
log "correctness run: ${SOAK} s at $SOAK_C connections"
wrk_step soak "$SOAK_C" "$SOAK" duplicate
SK=$R
SK_RSS=$((R_RSS_KB / 1024)); SK_CPU=$R_CPU
check_step soak "$wm" "$(kv "$SK" s200)" "$SOAK_C"
SK_OK=$C_OK; SK_TEXT=$C_TEXT
SK_BAD=$(( $(kv "$SK" s401) + $(kv "$SK" s404) + $(kv "$SK" s4xx) + $(kv "$SK" s5xx) + $(kv "$SK" sother) ))
SK_SOCK=$(( $(kv "$SK" connect_err) + $(kv "$SK" read_err) + $(kv "$SK" write_err) + $(kv "$SK" timeout_err) ))
SK_ERRSTATUS=$C_ERROR
log "correctness run: $(kv "$SK" rps) req/s, non-2xx $SK_BAD, socket errors $SK_SOCK, error status $SK_ERRSTATUS; $SK_OK: $SK_TEXT"

# ---------------------------------------------------------------- 8. the slow bridge
log "slow bridge: 1 s per attempt, every third attempt 503; $SLOW_C duplicates in flight for ${SLOW} s"
stub "__config?delayMs=1000&failRatio=0.333333333333" POST > /dev/null
stub __reset POST > /dev/null
wm=$(watermark)
side=$((SLOW - 10))
[ "$side" -lt 5 ] && side=5
(
    sleep 5
    BENCH_MODE=get BENCH_COUNT=1 wrk -t1 -c2 -d"${side}s" --timeout 10s -s "$BENCH_DIR/requests.lua" "$SVC" > "$OUT/wrk-slow-get.txt" 2>&1 || true
) &
side_get=$!
PIDS+=($side_get)
(
    sleep 5
    BENCH_MODE=unauth BENCH_COUNT=1 wrk -t1 -c2 -d"${side}s" --timeout 10s -s "$BENCH_DIR/requests.lua" "$SVC" > "$OUT/wrk-slow-401.txt" 2>&1 || true
) &
side_401=$!
PIDS+=($side_401)
wrk_step slow "$SLOW_C" "$SLOW" duplicate 0 60s 1
SL=$R
SL_RSS=$((R_RSS_KB / 1024)); SL_CPU=$R_CPU
wait "$side_get" "$side_401" 2> /dev/null || true
SG=$(grep '^RESULT' "$OUT/wrk-slow-get.txt" || echo "RESULT")
SU=$(grep '^RESULT' "$OUT/wrk-slow-401.txt" || echo "RESULT")
check_step slow "$wm" "$(kv "$SL" s200)" "$SLOW_C"
SL_OK=$C_OK; SL_TEXT=$C_TEXT
SL_STUB=$(stub __stats)
SL_BRIDGE_MAX=$(grep -o '"max_in_flight":[0-9]*' <<< "$SL_STUB" | cut -d: -f2)
sql "SELECT count(*), regexp_replace(left(original_message, 90), '[0-9]+ MILLISECONDS', 'N MILLISECONDS', 'g')
     FROM message_errors WHERE message_id > $wm GROUP BY 2 ORDER BY 1 DESC" > "$OUT/slow-errors.txt"
SL_ERRORS=$(awk -F'\t' '{ printf "%s%s × `%s`", (NR > 1 ? "; " : ""), $1, $2 }' "$OUT/slow-errors.txt")
stub "__config?delayMs=0&failRatio=0" POST > /dev/null
log "slow bridge: duplicates $(kv "$SL" rps) req/s p50 $(kv "$SL" p50_ms) p99 $(kv "$SL" p99_ms) ms (sent $(kv "$SL" sent), error $(kv "$SL" errstatus)); Get Message p99 $(kv "$SG" p99_ms) ms ($(kv "$SG" s200) x 200); 401 p99 $(kv "$SU" p99_ms) ms ($(kv "$SU" s401) x 401); $SL_OK: $SL_TEXT"

if [ "$NMT" = 1 ]; then
    { grep -E '^(VmRSS|VmHWM|Threads)' "/proc/$SVC_PID/status"; jcmd "$SVC_PID" VM.native_memory summary; } > "$OUT/nmt.txt" 2>&1 || true
fi
FINAL_LOAD=$(load1)
stop_service

# ---------------------------------------------------------------- 9. where a duplicate's CPU goes
# A service started for this step only, with bench/calibration.camel.yaml beside the routes:
# the service's CPU per request of a route that does nothing (HTTP in and out + one route), of
# one with 30 more steps, of one with 7 more hops into routes of their own, and of one whose one
# step is the floor's work (Floor.duplicate(): its classes on this service's class path), in
# turns with the floor itself; then of the duplicate, at 32 connections. Not one of the targets
# (its RSS is not counted).
if [ "$CALIBRATE" = 1 ]; then
    log "calibration: a service with bench/calibration.camel.yaml beside the routes"
    mkdir -p "$WORK/calibration-routes"
    cp "$ROUTES"/*.camel.yaml "$BENCH_DIR/calibration.camel.yaml" "$WORK/calibration-routes/"
    budget_rss_kb=$MAX_RSS_KB
    ROUTES=$WORK/calibration-routes SERVICE_EXTRA_CP=$CLASSES start_service calibration \
        "-Dbench.floor.token=$TOKEN -Dbench.floor.pairs=$PAIRS -Dbench.floor.project=$SRC -Dbench.floor.pool=$POOL"
    wrk_step calibration-warmup 32 60 duplicate
    declare -A K_CPUMS K_RPS
    # each warmed up in turn, then measured in turns ($ROUNDS rounds, means): a route that has
    # just started to be called runs faster for a minute or more as the JIT compiles its path
    for name in empty steps hops floor empty steps hops floor; do
        BENCH_PATH=/bench-calibration/$name wrk_step "calibration-$name-warmup" 32 20 calibration
    done
    for r in $(seq 1 "$ROUNDS"); do
        for name in empty steps hops floor; do
            BENCH_PATH=/bench-calibration/$name wrk_step "calibration-$name-r$r" 32 "$DURATION" calibration
            [ "$(kv "$R" s200)" -gt 0 ] && [ "$(kv "$R" s4xx)" = 0 ] || die "calibration route $name did not answer 200 (see $OUT/wrk-calibration-$name-r$r.txt)"
            K_CPUMS[$name/$r]=$R_CPU_MS; K_RPS[$name/$r]=$(kv "$R" rps)
            log "calibration $name round $r: $(kv "$R" rps) req/s, service CPU ${R_CPU_MS} ms per request"
        done
        # the floor itself, in turn with its work inside the service (route floor)
        run_floor "calibration-r$r" 32
        K_RPS[alone/$r]=$(kv "$F" rps)
        log "calibration: the floor at 32 threads, round $r: $(kv "$F" rps) req/s"
    done
    for name in empty steps hops floor; do
        K_CPUMS[$name]=$(mean_of K_CPUMS "$name" %.3f)
        K_RPS[$name]=$(mean_of K_RPS "$name")
    done
    K_RPS[alone]=$(mean_of K_RPS alone)
    wrk_step calibration-duplicate-warmup 32 30 duplicate
    stub __reset POST > /dev/null
    wm=$(watermark)
    wrk_step calibration-duplicate 32 "$DURATION" duplicate
    check_step calibration-duplicate "$wm" "$(kv "$R" s200)" 32
    K_CPUMS[duplicate]=$R_CPU_MS; K_RPS[duplicate]=$(kv "$R" rps)
    log "calibration duplicate: $(kv "$R" rps) req/s, service CPU ${R_CPU_MS} ms per request; $C_OK"
    stop_service
    MAX_RSS_KB=$budget_rss_kb
    F_CPUMS_32=
    S_CPUMS_32=
    [ -n "${F_MEAN[32]:-}" ] && F_CPUMS_32=$(mean_of F_CPUMS 32 %.3f) && S_CPUMS_32=$(mean_of S_CPUMS 32 %.3f)
fi

# ---------------------------------------------------------------- JFR summary
if [ "$JFR" = 1 ] && [ -f "$OUT/service.jfr" ]; then
    log "JFR: top frames of the service's execution samples"
    "$BENCH_DIR/jfr-summary.sh" "$OUT/service.jfr" 25 > "$OUT/jfr-top.txt" 2>&1 || true
    head -60 "$OUT/jfr-top.txt" >&2
fi

# ---------------------------------------------------------------- results
verdict() { if awk "BEGIN { exit !($1) }"; then echo met; else echo MISSED; fi; }
RESULTS=$OUT/results.md
{
    echo "## Benchmark results ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
    echo
    echo "- project: $(git -C "$PROJECT" rev-parse --short HEAD 2> /dev/null || echo '?')$( [ -n "$(git -C "$PROJECT" status --porcelain 2> /dev/null | grep -v '^?? bench/\|^ M bench/\|^A  bench/')" ] && echo ' + uncommitted changes')"
    echo "- machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); quiet: $QUIET; load at the end $FINAL_LOAD"
    [ -n "${BUILD_NOTE:-}" ] && echo "- build: $BUILD_NOTE"
    echo "- service: production jar, $CDS_NOTE, \`java $SERVICE_JAVA_OPTS -jar\`, MALLOC_ARENA_MAX=2 ($(java -version 2>&1 | head -1)), Hikari pool $POOL"
    echo "- PostgreSQL: $PG_DESC"
    echo "- data: $(wc -l < "$PAIRS") agent text messages in $CONVERSATIONS conversations; each request duplicates a random one"
    echo "- bridge stub: bench/Stub.java on loopback, 200 at once unless said otherwise"
    echo
    echo "### Start-up"
    echo
    echo "| start | to ready (process start → first 200 of /actuator/health/readiness) | Spring's own line | RSS when ready |"
    echo "| --- | --- | --- | --- |"
    echo "| empty database (Flyway migrates; right after the build, before the quiet check) | $STARTUP1_MS ms | ${STARTUP1_LINE:-?} | $((STARTUP1_RSS / 1024)) MB |"
    echo "| migrated database: median of $STARTS starts (ms:$STARTUP2_ALL; Spring's line and RSS of the last, the measured run) | $STARTUP2_MS ms | ${STARTUP2_LINE:-?} | $((STARTUP2_RSS / 1024)) MB |"
    echo
    echo "### Duplicate Message: route vs floor ($ROUNDS rounds of ${DURATION} s per step, route and floor taking turns)"
    echo
    echo "| callers | route req/s (mean of rounds) | floor req/s (mean of rounds) | route ÷ floor | route ÷ floor by round |"
    echo "| ---: | ---: | ---: | ---: | --- |"
    for c in $CONCURRENCY; do
        echo "| $c | ${S_MEAN[$c]} | ${F_MEAN[$c]} | $(calc "sprintf(\"%.0f%%\", 100 * ${S_MEAN[$c]} / ${F_MEAN[$c]})") | ${RATIOS[$c]} |"
    done
    echo
    echo "Each round:"
    echo
    echo "| callers / round | route req/s | p50 ms | p95 ms | p99 ms | non-2xx / socket err / status error | RSS max MB | CPU s/s | CPU ms/req | host CPU % | floor req/s | floor p50 | floor p95 | floor p99 | floor CPU s/s | floor CPU ms/req | route ÷ floor | DB = bridge (route / floor) | load1 |"
    echo "| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |"
    for c in $CONCURRENCY; do
        for r in $(seq 1 "$ROUNDS"); do
            k=$c/$r
            ratio=$(calc "sprintf(\"%.0f%%\", 100 * ${S_RPS[$k]} / ${F_RPS[$k]})")
            echo "| $k | ${S_RPS[$k]} | ${S_P50[$k]} | ${S_P95[$k]} | ${S_P99[$k]} | ${S_BAD[$k]} | ${S_RSS[$k]} | ${S_CPU[$k]} | ${S_CPUMS[$k]} | ${S_HOST[$k]} | ${F_RPS[$k]} | ${F_P50[$k]} | ${F_P95[$k]} | ${F_P99[$k]} | ${F_CPU[$k]} | ${F_CPUMS[$k]} | $ratio | ${S_OK[$k]} / ${F_OK[$k]} | ${S_LOAD[$k]} |"
        done
    done
    echo
    echo "### p99 at about half of peak"
    echo
    echo "Peak $PEAK req/s (at $PEAK_C connections). wrk has no fixed-rate mode (wrk2 is not in Debian), so $HALF_C connections"
    echo "each wait a random 0–$((2 * H_PACE)) ms between requests (wrk's \`delay()\`, mean $H_PACE ms, tuned by two 5 s probes)"
    echo "to offer about half of peak; latency is measured per request from its send, not corrected for coordinated omission."
    echo
    echo "| target req/s | achieved req/s | p50 ms | p95 ms | p99 ms | max ms | RSS max MB | CPU s/s | DB = bridge |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    echo "| $HALF_TARGET | $(kv "$H" rps) | $(kv "$H" p50_ms) | $(kv "$H" p95_ms) | $(kv "$H" p99_ms) | $(kv "$H" max_ms) | $H_RSS | $H_CPU | $H_OK |"
    echo
    echo "### Correctness run (${SOAK} s, $SOAK_C connections)"
    echo
    echo "$(kv "$SK" rps) req/s, p99 $(kv "$SK" p99_ms) ms, RSS max $SK_RSS MB, CPU $SK_CPU s/s; non-2xx $SK_BAD, socket errors $SK_SOCK, replies with status error $SK_ERRSTATUS."
    echo "$SK_OK: $SK_TEXT."
    echo
    echo "### Slow bridge (1 s per attempt, every third attempt 503; $SLOW_C duplicates in flight, ${SLOW} s)"
    echo
    echo "| requests | req/s | p50 ms | p99 ms | max ms | replies |"
    echo "| --- | ---: | ---: | ---: | ---: | --- |"
    echo "| duplicate ($SLOW_C connections) | $(kv "$SL" rps) | $(kv "$SL" p50_ms) | $(kv "$SL" p99_ms) | $(kv "$SL" max_ms) | 200 sent $(kv "$SL" sent), 200 error $(kv "$SL" errstatus), non-2xx $(( $(kv "$SL" s4xx) + $(kv "$SL" s5xx) + $(kv "$SL" s404) + $(kv "$SL" s401) )), socket errors $(( $(kv "$SL" timeout_err) + $(kv "$SL" read_err) + $(kv "$SL" connect_err) )) |"
    echo "| Get Message (2 connections, from 5 s on) | $(kv "$SG" rps) | $(kv "$SG" p50_ms) | $(kv "$SG" p99_ms) | $(kv "$SG" max_ms) | 200: $(kv "$SG" s200), other: $(( $(kv "$SG" requests) - $(kv "$SG" s200) )) |"
    echo "| duplicate with an unknown token (2 connections) | $(kv "$SU" rps) | $(kv "$SU" p50_ms) | $(kv "$SU" p99_ms) | $(kv "$SU" max_ms) | 401: $(kv "$SU" s401), other: $(( $(kv "$SU" requests) - $(kv "$SU" s401) )) |"
    echo
    echo "RSS max $SL_RSS MB, CPU $SL_CPU s/s. Most bridge calls in flight at once (stub): $SL_BRIDGE_MAX."
    echo "Stored errors: ${SL_ERRORS:-none}."
    echo "$SL_OK: $SL_TEXT."
    echo
    if [ "$CALIBRATE" = 1 ]; then
        echo "### Where a duplicate's CPU goes (32 connections; a service with bench/calibration.camel.yaml beside the routes)"
        echo
        echo "Service CPU per request of calibration routes (empty, steps, hops: a constant, no database, no bridge; floor: one duplicate in plain calls); means of $ROUNDS rounds taken in turns:"
        echo
        echo "| request | req/s | service CPU ms per request |"
        echo "| --- | ---: | ---: |"
        echo "| empty: HTTP in and out + one route of two steps | ${K_RPS[empty]} | ${K_CPUMS[empty]} |"
        echo "| steps: empty + 30 setVariable steps | ${K_RPS[steps]} | ${K_CPUMS[steps]} |"
        echo "| hops: empty + 7 hops into routes of one step (a duplicate passes 8 routes) | ${K_RPS[hops]} | ${K_CPUMS[hops]} |"
        echo "| floor: the floor's own work (bench/Floor.java, the same statements and bridge call) as one bean step of such a route | ${K_RPS[floor]} | ${K_CPUMS[floor]} |"
        echo "| Duplicate Message (same service, after 30 s of warm-up) | ${K_RPS[duplicate]} | ${K_CPUMS[duplicate]} |"
        [ -n "${S_CPUMS_32:-}" ] && echo "| (Duplicate Message in the sweep at 32: the measured service, mean of its rounds) | ${S_MEAN[32]} | $S_CPUMS_32 |"
        echo
        step_us=$(calc "sprintf(\"%.1f\", (${K_CPUMS[steps]} - ${K_CPUMS[empty]}) * 1000 / 30)")
        hop_us=$(calc "sprintf(\"%.1f\", (${K_CPUMS[hops]} - ${K_CPUMS[empty]}) * 1000 / 7)")
        echo "One more step costs about $step_us µs of CPU, one more route hop about $hop_us µs (each hop with its one step)."
        echo "The floor's work inside the service (route floor) reaches $(calc "sprintf(\"%.0f%%\", 100 * ${K_RPS[floor]} / ${K_RPS[alone]})") of the floor's own throughput at 32 (${K_RPS[floor]} against ${K_RPS[alone]} req/s, the floor run in turns with the routes):"
        echo "the most a route on this stack (Tomcat, Spring MVC, platform-http, one Camel route) can reach against the floor, whatever it does with the database and the bridge."
        echo "The Duplicate Message route on the same service: $(calc "sprintf(\"%.0f%%\", 100 * ${K_RPS[duplicate]} / ${K_RPS[alone]})")."
        if [ -n "${F_CPUMS_32:-}" ]; then
            echo "The floor's own CPU per duplicate (plain JDBC and java.net.http, the same statements and bridge call; mean of the sweep's rounds at 32) is $F_CPUMS_32 ms;"
            echo "what the duplicate costs the service beyond the floor and the empty route is $(calc "sprintf(\"%.2f\", ${K_CPUMS[duplicate]} - $F_CPUMS_32 - ${K_CPUMS[empty]})") ms:"
            echo "its steps and hops, and the components' work beyond plain calls (camel-sql with Spring JDBC and Hikari, camel-http, bean binding, Jackson, the Message mapping)."
        fi
        echo
    fi
    echo "### Targets"
    echo
    echo "| target | measured | verdict |"
    echo "| --- | --- | --- |"
    if [ -n "${S_MEAN[32]:-}" ]; then
        r32=${S_MEAN[32]}; f32=${F_MEAN[32]}
        echo "| throughput ≥ 80% of the floor at 32 callers | $r32 vs $f32 req/s (means of $ROUNDS rounds; by round ${RATIOS[32]}) = $(calc "sprintf(\"%.0f%%\", 100 * $r32 / $f32)") | $(verdict "$r32 >= 0.8 * $f32") |"
    else
        echo "| throughput ≥ 80% of the floor at 32 callers | 32 not in BENCH_CONCURRENCY | n/a |"
    fi
    echo "| p99 ≤ 50 ms at half of peak throughput | $(kv "$H" p99_ms) ms at $(kv "$H" rps) req/s | $(verdict "$(kv "$H" p99_ms) <= 50") |"
    echo "| no errors, no lost or doubled message over a ${SOAK} s run | non-2xx $SK_BAD, socket errors $SK_SOCK, error status $SK_ERRSTATUS; $SK_OK | $(verdict "$SK_BAD + $SK_SOCK + $SK_ERRSTATUS == 0 && \"$SK_OK\" == \"ok\"") |"
    echo "| RSS ≤ 400 MB under load | max $((MAX_RSS_KB / 1024)) MB (the highest step peak, VmHWM) | $(verdict "$MAX_RSS_KB <= 400 * 1024") |"
    echo "| start-up ≤ 8 s to ready against an external PostgreSQL | $STARTUP2_MS ms (median of$STARTUP2_ALL ms, migrated database); first start $STARTUP1_MS ms (Flyway migrates) | $(verdict "$STARTUP2_MS <= 8000") |"
    echo "| slow bridge: Get Message and 401 p99 < 50 ms | $(kv "$SG" p99_ms) ms / $(kv "$SU" p99_ms) ms | $(verdict "$(kv "$SG" p99_ms) < 50 && $(kv "$SU" p99_ms) < 50 && $(kv "$SG" requests) > 0 && $(kv "$SU" requests) > 0") |"
    echo "| slow bridge: no lost or doubled message | $SL_OK | $(verdict "\"$SL_OK\" == \"ok\"") |"
} > "$RESULTS"
cat "$RESULTS"
log "results: $RESULTS"
