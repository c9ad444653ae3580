#!/usr/bin/env bash
# Photo processing: images per second and peak memory of `dateline attach` on 12-megapixel photos.
#
#   bench/media-processing.sh BINARY [PHOTOS]
#   e.g. bench/media-processing.sh .build/release/dateline        (100 photos)
#        bench/media-processing.sh .build/debug/dateline 10       (a quick check that it runs)
#
# Builds nothing. Writes PHOTOS (default 100) photo-like JPEGs of 4000x3000 with
# bench/media-photos.py (Pillow; soft colour fields, gradients and grain, quality 90, EXIF with
# camera and GPS, every fourth stored sideways; set PHOTOS_DIR to reuse a folder of them),
# imports the seed release into a fresh SQLite file as a draft, and then attaches each photo to
# it with one `BINARY attach` process per photo, as an operator's loop would: each is checked,
# decoded, turned upright, stripped, made into 480/960/1600 px JPEG and WebP and a 1200x630
# crop, and stored with its renditions in one transaction. Prints the photos' total size, the
# wall-clock time of the loop, images per second, the largest "Maximum resident set size" of any
# attach process (GNU time), and the database's growth per photo. The same loop on a 64x40 PNG
# gives the cost of starting a process and opening the database, printed beside it.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 BINARY [PHOTOS]" >&2; exit 2; }
binary=$(realpath "$1"); count=${2:-100}
here=$(cd "$(dirname "$0")" && pwd)
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: apt-get install time" >&2; exit 2; }
python3 -c 'import PIL' 2>/dev/null || { echo "Pillow missing: python3 -m pip install pillow" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
photos=${PHOTOS_DIR:-$work/photos}
if [ -z "${PHOTOS_DIR:-}" ]; then
    python3 "$here/media-photos.py" "$photos" "$count"
fi
mapfile -t files < <(ls "$photos"/*.jpg | head -n "$count")
[ ${#files[@]} -eq "$count" ] || { echo "only ${#files[@]} photos in $photos" >&2; exit 2; }
bytes=$(cat "${files[@]}" | wc -c)

export DATELINE_DATABASE_URL="$work/bench.sqlite" DATELINE_MAIL_DIR="$work/mail"
id=$("$binary" import "$here/../Samples/seed-release.txt" | sed -n 's/.* release \([0-9a-f]\{32\}\) (.*/\1/p')
[ -n "$id" ] || { echo "the seed release was not imported" >&2; exit 1; }
before=$(stat -c %s "$work/bench.sqlite")

# One process per photo; the largest peak RSS of them.
attach_all() {
    local peak=0 i=0 rss
    for file in "$@"; do
        /usr/bin/time -v -o "$work/time" "$binary" attach "$id" "$file" --alt "Photo $i" >/dev/null
        rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")
        [ "$rss" -gt "$peak" ] && peak=$rss
        i=$((i + 1))
    done
    echo "$peak"
}

start=$(date +%s.%N)
peak=$(attach_all "${files[@]}")
end=$(date +%s.%N)
elapsed=$(echo "$end - $start" | bc -l)
after=$(( $(stat -c %s "$work/bench.sqlite") + $(stat -c %s "$work/bench.sqlite-wal" 2>/dev/null || echo 0) ))

# Start-up and database cost alone: the same loop over a 64x40 PNG.
python3 -c "
from PIL import Image
Image.new('RGB', (64, 40), (200, 180, 40)).save('$work/tiny.png')"
tiny=()
for ((i = 0; i < 10; i++)); do tiny+=("$work/tiny.png"); done
tiny_start=$(date +%s.%N)
tiny_peak=$(attach_all "${tiny[@]}")
tiny_end=$(date +%s.%N)
per_tiny=$(echo "($tiny_end - $tiny_start) / 10" | bc -l)

printf 'photos %d of 4000x3000 (12 MP), %.1f MB in all, %.2f MB each on average\n' "$count" "$(echo "$bytes / 1000000" | bc -l)" "$(echo "$bytes / $count / 1000000" | bc -l)"
printf 'elapsed %.2f s, %.2f images/s (%.3f s each), peak RSS of an attach process %d KB\n' "$elapsed" "$(echo "$count / $elapsed" | bc -l)" "$(echo "$elapsed / $count" | bc -l)" "$peak"
printf 'database grew %.2f MB per photo (renditions only; the upload is not kept)\n' "$(echo "($after - $before) / $count / 1000000" | bc -l)"
printf 'start-up and database alone (a 64x40 PNG): %.3f s per attach, peak RSS %d KB\n' "$per_tiny" "$tiny_peak"
