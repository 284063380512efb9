#!/usr/bin/env bash
# PortDoctor testbed: a simulated home network made of Linux network namespaces.
# See testbed/README.md for the layout, the variants and the address plan.
#
# Every address used here exists only inside the namespaces this script creates. No namespace gets
# a link to the host's network, and no default route leads out of the namespace world: the
# "internet" host (inet) has no default route at all.
set -euo pipefail

readonly STATE_ROOT="${PORTDOCTOR_TESTBED_STATE:-/run/portdoctor-testbed}"
readonly MINIUPNPD="${PORTDOCTOR_MINIUPNPD:-/usr/sbin/miniupnpd}"

# The simulated public block. miniupnpd refuses reserved, private and documentation ranges as its
# external address, so this has to be a block it considers public; it is never routed anywhere
# (docs/quirks.md#Q-MINIUPNPD-PRIVATE-WAN).
readonly WAN_PREFIX="11.0.0"
readonly INET_IP="${WAN_PREFIX}.1"
readonly CHECKER_PORT=8088
# Bounded waits (seconds). The checker is a .NET app that may start slowly on a busy 2-core machine.
readonly CHECKER_WAIT_S="${PORTDOCTOR_TESTBED_CHECKER_WAIT:-20}"
readonly MINIUPNPD_WAIT_S=10
readonly MINIUPNPD_HTTP_PORT=5000

die() { echo "testbed: $*" >&2; exit 1; }
note() { [[ "${PORTDOCTOR_TESTBED_VERBOSE:-0}" == 1 ]] && echo "testbed: $*" >&2; return 0; }

usage() {
  cat >&2 <<'EOF'
usage:
  testbed.sh up VARIANT [--name NAME] [--checker-cmd "CMD"] [--lan-octet N]
  testbed.sh down NAME
  testbed.sh exec NAME pc|router|upstream|inet CMD...
  testbed.sh bg NAME pc|router|upstream|inet CMD...      (prints TB_BG_PID=, TB_BG_LOG=)
  testbed.sh router-state NAME [--rules-only]
  testbed.sh restart-router NAME                           (kill miniupnpd, flush its chains and leases, start it again with epoch 0)
  testbed.sh list
  testbed.sh prune                                         (down every testbed on this machine)
variants: home no-upnp natpmp-only upnp-only igd1 host-firewall double-nat cgnat public-host
EOF
  exit 2
}

valid_name() { [[ "$1" =~ ^[a-z0-9]{1,12}$ ]] || die "bad testbed name '$1': use 1-12 characters a-z 0-9"; }
ns_of() { echo "pd-$1-$2"; }
run_dir() { echo "$STATE_ROOT/$1"; }
in_ns() { local ns="$1"; shift; ip netns exec "$ns" "$@"; }

# ---------------------------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------------------------

# new_ns NAME ROLE: creates namespace pd-NAME-ROLE with lo up and IPv6 off (keeps the testbed to the
# IPv4 paths PortDoctor tests; no router advertisements or DAD delays).
new_ns() {
  local ns; ns="$(ns_of "$1" "$2")"
  ip netns add "$ns"
  echo "$ns" >>"$(run_dir "$1")/namespaces"
  ip -n "$ns" link set lo up
  in_ns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1 || true
}

# link_pair NS_A IF_A NS_B IF_B: a veth pair created directly inside NS_A with its peer placed in
# NS_B, so no interface ever appears in the host namespace and names only need to be unique per
# namespace.
link_pair() {
  ip -n "$1" link add "$2" type veth peer name "$4" netns "$3"
  ip -n "$1" link set "$2" up
  ip -n "$3" link set "$4" up
}

# WAN segment: a bridge inside inet that every WAN-side host plugs into, so several hosts (a router,
# a carrier NAT, a public PC) can share the simulated public block with the internet host.
make_inet() {
  local name="$1" ns; ns="$(ns_of "$name" inet)"
  new_ns "$name" inet
  ip -n "$ns" link add br0 type bridge
  ip -n "$ns" addr add "$INET_IP/24" dev br0
  ip -n "$ns" link set br0 up
  INET_NS="$ns"
}

