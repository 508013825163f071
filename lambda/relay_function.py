"""AWS Lambda entry point of the relay (handler `relay_function.lambda_handler`).

The table's stream invokes it for the profile writes that leave enough events in the
outbox (template.yaml, docs/store.md); its store client is built during init.
"""

from skill.store.stream import lambda_handler, warm

warm()

__all__ = ["lambda_handler"]
