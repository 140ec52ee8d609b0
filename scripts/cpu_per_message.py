#!/usr/bin/env python3
"""Split a `linkline loadgen --serve --cpuprofile` profile into CPU time per
answered message, by what each sample was doing, for docs/benchmarks.md.

    go build -o /tmp/ll ./cmd/linkline
    /tmp/ll loadgen --serve --plain --rate 6000 --duration 10s --numbers 2000 \\
        --drain 10s --cpuprofile /tmp/ll.prof     # note the serve's "answers 200: N"
    scripts/cpu_per_message.py /tmp/ll /tmp/ll.prof N

Each sample's stack (`go tool pprof -traces`) goes to the first group that
matches: the one writer (the store's committer goroutine: the engine's turn,
bbolt's commit, the dispatcher's transactions), the webhook handler, the fake
Twilio, the load generator's client, the dispatcher, the garbage collector's
background workers, the rest of net/http on either side, and the rest.
"""
import re
import subprocess
import sys


def group(stack: str) -> str:
    if "committer).loop" in stack:
        if "Engine).Handle" in stack:
            return "writer: turn"
        if "bbolt.(*Tx).Commit" in stack:
            return "writer: commit"
        if "outbox" in stack:
            return "writer: dispatcher"
        return "writer: other"
    if "twilio.(*handler)" in stack:
        return "webhook handler"
    if "twiliotest" in stack:
        return "fake twilio"
    if re.search(r"(^|\n)\s*main\.(fire|post|loadgen|run)", stack):
        return "loadgen client"
    if "outbox" in stack:
        return "dispatcher"
    if "gcBgMarkWorker" in stack or "bgsweep" in stack or "bgscavenge" in stack:
        return "GC background"
    if "net/http" in stack or "net.(*" in stack:
        return "net/http (both sides)"
    return "other"


def main() -> None:
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    binary, profile, answered = sys.argv[1], sys.argv[2], int(sys.argv[3])
    traces = subprocess.run(["go", "tool", "pprof", "-traces", binary, profile],
                            capture_output=True, text=True, check=True).stdout
    totals: dict[str, float] = {}
    for block in traces.split("-----------+-------------------------------------------------------"):
        lines = [line for line in block.strip().split("\n") if line.strip()]
        if not lines:
            continue
        m = re.match(r"\s*([\d.]+)(ms|s)\s+(.*)", lines[0])
        if not m:
            continue
        seconds = float(m.group(1)) * (1 if m.group(2) == "s" else 0.001)
        g = group("\n".join([m.group(3)] + lines[1:]))
        totals[g] = totals.get(g, 0) + seconds
    per = {g: s * 1e6 / answered for g, s in totals.items()}
    writer = sum(v for g, v in per.items() if g.startswith("writer"))
    print(f"whole process {sum(per.values()):.0f} µs/message, writer {writer:.0f} µs/message")
    for g, v in sorted(per.items(), key=lambda kv: -kv[1]):
        print(f"  {g:24} {v:6.0f} µs")


if __name__ == "__main__":
    main()
