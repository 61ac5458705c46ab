#!/usr/bin/env bash
# The benchmark of the Duplicate Message service: one command, loopback only, bounded in time,
# cleans up after itself. See bench/README.md.
#
#   bench/run.sh
#
# Builds the production jar (in a copy of the project) and the peer (bench/peer: the same text
# duplicate written by hand with Spring MVC, JdbcTemplate with its own SQL, and java.net.http);
# starts PostgreSQL (Debian's server package on a free loopback port, or
# SPRING_DATASOURCE_URL if given) and the bridge stub (bench/Stub.java); measures start-up; runs
# the service and the peer in turns at 32 callers, both with docker/jvm.options and both as plain
# `java -jar` (req/s, p50/p99, CPU per duplicate of the process and of PostgreSQL, database round
# trips per duplicate); then, on the service: p99 at about half of peak, a 60 s correctness run and
# a slow bridge; and prints a results table with the targets' verdicts (also written to
# bench/out/<time>/results.md).
#
# Settings (environment, all optional):
#   SPRING_DATASOURCE_URL/_USERNAME/_PASSWORD  an external PostgreSQL (a scratch database: rows are added, never removed; its CPU is then not measured)
#   BENCH_JAR               use this production jar instead of building one
#   BENCH_CALLERS           32             wrk connections of the comparison with the peer
#   BENCH_DURATION          30             seconds per measured step
#   BENCH_ROUNDS            2              service and peer steps per mode, taking turns; service ÷ peer is the ratio of their mean req/s
#   BENCH_WARMUP            180            seconds of load on each process before its first measured step (on 2 cores C2 compiles the service's hot paths for about 3 minutes: after 150 s its CPU per duplicate still varied by 20 % between 20 s rounds)
#   BENCH_MODES             "options plain"   options: both with docker/jvm.options and MALLOC_ARENA_MAX=2; plain: both as plain java -jar
#   BENCH_SOAK              60             seconds of the correctness run
#   BENCH_SOAK_CONCURRENCY  32
#   BENCH_SLOW_DURATION     30             seconds of the slow-bridge scenario
#   BENCH_SLOW_CONNECTIONS  200            duplicates in flight in the slow-bridge scenario
#   BENCH_HALF_CONNECTIONS  16             paced connections of the half-peak step
#   BENCH_DOWN_DURATION     60             seconds of the bridge-down step (each: circuit on, circuit off)
#   BENCH_DOWN_CONNECTIONS  64             callers of the bridge-down step
#   BENCH_TRACE_WARMUP      120            seconds of warm-up of each service of the tracing step (off, always_on, ratio 0.1)
#   BENCH_JAVA_OPTS         ""             JVM options of the service added to docker/jvm.options
#   BENCH_CDS               1              1: the measured service starts as docker/Dockerfile does (unpacked jar + CDS archive, docker/app-cds.sh); 0: java -jar
#   BENCH_JFR               0              1: record the service's measured steps with JFR and print the top frames
#   BENCH_NMT               0              1: native memory tracking; its summary after the last step goes to nmt.txt
#   BENCH_STARTS            3              starts on the migrated database after the quiet check (the last is the measured run); the report takes their median
#   BENCH_QUIET_LOAD        1.0            wait until the 1-minute load average is below this ...
#   BENCH_QUIET_WAIT        180            ... for at most this many seconds (then run anyway and say so)
#   BENCH_MAX_SECONDS       3600           watchdog: the whole run is stopped after this
#   BENCH_CONVERSATIONS     1000           seeded conversations ...
#   BENCH_PER_CONVERSATION  3              ... each with this many agent text messages
#   BENCH_OUT               bench/out/<time>   where logs and results go
#   BENCH_KEEP              0              1: keep the work folder (PostgreSQL data, build copy)
#   BENCH_PG_STATEMENTS     0              1: PostgreSQL with pg_stat_statements; each measured turn writes its statements' calls and time to pg-statements-<turn>.txt
#
# A/B mode (bench/README.md, "A/B of a change"): BENCH_AB names two or more variants; instead of steps
# 4-10, each variant runs as a process of its own against the one PostgreSQL and bridge stub,
# BENCH_WARMUP s of warm-up each, then BENCH_ROUNDS rounds of BENCH_DURATION s in turns (the order
# reversed every other round); the table gives each turn and the means, and each variant's ratio to
# the first. Variant "peer" is the peer. For a variant NAME (letters, digits, _):
#   BENCH_AB                ""             e.g. "main lever" or "main lever peer"
#   BENCH_AB_MODE           options        options: every variant with docker/jvm.options and MALLOC_ARENA_MAX=2; plain: plain java -jar
#   BENCH_AB_NAME_REV       ""             a commit: its jar and route files, built in a copy (git archive); else the jar of this run
#   BENCH_AB_NAME_ENV       ""             more environment of its start: space-separated VAR=value
#   BENCH_AB_NAME_OPTS      ""             more JVM options
#   BENCH_AB_NAME_CDS       0              1: this run's jar started as docker/Dockerfile starts it (unpacked, CDS archive; needs BENCH_CDS=1, which A/B runs leave 0)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT=$(cd "$BENCH_DIR/.." && pwd)
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${BENCH_OUT:-$BENCH_DIR/out/$STAMP}
CALLERS=${BENCH_CALLERS:-32}
DURATION=${BENCH_DURATION:-30}
ROUNDS=${BENCH_ROUNDS:-2}
WARMUP=${BENCH_WARMUP:-180}
MODES=${BENCH_MODES:-"options plain"}
SOAK=${BENCH_SOAK:-60}
SOAK_C=${BENCH_SOAK_CONCURRENCY:-32}
SLOW=${BENCH_SLOW_DURATION:-30}
SLOW_C=${BENCH_SLOW_CONNECTIONS:-200}
HALF_C=${BENCH_HALF_CONNECTIONS:-16}
DOWN=${BENCH_DOWN_DURATION:-60}
DOWN_C=${BENCH_DOWN_CONNECTIONS:-64}
DOWN_WARMUP=${BENCH_DOWN_WARMUP:-30}
TRACE_WARMUP=${BENCH_TRACE_WARMUP:-120}
SERVICE_ENV=()     # more environment of the measured service's start
JVM_OPTIONS="@$PROJECT/docker/jvm.options ${BENCH_JAVA_OPTS:-}"
SERVICE_JAVA_OPTS=$JVM_OPTIONS
AB=${BENCH_AB:-}
AB_MODE=${BENCH_AB_MODE:-options}
CDS=${BENCH_CDS:-$([ -n "$AB" ] && echo 0 || echo 1)}
PG_STATEMENTS=${BENCH_PG_STATEMENTS:-0}
JFR=${BENCH_JFR:-0}
NMT=${BENCH_NMT:-0}
STARTS=${BENCH_STARTS:-3}
QUIET_LOAD=${BENCH_QUIET_LOAD:-1.0}
QUIET_WAIT=${BENCH_QUIET_WAIT:-180}
MAX_SECONDS=${BENCH_MAX_SECONDS:-3600}
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
OTHER_PIDS=()      # the comparison's service and peer processes
WATCHDOG=

