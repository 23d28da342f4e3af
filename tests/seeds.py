"""The seed reports the shipped framework quotes, in ``../shared/seeds`` beside the checkout.

Tests that check quotes against them call :func:`seed_texts`. Where the folder is missing
they fail, saying where it should be: a framework whose quotes were not checked must never
pass for a verified one, on a developer's machine or in CI.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from pathways.loader import default_framework_path

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def seed_folder() -> Path:
    """The seeds folder; fails the test if it is missing."""
    if SEEDS.is_dir():
        return SEEDS
    pytest.fail(
        f"the seed reports are not in {SEEDS} (../shared/seeds beside the checkout): the "
        "framework's quotes cannot be checked against them"
    )


def normalise(text: str) -> str:
    """Text as compared with quotes: straight apostrophes, no Markdown emphasis, single spaces."""
    return re.sub(
        r"\s+", " ", text.replace("\u2019", "'").replace("\u2018", "'").replace("*", "")
    ).strip()


def seed_texts() -> dict[str, str]:
    """Each document the default framework cites (by its key), as normalised seed text."""
    folder = seed_folder()
    documents = yaml.safe_load(default_framework_path().read_text())["documents"]
    return {key: normalise((folder / doc["seed"]).read_text()) for key, doc in documents.items()}
