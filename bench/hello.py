"""A bare Flask hello-world, served by the same gunicorn settings as the API: the stack's ceiling."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "ok"
