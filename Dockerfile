# Teamplotter container image.
#   docker build -t teamplotter .
#   docker run --rm -e TEAMPLOTTER_DATABASE_URL=postgresql://... teamplotter migrate
#   docker run -p 8080:8080 -e TEAMPLOTTER_DATABASE_URL=postgresql://... teamplotter
# See docker-compose.yml for PostgreSQL + migrate + serve together.

# ---------------------------------------------------------------- build ----
FROM debian:12-slim AS build

# ARG, not ENV: noninteractive apt is for the build only.
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config python3 python3-yaml \
      libulfius-dev libmicrohttpd-dev libjansson-dev liborcania-dev libyder-dev \
      libpq-dev libgnutls28-dev uuid-dev libjwt-dev libmimalloc-dev libxxhash-dev libyajl-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
# Only what the build reads; tests/, docs/, tools/ stay out of the image.
COPY CMakeLists.txt ./
COPY cmake ./cmake
COPY include ./include
COPY service ./service
COPY sql ./sql
COPY openapi ./openapi
COPY web ./web
COPY scripts ./scripts

# Migrations, the OpenAPI document and the page (web/) are embedded in the binary, so the
# runtime stage needs nothing but the binary and its shared libraries.
RUN cmake -S . -B build -DTEAMPLOTTER_TESTS=OFF -DCMAKE_BUILD_TYPE=Release \
 && cmake --build build -j"$(nproc)" \
 && strip build/teamplotter

# -------------------------------------------------------------- runtime ----
FROM debian:12-slim

LABEL org.opencontainers.image.title="teamplotter" \
      org.opencontainers.image.description="Teamplotter REST API"

# The Debian 12 packages of the libraries the binary links directly
# (readelf -d: libulfius.so.2.7, libmicrohttpd.so.12, libjansson.so.4,
# libyder.so.2.0, liborcania.so.2.3, libpq.so.5, libgnutls.so.30,
# libuuid.so.1, libmimalloc.so.2, libxxhash.so.0, libyajl.so.2); curl only for the
# HEALTHCHECK.
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libulfius2.7 libmicrohttpd12 libjansson4 libyder2.0 liborcania2.3 \
      libpq5 libgnutls30 libuuid1 libjwt0 libmimalloc2.0 libxxhash0 libyajl2 curl \
 && rm -rf /var/lib/apt/lists/*

# Fixed numeric uid/gid so orchestrators can check runAsNonRoot.
RUN groupadd --gid 10001 teamplotter \
 && useradd --uid 10001 --gid teamplotter --no-create-home \
      --home-dir /nonexistent --shell /usr/sbin/nologin teamplotter

COPY --from=build /src/build/teamplotter /usr/local/bin/teamplotter

USER 10001:10001
# 8080: the API. 9090: the admin listener (/livez, /readyz, /metrics), for
# probes and scrapers inside the cluster; never publish it to the internet.
EXPOSE 8080 9090

# Liveness only (process answers HTTP), on the admin listener, which its
# own thread serves however busy the API is; readiness (/readyz, database
# reachable) belongs to the orchestrator, see docker-compose.yml.
# Shell form so a TEAMPLOTTER_ADMIN_PORT set at run time is honoured.
HEALTHCHECK --interval=15s --timeout=3s --start-period=5s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${TEAMPLOTTER_ADMIN_PORT:-9090}/livez" || exit 1

# Exec form: teamplotter is PID 1 and handles SIGTERM itself (stops
# accepting, drains in-flight requests for up to 25 s).
ENTRYPOINT ["teamplotter"]
CMD ["serve"]
