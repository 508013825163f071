# Steady Together as a self-hosted Alexa web service (steady serve), for a home server.
#
#   docker build -t steady-together .
#   docker run -d --name steady-together --read-only --tmpfs /tmp \
#     --cap-drop ALL --security-opt no-new-privileges \
#     -v steady-data:/data -e STEADY_SKILL_ID=amzn1.ask.skill.<your-skill-id> \
#     -p 127.0.0.1:8080:8080 steady-together
#
# Put a TLS reverse proxy in front (docs/web.md). Only /data (the volume: the SQLite
# store and the user-id key) and /tmp are written; the root filesystem can be read-only.

FROM python:3.12-slim AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY skill ./skill
# The web extra only: no dev tools, no audio build tools.
RUN python -m venv /opt/steady \
    && /opt/steady/bin/pip install --upgrade pip \
    && /opt/steady/bin/pip install ".[web]" \
    && /opt/steady/bin/python -m compileall -q /opt/steady

FROM python:3.12-slim
ENV PATH=/opt/steady/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    STEADY_DATA_DIR=/data
RUN groupadd --system --gid 10001 steady \
    && useradd --system --uid 10001 --gid steady --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin steady \
    && mkdir /data \
    && chown steady:steady /data \
    && chmod 0700 /data
COPY --from=build /opt/steady /opt/steady
VOLUME ["/data"]
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/health', timeout=3).status == 200 else 1)"]
CMD ["steady", "serve", "--host", "0.0.0.0", "--port", "8080"]
