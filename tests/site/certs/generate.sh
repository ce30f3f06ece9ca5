#!/bin/sh
# Regenerates the committed self-signed certificate for the test site.
# Run once; the pair is committed so every machine and CI run serves the same
# certificate and tests can pin it as a CA. Valid for localhost, 127.0.0.1 and
# ::1 from 2020 to 2049: the start is backdated so a machine whose clock lags
# the one that generated it still accepts it. `openssl ca` is used only
# because OpenSSL 3.0's `req -x509` cannot set a start date.
# Never use this key for anything but local tests.
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
touch "$work/index.txt"
cat > "$work/openssl.cnf" <<CNF
[ca]
default_ca = site
[site]
database = $work/index.txt
new_certs_dir = $work
serial = $work/serial
default_md = sha256
policy = anything
copy_extensions = none
[anything]
commonName = supplied
[ext]
subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature,keyEncipherment,keyCertSign
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
CNF
openssl rand -hex 16 > "$work/serial"
openssl req -new -newkey rsa:2048 -nodes -keyout key.pem -subj "/CN=localhost" -out "$work/req.csr"
openssl ca -batch -selfsign -config "$work/openssl.cnf" -keyfile key.pem -in "$work/req.csr" \
  -startdate 20200101000000Z -enddate 20491231235959Z -extensions ext -notext -out cert.pem
