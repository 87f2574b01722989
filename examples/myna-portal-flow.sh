#!/usr/bin/env bash
# The Myna Portal flow for demo holder 6 after examples/counter-flow.sh: M2 linkage with the same certificate,
# then a 本籍 change by identifier code, fetched from the family-register simulator by the worker.
# Usage: examples/myna-portal-flow.sh CERT_DIR   (needs `npm start` running, and curl and jq)
set -euo pipefail
DIR=${1:?usage: examples/myna-portal-flow.sh CERT_DIR (from examples/counter-flow.sh)}
GQL=${GQL:-http://localhost:4000/graphql}
PSEUDONYM=ito-pseudonym-0006
PORTAL=$(npm run --silent token -- --role MYNA_PORTAL --sub myna-portal)
ask() { curl -s "$GQL" -H "authorization: Bearer $PORTAL" -H 'content-type: application/json' -H 'x-access-purpose: COUNTER_PROCEDURE' -d @-; }

echo '--- M2: link the pseudonym; the certificate serial must equal the M1 serial (R-LINK-1)'
jq -n --rawfile pem "$DIR/cert.pem" --arg p "$PSEUDONYM" '{
  query: "mutation($input: LinkMynaPortalInput!) { linkMynaPortal(input: $input) { portalLink { pseudonym linkedAt } userErrors { code message } } }",
  variables: { input: { certificatePem: $pem, pseudonym: $p } } }' | ask | jq .

echo '--- the municipality issues an identifier code (the simulator plays the family register system)'
curl -s localhost:4010/dev/codes -H 'content-type: application/json' \
  -d '{"code":"1234567890123456","honseki":"東京都八王子市元本郷町三丁目24番","name":"伊藤 健","birthDate":"2001-08-15","issuedOn":"'"$(date +%F)"'"}'; echo

echo '--- M3: submit the code (R-HON-1)'
jq -n --arg p "$PSEUDONYM" '{ query: "mutation($input: SubmitHonsekiIdentifierCodeInput!) { submitHonsekiIdentifierCode(input: $input) { request { id status } userErrors { code message } } }",
  variables: { input: { pseudonym: $p, identifierCode: "1234567890123456" } } }' | ask | jq .

sleep 5
echo '--- a few seconds later the worker has applied it (R-HON-2)'
jq -n --arg p "$PSEUDONYM" '{ query: "query($p: String!) { holderByPseudonym(pseudonym: $p) { honsekiChangeRequests { status completedAt failureReason } eligibility { honsekiOnlineChange { eligible } } } }", variables: { p: $p } }' \
  | curl -s "$GQL" -H "authorization: Bearer $PORTAL" -H 'content-type: application/json' -H 'x-access-purpose: HOLDER_INQUIRY' -H 'x-identity-verification: MYNA_PORTAL_LOGIN' -d @- | jq .
