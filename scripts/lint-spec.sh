#!/usr/bin/env bash
# Lint the OpenAPI specification (openapi/openapi.yaml).
#
#   bash scripts/lint-spec.sh        (from any directory)
#
# 1. Installs the pinned npm tools (tools/package-lock.json) when tools/node_modules is missing.
# 2. Validates the document against the OpenAPI 3.0 JSON Schema (validate-api).
# 3. Lints it with the project's own Spectral ruleset (openapi/spectral.yaml).
# 4. Lints it with the official Logius ADR ruleset, ../shared/adr/ruleset.yaml relative to the
#    repository root, when that file exists.
# Every step runs, even after a failure; the exit status is non-zero when any step found an error
# (warnings are printed but do not fail the run).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

spec="openapi/openapi.yaml"
project_ruleset="openapi/spectral.yaml"
official_ruleset="../shared/adr/ruleset.yaml"
spectral="tools/node_modules/.bin/spectral"
validate_api="tools/node_modules/.bin/validate-api"

if [[ ! -d tools/node_modules || ! -x "$spectral" || ! -x "$validate_api" ]]; then
  echo "lint-spec: installing the npm tools (npm ci --prefix tools)"
  npm ci --prefix tools --no-audit --no-fund
fi

failed=0
ran=()

echo "lint-spec: OpenAPI 3.0 schema validation of $spec (validate-api)"
if validation="$("$validate_api" "$spec" 2>&1)" && grep -q '"valid": *true' <<<"$validation"; then
  echo "lint-spec: $spec is a valid OpenAPI document"
else
  echo "$validation"
  echo "lint-spec: $spec is NOT a valid OpenAPI document" >&2
  failed=1
fi

lint() {
  local ruleset="$1" label="$2"
  echo
  echo "lint-spec: spectral lint with $label ($ruleset)"
  ran+=("$ruleset ($label)")
  if ! "$spectral" lint --ruleset "$ruleset" --fail-severity error "$spec"; then
    echo "lint-spec: errors with $label ($ruleset)" >&2
    failed=1
  fi
}

lint "$project_ruleset" "project ruleset"

if [[ -f "$official_ruleset" ]]; then
  lint "$official_ruleset" "official Logius ADR ruleset"
else
  echo
  echo "lint-spec: $official_ruleset not found; official Logius ADR ruleset skipped"
fi

echo
echo "lint-spec: rulesets run:"
printf '  - %s\n' "${ran[@]}"
if [[ "$failed" -ne 0 ]]; then
  echo "lint-spec: FAILED" >&2
  exit 1
fi
echo "lint-spec: OK"
