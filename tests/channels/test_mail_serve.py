"""``frontline mail serve`` as users run it: its own process, a real SMTP exchange."""

from __future__ import annotations

import smtplib
import socket
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from frontline.channels.models import MailMessage
from frontline.core.db import create_db_engine, create_session_factory
from tests.channels.conftest import (
    mail_environment,
    running_mail_server,
    sample,
    set_up_mail_queue,
)
from tests.servers import frontline_command


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'mail.db'}"
    set_up_mail_queue(url)
    return url


def test_mail_serve_stores_a_message_before_answering(database: str) -> None:
    with running_mail_server(database) as port:
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            client.sendmail("ivan@example.ru", ["email-tax@frontline.test"], sample("plain.eml"))
        engine = create_db_engine(database)
        with create_session_factory(engine)() as session:
            subjects = session.scalars(select(MailMessage.subject)).all()
        engine.dispose()
        assert "Question about my report" in subjects


def test_a_busy_port_is_one_clear_line(database: str) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [*frontline_command(), "mail", "serve", "--port", str(port)],
            env=mail_environment(database),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode != 0
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"error: cannot listen on 127.0.0.1:{port}: ")