# attach_wan NODE_NS PORT_NAME IFNAME IP: connects NODE_NS to the WAN bridge with address IP/24.
attach_wan() {
  link_pair "$INET_NS" "$2" "$1" "$3"
  ip -n "$INET_NS" link set "$2" master br0
  ip -n "$1" addr add "$4/24" dev "$3"
}

# nat_ruleset LAN_IF WAN_IF: the router's nftables ruleset in the layout miniupnpd 2.3.1 expects by
# default (one inet table "filter" holding both the filter and the nat chains; chains "miniupnpd",
# "prerouting_miniupnpd", "postrouting_miniupnpd"), plus what a home router does: forward LAN->WAN,
# drop unsolicited WAN->LAN unless a mapping allows it, masquerade LAN traffic, and refuse new
# connections to the router itself from the WAN side.
nat_ruleset() {
  local lan="$1" wan="$2"
  cat <<EOF
table inet filter {
    chain input {
        type filter hook input priority 0; policy accept;
        iifname "$wan" ct state established,related accept
        iifname "$wan" icmp type echo-request accept
        iifname "$wan" drop
    }
    chain forward {
        type filter hook forward priority 0; policy drop;
        ct state established,related accept
        iifname "$lan" oifname "$wan" accept
        jump miniupnpd
    }
    chain miniupnpd {
    }
    chain prerouting {
        type nat hook prerouting priority -100; policy accept;
        jump prerouting_miniupnpd
    }
    chain postrouting {
        type nat hook postrouting priority 100; policy accept;
        jump postrouting_miniupnpd
        oifname "$wan" masquerade
    }
    chain prerouting_miniupnpd {
    }
    chain postrouting_miniupnpd {
    }
}
EOF
}

# make_nat_router NAME ROLE LAN_IF WAN_IF: enables forwarding and loads the NAT ruleset.
make_nat_router() {
  local ns; ns="$(ns_of "$1" "$2")"
  in_ns "$ns" sysctl -qw net.ipv4.ip_forward=1 >/dev/null
  nat_ruleset "$3" "$4" | in_ns "$ns" nft -f -
}

# host_firewall NS: a PC firewall that blocks all unsolicited inbound traffic (the state PortDoctor
# must detect and open narrowly). Table name "filter", chain "input", family inet.
host_firewall() {
  in_ns "$1" nft -f - <<'EOF'
table inet filter {
    chain input {
        type filter hook input priority 0; policy drop;
        iifname "lo" accept
        ct state established,related accept
    }
}
EOF
}

# start_miniupnpd NAME LAN_IF WAN_IF LAN_SUBNET: writes the config and runs the real daemon in the
# foreground (-d) as a tracked background process, then waits until its HTTP port listens.
start_miniupnpd() {
  local name="$1" lan="$2" wan="$3" subnet="$4"
  local dir ns conf uuid
  dir="$(run_dir "$name")"; ns="$(ns_of "$name" router)"; conf="$dir/miniupnpd.conf"
  uuid="$(cat /proc/sys/kernel/random/uuid)"
  cat >"$conf" <<EOF
# generated by testbed.sh for testbed $name
ext_ifname=$wan
listening_ip=$lan
http_port=$MINIUPNPD_HTTP_PORT
enable_upnp=$MU_ENABLE_UPNP
enable_natpmp=$MU_ENABLE_NATPMP
secure_mode=yes
system_uptime=yes
notify_interval=60
clean_ruleset_interval=600
ipv6_disable=yes
uuid=$uuid
serial=PD-$name
model_number=1
friendly_name=PortDoctor testbed router $name
lease_file=$dir/miniupnpd.leases
upnp_table_name=filter
upnp_nat_table_name=filter
upnp_forward_chain=miniupnpd
upnp_nat_chain=prerouting_miniupnpd
upnp_nat_postrouting_chain=postrouting_miniupnpd
min_lifetime=120
max_lifetime=86400
EOF
  [[ "$MU_FORCE_IGD1" == yes ]] && echo "force_igd_desc_v1=yes" >>"$conf"
  # miniupnpd's stock permission rules; NAT-PMP/PCP requests outside them hang (docs/quirks.md#Q-MINIUPNPD-LOW-PORTS).
  cat >>"$conf" <<EOF
allow 1024-65535 $subnet 1024-65535
deny 0-65535 0.0.0.0/0 0-65535
EOF
  : >"$dir/miniupnpd.leases"
  start_bg "$name" router miniupnpd sh -c "$QUIET_CONSOLE"' exec "$@"' sh "$MINIUPNPD" -d -f "$conf" -P "$dir/miniupnpd.pid" >/dev/null
  local pid; pid="$(cat "$dir/pids/miniupnpd.pid")"
  local deadline=$((SECONDS + MINIUPNPD_WAIT_S))
  # The HTTP port only opens with UPnP on; the NAT-PMP/PCP socket is checked below.
  while [[ "$MU_ENABLE_UPNP" == yes ]] && ! in_ns "$ns" ss -Hltn "sport = :$MINIUPNPD_HTTP_PORT" | grep -q LISTEN; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "testbed: miniupnpd exited during start; its log:" >&2
      tail -n 30 "$dir/logs/miniupnpd.log" >&2 || true
      return 1
    fi
    ((SECONDS < deadline)) || { echo "testbed: miniupnpd did not listen within ${MINIUPNPD_WAIT_S}s" >&2; return 1; }
    sleep 0.1
  done
  if [[ "$MU_ENABLE_NATPMP" == yes ]]; then
    while ! in_ns "$ns" ss -Hlun "sport = :5351" | grep -q 5351; do
      ((SECONDS < deadline)) || { echo "testbed: miniupnpd NAT-PMP port did not open" >&2; return 1; }
      sleep 0.1
    done
  fi
}

