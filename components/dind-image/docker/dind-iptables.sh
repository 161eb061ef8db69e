#!/bin/sh
# dind-iptables.sh: choose the iptables backend (legacy or nft) for the nested daemon.
#
# Its one job: make `iptables`/`ip6tables` (and -save/-restore) on PATH resolve to one
# backend, and log the choice with its reason as
#   iptables backend: <legacy|nft> (<reason>); ...
#
# DOCKER_IPTABLES_LEGACY (as in the official image, with one extension):
#   unset or empty   detect: legacy when legacy tables already exist in this network
#                    namespace (/proc/net/ip_tables_names), else nft when iptables-nft
#                    works, else legacy
#   0, false, no     nft (this image's extension; case-insensitive)
#   anything else    legacy (the official image's rule: any non-empty value)
#
# The switch uses update-alternatives when available, else symlinks in /usr/local/sbin.
# dockerd looks iptables up on PATH, so the caller must keep /usr/local/sbin first on
# PATH (the entrypoint does).
#
# Usage: dind-iptables.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC1091 # installed by the Dockerfile; shellchecked on its own
. "$here/../lib/dind-stack/dind-common.sh"

case ":$PATH:" in
:/usr/local/sbin:*) ;;
*) PATH="/usr/local/sbin:$PATH" && export PATH ;;
esac

# switch_to VARIANT (legacy|nft): make iptables*, ip6tables* resolve to VARIANT
METHOD=
switch_to() {
	variant=$1
	# Drop symlinks a previous start may have left in /usr/local/sbin.
	for f in /usr/local/sbin/iptables /usr/local/sbin/iptables-save /usr/local/sbin/iptables-restore \
		/usr/local/sbin/ip6tables /usr/local/sbin/ip6tables-save /usr/local/sbin/ip6tables-restore; do
		if [ -L "$f" ]; then
			case "$(readlink "$f")" in
			*-legacy* | *-nft*) rm -f "$f" ;;
			esac
		fi
	done
	for t in iptables ip6tables; do
		target=$(command -v "$t-$variant" || true)
		if [ -z "$target" ]; then
			[ "$t" = iptables ] && die "$t-$variant is not installed in this image"
			warn "$t-$variant is not installed; IPv6 rules will use whatever ip6tables is"
			continue
		fi
		if command -v update-alternatives >/dev/null 2>&1 &&
			update-alternatives --set "$t" "$target" >/dev/null 2>&1; then
			METHOD="${METHOD} $t:update-alternatives"
		else
			for suffix in '' -save -restore; do
				src=$(command -v "$t-$variant$suffix" || true)
				[ -n "$src" ] && ln -sf "$src" "/usr/local/sbin/$t$suffix"
			done
			METHOD="${METHOD} $t:symlinks-in-/usr/local/sbin"
		fi
	done
}

raw=${DOCKER_IPTABLES_LEGACY:-}
case "$(printf '%s' "$raw" | tr '[:upper:]' '[:lower:]')" in
'')
	legacy_tables=$(cat /proc/net/ip_tables_names 2>/dev/null || true)
	if [ -n "$legacy_tables" ]; then
		variant=legacy
		reason="auto: legacy tables already exist in this network namespace ($(printf '%s\n' "$legacy_tables" | awk 'NF' | paste -sd ' ' -))"
	elif err=$(iptables-nft -nL 2>&1 >/dev/null); then
		variant=nft
		reason="auto: no legacy tables and iptables-nft works"
	else
		variant=legacy
		reason="auto: no legacy tables but iptables-nft does not work ($(one_line "$err"))"
	fi
	;;
0 | false | no)
	variant=nft
	reason="DOCKER_IPTABLES_LEGACY=$raw"
	;;
1 | true | yes)
	variant=legacy
	reason="DOCKER_IPTABLES_LEGACY=$raw"
	;;
*)
	variant=legacy
	reason="DOCKER_IPTABLES_LEGACY=$raw: any non-empty value other than 0/false/no selects legacy, as in the official image"
	;;
esac

switch_to "$variant"
version=$(iptables --version 2>&1 || true)
log "iptables backend: $variant ($reason); switched via${METHOD}; $(command -v iptables): $version"
case "$variant:$version" in
legacy:*"(legacy)"* | nft:*"(nf_tables)"*) ;;
*) die "iptables on PATH reports '$version', not the chosen $variant backend" ;;
esac
if ! err=$(iptables -nL 2>&1 >/dev/null); then
	if [ "$variant" = legacy ]; then
		warn "iptables-legacy does not work here ($(one_line "$err")); the kernel may lack legacy iptables; the daemon will probably fail (try DOCKER_IPTABLES_LEGACY=0)"
	else
		warn "iptables-nft does not work here ($(one_line "$err")); the daemon will probably fail (try DOCKER_IPTABLES_LEGACY=1)"
	fi
fi