cleanup() {
    local code=$?
    trap - EXIT INT TERM
    set +e
    [ -n "$SVC_PID" ] && stop_service
    for pid in "${OTHER_PIDS[@]}"; do
        stop_pid "$pid"
    done
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

# PostgreSQL's CPU ticks: the postmaster with the children it reaped, and its live children
# (the pools' backends); "" when PostgreSQL is not ours (an external SPRING_DATASOURCE_URL).
pg_cpu_ticks() {
    [ "$PG_STARTED" = 1 ] || { echo ""; return; }
    local pm
    pm=$(head -1 "$WORK/pg/postmaster.pid")
    { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pm/stat"
      for child in $(pgrep -P "$pm"); do awk '{ print $14 + $15 }' "/proc/$child/stat" 2> /dev/null || true; done
    } | awk '{ s += $1 } END { print s }'
}

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
# The peer, built with the project's Maven wrapper (offline first)
log "building the peer (bench/peer)"
rm -rf "$WORK/peer" && cp -r "$BENCH_DIR/peer" "$WORK/peer" && rm -rf "$WORK/peer/target"
(cd "$WORK/peer" && "$PROJECT/mvnw" -q -B -o package -DskipTests || "$PROJECT/mvnw" -q -B package -DskipTests) >> "$OUT/build.log" 2>&1 \
    || die "the peer's build failed (see $OUT/build.log)"
PEER_JAR=$WORK/peer/target/duplicate-peer.jar
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

# The service's own PostgreSQL driver, from ~/.m2 (the version in the jar), for Sql.
PG_DRIVER=$(jar tf "$JAR" | grep -o 'postgresql-[0-9][0-9.]*\.jar' | head -1)
PG_VERSION=${PG_DRIVER#postgresql-}
PG_VERSION=${PG_VERSION%.jar}
PGJAR=$HOME/.m2/repository/org/postgresql/postgresql/$PG_VERSION/postgresql-$PG_VERSION.jar
if [ ! -f "$PGJAR" ]; then
    (cd "$WORK" && jar xf "$JAR" "BOOT-INF/lib/$PG_DRIVER")
    PGJAR=$WORK/BOOT-INF/lib/$PG_DRIVER
fi
CLASSES=$WORK/classes
javac -d "$CLASSES" -cp "$PGJAR" "$BENCH_DIR/Sql.java" 2>> "$LOG" || die "javac"
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
    PG_EXTRA=
    [ "$PG_STATEMENTS" = 1 ] && PG_EXTRA=" -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=top -c pg_stat_statements.track_planning=on"
    mkdir -p "$WORK/pg"
    [ "$(id -u)" = 0 ] && chown postgres "$WORK/pg"
    as_pg "$PGBIN/initdb" -D "$WORK/pg" -U bench -A trust -E UTF8 --no-locale > "$OUT/postgres.log" 2>&1 \
        || die "initdb (see $OUT/postgres.log)"
    as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w -t 60 \
        -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$WORK/pg -c max_connections=100$PG_EXTRA" \
        start >> "$OUT/postgres.log" 2>&1 || { cat "$WORK/pg/server.log" >> "$OUT/postgres.log" 2>/dev/null; die "pg_ctl start (see $OUT/postgres.log)"; }
    PG_STARTED=1
    DB_USER=bench
    DB_PASSWORD=
    BENCH_JDBC_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/postgres BENCH_DB_USER=bench \
        java -cp "$CLASSES:$PGJAR" Sql "CREATE DATABASE platform" || die "create database"
    JDBC=jdbc:postgresql://127.0.0.1:$PG_PORT/platform
    PG_DESC="Debian PostgreSQL $("$PGBIN/postgres" --version | awk '{ print $3 }') on 127.0.0.1:$PG_PORT (default settings, max_connections=100$([ "$PG_STATEMENTS" = 1 ] && echo ', pg_stat_statements' || true))"
    if [ "$PG_STATEMENTS" = 1 ]; then
        BENCH_JDBC_URL=$JDBC BENCH_DB_USER=bench java -cp "$CLASSES:$PGJAR" Sql "CREATE EXTENSION pg_stat_statements" || die "pg_stat_statements"
    fi
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
# Starts a process with the service's environment (the peer reads the same variables) and waits
# until READY_PATH on its port answers 200. Sets STARTED_PID, STARTUP_MS and STARTUP_RSS_KB.
start_process() { # label port java-options-and-jar... ; the readiness URL is $READY_PATH
    local label=$1 port=$2 t0
    shift 2
    # glibc's malloc arenas: 2 (as docker/Dockerfile) unless PROCESS_MALLOC_ARENA_MAX is set empty
    local arena=()
    [ -n "${PROCESS_MALLOC_ARENA_MAX-2}" ] && arena=("MALLOC_ARENA_MAX=${PROCESS_MALLOC_ARENA_MAX-2}")
    t0=$(now_ms)
    # shellcheck disable=SC2068
    env SERVER_PORT="$port" SPRING_DATASOURCE_URL="$JDBC" SPRING_DATASOURCE_USERNAME="$DB_USER" \
        SPRING_DATASOURCE_PASSWORD="$DB_PASSWORD" BRIDGE_URL="$STUB" BRIDGE_TOKEN="$BRIDGE_TOKEN_VALUE" \
        ROUTES_DIR="$ROUTES" FILES_BASE_URL=http://files.bench.invalid FILES_SIGNING_KEY=bench-signing-key \
        "${arena[@]}" "${SERVICE_ENV[@]}" java $@ > "$OUT/$label.log" 2>&1 &
    STARTED_PID=$!
    while [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port$READY_PATH" 2> /dev/null)" != 200 ]; do
        kill -0 "$STARTED_PID" 2> /dev/null || die "$label stopped (see $OUT/$label.log)"
        [ $(( $(now_ms) - t0 )) -lt 120000 ] || die "$label was not ready within 120 s"
        sleep 0.05
    done
    STARTUP_MS=$(( $(now_ms) - t0 ))
    STARTUP_RSS_KB=$(rss_kb "$STARTED_PID")
}
stop_pid() {
    local pid=$1
    kill -TERM "$pid" 2> /dev/null || return 0
    for _ in $(seq 1 300); do
        kill -0 "$pid" 2> /dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
}
# The measured service, started as docker/Dockerfile starts it
start_service() { # label [extra JVM options]
    # shellcheck disable=SC2086
    READY_PATH=/actuator/health/readiness start_process "service-$1" "$SVC_PORT" $SERVICE_JAVA_OPTS ${2:-} -jar "$SERVICE_JAR"
    SVC_PID=$STARTED_PID
    STARTED_LINE=$(grep -o 'Started DuplicateMessageApplication in [0-9.]* seconds (process running for [0-9.]*)' \
        "$OUT/service-$1.log" | head -1 || true)
}
stop_service() {
    local pid=$SVC_PID
    SVC_PID=
    stop_pid "$pid"
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
[ -n "$AB" ] && STARTS=0
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
[ -n "$AB" ] && STARTUP2_ALL=0
STARTUP2_MS=$(printf '%s\n' $STARTUP2_ALL | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
STARTUP2_RSS=$STARTUP_RSS_KB
STARTUP2_LINE=$STARTED_LINE
log "start-up on the migrated database: median $STARTUP2_MS ms of$STARTUP2_ALL"
MAX_RSS_KB=$STARTUP2_RSS

export BENCH_PAIRS=$PAIRS BENCH_TOKEN=$TOKEN

# ---------------------------------------------------------------- measuring helpers
# One wrk run against a process (TARGET_URL and TARGET_PID, default the measured service) with
# its RSS and CPU, PostgreSQL's CPU and the database's transactions (each statement of the
# service and the peer is one: autocommit). Sets R (the RESULT line), R_RSS_KB, R_CPU (s/s),
# R_CPU_MS and R_PG_CPU_MS (per request), R_TX (transactions per request), R_HOST.
wrk_step() { # name connections seconds mode [pace_ms] [timeout] [count: 1 = count replies in Lua]
    local name=$1 c=$2 d=$3 mode=$4 pace=${5:-0} timeout=${6:-10s} count=${7:-0} t cpu0 cpu1 w0 w1 h0 h1 pg0 pg1 tx0 tx1
    local url=${TARGET_URL:-$SVC} pid=${TARGET_PID:-$SVC_PID}
    t=$(( c < 2 ? 1 : 2 ))
    rm -f "$OUT/rss-$name" "$OUT/rss-$name.stop"
    rss_sampler "$pid" "$OUT/rss-$name" &
    local sampler=$!
    tx0=$(transactions)
    cpu0=$(proc_cpu_ticks "$pid"); pg0=$(pg_cpu_ticks); w0=$(now_ms); h0=$(host_busy_idle)
    BENCH_MODE=$mode BENCH_PACE_MS=$pace BENCH_COUNT=$count wrk -t"$t" -c"$c" -d"${d}s" --timeout "$timeout" \
        -s "$BENCH_DIR/requests.lua" "$url" > "$OUT/wrk-$name.txt" 2>&1 || true
    cpu1=$(proc_cpu_ticks "$pid"); pg1=$(pg_cpu_ticks); w1=$(now_ms); h1=$(host_busy_idle)
    sleep 1.2 # PostgreSQL publishes a backend's counters at least once a second
    tx1=$(transactions)
    touch "$OUT/rss-$name.stop"
    wait "$sampler" 2> /dev/null || true
    R=$(grep '^RESULT' "$OUT/wrk-$name.txt" || true)
    [ -n "$R" ] || die "wrk gave no result (see $OUT/wrk-$name.txt)"
    R_RSS_KB=$(cat "$OUT/rss-$name" 2> /dev/null || echo 0)
    [ "$pid" = "$SVC_PID" ] && [ "$R_RSS_KB" -gt "$MAX_RSS_KB" ] && MAX_RSS_KB=$R_RSS_KB
    R_CPU=$(calc "sprintf(\"%.2f\", ($cpu1 - $cpu0) / $TICKS / (($w1 - $w0) / 1000))")
    R_CPU_MS=$(calc "sprintf(\"%.3f\", ($cpu1 - $cpu0) / $TICKS * 1000 / ($(kv "$R" requests) + 0.000001))")
    R_PG_CPU_MS=n/a
    [ -n "$pg0" ] && R_PG_CPU_MS=$(calc "sprintf(\"%.3f\", ($pg1 - $pg0) / $TICKS * 1000 / ($(kv "$R" requests) + 0.000001))")
    R_TX=$(calc "sprintf(\"%.2f\", ($tx1 - $tx0 - 1) / ($(kv "$R" requests) + 0.000001))")
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
    local service_log=${CHECK_LOG:-$OUT/service-measured.log} resent
    resent=$(grep -c 'Resending duplicate' "$service_log" 2> /dev/null || true)
    C_RESENT=$(( ${resent:-0} - ${RESENT_SEEN[$service_log]:-0} ))
    RESENT_SEEN[$service_log]=${resent:-0}
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
declare -A RESENT_SEEN
watermark() { sql "SELECT coalesce(max(id), 0) FROM messages"; }
# Committed and rolled-back transactions of the database so far (one more for this query's own)
transactions() { sql "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()"; }

# The peer must answer as the service does: one duplicate through each (the same original), the
# replies compared without the duplicate's own id and sent_at; and the same status for an unknown
# token (401), an unknown message (404) and an id that is not a number (400). Dies when they differ.
same_reply() { # name-a url-a name-b url-b
    local a=$1 ua=$2 b=$3 ub=$4 pair conversation message who url code
    pair=$(head -1 "$PAIRS")
    conversation=${pair% *}; message=${pair#* }
    for who in "$a" "$b"; do
        url=$ua; [ "$who" = "$b" ] && url=$ub
        code=$(curl -s -o "$OUT/reply-$who.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
            "$url/third-party/v1/conversations/$conversation/messages/$message/duplicate")
        [ "$code" = 200 ] || die "same reply: $who answered $code (see $OUT/reply-$who.json)"
        jq -S 'del(.data.id, .data.sent_at)' "$OUT/reply-$who.json" > "$OUT/reply-$who.normalized.json" \
            || die "same reply: $who's reply is not JSON (see $OUT/reply-$who.json)"
        jq -e '.data.status == "sent" and .data.sent_at != null and (.data.id | type) == "number"' "$OUT/reply-$who.json" > /dev/null \
            || die "same reply: $who's duplicate is not sent, or has no id or sent_at (see $OUT/reply-$who.json)"
        for probe in "401 Bearer not-a-known-token $conversation/messages/$message" \
                     "404 Bearer $TOKEN $conversation/messages/9223372036854775807" \
                     "400 Bearer $TOKEN $conversation/messages/not-a-number"; do
            read -r want scheme token path <<< "$probe"
            code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: $scheme $token" \
                "$url/third-party/v1/conversations/$path/duplicate")
            [ "$code" = "$want" ] || die "same reply: $who answered $code instead of $want to .../conversations/$path/duplicate"
        done
    done
    diff -u "$OUT/reply-$a.normalized.json" "$OUT/reply-$b.normalized.json" > "$OUT/reply-$a-$b.diff" \
        || die "same reply: $a and $b answer differently (see $OUT/reply-$a-$b.diff)"
    log "same reply: $a and $b answer alike (200 body without id and sent_at; 401, 404, 400)"
}

# pg_stat_statements of this database: calls and time per statement since the last reset
pg_statements_reset() { [ "$PG_STATEMENTS" = 1 ] && sql "SELECT pg_stat_statements_reset()" > /dev/null || true; }
pg_statements_dump() { # file requests
    [ "$PG_STATEMENTS" = 1 ] || return 0
    {
        echo "calls/request  exec_ms/request  plan_ms/request  rows/call  statement (calls, exec and plan time per duplicate of this turn: $2 requests)"
        sql "SELECT calls, total_exec_time, total_plan_time, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 160)
             FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
             ORDER BY total_exec_time + total_plan_time DESC LIMIT 25" \
            | awk -F'\t' -v n="$2" '{ printf "%.2f  %.4f  %.4f  %.1f  %s\n", $1 / n, $2 / n, $3 / n, ($1 > 0 ? $4 / $1 : 0), $5 }'
    } > "$1"
}

# ---------------------------------------------------------------- A/B of a change (BENCH_AB)
# Instead of steps 4-10: the variants run side by side against the one PostgreSQL and bridge stub,
# each warmed WARMUP s at CALLERS connections, then ROUNDS rounds of DURATION s, the variants
# taking turns (the order reversed every other round, so that the machine's drift touches all
# alike). Per turn: req/s, p50/p99, CPU per duplicate of the process and of PostgreSQL,
# transactions per duplicate, the correctness check.
if [ -n "$AB" ]; then
    declare -A V_JAR V_ROUTES V_OPTS V_ENV V_DESC V_PID V_URL A_RPS A_P50 A_P99 A_CPU A_PG A_TX A_OK
    read -r -a AB_NAMES <<< "$AB"
    [ "${#AB_NAMES[@]}" -ge 2 ] || die "BENCH_AB: name two variants or more"
    for name in "${AB_NAMES[@]}"; do
        [[ "$name" =~ ^[A-Za-z0-9_]+$ ]] || die "BENCH_AB: variant name '$name': letters, digits and _ only"
        rev_var=BENCH_AB_${name}_REV; env_var=BENCH_AB_${name}_ENV; opts_var=BENCH_AB_${name}_OPTS
        rev=${!rev_var:-}
        source_dir=$SRC
        if [ "$name" = peer ]; then
            V_JAR[$name]=$PEER_JAR; V_DESC[$name]="the peer (bench/peer)"
        elif [ -n "$rev" ]; then
            source_dir=$WORK/ab-$name
            mkdir -p "$source_dir"
            commit=$(git -C "$PROJECT" rev-parse --short "$rev") || die "BENCH_AB: $rev_var=$rev is not a commit"
            log "A/B $name: building the production jar of $commit"
            git -C "$PROJECT" archive "$commit" | tar -C "$source_dir" -xf -
            { (cd "$source_dir" && ./mvnw -q -B -o -Dproduction -DskipTests package) \
                || (cd "$source_dir" && ./mvnw -q -B -Dproduction -DskipTests package); } >> "$OUT/build.log" 2>&1 \
                || die "A/B $name: the build of $commit failed (see $OUT/build.log)"
            V_JAR[$name]=$source_dir/target/duplicate-message-service.jar; V_DESC[$name]="commit $commit"
        else
            V_JAR[$name]=$JAR; V_DESC[$name]="this run's jar ($(git -C "$PROJECT" rev-parse --short HEAD 2> /dev/null || echo '?'))"
        fi
        V_ROUTES[$name]=$source_dir/routes
        V_OPTS[$name]="${!opts_var:-}"
        [ "$AB_MODE" = options ] && V_OPTS[$name]="@$source_dir/docker/jvm.options ${V_OPTS[$name]}"
        cds_var=BENCH_AB_${name}_CDS
        if [ "${!cds_var:-0}" = 1 ]; then
            { [ "$name" != peer ] && [ -z "$rev" ] && [ "$CDS" = 1 ]; } \
                || die "BENCH_AB: $cds_var=1 is for a variant of this run's jar, with BENCH_CDS=1"
            V_JAR[$name]=$SERVICE_JAR
            V_OPTS[$name]="${V_OPTS[$name]} -XX:SharedArchiveFile=$WORK/cds/app.jsa"
            V_DESC[$name]="${V_DESC[$name]}, unpacked jar + CDS archive (docker/app-cds.sh)"
        fi
        V_ENV[$name]="${!env_var:-}"
        [ -n "${V_ENV[$name]}" ] && V_DESC[$name]="${V_DESC[$name]}, ${V_ENV[$name]}"
        [ -n "${!opts_var:-}" ] && V_DESC[$name]="${V_DESC[$name]}, ${!opts_var}"
    done
    for name in "${AB_NAMES[@]}"; do
        port=$(free_port)
        read -r -a SERVICE_ENV <<< "${V_ENV[$name]}"
        ready=/actuator/health/readiness
        [ "$name" = peer ] && ready=/ready
        log "A/B $name: starting ${V_DESC[$name]} on port $port"
        arena=2
        [ "$AB_MODE" = options ] || arena=
        # shellcheck disable=SC2086
        PROCESS_MALLOC_ARENA_MAX=$arena ROUTES=${V_ROUTES[$name]} READY_PATH=$ready \
            start_process "ab-$name" "$port" ${V_OPTS[$name]} -jar "${V_JAR[$name]}"
        V_PID[$name]=$STARTED_PID; V_URL[$name]=http://127.0.0.1:$port
        OTHER_PIDS+=("$STARTED_PID")
        SERVICE_ENV=()
    done
    first=${AB_NAMES[0]}
    for name in "${AB_NAMES[@]:1}"; do
        same_reply "$first" "${V_URL[$first]}" "$name" "${V_URL[$name]}"
    done
    for name in "${AB_NAMES[@]}"; do
        log "A/B $name: ${WARMUP} s of warm-up"
        TARGET_URL=${V_URL[$name]} TARGET_PID=${V_PID[$name]} wrk_step "ab-$name-warmup" "$CALLERS" "$WARMUP" duplicate
    done
    for r in $(seq 1 "$ROUNDS"); do
        order=("${AB_NAMES[@]}")
        if [ $((r % 2)) = 0 ]; then
            order=(); for ((i = ${#AB_NAMES[@]} - 1; i >= 0; i--)); do order+=("${AB_NAMES[$i]}"); done
        fi
        for name in "${order[@]}"; do
            k=$name/$r
            stub __reset POST > /dev/null
            wm=$(watermark)
            pg_statements_reset
            TARGET_URL=${V_URL[$name]} TARGET_PID=${V_PID[$name]} wrk_step "ab-$name-r$r" "$CALLERS" "$DURATION" duplicate
            pg_statements_dump "$OUT/pg-statements-ab-$name-r$r.txt" "$(kv "$R" requests)"
            A_RPS[$k]=$(kv "$R" rps); A_P50[$k]=$(kv "$R" p50_ms); A_P99[$k]=$(kv "$R" p99_ms)
            A_CPU[$k]=$R_CPU_MS; A_PG[$k]=$R_PG_CPU_MS; A_TX[$k]=$R_TX
            CHECK_LOG=$OUT/ab-$name.log check_step "ab-$name-r$r" "$wm" "$(kv "$R" s200)" "$CALLERS"
            A_OK[$k]=$C_OK
            log "A/B $name, round $r: ${A_RPS[$k]} req/s, p50 ${A_P50[$k]} p99 ${A_P99[$k]} ms; CPU per duplicate ${A_CPU[$k]} ms, PostgreSQL ${A_PG[$k]} ms; ${A_TX[$k]} transactions per duplicate; $C_OK"
        done
    done
    mean() { # array-name name
        local -n values=$1
        for r in $(seq 1 "$ROUNDS"); do echo "${values[$2/$r]}"; done | awk '{ s += $1 } END { printf "%.3f", s / NR }'
    }
    RESULTS=$OUT/results.md
    {
        echo "## A/B ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
        echo
        echo "- project: $(git -C "$PROJECT" rev-parse --short HEAD 2> /dev/null || echo '?')$( [ -n "$(git -C "$PROJECT" status --porcelain 2> /dev/null)" ] && echo ' + uncommitted changes')"
        echo "- machine: $(nproc) cores; quiet: $QUIET; load at the end $(load1)"
        echo "- mode: $AB_MODE ($([ "$AB_MODE" = options ] && echo 'docker/jvm.options of each variant, MALLOC_ARENA_MAX=2' || echo 'plain java -jar')); $(java -version 2>&1 | head -1)"
        echo "- PostgreSQL: $PG_DESC"
        echo "- $CALLERS connections; ${WARMUP} s of warm-up each, then $ROUNDS rounds of ${DURATION} s in turns (order reversed every other round)"
        for name in "${AB_NAMES[@]}"; do echo "- $name: ${V_DESC[$name]}"; done
        echo
        echo "| variant | req/s | p50 ms | p99 ms | CPU ms / duplicate | PostgreSQL CPU ms / duplicate | transactions / duplicate | ÷ $first: req/s, p99, CPU, PostgreSQL CPU |"
        echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
        for name in "${AB_NAMES[@]}"; do
            echo "| $name (mean) | $(mean A_RPS "$name") | $(mean A_P50 "$name") | $(mean A_P99 "$name") | $(mean A_CPU "$name") | $(mean A_PG "$name") | $(mean A_TX "$name") | $(calc "sprintf(\"%.2f× / %.2f× / %.2f× / %.2f×\", $(mean A_RPS "$name") / $(mean A_RPS "$first"), $(mean A_P99 "$name") / $(mean A_P99 "$first"), $(mean A_CPU "$name") / $(mean A_CPU "$first"), $(mean A_PG "$name") / ($(mean A_PG "$first") + 0.000001))") |"
        done
        echo
        echo "| turn | req/s | p50 ms | p99 ms | CPU ms / duplicate | PostgreSQL CPU ms / duplicate | transactions / duplicate | DB = bridge |"
        echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
        for r in $(seq 1 "$ROUNDS"); do
            for name in "${AB_NAMES[@]}"; do
                k=$name/$r
                echo "| $name, round $r | ${A_RPS[$k]} | ${A_P50[$k]} | ${A_P99[$k]} | ${A_CPU[$k]} | ${A_PG[$k]} | ${A_TX[$k]} | ${A_OK[$k]} |"
            done
        done
    } > "$RESULTS"
    cat "$RESULTS"
    log "results: $RESULTS"
    exit 0
fi

# ---------------------------------------------------------------- 5. the service and the peer, in turns
# Per mode, both processes run; each gets WARMUP s of load at CALLERS connections, then they take
# turns ROUNDS times (service, peer, service, peer), DURATION s each, so that a drift of the
# machine's speed touches both alike. Mode options: the measured service (docker/jvm.options,
# its start as the Docker image's) and the peer with the same options; mode plain: both as plain
# `java -jar`, started for this step.
declare -A C_RPS C_P50 C_P99 C_CPUMS C_PGMS C_TX C_OK C_MEAN C_BAD
PEER_PORT=$(free_port)
PEAK=0
measure_turn() { # key label
    local key=$1 label=$2 bad sock
    stub __reset POST > /dev/null
    wm=$(watermark)
    log "$label: ${DURATION} s at $CALLERS connections"
    wrk_step "$label" "$CALLERS" "$DURATION" duplicate
    C_RPS[$key]=$(kv "$R" rps); C_P50[$key]=$(kv "$R" p50_ms); C_P99[$key]=$(kv "$R" p99_ms)
    C_CPUMS[$key]=$R_CPU_MS; C_PGMS[$key]=$R_PG_CPU_MS; C_TX[$key]=$R_TX
    bad=$(( $(kv "$R" s401) + $(kv "$R" s404) + $(kv "$R" s4xx) + $(kv "$R" s5xx) + $(kv "$R" sother) ))
    sock=$(( $(kv "$R" connect_err) + $(kv "$R" read_err) + $(kv "$R" write_err) + $(kv "$R" timeout_err) ))
    check_step "$label" "$wm" "$(kv "$R" s200)" "$CALLERS"
    C_BAD[$key]="$bad / $sock / $C_ERROR"
    C_OK[$key]=$C_OK
    log "$label: ${C_RPS[$key]} req/s p50 ${C_P50[$key]} p99 ${C_P99[$key]} ms; CPU per duplicate ${C_CPUMS[$key]} ms, PostgreSQL ${C_PGMS[$key]} ms; ${C_TX[$key]} transactions per duplicate; non-2xx/socket/error-status ${C_BAD[$key]}; $C_OK"
}
for mode in $MODES; do
    if [ "$mode" = options ]; then
        S_URL=$SVC; S_PID=$SVC_PID; P_OPTS=$JVM_OPTIONS; PROCESS_MALLOC_ARENA_MAX=2
    else
        S_PORT=$(free_port)
        PROCESS_MALLOC_ARENA_MAX=
        log "starting the service as plain java -jar"
        READY_PATH=/actuator/health/readiness start_process service-plain "$S_PORT" -jar "$JAR"
        S_URL=http://127.0.0.1:$S_PORT; S_PID=$STARTED_PID; P_OPTS=
        OTHER_PIDS+=("$S_PID")
    fi
    log "starting the peer ($mode)"
    # shellcheck disable=SC2086
    READY_PATH=/ready start_process "peer-$mode" "$PEER_PORT" $P_OPTS -jar "$PEER_JAR"
    P_PID=$STARTED_PID
    OTHER_PIDS+=("$P_PID")
    unset PROCESS_MALLOC_ARENA_MAX
    [ "$mode" = "${MODES%% *}" ] && same_reply service "$S_URL" peer "http://127.0.0.1:$PEER_PORT"
    log "$mode: warm-up, ${WARMUP} s each"
    TARGET_URL=$S_URL TARGET_PID=$S_PID wrk_step "warmup-service-$mode" "$CALLERS" "$WARMUP" duplicate
    TARGET_URL=http://127.0.0.1:$PEER_PORT TARGET_PID=$P_PID wrk_step "warmup-peer-$mode" "$CALLERS" "$WARMUP" duplicate
    for r in $(seq 1 "$ROUNDS"); do
        TARGET_URL=$S_URL TARGET_PID=$S_PID measure_turn "service/$mode/$r" "service-$mode-r$r"
        TARGET_URL=http://127.0.0.1:$PEER_PORT TARGET_PID=$P_PID measure_turn "peer/$mode/$r" "peer-$mode-r$r"
    done
    for who in service peer; do
        C_MEAN[$who/$mode]=$(for r in $(seq 1 "$ROUNDS"); do echo "${C_RPS[$who/$mode/$r]}"; done | awk '{ s += $1 } END { printf "%.1f", s / NR }')
    done
    log "$mode: service ${C_MEAN[service/$mode]} req/s, peer ${C_MEAN[peer/$mode]} req/s (means of $ROUNDS rounds)"
    [ "$mode" = options ] && PEAK=${C_MEAN[service/$mode]}
    stop_pid "$P_PID"
    [ "$mode" = plain ] && stop_pid "$S_PID"
    OTHER_PIDS=()
done
if [ "$PEAK" = 0 ]; then
    log "warm-up of the measured service: ${WARMUP} s"
    wrk_step warmup "$CALLERS" "$WARMUP" duplicate
    PEAK=$(kv "$R" rps)
fi

# ---------------------------------------------------------------- 6. p99 at about half of peak
HALF_TARGET=$(calc "$PEAK / 2")
log "half of peak ($PEAK req/s at $CALLERS connections): target $HALF_TARGET req/s with $HALF_C paced connections"
# connections / rate = mean pace + latency: start from the latency of one caller, then correct
# the pace twice by what a 5 s probe achieved
pace=$(calc "int($HALF_C * 1000 / $HALF_TARGET + 0.5)")
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

# ---------------------------------------------------------------- 9. the bridge down, with the circuit and without
# A fresh service each time (as docker/Dockerfile starts it; BRIDGE_CIRCUIT_ENABLED true, then
# false), 30 s of warm-up on a healthy bridge, then DOWN s at DOWN_C connections while the bridge
# first does not answer within BRIDGE_TIMEOUT_MS (5 s) and then answers every attempt 503. The
# figures: the replies' latency, and the most route threads in use at once (Spring's
# executor_active_threads of the route pool, sampled every 0.5 s).
route_threads_sampler() { # file: the highest count so far, until file.stop exists
    local max=0 v
    while [ ! -e "$1.stop" ]; do
        v=$(curl -s --max-time 1 "$SVC/actuator/prometheus" 2> /dev/null \
            | awk '/^executor_active_threads\{.*name="applicationTaskExecutor"/ { printf "%d", $2 }')
        [ "${v:-0}" -gt "$max" ] && max=$v
        echo "$max" > "$1"
        sleep 0.5
    done
}
declare -A D_RPS D_P50 D_P99 D_THREADS D_SENT D_ERR D_OPEN D_ATTEMPTS
for circuit in on off; do
    SERVICE_ENV=("BRIDGE_CIRCUIT_ENABLED=$([ "$circuit" = on ] && echo true || echo false)")
    log "bridge down, circuit $circuit: a fresh service, ${DOWN_WARMUP} s of warm-up"
    start_service "down-$circuit"
    stub "__config?delayMs=0&failRatio=0" POST > /dev/null
    wrk_step "down-$circuit-warmup" 32 "$DOWN_WARMUP" duplicate
    stub __reset POST > /dev/null
    wm=$(watermark)
    stub "__config?delayMs=6000&failRatio=0" POST > /dev/null
    rm -f "$OUT/threads-down-$circuit" "$OUT/threads-down-$circuit.stop"
    route_threads_sampler "$OUT/threads-down-$circuit" &
    sampler=$!
    ( sleep $((DOWN / 2)); stub "__config?delayMs=0&failRatio=1" POST > /dev/null ) &
    switcher=$!
    PIDS+=($sampler $switcher)
    log "bridge down, circuit $circuit: ${DOWN} s at $DOWN_C connections (no answer for $((DOWN / 2)) s, then 503s)"
    wrk_step "down-$circuit" "$DOWN_C" "$DOWN" duplicate 0 60s 1
    touch "$OUT/threads-down-$circuit.stop"
    wait "$sampler" "$switcher" 2> /dev/null || true
    D_RPS[$circuit]=$(kv "$R" rps); D_P50[$circuit]=$(kv "$R" p50_ms); D_P99[$circuit]=$(kv "$R" p99_ms)
    D_THREADS[$circuit]=$(cat "$OUT/threads-down-$circuit" 2> /dev/null || echo 0)
    D_SENT[$circuit]=$(kv "$R" sent); D_ERR[$circuit]=$(kv "$R" errstatus)
    D_OPEN[$circuit]=$(sql "SELECT count(*) FROM message_errors WHERE message_id > $wm AND original_message LIKE 'bridge circuit open:%'")
    D_ATTEMPTS[$circuit]=$(stub __stats | grep -o '"attempts":[0-9]*' | cut -d: -f2)
    log "bridge down, circuit $circuit: ${D_RPS[$circuit]} req/s, p50 ${D_P50[$circuit]} p99 ${D_P99[$circuit]} ms, route threads at most ${D_THREADS[$circuit]}; replies sent ${D_SENT[$circuit]}, error ${D_ERR[$circuit]} (circuit open: ${D_OPEN[$circuit]}); bridge attempts ${D_ATTEMPTS[$circuit]}"
    stub "__config?delayMs=0&failRatio=0" POST > /dev/null
    stop_service
done
SERVICE_ENV=()

# ---------------------------------------------------------------- 10. tracing off and on
# Three services at once (as docker/Dockerfile starts them, each on its own port): tracing off; on
# with every trace sampled (always_on); on with a tenth of new traces sampled
# (parentbased_traceidratio 0.1). The traces go to the bridge stub's OTLP/HTTP sink (POST
# /v1/traces). TRACE_WARMUP s of warm-up each, then ROUNDS rounds of DURATION s at CALLERS
# connections, the three taking turns (so that the machine's drift touches all three alike); the
# table gives the means.
declare -A T_RPS T_P99 T_CPUMS T_BYTES T_PID T_URL
TRACINGS="off always_on ratio_0.1"
for tracing in $TRACINGS; do
    case "$tracing" in
        off) SERVICE_ENV=() ;;
        always_on) SERVICE_ENV=("OTEL_EXPORTER_OTLP_ENDPOINT=$STUB" "OTEL_TRACES_SAMPLER=always_on") ;;
        ratio_0.1) SERVICE_ENV=("OTEL_EXPORTER_OTLP_ENDPOINT=$STUB" "OTEL_TRACES_SAMPLER=parentbased_traceidratio" "OTEL_TRACES_SAMPLER_ARG=0.1") ;;
    esac
    port=$(free_port)
    log "tracing $tracing: starting a service on port $port"
    # shellcheck disable=SC2086
    READY_PATH=/actuator/health/readiness start_process "service-tracing-$tracing" "$port" $SERVICE_JAVA_OPTS -jar "$SERVICE_JAR"
    T_PID[$tracing]=$STARTED_PID; T_URL[$tracing]=http://127.0.0.1:$port
    OTHER_PIDS+=("$STARTED_PID")
done
SERVICE_ENV=()
for tracing in $TRACINGS; do
    log "tracing $tracing: ${TRACE_WARMUP} s of warm-up"
    TARGET_URL=${T_URL[$tracing]} TARGET_PID=${T_PID[$tracing]} wrk_step "tracing-$tracing-warmup" "$CALLERS" "$TRACE_WARMUP" duplicate
done
for r in $(seq 1 "$ROUNDS"); do
    for tracing in $TRACINGS; do
        stub __reset POST > /dev/null
        TARGET_URL=${T_URL[$tracing]} TARGET_PID=${T_PID[$tracing]} wrk_step "tracing-$tracing-r$r" "$CALLERS" "$DURATION" duplicate
        sleep 2 # the batch span processor exports every 5 s by default
        T_RPS[$tracing/$r]=$(kv "$R" rps); T_P99[$tracing/$r]=$(kv "$R" p99_ms); T_CPUMS[$tracing/$r]=$R_CPU_MS
        T_BYTES[$tracing/$r]=$(stub __stats | grep -o '"trace_bytes":[0-9]*' | cut -d: -f2)
        log "tracing $tracing, round $r: ${T_RPS[$tracing/$r]} req/s, p99 ${T_P99[$tracing/$r]} ms, CPU per duplicate ${T_CPUMS[$tracing/$r]} ms; OTLP bytes received ${T_BYTES[$tracing/$r]}"
    done
done
mean_of_rounds() { # array-name key format
    local -n values=$1
    for r in $(seq 1 "$ROUNDS"); do echo "${values[$2/$r]}"; done | awk -v f="$3" '{ s += $1 } END { printf f, s / NR }'
}
for tracing in $TRACINGS; do
    T_RPS[$tracing]=$(mean_of_rounds T_RPS "$tracing" "%.1f"); T_P99[$tracing]=$(mean_of_rounds T_P99 "$tracing" "%.1f")
    T_CPUMS[$tracing]=$(mean_of_rounds T_CPUMS "$tracing" "%.3f"); T_BYTES[$tracing]=$(mean_of_rounds T_BYTES "$tracing" "%.0f")
    stop_pid "${T_PID[$tracing]}"
done
OTHER_PIDS=()

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
    echo "- service: production jar, $CDS_NOTE, \`java $SERVICE_JAVA_OPTS -jar\`, MALLOC_ARENA_MAX=2 ($(java -version 2>&1 | head -1)), Hikari pool $POOL; the peer: pool 20"
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
    echo "### Duplicate Message: the service and the peer, $CALLERS callers ($ROUNDS rounds of ${DURATION} s each, taking turns after ${WARMUP} s of warm-up each)"
    echo
    echo "The peer (bench/peer) is the same text duplicate written by hand: Spring MVC, JdbcTemplate, java.net.http, its own plain SQL (not the service's statements)."
    echo "CPU per duplicate is the process's (and PostgreSQL's: the postmaster and its backends) over the measured step; round trips are the database's transactions per duplicate."
    echo
    echo "| mode | service req/s | peer req/s | service ÷ peer | service p99 / peer p99 |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    for mode in $MODES; do
        sp99=$(for r in $(seq 1 "$ROUNDS"); do echo "${C_P99[service/$mode/$r]}"; done | awk '{ s += $1 } END { printf "%.1f", s / NR }')
        pp99=$(for r in $(seq 1 "$ROUNDS"); do echo "${C_P99[peer/$mode/$r]}"; done | awk '{ s += $1 } END { printf "%.1f", s / NR }')
        echo "| $mode | ${C_MEAN[service/$mode]} | ${C_MEAN[peer/$mode]} | $(calc "sprintf(\"%.2f×\", ${C_MEAN[service/$mode]} / ${C_MEAN[peer/$mode]})") | $sp99 / $pp99 ms ($(calc "sprintf(\"%.2f×\", $sp99 / ($pp99 + 0.000001))")) |"
    done
    echo
    echo "Each turn:"
    echo
    echo "| turn | req/s | p50 ms | p99 ms | CPU ms / duplicate | PostgreSQL CPU ms / duplicate | round trips / duplicate | non-2xx / socket err / status error | DB = bridge |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
    for mode in $MODES; do
        for r in $(seq 1 "$ROUNDS"); do
            for who in service peer; do
                k=$who/$mode/$r
                echo "| $who, $mode, round $r | ${C_RPS[$k]} | ${C_P50[$k]} | ${C_P99[$k]} | ${C_CPUMS[$k]} | ${C_PGMS[$k]} | ${C_TX[$k]} | ${C_BAD[$k]} | ${C_OK[$k]} |"
            done
        done
    done
    echo
    echo "### p99 at about half of peak"
    echo
    echo "Peak $PEAK req/s (the service's mean at $CALLERS connections). wrk has no fixed-rate mode (wrk2 is not in Debian), so $HALF_C connections"
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
    echo "### The bridge down ($DOWN_C connections, ${DOWN} s: no answer within BRIDGE_TIMEOUT_MS for $((DOWN / 2)) s, then every attempt 503)"
    echo
    echo "A fresh service each, after ${DOWN_WARMUP} s of warm-up on a healthy bridge. Route threads: the most in use at once (executor_active_threads, every 0.5 s)."
    echo
    echo "| circuit | req/s | p50 ms | p99 ms | route threads | replies sent / error (circuit open) | bridge attempts |"
    echo "| --- | ---: | ---: | ---: | ---: | --- | ---: |"
    for circuit in on off; do
        echo "| $circuit | ${D_RPS[$circuit]} | ${D_P50[$circuit]} | ${D_P99[$circuit]} | ${D_THREADS[$circuit]} | ${D_SENT[$circuit]} / ${D_ERR[$circuit]} (${D_OPEN[$circuit]}) | ${D_ATTEMPTS[$circuit]} |"
    done
    echo
    echo "### Tracing ($CALLERS connections; three services at once, ${TRACE_WARMUP} s of warm-up each, then $ROUNDS rounds of ${DURATION} s in turns; means)"
    echo
    echo "| tracing | req/s | p99 ms | CPU ms / duplicate | OTLP bytes sent per round |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    for tracing in off always_on ratio_0.1; do
        echo "| $tracing | ${T_RPS[$tracing]} | ${T_P99[$tracing]} | ${T_CPUMS[$tracing]} | ${T_BYTES[$tracing]} |"
    done
    echo
    echo "### Targets"
    echo
    echo "| target | measured | verdict |"
    echo "| --- | --- | --- |"
    for mode in $MODES; do
        sm=${C_MEAN[service/$mode]}; pm=${C_MEAN[peer/$mode]}
        echo "| throughput ≥ 0.8× the peer at $CALLERS callers ($mode) | $sm vs $pm req/s = $(calc "sprintf(\"%.2f×\", $sm / $pm)") | $(verdict "$sm >= 0.8 * $pm") |"
        sp99=$(for r in $(seq 1 "$ROUNDS"); do echo "${C_P99[service/$mode/$r]}"; done | awk '{ s += $1 } END { printf "%.1f", s / NR }')
        pp99=$(for r in $(seq 1 "$ROUNDS"); do echo "${C_P99[peer/$mode/$r]}"; done | awk '{ s += $1 } END { printf "%.1f", s / NR }')
        echo "| p99 ≤ 1.5× the peer's ($mode) | $sp99 vs $pp99 ms | $(verdict "$sp99 <= 1.5 * $pp99") |"
        tx=$(for r in $(seq 1 "$ROUNDS"); do echo "${C_TX[service/$mode/$r]}"; done | awk '{ s += $1 } END { printf "%.2f", s / NR }')
        echo "| at most 4 round trips per duplicate ($mode) | $tx | $(verdict "$tx <= 4.2") |"
    done
    echo "| p99 ≤ 50 ms at half of peak throughput | $(kv "$H" p99_ms) ms at $(kv "$H" rps) req/s | $(verdict "$(kv "$H" p99_ms) <= 50") |"
    echo "| no errors, no lost or doubled message over a ${SOAK} s run | non-2xx $SK_BAD, socket errors $SK_SOCK, error status $SK_ERRSTATUS; $SK_OK | $(verdict "$SK_BAD + $SK_SOCK + $SK_ERRSTATUS == 0 && \"$SK_OK\" == \"ok\"") |"
    echo "| RSS ≤ 400 MB under load (docker/jvm.options) | max $((MAX_RSS_KB / 1024)) MB (the measured service's highest step peak, VmHWM) | $(verdict "$MAX_RSS_KB <= 400 * 1024") |"
    echo "| start-up ≤ 8 s to ready against an external PostgreSQL | $STARTUP2_MS ms (median of$STARTUP2_ALL ms, migrated database); first start $STARTUP1_MS ms (Flyway migrates) | $(verdict "$STARTUP2_MS <= 8000") |"
    echo "| slow bridge: Get Message and 401 p99 < 50 ms | $(kv "$SG" p99_ms) ms / $(kv "$SU" p99_ms) ms | $(verdict "$(kv "$SG" p99_ms) < 50 && $(kv "$SU" p99_ms) < 50 && $(kv "$SG" requests) > 0 && $(kv "$SU" requests) > 0") |"
    echo "| slow bridge: no lost or doubled message | $SL_OK | $(verdict "\"$SL_OK\" == \"ok\"") |"
} > "$RESULTS"
cat "$RESULTS"
log "results: $RESULTS"
