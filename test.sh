#!/usr/bin/env bash
# Runs every check CI runs. On a fresh Debian machine it installs what the
# checks need (staticcheck from the Go module proxy, Chromium from Debian).
set -euo pipefail
cd "$(dirname "$0")"

export PATH="$(go env GOPATH)/bin:$PATH"
STATICCHECK_VERSION=v0.7.0
if ! staticcheck -version 2>/dev/null | grep -q "${STATICCHECK_VERSION#v}"; then
  echo "installing staticcheck $STATICCHECK_VERSION"
  go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION"
fi

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt would change:"; echo "$unformatted"; exit 1; fi
echo "== go vet"
go vet ./...
echo "== staticcheck"
staticcheck ./...
echo "== flows check"
go run ./cmd/linkline flows check
# The console's browser tests drive a real headless Chromium.
if ! command -v chromium >/dev/null; then
  echo "installing chromium (for the console's browser tests)"
  SUDO=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi
  $SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium
fi
echo "== go test -race"
go test -race -count=1 -timeout 10m ./...
