"""Parsing and checking call scripts: branches, variables, loops and missing steps."""

from __future__ import annotations

import pytest

from frontline.scripts.actions import DEMO_SCRIPT
from frontline.scripts.script import ScriptError, Variables, next_greeting, parse_script

GOOD = """
greetings:
  - "Здравствуйте, {customer_name}! Меня зовут {agent_name}."
  - "Добрый день, {customer_name}. {agent_name} слушает."
  - "Компания на связи, {agent_name}. Чем помочь, {customer_name}?"
start: ask
steps:
  ask:
    say: "Что случилось с заказом {product}?"
    choices:
      - {label: "Курьер опоздал", next: redelivery}
      - {label: "Товар с браком", next: exchange}
  redelivery:
    say: "Бесплатно доставим в другое удобное время."
  exchange:
    say: "Обменяем товар и дадим купон на скидку."
"""


def test_a_script_parses_with_its_branches_and_fills_variables() -> None:
    script = parse_script(GOOD)
    assert script.start == "ask"
    assert [c.next for c in script.steps["ask"].choices] == ["redelivery", "exchange"]
    assert script.steps["exchange"].ends
    values = Variables(customer_name="Анна", agent_name="Олег", product="Экстерн")
    assert script.steps["ask"].say.format_map(values) == "Что случилось с заказом Экстерн?"
    assert script.greetings[0].format_map(values) == "Здравствуйте, Анна! Меня зовут Олег."


def test_json_is_accepted_too() -> None:
    script = parse_script('{"greetings": ["Hi"], "start": "a", "steps": {"a": {"say": "Bye"}}}')
    assert list(script.steps) == ["a"]


def test_a_loop_without_an_end_is_refused_naming_the_step() -> None:
    looping = GOOD.replace(
        'say: "Обменяем товар и дадим купон на скидку."',
        ('say: "Обменяем?"\n    choices:\n      - {label: "Снова", next: exchange}'),
    )
    with pytest.raises(ScriptError) as refused:
        parse_script(looping)
    assert refused.value.step == "exchange"
    assert "Step 'exchange' loops" in refused.value.message


def test_a_cycle_with_a_way_out_is_fine() -> None:
    script = parse_script(
        GOOD.replace(
            '- {label: "Товар с браком", next: exchange}', '- {label: "Ещё раз", next: ask}'
        )
    )
    assert script.steps["ask"].choices[1].next == "ask"


def test_a_missing_step_is_named() -> None:
    with pytest.raises(ScriptError) as refused:
        parse_script(GOOD.replace("next: exchange", "next: refund"))
    assert refused.value.step == "ask"
    assert "missing step 'refund'" in refused.value.message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("greetings: [Hi]\nstart: nowhere\nsteps: {a: {say: x}}", "'start' names a missing step"),
        ("greetings: []\nstart: a\nsteps: {a: {say: x}}", "1 to 7"),
        (
            "greetings: [a, b, c, d, e, f, g, h]\nstart: a\nsteps: {a: {say: x}}",
            "1 to 7",
        ),
        ("greetings: ['Hi {customer}']\nstart: a\nsteps: {a: {say: x}}", "unknown variable"),
        ("greetings: [Hi]\nstart: a\nsteps: {a: {say: ''}}", "Step 'a': 'say'"),
        ("[unclosed", "Not valid YAML"),
        ("just text", "A script is a mapping"),
    ],
)
def test_bad_scripts_are_refused_clearly(text: str, words: str) -> None:
    with pytest.raises(ScriptError, match=words):
        parse_script(text)


def test_a_returning_caller_never_hears_the_previous_greeting() -> None:
    for count in range(2, 8):
        for previous in range(count):
            assert next_greeting(count, previous, seed=11) != previous
    # Five calls in a row walk through all five variants.
    heard = [next_greeting(5, None, seed=3)]
    for _ in range(4):
        heard.append(next_greeting(5, heard[-1], seed=3))
    assert sorted(heard) == [0, 1, 2, 3, 4]


def test_the_demo_script_has_six_greetings_and_every_step_reaches_an_end() -> None:
    script = parse_script(DEMO_SCRIPT.read_text(encoding="utf-8"))
    assert len(script.greetings) == 6
    assert len(set(script.greetings)) == 6
    assert {"late_courier", "defect", "close"} <= set(script.steps)
