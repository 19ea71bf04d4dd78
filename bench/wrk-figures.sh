# Sourced by the bench scripts: the figures of one wrk --latency report.

# wrk_figures FILE: prints "requests/s p50 p90 p99 non-2xx" (non-2xx is 0 when wrk reports none).
wrk_figures() {
    awk '/Requests\/sec/ {rps=$2} $1=="50%" {p50=$2} $1=="90%" {p90=$2} $1=="99%" {p99=$2} /Non-2xx/ {bad=$5}
         END {print rps, p50, p90, p99, (bad == "" ? 0 : bad)}' "$1"
}
