"""The Lambda entry point, as AWS would call it: a fresh process importing
`lambda/lambda_function.py`, DynamoDB (moto's server over HTTP) as the store."""

from __future__ import annotations

import os
from typing import Any

from skill.chat import envelopes
from tests.dialog.harness import assert_valid_response
from tests.fixtures.moto_server import DynamoTable
from tests.fresh_process import run_fresh

SKILL_ID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"

RUNNER = """
import json, sys
sys.path.insert(0, "lambda")
from lambda_function import lambda_handler
from skill.app import RequestRefused
answers = []
for event in json.load(sys.stdin):
    try:
        answers.append(lambda_handler(event, None))
    except RequestRefused as refused:
        answers.append({"refused": str(refused)})
print(json.dumps(answers))
"""


def _run(events: list[dict[str, Any]], table: DynamoTable, **env: str) -> list[dict[str, Any]]:
    environment = {
        **os.environ,
        "STEADY_TABLE": table.name,
        "STEADY_DYNAMODB_ENDPOINT": table.endpoint,
        "STEADY_USER_ID_SECRET": "lambda-test-secret",
        "STEADY_LOG_LEVEL": "WARNING",
        **env,
    }
    answers: list[dict[str, Any]] = run_fresh(RUNNER, events, environment)
    return answers


def _session(attributes: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {"skill_id": SKILL_ID, "attributes": attributes, "new_session": False, **kw}


def test_lambda_answers_a_first_conversation_on_dynamodb(dynamo_table: DynamoTable) -> None:
    launch = envelopes.launch_request(skill_id=SKILL_ID)
    [first] = _run([launch], dynamo_table)
    assert_valid_response(first)
    attributes = first["sessionAttributes"]
    names = envelopes.intent_request(
        "CoupleNamesIntent", {"first_name": "Alex", "second_name": "Sam"}, **_session(attributes)
    )
    [second] = _run([names], dynamo_table)
    yes = envelopes.intent_request("AMAZON.YesIntent", {}, **_session(second["sessionAttributes"]))
    [third] = _run([yes], dynamo_table)
    assert "Alex" in third["response"]["outputSpeech"]["ssml"]
    # A later session, a fresh process: the names came back from DynamoDB.
    sync = envelopes.intent_request("SilentSyncIntent", {"breaths": "3"}, skill_id=SKILL_ID)
    [fourth] = _run([sync], dynamo_table)
    assert_valid_response(fourth)
    assert fourth["response"]["outputSpeech"]["ssml"].count(">in<") == 3


def test_lambda_refuses_another_skills_request(dynamo_table: DynamoTable) -> None:
    ours = envelopes.launch_request(skill_id=SKILL_ID)
    theirs = envelopes.launch_request(skill_id="amzn1.ask.skill.someone-else")
    answers = _run([ours, theirs], dynamo_table, STEADY_SKILL_ID=SKILL_ID)
    assert "response" in answers[0]
    assert answers[1] == {"refused": "skill id verification failed"}


def test_skill_disabled_event_deletes_the_couple(dynamo_table: DynamoTable) -> None:
    attributes: dict[str, Any] = {}
    events = [envelopes.launch_request(skill_id=SKILL_ID)]
    [first] = _run(events, dynamo_table)
    attributes = first["sessionAttributes"]
    names = envelopes.intent_request(
        "CoupleNamesIntent", {"first_name": "Alex", "second_name": "Sam"}, **_session(attributes)
    )
    [second] = _run([names], dynamo_table)
    yes = envelopes.intent_request("AMAZON.YesIntent", {}, **_session(second["sessionAttributes"]))
    disabled = envelopes.skill_disabled_event(skill_id=SKILL_ID)
    again = envelopes.launch_request(skill_id=SKILL_ID)
    answers = _run([yes, disabled, again], dynamo_table)
    assert "first name" in answers[2]["response"]["outputSpeech"]["ssml"]
