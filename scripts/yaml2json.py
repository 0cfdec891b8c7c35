#!/usr/bin/env python3
"""Convert the OpenAPI YAML source into the JSON the service serves.

Used by the build (CMake) so that openapi/openapi.yaml stays the single source.
"""
import json
import sys

import yaml


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: yaml2json.py IN.yaml OUT.json", file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as src:
        doc = yaml.safe_load(src)
    with open(sys.argv[2], "w", encoding="utf-8") as dst:
        json.dump(doc, dst, ensure_ascii=False, indent=2, default=str)
        dst.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
