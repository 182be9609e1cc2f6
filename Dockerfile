# One JunoKit process: the app, the API and the collab WebSocket on port 8080.
FROM node:20-bookworm-slim
WORKDIR /srv/junokit
COPY package.json package-lock.json ./
COPY doc-model/package.json doc-model/
COPY collab-server/package.json collab-server/
COPY app/package.json app/
# node-llama-cpp (the embedded local model) ships llama.cpp prebuilt for CUDA, Vulkan and other
# CPUs, ≈ 650 MB; the image runs on the CPU it was built for, so only that build stays. Pruned in
# the same layer as the install, or the image would keep the files anyway.
RUN npm ci --no-audit --no-fund \
 && keep="linux-$(node -p 'process.arch === "arm" ? "armv7l" : process.arch')" \
 && find node_modules/@node-llama-cpp -mindepth 1 -maxdepth 1 ! -name "$keep" -exec rm -rf {} + \
 && npm cache clean --force
COPY . .
RUN npm run build
ENV HOST=0.0.0.0 PORT=8080 DATA_DIR=/data
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:8080/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "scripts/start.mjs"]
