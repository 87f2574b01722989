#!/usr/bin/env bash
# The Myna Portal flow for demo holder 6 after examples/counter-flow.sh: M2 linkage with the same certificate,
# then a 本籍 change by identifier code, fetched from the family-register simulator by the worker.
# Usage: examples/myna-portal-flow.sh CERT_DIR — needs the graph running (`npm start`; GQL, or HOST and PORT, say
# where; FAMILY_REGISTER_URL or FAMILY_REGISTER_PORT the simulator), and curl and jq. Stops at the first refused step.
set -euo pipefail
DIR=${1:?usage: examples/myna-portal-flow.sh CERT_DIR (from examples/counter-flow.sh)}
. "$(dirname "$0")/lib.sh"
PSEUDONYM=ito-pseudonym-0006
PORTAL=$(npm run --silent token -- --role MYNA_PORTAL --sub myna-portal)

jq -n --rawfile pem "$DIR/cert.pem" --arg p "$PSEUDONYM" '{
  query: "mutation($input: LinkMynaPortalInput!) { linkMynaPortal(input: $input) { portalLink { pseudonym linkedAt } userErrors { code message } } }",
  variables: { input: { certificatePem: $pem, pseudonym: $p } } }' \
  | step 'M2: link the pseudonym; the certificate must be the one submitted at the centre (R-LINK-1)' "$PORTAL" COUNTER_PROCEDURE

echo '--- the municipality issues an identifier code (the simulator plays the family register system)'
curl -sSf "$REGISTER/dev/codes" -H 'content-type: application/json' \
  -d '{"code":"1234567890123456","honseki":"東京都八王子市元本郷町三丁目24番","name":"伊藤 健","birthDate":"2001-08-15","issuedOn":"'"$(TZ=Asia/Tokyo date +%F)"'"}' \
  || { echo "stopped: the family-register simulator at $REGISTER did not take the code" >&2; exit 1; }
echo

jq -n --arg p "$PSEUDONYM" '{ query: "mutation($input: SubmitHonsekiIdentifierCodeInput!) { submitHonsekiIdentifierCode(input: $input) { request { id status } userErrors { code message } } }",
  variables: { input: { pseudonym: $p, identifierCode: "1234567890123456" } } }' \
  | step 'M3: submit the code (R-HON-1)' "$PORTAL" COUNTER_PROCEDURE

# The worker takes requests every few seconds; wait for this one to settle (R-HON-2: about 20 minutes at most).
for _ in $(seq 1 30); do
  jq -n --arg p "$PSEUDONYM" '{ query: "query($p: String!) { holderByPseudonym(pseudonym: $p) { honsekiChangeRequests { status completedAt failureReason } eligibility { honsekiOnlineChange { eligible } } } }", variables: { p: $p } }' \
    | step 'the request as Myna Portal sees it' "$PORTAL" HOLDER_INQUIRY MYNA_PORTAL_LOGIN > /dev/null
  status=$(echo "$LAST" | jq -r '.data.holderByPseudonym.honsekiChangeRequests[0].status')
  case $status in
    APPLIED) echo "$LAST" | jq .; echo '--- the worker has applied it (R-HON-2)'; exit 0 ;;
    FAILED) echo "$LAST" | jq .; echo 'stopped: the request failed (see failureReason)' >&2; exit 1 ;;
  esac
  sleep 1
done
echo "stopped: the request did not settle in 30 s (is the 本籍 worker running?)" >&2
exit 1
