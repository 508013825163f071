"""template.yaml: lint-clean, the SAM transform does what the comments claim, and every
property the deployment depends on is there (least-privilege IAM above all)."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from typing import Any

import pytest
from cfnlint.api import lint, lint_file
from cfnlint.config import ManualArgs
from cfnlint.decode import decode

from .support import ALEXA_REGIONS, ROOT, TEMPLATE

SKILL_ID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"
TABLE_ACTIONS = {
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
    "dynamodb:BatchWriteItem",
}


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    decoded, errors = decode(str(TEMPLATE))
    assert not errors, [str(e) for e in errors]
    assert decoded is not None
    plain: dict[str, Any] = json.loads(json.dumps(decoded))
    return plain


@pytest.fixture(scope="module")
def resources(template: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = template["Resources"]
    return result


@pytest.fixture(scope="module")
def function(resources: dict[str, Any]) -> dict[str, Any]:
    assert resources["SkillFunction"]["Type"] == "AWS::Serverless::Function"
    props: dict[str, Any] = resources["SkillFunction"]["Properties"]
    return props


@pytest.fixture(scope="module")
def transformed(template: dict[str, Any]) -> dict[str, Any]:
    """The template after the real SAM transform (aws-sam-translator), offline."""
    translator = pytest.importorskip("samtranslator.translator.transform")
    source = json.loads(json.dumps(template))
    for name in ("SkillFunction", "RelayFunction"):
        source["Resources"][name]["Properties"]["CodeUri"] = "s3://bucket/skill.zip"

    class NoManagedPolicies:
        def load(self) -> dict[str, str]:
            return {}

    with pytest.MonkeyPatch.context() as env:
        for name, value in {
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_EC2_METADATA_DISABLED": "true",
        }.items():
            env.setenv(name, value)
        result: dict[str, Any] = translator.transform(
            source, {"SkillId": SKILL_ID}, NoManagedPolicies()
        )
    return result


def _statements(role: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for policy in role["Properties"]["Policies"]:
        yield from policy["PolicyDocument"]["Statement"]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# ------------------------------------------------------------------------------ lint


def test_cfn_lint_reports_nothing_for_the_alexa_regions() -> None:
    matches = lint_file(TEMPLATE, config=ManualArgs(regions=ALEXA_REGIONS, include_checks=["I"]))
    assert [str(m) for m in matches] == []


def test_transformed_template_lints_clean(transformed: dict[str, Any]) -> None:
    # cfn-lint skips some checks (IAM action names) on untransformed SAM templates.
    matches = lint(json.dumps(transformed), config=ManualArgs(regions=ALEXA_REGIONS))
    assert [str(m) for m in matches] == []


# ------------------------------------------------------------------------ function


def test_function_runtime_and_limits(function: dict[str, Any], resources: dict[str, Any]) -> None:
    assert function["Runtime"] == "python3.12"
    assert function["Architectures"] == ["arm64"]
    assert function["Handler"] == "lambda_function.lambda_handler"
    assert function["CodeUri"] == "lambda/"
    assert function["Timeout"] < 8  # Alexa gives up at about 8 s
    assert function["MemorySize"] == 512
    assert resources["SkillFunction"]["Metadata"]["BuildMethod"] == "makefile"


def test_makefile_builds_the_function_logical_id() -> None:
    makefile = (ROOT / "lambda" / "Makefile").read_text(encoding="utf-8")
    assert "\nbuild-SkillFunction build-RelayFunction:" in makefile
    assert "skill.packaging bundle" in makefile


def test_lambda_function_only_reexports_the_skill_handler() -> None:
    """Thin: the handler from skill.app, and the init-time warm-up call."""
    source = (ROOT / "lambda" / "lambda_function.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    imports = [node for node in tree.body if isinstance(node, ast.ImportFrom)]
    assert [(i.module, [a.name for a in i.names]) for i in imports] == [
        ("skill.app", ["lambda_handler", "warm"])
    ]
    calls = [n for n in tree.body if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)]
    assert [ast.unparse(c) for c in calls] == ["warm()"]
    assert not [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)]


def test_environment_names_the_secret_but_never_holds_it(
    function: dict[str, Any], template: dict[str, Any]
) -> None:
    variables = function["Environment"]["Variables"]
    assert set(variables) == {
        "STEADY_TABLE",
        "STEADY_SKILL_ID",
        "STEADY_AUDIO_BASE_URL",
        "STEADY_USER_ID_SECRET_PARAM",
        "STEADY_LWA_CREDENTIALS_PARAM",
        "STEADY_PROACTIVE_STAGE",
        "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT",
        "SSM_PARAMETER_STORE_TIMEOUT_MILLIS",
        "PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL",
    }
    assert variables["STEADY_TABLE"] == {"Ref": "SkillTable"}
    assert variables["STEADY_SKILL_ID"] == {"Ref": "SkillId"}
    assert variables["STEADY_AUDIO_BASE_URL"]["Fn::Sub"].startswith("https://${AudioDistribution")
    assert variables["STEADY_USER_ID_SECRET_PARAM"] == {"Ref": "UserIdSecretParameterName"}
    assert variables["STEADY_LWA_CREDENTIALS_PARAM"] == {
        "Fn::If": [
            "HasLwaCredentials",
            {"Ref": "LwaCredentialsParameterName"},
            {"Ref": "AWS::NoValue"},
        ]
    }
    assert template["Parameters"]["LwaCredentialsParameterName"]["Default"] == ""
    assert variables["STEADY_PROACTIVE_STAGE"] == {"Ref": "ProactiveStage"}
    assert template["Parameters"]["ProactiveStage"]["Default"] == "development"
    assert template["Parameters"]["UserIdSecretParameterName"]["Default"].startswith("/")
    assert not [v for v in variables.values() if isinstance(v, str) and "secret" in v.lower()]


def test_the_key_is_read_through_the_parameters_and_secrets_extension(
    function: dict[str, Any], template: dict[str, Any]
) -> None:
    """The layer: the parameter when given, else the pinned arm64 ARN of the stack's
    region, one for each Alexa region; its port is the one the skill reads."""
    from skill.settings import EXTENSION_DEFAULT_PORT, EXTENSION_PORT_VARIABLE

    [layer] = function["Layers"]
    condition, given, mapped = layer["Fn::If"]
    assert condition == "HasSecretsExtensionLayerArn"
    assert given == {"Ref": "SecretsExtensionLayerArn"}
    assert mapped == {"Fn::FindInMap": ["SecretsExtensionLayer", {"Ref": "AWS::Region"}, "arm64"]}
    assert template["Parameters"]["SecretsExtensionLayerArn"]["Default"] == ""
    mapping = template["Mappings"]["SecretsExtensionLayer"]
    assert set(mapping) == set(ALEXA_REGIONS)
    assert function["Architectures"] == ["arm64"]
    for region, arns in mapping.items():
        assert arns["arm64"].startswith(f"arn:aws:lambda:{region}:")
        assert ":layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:" in arns["arm64"]
    variables = function["Environment"]["Variables"]
    assert variables[EXTENSION_PORT_VARIABLE] == str(EXTENSION_DEFAULT_PORT)
    assert 0 < int(variables["SSM_PARAMETER_STORE_TIMEOUT_MILLIS"]) <= 2000


def test_the_layer_survives_the_transform(transformed: dict[str, Any]) -> None:
    skill = transformed["Resources"]["SkillFunction"]
    assert skill["Type"] == "AWS::Lambda::Function"
    assert len(skill["Properties"]["Layers"]) == 1


def test_alexa_trigger_is_restricted_to_the_skill_id(
    function: dict[str, Any], template: dict[str, Any]
) -> None:
    events = function["Events"]
    assert len(events) == 1
    (event,) = events.values()
    assert event == {"Type": "AlexaSkill", "Properties": {"SkillId": {"Ref": "SkillId"}}}
    assert "Default" not in template["Parameters"]["SkillId"]


def test_alexa_permission_sits_on_the_published_alias(transformed: dict[str, Any]) -> None:
    resources = transformed["Resources"]
    permissions = [r for r in resources.values() if r["Type"] == "AWS::Lambda::Permission"]
    assert len(permissions) == 1
    props = permissions[0]["Properties"]
    assert props["Principal"] == "alexa-appkit.amazon.com"
    assert props["EventSourceToken"] == {"Ref": "SkillId"}
    alias = props["FunctionName"]["Ref"]
    assert resources[alias]["Type"] == "AWS::Lambda::Alias"
    assert transformed["Outputs"]["SkillEndpointArn"]["Value"] == {"Ref": alias}
    versions = [r for r in resources.values() if r["Type"] == "AWS::Lambda::Version"]
    assert [v["DeletionPolicy"] for v in versions] == ["Delete"]


def test_snapstart_is_a_switch_with_an_alias(
    function: dict[str, Any], template: dict[str, Any]
) -> None:
    assert function["SnapStart"] == {"ApplyOn": {"Ref": "SnapStart"}}
    parameter = template["Parameters"]["SnapStart"]
    assert set(parameter["AllowedValues"]) == {"None", "PublishedVersions"}
    assert function["AutoPublishAlias"] == "live"


def test_logs_go_to_a_log_group_with_retention(
    function: dict[str, Any], resources: dict[str, Any], template: dict[str, Any]
) -> None:
    assert function["LoggingConfig"]["LogGroup"] == {"Ref": "SkillLogGroup"}
    group = resources["SkillLogGroup"]
    assert group["Type"] == "AWS::Logs::LogGroup"
    assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionInDays"}
    assert template["Parameters"]["LogRetentionInDays"]["Default"] == 30


def test_error_alarm_watches_the_function(resources: dict[str, Any]) -> None:
    alarms = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::CloudWatch::Alarm"]
    errors = [a for a in alarms if a["MetricName"] == "Errors"]
    assert len(errors) == 1
    assert errors[0]["Namespace"] == "AWS/Lambda"
    assert errors[0]["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": "SkillFunction"}}]
    assert errors[0]["Threshold"] == 1


# --------------------------------------------------------------------------- IAM


def test_function_uses_only_its_own_role(function: dict[str, Any]) -> None:
    # With an explicit Role, SAM attaches no managed policy (no logs:* on *).
    assert function["Role"] == {"Fn::GetAtt": ["SkillFunctionRole", "Arn"]}
    assert "Policies" not in function


def test_role_grants_exactly_the_needed_actions(resources: dict[str, Any]) -> None:
    statements = list(_statements(resources["SkillFunctionRole"]))
    assert all(s["Effect"] == "Allow" for s in statements)
    actions = [a for s in statements for a in _as_list(s["Action"])]
    assert len(actions) == len(set(actions))
    assert set(actions) == TABLE_ACTIONS | {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "ssm:GetParameter",
        "kms:Decrypt",
    }
    assert not [a for a in actions if "*" in a]


def test_table_actions_only_on_the_table(resources: dict[str, Any]) -> None:
    for statement in _statements(resources["SkillFunctionRole"]):
        if any(a.startswith("dynamodb:") for a in _as_list(statement["Action"])):
            assert statement["Resource"] == {"Fn::GetAtt": ["SkillTable", "Arn"]}
        if any(a.startswith("logs:") for a in _as_list(statement["Action"])):
            assert statement["Resource"] == {"Fn::GetAtt": ["SkillLogGroup", "Arn"]}
        assert not any(a.startswith("s3:") for a in _as_list(statement["Action"]))


def test_secrets_are_readable_only_by_name_through_ssm(resources: dict[str, Any]) -> None:
    """The user-id key's parameter, and the LWA credentials' only when one is named."""
    by_action = {
        a: s for s in _statements(resources["SkillFunctionRole"]) for a in _as_list(s["Action"])
    }
    key, credentials = by_action["ssm:GetParameter"]["Resource"]
    assert key["Fn::Sub"].endswith(":parameter${UserIdSecretParameterName}")
    condition, named, absent = credentials["Fn::If"]
    assert (condition, absent) == ("HasLwaCredentials", {"Ref": "AWS::NoValue"})
    assert named["Fn::Sub"].endswith(":parameter${LwaCredentialsParameterName}")
    decrypt = by_action["kms:Decrypt"]["Condition"]["StringEquals"]
    assert decrypt["kms:ViaService"] == {"Fn::Sub": "ssm.${AWS::Region}.amazonaws.com"}
    assert decrypt["kms:EncryptionContext:PARAMETER_ARN"] == [key, credentials]


def test_the_lwa_credentials_are_optional(template: dict[str, Any]) -> None:
    """No parameter name (the default): no variable, no grant, no alerts."""
    assert template["Conditions"]["HasLwaCredentials"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "LwaCredentialsParameterName"}, ""]}]
    }


# -------------------------------------------------------------------------- table


def test_table_properties(resources: dict[str, Any]) -> None:
    table = resources["SkillTable"]
    assert table["Type"] == "AWS::DynamoDB::Table"
    props = table["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert props["SSESpecification"]["SSEType"] == "KMS"
    assert props["PointInTimeRecoverySpecification"] == {
        "PointInTimeRecoveryEnabled": True,
        "RecoveryPeriodInDays": 7,
    }
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert props["DeletionProtectionEnabled"] is True
    assert "GlobalSecondaryIndexes" not in props
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"


def test_table_matches_what_the_store_creates(resources: dict[str, Any]) -> None:
    dynamo = pytest.importorskip("skill.store.dynamo")
    if not hasattr(dynamo, "table_definition"):
        pytest.skip("skill.store.dynamo.table_definition() not there yet")
    expected = dynamo.table_definition()
    props = resources["SkillTable"]["Properties"]

    def attributes(definitions: list[dict[str, str]]) -> set[tuple[str, str]]:
        return {(d["AttributeName"], d["AttributeType"]) for d in definitions}

    assert attributes(props["AttributeDefinitions"]) == attributes(expected["AttributeDefinitions"])
    assert props["KeySchema"] == expected["KeySchema"]
    assert props["BillingMode"] == expected["BillingMode"]
    ttl = expected.get("TimeToLiveSpecification", {}).get("AttributeName")
    assert props["TimeToLiveSpecification"]["AttributeName"] == ttl
    assert "GlobalSecondaryIndexes" not in expected
    assert "LocalSecondaryIndexes" not in expected


# -------------------------------------------------------------------------- audio


def test_audio_bucket_is_private(resources: dict[str, Any]) -> None:
    bucket = resources["AudioBucket"]["Properties"]
    assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}
    assert len(bucket["PublicAccessBlockConfiguration"]) == 4
    assert bucket["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]


def test_only_cloudfront_reads_the_cues(resources: dict[str, Any]) -> None:
    statements = resources["AudioBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    allows = [s for s in statements if s["Effect"] == "Allow"]
    assert len(allows) == 1
    assert allows[0]["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allows[0]["Action"] == "s3:GetObject"
    source_arn = allows[0]["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    assert source_arn.endswith(":distribution/${AudioDistribution}")
    denies = [s for s in statements if s["Effect"] == "Deny"]
    assert denies[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_cloudfront_serves_https_through_origin_access_control(resources: dict[str, Any]) -> None:
    config = resources["AudioDistribution"]["Properties"]["DistributionConfig"]
    (origin,) = config["Origins"]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["AudioOriginAccessControl", "Id"]}
    assert origin["DomainName"] == {"Fn::GetAtt": ["AudioBucket", "RegionalDomainName"]}
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "https-only"
    oac = resources["AudioOriginAccessControl"]["Properties"]["OriginAccessControlConfig"]
    assert (oac["OriginAccessControlOriginType"], oac["SigningBehavior"]) == ("s3", "always")


def test_outputs(template: dict[str, Any]) -> None:
    outputs = template["Outputs"]
    assert outputs["SkillFunctionArn"]["Value"] == {"Fn::GetAtt": ["SkillFunction", "Arn"]}
    assert outputs["SkillEndpointArn"]["Value"] == {"Ref": "SkillFunction.Alias"}
    assert outputs["AudioBaseUrl"]["Value"]["Fn::Sub"].startswith("https://")
    assert {"AudioBucketName", "TableName"} <= set(outputs)


# -------------------------------------------------------------------------- relay

RELAY_ACTIONS = {
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:ListStreams",
    "dynamodb:GetItem",
    "dynamodb:UpdateItem",
    "dynamodb:BatchWriteItem",
    "sqs:SendMessage",
}


@pytest.fixture(scope="module")
def relay(resources: dict[str, Any]) -> dict[str, Any]:
    assert resources["RelayFunction"]["Type"] == "AWS::Serverless::Function"
    props: dict[str, Any] = resources["RelayFunction"]["Properties"]
    return props


def test_the_table_streams_new_images(resources: dict[str, Any]) -> None:
    from skill.store.dynamo import table_definition

    declared = resources["SkillTable"]["Properties"]["StreamSpecification"]
    expected = table_definition()["StreamSpecification"]
    assert (
        declared
        == {"StreamViewType": expected["StreamViewType"]}
        == {"StreamViewType": "NEW_IMAGE"}
    )


def test_the_relay_ships_the_skills_bundle_with_its_own_handler(
    relay: dict[str, Any], function: dict[str, Any], resources: dict[str, Any]
) -> None:
    assert relay["Handler"] == "relay_function.lambda_handler"
    assert (ROOT / "lambda" / "relay_function.py").is_file()
    for key in ("CodeUri", "Runtime", "Architectures"):
        assert relay[key] == function[key]
    assert resources["RelayFunction"]["Metadata"]["BuildMethod"] == "makefile"
    makefile = (ROOT / "lambda" / "Makefile").read_text(encoding="utf-8")
    assert "build-RelayFunction" in makefile
    assert relay["Environment"]["Variables"] == {"STEADY_TABLE": {"Ref": "SkillTable"}}
    assert relay["LoggingConfig"]["LogGroup"] == {"Ref": "RelayLogGroup"}
    assert relay["Role"] == {"Fn::GetAtt": ["RelayFunctionRole", "Arn"]}
    assert "Policies" not in relay


def test_only_profile_writes_with_a_full_outbox_invoke_the_relay(relay: dict[str, Any]) -> None:
    """The mapping's filter is the one the store's tests run (FILTER_PATTERN), and a
    failed record is retried a bounded number of times, then reported to the queue."""
    from skill.store.stream import FILTER_PATTERN

    (event,) = relay["Events"].values()
    assert event["Type"] == "DynamoDB"
    props = event["Properties"]
    assert props["Stream"] == {"Fn::GetAtt": ["SkillTable", "StreamArn"]}
    [only] = props["FilterCriteria"]["Filters"]
    assert json.loads(only["Pattern"]) == FILTER_PATTERN
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert 0 < props["MaximumRetryAttempts"] <= 10
    assert 60 <= props["MaximumRecordAgeInSeconds"] <= 86400
    assert props["DestinationConfig"]["OnFailure"]["Destination"] == {
        "Fn::GetAtt": ["RelayFailureQueue", "Arn"]
    }


def test_the_relay_role_grants_exactly_what_a_run_needs(resources: dict[str, Any]) -> None:
    statements = list(_statements(resources["RelayFunctionRole"]))
    assert all(s["Effect"] == "Allow" for s in statements)
    actions = [a for s in statements for a in _as_list(s["Action"])]
    assert len(actions) == len(set(actions))
    assert set(actions) == RELAY_ACTIONS
    by_action = {a: s["Resource"] for s in statements for a in _as_list(s["Action"])}
    for action in ("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"):
        assert by_action[action] == {"Fn::GetAtt": ["SkillTable", "Arn"]}
    for action in ("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"):
        assert by_action[action] == {"Fn::GetAtt": ["SkillTable", "StreamArn"]}
    assert by_action["dynamodb:ListStreams"] == "*"  # it takes no resource
    assert by_action["sqs:SendMessage"] == {"Fn::GetAtt": ["RelayFailureQueue", "Arn"]}
    assert by_action["logs:PutLogEvents"] == {"Fn::GetAtt": ["RelayLogGroup", "Arn"]}


def test_the_relays_failures_are_kept_encrypted_and_alarmed(resources: dict[str, Any]) -> None:
    queue = resources["RelayFailureQueue"]["Properties"]
    assert queue["SqsManagedSseEnabled"] is True
    alarms = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::CloudWatch::Alarm"]
    [waiting] = [a for a in alarms if a["Namespace"] == "AWS/SQS"]
    assert waiting["Dimensions"] == [
        {"Name": "QueueName", "Value": {"Fn::GetAtt": ["RelayFailureQueue", "QueueName"]}}
    ]


def test_the_transform_maps_the_stream_to_the_relay(transformed: dict[str, Any]) -> None:
    mappings = [
        r["Properties"]
        for r in transformed["Resources"].values()
        if r["Type"] == "AWS::Lambda::EventSourceMapping"
    ]
    [mapping] = mappings
    assert mapping["FunctionName"] == {"Ref": "RelayFunction"}
    assert mapping["FilterCriteria"]["Filters"][0]["Pattern"].startswith('{"eventName"')
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
