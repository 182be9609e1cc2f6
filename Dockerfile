# One JunoKit process: the app, the API and the collab WebSocket on port 8080.
FROM node:20-bookworm-slim
WORKDIR /srv/junokit
COPY package.json package-lock.json ./
COPY doc-model/package.json doc-model/
COPY collab-server/package.json collab-server/
COPY app/package.json app/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
ENV HOST=0.0.0.0 PORT=8080 DATA_DIR=/data
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:8080/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "scripts/start.mjs"]