# start_bg NAME ROLE LABEL CMD...: runs CMD in the namespace in its own session (so down can kill the
# whole process group), stdin from /dev/null and output to a log, never holding our stdout open.
# miniupnpd -d logs every SSDP packet through syslog; with no /dev/log in the namespace syslog falls back to
# /dev/console, which is slow (about 1 ms a line) and made the router answer discovery and SOAP 100+ ms late.
# `ip netns exec` already runs the command in a mount namespace of its own (slave propagation), so
# bind-mounting /dev/null over /dev/console there silences the console for miniupnpd alone; its stderr log
# file still has every line (docs/quirks.md#Q-MINIUPNPD-CONSOLE-LOG).
QUIET_CONSOLE='mount --bind /dev/null /dev/console 2>/dev/null;'

start_bg() {
  local name="$1" role="$2" label="$3"; shift 3
  local dir ns log; dir="$(run_dir "$name")"; ns="$(ns_of "$name" "$role")"
  [[ -e "/run/netns/$ns" ]] || die "testbed $name has no $role namespace"
  mkdir -p "$dir/pids" "$dir/logs"
  log="$dir/logs/$label.log"
  setsid ip netns exec "$ns" "$@" </dev/null >"$log" 2>&1 &
  local pid=$!
  echo "$pid" >"$dir/pids/$label.pid"
  echo "TB_BG_PID=$pid"
  echo "TB_BG_LOG=$log"
}

