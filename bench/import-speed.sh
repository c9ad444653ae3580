#!/usr/bin/env bash
# Import speed: releases per second on one core, and peak memory.
#
#   bench/import-speed.sh BINARY [ARGS...]
#   e.g. bench/import-speed.sh .build/release/dateline import --json
#        bench/import-speed.sh /tmp/importer-dev/.build/release/importer-cli --json
#
# Builds nothing. Copies the handed corpora (text + HTML) round-robin into a temporary
# directory until there are N files (default 10000; set RELEASES=...), then runs the binary
# once over that directory, as an operator migrating an archive would (`import --json DIR`
# reads the folder and prints one JSON object per line). Ten thousand file names on the
# command line would cost time of their own: swift-argument-parser merges each repeated
# argument's origins into a set per value, quadratic in their number (about 0.5 s for 4,000).
# Everything runs pinned to CPU 0 (taskset -c 0). Peak memory is GNU time's
# "Maximum resident set size".
#
# Then the four ~1 MB inputs of RobustnessTests (a long text, a page of 20,000 short
# paragraphs, 200,000 nested <div>s, 70,000 unclosed <p><b><i>) are imported one file per
# process, each RUNS times (default 3), and the worst wall-clock seconds of each is printed
# (process start-up included). Set LARGE=0 to skip them.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 BINARY [ARGS...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
corpora=${CORPORA:-"$here/../../shared/corpus/press-releases/handed $here/../../shared/corpus/press-releases-html/handed"}
n=${RELEASES:-10000}
command -v taskset >/dev/null || { echo "taskset missing (util-linux)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: apt-get install time" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mapfile -t sources < <(for c in $corpora; do ls "$c"/*.txt "$c"/*.html "$c"/*.htm 2>/dev/null || true; done | sort)
[ ${#sources[@]} -gt 0 ] || { echo "no corpus files under: $corpora" >&2; exit 2; }
for ((i = 0; i < n; i++)); do
    src=${sources[i % ${#sources[@]}]}
    cp "$src" "$work/$(printf %05d "$i")-$(basename "$src")"
done
bytes=$(cat "$work"/* | wc -c)

start=$(date +%s.%N)
# Exit status 1 means "some release lacks a required field" (pages without a headline); not a failure here.
taskset -c 0 /usr/bin/time -v -o "$work.time" "$@" "$work" > "$work.out" 2> "$work.err" || true
end=$(date +%s.%N)
objects=$(grep -c '^{' "$work.out" || true)
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work.time")
elapsed=$(echo "$end - $start" | bc -l)
printf 'files %d (%d sources, %.1f MB), JSON objects printed %d\n' "$n" "${#sources[@]}" "$(echo "$bytes / 1000000" | bc -l)" "$objects"
printf 'elapsed %.2f s on one core, %.0f releases/s, peak RSS %d KB\n' "$elapsed" "$(echo "$n / $elapsed" | bc -l)" "$rss"
rm -f "$work.out" "$work.err" "$work.time"

[ "${LARGE:-1}" = 0 ] && exit 0
command -v python3 >/dev/null || { echo "python3 missing: cannot write the 1 MB inputs" >&2; exit 2; }
large="$work/large"
mkdir -p "$large"
# The same shapes as RobustnessTests.megabyteInputsGiveACompleteResult (seeded, so every run writes the same bytes).
python3 - "$large" <<'PY'
import random, sys
out = sys.argv[1]
rng = random.Random(7)
mb = 1_000_000
seed = """FOR IMMEDIATE RELEASE
Contact: Dana Rutherford, 202-555-0162, drutherford@example.org

City Council Approves New Transit Plan
Funding for three bus lines is included

WASHINGTON, March 20, 2020 /PRNewswire/ -- The council voted 9-2 on Tuesday to approve the plan.

"This is a good day for riders," said Jane Doe, chair of the transit committee. "We listened."

About Example Org
Example Org works for better transit. Follow Example Org on Twitter.
###""".split("\n")
seed = [l for l in seed if l]
text = []
size = 0
while size < mb:
    rng.shuffle(seed)
    chunk = "\n".join(seed) + "\n\n"
    text.append(chunk); size += len(chunk.encode())
page = ["<!doctype html><html><body>"]
size = len(page[0])
while size < mb:
    p = "<p>The council voted 9-2 on Tuesday, said Jane Doe, chair. %d</p>\n" % rng.randint(0, 9999)
    page.append(p); size += len(p)
page.append("</body></html>")
cases = {
    "long-text.txt": "".join(text),
    "big-page.html": "".join(page),
    "nested-divs.html": "<html><body>" + "<div>" * (mb // 5),
    "unclosed-tags.html": "<html><body>" + "<p><b><i>word " * (mb // 14),
}
for name, body in cases.items():
    with open(f"{out}/{name}", "w", encoding="utf-8") as f:
        f.write(body)
PY
runs=${RUNS:-3}
worst_all=0
for f in "$large"/*; do
    worst=0
    for ((r = 0; r < runs; r++)); do
        s=$(date +%s.%N)
        taskset -c 0 "$@" "$f" > /dev/null 2>&1 || true
        e=$(date +%s.%N)
        worst=$(echo "if ($e - $s > $worst) $e - $s else $worst" | bc -l)
    done
    worst_all=$(echo "if ($worst > $worst_all) $worst else $worst_all" | bc -l)
    printf '1 MB input %-20s %7d bytes  worst of %d runs %.3f s\n' "$(basename "$f")" "$(wc -c < "$f")" "$runs" "$worst"
done
printf '1 MB inputs: worst %.3f s per input\n' "$worst_all"
