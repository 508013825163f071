"""Pure domain rules: no ask_sdk, no storage, no speech."""
