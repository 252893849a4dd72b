# syntax=docker/dockerfile:1
#
# Verso's image: one program, every role (`verso serve --roles …`). Four stages: `build`
# compiles the server and the web app with every dependency, `prod-deps` installs the
# production dependencies only, `model` pulls an ONNX model when asked (VERSO_MODEL), and the
# final stage holds those results and nothing else.

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
# onnxruntime-node ships its runtime for every platform (~300 MB): only this one's is kept. Its
# install script, which would fetch CUDA files, is among the scripts not run.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm rebuild argon2 better-sqlite3 usearch \
 && find node_modules/onnxruntime-node/bin/napi-v6 -mindepth 2 -maxdepth 2 \
      ! -path "*/linux/$(node -p process.arch)" -exec rm -rf {} + \
 && npm cache clean --force

# A model baked into the image: `docker build --build-arg VERSO_MODEL=multilingual-e5-small .`
# pulls that known ONNX model (verso model list) at build time, checked, so the container needs
# no network for it. Empty (the default): the built-in model, and no download.
FROM build AS model
ARG VERSO_MODEL=""
ARG VERSO_MODEL_HUB=https://huggingface.co
RUN mkdir -p /opt/verso/models \
 && if [ -n "$VERSO_MODEL" ]; then \
      node bin/verso.js model pull "$VERSO_MODEL" --data-dir /opt/verso --model-hub "$VERSO_MODEL_HUB"; \
    fi

FROM ${NODE_IMAGE}
ARG VERSO_MODEL=""
# onnx:/opt/verso/models/NAME with a baked model, else the built-in use-lite.
ENV NODE_ENV=production \
    VERSO_DATA_DIR=/data \
    VERSO_PORT=3000 \
    VERSO_EMBEDDER=${VERSO_MODEL:+onnx:/opt/verso/models/}${VERSO_MODEL:-use-lite}
WORKDIR /app
# Apertium translates Spanish prompts for the English built-in model (VERSO_TRANSLATOR=auto finds
# it). A separate GPL program that Verso runs, never links; Verso works without it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends apertium-eng-spa \
 && rm -rf /var/lib/apt/lists/*
# Owned by root and read-only to the process: it can write its data folder and nothing else.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=model /opt/verso/models /opt/verso/models
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
