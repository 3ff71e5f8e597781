#!/bin/bash
# Issue 15: SetCredentialEncrypted= decrypted with the host key, as systemd 252 decrypts it. The
# key is $SYSTEMD_CREDENTIAL_SECRET (tests/meson.build points the daemon at a file this test makes
# with `systemd-creds setup`; never /var/lib/systemd/credential.secret). Pairs, from inside the job:
# root's job reads the plaintext in $CREDENTIALS_DIRECTORY; uid 65534 cannot have confined decrypt
# for it (spawn-privileged, denied by the default rules), or any caller could read every credential
# encrypted for this host. A blob for another name, a tampered one, an expired one and one sealed
# with a TPM2 or the null key are refused, naming the property; without the key it is NotSupported,
# naming the file.
# Run under tests/with-bus.
set -uo pipefail

BUILD=${CONFINE_BUILD_DIR:?}
C=${CONFINE_CONFINECTL:-$BUILD/client/confinectl}
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
if [[ ${CONFINE_TEST_BUS:-} == system ]]; then
    echo "1..0 # SKIP CONFINE_TEST_BUS=system: the installed confined does not share this test's key"
    exit 0
fi
: "${SYSTEMD_CREDENTIAL_SECRET:?the daemon and this test share the key through it}"
[[ $SYSTEMD_CREDENTIAL_SECRET != /var/lib/systemd/* ]] || { echo "refusing to touch the host's key" >&2; exit 1; }
export SYSTEMD_CREDENTIAL_SECRET
work=$(mktemp -d /tmp/confine-creds.XXXXXX)
chmod 0755 "$work"
trap 'rm -rf "$work"; rm -f "$SYSTEMD_CREDENTIAL_SECRET"' EXIT

# shellcheck source=../tap.sh
. "$(dirname "$0")/../tap.sh"

rm -f "$SYSTEMD_CREDENTIAL_SECRET"
mkdir -p "$(dirname "$SYSTEMD_CREDENTIAL_SECRET")"
systemd-creds setup >/dev/null 2>&1
# NAME PLAINTEXT [systemd-creds options…]: the base64 blob on one line.
enc() {
    local name=$1 text=$2
    shift 2
    printf '%s' "$text" | systemd-creds encrypt --with-key=host --name="$name" "$@" - - 2>/dev/null | tr -d '\n'
}

pw=$(enc pw 's3cret')
[[ -n $pw ]] && ok "systemd-creds encrypt --with-key=host made a blob" || not_ok "systemd-creds encrypt --with-key=host made a blob"

# --- the pair: root's job reads it; nobody may not have confined decrypt
expect "SetCredentialEncrypted: root's job reads the plaintext" 0 '^s3cret$' -- \
    "$C" run -p "SetCredentialEncrypted=pw:$pw" -- sh -c 'cat $CREDENTIALS_DIRECTORY/pw'
expect "... a file of mode 0400 in \$CREDENTIALS_DIRECTORY" 0 '^400 0$' -- \
    "$C" run -p "SetCredentialEncrypted=pw:$pw" -- sh -c 'stat -c "%a %u" $CREDENTIALS_DIRECTORY/pw'
expect "SetCredentialEncrypted: as nobody, needs spawn-privileged (denied: no decryption oracle)" 125 \
    'spawn-privileged' -- "${NOBODY[@]}" "$C" run -p "SetCredentialEncrypted=pw:$pw" -- sh -c 'cat $CREDENTIALS_DIRECTORY/pw'
expect "SetCredential: as nobody, the same plaintext needs no privilege" 0 '^s3cret$' -- \
    "${NOBODY[@]}" "$C" run -p "SetCredential=pw:s3cret" -- sh -c 'cat $CREDENTIALS_DIRECTORY/pw'

# --- what systemd checks: the embedded name, the tag, the expiry
expect "SetCredentialEncrypted: a blob for another name is refused" 125 \
    'SetCredentialEncrypted: .*another credential name.*\(InvalidProperty' -- \
    "$C" run -p "SetCredentialEncrypted=other:$pw" -- sh -c 'cat $CREDENTIALS_DIRECTORY/other'
tampered=$(printf '%s' "$pw" | base64 -d | python3 -c 'import sys; b = bytearray(sys.stdin.buffer.read()); b[-20] ^= 1; sys.stdout.buffer.write(b)' | base64 -w0)
expect "SetCredentialEncrypted: a tampered blob is refused (the tag)" 125 \
    'SetCredentialEncrypted: .*does not decrypt.*\(InvalidProperty' -- \
    "$C" run -p "SetCredentialEncrypted=pw:$tampered" -- sh -c 'cat $CREDENTIALS_DIRECTORY/pw'
truncated=$(printf '%s' "$pw" | base64 -d | head -c 40 | base64 -w0)
expect "SetCredentialEncrypted: a truncated blob is refused" 125 'SetCredentialEncrypted: .*truncated.*\(InvalidProperty' -- \
    "$C" run -p "SetCredentialEncrypted=pw:$truncated" -- true
expired=$(enc pw 'old' --timestamp=2019-01-01 --not-after=2020-01-01)
expect "SetCredentialEncrypted: an expired blob is refused (not-after)" 125 \
    'SetCredentialEncrypted: .*not-after.*\(InvalidProperty' -- \
    "$C" run -p "SetCredentialEncrypted=pw:$expired" -- true
later=$(enc pw 'later' --not-after=+1h)
expect "SetCredentialEncrypted: one valid for another hour is read" 0 '^later$' -- \
    "$C" run -p "SetCredentialEncrypted=pw:$later" -- sh -c 'cat $CREDENTIALS_DIRECTORY/pw'
anyname=$(enc '' 'unnamed')
expect "SetCredentialEncrypted: a blob without an embedded name fits any ID (as systemd)" 0 '^unnamed$' -- \
    "$C" run -p "SetCredentialEncrypted=x:$anyname" -- sh -c 'cat $CREDENTIALS_DIRECTORY/x'
tpm2=$(printf '\x0c\x7c\xc0\x7b\x11\x76\x45\x91\x9c\x4b\x0b\xea\x08\xbc\x20\xfe%064d' 0 | base64 -w0)
expect "SetCredentialEncrypted: a TPM2-sealed blob is NotSupported, naming the TPM2" 125 \
    'SetCredentialEncrypted: .*TPM2.*\(NotSupported' -- "$C" run -p "SetCredentialEncrypted=pw:$tpm2" -- true
null=$(printf 'x' | systemd-creds encrypt --with-key=tpm2-absent --name=pw - - 2>/dev/null | tr -d '\n')
expect "SetCredentialEncrypted: a null-key blob (--with-key=tpm2-absent) is NotSupported" 125 \
    'SetCredentialEncrypted: .*null key.*\(NotSupported' -- "$C" run -p "SetCredentialEncrypted=pw:$null" -- true
expect "SetCredentialEncrypted, then SetCredential= of the same ID: the later wins" 0 '^plain$' -- \
    "$C" run -p "SetCredentialEncrypted=pw:$pw" -p SetCredential=pw:plain -- sh -c 'cat $CREDENTIALS_DIRECTORY/pw'
expect "SetCredentialEncrypted: the plaintext is not in the job's environment" 0 '^$' -- \
    "$C" run -p "SetCredentialEncrypted=pw:$pw" -- sh -c 'env | grep s3cret; true'

# --- the key: systemd's own checks, then none at all
chmod 0444 "$SYSTEMD_CREDENTIAL_SECRET"
expect "a key file readable by others is refused (mode 0400, as systemd)" 125 \
    "SetCredentialEncrypted: .*$SYSTEMD_CREDENTIAL_SECRET: its mode is not 0400 \\(NotSupported" -- \
    "$C" run -p "SetCredentialEncrypted=pw:$pw" -- true
rm -f "$SYSTEMD_CREDENTIAL_SECRET"
expect "without the key: NotSupported naming the property and the file" 125 \
    "SetCredentialEncrypted: .*$SYSTEMD_CREDENTIAL_SECRET: No such file.*\\(NotSupported" -- \
    "$C" run -p "SetCredentialEncrypted=pw:$pw" -- true
expect "without the key, nobody gets NotSupported too, before polkit" 125 \
    "SetCredentialEncrypted: .*No such file.*\\(NotSupported" -- \
    "${NOBODY[@]}" "$C" run -p "SetCredentialEncrypted=pw:$pw" -- true

tap_done
