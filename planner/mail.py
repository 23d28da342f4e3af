"""Email: invitations, password reset links, sharing and conversation notices, reminders.

Sent through SMTP with Flask-Mailman, configured by environment (README "Running in a
council"): ``PATHWAYS_MAIL_SERVER``, ``PATHWAYS_MAIL_PORT`` (587), ``PATHWAYS_MAIL_USE_TLS``
(1), ``PATHWAYS_MAIL_USE_SSL`` (0), ``PATHWAYS_MAIL_USERNAME``, ``PATHWAYS_MAIL_PASSWORD``,
``PATHWAYS_MAIL_FROM``. Without a server, messages are printed to the terminal (the console
backend), which is what ``make run`` shows.

Every message has a plain-text and an HTML part rendered from ``templates/email/NAME.txt``
and ``NAME.html``, in plain English. A message never carries plan content beyond a plan's
title: notes, ratings and actions stay behind the sign-in. A message that cannot be sent is
logged and the action that sent it still succeeds (the person can still be given the link).
"""

from __future__ import annotations

import logging
import os

from flask import Flask, current_app, render_template
from flask_mailman import EmailMultiAlternatives, Mail

__all__ = ["mail", "init_mail", "plan_title", "send"]

log = logging.getLogger(__name__)
mail = Mail()


def init_mail(app: Flask) -> None:
    env = os.environ.get
    server = env("PATHWAYS_MAIL_SERVER", "").strip()
    # Without a server: printed to the terminal (make run), or kept in memory under tests.
    app.config.setdefault(
        "MAIL_BACKEND", "smtp" if server else ("locmem" if app.testing else "console")
    )
    app.config.setdefault("MAIL_SERVER", server or "localhost")
    app.config.setdefault("MAIL_PORT", int(env("PATHWAYS_MAIL_PORT", "587")))
    app.config.setdefault("MAIL_USE_TLS", env("PATHWAYS_MAIL_USE_TLS", "1") == "1")
    app.config.setdefault("MAIL_USE_SSL", env("PATHWAYS_MAIL_USE_SSL", "0") == "1")
    app.config.setdefault("MAIL_USERNAME", env("PATHWAYS_MAIL_USERNAME") or None)
    app.config.setdefault("MAIL_PASSWORD", env("PATHWAYS_MAIL_PASSWORD") or None)
    app.config.setdefault("MAIL_DEFAULT_SENDER", env("PATHWAYS_MAIL_FROM", "pathways@localhost"))
    app.config.setdefault("MAIL_TIMEOUT", 10)
    mail.init_app(app)


def send(to: str, subject: str, template: str, **context) -> bool:
    """Send one message to one address; False (and a log line) when it could not be sent."""
    context.setdefault("subject", subject)
    text = render_template(f"email/{template}.txt", **context)
    html = render_template(f"email/{template}.html", **context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception as error:  # SMTP, DNS and socket errors alike: never the user's problem
        log.warning("email %r to %s not sent: %s", template, to, error)
        return False
    current_app.logger.info("email %r sent", template)
    return True


def plan_title(plan) -> str:
    """How an email names a plan: by the role it aims for (never its notes or actions)."""
    from planner.frameworks import parsed_version

    roles = parsed_version(plan.framework_version).roles
    target = roles[plan.target_role].title if plan.target_role in roles else plan.target_role
    return f"Plan to become {target}" + (f" ({plan.label})" if plan.label else "")
