#!/bin/sh
# dind-tls.sh: make the TLS material of the nested daemon and its clients (ECDSA P-256 keys,
# which take milliseconds where RSA-4096 takes seconds).
#
# Usage: dind-tls.sh CERTDIR
# Environment: DOCKER_TLS_SAN  extra server-certificate names, comma or space separated: DNS:name,
#   IP:address, or a bare name or address.
# Layout, as in the official docker:dind image (clients use CERTDIR/client with DOCKER_TLS_VERIFY=1):
#   ca/{cert,key}.pem         the CA (10 years), kept across starts
#   client/{ca,cert,key}.pem  kept while it verifies against the CA for 30 more days, else made
#                             anew; readable by all, as clients sharing the volume may run as any
#                             user; each file is replaced by a rename
#   server/{ca,cert,key}.pem  made at every start (the container's addresses may have changed);
#                             names: hostname, docker, localhost, every address of the container,
#                             and DOCKER_TLS_SAN
# A failure stops the start with openssl's own message.
set -eu
dir=${1:?usage: dind-tls.sh CERTDIR}
started=$(date +%s%3N)
log() { printf '[dind-entrypoint] %s\n' "$*" >&2; }
# No system openssl.cnf: every certificate gets exactly the extensions given here.
export OPENSSL_CONF=/dev/null

# new_cert DIR SUBJECT EXTENSION...: in DIR, a new key and a certificate (825 days) signed by the CA
new_cert() {
	out=$1 subject=$2
	shift 2
	# Each EXTENSION becomes "-addext EXTENSION" (the loop's list was expanded before it ran).
	for extension in "$@"; do set -- "$@" -addext "$extension" && shift; done
	if ! error=$(openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -days 825 -subj "/CN=$subject" \
		-CA "$dir/ca/cert.pem" -CAkey "$dir/ca/key.pem" "$@" -keyout "$out/.key.pem" -out "$out/.cert.pem" 2>&1); then
		log "ERROR: TLS: openssl could not make the certificate for $subject: $(echo "$error" | tr '\n' ' ')"
		exit 1
	fi
	cp "$dir/ca/cert.pem" "$out/.ca.pem"
}

# put_in_place DIR MODE: give the new files MODE and rename them into place, ca.pem last
put_in_place() {
	chmod "$2" "$1/.key.pem" "$1/.cert.pem" "$1/.ca.pem"
	for file in key cert ca; do mv -f "$1/.$file.pem" "$1/$file.pem"; done
}

mkdir -p "$dir/ca" "$dir/client" "$dir/server"
chmod 0700 "$dir/ca" "$dir/server"
umask 077
in_30_days=$(($(date +%s) + 30 * 86400))
if [ -s "$dir/ca/key.pem" ] && cmp -s "$dir/ca/cert.pem" "$dir/client/ca.pem" && [ -s "$dir/client/key.pem" ] &&
	openssl verify -attime "$in_30_days" -CAfile "$dir/ca/cert.pem" "$dir/client/cert.pem" >/dev/null 2>&1; then
	log "TLS: reusing the CA and the client certificate in $dir (valid for 30 days or more)"
else
	if [ -s "$dir/ca/key.pem" ] && openssl x509 -checkend 2592000 -noout -in "$dir/ca/cert.pem" >/dev/null 2>&1; then
		log "TLS: reusing the CA in $dir/ca; making a client certificate (none valid for 30 more days against it)"
	else
		log "TLS: making a CA in $dir/ca and a client certificate"
		if ! error=$(openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -days 3650 -subj "/CN=dind-stack CA" \
			-addext basicConstraints=critical,CA:TRUE,pathlen:0 -addext keyUsage=critical,keyCertSign,cRLSign \
			-keyout "$dir/ca/key.pem" -out "$dir/ca/cert.pem" 2>&1); then
			log "ERROR: TLS: openssl could not make the CA: $(echo "$error" | tr '\n' ' ')"
			exit 1
		fi
	fi
	new_cert "$dir/client" dind-client basicConstraints=critical,CA:FALSE keyUsage=critical,digitalSignature extendedKeyUsage=clientAuth
	put_in_place "$dir/client" 0644
fi

sans=$(awk -v extra="${DOCKER_TLS_SAN:-}" '
	function add(name) { if (!(name in seen)) { seen[name]; list = list (list == "" ? "" : ",") name } }
	BEGIN {
		getline host <"/proc/sys/kernel/hostname"
		add("DNS:" host); add("DNS:docker"); add("DNS:localhost"); add("IP:127.0.0.1")
		count = split(extra, names, /[, ]+/)
		for (i = 1; i <= count; i++) {
			if (names[i] == "") continue
			else if (names[i] ~ /^(DNS|IP):/) add(names[i])
			else if (names[i] ~ /:/ || names[i] ~ /^[0-9.]+$/) add("IP:" names[i])
			else add("DNS:" names[i])
		}
	}
	FILENAME ~ /fib_trie$/ && /\|--/ { address = $2 }
	FILENAME ~ /fib_trie$/ && /\/32 host LOCAL/ { add("IP:" address) }
	FILENAME ~ /if_inet6$/ && $4 == "00" {
		address = substr($1, 1, 4); for (i = 5; i < 32; i += 4) address = address ":" substr($1, i, 4)
		add("IP:" address)
	}
	END { print list }' /proc/net/fib_trie "$(test -r /proc/net/if_inet6 && echo /proc/net/if_inet6 || echo /dev/null)")
new_cert "$dir/server" "$(cat /proc/sys/kernel/hostname)" basicConstraints=critical,CA:FALSE keyUsage=critical,digitalSignature \
	extendedKeyUsage=serverAuth "subjectAltName=$sans"
put_in_place "$dir/server" 0600
chmod 0644 "$dir/server/cert.pem" "$dir/server/ca.pem"
log "TLS: server certificate for $sans"
log "TLS: material ready in $(($(date +%s%3N) - started)) ms; clients use $dir/client with DOCKER_TLS_VERIFY=1"
