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
# They also check each page with axe-core (npm package, MPL-2.0), kept out of git.
AXE_VERSION=4.14.1
AXE=console/testdata/axe/axe.min.js
if ! head -c 40 "$AXE" 2>/dev/null | grep -q "axe v$AXE_VERSION"; then
  echo "installing axe-core $AXE_VERSION (for the console's accessibility checks)"
  if ! command -v npm >/dev/null; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi
    $SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends npm
  fi
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null && tar xzf axe-core-"$AXE_VERSION".tgz)
  mkdir -p "$(dirname "$AXE")"
  cp "$tmp/package/axe.min.js" "$AXE"
  rm -rf "$tmp"
fi
# The store's tests run on PostgreSQL as well as bbolt (store/postgres),
# and multitest runs two instances on one PostgreSQL database:
# LINKLINE_TEST_PG names the server (default below). The bot, console and
# cmd/linkline suites run on bbolt here; exporting LINKLINE_TEST_PG runs
# them on PostgreSQL too, which takes several minutes more than this
# suite's budget on two cores (docs/postgres.md). Start the local
# cluster if it is installed and stopped. Without a server those tests
# skip, unless LINKLINE_REQUIRE_PG=1 (CI sets it), when they fail.
PG_URL=${LINKLINE_TEST_PG:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
if command -v pg_isready >/dev/null; then
  if ! pg_isready -q -d "$PG_URL"; then
    cluster=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
    if [ -n "$cluster" ] && command -v pg_ctlcluster >/dev/null; then
      echo "starting PostgreSQL $cluster (for the store's tests)"
      pg_ctlcluster --skip-systemctl-redirect "$cluster" main start || true
      for _ in $(seq 1 30); do pg_isready -q -d "$PG_URL" && break; sleep 1; done
    fi
  fi
  pg_isready -q -d "$PG_URL" || echo "warning: PostgreSQL at ${PG_URL%%\?*} is not accepting connections; its tests will skip (or fail under LINKLINE_REQUIRE_PG=1)"
elif [ "${LINKLINE_REQUIRE_PG:-}" = 1 ]; then
  echo "LINKLINE_REQUIRE_PG=1 but pg_isready is not installed"; exit 1
fi
echo "== go test -race"
go test -race -count=1 -timeout 10m ./...
# The risk model retrained from every development set, compared byte for
# byte with the one built in: too slow under -race, so it runs here.
echo "== go test -run TestModelIsUpToDate ./bot/risk"
go test -count=1 -run 'TestModelIsUpToDate$' ./bot/risk
