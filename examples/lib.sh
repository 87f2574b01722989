# Shared by the example flows: where the graph is, and a step that stops the flow when the graph refuses it.
# Every address comes from the environment, with the defaults of `npm start`.
shopt -s lastpipe
GQL=${GQL:-http://${HOST:-localhost}:${PORT:-4000}/graphql}
REGISTER=${FAMILY_REGISTER_URL:-http://${HOST:-localhost}:${FAMILY_REGISTER_PORT:-4010}}

# step TITLE TOKEN PURPOSE [VERIFICATION] < request.json — sends the request, prints the answer, and exits 1 when the
# answer carries errors or userErrors: a later step would only fail for the wrong reason.
step() {
  local title=$1 token=$2 purpose=$3 verification=${4:-} answer
  echo "--- $title"
  answer=$(curl -sS "$GQL" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -H "x-access-purpose: $purpose" ${verification:+-H "x-identity-verification: $verification"} -d @-) || {
    echo "stopped: the graph at $GQL did not answer" >&2
    exit 1
  }
  echo "$answer" | jq .
  if echo "$answer" | jq -e '((.errors // []) | length) > 0 or ([.. | objects | select(has("userErrors")) | .userErrors | length] | add // 0) > 0' >/dev/null; then
    echo "stopped: \"$title\" was refused (see the codes above)" >&2
    exit 1
  fi
  LAST=$answer
}
