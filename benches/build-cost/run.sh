#!/usr/bin/env bash
# Clean debug builds of four downstream binary crates, each into a fresh target folder with every
# crate already fetched: wall time and peak memory from `/usr/bin/time -v`. Each crate is built
# REPEAT times (default 3), the crates taking turns, and the median wall time and the largest peak
# memory are reported, and the median against the floor's: single builds on these machines vary
# by a tenth. `crspec-default` is what a crate that writes `crspec = "..."` gets (target: within
# 1.3x of the floor); `crspec-on` the same with the opt-in `regenerate` feature.
# The spec author's edit-then-build loop is measured by spec-loop.sh beside this script.
# Usage: [REPEAT=n] benches/build-cost/run.sh [crate...]   (default: all four)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
crates=("$@")
[ ${#crates[@]} -gt 0 ] || crates=(floor crspec-default crspec-on aws-sdk-ecr)
repeat=${REPEAT:-3}

# One clean build of crate $1: "<wall seconds> <peak RSS in kB>".
build() {
    local dir="$here/$1" target log wall rss
    target=$(mktemp -d)
    log=$(mktemp)
    if ! (cd "$dir" && CARGO_TARGET_DIR="$target" /usr/bin/time -v cargo build -q --offline) 2>"$log" >/dev/null; then
        echo "$1: the build failed:" >&2
        cat "$log" >&2
        exit 1
    fi
    wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
    rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
    rm -rf "$target" "$log"
    echo "$wall" | awk -F: -v rss="$rss" '{ s = (NF == 3) ? $1*3600 + $2*60 + $3 : $1*60 + $2; print s, rss }'
}

for crate in "${crates[@]}"; do
    (cd "$here/$crate" && cargo fetch -q)
done
declare -A walls rsss
for ((i = 0; i < repeat; i++)); do
    for crate in "${crates[@]}"; do
        read -r wall rss < <(build "$crate")
        walls[$crate]+="$wall "
        rsss[$crate]+="$rss "
    done
done
median() {
    echo "$1" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}
floor=""
[ -z "${walls[floor]:-}" ] || floor=$(median "${walls[floor]}")
printf '%-15s %10s %22s %14s %9s\n' crate "wall (s)" "all runs (s)" "peak RSS (MB)" "vs floor"
for crate in "${crates[@]}"; do
    m=$(median "${walls[$crate]}")
    peak=$(echo "${rsss[$crate]}" | tr ' ' '\n' | grep . | sort -n | tail -1)
    ratio="-"
    [ -z "$floor" ] || ratio=$(awk -v m="$m" -v f="$floor" 'BEGIN {printf "%.2fx", m / f}')
    printf '%-15s %10.1f %22s %14.0f %9s\n' "$crate" "$m" "${walls[$crate]}" "$((peak / 1024))" "$ratio"
done
