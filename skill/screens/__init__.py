"""Screens for devices with a display: APL documents (JSON files in `documents/`),
loaded once per process, and a rough clock for speech so that an animation can
start when the spoken words it follows are over.

Pure stdlib: the turn-aware code that builds directives lives in
`skill.practices.screens`."""

# What the reply builder checks for without loading the screens' rules
# (skill.handlers.respond): the directive of a screen, and the line that carries
# Silent Sync's breathing.
RENDER_DOCUMENT = "Alexa.Presentation.APL.RenderDocument"
SYNC_BREATHING_LINE = "sync.breathing"


def is_screen(directive: object) -> bool:
    return getattr(directive, "object_type", None) == RENDER_DOCUMENT
