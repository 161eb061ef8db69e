#!/bin/sh
# dind-entrypoint.sh: start a nested Docker daemon in this container.
#
# Its one job: settle dockerd's arguments and exec it, logging each decision with the prefix
# [dind-entrypoint]. The preparations with more to them are scripts of their own:
#   dind-cgroups.sh   writable cgroups; cgroup v2 nesting (private cgroup namespace only)
#   dind-iptables.sh  the legacy or nft iptables backend
#   dind-tls.sh       CA, client and server certificates
#   dind-watch.sh     in the background: logs when the daemon answers, warns loudly about vfs
#
# Arguments: none, or a first one starting with "-": dockerd arguments; "dockerd ARGS": the
# same ARGS; anything else runs instead of the daemon.
# Environment:
#   DOCKER_TLS_CERTDIR   TLS material directory (image default /certs); empty means plain
#                        TCP on 2375 without TLS (the only way to get it)
#   DIND_PLAIN_TCP       without TLS, who may reach port 2375: "localhost" (listen on 127.0.0.1),
#                        or an interface (only connections arriving on it); unset: everyone
#   DOCKER_TLS_SAN       extra names for the server certificate (see dind-tls.sh)
#   DIND_IPTABLES_BACKEND, DOCKER_IPTABLES_LEGACY   the iptables backend (see dind-iptables.sh)
#   DIND_MTU             the configured MTU; the daemon's networks get the smaller of it and eth0's
#   DIND_DAEMON_JSON     written to /etc/docker/daemon.json as given: the stack renders it from
#                        settings it has validated. A daemon.json supplied otherwise (a mounted
#                        file) is checked with `dockerd --validate` where dockerd has it (23.0+).
set -eu
start_ms=$(date +%s%3N)
bin=${0%/*}
log() { printf '[dind-entrypoint] %s\n' "$*" >&2; }
die() {
	log "ERROR: $*"
	exit 1
}

case "${1:-}" in
'' | -*) ;;
dockerd) shift ;;
*)
	log "running '$*' instead of the daemon"
	exec "$@"
	;;
esac

case "${DOCKER_HOST:-}" in
tcp://*)
	log "WARNING: unsetting DOCKER_HOST=$DOCKER_HOST: here it would make dockerd listen there too ('bind: address already in use')"
	unset DOCKER_HOST
	;;
esac

# A daemon that did not stop cleanly leaves pid files that make the next dockerd refuse to start.
for pidfile in /var/run/docker.pid /var/run/docker/containerd/containerd.pid; do
	[ -f "$pidfile" ] || continue
	pid=$(cat "$pidfile")
	if grep -qsx -e dockerd -e containerd "/proc/$pid/comm"; then
		die "$pidfile names pid $pid, a running $(cat "/proc/$pid/comm"): a daemon already runs in this container"
	fi
	rm -f "$pidfile"
	log "removed stale pid file $pidfile (pid $pid is not running)"
done

user_daemon_json=
if [ -n "${DIND_DAEMON_JSON:-}" ]; then
	mkdir -p /etc/docker
	printf '%s\n' "$DIND_DAEMON_JSON" >/etc/docker/daemon.json
	log "daemon.json from DIND_DAEMON_JSON: $DIND_DAEMON_JSON"
elif [ -f /etc/docker/daemon.json ]; then
	user_daemon_json=1
	log "daemon.json supplied in /etc/docker/daemon.json: $(tr -s '\n\t' '  ' </etc/docker/daemon.json)"
fi

# AppArmor for nested containers needs securityfs; mounts the nested daemon makes must reach its containers.
if [ -d /sys/kernel/security ] && ! grep -qs ' /sys/kernel/security securityfs ' /proc/mounts; then
	if mount -t securityfs securityfs /sys/kernel/security 2>/dev/null; then
		log "mounted securityfs at /sys/kernel/security"
	else
		log "WARNING: could not mount securityfs at /sys/kernel/security; nested containers get no AppArmor"
	fi
fi
mount --make-rshared / || log "WARNING: could not make / rshared; mount propagation into nested containers will not work"

"$bin/dind-cgroups.sh"
"$bin/dind-iptables.sh"

# Nested networks get MTU 1500 unless told otherwise; behind a smaller eth0 their packets would
# not fit. The daemon gets the smaller of eth0's and DIND_MTU (the configured one): --mtu for
# docker0, and --default-network-opt (dockerd 24.0+) for the networks `docker network create`
# and compose make.
eth0=$(cat /sys/class/net/eth0/mtu 2>/dev/null || echo 0)
case " $* $(cat /etc/docker/daemon.json 2>/dev/null || true)" in
*" --mtu"* | *'"mtu"'* | *default-network-opt*) log "MTU: set by an argument or daemon.json; eth0 has $eth0" ;;
*)
	mtu=${DIND_MTU:-1500}
	if [ "$eth0" -gt 0 ] && [ "$eth0" -lt "$mtu" ]; then mtu=$eth0; fi
	if [ "$mtu" -eq 1500 ] && [ -z "${DIND_MTU:-}" ]; then
		log "MTU: eth0 has $eth0; dockerd's default 1500 fits"
	elif dockerd --help 2>&1 | grep -q -e --default-network-opt; then
		set -- "--mtu=$mtu" "--default-network-opt=bridge=com.docker.network.driver.mtu=$mtu" "$@"
		log "MTU: eth0 has $eth0${DIND_MTU:+, configured $DIND_MTU}; passing --mtu=$mtu, and the same for every bridge network the daemon creates"
	else
		set -- "--mtu=$mtu" "$@"
		log "MTU: eth0 has $eth0${DIND_MTU:+, configured $DIND_MTU}; passing --mtu=$mtu. WARNING: $(dockerd --version) has no --default-network-opt (24.0 and newer): networks made by docker network create or compose get 1500 unless they set com.docker.network.driver.mtu"
	fi
	;;
esac

certs=${DOCKER_TLS_CERTDIR-/certs}
if [ -n "$certs" ]; then
	"$bin/dind-tls.sh" "$certs"
	set -- --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2376 --tlsverify \
		--tlscacert="$certs/server/ca.pem" --tlscert="$certs/server/cert.pem" --tlskey="$certs/server/key.pem" "$@"
else
	# Plain TCP is served only where the clients are (DIND_PLAIN_TCP, set by the stack): on
	# localhost (clients in the same pod), or arriving on one interface (clients on the
	# container's network); never to nested containers, whose traffic arrives on the nested bridges.
	case "${DIND_PLAIN_TCP:-}" in
	localhost) address=127.0.0.1 ;;
	'') address=0.0.0.0 ;;
	*)
		address=0.0.0.0
		iptables -I INPUT -p tcp --dport 2375 ! -i "$DIND_PLAIN_TCP" -j DROP
		log "plain TCP: port 2375 answers only connections arriving on $DIND_PLAIN_TCP"
		;;
	esac
	log "WARNING: DOCKER_TLS_CERTDIR is empty: listening on tcp://$address:2375 WITHOUT TLS; whoever reaches that port controls this daemon and, through it, the host"
	# --tls=false says so on purpose; newer dockerd releases delay or refuse plain TCP without it.
	set -- --host=unix:///var/run/docker.sock "--host=tcp://$address:2375" --tls=false "$@"
fi

if [ -n "$user_daemon_json" ]; then
	if out=$(dockerd --validate "$@" 2>&1); then
		log "daemon.json: dockerd --validate says: $out"
	else
		case "$out" in
		*"unknown flag: --validate"*) log "daemon.json: $(dockerd --version) has no --validate (23.0 and newer); dockerd checks the file as it starts" ;;
		*) die "dockerd --validate refuses the configuration: $out" ;;
		esac
	fi
fi

# Started twice over, so docker-init (PID 1) adopts and reaps it, not dockerd.
("$bin/dind-watch.sh" "$start_ms" </dev/null >/dev/null &)
log "starting: dockerd $*"
exec dockerd "$@"
