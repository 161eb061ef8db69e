#!/bin/sh
# official-tls-start.sh: the readiness benchmark's stand-in for the official docker:dind image's
# TLS start-up, run inside the dind-stack image. Like that image's entrypoint on a first start
# (no certificates yet), it makes RSA-4096 keys for a CA, the server and a client with openssl,
# signs the two certificates (825 days), verifies them, then execs dockerd listening with
# --tlsverify on 2376. Arguments are passed on to dockerd.
set -eu
dir=/certs
mkdir -p "$dir/ca" "$dir/server" "$dir/client"
for part in ca server client; do
	openssl genrsa -out "$dir/$part/key.pem" 4096 2>/dev/null
done
openssl req -new -x509 -key "$dir/ca/key.pem" -subj '/CN=bench CA' -days 825 \
	-addext keyUsage=critical,digitalSignature,keyCertSign -out "$dir/ca/cert.pem"
name=$(cat /proc/sys/kernel/hostname)
printf '[ext]\nextendedKeyUsage = serverAuth\nsubjectAltName = DNS:%s,DNS:docker,DNS:localhost,IP:127.0.0.1\n' "$name" >"$dir/server/ext.cnf"
printf '[ext]\nextendedKeyUsage = clientAuth\n' >"$dir/client/ext.cnf"
for part in server client; do
	openssl req -new -key "$dir/$part/key.pem" -subj "/CN=bench $part" -out "$dir/$part/csr.pem"
	openssl x509 -req -in "$dir/$part/csr.pem" -CA "$dir/ca/cert.pem" -CAkey "$dir/ca/key.pem" -CAcreateserial \
		-days 825 -extfile "$dir/$part/ext.cnf" -extensions ext -out "$dir/$part/cert.pem" 2>/dev/null
	cp "$dir/ca/cert.pem" "$dir/$part/ca.pem"
	openssl verify -CAfile "$dir/$part/ca.pem" "$dir/$part/cert.pem" >/dev/null
done
exec dockerd --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2376 --tlsverify \
	--tlscacert="$dir/server/ca.pem" --tlscert="$dir/server/cert.pem" --tlskey="$dir/server/key.pem" "$@"
