"""Build time only: generate the audio cues and publish them (`steady audio build`,
`steady audio publish`).

These modules need pydub, the imageio-ffmpeg binary or boto3. The running skill
never imports them (the Lambda bundle test runs real turns and checks); what a turn
needs of audio is `skill.audio.pacing`.
"""
