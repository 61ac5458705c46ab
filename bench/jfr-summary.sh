#!/usr/bin/env bash
# Top costs in a JFR recording of the service: bench/jfr-summary.sh FILE.jfr [N] [FROM TO]
# (FROM, TO: wall-clock times HH:MM:SS as jfr print shows them, to keep one step's samples only)
# From the execution samples of the request threads (Tomcat's http-nio-*, the route pool's
# route-*): the share of samples in a few cost centres (inclusive: the centre anywhere on the
# stack), the N (25) hottest methods self and inclusive, and self samples by library.
set -euo pipefail
file=$1
n=${2:-25}
from=${3:-00:00:00}
to=${4:-99:99:99}
jfr print --stack-depth 256 --events jdk.ExecutionSample "$file" | awk -v n="$n" -v from="$from" -v to="$to" '
    function group(f,   p) {
        if (f ~ /^chat\.platform\./) return "chat.platform (the service)"
        if (f ~ /^org\.apache\.camel\./) { split(f, p, "."); return "org.apache.camel." p[4] }
        if (f ~ /^org\.springframework\./) { split(f, p, "."); return "org.springframework." p[3] }
        if (f ~ /^org\.postgresql\./) return "org.postgresql (JDBC)"
        if (f ~ /^com\.zaxxer\.hikari\./) return "com.zaxxer.hikari"
        if (f ~ /^com\.fasterxml\.jackson\./) return "com.fasterxml.jackson"
        if (f ~ /^org\.apache\.hc\./) return "org.apache.hc (HTTP client)"
        if (f ~ /^org\.apache\.(catalina|coyote|tomcat)\./) return "tomcat"
        split(f, p, "."); return p[1] "." p[2] "." p[3]
    }
    BEGIN {
        # cost centres: name and a pattern of a frame that marks it (first match on the stack wins)
        nc = 0
        centre[++nc] = "camel-sql: body/headers -> Map type-conversion miss (SqlHelper.hasParameter/lookupParameter -> tryConvertTo)"
        pat[nc] = "CoreTypeConverterRegistry.tryConvertTo"
        centre[++nc] = "camel-sql: :#${...} parameter expressions (simple/OGNL/bean, exchange copies)"
        pat[nc] = "SqlHelper.lookupParameter|DefaultSqlPrepareStatementStrategy"
        centre[++nc] = "PostgreSQL JDBC driver (org.postgresql)"
        pat[nc] = "^org\\.postgresql\\."
        centre[++nc] = "HikariCP"
        pat[nc] = "^com\\.zaxxer\\.hikari\\."
        centre[++nc] = "bridge HTTP client (org.apache.hc)"
        pat[nc] = "^org\\.apache\\.hc\\."
        centre[++nc] = "Jackson (JSON)"
        pat[nc] = "^com\\.fasterxml\\.jackson\\."
        centre[++nc] = "the service beans (chat.platform, but its servlet filters)"
        pat[nc] = "^chat\\.platform\\."
        excl[nc] = "Filter|Guard"
        centre[++nc] = "Camel bean/method calls and simple language (setVariable method:, ${...})"
        pat[nc] = "^org\\.apache\\.camel\\.(component\\.bean|language)\\."
        centre[++nc] = "Camel routing engine (pipeline, processors, exchanges, error handlers)"
        pat[nc] = "^org\\.apache\\.camel\\."
        centre[++nc] = "Tomcat + Spring MVC + servlet filters (inbound HTTP)"
        pat[nc] = "^org\\.apache\\.(catalina|coyote|tomcat)\\.|^org\\.springframework\\.web\\.|^chat\\.platform\\..*(Filter|Guard)"
    }
    /^jdk\.ExecutionSample/ { depth = 0; delete stack; request = 0; inside = 1; next }
    /startTime = / { t = $3; inside = (t >= from && t <= to) }
    /sampledThread = / { request = ($0 ~ /"(http-nio-[^"]*|route-[0-9]+)"/) }
    /stackTrace = \[/ { in_stack = 1; next }
    in_stack && /^[ \t]*\]/ {
        in_stack = 0
        if (!inside) next
        all++
        if (!request) next
        samples++
        # cost centre: the first centre of the list with a frame anywhere on the stack
        found = 0
        for (c = 1; c <= nc && !found; c++)
            for (i = 0; i < depth; i++)
                if (stack[i] ~ pat[c] && !(excl[c] != "" && stack[i] ~ excl[c])) { cc[c]++; found = 1; break }
        if (!found) cc[0]++
        delete seen
        for (i = 0; i < depth; i++) {
            f = stack[i]
            if (i == 0) { self[f]++; lib[group(f)]++ }
            if (!(f in seen)) { seen[f] = 1; incl[f]++ }
        }
        next
    }
    in_stack {
        f = $0; sub(/^[ \t]+/, "", f); sub(/[ \t]+line:.*$/, "", f)
        if (f != "...") stack[depth++] = f
    }
    END {
        printf "%d execution samples, %d of them on request threads (http-nio-*, route-*)\n\n", all, samples
        printf "-- request threads: cost centres (each sample counted once, in the first centre of this list found on its stack)\n"
        for (c = 1; c <= nc; c++) printf "%7d %5.1f%%  %s\n", cc[c], 100 * cc[c] / samples, centre[c]
        printf "%7d %5.1f%%  %s\n", cc[0], 100 * cc[0] / samples, "other (JDK, threads, ...)"
        printf "\n-- request threads: hottest methods, self\n"
        for (f in self) printf "%7d %5.1f%%  %s\n", self[f], 100 * self[f] / samples, f | "sort -rn | head -" n
        close("sort -rn | head -" n)
        printf "\n-- request threads: self samples by library\n"
        for (g in lib) printf "%7d %5.1f%%  %s\n", lib[g], 100 * lib[g] / samples, g | "sort -rn | head -" n
        close("sort -rn | head -" n)
        printf "\n-- request threads: inclusive (on the stack)\n"
        for (f in incl) printf "%7d %5.1f%%  %s\n", incl[f], 100 * incl[f] / samples, f | "sort -rn | head -" 2 * n
        close("sort -rn | head -" 2 * n)
    }'
