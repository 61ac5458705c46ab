#!/bin/sh
# Unpacks the production jar and records a class-data-sharing (CDS) archive of the classes a
# start loads, Spring Boot's CDS recipe: the JVM then maps them instead of loading and
# verifying them again (start-up to ready ~11 s -> ~8 s, bench/README.md). docker/Dockerfile
# runs it at image build, bench/run.sh before it measures. The archive belongs to this jar and
# this JDK: record it again for another of either.
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
# The training run refreshes the context (route files loaded, Camel started) and exits. It needs
# no database and no bridge: Flyway is off and nothing connects before a first request.
SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:1/cds-training SPRING_FLYWAY_ENABLED=false \
BRIDGE_URL=http://127.0.0.1:1 ROUTES_DIR="$routes" SERVER_PORT=0 \
    java @"$here/jvm.options" -XX:ArchiveClassesAtExit="$dir/app.jsa" -Dspring.context.exit=onRefresh \
    -jar "$dir/duplicate-message-service.jar" > "$dir/cds-training.log" 2>&1 \
    || { cat "$dir/cds-training.log"; echo "app-cds.sh: the training run failed" >&2; exit 1; }
[ -s "$dir/app.jsa" ] || { echo "app-cds.sh: no archive written" >&2; exit 1; }
