#!/bin/sh
# dind-tls.sh: create the TLS material of the nested daemon and its clients.
#
# Its one job: after it succeeds, CERTDIR holds a CA, a client certificate and a fresh
# server certificate that dockerd --tlsverify and `docker --tlsverify` can use. Any
# failure ends it with an ERROR line that carries openssl's own message.
#
# Usage: dind-tls.sh CERTDIR [SAN...]
#   CERTDIR   e.g. /certs (the entrypoint passes $DOCKER_TLS_CERTDIR)
#   SAN...    extra server-certificate names, added to those of DOCKER_TLS_SAN
# Environment
#   DOCKER_TLS_SAN  extra server-certificate names, comma or space separated:
#                   DNS:name, IP:addr, or a bare name/address (classified here).
#
# Layout (ECDSA P-256) under CERTDIR:
#   ca/{cert,key}.pem            CA, kept across restarts (key 0600, directory 0700)
#   client/{ca,cert,key}.pem     client material, kept while it verifies against the CA; all
#                                files 0644 so non-root clients sharing the volume can read the
#                                key (as with the official image); replaced atomically with
#                                ca.pem renamed last
#   server/{ca,cert,key}.pem     regenerated at every start (key 0600); SANs: hostname,
#                                docker, localhost, 127.0.0.1, every address of this network
#                                namespace (IPv4, global IPv6), plus the extra names
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC1091 # installed by the Dockerfile; shellchecked on its own
. "$here/../lib/dind-stack/dind-common.sh"

if [ "$#" -eq 0 ] || [ -z "$1" ]; then
	die "usage: dind-tls.sh CERTDIR [SAN...]"
fi
TLS_DIR=$1
shift

# tls_fail WHAT OUTPUT: the one way this script fails
tls_fail() {
	die "TLS: $1 failed: $(one_line "${2:-no message}")"
}

# try WHAT CMD...: run CMD; on failure end with its stderr/stdout in an ERROR line
try() {
	try_what=$1
	shift
	if ! try_out=$("$@" 2>&1); then
		tls_fail "$try_what" "$try_out"
	fi
}

# best_effort WHAT CMD...: run CMD; on failure only warn (permissions on odd volumes)
best_effort() {
	be_what=$1
	shift
	if ! be_out=$("$@" 2>&1); then
		warn "TLS: $be_what failed ($(one_line "$be_out")); continuing"
	fi
}

