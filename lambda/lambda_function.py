"""AWS Lambda entry point (handler `lambda_function.lambda_handler`).

The skill object is built once per execution environment inside `skill.app`, and
its store client and user-id key are made during init (`warm`), which SnapStart and
provisioned concurrency pay ahead of the first request.
"""

from skill.app import lambda_handler, warm

warm()

__all__ = ["lambda_handler"]
