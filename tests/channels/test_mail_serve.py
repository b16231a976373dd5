"""``frontline mail serve`` as users run it: its own process, a real SMTP exchange."""

from __future__ import annotations

import os
import smtplib
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from frontline.channels.models import MailMessage
from frontline.core.db import create_db_engine, create_session_factory
from frontline.core.migrations import upgrade
from frontline.org.models import Channel, Product, Queue, Skill
from tests.channels.conftest import sample
from tests.servers import SECRET_KEY, free_port, frontline_command, wait_until


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'mail.db'}"
    engine = create_db_engine(url)
    upgrade(engine)
    with create_session_factory(engine)() as session:
        product = Product(code="TAX", name="Tax reporting")
        session.add(product)
        session.flush()
        skill = Skill(product_id=product.id, language="ru", channel=Channel.EMAIL)
        session.add(skill)
        session.flush()
        session.add(Queue(code="EMAIL-TAX", name="Tax e-mail", skill_id=skill.id))
        session.commit()
    engine.dispose()
    yield url


def _environment(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "FRONTLINE_DATABASE_URL": url,
        "FRONTLINE_SECRET_KEY": SECRET_KEY,
        "FRONTLINE_ENVIRONMENT": "test",
        "FRONTLINE_MAIL_RELAY_PORT": str(free_port()),  # nobody listens: replies wait
    }


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def test_mail_serve_stores_a_message_before_answering(database: str) -> None:
    port = free_port()
    process = subprocess.Popen(
        [*frontline_command(), "mail", "serve", "--port", str(port)],
        env=_environment(database),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: _accepts(port), "mail listener up")
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            client.sendmail("ivan@example.ru", ["email-tax@frontline.test"], sample("plain.eml"))
        engine = create_db_engine(database)
        with create_session_factory(engine)() as session:
            subjects = session.scalars(select(MailMessage.subject)).all()
        engine.dispose()
        assert "Question about my report" in subjects
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.returncode == 0  # SIGTERM is a clean stop


def test_a_busy_port_is_one_clear_line(database: str) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [*frontline_command(), "mail", "serve", "--port", str(port)],
            env=_environment(database),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode != 0
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"error: cannot listen on 127.0.0.1:{port}: ")