# new_key WHAT FILE: ECDSA P-256 private key, created mode 0600
new_key() {
	if ! key_out=$(umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$2" 2>&1); then
		tls_fail "$1: openssl genpkey (private key $2)" "$key_out"
	fi
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

# sign_leaf WHAT KEY CN EXTFILE OUT: certificate for KEY signed by the CA
sign_leaf() {
	leaf_what=$1
	if ! serial=$(openssl rand -hex 16 2>&1); then
		tls_fail "$leaf_what: openssl rand (serial number)" "$serial"
	fi
	try "$leaf_what: openssl req (signing request for CN=$3)" \
		openssl req -new -config "$WORK/req.cnf" -key "$2" -subj "/CN=$3" -out "$WORK/leaf.csr"
	try "$leaf_what: openssl x509 (signing $5 with the CA)" \
		openssl x509 -req -in "$WORK/leaf.csr" -CA "$TLS_DIR/ca/cert.pem" -CAkey "$TLS_DIR/ca/key.pem" \
		-set_serial "0x$serial" -days 825 -sha256 -extfile "$4" -out "$5"
}

# same_pubkey CERT KEY
same_pubkey() {
	a=$(openssl x509 -noout -pubkey -in "$1" 2>/dev/null) || return 1
	b=$(openssl pkey -pubout -in "$2" 2>/dev/null) || return 1
	[ -n "$a" ] && [ "$a" = "$b" ]
}

# check_written WHAT CERT KEY [CAFILE]: the new files load, belong together and (with
# CAFILE) verify. openssl does not always report a failed write (a full disk can leave
# an empty file behind with exit status 0), so every new certificate is read back.
check_written() {
	if ! chk_out=$(openssl x509 -noout -in "$2" 2>&1); then
		tls_fail "$1: reading back $2 (was it written completely? disk full?)" "$chk_out"
	fi
	if ! same_pubkey "$2" "$3"; then
		tls_fail "$1: reading back $3" "the key does not load or does not match $2 (was it written completely? disk full?)"
	fi
	if [ -n "${4:-}" ] && ! chk_out=$(openssl verify -CAfile "$4" "$2" 2>&1); then
		tls_fail "$1: verifying $2 against $4" "$chk_out"
	fi
}

# --- subject alternative names ------------------------------------------------

SAN_LIST=
# add_san ENTRY: append normalised SANs (DNS:x / IP:x, one per line) to SAN_LIST
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

# collect_sans EXTRA...: fills SAN_LIST and HOST_NAME
collect_sans() {
	SAN_LIST=
	HOST_NAME=$(cat /proc/sys/kernel/hostname 2>/dev/null || true)
	[ -n "$HOST_NAME" ] && add_san "DNS:$HOST_NAME"
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
	# Extra names (no globbing: names may contain '*').
	set -f
	for t in $(printf '%s' "${DOCKER_TLS_SAN:-}" | tr ',' ' ') "$@"; do
		s=$(classify_san "$t")
		if [ -n "$s" ]; then
			add_san "$s"
		fi
	done
	set +f
	SAN_LIST=$(printf '%s\n' "$SAN_LIST" | awk 'NF && !seen[$0]++')
}

# --- the three certificates -------------------------------------------------------

ensure_ca() {
	ca=$TLS_DIR/ca
	try "CA: creating $ca" mkdir -p "$ca"
	best_effort "CA: chmod 0700 $ca" chmod 0700 "$ca"
	if [ -s "$ca/cert.pem" ] && [ -s "$ca/key.pem" ] &&
		openssl x509 -noout -checkend 2592000 -in "$ca/cert.pem" >/dev/null 2>&1 &&
		same_pubkey "$ca/cert.pem" "$ca/key.pem"; then
		log "TLS: reusing the CA in $ca"
		return 0
	fi
	log "TLS: creating a new CA in $ca (ECDSA P-256, 10 years)"
	new_key "CA" "$ca/key.pem.new"
	try "CA: openssl req -x509 (self-signed CA certificate)" \
		openssl req -new -x509 -config "$WORK/req.cnf" -extensions v3_ca -key "$ca/key.pem.new" \
		-subj "/CN=dind-stack CA" -days 3650 -sha256 -out "$ca/cert.pem.new"
	check_written "CA" "$ca/cert.pem.new" "$ca/key.pem.new"
	try "CA: chmod" chmod 0600 "$ca/key.pem.new"
	try "CA: chmod" chmod 0644 "$ca/cert.pem.new"
	try "CA: installing the key" mv -f "$ca/key.pem.new" "$ca/key.pem"
	try "CA: installing the certificate" mv -f "$ca/cert.pem.new" "$ca/cert.pem"
}

ensure_client() {
	cl=$TLS_DIR/client
	try "client: creating $cl" mkdir -p "$cl"
	best_effort "client: chmod 0755 $cl" chmod 0755 "$cl"
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
	new_key "client" "$cl/.key.pem.new"
	sign_leaf "client" "$cl/.key.pem.new" dind-client "$WORK/client.ext" "$cl/.cert.pem.new"
	try "client: copying the CA certificate" cp "$TLS_DIR/ca/cert.pem" "$cl/.ca.pem.new"
	check_written "client" "$cl/.cert.pem.new" "$cl/.key.pem.new" "$cl/.ca.pem.new"
	# Client files are world-readable: other containers sharing this volume
	# may run as non-root users (the official image exposes them the same way).
	try "client: chmod" chmod 0644 "$cl/.key.pem.new" "$cl/.cert.pem.new" "$cl/.ca.pem.new"
	try "client: installing the key" mv -f "$cl/.key.pem.new" "$cl/key.pem"
	try "client: installing the certificate" mv -f "$cl/.cert.pem.new" "$cl/cert.pem"
	try "client: installing ca.pem" mv -f "$cl/.ca.pem.new" "$cl/ca.pem"
}

make_server_cert() {
	sv=$TLS_DIR/server
	try "server: creating $sv" mkdir -p "$sv"
	best_effort "server: chmod 0700 $sv" chmod 0700 "$sv"
	collect_sans "$@"
	sans=$(printf '%s\n' "$SAN_LIST" | paste -sd, -)
	{
		echo 'basicConstraints = critical, CA:FALSE'
		echo 'keyUsage = critical, digitalSignature'
		echo 'extendedKeyUsage = serverAuth'
		echo 'subjectKeyIdentifier = hash'
		echo 'authorityKeyIdentifier = keyid'
		echo "subjectAltName = $sans"
	} >"$WORK/server.ext"
	new_key "server" "$sv/.key.pem.new"
	sign_leaf "server (SANs: $sans)" "$sv/.key.pem.new" "${HOST_NAME:-docker}" "$WORK/server.ext" "$sv/.cert.pem.new"
	try "server: copying the CA certificate" cp "$TLS_DIR/ca/cert.pem" "$sv/.ca.pem.new"
	check_written "server" "$sv/.cert.pem.new" "$sv/.key.pem.new" "$sv/.ca.pem.new"
	try "server: chmod" chmod 0600 "$sv/.key.pem.new"
	try "server: chmod" chmod 0644 "$sv/.cert.pem.new" "$sv/.ca.pem.new"
	try "server: installing the key" mv -f "$sv/.key.pem.new" "$sv/key.pem"
	try "server: installing the certificate" mv -f "$sv/.cert.pem.new" "$sv/cert.pem"
	try "server: installing ca.pem" mv -f "$sv/.ca.pem.new" "$sv/ca.pem"
	log "TLS: new server certificate in $sv, SANs: $sans"
}

t0=$(now_ms)
command -v openssl >/dev/null 2>&1 || die "TLS: openssl is not installed in this image"
try "creating $TLS_DIR" mkdir -p "$TLS_DIR"
if ! WORK=$(mktemp -d 2>&1); then
	tls_fail "creating a temporary directory" "$WORK"
fi
trap 'rm -rf "$WORK"' EXIT
write_req_cnf "$WORK/req.cnf"
ensure_ca
ensure_client
make_server_cert "$@"
log "TLS: material ready in $(($(now_ms) - t0)) ms; clients use $TLS_DIR/client/{ca,cert,key}.pem with DOCKER_TLS_VERIFY=1"
