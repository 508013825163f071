"""Audio at run time: what a Lambda turn imports to pace and place the cues.

`skill.audio.pacing` is pure stdlib (paces, cue names, durations, hosted URLs) and
reads the packaged `published.json` (written by `steady audio publish`) once, lazily.
Making the cues is build time and lives apart, in `skill.audio_build`.
"""
