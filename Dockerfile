# Capstan's image: the controller (its entrypoint) and the web dashboard (`dashboard`, see
# deploy/optional/dashboard). Build: docker build -t capstan .
# The build stage runs scripts/package.sh, which the tests also run without Docker; the tools
# stage runs tools/build.sh, which the tests also run, to build kustomize, helm and jsonnet from
# the Go modules pinned in tools/versions.env.
#
# For a reproducible image, pin the bases by digest:
#   docker build --build-arg NODE_IMAGE=node:22-bookworm-slim@sha256:<digest> \
#     --build-arg GO_IMAGE=golang:1.26-bookworm@sha256:<digest> -t capstan .
ARG NODE_IMAGE=node:22-bookworm-slim
ARG GO_IMAGE=golang:1.26-bookworm

FROM ${GO_IMAGE} AS tools
WORKDIR /src
COPY tools/build.sh tools/versions.env ./tools/
COPY tools/go ./tools/go
RUN bin="$(CAPSTAN_CACHE_DIR=/cache bash tools/build.sh --only kustomize,helm,jsonnet)" \
 && mkdir -p /out \
 && cp "$bin/kustomize" "$bin/helm" "$bin/jsonnet" "$bin/jsonnet-deps" /out/

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY crds ./crds
# The dashboard's browser app: its sources and Vite config are under src/dashboard/ui (copied
# with src above); built into dist/dashboard-ui, which package.sh copies into /app/dist.
RUN npm run build:dashboard
COPY scripts/package.sh ./scripts/package.sh
RUN bash scripts/package.sh /app

FROM ${NODE_IMAGE} AS runtime
# git: the controller clones and fetches; openssh-client: ssh:// repositories; tini: signals and zombies.
# npm, npx and corepack are removed: the controller never installs anything at run time. The shell
# stays, because git runs some of its helpers through it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git openssh-client ca-certificates tini \
 && rm -rf /var/lib/apt/lists/* \
 && rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
 && rm -f /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
 && groupadd --gid 10001 capstan \
 && useradd --uid 10001 --gid 10001 --home-dir /tmp --shell /usr/sbin/nologin capstan
WORKDIR /app
COPY --from=build /app /app
# The render tools the controller runs; nothing else in the image provides them. jsonnet-deps
# lists what a Jsonnet file imports, so that nothing outside the repository is read.
COPY --from=tools /out/kustomize /out/helm /out/jsonnet /out/jsonnet-deps /usr/local/bin/
ENV CAPSTAN_TOOLS_DIR=/usr/local/bin
ENV NODE_ENV=production HOME=/tmp
USER 10001:10001
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/dist/cli/main.js", "controller"]
