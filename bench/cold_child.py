"""One cold start, run as a fresh interpreter by bench.cold_start (never imported).

Reads one request envelope (JSON) on stdin, imports `lambda_function` from sys.path
as AWS Lambda does, answers the request once and prints one JSON line: the phases'
times, the peak resident set size (VmHWM) and where the handler came from. Imports
nothing else of ours, so it adds nothing to what it measures."""

import json
import sys
import time

_STARTED = time.perf_counter()


def _peak_rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def main() -> None:
    event = json.loads(sys.stdin.read())
    read = time.perf_counter()
    from lambda_function import lambda_handler  # type: ignore[import-not-found]

    imported = time.perf_counter()
    answer = lambda_handler(event, None)
    answered = time.perf_counter()
    speech = ((answer.get("response") or {}).get("outputSpeech") or {}).get("ssml", "")
    report = {
        "import_s": imported - read,
        "first_answer_s": answered - imported,
        "main_to_answer_s": answered - _STARTED,
        "peak_rss_kib": _peak_rss_kib(),
        "handler_file": sys.modules["lambda_function"].__file__,
        "speech": speech[:120],
        "modules": len(sys.modules),
    }
    print(json.dumps(report), flush=True)


main()
