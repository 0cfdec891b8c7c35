#!/bin/sh
# Renders an SVG chart in headless Chromium and checks that the PNG is not
# blank. Used by test_gap_analyse_chart (the chart of a gap analysis must render in a
# browser) and to regenerate docs/gap-analyse-voorbeeld.png.
#
#   chart_render.sh [-s WIDTHxHEIGHT] CHART.svg OUT.png [RRGGBB ...]
#
# -s: the browser window (default 800x900). Each RRGGBB must be the exact
# colour of at least 40 pixels (a bar or band of that colour really drawn).
# Exit status: 0 rendered and not blank; 1 the render or the check failed;
# 2 usage; 3 chromium or python3 missing (a failure, not a skip: CI installs
# Debian's chromium).
set -eu

size=800x900
if [ "${1:-}" = "-s" ]; then
  size=${2:?-s needs WIDTHxHEIGHT}
  shift 2
fi
if [ $# -lt 2 ]; then
  echo "usage: $0 [-s WIDTHxHEIGHT] CHART.svg OUT.png [RRGGBB ...]" >&2
  exit 2
fi
svg=$1
png=$2
shift 2
case $size in
  *[!0-9x]* | x* | *x | *x*x*) echo "chart_render: bad size '$size'" >&2; exit 2 ;;
esac
width=${size%x*}
height=${size#*x}

if ! command -v chromium >/dev/null 2>&1; then
  echo "chart_render: chromium is not installed (apt-get install -y chromium); the chart cannot be rendered" >&2
  exit 3
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "chart_render: python3 is not installed; the PNG cannot be checked" >&2
  exit 3
fi
if [ ! -r "$svg" ]; then
  echo "chart_render: cannot read $svg" >&2
  exit 2
fi

abs_svg=$(cd "$(dirname "$svg")" && pwd)/$(basename "$svg")
profile=$(mktemp -d "${TMPDIR:-/tmp}/chart-render-XXXXXX")
log=$profile.log
trap 'rm -rf "$profile" "$log"' EXIT
rm -f "$png"

status=0
timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
  --disable-background-networking --disable-component-update --disable-sync --no-first-run \
  --user-data-dir="$profile" --screenshot="$png" --window-size="$width,$height" \
  "file://$abs_svg" >"$log" 2>&1 || status=$?
if [ "$status" -ne 0 ] || [ ! -s "$png" ]; then
  echo "chart_render: chromium exited with status $status and wrote no screenshot; its output:" >&2
  tail -n 20 "$log" >&2
  exit 1
fi

# The PNG, decoded with the standard library only: size, distinct colours,
# and the pixels of each colour asked for.
python3 - "$png" "$width" "$height" "$@" <<'PY'
import struct
import sys
import zlib

path, want_w, want_h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
colours = [c.lower().lstrip("#") for c in sys.argv[4:]]


def fail(msg):
    print("chart_render: " + msg, file=sys.stderr)
    sys.exit(1)


data = open(path, "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    fail("not a PNG")
pos, idat, ihdr = 8, [], None
while pos + 8 <= len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        ihdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat.append(body)
    elif kind == b"IEND":
        break
    pos += 12 + n
if ihdr is None:
    fail("no IHDR chunk")
w, h, depth, ctype, _, _, interlace = ihdr
if (w, h) != (want_w, want_h):
    fail("the PNG is %dx%d, expected %dx%d" % (w, h, want_w, want_h))
channels = {2: 3, 6: 4}.get(ctype)
if depth != 8 or channels is None or interlace != 0:
    fail("unexpected PNG format: depth %d, colour type %d, interlace %d" % (depth, ctype, interlace))
raw = zlib.decompress(b"".join(idat))
stride = w * channels
prev = bytearray(stride)
counts = {}
for y in range(h):
    start = y * (stride + 1)
    ftype = raw[start]
    line = bytearray(raw[start + 1:start + 1 + stride])
    if ftype == 1:
        for i in range(channels, stride):
            line[i] = (line[i] + line[i - channels]) & 255
    elif ftype == 2:
        for i in range(stride):
            line[i] = (line[i] + prev[i]) & 255
    elif ftype == 3:
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
    elif ftype == 4:
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[i] = (line[i] + pred) & 255
    elif ftype != 0:
        fail("bad PNG filter type %d in row %d" % (ftype, y))
    for x in range(0, stride, channels):
        px = bytes(line[x:x + 3])
        counts[px] = counts.get(px, 0) + 1
    prev = line
distinct = len(counts)
top = max(counts.values())
print("chart_render: %dx%d, %d distinct colours, the commonest covers %.1f%%"
      % (w, h, distinct, 100.0 * top / (w * h)))
if distinct <= 10:
    fail("the rendering is blank: only %d distinct colours" % distinct)
for c in colours:
    n = counts.get(bytes.fromhex(c), 0)
    print("chart_render: #%s: %d pixels" % (c, n))
    if n < 40:
        fail("colour #%s is (almost) absent: %d pixels" % (c, n))
PY
