# syntax=docker/dockerfile:1
# The image of every service: the build argument SERVICE picks aeroalpes, notificaciones or ui.
# Build context: the repository root (npm workspaces), e.g.
#   docker build --build-arg SERVICE=aeroalpes -t aeroalpes:dev .
#   docker build --build-arg SERVICE=notificaciones -t aeroalpes-notificaciones:dev .
#   docker build --build-arg SERVICE=ui -t aeroalpes-ui:dev .
# Stages: build (all dependencies, tsc -b), deps (production dependencies only), dev (for
# `skaffold dev`: watches and recompiles synced sources), base (what every service's runtime has),
# one stage per service (its ports, its command, the assets only it reads) and runtime (the
# default, last stage: the selected service's). BuildKit builds only the stages the selected
# service needs. No HEALTHCHECK: Kubernetes probes GET /health (charts/aeroalpes).
# Checked offline by tests/k8s/dockerfiles.test.ts.

# Pinned base image (Node 20 on Debian 12, slim). Override to pin a digest or use a mirror:
#   --build-arg NODE_IMAGE=node:20.20.2-bookworm-slim@sha256:<digest>
ARG NODE_IMAGE=node:20.20.2-bookworm-slim
# The service to build (a folder of services/); required.
ARG SERVICE

# --- build: every workspace dependency (dev included), then the service's TypeScript compiled --
FROM ${NODE_IMAGE} AS build
ARG SERVICE
RUN case "$SERVICE" in aeroalpes|notificaciones|ui) ;; \
      *) echo "--build-arg SERVICE=aeroalpes|notificaciones|ui is required (got '$SERVICE')" >&2; exit 1 ;; esac
WORKDIR /app
RUN chown node:node /app
USER node
# Manifests first: this layer (npm ci) is rebuilt only when a manifest or the lock file changes.
# Every workspace's package.json is needed for npm ci to match package-lock.json.
COPY --chown=node:node package.json package-lock.json tsconfig.base.json ./
COPY --chown=node:node packages/comun/package.json packages/comun/
COPY --chown=node:node packages/contratos/package.json packages/contratos/
COPY --chown=node:node services/aeroalpes/package.json services/aeroalpes/
COPY --chown=node:node services/notificaciones/package.json services/notificaciones/
COPY --chown=node:node services/ui/package.json services/ui/
COPY --chown=node:node tools/platform/package.json tools/platform/
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY --chown=node:node packages/comun/ packages/comun/
COPY --chown=node:node packages/contratos/ packages/contratos/
COPY --chown=node:node proto/ proto/
COPY --chown=node:node services/${SERVICE}/ services/${SERVICE}/
RUN npx tsc -b services/${SERVICE}

# --- deps: production dependencies of this service and its workspace packages only -----------
FROM ${NODE_IMAGE} AS deps
ARG SERVICE
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/comun/package.json packages/comun/
COPY packages/contratos/package.json packages/contratos/
COPY services/aeroalpes/package.json services/aeroalpes/
COPY services/notificaciones/package.json services/notificaciones/
COPY services/ui/package.json services/ui/
COPY tools/platform/package.json tools/platform/
RUN npm ci --omit=dev --workspace services/${SERVICE} --include-workspace-root=false \
      --no-audit --no-fund --ignore-scripts \
    && npm cache clean --force

# --- dev: `skaffold dev` target. Synced .ts files are recompiled and the service restarted ----
FROM build AS dev
ARG SERVICE
ENV NODE_ENV=development
# Read by the command below when the container starts (CMD does not expand build arguments).
ENV AEROALPES_SERVICE=${SERVICE}
CMD ["sh", "-c", "npx tsc -b services/$AEROALPES_SERVICE --watch --preserveWatchOutput & exec node --watch services/$AEROALPES_SERVICE/dist/main.js"]

# --- base: compiled JavaScript and production dependencies, owned by root, run as uid 1000 ----
FROM ${NODE_IMAGE} AS base
ARG SERVICE
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules/ node_modules/
COPY --from=build /app/packages/comun/package.json packages/comun/
COPY --from=build /app/packages/comun/dist/ packages/comun/dist/
COPY --from=build /app/packages/contratos/package.json packages/contratos/
COPY --from=build /app/packages/contratos/dist/ packages/contratos/dist/
# The Avro v1 schemas, read at run time by @aeroalpes/contratos.
COPY --from=build /app/packages/contratos/schema/ packages/contratos/schema/
COPY --from=build /app/services/${SERVICE}/package.json services/${SERVICE}/
COPY --from=build /app/services/${SERVICE}/dist/ services/${SERVICE}/dist/
# uid:gid of the image's `node` user, numeric so that Kubernetes can check runAsNonRoot.
USER 1000:1000

# --- what each service adds: the assets only it reads, its ports and its command ---------------
FROM base AS aeroalpes
# The gRPC contract, loaded at run time by @grpc/proto-loader.
COPY --from=build /app/proto/ proto/
EXPOSE 5000 50051
CMD ["node", "services/aeroalpes/dist/main.js"]

FROM base AS notificaciones
EXPOSE 5001
CMD ["node", "services/notificaciones/dist/main.js"]

FROM base AS ui
# The page and its assets (bootstrap comes from node_modules, a production dependency).
COPY --from=build /app/services/ui/public/ services/ui/public/
EXPOSE 5678
CMD ["node", "services/ui/dist/main.js"]

# --- runtime: the selected service's image (the default target) -------------------------------
FROM ${SERVICE} AS runtime
