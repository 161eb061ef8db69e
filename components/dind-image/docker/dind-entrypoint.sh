#!/bin/sh
# dind-entrypoint.sh: prepare a container for a nested Docker daemon, then exec dockerd.
#
# Arguments
#   (none) or first argument starting with "-"  -> extra dockerd arguments
#   "dockerd" ...                                -> "dockerd" is dropped, the rest are dockerd arguments
#   anything else                                -> executed as a command (no daemon)
#
# Environment
#   DOCKER_TLS_CERTDIR      TLS material directory (image default /certs). Set to "" for plain
#                           TCP on 2375 (insecure; the only way to get it).
#   DOCKER_TLS_SAN          extra server-certificate names, comma or space separated:
#                           DNS:name, IP:addr, or a bare name/address (classified here).
#   DOCKER_IPTABLES_LEGACY  1/true/yes -> iptables-legacy, 0/false/no -> iptables-nft,
#                           unset/empty -> detect.
#   DIND_DAEMON_JSON        JSON text written to /etc/docker/daemon.json (must not set "hosts",
#                           nor tls/tlsverify/tlscacert/tlscert/tlskey when TLS is on).
#
# TLS layout (ECDSA P-256) under $DOCKER_TLS_CERTDIR:
#   ca/{cert,key}.pem            CA, kept across restarts (key 0600, directory 0700)
#   client/{ca,cert,key}.pem     client material, kept while it verifies against the CA; all
#                                files 0644 so non-root clients sharing the volume can read the
#                                key (as with the official image); replaced atomically with
#                                ca.pem renamed last
#   server/{ca,cert,key}.pem     regenerated at every start (key 0600)
#
# Every decision is logged to stderr with the prefix [dind-entrypoint].
set -eu

log() { printf '[dind-entrypoint] %s\n' "$*" >&2; }
warn() { log "WARNING: $*"; }
die() { log "ERROR: $*"; exit 1; }
loud() {
	log '************************************************************************'
	for line in "$@"; do
		log "WARNING: $line"
	done
	log '************************************************************************'
}
now_ms() { date +%s%3N; }

SOCKET=/var/run/docker.sock
DAEMON_JSON=/etc/docker/daemon.json
START_MS=$(now_ms)

# ---------------------------------------------------------------------------
# Argument handling
# ---------------------------------------------------------------------------
if [ "$#" -gt 0 ]; then
	case "$1" in
	-*) log "arguments start with '-': passing them to dockerd" ;;
	dockerd)
		shift
		log "first argument is 'dockerd': starting the daemon with the remaining arguments"
		;;
	*)
		log "running command instead of the daemon: $*"
		exec "$@"
		;;
	esac
else
	log "no arguments: starting dockerd with defaults"
fi

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

# mount_opts MOUNTPOINT: options of the topmost mount at MOUNTPOINT (empty if none)
mount_opts() {
	awk -v mp="$1" '$2 == mp { o = $4 } END { print o }' /proc/mounts
}

# mounted_as MOUNTPOINT FSTYPE
mounted_as() {
	awk -v mp="$1" -v t="$2" '$2 == mp && $3 == t { f = 1 } END { exit !f }' /proc/mounts
}

# is_ro MOUNTPOINT: true when the topmost mount at MOUNTPOINT is read-only
is_ro() {
	case ",$(mount_opts "$1")," in
	*,ro,*) return 0 ;;
	esac
	return 1
}

# remount_rw MOUNTPOINT: returns non-zero (with the error in $REMOUNT_ERR) on failure
REMOUNT_ERR=
remount_rw() {
	if REMOUNT_ERR=$(mount -o remount,rw "$1" 2>&1); then
		return 0
	fi
	# A read-only bind mount only changes with the bind flag.
	if REMOUNT_ERR=$(mount -o remount,bind,rw "$1" 2>&1); then
		return 0
	fi
	return 1
}

# arg_present NAME ARGS...: true when --NAME or --NAME=... is among ARGS
arg_present() {
	name=$1
	shift
	for a in "$@"; do
		case "$a" in
		"--$name" | "--$name="*) return 0 ;;
		esac
	done
	return 1
}

