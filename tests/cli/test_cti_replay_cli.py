"""``frontline cti replay``: a JSON-lines file of events against a running server."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from frontline.cli.main import app
from tests.conftest import throwaway_database
from tests.servers import CTI_SECRET, QUEUE_CODE, Server, running_server, set_up_center

runner = CliRunner()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with throwaway_database("sqlite", tmp_path_factory.mktemp("replay")) as url:
        set_up_center(url)
        with running_server(url) as running:
            yield running


def _replay(server: Server, file: Path, *extra: str) -> Result:
    url = f"http://127.0.0.1:{server.port}"
    arguments = ["cti", "replay", str(file), "--url", url, "--integration", "pbx", *extra]
    return runner.invoke(app, arguments, env={"FRONTLINE_CTI_SECRET": CTI_SECRET})


def _events(*events: Mapping[str, object]) -> str:
    return "\n".join(json.dumps(event) for event in events) + "\n"


def test_replay_posts_each_line_and_prints_the_answers(server: Server, tmp_path: Path) -> None:
    file = tmp_path / "calls.jsonl"
    offered = {"event_id": "r1", "call_id": "r1", "type": "offered", "queue": QUEUE_CODE}
    ended = {"event_id": "r2", "call_id": "r1", "type": "abandoned"}
    file.write_text("# a recorded morning\n" + _events(offered, ended, offered))
    result = _replay(server, file, "--json")
    assert result.exit_code == 0, result.output
    answers = json.loads(result.output)
    assert [a["line"] for a in answers] == [2, 3, 4]
    assert answers[0]["answer"]["action"] == "queue"
    assert answers[2]["answer"] == answers[0]["answer"]  # the repeat changed nothing


def test_a_refused_event_fails_the_run_naming_its_line(server: Server, tmp_path: Path) -> None:
    file = tmp_path / "bad.jsonl"
    file.write_text(_events({"event_id": "b1", "call_id": "b1", "type": "offered", "queue": "NO"}))
    result = _replay(server, file)
    assert result.exit_code == 1
    assert "line 1" in result.output
    assert "NO" in result.output


def test_a_line_that_is_not_json_is_refused_before_anything_is_sent(
    server: Server, tmp_path: Path
) -> None:
    file = tmp_path / "broken.jsonl"
    file.write_text('{"event_id": "x"}\nnot json\n')
    result = _replay(server, file)
    assert result.exit_code == 1
    assert "broken.jsonl:2: not JSON" in result.output
