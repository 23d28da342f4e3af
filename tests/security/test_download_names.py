"""Text that ends up in a download's file name cannot break or add to the header. Finding: a
framework version string with CR/LF or non-ASCII characters broke /framework.yaml for everyone
(invalid header, 500) or injected a second filename= into the download header."""

from __future__ import annotations

import sqlalchemy as sa

from planner.extensions import db
from planner.hardening import attachment
from planner.models import FrameworkVersion


def _current_version_named(app, version: str) -> None:
    """A stored version with this version string (as one saved before versions were checked,
    or written straight into the database), made current."""
    with app.app_context():
        current = db.session.scalar(sa.select(FrameworkVersion).filter_by(is_current=True))
        current.version = version
        db.session.commit()


def test_the_framework_download_survives_any_version_string(app, client, make_user, login):
    make_user("editor@example.org", roles=("national_editor",))
    login("editor@example.org")
    for version in ('1.0"\r\nX-Injected: 1', "2.0; filename=evil.exe", "2025-été ✓"):
        _current_version_named(app, version)
        response = client.get("/framework.yaml")
        assert response.status_code == 200, version
        header = response.headers["Content-Disposition"]
        assert "\r" not in header and "\n" not in header and "X-Injected" not in response.headers
        assert header.count("filename=") == 1 and header.count("filename*=") == 1, header
        assert header.isascii()


def test_attachment_names_are_quoted_and_encoded():
    header = attachment('a"b;c\r\nd é.pdf')
    fallback, encoded = header.split("; filename*=")
    assert fallback == 'attachment; filename="a_b_c__d__.pdf"'
    assert encoded == "UTF-8''a%22b%3Bcd%20%C3%A9.pdf"
