#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/run.sh: the README's test command. Installs what the tests need, then
#   1. normal build + every meson test (unit, lint, integration),
#   2. ASan+UBSan build + the same tests,
#   3. each libFuzzer target for a bounded time (clang),
# and ends with one line "N passed, N failed, N skipped" counted from the
# real results (meson's testlog.json per build, one entry per fuzz target).
# Exit status 0 only if nothing failed.
#
#   tests/run.sh            everything (what .ci/run does)
#   tests/run.sh --quick    stage 1 only
#   FUZZ_TOTAL_SECONDS=280  fuzzing budget, shared equally by the fuzz targets
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
quick=0
[ "${1:-}" = "--quick" ] && quick=1
fuzz_total=${FUZZ_TOTAL_SECONDS:-280}
out=${SY_TEST_OUT:-$root/build-test}
mkdir -p "$out"

"$root/deploy/setup-debian.sh" || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

passed=0 failed=0 skipped=0
stage_fail() { # name
	echo "FAILED stage: $1"
	failed=$((failed + 1))
}

count_meson() { # build dir
	local log="$1/meson-logs/testlog.json" p f s
	[ -f "$log" ] || return 1
	read -r p f s < <(python3 - "$log" <<'PY'
import json, sys
p = f = s = 0
for line in open(sys.argv[1]):
    line = line.strip()
    if not line:
        continue
    r = json.loads(line).get("result")
    if r in ("OK", "EXPECTEDFAIL"):
        p += 1
    elif r == "SKIP":
        s += 1
    else:
        f += 1
        print("  failed test:", json.loads(line).get("name"), r, file=sys.stderr)
print(p, f, s)
PY
)
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	echo "  $1: $p passed, $f failed, $s skipped"
}

run_meson_stage() { # name builddir setup-args...
	local name=$1 dir=$2
	shift 2
	echo "=== $name"
	rm -f "$dir/meson-logs/testlog.json"
	if [ -d "$dir" ]; then
		meson setup --reconfigure "$dir" "$@" >"$dir.setup.log" 2>&1 ||
			meson setup --wipe "$dir" "$@" >"$dir.setup.log" 2>&1
	else
		meson setup "$dir" "$@" >"$dir.setup.log" 2>&1
	fi || { cat "$dir.setup.log"; stage_fail "$name: meson setup"; return; }
	ninja -C "$dir" >"$dir.build.log" 2>&1 ||
		{ tail -50 "$dir.build.log"; stage_fail "$name: build"; return; }
	meson test -C "$dir" --no-rebuild --print-errorlogs --num-processes 2 \
		>"$dir.test.log" 2>&1 || tail -80 "$dir.test.log"
	count_meson "$dir" || stage_fail "$name: no test log"
}

t0=$(date +%s)
run_meson_stage "build + tests" "$out/normal"

if [ $quick -eq 0 ]; then
	run_meson_stage "ASan+UBSan build + tests" "$out/asan" \
		-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

	echo "=== fuzz (${fuzz_total}s shared by the targets)"
	fdir="$out/fuzz"
	fargs=(-Dfuzz=true -Ddataplane=disabled -Db_sanitize=address,undefined -Db_lundef=false)
	if [ -d "$fdir" ]; then
		CC=clang meson setup --reconfigure "$fdir" "${fargs[@]}" >"$fdir.setup.log" 2>&1
	else
		CC=clang meson setup "$fdir" "${fargs[@]}" >"$fdir.setup.log" 2>&1
	fi
	if [ $? -ne 0 ]; then
		cat "$fdir.setup.log"; stage_fail "fuzz: meson setup"
	elif ! ninja -C "$fdir" >"$fdir.build.log" 2>&1; then
		tail -50 "$fdir.build.log"; stage_fail "fuzz: build"
	else
		targets=()
		for t in "$fdir"/tests/fuzz_*; do
			[ -f "$t" ] && [ -x "$t" ] && targets+=("$t")
		done
		fuzz_seconds=$(( fuzz_total / (${#targets[@]} > 0 ? ${#targets[@]} : 1) ))
		[ ${#targets[@]} -gt 0 ] || stage_fail "fuzz: no targets built"
		for t in "${targets[@]}"; do
			n=$(basename "$t")
			corpus="$out/corpus/$n"
			seeds=()
			[ -d "$root/tests/fuzz/seeds/$n" ] && seeds=("$root/tests/fuzz/seeds/$n")
			mkdir -p "$corpus"
			if (cd "$out" && "$t" -max_total_time="$fuzz_seconds" -timeout=10 \
				-rss_limit_mb=2048 "$corpus" "${seeds[@]}" >"$out/$n.log" 2>&1); then
				execs=$(grep -Eo 'Done [0-9]+ runs' "$out/$n.log" | tail -1)
				echo "  $n: ok ($execs in ${fuzz_seconds}s)"
				passed=$((passed + 1))
			else
				echo "  $n: FAILED"; tail -30 "$out/$n.log"
				failed=$((failed + 1))
			fi
		done
	fi
fi

echo "=== done in $(( $(date +%s) - t0 )) s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
