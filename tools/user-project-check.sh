#!/usr/bin/env bash
# Proves that a user's own Maven project builds and runs with only the published netc artifacts: netc-dsl and
# netc-runtime as dependencies, netc-processor on the annotation-processor path. Run after `mvn install` at the
# repository root (which puts 0.1.0-SNAPSHOT into ~/.m2). The project is copied to a temporary folder so that
# nothing from the netc build (parent pom, reactor, target/ folders) can leak into it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/netc-user-project.XXXXXX")"
keep=0
cleanup() { if ((keep == 0)); then rm -rf "$work"; fi; }
trap cleanup EXIT

fail() {
  keep=1
  echo >&2
  echo "user-project-check FAILED: $*" >&2
  echo "(the project is tools/user-project; the copy that failed is kept in $work)" >&2
  exit 1
}

cp -R "$here/user-project/." "$work/"
rm -rf "$work/target"
cd "$work"

echo "--- user project: mvn -B -q package (in $work)"
mvn -B -q package || fail "mvn package failed: the processor did not generate TinyNet_Model, or it did not compile"

test -f target/generated-sources/annotations/com/example/tinynet/TinyNet_Model.java \
  || fail "no generated TinyNet_Model.java under target/generated-sources/annotations"

echo "--- user project: mvn -B -q exec:java"
mvn -B -q exec:java || fail "running com.example.tinynet.Main failed"

echo "--- user project check passed"
