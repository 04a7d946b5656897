#!/usr/bin/env bash
# Clean debug builds of four downstream binary crates, one at a time, each into a fresh target
# folder with every crate already fetched: wall time and peak memory from `/usr/bin/time -v`.
# Usage: benches/build-cost/run.sh [crate...]   (default: all four)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
crates=("$@")
[ ${#crates[@]} -gt 0 ] || crates=(floor crspec-off crspec-on aws-sdk-ecr)
printf '%-12s %10s %14s\n' crate "wall (s)" "peak RSS (MB)"
for crate in "${crates[@]}"; do
    dir="$here/$crate"
    (cd "$dir" && cargo fetch -q)
    target=$(mktemp -d)
    log=$(mktemp)
    if ! (cd "$dir" && CARGO_TARGET_DIR="$target" /usr/bin/time -v cargo build -q --offline) 2>"$log" >/dev/null; then
        echo "$crate: the build failed:" >&2
        cat "$log" >&2
        exit 1
    fi
    wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
    rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
    secs=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
    printf '%-12s %10.1f %14.0f\n' "$crate" "$secs" "$((rss / 1024))"
    rm -rf "$target" "$log"
done