# json_has_key KEY: true when the daemon.json text has a top-level-looking "KEY": entry
json_has_key() {
	[ -n "$DAEMON_JSON_TEXT" ] || return 1
	printf '%s' "$DAEMON_JSON_TEXT" | tr -d ' \t\r\n' | grep -q "\"$1\":"
}

# ---------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------

check_not_running() {
	for comm in /proc/[0-9]*/comm; do
		[ -r "$comm" ] || continue
		if [ "$(cat "$comm" 2>/dev/null || true)" = dockerd ]; then
			pid=${comm#/proc/}
			die "a dockerd (pid ${pid%/comm}) is already running in this container; not starting a second one"
		fi
	done
}

fix_docker_host() {
	case "${DOCKER_HOST:-}" in
	tcp://*)
		warn "DOCKER_HOST=$DOCKER_HOST is set in the daemon container; unsetting it (a tcp DOCKER_HOST here makes dockerd try to bind that address too and fail with 'bind: address already in use')"
		unset DOCKER_HOST
		;;
	'') ;;
	*) log "DOCKER_HOST=$DOCKER_HOST left as is (not tcp://)" ;;
	esac
}

setup_mounts() {
	if mounted_as /sys/kernel/security securityfs; then
		log "securityfs is already mounted at /sys/kernel/security"
	elif [ ! -d /sys/kernel/security ]; then
		log "/sys/kernel/security does not exist; not mounting securityfs"
	elif err=$(mount -t securityfs securityfs /sys/kernel/security 2>&1); then
		log "mounted securityfs at /sys/kernel/security"
	else
		warn "could not mount securityfs at /sys/kernel/security (${err}); AppArmor for nested containers may be unavailable; continuing"
	fi

	# Let mounts made by the nested daemon propagate to its containers (rshared).
	if err=$(mount --make-rshared / 2>&1); then
		log "made / rshared (mount propagation for nested containers)"
	else
		warn "could not make / rshared (${err}); shared mount propagation in nested containers will not work; continuing"
	fi
}

setup_cgroup_v2() {
	cg=/sys/fs/cgroup
	log "cgroup v2 detected"
	if is_ro "$cg"; then
		if remount_rw "$cg"; then
			log "cgroup v2: $cg was read-only; remounted it read-write"
		else
			warn "cgroup v2: $cg is read-only and could not be remounted read-write (${REMOUNT_ERR}); the daemon will probably fail (is the container privileged?)"
			return 0
		fi
	fi
	if ! err=$(mkdir -p "$cg/init" 2>&1); then
		warn "cgroup v2: cannot create $cg/init (${err}); nested containers may not get cgroup controllers"
		return 0
	fi
	controllers=$(cat "$cg/cgroup.controllers")
	attempt=0
	while :; do
		attempt=$((attempt + 1))
		# Evacuate the root cgroup (processes and controllers cannot share a
		# non-root cgroup); processes may appear or exit meanwhile.
		moved=0
		for pid in $(cat "$cg/cgroup.procs" 2>/dev/null || true); do
			if { printf '%s\n' "$pid" >"$cg/init/cgroup.procs"; } 2>/dev/null; then
				moved=$((moved + 1))
			fi
		done
		missing=
		for c in $controllers; do
			case " $(cat "$cg/cgroup.subtree_control") " in
			*" $c "*) continue ;;
			esac
			if ! { printf '+%s\n' "$c" >"$cg/cgroup.subtree_control"; } 2>/dev/null; then
				missing="$missing $c"
			fi
		done
		if [ -z "$missing" ]; then
			log "cgroup v2: moved $moved process(es) to $cg/init; enabled controllers: $(cat "$cg/cgroup.subtree_control") (attempt $attempt)"
			return 0
		fi
		if [ "$attempt" -ge 20 ]; then
			warn "cgroup v2: could not enable controller(s)${missing} after $attempt attempts; enabled: $(cat "$cg/cgroup.subtree_control"); continuing"
			return 0
		fi
		sleep 0.1
	done
}

