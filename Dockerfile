# Capstan controller image. Build: docker build -t capstan .
# The build stage runs scripts/package.sh, which the tests also run without Docker.

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm install --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY crds ./crds
COPY scripts/package.sh ./scripts/package.sh
RUN bash scripts/package.sh /app

FROM node:20-bookworm-slim AS runtime
# git: the controller clones and fetches; openssh-client: ssh:// repositories; tini: signals and zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git openssh-client ca-certificates tini \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 capstan \
 && useradd --uid 10001 --gid 10001 --home-dir /tmp --shell /usr/sbin/nologin capstan
WORKDIR /app
COPY --from=build /app /app
ENV NODE_ENV=production HOME=/tmp
USER 10001:10001
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/dist/cli/main.js", "controller"]
