"""Audio cues for Steady Together.

`skill.audio.pacing` is the only module the running skill imports: it is pure
stdlib (paces, cue names, durations, hosted URLs). Everything else here (`build`,
`synth`, `ffmpeg`, `publish`, `cli`) is build-time tooling that needs pydub,
the imageio-ffmpeg binary or boto3, and is never imported by the skill.
"""
