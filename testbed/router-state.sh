#!/usr/bin/env bash
# Prints the router's miniupnpd nftables chains (no counters) and `upnpc -l` as seen from the pc.
# Same as: testbed.sh router-state NAME [--rules-only]
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/testbed.sh" router-state "$@"
