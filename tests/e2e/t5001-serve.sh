#!/bin/sh
# t5001-serve: `govsite user` and `govsite serve` end to end with curl: accounts, login,
# CSRF, the JSON API and pages, the access log, /metrics, HTTPS, and a graceful SIGTERM
# that lets a request in flight finish and closes the database cleanly.
. "$(dirname "$0")/lib.sh"
DEMO="$ROOT/data/demo"
trap 'serve_stop >/dev/null 2>&1' EXIT

check 'the registry and accounts are set up from the CLI' '
    govsite unit import "$DEMO/units.csv" >/dev/null
    govsite site import "$DEMO/sites.csv" >/dev/null
    govsite column import "$DEMO/columns.csv" >/dev/null
    echo "admin-password" | govsite user add admin --role admin
    echo "editor-password" | govsite user add jt --role editor --unit 市交通局
    echo "viewer-password" | govsite -q user add look --role 只读
    govsite user list --json >u.json
    expect_json u.json "length == 3 and (map(.name) | sort) == [\"admin\",\"jt\",\"look\"]"
    expect_json u.json "(.[] | select(.name == \"jt\") | .unit) == \"市交通局\" and (.[] | select(.name == \"jt\") | .role) == \"editor\""
    govsite user list >u.txt
    expect_contains u.txt 单位编辑
'
check 'user add refuses bad input and changes nothing' '
    expect_fail 2 govsite user add x --role root </dev/null
    echo "editor-password" | expect_fail 1 govsite user add e2 --role editor 2>err
    expect_contains err "needs a unit"
    echo "short" | expect_fail 1 govsite user add e3 --role viewer 2>err
    expect_contains err "at least 8"
    echo "another-password" | expect_fail 1 govsite user add admin --role viewer 2>err
    expect_contains err "exists"
    expect_fail 1 govsite user add e4 --role viewer </dev/null 2>err
    expect_contains err "no password"
    govsite user list --json >u.json
    expect_json u.json "length == 3"
    govsite user --help | grep -q "user token NAME"
    govsite serve --help | grep -q -- "--access-log"
'

serve_start --access-log "$T/access.log" --threads 3

check 'healthz and metrics answer without logging in' '
    curl -sf "$URL/healthz" >h.json
    expect_json h.json ".status == \"ok\" and .database == \"$E2E_ENGINE\""
    curl -sf "$URL/metrics" >m.txt
    expect_contains m.txt "# TYPE govsite_http_request_duration_seconds histogram"
    expect_contains m.txt "govsite_registry_sites 10"
'
check 'the API wants authentication' '
    code=$(curl -s -o e.json -w "%{http_code}" "$URL/api/v1/sites")
    expect_eq "$code" 401
    expect_json e.json ".error.code == \"UNAUTHORIZED\""
    code=$(curl -s -o /dev/null -w "%{http_code}" "$URL/sites")
    expect_eq "$code" 303
'
check 'login, list with pagination, CSRF on writes, logout' '
    curl -s -c jar -H "Content-Type: application/json" -d "{\"name\":\"admin\",\"password\":\"admin-password\"}" "$URL/api/v1/session" >s.json
    expect_json s.json ".user.role == \"admin\" and (.csrf_token | length) == 64"
    grep -q "#HttpOnly_127.0.0.1" jar
    curl -s -b jar -D hdr "$URL/api/v1/sites?per_page=3&page=2" >p.json
    expect_json p.json ".page == 2 and .per_page == 3 and .total == 10 and .pages == 4 and (.items | length) == 3"
    grep -qi "^X-Total-Count: 10" hdr
    grep -qi "^Link: .*rel=\"next\"" hdr
    id=$(curl -s -b jar "$URL/api/v1/sites?q=shifan.test/&per_page=1" | jq ".items[0].id")
    curl -s -b jar "$URL/api/v1/sites/$id/columns?per_page=500" >c.json
    expect_json c.json ".total > 100 and (.items[0] | has(\"path\") and has(\"class\") and has(\"urls\") and has(\"status\"))"
    code=$(curl -s -b jar -o e.json -w "%{http_code}" -H "Content-Type: application/json" -d "{\"name\":\"v2\",\"role\":\"viewer\",\"password\":\"12345678\"}" "$URL/api/v1/users")
    expect_eq "$code" 403
    expect_json e.json ".error.message | test(\"CSRF\")"
    csrf=$(jq -r .csrf_token s.json)
    code=$(curl -s -b jar -o n.json -w "%{http_code}" -H "X-CSRF-Token: $csrf" -H "Content-Type: application/json" -d "{\"name\":\"v2\",\"role\":\"viewer\",\"password\":\"12345678\"}" "$URL/api/v1/users")
    expect_eq "$code" 201
    expect_json n.json ".name == \"v2\" and .role_label == \"只读\""
    code=$(curl -s -b jar -o /dev/null -w "%{http_code}" -X DELETE -H "X-CSRF-Token: $csrf" "$URL/api/v1/session")
    expect_eq "$code" 204
    code=$(curl -s -b jar -o /dev/null -w "%{http_code}" "$URL/api/v1/session")
    expect_eq "$code" 401
