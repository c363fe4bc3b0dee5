# The yss API: gunicorn as a non-root user, healthy when /healthz answers.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 YSS_ENV=production PORT=8000 \
    YSS_INSTANCE_PATH=/srv/yss/instance

WORKDIR /srv/yss
RUN useradd --system --create-home --home-dir /home/yss yss

# The monthly evaluation PDF (flask ratings report) needs a Chinese font.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY wsgi.py ./
COPY app ./app
COPY api ./api
COPY config ./config
COPY migrations ./migrations

RUN mkdir -p /srv/yss/instance && chown yss /srv/yss/instance
USER yss
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"
CMD ["gunicorn", "-c", "config/gunicorn.py", "wsgi:app"]
