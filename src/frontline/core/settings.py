"""One typed settings object, read from ``FRONTLINE_*`` environment variables.

Nothing else in the code base reads the environment: the app factory, the CLI and
the tests build a :class:`Settings` and pass it down.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET_KEY = "change-me-development-only"  # noqa: S105 - a marker refused outside development
DEFAULT_DATA_DIR = Path("var")


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class InsecureSettingsError(Exception):
    """Raised when settings are unsafe for the chosen environment.

    Not a ``ValueError``: pydantic would fold that into a ``ValidationError`` and the
    caller could no longer tell an unsafe setting from a mistyped one.
    """


class Settings(BaseSettings):
    """Frontline settings; every field maps to ``FRONTLINE_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="FRONTLINE_", env_file=".env", extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_DATA_DIR / 'frontline.db'}",
        description="sqlite:///path or postgresql+psycopg://user@host/db",
    )
    secret_key: str = DEFAULT_SECRET_KEY
    default_locale: str = "ru"
    default_time_zone: str = "Europe/Moscow"
    session_max_age_seconds: int = 12 * 3600
    # A cookie marked Secure is not sent over plain http, which is what a local demo uses.
    session_https_only: bool = False
    login_max_failures: int = Field(default=5, ge=1)
    login_lockout_seconds: int = Field(default=15 * 60, ge=1)
    login_rate_limit_per_minute: int = Field(default=20, ge=1)
    log_json: bool = False
    # The solver's time for a scheduling run started from the pages or the API.
    schedule_time_limit_seconds: float = Field(default=20.0, gt=0, le=600)
    # An agent out of adherence this long shows on the supervisors' exception list.
    adherence_exception_minutes: float = Field(default=5.0, gt=0, le=240)
    # E-mail (frontline.channels): the address replies come from, the relay they go to.
    mail_from: str = "support@frontline.local"
    mail_relay_host: str = "127.0.0.1"
    mail_relay_port: int = Field(default=25, ge=1, le=65535)
    # Mail to a recipient whose local part is no e-mail queue's code lands here.
    mail_default_queue: str = ""
    mail_acknowledge: bool = True
    mail_max_attachment_bytes: int = Field(default=10 * 1024 * 1024, ge=1)
    # A whole message over this is refused in the SMTP dialogue (552), before it is stored.
    mail_max_message_bytes: int = Field(default=50 * 1024 * 1024, ge=1024)
    # More messages than this from one sender within an hour are kept but not routed.
    mail_sender_limit_per_hour: int = Field(default=30, ge=1)
    mail_imap_host: str = ""
    mail_imap_port: int = Field(default=993, ge=1, le=65535)
    mail_imap_ssl: bool = True
    mail_imap_user: str = ""
    mail_imap_password: str = ""
    mail_imap_folder: str = "INBOX"
    # Sender addresses of fax-to-mail gateways, comma-separated: their mail with a PDF or
    # TIFF becomes a fax contact (frontline.channels.fax).
    mail_fax_gateways: str = ""
    web_requests_per_hour: int = Field(default=5, ge=1)
    # Web chat (frontline.channels.chat): a file a customer sends, at most this large.
    chat_max_file_bytes: int = Field(default=5 * 1024 * 1024, ge=1)
    # The self-service assistant answers a chat's customer while no agent has taken it.
    chat_assistant: bool = True

    @property
    def fax_gateways(self) -> frozenset[str]:
        """``mail_fax_gateways`` as lower-case addresses."""
        return frozenset(
            address.strip().lower()
            for address in self.mail_fax_gateways.split(",")
            if address.strip()
        )

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Self:
        if (
            self.environment is not Environment.DEVELOPMENT
            and self.secret_key == DEFAULT_SECRET_KEY
        ):
            raise InsecureSettingsError(
                "FRONTLINE_SECRET_KEY must be set to a private random value outside development"
            )
        if self.environment is Environment.PRODUCTION and len(self.secret_key) < 32:
            raise InsecureSettingsError("FRONTLINE_SECRET_KEY must be at least 32 characters")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
