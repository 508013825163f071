"""The `steady` console script. Each subcommand imports its module lazily so that
`steady chat` never pays for Flask, pydub or boto3."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="steady", description="Steady Together, the Alexa skill.")
    commands = parser.add_subparsers(dest="command", required=True)

    chat = commands.add_parser("chat", help="talk to the skill in a local text chat")
    chat.add_argument("--locale", default="en-US", help="locale of the simulated device")
    chat.add_argument("--screen", action="store_true", help="simulate an Echo Show (APL)")
    chat.add_argument(
        "--tz",
        default=None,
        help="the couple's IANA time zone, e.g. Asia/Kolkata (default: this machine's)",
    )

    nlu = commands.add_parser(
        "nlu", help="show the intent and slots the chat hears in TEXT (an utterance profiler)"
    )
    nlu.add_argument("text", help='what is said, e.g. "let\'s do five slow breaths"')
    nlu.add_argument("--locale", default="en-US", help="whose model hears it (default en-US)")
    nlu.add_argument("--json", action="store_true", help='one object: {"intent":..,"slots":{..}}')
    nlu.add_argument(
        "--eliciting",
        metavar="INTENT.SLOT",
        default=None,
        help="heard as the answer to a question asking for this slot",
    )

    serve = commands.add_parser("serve", help="run the skill as an Alexa web service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument(
        "--dev",
        action="store_true",
        help="turn request verification off (loopback addresses only)",
    )

    store = commands.add_parser("store", help="manage the store")
    store_commands = store.add_subparsers(dest="store_command", required=True)
    store_commands.add_parser("create-table", help="create the table on STEADY_DYNAMODB_ENDPOINT")
    backup = store_commands.add_parser(
        "backup", help="copy the embedded store to PATH (consistent while serving)"
    )
    backup.add_argument("path", type=Path)
    restore = store_commands.add_parser("restore", help="replace the embedded store with PATH")
    restore.add_argument("path", type=Path)
    restore.add_argument(
        "--force", action="store_true", help="replace a store that already holds data"
    )

    audio = commands.add_parser("audio", help="build and publish the audio cues")
    audio_commands = audio.add_subparsers(dest="audio_command", required=True)
    build = audio_commands.add_parser("build", help="generate every cue with pydub")
    build.add_argument("--out", type=Path, default=Path("audio-out"))
    publish = audio_commands.add_parser("publish", help="upload the cues to S3")
    publish.add_argument("--bucket", required=True)
    publish.add_argument("--prefix", default="audio")
    publish.add_argument("--source", type=Path, default=Path("audio-out"))

    package = commands.add_parser("package", help="write an ASK CLI v2 skill project")
    package.add_argument("--out", type=Path, default=Path("build/ask-project"))
    package.add_argument(
        "--lambda-arn", default=None, help="the skill endpoint (default: STEADY_LAMBDA_ARN)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "chat":
        from skill.chat.repl import run_chat

        return run_chat(sys.stdin, sys.stdout, locale=args.locale, screen=args.screen, tz=args.tz)
    if args.command == "nlu":
        return _nlu(args)
    if args.command == "serve":
        from skill.web.server import run_serve

        return run_serve(host=args.host, port=args.port, dev=args.dev)
    if args.command == "store":
        return _store(args)
    if args.command == "audio":
        import skill.audio_build.cli as audio_cli

        if args.audio_command == "build":
            return int(audio_cli.build(args.out))
        return int(audio_cli.publish(args.bucket, args.prefix, args.source))
    from skill.packaging import write_ask_project

    return write_ask_project(args.out, lambda_arn=args.lambda_arn)


def _nlu(args: argparse.Namespace) -> int:
    from skill.chat.profiler import print_profile, profile_utterance

    eliciting: tuple[str, str] | None = None
    if args.eliciting:
        intent, _, slot = str(args.eliciting).partition(".")
        if not slot:
            print("--eliciting wants INTENT.SLOT, e.g. NeedIntent.need", file=sys.stderr)
            return 2
        eliciting = (intent, slot)
    print_profile(
        profile_utterance(args.text, args.locale, eliciting=eliciting),
        sys.stdout,
        as_json=args.json,
    )
    return 0


def _store(args: argparse.Namespace) -> int:
    if args.store_command == "backup":
        from skill.store.backup import backup_command

        return backup_command(args.path)
    if args.store_command == "restore":
        from skill.store.backup import restore_command

        return restore_command(args.path, force=args.force)
    from skill.store.admin import create_table

    return create_table()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
