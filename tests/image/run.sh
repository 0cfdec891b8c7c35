#!/usr/bin/env bash
# Builds the Dockerfile as shipped with buildah (no Docker engine, no
# registry) and runs the image against the throwaway database.
#
#   tests/image/run.sh
#
# 1. A debian:12-slim base: `debootstrap --variant=minbase bookworm` from the
#    Debian mirror apt uses on this machine, made slim as the official image
#    is, and committed to buildah's storage as docker.io/library/debian:12-slim
#    (and :bookworm-slim).
#    Registries are blocked and every pull is `never`: nothing is fetched but
#    Debian packages.
# 2. `buildah bud --isolation=chroot --network=host` of the Dockerfile.
# 3. From the image: `teamplotter migrate`, then `teamplotter serve` (its
#    ENTRYPOINT and CMD) on free ports; /readyz on the admin port and /api/v1
#    must answer 200, the image's HEALTHCHECK command must pass, the serving
#    process must run as the image's non-root user with no capabilities, and
#    it must exit 0 on SIGTERM. The image size is printed.
#
# Needs root (debootstrap, chroot isolation): as another user it runs itself
# with `sudo -n`, or skips. Skips too when buildah cannot run a container on
# this machine at all. Needs TEAMPLOTTER_DATABASE_URL (reachable from this
# host: the image runs in the host's network), buildah, debootstrap, python3,
# curl and jq (`scripts/dev.sh image` installs them and starts a database). The base rootfs and buildah's layers are cached in
# build-image/ (TEAMPLOTTER_IMAGE_CACHE); remove it for a run from scratch.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${TEAMPLOTTER_DATABASE_URL:?TEAMPLOTTER_DATABASE_URL must name the throwaway database}"

skip() { echo "SKIP: container image (buildah): $*"; exit 0; }

if [ "$(id -u)" != 0 ]; then
  { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; } \
    || skip "needs root (debootstrap and buildah's chroot isolation) and sudo -n is not allowed"
  status=0
  sudo -n --preserve-env=TEAMPLOTTER_DATABASE_URL,TEAMPLOTTER_IMAGE_CACHE,http_proxy \
    bash "${BASH_SOURCE[0]}" "$@" || status=$?
  exit "$status"
fi
for cmd in buildah debootstrap python3 curl jq timeout flock; do
  command -v "$cmd" >/dev/null 2>&1 || { echo "$0: $cmd is needed (scripts/dev.sh image installs it)" >&2; exit 2; }
done

SUITE=bookworm
BASE_NAME=docker.io/library/debian:12-slim
IMAGE=localhost/teamplotter:image-test
CTR=teamplotter-image-test-$$
# The cached base is made anew after this many days (security updates).
BASE_MAX_AGE_DAYS=7
# The layer cache is dropped when it grows past this (KiB).
STORE_MAX_KIB=$((3 * 1024 * 1024))

CACHE=${TEAMPLOTTER_IMAGE_CACHE:-$ROOT/build-image}
mkdir -p "$CACHE"
# One run at a time per cache: they share buildah's storage and the base.
exec 9>"$CACHE/lock"
flock -w 1800 9 || { echo "$0: $CACHE is locked by another run" >&2; exit 1; }

WORK=$(mktemp -d /tmp/teamplotter-image.XXXXXX)
SERVE_PID=""
CTR_MADE=0

# buildah with storage of our own: the machine's images are not touched.
BH=(buildah --root "$CACHE/storage" --runroot "$WORK/runroot")