setup_cgroup_v1() {
	log "cgroup v1 detected"
	mps=$(awk '$2 == "/sys/fs/cgroup" || $2 ~ /^\/sys\/fs\/cgroup\// { print $2 }' /proc/mounts)
	if [ -z "$mps" ]; then
		warn "cgroup v1: nothing is mounted under /sys/fs/cgroup; the daemon will probably fail"
		return 0
	fi
	ro=
	for mp in $mps; do
		if is_ro "$mp"; then
			ro="$ro $mp"
		fi
	done
	if [ -z "$ro" ]; then
		log "cgroup v1: cgroup mounts are read-write"
		return 0
	fi
	log "cgroup v1: read-only cgroup mounts found (typical when the container is not fully privileged); remounting them read-write"
	failed=
	for mp in $ro; do
		if remount_rw "$mp"; then
			log "cgroup v1: remounted $mp read-write"
		else
			failed="$failed $mp"
			warn "cgroup v1: could not remount $mp read-write: ${REMOUNT_ERR}"
		fi
	done
	if [ -n "$failed" ]; then
		warn "cgroup v1: still read-only:${failed}; the daemon will fail to create cgroups for nested containers (run this container privileged, or with CAP_SYS_ADMIN and no read-only /sys)"
	fi
}

setup_cgroups() {
	if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		setup_cgroup_v2
	else
		setup_cgroup_v1
	fi
}

# iptables_switch VARIANT (legacy|nft): make iptables*, ip6tables* resolve to VARIANT
iptables_switch() {
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
	IPTABLES_METHOD=
	for t in iptables ip6tables; do
		target=$(command -v "$t-$variant" || true)
		if [ -z "$target" ]; then
			[ "$t" = iptables ] && die "$t-$variant is not installed in this image"
			warn "$t-$variant is not installed; IPv6 rules will use whatever ip6tables is"
			continue
		fi
		if command -v update-alternatives >/dev/null 2>&1 &&
			update-alternatives --set "$t" "$target" >/dev/null 2>&1; then
			IPTABLES_METHOD="${IPTABLES_METHOD} $t:update-alternatives"
		else
			for suffix in '' -save -restore; do
				src=$(command -v "$t-$variant$suffix" || true)
				[ -n "$src" ] && ln -sf "$src" "/usr/local/sbin/$t$suffix"
			done
			IPTABLES_METHOD="${IPTABLES_METHOD} $t:symlinks-in-/usr/local/sbin"
		fi
	done
	# dockerd looks iptables up on PATH: make sure /usr/local/sbin comes first.
	case ":$PATH:" in
	:/usr/local/sbin:*) ;;
	*) PATH="/usr/local/sbin:$PATH" && export PATH ;;
	esac
}

setup_iptables() {
	raw=${DOCKER_IPTABLES_LEGACY:-}
	value=$(printf '%s' "$raw" | tr '[:upper:]' '[:lower:]')
	case "$value" in
	1 | true | yes)
		variant=legacy
		reason="DOCKER_IPTABLES_LEGACY=$raw"
		;;
	0 | false | no)
		variant=nft
		reason="DOCKER_IPTABLES_LEGACY=$raw"
		;;
	'')
		legacy_tables=$(cat /proc/net/ip_tables_names 2>/dev/null || true)
		if [ -n "$legacy_tables" ]; then
			variant=legacy
			reason="auto: legacy tables already exist in this network namespace ($(echo "$legacy_tables" | tr '\n' ' '| sed 's/ $//'))"
		elif err=$(iptables-nft -nL 2>&1 >/dev/null); then
			variant=nft
			reason="auto: no legacy tables and iptables-nft works"
		else
			variant=legacy
			reason="auto: no legacy tables but iptables-nft does not work (${err})"
		fi
		;;
	*) die "DOCKER_IPTABLES_LEGACY must be 1/true/yes, 0/false/no or empty; got '$raw'" ;;
	esac
	iptables_switch "$variant"
	version=$(iptables --version 2>&1 || true)
	log "iptables backend: $variant ($reason); switched via${IPTABLES_METHOD}; $(command -v iptables): $version"
	case "$variant:$version" in
	legacy:*"(legacy)"* | nft:*"(nf_tables)"*) ;;
	*) die "iptables on PATH reports '$version', not the chosen $variant backend" ;;
	esac
	if [ "$variant" = legacy ] && ! err=$(iptables -nL 2>&1 >/dev/null); then
		warn "iptables-legacy does not work here (${err}); the kernel may lack legacy iptables; the daemon will probably fail (try DOCKER_IPTABLES_LEGACY=0)"
	fi
	if [ "$variant" = nft ] && ! err=$(iptables -nL 2>&1 >/dev/null); then
		warn "iptables-nft does not work here (${err}); the daemon will probably fail (try DOCKER_IPTABLES_LEGACY=1)"
	fi
}

