"""The assistant's pages and the script admin page, as a browser-like client sees them."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontline.auth.models import Role
from frontline.scripts.models import CallScript
from tests.contacts.conftest import Center, caller_of, center
from tests.scripts.test_script import GOOD
from tests.web.conftest import SignedIn, charts_in, csrf_of, field_error, signed_in
from tests.web.test_pages import _post_form

__all__ = ["caller_of", "center", "signed_in"]


def test_the_public_page_answers_through_htmx_without_a_sign_in(
    signed_in: SignedIn, center: Center
) -> None:
    supervisor, _ = signed_in(Role.SUPERVISOR)
    supervisor.cookies.clear()  # a stranger: the page needs no account
    token = csrf_of(supervisor.get("/assistant").text)
    headers = {"HX-Request": "true"}
    part = supervisor.post(
        "/assistant/say", data={"text": "банкомат у Курской", "csrf_token": token}, headers=headers
    )
    assert part.status_code == 200
    assert "<html" not in part.text
    assert "ул. Земляной Вал, 33" in part.text
    empty = supervisor.post(
        "/assistant/say", data={"text": " ", "csrf_token": token}, headers=headers
    )
    assert empty.status_code == 422
    assert 'id="assistant-text-error"' in empty.text
    forged = supervisor.post("/assistant/say", data={"text": "привет", "csrf_token": "x"})
    assert forged.status_code == 403


def test_supervisors_read_the_report_and_agents_may_not(
    signed_in: SignedIn, center: Center
) -> None:
    customer, _ = signed_in(Role.AGENT)
    token = csrf_of(customer.get("/assistant").text)
    for text in ("банкомат у Курской", "оператор"):
        customer.post("/assistant/say", data={"text": text, "csrf_token": token})
    supervisor, _ = signed_in(Role.SUPERVISOR)
    report = supervisor.get("/assistant/report")
    assert report.status_code == 200
    assert "Ближайший банкомат" in report.text
    assert "Передача оператору" in report.text
    (outcomes,) = charts_in(report.text)
    assert [dataset["label"] for dataset in outcomes["data"]["datasets"]] == [
        "Решено",
        "Не решено",
        "Передано оператору",
    ]
    assert len(outcomes["data"]["labels"]) == 30
    # Today is the last bar: the ATM answer resolved, then one hand-off.
    assert [dataset["data"][-1] for dataset in outcomes["data"]["datasets"]] == [1, 0, 1]
    assert all(sum(dataset["data"][:-1]) == 0 for dataset in outcomes["data"]["datasets"])
    assert customer.get("/assistant/report").status_code == 403


def test_a_looping_script_is_refused_on_the_admin_page_naming_the_step(
    signed_in: SignedIn, center: Center, db: Session
) -> None:
    admin, _ = signed_in(Role.ADMIN)
    looping = GOOD.replace("next: exchange", "next: ask").replace("next: redelivery", "next: ask")
    form = {"name": "Доставка", "queue_id": str(center.queue.id), "body": looping}
    refused = _post_form(admin, "/admin/call-scripts/new", form)
    assert refused.status_code == 422
    assert "Step 'ask' loops" in (field_error(refused.text, "body") or "")
    assert db.scalar(select(func.count()).select_from(CallScript)) == 0
    saved = _post_form(admin, "/admin/call-scripts/new", {**form, "body": GOOD})
    assert saved.status_code == 303
    assert db.scalar(select(func.count()).select_from(CallScript)) == 1
