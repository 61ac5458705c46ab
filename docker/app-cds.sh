#!/bin/sh
# Unpacks the production jar and records a class-data-sharing (CDS) archive of the classes a
# start and a first request load, after Spring Boot's CDS recipe: the JVM then maps them instead
# of loading and verifying them again (start-up to ready about a third less, bench/RESULTS.md).
# docker/Dockerfile runs it at image build, bench/run.sh before it measures. The archive belongs
# to this jar and this JDK: record it again for another of either.
#
#   docker/app-cds.sh JAR DIR ROUTES_DIR
#   java @docker/jvm.options -XX:SharedArchiveFile=DIR/app.jsa -jar DIR/duplicate-message-service.jar
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jar=$1
dir=$2
routes=$3
java -Djarmode=tools -jar "$jar" extract --force --destination "$dir" > /dev/null
name=$(basename "$jar")
[ "$name" = duplicate-message-service.jar ] || mv "$dir/$name" "$dir/duplicate-message-service.jar"
# The training run starts the service as production starts it (route files loaded, Camel and
# Tomcat started), waits until it is live, sends one duplicate without a token (the request
# path up to its 401) and stops it; the JVM writes the archive as it exits. Stopping at the end of
# the context refresh instead (spring.context.exit=onRefresh) left Camel's start, Tomcat's start
# and the request path out: ~3,300 classes still loaded from the jars at every start.
# It needs no database and no bridge: Flyway is off and nothing else connects before a request
# with a token. CDS_TRAINING_PORT: the port it listens on meanwhile (8089).
port=${CDS_TRAINING_PORT:-8089}
SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:1/cds-training SPRING_FLYWAY_ENABLED=false \
BRIDGE_URL=http://127.0.0.1:1 ROUTES_DIR="$routes" SERVER_PORT="$port" \
    java @"$here/jvm.options" -XX:ArchiveClassesAtExit="$dir/app.jsa" \
    -jar "$dir/duplicate-message-service.jar" > "$dir/cds-training.log" 2>&1 &
pid=$!
fail() { kill "$pid" 2> /dev/null || true; cat "$dir/cds-training.log"; echo "app-cds.sh: $1" >&2; exit 1; }
waited=0
until curl -fsS -o /dev/null "http://127.0.0.1:$port/actuator/health/liveness" 2> /dev/null; do
    kill -0 "$pid" 2> /dev/null || fail "the training run stopped before it was live"
    waited=$((waited + 1))
    [ "$waited" -le 1200 ] || fail "the training run was not live within 120 s"
    sleep 0.1
done
status=$(curl -sS -o /dev/null -w '%{http_code}' -X POST \
    "http://127.0.0.1:$port/third-party/v1/conversations/1/messages/1/duplicate") || true
[ "$status" = 401 ] || fail "the training request answered $status, not 401"
kill -TERM "$pid"
wait "$pid" || true
[ -s "$dir/app.jsa" ] || fail "no archive written"
