#!/usr/bin/env python3
"""Baseline for the bench row plan_render_100k: what `factory plan render --json` does, in plain Python.

The cartesian product of each slot's versions (slots in template order, versions as listed) times the
platforms; for each item one SHA-256 over a JSON text of its identity; then the same JSON document the CLI
prints (plan_id, items with idempotency_key, manifest_id, platform, pool, modules, base_digest,
test_suite_hash). Only the keys differ from the CLI's (they hash another text), and the layout: json.dumps
without indent runs in C, while indent=2, the CLI's layout, would run in Python and take half as long again.

usage: plan_render.py PLAN_ID MANIFEST_ID TEMPLATE_ID TEMPLATE_VERSION BASE_DIGEST SUITE_HASH \
           PLATFORM[,PLATFORM...] SLOT=V1,V2,... [SLOT=...]
"""
import hashlib
import itertools
import json
import sys


def main(argv):
    if len(argv) < 9:
        print(__doc__, file=sys.stderr)
        return 2
    plan_id, manifest_id, template_id, template_version, base_digest, suite_hash, platforms = argv[1:8]
    slots = [arg.split("=", 1) for arg in argv[8:]]
    names = [name for name, _ in slots]
    versions = [list_.split(",") for _, list_ in slots]
    pools = {"linux/amd64": "amd64", "linux/arm64": "arm64"}

    items = []
    for combination in itertools.product(*versions):
        modules = dict(zip(names, combination))
        for platform in platforms.split(","):
            identity = json.dumps({"template_id": template_id, "template_version": template_version,
                                   "base_digest": base_digest, "platform": platform, "accelerator": None,
                                   "modules": modules}, sort_keys=True)
            items.append({
                "idempotency_key": hashlib.sha256(identity.encode()).hexdigest(),
                "manifest_id": manifest_id,
                "platform": platform,
                "pool": pools[platform],
                "modules": modules,
                "base_digest": base_digest,
                "test_suite_hash": suite_hash,
            })
    sys.stdout.write(json.dumps({"plan_id": plan_id, "items": items}))
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
