# syntax=docker/dockerfile:1
#
# Verso's image: one program, every role (`verso serve --roles …`). Three stages: `build`
# compiles the server and the web app with every dependency, `prod-deps` installs the
# production dependencies only, and the final stage holds those two results and nothing else.

# Node 20 as package.json's engines ask; every stage on the same Debian release, so the native
# addons built in `prod-deps` load in the final stage.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Compilers only for a native addon without a prebuilt binary for the build platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# No scripts: `prepare` would build before the sources are here, and nothing built in this
# stage runs a native addon.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY web ./web
RUN npm run build

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# The root package's own scripts would build; the native addons' install scripts are run
# explicitly instead, so only they run.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm rebuild argon2 better-sqlite3 usearch \
 && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    VERSO_DATA_DIR=/data \
    VERSO_PORT=3000
WORKDIR /app
# Apertium translates Spanish prompts for the English built-in model (VERSO_TRANSLATOR=auto finds
# it). A separate GPL program that Verso runs, never links; Verso works without it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends apertium-eng-spa \
 && rm -rf /var/lib/apt/lists/*
# Owned by root and read-only to the process: it can write its data folder and nothing else.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY data/demo ./data/demo
# 1000 is the `node` user of the base image; numeric, so Kubernetes can verify runAsNonRoot.
RUN mkdir -p /data && chown 1000:1000 /data
USER 1000:1000
# One folder is one installation in embedded mode: the database, the vector index, the bucket.
VOLUME ["/data"]
EXPOSE 3000
# Liveness only: the process answers. Readiness (/readyz) is for orchestrators that route
# traffic; an engine that is down must not get a healthy process restarted.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.VERSO_PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/verso.js"]
CMD ["serve"]