# wait_tcp NS IP PORT SECONDS PID: polls until IP:PORT accepts a TCP connection from NS.
wait_tcp() {
  local ns="$1" ip="$2" port="$3" limit="$4" pid="$5"
  local deadline=$((SECONDS + limit))
  until in_ns "$ns" timeout 1 bash -c "exec 3<>/dev/tcp/$ip/$port" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || return 2
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# ---------------------------------------------------------------------------------------------
# Topologies
# ---------------------------------------------------------------------------------------------

# pc --lan-- router --wan-- [br0 inet]
topo_home() {
  local name="$1"
  make_inet "$name"
  new_ns "$name" router; ROUTER_NS="$(ns_of "$name" router)"
  new_ns "$name" pc; PC_NS="$(ns_of "$name" pc)"
  link_pair "$ROUTER_NS" lan0 "$PC_NS" eth0
  ip -n "$ROUTER_NS" addr add "$ROUTER_LAN_IP/24" dev lan0
  ip -n "$PC_NS" addr add "$PC_IP/24" dev eth0
  ip -n "$PC_NS" route add default via "$ROUTER_LAN_IP"
  ROUTER_WAN_IP="${WAN_PREFIX}.2"; PUBLIC_IP="$ROUTER_WAN_IP"
  attach_wan "$ROUTER_NS" w-router wan0 "$ROUTER_WAN_IP"
  # The router's default route points at inet, which is itself inside the namespace world and has
  # no route beyond the WAN block, so nothing can leave.
  ip -n "$ROUTER_NS" route add default via "$INET_IP"
  make_nat_router "$name" router lan0 wan0
}

# pc --lan-- router --mid-- upstream --wan-- [br0 inet]; the router's WAN address is MID_PREFIX.2.
topo_two_routers() {
  local name="$1" mid_prefix="$2"
  make_inet "$name"
  new_ns "$name" router; ROUTER_NS="$(ns_of "$name" router)"
  new_ns "$name" upstream; UPSTREAM_NS="$(ns_of "$name" upstream)"
  new_ns "$name" pc; PC_NS="$(ns_of "$name" pc)"
  link_pair "$ROUTER_NS" lan0 "$PC_NS" eth0
  ip -n "$ROUTER_NS" addr add "$ROUTER_LAN_IP/24" dev lan0
  ip -n "$PC_NS" addr add "$PC_IP/24" dev eth0
  ip -n "$PC_NS" route add default via "$ROUTER_LAN_IP"
  UPSTREAM_LAN_IP="${mid_prefix}.1"; ROUTER_WAN_IP="${mid_prefix}.2"
  link_pair "$UPSTREAM_NS" lan0 "$ROUTER_NS" wan0
  ip -n "$UPSTREAM_NS" addr add "$UPSTREAM_LAN_IP/24" dev lan0
  ip -n "$ROUTER_NS" addr add "$ROUTER_WAN_IP/24" dev wan0
  ip -n "$ROUTER_NS" route add default via "$UPSTREAM_LAN_IP"
  UPSTREAM_WAN_IP="${WAN_PREFIX}.2"; PUBLIC_IP="$UPSTREAM_WAN_IP"
  attach_wan "$UPSTREAM_NS" w-upstream wan0 "$UPSTREAM_WAN_IP"
  ip -n "$UPSTREAM_NS" route add default via "$INET_IP"
  make_nat_router "$name" router lan0 wan0
  make_nat_router "$name" upstream lan0 wan0
}

# pc directly on the public block: [br0 inet] --wan-- pc
topo_public_host() {
  local name="$1"
  make_inet "$name"
  new_ns "$name" pc; PC_NS="$(ns_of "$name" pc)"
  PC_IP="${WAN_PREFIX}.10"; PUBLIC_IP="$PC_IP"
  ROUTER_LAN_IP=""; ROUTER_WAN_IP=""
  attach_wan "$PC_NS" w-pc eth0 "$PC_IP"
  ip -n "$PC_NS" route add default via "$INET_IP"
}

# ---------------------------------------------------------------------------------------------
# Variants: each sets the topology and the router daemon's switches.
# ---------------------------------------------------------------------------------------------
variant_home()          { topo_home "$1"; RUN_MINIUPNPD=yes; }
variant_no_upnp()       { topo_home "$1"; RUN_MINIUPNPD=no; }
variant_natpmp_only()   { topo_home "$1"; MU_ENABLE_UPNP=no; }
variant_upnp_only()     { topo_home "$1"; MU_ENABLE_NATPMP=no; }
variant_igd1()          { topo_home "$1"; MU_FORCE_IGD1=yes; }
variant_host_firewall() { topo_home "$1"; PC_FIREWALL=yes; }
# A second home router behind the ISP's router: the inner router's WAN is a private address.
variant_double_nat()    { topo_two_routers "$1" "192.168.$MID_OCTET"; }
# Carrier-grade NAT: the router's WAN is in 100.64.0.0/10 (RFC 6598) behind the carrier's NAT.
variant_cgnat()         { topo_two_routers "$1" "100.64.$MID_OCTET"; }
variant_public_host()   { topo_public_host "$1"; RUN_MINIUPNPD=no; }

cmd_up() {
  local variant="${1:-}"; [[ -n "$variant" ]] || usage; shift
  local name="" checker_cmd="" octet=""
  while (($#)); do
    case "$1" in
      --name) name="${2:?--name needs a value}"; shift 2 ;;
      --checker-cmd) checker_cmd="${2:?--checker-cmd needs a value}"; shift 2 ;;
      --lan-octet) octet="${2:?--lan-octet needs a value}"; shift 2 ;;
      *) die "unknown option '$1' for up" ;;
    esac
  done
  local fn="variant_${variant//-/_}"
  declare -F "$fn" >/dev/null || die "unknown variant '$variant' (known: home no-upnp natpmp-only upnp-only igd1 host-firewall double-nat cgnat public-host)"
  for tool in ip nft ss setsid; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
  if [[ -z "$name" ]]; then
    name="$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
  fi
  valid_name "$name"
  local dir; dir="$(run_dir "$name")"
  [[ ! -e "$dir" && ! -e "/run/netns/$(ns_of "$name" pc)" ]] || die "testbed '$name' already exists (run: $0 down $name)"
  if [[ -z "$octet" ]]; then
    octet=$(( (0x$(od -An -N1 -tx1 /dev/urandom | tr -d ' \n') % 240) + 2 ))
  fi
  [[ "$octet" =~ ^[0-9]+$ ]] && ((octet >= 1 && octet <= 254)) || die "--lan-octet must be 1..254"

  mkdir -p "$STATE_ROOT"
  # mkdir is atomic: of two concurrent `up`s with one name only one proceeds, so the loser's failure
  # teardown can never delete the winner's namespaces.
  mkdir "$dir" 2>/dev/null || die "testbed '$name' already exists (run: $0 down $name)"
  mkdir -p "$dir/pids" "$dir/logs"
  : >"$dir/namespaces"
  # From here on any failure or interrupt tears the half-built testbed down again.
  UP_NAME="$name"; UP_DONE=0
  trap 'up_abort' EXIT
  trap 'exit 130' INT TERM

  PC_NS=""; ROUTER_NS=""; UPSTREAM_NS=""; INET_NS=""
  PC_IP="192.168.$octet.10"; ROUTER_LAN_IP="192.168.$octet.1"; ROUTER_WAN_IP=""
  UPSTREAM_LAN_IP=""; UPSTREAM_WAN_IP=""; PUBLIC_IP=""
  MID_OCTET=$(( octet % 254 + 1 ))
  RUN_MINIUPNPD=yes; MU_ENABLE_UPNP=yes; MU_ENABLE_NATPMP=yes; MU_FORCE_IGD1=no; PC_FIREWALL=no
  note "building $variant as $name (LAN 192.168.$octet.0/24)"
  "$fn" "$name"

  [[ "$PC_FIREWALL" == yes ]] && host_firewall "$PC_NS"
  if [[ "$RUN_MINIUPNPD" == yes && -n "$ROUTER_NS" ]]; then
    [[ -x "$MINIUPNPD" ]] || die "miniupnpd not found at $MINIUPNPD"
    start_miniupnpd "$name" lan0 wan0 "${ROUTER_LAN_IP%.*}.0/24"
  fi

  local checker_url="http://$INET_IP:$CHECKER_PORT"
  if [[ -n "$checker_cmd" ]]; then
    start_bg "$name" inet checker bash -c "exec $checker_cmd" >/dev/null
    local cpid rc=0; cpid="$(cat "$dir/pids/checker.pid")"
    wait_tcp "$INET_NS" "$INET_IP" "$CHECKER_PORT" "$CHECKER_WAIT_S" "$cpid" || rc=$?
    if ((rc != 0)); then
      if ((rc == 2)); then echo "testbed: checker exited during start; its log:" >&2
      else echo "testbed: checker did not accept TCP on $INET_IP:$CHECKER_PORT within ${CHECKER_WAIT_S}s; its log:" >&2; fi
      tail -n 30 "$dir/logs/checker.log" >&2 || true
      exit 1
    fi
  fi

  {
    echo "TB_NAME=$name"
    echo "TB_VARIANT=$variant"
    echo "TB_PC_NS=$PC_NS"
    echo "TB_ROUTER_NS=$ROUTER_NS"
    echo "TB_UPSTREAM_NS=$UPSTREAM_NS"
    echo "TB_INET_NS=$INET_NS"
    echo "TB_PC_IP=$PC_IP"
    echo "TB_ROUTER_LAN_IP=$ROUTER_LAN_IP"
    echo "TB_ROUTER_WAN_IP=$ROUTER_WAN_IP"
    echo "TB_UPSTREAM_LAN_IP=$UPSTREAM_LAN_IP"
    echo "TB_UPSTREAM_WAN_IP=$UPSTREAM_WAN_IP"
    echo "TB_PUBLIC_IP=$PUBLIC_IP"
    echo "TB_INET_IP=$INET_IP"
    echo "TB_CHECKER_URL=$checker_url"
    echo "TB_RUN_DIR=$dir"
  } >"$dir.env.tmp"
  mv "$dir.env.tmp" "$STATE_ROOT/$name.env"
  UP_DONE=1
  cat "$STATE_ROOT/$name.env"
}

