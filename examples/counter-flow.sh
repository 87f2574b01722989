#!/usr/bin/env bash
# The counter flow at a Tokyo licence centre for demo holder 6 (伊藤 健, マイナ免許証, nothing done yet):
# M1 with the three counter checks, then the address one-stop consent signed with the same certificate.
# Needs the graph running (`npm start`; GQL, or HOST and PORT, say where), and curl, jq and openssl.
# Stops at the first step the graph refuses.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
HOLDER=${HOLDER:-11111111-1111-4111-8111-000000000006}
DIR=${1:-$(mktemp -d)}
CLERK=$(npm run --silent token -- --role COUNTER_STAFF --prefecture 13)

# The holder's signature certificate, as the terminal reads it from the card (here: minted by the dev J-LIS CA).
npm run --silent dev:cert -- --serial 0A0B0C0D --name '伊藤 健' --address '東京都八王子市元本郷町3-24-1' --birth-date 2001-08-15 --out "$DIR"

jq -n --rawfile pem "$DIR/cert.pem" --arg id "$HOLDER" '{
  query: "mutation($input: SubmitSignatureCertificateInput!) { submitSignatureCertificate(input: $input) { signatureCertificate { serialNumber status notAfter } userErrors { code message } } }",
  variables: { input: { holderId: $id, certificatePem: $pem, checks: { faceMatched: true, cardValid: true, addressMatched: true } } } }' \
  | step 'M1: submit the certificate with the counter checks (R-CERT-1/2)' "$CLERK" COUNTER_PROCEDURE

DOC=$(jq -cn --arg id "$HOLDER" --arg at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" '{subject: $id, items: ["ADDRESS","NAME"], termsVersion: "2025-03", signedAt: $at}')
SIG=$(printf '%s' "$DOC" | openssl dgst -sha256 -sign "$DIR/key.pem" | base64 -w0)
jq -n --rawfile pem "$DIR/cert.pem" --arg id "$HOLDER" --arg doc "$DOC" --arg sig "$SIG" '{
  query: "mutation($input: GrantAddressOneStopConsentInput!) { grantAddressOneStopConsent(input: $input) { consent { items channel expiresOn status } userErrors { code message } } }",
  variables: { input: { holderId: $id, items: ["ADDRESS","NAME"], termsVersion: "2025-03", signedConsent: { document: $doc, signature: $sig, certificatePem: $pem } } } }' \
  | step 'consent to ADDRESS and NAME, signed at the terminal with the same certificate (R-ONE-1)' "$CLERK" COUNTER_PROCEDURE

jq -n --arg id "$HOLDER" '{ query: "query($id: ID!) { holder(id: $id) { name signatureCertificate { serialNumber status } addressOneStopConsent { items expiresOn status } eligibility { addressOneStop { eligible items { item autoUpdate } } } } }", variables: { id: $id } }' \
  | step 'the inquiry (R-INQ-1): M1 done and the consent state' "$CLERK" HOLDER_INQUIRY MYNA_CARD_FACE
echo "certificate and key kept in $DIR for the Myna Portal flow (examples/myna-portal-flow.sh $DIR)"
