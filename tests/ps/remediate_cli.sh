#!/bin/sh
# usage: remediate_cli.sh HYBRIDCHECK NODE PSPARSE TMPDIR
# The real binary on real (generated) certificates, for every cloud: a
# faulty organisation gets the steps its faults need, a healthy one a
# script that only verifies; every script parses.
hc=$1 node=$2 psparse=$3 tmp=$4
rm -rf "$tmp" && mkdir -p "$tmp" || exit 1
cd "$tmp" || exit 1
subj="/CN=Microsoft Exchange Server Auth Certificate"
openssl req -x509 -newkey rsa:2048 -nodes -keyout old.key -out old.pem -days 20 -subj "$subj" 2>/dev/null &&
openssl req -x509 -newkey rsa:2048 -nodes -keyout new.key -out new.pem -days 1800 -subj "$subj" 2>/dev/null &&
openssl x509 -in old.pem -outform DER -out old.cer &&
openssl x509 -in new.pem -outform DER -out new.cer || { echo "openssl failed"; exit 1; }
exo=00000002-0000-0ff1-ce00-000000000000
fail=0
expect() {	# FILE TEXT: the script holds TEXT
	grep -qF -- "$2" "$1" || { echo "FAIL $1: lacks '$2'"; fail=1; }
}
refuse() {	# FILE TEXT: the script does not hold TEXT
	! grep -qF -- "$2" "$1" || { echo "FAIL $1: holds '$2'"; fail=1; }
}
for cloud in global china gcchigh dod; do
	"$hc" remediate --domain contoso.com --cloud "$cloud" --offline --window 30 \
		--cert old.cer --next-cert new.cer --spn "$exo/mail.contoso.com" \
		--host mail.contoso.com --ps1 "faulty-$cloud.ps1" >/dev/null
	[ $? -eq 2 ] || { echo "FAIL faulty $cloud: exit is not 2"; fail=1; }
	f="faulty-$cloud.ps1"
	expect "$f" "# ---- authcert.renew:"
	expect "$f" "# ---- spn.add:"
	expect "$f" "'$exo/autodiscover.contoso.com'"
	expect "$f" "# ---- authcert.upload-next:"
	expect "$f" "\$certThumb = '$(openssl x509 -in new.pem -noout -fingerprint -sha1 | sed 's/.*=//; s/://g')'"
	expect "$f" "\$certB64 = '$(openssl base64 -A -in new.cer)'"
	refuse "$f" "# ---- partnerapp.enable"
	refuse "$f" "This script only verifies"

	"$hc" remediate --domain contoso.com --cloud "$cloud" --offline \
		--cert new.cer --spn "$exo/*.contoso.com" --host mail.contoso.com \
		--ps1 "healthy-$cloud.ps1" >/dev/null
	[ $? -eq 0 ] || { echo "FAIL healthy $cloud: exit is not 0"; fail=1; }
	f="healthy-$cloud.ps1"
	expect "$f" "This script only verifies"
	# No remedy step at all (the verification steps are not remedies).
	! grep -Eq -- '# ---- [a-z-]+\.[a-z.-]+:' "$f" || { echo "FAIL $f: holds a remedy step"; fail=1; }
	expect "$f" "Test-OAuthConnectivity -Service EWS -TargetUri \$ewsUrl"
done
"$node" --no-deprecation "$psparse" "$tmp"/*.ps1 || fail=1
[ $fail -eq 0 ] && echo "remediate scripts ok"
exit $fail