remove_stale_pidfiles() {
	found=
	for f in /run/docker*.pid /var/run/docker*.pid /run/docker/containerd/containerd.pid /var/run/docker/containerd/containerd.pid; do
		if [ -e "$f" ] || [ -L "$f" ]; then
			rm -f "$f"
			log "removed stale pid file $f"
			found=1
		fi
	done
	[ -n "$found" ] || log "no stale pid files"
}

DAEMON_JSON_TEXT=
setup_daemon_json() {
	if [ -n "${DIND_DAEMON_JSON:-}" ]; then
		DAEMON_JSON_TEXT=$DIND_DAEMON_JSON
		source_desc="DIND_DAEMON_JSON"
	elif [ -f "$DAEMON_JSON" ]; then
		DAEMON_JSON_TEXT=$(cat "$DAEMON_JSON")
		source_desc="existing file"
	else
		log "no daemon.json (DIND_DAEMON_JSON is empty)"
		return 0
	fi
	if json_has_key hosts; then
		die "daemon.json ($source_desc) sets \"hosts\"; remove it: the entrypoint passes --host itself and dockerd refuses an option set both as a flag and in daemon.json"
	fi
	if [ -n "$TLS_DIR" ]; then
		for k in tls tlsverify tlscacert tlscert tlskey; do
			if json_has_key "$k"; then
				die "daemon.json ($source_desc) sets \"$k\"; remove it: the entrypoint configures TLS with flags (use DOCKER_TLS_CERTDIR)"
			fi
		done
	fi
	if [ "$source_desc" = DIND_DAEMON_JSON ]; then
		mkdir -p "${DAEMON_JSON%/*}"
		printf '%s\n' "$DAEMON_JSON_TEXT" >"$DAEMON_JSON.tmp.$$"
		mv -f "$DAEMON_JSON.tmp.$$" "$DAEMON_JSON"
		log "wrote $DAEMON_JSON from DIND_DAEMON_JSON:"
	else
		log "using existing $DAEMON_JSON:"
	fi
	printf '%s\n' "$DAEMON_JSON_TEXT" | while IFS= read -r line; do
		log "  $line"
	done
}

# EXTRA_ARGS gets daemon flags computed here (set by setup_mtu).
EXTRA_ARGS=
setup_mtu() {
	if json_has_key mtu; then
		log "MTU: set in daemon.json; leaving it alone"
		return 0
	fi
	if arg_present mtu "$@"; then
		log "MTU: --mtu given as an argument; leaving it alone"
		return 0
	fi
	if [ ! -r /sys/class/net/eth0/mtu ]; then
		log "MTU: no eth0 in this container; keeping the daemon default"
		return 0
	fi
	mtu=$(cat /sys/class/net/eth0/mtu)
	if [ "$mtu" -lt 1500 ] 2>/dev/null; then
		EXTRA_ARGS="--mtu=$mtu"
		log "MTU: eth0 MTU is $mtu (< 1500); passing --mtu=$mtu so nested containers do not send oversized packets"
	else
		log "MTU: eth0 MTU is $mtu; keeping the daemon default (1500)"
	fi
}