'
check 'an editor reads the registry but cannot manage users' '
    curl -s -c ej -H "Content-Type: application/json" -d "{\"name\":\"jt\",\"password\":\"editor-password\"}" "$URL/api/v1/session" >s.json
    expect_json s.json ".user.unit == \"市交通局\""
    code=$(curl -s -b ej -o /dev/null -w "%{http_code}" "$URL/api/v1/units")
    expect_eq "$code" 200
    code=$(curl -s -b ej -o e.json -w "%{http_code}" "$URL/api/v1/users")
    expect_eq "$code" 403
    code=$(curl -s -b ej -o page.html -w "%{http_code}" "$URL/users")
    expect_eq "$code" 403
    expect_contains page.html "没有权限"
    govsite db status >/dev/null
    test "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = '\''denied'\'' AND user_name = '\''jt'\''")" -ge 2
'
check 'an API token from the CLI works as a bearer' '
    tok=$(govsite user token look)
    case "$tok" in gst_*) ;; *) false ;; esac
    curl -sf -H "Authorization: Bearer $tok" "$URL/api/v1/session" >t.json
    expect_json t.json ".user.name == \"look\" and .auth == \"token\""
    code=$(curl -s -o /dev/null -w "%{http_code}" -H "Authorization: Bearer ${tok}x" "$URL/api/v1/sites")
    expect_eq "$code" 401
    govsite user disable look
    code=$(curl -s -o /dev/null -w "%{http_code}" -H "Authorization: Bearer $tok" "$URL/api/v1/sites")
    expect_eq "$code" 401
'
check 'the access log has one combined-format line per request' '
    grep -E "^127\.0\.0\.1 - admin \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9:]{8} \+0800\] \"GET /api/v1/sites HTTP/1.1\" 200 [0-9]+ \"-\" \"curl/" "$T/access.log"
    grep -q "\"GET /api/v1/sites HTTP/1.1\" 401 " "$T/access.log"
'
check 'SIGTERM lets a request in flight finish, then closes the database' '
    # a login whose body arrives after SIGTERM: headers now, body later
    mkfifo body.fifo
    curl -s -o late.json -w "%{http_code}" -X POST -H "Expect:" -H "Content-Type: application/json" -T - "$URL/api/v1/session" <body.fifo >late.code &
    cpid=$!
    exec 7>body.fifo
    n=0
    until curl -s "$URL/metrics" | grep -q "^govsite_http_requests_in_flight 2"; do
        n=$((n + 1)); test $n -lt 500 || { echo "the login never showed as in flight"; exit 1; }; sleep 0.02
    done
    kill -TERM $SERVE_PID
    n=0
    until grep -q "finishing [0-9]* request" "$T/serve.err"; do
        n=$((n + 1)); test $n -lt 500 || { echo "no \"finishing\" line after SIGTERM"; cat "$T/serve.err"; exit 1; }; sleep 0.02
    done
    code=$(curl -s -o /dev/null -w "%{http_code}" "$URL/healthz" || true)
    test "$code" = 000 || { echo "a new request after SIGTERM got $code"; exit 1; }
    printf "{\"name\":\"admin\",\"password\":\"admin-password\"}" >&7
    exec 7>&-
    wait $cpid
    expect_eq "$(cat late.code)" 201
    expect_json late.json ".user.name == \"admin\""
    n=0
    while kill -0 $SERVE_PID 2>/dev/null; do  # not our child here: poll, bounded
        n=$((n + 1)); test $n -lt 1500; sleep 0.02
    done
    expect_contains "$T/serve.err" "stopped; database closed"
    test ! -e "$GOVSITE_DB-wal"
'
SERVE_PID=

if command -v openssl >/dev/null 2>&1; then
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 2 \
        -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" >/dev/null 2>&1
    serve_start --cert "$T/cert.pem" --key "$T/key.pem"
    check 'HTTPS with a certificate and key; the cookie is Secure' '
        case "$URL" in https://*) ;; *) false ;; esac
        curl -sS --max-time 60 --cacert "$T/cert.pem" -D hdr -H "Content-Type: application/json" -d "{\"name\":\"admin\",\"password\":\"admin-password\"}" "$URL/api/v1/session" >s.json || { echo "the HTTPS login failed"; cat hdr; cat "$T/serve.err"; exit 1; }
        expect_json s.json ".user.name == \"admin\"" || { cat hdr; exit 1; }
        grep -i "^Set-Cookie: govsite_session=" hdr | grep -q "; Secure" || { echo "no Secure cookie"; cat hdr; exit 1; }
        grep -qi "^Strict-Transport-Security:" hdr || { echo "no HSTS header"; cat hdr; exit 1; }
        code=$(curl -s --max-time 10 -o /dev/null -w "%{http_code}" "http://${URL#https://}/healthz" || true)
        test "$code" != 200 || { echo "plain HTTP on the HTTPS port got 200"; exit 1; }
    '
    serve_stop
else
    skip 'HTTPS with a certificate and key' 'openssl is not installed'
fi
check 'serve refuses a bad listen address and a half TLS setup' '
    expect_fail 2 govsite serve --listen 127.0.0.1:99999 2>err
    expect_contains err "port"
    expect_fail 2 govsite serve --listen 127.0.0.1:0 --cert "$T/cert.pem" 2>err
    expect_contains err "both --cert and --key"
'
finish
