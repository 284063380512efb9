#!/usr/bin/env bash
# Runs every test project and prints the totals counted from the TRX results, last line
# "N passed, N failed". Tests that build network namespaces need root (sudo); without it they
# are reported as skipped with the reason.
set -uo pipefail
cd "$(dirname "$0")/.."
results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

# The Windows code (firewall, port owners) must compile everywhere, though its tests run on recorded outputs.
dotnet build src/PortDoctor.Core -r win-x64 -c Debug -nologo -v q
winbuild=$?

dotnet build PortDoctor.slnx -c Debug -nologo -v q
build=$?
[ $winbuild -eq 0 ] || build=$winbuild
if [ $build -ne 0 ]; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test --solution PortDoctor.slnx --no-build -c Debug --report-trx --results-directory "$results" "$@"
status=$?

passed=0; failed=0; skipped=0; found=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  found=1
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* timeout="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0}))
  skipped=$((skipped + ${n:-0}))
done

if [ $found -eq 0 ]; then
  echo "no test results were written"
  failed=$((failed + 1))
fi
if [ $status -ne 0 ] && [ $failed -eq 0 ]; then
  # The runner failed without a failing test in the TRX (crash, no tests found): count it.
  failed=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
