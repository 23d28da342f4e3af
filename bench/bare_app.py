"""The floor for bench/load.py: a Flask app with one endpoint that returns "ok"."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def bare():
    return "ok"
