FROM node:22-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/prisma-generate.mjs scripts/
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --no-audit --no-fund
COPY . .
# the order desk served at / (npm run api would build it at start otherwise)
RUN npm run build:web
ENV NODE_ENV=production
EXPOSE 4000
# node itself, not npm, so that SIGTERM reaches the app (as in docker-compose.yml)
CMD ["node", "--import", "tsx", "--max-semi-space-size=64", "--no-allocation-site-pretenuring", "src/api-main.ts"]
