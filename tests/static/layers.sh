#!/usr/bin/env bash
# The build enforces the layers (docs/architecture.md): each layer library
# sees only its own headers and those of the layers below, and each is
# linked alone with every object kept (layer_check_*). This test shows that
# both checks catch a breach: a core source including a db header must not
# compile, and core calling a db function must not link.
#   tests/static/layers.sh BUILD_DIR
set -euo pipefail
build=${1:?build directory}
fail=0

expect_breach() { # expect_breach TARGET PATTERN WHAT
  local out
  if out=$(cmake --build "$build" --target "$1" 2>&1); then
    echo "FAIL: $3 was built" >&2
    fail=1
  elif ! grep -q -- "$2" <<<"$out"; then
    echo "FAIL: $3 failed, but not for the expected reason:" >&2
    printf '%s\n' "$out" | tail -n 20 >&2
    fail=1
  else
    echo "ok: $3 is refused"
  fi
}

expect_breach layer_probe_include "teamplotter/pool.h: No such file" \
  "a core source including a header of db"
expect_breach layer_probe_call "undefined reference to .tp_pool_acquire" \
  "core calling into db"

# A private header is included by its bare name from beside it: a path
# that climbs out of a layer's folder would step around the checks above.
if grep -rn '#include "\.\./' "$(dirname "$0")/../../service"; then
  echo "FAIL: an include climbs out of its layer's folder" >&2
  fail=1
fi

# Every layer's own check is part of the normal build: they must exist.
for layer in core db http api; do
  if [ ! -x "$build/layer_check_$layer" ]; then
    echo "FAIL: $build/layer_check_$layer was not built" >&2
    fail=1
  fi
done
exit $fail