DATA_ROOT=/var/lib/docker
check_storage() {
	root=/var/lib/docker
	prev=
	for a in "$@"; do
		case "$prev:$a" in
		--data-root:*) root=$a ;;
		*:--data-root=*) root=${a#--data-root=} ;;
		esac
		prev=$a
	done
	if json_has_key data-root; then
		root=$(printf '%s' "$DAEMON_JSON_TEXT" | tr -d '\r\n' | sed -n 's/.*"data-root"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
		[ -n "$root" ] || root=/var/lib/docker
	fi
	mkdir -p "$root"
	DATA_ROOT=$root
	fstype=$(stat -f -c %T "$root" 2>/dev/null || echo unknown)
	case "$fstype" in
	overlay* | aufs)
		loud "$root is on $fstype (the container's own layered filesystem)." \
			"The nested daemon cannot use overlay2 there and will fall back to vfs:" \
			"every layer becomes a full copy (slow, huge disk use)." \
			"Mount a volume at $root (docker run -v NAME:$root, or an emptyDir)."
		;;
	*) log "storage: $root is on $fstype" ;;
	esac
}

# --- TLS --------------------------------------------------------------------

# add_san ENTRY: append a normalised SAN (DNS:x / IP:x) to SAN_LIST
SAN_LIST=
add_san() {
	SAN_LIST="${SAN_LIST}${SAN_LIST:+
}$1"
}

# classify_san TOKEN: print DNS:x or IP:x, or nothing (with a warning) when invalid
classify_san() {
	t=$1
	case "$t" in
	DNS:* | dns:*)
		name=${t#*:}
		;;
	IP:* | ip:*)
		printf 'IP:%s\n' "${t#*:}"
		return 0
		;;
	*)
		case "$t" in
		*[!0-9.]*) ;;
		*.*.*.*)
			printf 'IP:%s\n' "$t"
			return 0
			;;
		esac
		case "$t" in
		*:*)
			case "$t" in
			*[!0-9A-Fa-f:.]*) ;;
			*)
				printf 'IP:%s\n' "$t"
				return 0
				;;
			esac
			;;
		esac
		name=$t
		;;
	esac
	case "$name" in
	'' | *[!A-Za-z0-9.*_-]*)
		warn "DOCKER_TLS_SAN: ignoring invalid name '$t'"
		return 0
		;;
	esac
	printf 'DNS:%s\n' "$name"
}

collect_sans() {
	SAN_LIST=
	hn=$(cat /proc/sys/kernel/hostname 2>/dev/null || true)
	[ -n "$hn" ] && add_san "DNS:$hn"
	add_san DNS:docker
	add_san DNS:localhost
	add_san IP:127.0.0.1
	# IPv4 addresses of this network namespace (no iproute2 needed).
	v4=$(awk '/\|--/ { ip = $2 } /\/32 host LOCAL/ { print "IP:" ip }' /proc/net/fib_trie 2>/dev/null | sort -u)
	if [ -n "$v4" ]; then
		add_san "$v4"
	fi
	# IPv6 global and loopback addresses (scope 00 and 10; link-local is useless in a certificate).
	if [ -r /proc/net/if_inet6 ]; then
		v6=$(awk '$4 == "00" || $4 == "10" { print $1 }' /proc/net/if_inet6 | sed 's/\(....\)/\1:/g; s/:$//; s/^/IP:/')
		if [ -n "$v6" ]; then
			add_san "$v6"
		fi
	fi
	# Extra names from DOCKER_TLS_SAN (no globbing: names may contain '*').
	set -f
	for t in $(printf '%s' "${DOCKER_TLS_SAN:-}" | tr ',' ' '); do
		s=$(classify_san "$t")
		if [ -n "$s" ]; then
			add_san "$s"
		fi
	done
	set +f
	SAN_LIST=$(printf '%s\n' "$SAN_LIST" | awk 'NF && !seen[$0]++')
}

# new_key FILE: ECDSA P-256 private key, created mode 0600
new_key() {
	(umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null)
}

# write_req_cnf FILE: minimal openssl request config (independent of the system openssl.cnf)
write_req_cnf() {
	cat >"$1" <<'CNF'
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ v3_ca ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
CNF
}

# sign_leaf KEY CN EXTFILE OUT: certificate for KEY signed by the CA
sign_leaf() {
	openssl req -new -config "$WORK/req.cnf" -key "$1" -subj "/CN=$2" -out "$WORK/leaf.csr"
	openssl x509 -req -in "$WORK/leaf.csr" -CA "$TLS_DIR/ca/cert.pem" -CAkey "$TLS_DIR/ca/key.pem" \
		-set_serial "0x$(openssl rand -hex 16)" -days 825 -sha256 -extfile "$3" -out "$4" 2>/dev/null
}

