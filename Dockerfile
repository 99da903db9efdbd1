# syntax=docker/dockerfile:1
# Build stage: install everything, bundle the server and the dashboard, then drop dev packages.
# glibc (Debian bookworm), not Alpine: @libsql ships a glibc native addon used for file: databases.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY tools/build.mjs ./tools/build.mjs
COPY src ./src
COPY static ./static
RUN npm run build && npm prune --omit=dev

# Runtime stage: production dependencies, the bundle and static files, run as the node user.
FROM node:20-bookworm-slim
# glibc's malloc gives threads up to 8 arenas per core; 2 keep native memory lower (see docs/BENCHMARKS.md).
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATABASE_URL=file:/data/skypulse.db MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/static ./static
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form, so SIGTERM reaches node directly and the graceful shutdown runs.
CMD ["node", "dist/server.js"]
