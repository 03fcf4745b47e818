# Mitmach-Börse: one image for web, worker and migrations (see compose.yaml).

# --- front-end assets: KERN UX and htmx from the npm registry -------------------------------
FROM node:22-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

# --- Python environment with uv, exactly as locked ----------------------------------------
FROM python:3.12-slim AS build
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
RUN pip install --no-cache-dir --disable-pip-version-check uv==0.13.8
WORKDIR /app
# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY boerse ./boerse
COPY worker ./worker
RUN uv sync --frozen --no-dev \
    && for po in boerse/locale/*/LC_MESSAGES/messages.po; do \
         if [ -f "$po" ]; then .venv/bin/pybabel -q compile -i "$po" -o "${po%.po}.mo" || exit 1; fi; \
       done

# --- runtime -------------------------------------------------------------------------------
FROM python:3.12-slim
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PICCOLO_CONF=boerse.piccolo_conf \
    BOERSE_VAR_DIR=/app/var
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin boerse
WORKDIR /app
COPY --from=build /app /app
# The app serves these folders under /static (see boerse/app.py).
COPY --from=assets /app/node_modules/@kern-ux/native/dist /app/node_modules/@kern-ux/native/dist
COPY --from=assets /app/node_modules/htmx.org/dist /app/node_modules/htmx.org/dist
COPY --from=assets /app/node_modules/leaflet/dist /app/node_modules/leaflet/dist
RUN mkdir -p /app/var && chown boerse:boerse /app/var
USER boerse
EXPOSE 8000
CMD ["boerse", "serve", "--host", "0.0.0.0", "--port", "8000"]