# same_pubkey CERT KEY
same_pubkey() {
	a=$(openssl x509 -noout -pubkey -in "$1" 2>/dev/null) || return 1
	b=$(openssl pkey -pubout -in "$2" 2>/dev/null) || return 1
	[ -n "$a" ] && [ "$a" = "$b" ]
}

ensure_ca() {
	ca=$TLS_DIR/ca
	mkdir -p "$ca"
	chmod 0700 "$ca"
	if [ -s "$ca/cert.pem" ] && [ -s "$ca/key.pem" ] &&
		openssl x509 -noout -checkend 2592000 -in "$ca/cert.pem" >/dev/null 2>&1 &&
		same_pubkey "$ca/cert.pem" "$ca/key.pem"; then
		log "TLS: reusing the CA in $ca"
		return 0
	fi
	log "TLS: creating a new CA in $ca (ECDSA P-256, 10 years)"
	new_key "$ca/key.pem.new"
	openssl req -new -x509 -config "$WORK/req.cnf" -extensions v3_ca -key "$ca/key.pem.new" \
		-subj "/CN=dind-stack CA" -days 3650 -sha256 -out "$ca/cert.pem.new"
	chmod 0600 "$ca/key.pem.new"
	chmod 0644 "$ca/cert.pem.new"
	mv -f "$ca/key.pem.new" "$ca/key.pem"
	mv -f "$ca/cert.pem.new" "$ca/cert.pem"
}

ensure_client() {
	cl=$TLS_DIR/client
	mkdir -p "$cl"
	chmod 0755 "$cl"
	if [ ! -s "$cl/cert.pem" ] || [ ! -s "$cl/key.pem" ] || [ ! -s "$cl/ca.pem" ]; then
		why="files missing"
	elif [ "$(cat "$cl/ca.pem")" != "$(cat "$TLS_DIR/ca/cert.pem")" ]; then
		why="ca.pem is not the current CA"
	elif ! openssl verify -CAfile "$TLS_DIR/ca/cert.pem" "$cl/cert.pem" >/dev/null 2>&1; then
		why="cert.pem does not verify against the CA"
	elif ! openssl x509 -noout -checkend 2592000 -in "$cl/cert.pem" >/dev/null 2>&1; then
		why="cert.pem expires within 30 days"
	elif ! same_pubkey "$cl/cert.pem" "$cl/key.pem"; then
		why="key.pem does not match cert.pem"
	else
		log "TLS: reusing the client certificate in $cl (verifies against the CA)"
		return 0
	fi
	log "TLS: creating a client certificate in $cl ($why)"
	cat >"$WORK/client.ext" <<'EXT'
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EXT
	# Temporary files live in the client directory itself so the final mv is an
	# atomic rename even when that directory is a separate volume.
	new_key "$cl/.key.pem.new"
	sign_leaf "$cl/.key.pem.new" dind-client "$WORK/client.ext" "$cl/.cert.pem.new"
	cp "$TLS_DIR/ca/cert.pem" "$cl/.ca.pem.new"
	# Client files are world-readable: other containers sharing this volume
	# may run as non-root users (the official image exposes them the same way).
	chmod 0644 "$cl/.key.pem.new" "$cl/.cert.pem.new" "$cl/.ca.pem.new"
	mv -f "$cl/.key.pem.new" "$cl/key.pem"
	mv -f "$cl/.cert.pem.new" "$cl/cert.pem"
	mv -f "$cl/.ca.pem.new" "$cl/ca.pem"
}