cleanup() {
  local m
  if [ -n "$SERVE_PID" ] && kill -0 "$SERVE_PID" 2>/dev/null; then
    kill -TERM "$SERVE_PID" 2>/dev/null || true   # buildah kills its command
    wait "$SERVE_PID" 2>/dev/null || true
  fi
  if [ "$CTR_MADE" = 1 ]; then "${BH[@]}" rm "$CTR" >/dev/null 2>&1 || true; fi
  # An interrupted debootstrap leaves /proc and /sys mounted in its target.
  { findmnt -rn -o TARGET | grep -F "$WORK/" | sort -r || true; } | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
  rm -rf --one-file-system "$WORK" || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PASSED=0
FAILED=0
pass() { echo "PASS: $*"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL: $*"; FAILED=$((FAILED + 1)); }
summary() { echo "image: $PASSED passed, $FAILED failed"; }
# After a failure that leaves nothing more to check.
abort() { summary; exit 1; }
# Shows the end of a log after a failure.
show() { echo "--- last lines of $(basename "$1"):"; tail -n "${2:-30}" "$1" | sed 's/^/    /'; }

# Never a registry: short names resolve to docker.io only, and docker.io is
# blocked, so a base missing from our storage fails at once.
cat >"$WORK/registries.conf" <<'CONF'
unqualified-search-registries = ["docker.io"]
short-name-mode = "disabled"

[[registry]]
location = "docker.io"
blocked = true
CONF
export CONTAINERS_REGISTRIES_CONF="$WORK/registries.conf" BUILDAH_ISOLATION=chroot

# The Debian mirrors apt uses here, so that debootstrap and the apt-get of
# the Dockerfile reach what apt-get reaches.
# shellcheck disable=SC2016 # apt's own $(...) fields, not the shell's
targets=$(apt-get indextargets --format '$(LABEL) $(REPO_URI)' 2>/dev/null || true)
MIRROR=$(awk '$1 == "Debian" {print $2; exit}' <<<"$targets")
SECURITY=$(awk '$1 == "Debian-Security" {print $2; exit}' <<<"$targets")
MIRROR=${MIRROR:-http://deb.debian.org/debian/}
SECURITY=${SECURITY:-http://deb.debian.org/debian-security/}
if [ -z "${http_proxy:-}" ]; then
  proxy=$(apt-config shell p Acquire::http::Proxy | sed -n "s/^p='\(.*\)'$/\1/p")
  # buildah passes http_proxy on to the RUN steps of the build.
  [ -z "$proxy" ] || export http_proxy="$proxy"
fi

# A storage buildah cannot even open means no buildah here at all.
if ! "${BH[@]}" info >"$WORK/info.log" 2>&1; then
  show "$WORK/info.log" 10
  skip "buildah cannot open its storage on this machine (see above)"
fi
# Containers left by a run that was killed (the lock says none runs now).
"${BH[@]}" rm --all >/dev/null 2>&1 || true

elapsed() { echo "$(($(date +%s) - $1)) s"; }

# ------------------------------------------------------ the base image ----
# Writes $CACHE/debian-12-slim.tar: a minbase bookworm made slim as the
# official debian:12-slim is (no docs but copyrights, no man pages or
# locales, apt keeps no caches and starts no services).
make_base_tar() {
  local r=$WORK/rootfs
  echo "debootstrap --variant=minbase $SUITE from $MIRROR"
  if ! timeout 900 debootstrap --variant=minbase --arch="$(dpkg --print-architecture)" \
       "$SUITE" "$r" "$MIRROR" >"$WORK/debootstrap.log" 2>&1; then
    show "$WORK/debootstrap.log"
    [ -f "$r/debootstrap/debootstrap.log" ] && show "$r/debootstrap/debootstrap.log"
    return 1
  fi
  cat >"$r/etc/dpkg/dpkg.cfg.d/slim" <<'CFG'
# As debian:*-slim: documentation, manuals and translations are left out.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/man/*
CFG
  find "$r/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$r/usr/share/doc" -mindepth 1 -type d -empty -delete
  find "$r/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  rm -rf "$r"/usr/share/groff/* "$r"/usr/share/info/* "$r"/usr/share/lintian/overrides/* \
    "$r"/usr/share/man/*
  echo force-unsafe-io >"$r/etc/dpkg/dpkg.cfg.d/unsafe-io"
  cat >"$r/etc/apt/apt.conf.d/slim" <<'CFG'
// As debian:*-slim: no package caches left in a layer, compressed lists,
// no translations, suggested packages autoremoved.
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::GzipIndexes "true";
Acquire::Languages "none";
Apt::AutoRemove::SuggestsImportant "false";
CFG
  printf '#!/bin/sh\n# No services start in an image build.\nexit 101\n' >"$r/usr/sbin/policy-rc.d"
  chmod 0755 "$r/usr/sbin/policy-rc.d"
  rm -f "$r/etc/apt/sources.list"
  cat >"$r/etc/apt/sources.list.d/debian.sources" <<SRC
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  # This machine's name and resolver are no part of an image.
  rm -f "$r/etc/hostname" "$r/etc/resolv.conf"
  rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/cache/apt/*.bin "$r"/var/lib/apt/lists/* \
    "$r"/var/log/*.log "$r"/var/log/apt/* "$r/debootstrap"
  tar --numeric-owner --xattrs --sort=name -C "$r" -cf "$CACHE/debian-12-slim.tar.tmp" .
  mv "$CACHE/debian-12-slim.tar.tmp" "$CACHE/debian-12-slim.tar"
}

# Commits the tarball as $BASE_NAME (and debian:bookworm-slim, the same
# image). With --layers an unchanged tarball gives the same image, so the
# build's layer cache stays valid.
import_base() {
  mkdir -p "$WORK/base"
  ln "$CACHE/debian-12-slim.tar" "$WORK/base/rootfs.tar" 2>/dev/null \
    || cp "$CACHE/debian-12-slim.tar" "$WORK/base/rootfs.tar"
  printf 'FROM scratch\nADD rootfs.tar /\nCMD ["bash"]\n' >"$WORK/base/Containerfile"
  { timeout 300 "${BH[@]}" bud --quiet --layers --pull=never --format docker -t "$BASE_NAME" "$WORK/base" \
      && "${BH[@]}" tag "$BASE_NAME" docker.io/library/debian:$SUITE-slim; } >"$WORK/import.log" 2>&1 \
    || { show "$WORK/import.log"; return 1; }
}

if [ -f "$CACHE/storage.kib" ] && [ "$(cat "$CACHE/storage.kib")" -gt "$STORE_MAX_KIB" ]; then
  echo "layer cache over $((STORE_MAX_KIB / 1024)) MiB: starting it anew"
  rm -rf --one-file-system "$CACHE/storage" "$CACHE/storage.kib"
fi

t=$(date +%s)
if [ -f "$CACHE/debian-12-slim.tar" ] && [ -z "$(find "$CACHE/debian-12-slim.tar" -mtime +"$BASE_MAX_AGE_DAYS")" ]; then
  echo "base: cached $CACHE/debian-12-slim.tar"
else
  make_base_tar || { fail "debootstrap of the $SUITE base"; abort; }
  echo "base: made in $(elapsed "$t")"
fi
import_base || { fail "import of the base as $BASE_NAME"; abort; }

# Can this machine run a buildah container at all? /bin/true in the bare
# base says so without anything of the project.
CTR_MADE=1
if ! { "${BH[@]}" from --pull=never --name "$CTR" "$BASE_NAME" \
       && timeout 60 "${BH[@]}" run --isolation=chroot "$CTR" -- /bin/true; } >"$WORK/probe.log" 2>&1; then
  show "$WORK/probe.log" 10
  skip "buildah cannot run a container on this machine (see above)"
fi
"${BH[@]}" rm "$CTR" >/dev/null
CTR_MADE=0

# ------------------------------------------------------------ the build ----
t=$(date +%s)
if timeout 1800 "${BH[@]}" bud --isolation=chroot --network=host --pull=never --layers --format docker \
     -f "$ROOT/Dockerfile" -t "$IMAGE" "$ROOT" >"$WORK/build.log" 2>&1; then
  pass "Dockerfile builds with buildah from the local $BASE_NAME ($(elapsed "$t"))"
else
  show "$WORK/build.log" 60
  fail "Dockerfile builds with buildah"
  abort
fi

size=$("${BH[@]}" images --format '{{.Size}}' "$IMAGE")
base_size=$("${BH[@]}" images --format '{{.Size}}' "$BASE_NAME" | awk 'NR == 1')
echo "image size: $size (the $BASE_NAME base: $base_size)"

config=$("${BH[@]}" inspect --type image "$IMAGE" | jq -c '.Docker.config')
user=$(jq -r '.User // ""' <<<"$config")
uid=${user%%:*}
mapfile -t entrypoint < <(jq -r '.Entrypoint // [] | .[]' <<<"$config")
mapfile -t cmd < <(jq -r '.Cmd // [] | .[]' <<<"$config")
health=$(jq -r 'if .Healthcheck.Test[0] == "CMD-SHELL" then .Healthcheck.Test[1] else "" end' <<<"$config")
if [[ "$uid" =~ ^[0-9]+$ ]] && [ "$uid" != 0 ]; then
  pass "the image runs as a numeric non-root user ($user)"
else
  fail "the image runs as a numeric non-root user (USER is '${user}')"
fi
[ ${#entrypoint[@]} -gt 0 ] || { fail "the image has an ENTRYPOINT"; abort; }

# ------------------------------------------------------------- the run ----
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
PORT=$(free_port)
ADMIN_PORT=$(free_port)
ENV=(-e "TEAMPLOTTER_DATABASE_URL=$TEAMPLOTTER_DATABASE_URL"
  -e "TEAMPLOTTER_PORT=$PORT" -e "TEAMPLOTTER_ADMIN_PORT=$ADMIN_PORT")
CTR_MADE=1
"${BH[@]}" from --pull=never --name "$CTR" "$IMAGE" >/dev/null
RUN_IN=("${BH[@]}" run --isolation=chroot --network=host "${ENV[@]}" "$CTR" --)

if timeout 120 "${RUN_IN[@]}" "${entrypoint[@]}" migrate >"$WORK/migrate.log" 2>&1; then
  pass "${entrypoint[*]} migrate exits 0"
else
  show "$WORK/migrate.log"
  fail "${entrypoint[*]} migrate exits 0"
fi

"${RUN_IN[@]}" "${entrypoint[@]}" "${cmd[@]}" >"$WORK/serve.log" 2>&1 &
SERVE_PID=$!
status() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true; }
ready=""
for _ in $(seq 1 60); do
  kill -0 "$SERVE_PID" 2>/dev/null || break
  ready=$(status "http://127.0.0.1:$ADMIN_PORT/readyz")
  [ "$ready" = 200 ] && break
  sleep 0.5
done
if [ "$ready" = 200 ]; then
  pass "GET /readyz on the admin port is 200"
else
  show "$WORK/serve.log"
  fail "GET /readyz on the admin port is 200 (got '${ready:-no answer}')"
fi
code=$(status "http://127.0.0.1:$PORT/api/v1")
if [ "$code" = 200 ]; then pass "GET /api/v1 is 200"; else fail "GET /api/v1 is 200 (got '$code')"; fi
# The page and the API reference are embedded in the binary: served by the image as by a build.
for page in / /docs; do
  type=$(curl -s -o /dev/null -w '%{http_code} %{content_type}' --max-time 2 "http://127.0.0.1:$PORT$page" || true)
  case "$type" in
    "200 text/html"*) pass "GET $page is 200 text/html" ;;
    *) fail "GET $page is 200 text/html (got '${type:-no answer}')" ;;
  esac
done

if [ -n "$health" ] && timeout 30 "${RUN_IN[@]}" sh -c "$health" >"$WORK/health.log" 2>&1; then
  pass "the HEALTHCHECK command passes inside the image"
else
  show "$WORK/health.log" 10
  fail "the HEALTHCHECK command passes inside the image ('$health')"
fi

# The serving process: the one descendant of our `buildah run` that runs the
# image's binary.
descendants() {
  local c kids=()
  read -ra kids < <(cat /proc/"$1"/task/*/children 2>/dev/null) || true
  for c in "${kids[@]}"; do
    echo "$c"
    descendants "$c"
  done
}
pid=""
for p in $(descendants "$SERVE_PID"); do
  [ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$(basename "${entrypoint[0]}")" ] && pid=$p
done
if [ -z "$pid" ]; then
  fail "the serving process is found"
else
  uids=$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")
  gids=$(awk '/^Gid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")
  caps=$(awk '/^CapEff:/ {print $2}' "/proc/$pid/status")
  if [ "$uids" = "$uid $uid $uid $uid" ] && [ "$uid" != 0 ]; then
    pass "the server runs as uid $uid (real, effective, saved, fs), gid ${gids%% *}"
  else
    fail "the server runs as the image's non-root user $uid (Uid: $uids)"
  fi
  if [[ "$caps" =~ ^0+$ ]]; then
    pass "the server has no capabilities"
  else
    fail "the server has no capabilities (CapEff: $caps)"
  fi

  # As `docker stop` does: SIGTERM to the container's process.
  kill -TERM "$pid"
  rc=""
  for _ in $(seq 1 60); do
    if ! kill -0 "$SERVE_PID" 2>/dev/null; then
      rc=0
      wait "$SERVE_PID" || rc=$?
      SERVE_PID=""
      break
    fi
    sleep 0.5
  done
  if [ "$rc" = 0 ]; then
    pass "the server exits 0 on SIGTERM"
  else
    show "$WORK/serve.log" 10
    fail "the server exits 0 on SIGTERM (exit status '${rc:-none, still running after 30 s}')"
  fi
fi

du -sk "$CACHE/storage" 2>/dev/null | cut -f1 >"$CACHE/storage.kib" || true
echo "image $IMAGE: $size"
summary
[ "$FAILED" -eq 0 ]
