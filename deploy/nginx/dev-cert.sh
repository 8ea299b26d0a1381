#!/bin/sh
# A self-signed certificate for trying the compose stack on this machine (https://localhost).
# Browsers will warn about it. In production put the real fullchain.pem and privkey.pem (from
# your CA or certbot) in deploy/nginx/certs/, or point TLS_CERT_DIR at the folder holding them.
set -eu
dir="${1:-$(dirname "$0")/certs}"
mkdir -p "$dir"
if [ -s "$dir/fullchain.pem" ] && [ -s "$dir/privkey.pem" ]; then
    echo "$dir already holds fullchain.pem and privkey.pem; remove them to make new ones." >&2
    exit 1
fi
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -sha256 \
    -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$dir/privkey.pem" -out "$dir/fullchain.pem"
chmod 600 "$dir/privkey.pem"
echo "Wrote $dir/fullchain.pem and $dir/privkey.pem (self-signed, valid 30 days)."