make_server_cert() {
	sv=$TLS_DIR/server
	mkdir -p "$sv"
	chmod 0700 "$sv"
	collect_sans
	sans=$(printf '%s\n' "$SAN_LIST" | paste -sd, -)
	{
		echo 'basicConstraints = critical, CA:FALSE'
		echo 'keyUsage = critical, digitalSignature'
		echo 'extendedKeyUsage = serverAuth'
		echo 'subjectKeyIdentifier = hash'
		echo 'authorityKeyIdentifier = keyid'
		echo "subjectAltName = $sans"
	} >"$WORK/server.ext"
	new_key "$sv/.key.pem.new"
	if ! err=$(sign_leaf "$sv/.key.pem.new" "${hn:-docker}" "$WORK/server.ext" "$sv/.cert.pem.new" 2>&1); then
		die "TLS: could not create the server certificate (SANs: $sans): $err"
	fi
	cp "$TLS_DIR/ca/cert.pem" "$sv/.ca.pem.new"
	chmod 0600 "$sv/.key.pem.new"
	chmod 0644 "$sv/.cert.pem.new" "$sv/.ca.pem.new"
	mv -f "$sv/.key.pem.new" "$sv/key.pem"
	mv -f "$sv/.cert.pem.new" "$sv/cert.pem"
	mv -f "$sv/.ca.pem.new" "$sv/ca.pem"
	log "TLS: new server certificate in $sv, SANs: $sans"
}

setup_tls() {
	t0=$(now_ms)
	mkdir -p "$TLS_DIR"
	WORK=$(mktemp -d)
	write_req_cnf "$WORK/req.cnf"
	ensure_ca
	ensure_client
	make_server_cert
	rm -rf "$WORK"
	log "TLS: material ready in $(($(now_ms) - t0)) ms; clients use $TLS_DIR/client/{ca,cert,key}.pem with DOCKER_TLS_VERIFY=1"
}

# --- readiness / storage watcher ----------------------------------------------

start_watcher() {
	# Double fork: the watcher is re-parented to docker-init (PID 1), which
	# reaps it; dockerd never sees it as a child.
	(
		(
			unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH
			i=0
			while [ "$i" -lt 120 ]; do
				if driver=$(docker --host "unix://$SOCKET" info --format '{{.Driver}}' 2>/dev/null) && [ -n "$driver" ]; then
					elapsed=$(($(now_ms) - START_MS))
					if [ "$driver" = vfs ]; then
						loud "the daemon is using the vfs storage driver (ready after ${elapsed} ms)." \
							"vfs copies every layer in full: builds and pulls are slow and use a lot of disk." \
							"Mount a volume at $DATA_ROOT so overlay2 can be used."
					else
						log "daemon ready on $SOCKET ${elapsed} ms after entrypoint start; storage driver: $driver"
					fi
					exit 0
				fi
				sleep 0.5
				i=$((i + 1))
			done
			warn "the daemon did not answer on $SOCKET within 60 s; see the dockerd messages above"
		) </dev/null >/dev/null &
	)
}

# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------
check_not_running
fix_docker_host

# Unset -> TLS in /certs (safe default); set to "" -> plain TCP (explicit opt-in).
TLS_DIR=${DOCKER_TLS_CERTDIR-/certs}

# Configuration errors first, before anything in the container is changed.
setup_daemon_json
setup_mounts
setup_cgroups
setup_iptables
remove_stale_pidfiles
setup_mtu "$@"
check_storage "$@"

if [ -n "$TLS_DIR" ]; then
	setup_tls
	set -- \
		--host="unix://$SOCKET" \
		--host=tcp://0.0.0.0:2376 \
		--tlsverify \
		--tlscacert="$TLS_DIR/server/ca.pem" \
		--tlscert="$TLS_DIR/server/cert.pem" \
		--tlskey="$TLS_DIR/server/key.pem" \
		${EXTRA_ARGS:+"$EXTRA_ARGS"} \
		"$@"
else
	loud "DOCKER_TLS_CERTDIR is empty: the daemon listens on tcp://0.0.0.0:2375 WITHOUT TLS." \
		"Anyone who can reach that port controls this daemon (and, being privileged, the host)." \
		"Only use this on an isolated network; set DOCKER_TLS_CERTDIR=/certs for TLS on 2376."
	# --tls=false states the intent explicitly; without it dockerd >= 20.10
	# delays its start by 15 s to show a deprecation warning (and newer
	# releases refuse to start).
	set -- \
		--host="unix://$SOCKET" \
		--host=tcp://0.0.0.0:2375 \
		--tls=false \
		${EXTRA_ARGS:+"$EXTRA_ARGS"} \
		"$@"
fi

start_watcher
log "starting: dockerd $*"
exec dockerd "$@"
