"""AWS Lambda entry point (handler `lambda_function.lambda_handler`).

The skill object is built once per execution environment inside `skill.app`.
"""

from skill.app import lambda_handler

__all__ = ["lambda_handler"]
