"""The Dockerfile cannot be built here; check what it relies on instead."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def test_every_file_the_dockerfile_copies_exists():
    sources = []
    for line in DOCKERFILE.splitlines():
        if line.startswith("COPY "):
            sources.extend(part for part in line.split()[1:-1] if not part.startswith("--"))
    assert sources, "the Dockerfile copies something"
    for source in sources:
        assert (ROOT / source).exists(), f"Dockerfile copies missing {source}"


def test_the_image_runs_gunicorn_as_a_non_root_user_with_a_healthcheck():
    assert "USER yss" in DOCKERFILE
    assert "HEALTHCHECK" in DOCKERFILE and "/healthz" in DOCKERFILE
    assert '"gunicorn", "-c", "config/gunicorn.py", "wsgi:app"' in DOCKERFILE


def test_the_image_installs_every_runtime_import():
    requirements = (ROOT / "requirements.txt").read_text().lower()
    for package in ("flask", "flask-smorest", "sqlalchemy", "alembic", "dramatiq", "gunicorn", "redis"):
        assert package in requirements