up_abort() {
  local rc=$?
  if [[ "${UP_DONE:-0}" != 1 ]]; then
    echo "testbed: up failed (exit $rc); tearing down '$UP_NAME'" >&2
    teardown "$UP_NAME" >&2 || true
    exit $(( rc == 0 ? 1 : rc ))
  fi
}

# ---------------------------------------------------------------------------------------------
# Teardown
# ---------------------------------------------------------------------------------------------

# kill_and_wait SIGNAL PID...: signals each pid (and its process group) then waits up to 3 s.
kill_group() {
  local pid
  for pid in "$@"; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  local deadline=$((SECONDS + 3)) alive
  while :; do
    alive=()
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
    ((${#alive[@]} == 0)) && return 0
    ((SECONDS < deadline)) || break
    sleep 0.1
  done
  for pid in "${alive[@]}"; do
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  done
}

testbed_namespaces() {
  local name="$1" dir; dir="$(run_dir "$name")"
  {
    [[ -f "$dir/namespaces" ]] && cat "$dir/namespaces"
    ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^pd-$name-(pc|router|upstream|inet)$" || true
  } | sort -u
}

teardown() {
  local name="$1" dir; dir="$(run_dir "$name")"
  local pids=() f p ns
  if [[ -d "$dir/pids" ]]; then
    for f in "$dir"/pids/*.pid; do
      [[ -f "$f" ]] || continue
      p="$(cat "$f")"; [[ "$p" =~ ^[0-9]+$ ]] && pids+=("$p")
    done
  fi
  ((${#pids[@]})) && kill_group "${pids[@]}"
  # Anything else still running inside our namespaces (e.g. started by `exec` and detached).
  for ns in $(testbed_namespaces "$name"); do
    mapfile -t pids < <(ip netns pids "$ns" 2>/dev/null || true)
    ((${#pids[@]})) && kill_group "${pids[@]}"
  done
  for ns in $(testbed_namespaces "$name"); do
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf -- "$dir" "$STATE_ROOT/$name.env" "$dir.env.tmp"
}

cmd_down() {
  local name="${1:-}"; [[ -n "$name" ]] || usage
  valid_name "$name"
  teardown "$name"
  local left; left="$(testbed_namespaces "$name")"
  [[ -z "$left" ]] || die "could not delete namespaces: $left"
}

# ---------------------------------------------------------------------------------------------
# Running things inside
# ---------------------------------------------------------------------------------------------

host_ns() {
  local name="$1" role="$2"
  valid_name "$name"
  case "$role" in pc|router|upstream|inet) ;; *) die "unknown host '$role' (pc|router|upstream|inet)" ;; esac
  local ns; ns="$(ns_of "$name" "$role")"
  [[ -e "/run/netns/$ns" ]] || die "testbed '$name' has no $role namespace ($ns)"
  echo "$ns"
}

cmd_exec() {
  (($# >= 3)) || usage
  local ns; ns="$(host_ns "$1" "$2")"; shift 2
  exec ip netns exec "$ns" "$@"
}

cmd_bg() {
  (($# >= 3)) || usage
  local name="$1" role="$2"; shift 2
  host_ns "$name" "$role" >/dev/null
  local dir; dir="$(run_dir "$name")"
  mkdir -p "$dir/pids"
  local label n=1
  while [[ -e "$dir/pids/bg-$n.pid" ]]; do n=$((n + 1)); done
  label="bg-$n"
  start_bg "$name" "$role" "$label" "$@"
}

cmd_router_state() {
  local name="${1:-}" rules_only=no; [[ -n "$name" ]] || usage
  [[ "${2:-}" == "--rules-only" ]] && rules_only=yes
  local ns; ns="$(host_ns "$name" router)"
  local chain
  for chain in miniupnpd prerouting_miniupnpd postrouting_miniupnpd; do
    if [[ "$rules_only" == yes ]]; then
      # Rule lines only: everything inside the chain block that is not the chain's own header.
      in_ns "$ns" nft -s list chain inet filter "$chain" |
        awk -v chain="$chain" '/^[ \t]*chain / {inchain=1; next} inchain && /^[ \t]*}/ {inchain=0} inchain && NF {sub(/^[ \t]+/, ""); print chain ": " $0}'
    else
      echo "## nft chain inet filter $chain"
      in_ns "$ns" nft -s list chain inet filter "$chain"
    fi
  done
  if [[ "$rules_only" == no ]]; then
    echo "## upnpc -l (from pc)"
    local pc; pc="$(ns_of "$name" pc)"
    in_ns "$pc" timeout 15 upnpc -l 2>&1 || true
  fi
}

# restart-router NAME: simulates a router reboot. Kills miniupnpd, flushes its nftables chains, empties its
# lease file (a reboot forgets the mappings), and starts it again with the same config except
# system_uptime=no, so its NAT-PMP/PCP epoch starts again from 0 (with system_uptime=yes it would keep
# counting the machine's uptime and the epoch would not show the restart).
cmd_restart_router() {
  local name="${1:-}"; [[ -n "$name" ]] || usage
  local ns; ns="$(host_ns "$name" router)"
  local dir; dir="$(run_dir "$name")"
  local conf="$dir/miniupnpd.conf" pidfile="$dir/pids/miniupnpd.pid"
  [[ -f "$conf" && -f "$pidfile" ]] || die "testbed $name runs no miniupnpd"
  kill_group "$(cat "$pidfile")"
  local chain
  for chain in miniupnpd prerouting_miniupnpd postrouting_miniupnpd; do
    in_ns "$ns" nft flush chain inet filter "$chain"
  done
  : >"$dir/miniupnpd.leases"
  sed -i 's/^system_uptime=yes$/system_uptime=no/' "$conf"
  start_bg "$name" router miniupnpd sh -c "$QUIET_CONSOLE"' exec "$@"' sh "$MINIUPNPD" -d -f "$conf" -P "$dir/miniupnpd.pid" >/dev/null
  local pid; pid="$(cat "$pidfile")"
  local deadline=$((SECONDS + MINIUPNPD_WAIT_S))
  while ! in_ns "$ns" ss -Hlun "sport = :5351" | grep -q 5351 && ! in_ns "$ns" ss -Hltn "sport = :$MINIUPNPD_HTTP_PORT" | grep -q LISTEN; do
    kill -0 "$pid" 2>/dev/null || die "miniupnpd exited during restart (see $dir/logs/miniupnpd.log)"
    ((SECONDS < deadline)) || die "miniupnpd did not listen within ${MINIUPNPD_WAIT_S}s after restart"
    sleep 0.1
  done
}

cmd_list() {
  {
    if [[ -d "$STATE_ROOT" ]]; then
      find "$STATE_ROOT" -mindepth 1 -maxdepth 1 -type d -printf '%f\n'
    fi
    ip netns list 2>/dev/null | awk '{print $1}' | sed -nE 's/^pd-([a-z0-9]{1,12})-(pc|router|upstream|inet)$/\1/p'
  } | sort -u
}

# Tears down every testbed on this machine: for CI after a crashed test run left some behind.
cmd_prune() {
  local n
  for n in $(cmd_list); do
    cmd_down "$n" || true
  done
}

main() {
  (($#)) || usage
  local cmd="$1"; shift
  [[ "$(id -u)" == 0 ]] || die "must run as root (network namespaces and nftables)"
  case "$cmd" in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    exec) cmd_exec "$@" ;;
    bg) cmd_bg "$@" ;;
    router-state) cmd_router_state "$@" ;;
    restart-router) cmd_restart_router "$@" ;;
    list) cmd_list ;;
    prune) cmd_prune ;;
    -h|--help|help) usage ;;
    *) echo "testbed: unknown command '$cmd'" >&2; usage ;;
  esac
}

main "$@"
