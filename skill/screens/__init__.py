"""Screens for devices with a display: APL documents (JSON files in `documents/`),
loaded once per process, and a rough clock for speech so that an animation can
start when the spoken words it follows are over.

Pure stdlib: the turn-aware code that builds directives lives in
`skill.practices.screens`."""
