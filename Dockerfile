# blink-bot image: build in node:24-bookworm (python3/make/g++ for better-sqlite3's native
# module when no prebuilt binary fits), run in node:24-bookworm-slim: the same Debian and
# glibc, so the compiled module loads. Runs the built bot as the non-root user `node` with
# the database on the /data volume.

FROM node:24-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY migrations ./migrations
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    DATABASE_PATH=/data/blink-bot.sqlite \
    HTTP_PORT=8080
WORKDIR /app
# src and the tsconfig files stay so that `npm start` (build check, then dist) also works.
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json /app/tsconfig.json /app/tsconfig.build.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/scripts ./scripts
COPY --from=build --chown=node:node /app/migrations ./migrations
COPY --from=build --chown=node:node /app/src ./src
COPY --from=build --chown=node:node /app/dist ./dist
# The package's bin on PATH: `docker exec blink-bot blink-bot backup /data/backup.sqlite` runs
# the compiled CLI (production dependencies only; tsx is gone after the prune).
RUN mkdir -p /data && chown node:node /data \
 && chmod 755 /app/dist/src/cli/main.js \
 && ln -s /app/dist/src/cli/main.js /usr/local/bin/blink-bot
USER node
VOLUME /data
# /healthz listens on 127.0.0.1 inside the container; fetch is built into Node, no curl needed.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
# docs/chat-contract.md §1: the image runs `npm start`. Its script execs node, so the bot is npm's
# direct child and receives SIGTERM to stop polling, let sends finish (<= 10 s) and exit 0.
CMD ["npm", "start"]
