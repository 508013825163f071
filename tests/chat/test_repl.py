"""The README's run command, scripted: `steady chat` reads lines from standard
input, opens the skill, runs a Silent Sync and a check-in for two partners."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from skill.chat.repl import plain

STEADY = Path(sys.executable).with_name("steady")

SCRIPT = """\
open steady together
we are Alex and Sam
yes
:nfi let's do a silent sync with eight breaths
:nfi leave Jo a thank you for the flowers
:nfi i want to die
let's do a silent sync
no
:new
open steady together
let's check in
fine
frustrated
I need some quiet time
hopeful
I need a walk together
:new
:as Sam
open steady together
Sam
Sam
:quit
"""


def test_scripted_chat_runs_a_sync_and_a_check_in(tmp_path: Path) -> None:
    env = {**os.environ, "STEADY_DATA_DIR": str(tmp_path)}
    env.pop("STEADY_TABLE", None)
    done = subprocess.run(
        [str(STEADY), "chat"],
        input=SCRIPT,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    said = [line for line in done.stdout.splitlines() if line.startswith("Alexa: ")]
    text = "\n".join(said)
    assert "first name" in said[0]
    assert "Alex and Sam" in said[1]
    assert text.count("in … out") >= 4  # five paced breaths
    assert "frustrated" in text and "some quiet time" in text
    assert "hopeful" in text and "a walk together" in text
    assert "Sam" in said[-1] and "voice" in said[-1]
    # :nfi shows what a name-free request would be answered, and the chat goes on.
    assert "(name-free) SilentSyncIntent: YES" in done.stdout
    assert "breaths '8': understood YES, can act on it YES" in done.stdout
    assert "(name-free) LeaveGratitudeIntent: MAYBE" in done.stdout
    assert "(name-free) SafetyIntent: YES" in done.stdout
    assert "(session ended)" in done.stdout
    assert done.stderr == ""  # no log lines, no tracebacks in a person's chat


def test_plain_text_shows_chimes_and_pauses_and_unescapes() -> None:
    ssml = '<speak>Tea &amp; toast<break time="3s"/><audio src="soundbank://x"/>in</speak>'
    assert plain(ssml) == "Tea & toast … ♪ in"


def test_the_machines_zone_is_the_default_for_tz(tmp_path: Path) -> None:
    from skill.chat.repl import machine_zone

    assert machine_zone({"TZ": "Asia/Kolkata"}, tmp_path) == "Asia/Kolkata"
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "localtime").symlink_to("/usr/share/zoneinfo/Europe/London")
    assert machine_zone({}, tmp_path) == "Europe/London"
    (tmp_path / "etc" / "timezone").write_text("America/Los_Angeles\n")
    assert machine_zone({"TZ": "Not/AZone"}, tmp_path) == "America/Los_Angeles"
    assert machine_zone({}, tmp_path / "nowhere") == "UTC"


def test_chat_takes_tz_and_refuses_a_zone_it_does_not_know(tmp_path: Path) -> None:
    env = {**os.environ, "STEADY_DATA_DIR": str(tmp_path)}
    env.pop("STEADY_TABLE", None)
    refused = subprocess.run(
        [str(STEADY), "chat", "--tz", "Middle/Earth"],
        input="open steady together\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert refused.returncode == 2 and "Middle/Earth" in refused.stdout
    done = subprocess.run(
        [str(STEADY), "chat", "--tz", "Asia/Kolkata"],
        input="open steady together\nwe are Alex and Sam\nyes\nwhat's our streak\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    assert "fresh start" in done.stdout and done.stderr == ""
