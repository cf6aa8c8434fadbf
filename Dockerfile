# Folio: one image for the api (default command), the worker and the migrations (docs/operations.md,
# "Container image"). The base is swappable so the image test can build on a locally made stand-in for
# node:24-slim (scripts/test-image.sh) where no registry is reachable.
ARG NODE_IMAGE=node:24-slim

# ---- build: all dependencies, compile src/ and migrations/ into dist/, then drop the dev dependencies ----
FROM ${NODE_IMAGE} AS build
ENV NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY package.json package-lock.json ./
# The npm cache survives between builds (BuildKit and Buildah both know cache mounts); the lock file decides.
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
# Tracing is loaded with `node --import ./dist/src/instrument.js`; a build without tracing gets an empty module,
# so the commands below hold either way.
RUN node scripts/build.ts \
  && if [ ! -f dist/src/instrument.js ]; then echo 'export {};' > dist/src/instrument.js; fi \
  && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: the compiled code and the production dependencies, run as an unprivileged user ----
FROM ${NODE_IMAGE} AS runtime
# Set by the build (scripts/test-image.sh passes package.json's version and the git commit).
ARG VERSION=unknown
ARG REVISION=unknown
LABEL org.opencontainers.image.title="folio" \
  org.opencontainers.image.description="Folio: a publishing-platform REST API (api, worker and migrations in one image)" \
  org.opencontainers.image.version="${VERSION}" \
  org.opencontainers.image.revision="${REVISION}" \
  org.opencontainers.image.licenses="MIT"

# tini as PID 1: forwards SIGTERM to node and reaps zombies, so the graceful shutdown runs (`podman stop`,
# Kubernetes) without relying on the engine's --init.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/* \
  && groupadd --system --gid 10001 folio \
  && useradd --system --uid 10001 --gid folio --home-dir /app --no-create-home --shell /usr/sbin/nologin folio

ENV NODE_ENV=production \
  PORT=3000 \
  WORKER_PORT=3001 \
  EMBEDDED_DATA_DIR=/app/.data
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The code stays root-owned (read-only to the process); only the data directory (report files, mail files
# without SMTP_URL) is writable. Mount a volume there when it must outlive the container.
RUN mkdir -p /app/.data && chown folio:folio /app/.data
USER 10001:10001

EXPOSE 3000 3001
# Liveness of the api on PORT. The worker's health server answers the same path on WORKER_PORT: run the worker
# with `--health-cmd` (or a Kubernetes probe) pointing at 3001. No --start-period: dockerfilelint misreads it,
# and 3 × 15 s is ample for a start that takes seconds.
HEALTHCHECK --interval=15s --timeout=3s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

ENTRYPOINT ["/usr/bin/tini", "--"]
# api (default). Worker: node --enable-source-maps --import ./dist/src/instrument.js dist/src/main.worker.js
# Migrations: node node_modules/typeorm/cli.js migration:run -d dist/src/core/database/data-source.js
CMD ["node", "--enable-source-maps", "--import", "./dist/src/instrument.js", "dist/src/main.js"]
