#!/bin/sh
# dind-iptables.sh: choose the iptables backend of the nested daemon, legacy or nft.
#
# Its one job: point iptables, ip6tables and their -save/-restore (links in /usr/local/sbin, set
# up by the Dockerfile) at one backend, and log it as "iptables backend: <legacy|nft> (<why>)".
#   DIND_IPTABLES_BACKEND=legacy|nft  this image's explicit choice (the stack's daemon.iptables)
#   DOCKER_IPTABLES_LEGACY            as in the official docker:dind image: set to any non-empty
#                                     value (0, false and no included) means legacy; set but
#                                     empty means nft
#   neither                           detect, as the official image does: legacy when legacy
#                                     tables already exist in this network namespace, else nft
#                                     when it works, else legacy when that works, else nft
# Both set and disagreeing is an error.
set -eu
lib=/usr/local/lib/dind-stack
log() { printf '[dind-entrypoint] %s\n' "$*" >&2; }

official=
if [ -n "${DOCKER_IPTABLES_LEGACY+set}" ]; then
	official=nft
	[ -z "$DOCKER_IPTABLES_LEGACY" ] || official=legacy
fi
case "${DIND_IPTABLES_BACKEND:-}" in
'' | legacy | nft) ;;
*)
	log "ERROR: DIND_IPTABLES_BACKEND='$DIND_IPTABLES_BACKEND' is neither legacy nor nft (leave it unset to detect)"
	exit 1
	;;
esac
if [ -n "${DIND_IPTABLES_BACKEND:-}" ] && [ -n "$official" ] && [ "$official" != "$DIND_IPTABLES_BACKEND" ]; then
	log "ERROR: DIND_IPTABLES_BACKEND=$DIND_IPTABLES_BACKEND contradicts DOCKER_IPTABLES_LEGACY='$DOCKER_IPTABLES_LEGACY' (which means $official); set only one"
	exit 1
fi

legacy_tables=$(cat /proc/net/ip_tables_names /proc/net/ip6_tables_names /proc/net/arp_tables_names 2>/dev/null || true)
if [ -n "${DIND_IPTABLES_BACKEND:-}" ]; then
	backend=$DIND_IPTABLES_BACKEND
	why="DIND_IPTABLES_BACKEND=$backend"
elif [ -n "$official" ]; then
	backend=$official
	why="DOCKER_IPTABLES_LEGACY='$DOCKER_IPTABLES_LEGACY', read as the official image does"
elif [ -n "$legacy_tables" ]; then
	backend=legacy
	why="auto: legacy tables exist in this network namespace: $(echo "$legacy_tables" | tr "\n" " ")"
elif "$lib/iptables-nft/iptables" -nL >/dev/null 2>&1; then
	backend=nft
	why="auto: no legacy tables, and iptables-nft works"
elif "$lib/iptables-legacy/iptables" -nL >/dev/null 2>&1; then
	backend=legacy
	why="auto: iptables-nft does not work here, iptables-legacy does"
else
	backend=nft
	why="auto: neither backend works here; the daemon will probably fail to set up its networks"
fi
ln -sfn "iptables-$backend" "$lib/iptables"
log "iptables backend: $backend ($why); $(iptables --version)"
