#!/usr/bin/env bash
# The spec author's loop: edit one spec, then `cargo build`. In a scratch copy of the repository
# with a warm target folder of its own, each of REPEAT rounds (default 3) edits one doc string of
# SPEC (default specs/ecr.yaml; a different text each round, so that the provider's generated
# module really changes) and times the plain `cargo build` at the root that follows, the command
# a spec author runs (regenerate on through the crspec-dev member). Reports the median wall time
# and all rounds, then makes one more edit, builds it with `cargo build --timings` and lists the
# units of that build by duration: which ones dominate the loop.
# Usage: [REPEAT=n] [SPEC=specs/<provider>.yaml] benches/build-cost/spec-loop.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
repeat=${REPEAT:-3}
spec=${SPEC:-specs/ecr.yaml}
module="generated/$(basename "$spec" .yaml).rs"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
copy="$work/crspec"
export CARGO_TARGET_DIR="$work/target"
unset RUSTFLAGS

# The repository's files (tracked, and untracked ones that are not ignored) as they are in the
# working tree; the fuzz workspace and the out-of-workspace bench crates are not needed to build.
(cd "$repo" && git ls-files -z --cached --others --exclude-standard) |
    while IFS= read -r -d '' name; do
        case "$name" in fuzz/* | benches/aws-sdk/* | benches/build-cost/*) continue ;; esac
        [ -e "$repo/$name" ] || continue # deleted in the working tree
        mkdir -p "$copy/$(dirname "$name")"
        cp "$repo/$name" "$copy/$name"
    done
cd "$copy"

# Edit round $1: append " Edit <n>." to the first one-line, unquoted doc string of the spec
# (a trailing space alone would not do: YAML drops it, and the module would not change).
edit() {
    local before
    before=$(cat "$module")
    awk -v n="$1" '
        !done && /^[ \t]*docs: [^>|"'\''[:space:]]/ { sub(/[ \t]*$/, ""); $0 = $0 " Edit " n "."; done = 1 }
        { print }
        END { if (!done) exit 1 }
    ' "$spec" >"$work/spec.yaml" || { echo "no one-line doc string to edit in $spec" >&2; exit 1; }
    mv "$work/spec.yaml" "$spec"
    echo "$before" >"$work/module.before"
}

# Fails if the last build did not rewrite the module: the round would have measured a build
# that regenerated nothing.
check_rewritten() {
    if [ "$(cat "$module")" = "$(cat "$work/module.before")" ]; then
        echo "the build after editing $spec did not change $module" >&2
        exit 1
    fi
}

cargo fetch -q
echo "warming $CARGO_TARGET_DIR (a full build of the copy) ..." >&2
cargo build -q --offline --locked
cargo build -q --offline --locked

walls=""
for ((i = 1; i <= repeat; i++)); do
    edit "$i"
    start=$(date +%s.%N)
    cargo build -q --offline --locked
    end=$(date +%s.%N)
    check_rewritten
    walls+="$(echo "$start $end" | awk '{printf "%.2f", $2 - $1}') "
done
median=$(echo "$walls" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')
printf 'edit %s, then `cargo build`: median %.2f s; all rounds (s): %s\n' "$spec" "$median" "$walls"

# One more round with --timings (not among the timed ones: the report costs a little) and -v
# (which units cargo compiled or ran, and which were fresh).
edit timings
cargo build --offline --locked --timings -v 2>"$work/build.log"
check_rewritten
echo
echo "units of one more such build (cargo build --timings), longest first:"
python3 - "$CARGO_TARGET_DIR/cargo-timings/cargo-timing.html" <<'EOF'
import json, re, sys
html = open(sys.argv[1]).read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S).group(1))
total = sum(u["duration"] for u in units)
print(f"{'unit':<52} {'s':>7} {'share':>6}")
for u in sorted(units, key=lambda u: -u["duration"]):
    name = f"{u['name']} v{u['version']}{u['target']}"
    share = u["duration"] / total if total else 0
    print(f"{name:<52} {u['duration']:>7.2f} {share:>6.0%}")
print(f"{'all units (CPU-s, summed)':<52} {total:>7.2f}")
EOF
echo
echo "what cargo did (cargo build -v of that build):"
{ grep -E '^ *(Dirty|Compiling) ' "$work/build.log" || true; } | sed -E 's/^ +/  /'
{ grep -oE '/build/[^/ ]+/build-script-build' "$work/build.log" || true; } | sort -u |
    sed -E 's|/build/([^/]+)/.*|  Ran the build script of \1|'
echo "  ($(grep -cE '^ *Fresh ' "$work/build.log" || true) units fresh)"
