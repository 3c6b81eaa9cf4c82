#!/usr/bin/env python3
"""Scan a dump with lurescan on Ray, one task per shard file, and check it adds up.

The recipe of docs/scale-out.md: split the dump into shard files (whole lines, never cut by the
engine), run `lurescan scan <shard> --jobs 1 --source-name <dump> --line-offset <n>
--summary-out <shard>.summary.json` in one task each, concatenate the verdict files in shard
order and merge the summaries with `lurescan summary merge`. The verdicts then carry the ids,
sources and line numbers of the whole dump, exactly as one run over it would write them.

    pip install ray            # local mode needs no cluster
    python3 examples/ray_shards.py dump.jsonl out/ [--shards 8] [--lurescan "node bin/lurescan.js"]

JSONL dumps only (a CSV shard needs the header row repeated; see docs/scale-out.md). Exit codes:
0 when every shard ran, 2 otherwise (lurescan's flagged-posting exit 1 is never used inside an
engine: decide on the merged summary instead).
"""
import argparse
import json
import os
import shlex
import subprocess
import sys


def split_jsonl(dump, out_dir, shards):
    """Write the dump's lines into `shards` files of whole lines; return (path, lines before it)."""
    with open(dump, "rb") as f:
        # Lines are split on b"\n" only: U+2028 and U+0085 inside JSON strings are not line ends.
        lines = f.read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    size = max(1, -(-len(lines) // shards))
    parts = []
    for k in range(0, len(lines), size):
        path = os.path.join(out_dir, f"shard-{k // size:05d}.jsonl")
        with open(path, "wb") as f:
            f.write(b"".join(line + b"\n" for line in lines[k : k + size]))
        parts.append((path, k))
    return parts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dump")
    parser.add_argument("out_dir")
    parser.add_argument("--shards", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--lurescan", default="npx lurescan", help='how to run lurescan (e.g. "node bin/lurescan.js")')
    args = parser.parse_args()

    import ray  # imported here so --help works without it

    os.makedirs(args.out_dir, exist_ok=True)
    parts = split_jsonl(args.dump, args.out_dir, args.shards)
    command = shlex.split(args.lurescan)
    source_name = args.dump

    @ray.remote(num_cpus=1)
    def scan(shard, offset):
        out = shard.replace(".jsonl", ".verdicts.jsonl")
        summary = shard.replace(".jsonl", ".summary.json")
        run = subprocess.run(
            command
            + ["scan", shard, "--jobs", "1", "--format", "jsonl", "-o", out, "--quiet",
               "--source-name", source_name, "--line-offset", str(offset), "--summary-out", summary],
            capture_output=True,
            text=True,
        )
        return shard, run.returncode, run.stderr, out, summary

    ray.init(num_cpus=args.shards, include_dashboard=False, log_to_driver=False)
    results = ray.get([scan.remote(shard, offset) for shard, offset in parts])
    failed = [(shard, code, err) for shard, code, err, _, _ in results if code not in (0, 1)]
    for shard, code, err in failed:
        print(f"{shard}: lurescan exited {code}: {err.strip()}", file=sys.stderr)
    if failed:
        return 2

    verdicts = os.path.join(args.out_dir, "verdicts.jsonl")
    with open(verdicts, "wb") as whole:
        for _, _, _, out, _ in results:  # results are in shard order
            with open(out, "rb") as part:
                whole.write(part.read())
    merged = subprocess.run(command + ["summary", "merge", *[s for *_, s in results]], capture_output=True, text=True)
    if merged.returncode != 0:
        print(merged.stderr, file=sys.stderr)
        return 2
    summary = json.loads(merged.stdout)
    with open(os.path.join(args.out_dir, "summary.json"), "w") as f:
        f.write(merged.stdout)
    print(f"{len(parts)} shards: read {summary['read']} = scored {summary['scored']} + errors {summary['errors']}; "
          f"flagged {summary['flagged']['any']}; verdicts in {verdicts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
