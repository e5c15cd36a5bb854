#!/bin/sh
# t5950-public: the public side of `govsite serve` with curl on loopback: off by default
# (404), `serve --public` opens it; a citizen submits a 依申请公开 request through the form
# (form token, honeypot, hostile input escaped) and a 咨询 through the JSON API, the item
# enters the workflow (channel 网络, the public channel as actor, a due time), lookup by
# number + code (a wrong code and an unknown number get the same 404), only a public reply
# is shown and never a note; [web] public = on with a small submission limit throttles.
. "$(dirname "$0")/lib.sh"
DEMO="$ROOT/data/demo"
trap 'serve_stop >/dev/null 2>&1' EXIT

check 'the registry is set up' '
    govsite unit import "$DEMO/units.csv" >/dev/null
    govsite site import "$DEMO/sites.csv" >/dev/null
    govsite serve --help | grep -q -- "--public"
'

serve_start
check 'the public side is off by default: its paths do not exist' '
    for p in /public /public/lookup; do
        code=$(curl -s -o e.html -w "%{http_code}" "$URL$p")
        expect_eq "$code" 404
    done
    code=$(curl -s -o e.json -w "%{http_code}" -H "Content-Type: application/json" -d "{}" "$URL/api/v1/public/requests")
    expect_eq "$code" 404
    expect_json e.json ".error.code == \"NOTFOUND\""
    expect_not_contains "$T/serve.out" "public side"
'
serve_stop

serve_start --public
check 'serve --public prints the public URL and serves the forms' '
    expect_contains "$T/serve.out" "/public (依申请公开"
    curl -s -c jar -b jar "$URL/public" >f.html
    expect_contains f.html "政府信息公开申请"
    expect_contains f.html "name=\"id_number\""
    expect_contains f.html "name=\"website\""
    grep -q "govsite_public" jar
    curl -s -c jar -b jar "$URL/public?kind=consultation" >c.html
    expect_contains c.html "<h1>咨询</h1>"
    grep -o "<option value=\"[0-9]*\">市交通局" f.html | sed "s/[^0-9]//g" >unit_id
    [ -s unit_id ]
    expect_not_contains c.html "name=\"id_number\""
'
token() { sed -n "s/.*name=\"token\" value=\"\([0-9a-f]*\)\".*/\1/p" f.html | head -n 1; }
unit() { cat unit_id; }
check 'a 依申请公开 request through the form gets a number and a code' '
    tok=$(token); u=$(unit)
    [ -n "$tok" ] && [ -n "$u" ]
    code=$(curl -s -o d.html -w "%{http_code}" -c jar -b jar \
        --data-urlencode "token=$tok" --data-urlencode "kind=disclosure" \
        --data-urlencode "unit=$u" --data-urlencode "name=<script>alert(1)</script>张三" \
        --data-urlencode "id_type=身份证" --data-urlencode "id_number=440400199001011234" \
        --data-urlencode "phone=13800138000" --data-urlencode "subject=2018年道路养护资金%_; DROP TABLE cases;--" \
        --data-urlencode "content=<img src=x onerror=alert(1)>请公开养护资金使用情况" \
        --data-urlencode "medium=电子邮件" --data-urlencode "delivery=电子邮件" \
        --data-urlencode "website=" "$URL/public")
    expect_eq "$code" 201
    expect_contains d.html "提交成功"
    sed -n "s|.*<dt>申请编号</dt><dd>\([^<]*\)</dd>.*|\1|p" d.html >number
    sed -n "s|.*<dt>查询码</dt><dd>\([^<]*\)</dd>.*|\1|p" d.html >code
    grep -q "^YSQ-2018-" number
    grep -q "^[2-9A-Z]\{5\}-[2-9A-Z]\{5\}$" code
    expect_contains d.html "答复期限"
'
check 'the item is in the workflow: channel 网络, the public channel as actor, a due time' '
    n=$(cat number)
    govsite case show "$n" --json >s.json
    expect_json s.json ".channel == \"online\" and .kind == \"disclosure\" and .unit == \"市交通局\" and .due != null"
    expect_json s.json ".events[0].actor == \"公众（网上提交）\" and .events[0].type == \"receive\""
    expect_json s.json ".subject == \"2018年道路养护资金%_; DROP TABLE cases;--\""
'
check 'lookup: a wrong code and an unknown number get the same 404; the right one the status' '
    n=$(cat number); c=$(cat code)
    curl -s -c jar -b jar "$URL/public/lookup" >f.html
    tok=$(token)
    code=$(curl -s -o w1.html -w "%{http_code}" -b jar --data-urlencode "token=$tok" \
        --data-urlencode "number=$n" --data-urlencode "code=AAAAA-AAAAA" "$URL/public/lookup")
    expect_eq "$code" 404
    code=$(curl -s -o w2.html -w "%{http_code}" -b jar --data-urlencode "token=$tok" \
        --data-urlencode "number=YSQ-2018-9999" --data-urlencode "code=$c" "$URL/public/lookup")
    expect_eq "$code" 404
    cmp w1.html w2.html
    code=$(curl -s -o ok.html -w "%{http_code}" -b jar --data-urlencode "token=$tok" \
        --data-urlencode "number=$n" --data-urlencode "code=$(echo "$c" | tr A-Z a-z)" "$URL/public/lookup")
    expect_eq "$code" 200
    expect_contains ok.html "已收到"
    expect_contains ok.html "市交通局"
    expect_not_contains ok.html "张三"
    expect_not_contains ok.html "13800138000"
    expect_not_contains ok.html "<script>alert"
'
check 'a public reply is shown, a note never' '
    n=$(cat number); c=$(cat code)
    govsite case event "$n" note --note "内部备注：请核对预算科意见" >/dev/null
    govsite case event "$n" answer --outcome public --reply "养护资金使用情况见附件<b>一</b>" --public >/dev/null
    curl -s -H "Content-Type: application/json" -d "{\"number\":\"$n\",\"code\":\"$c\"}" "$URL/api/v1/public/lookup" >l.json
    expect_json l.json ".status == \"answered\" and .outcome == \"public\" and .reply == \"养护资金使用情况见附件<b>一</b>\""
    expect_json l.json "has(\"requester\") | not"
    expect_not_contains l.json "内部备注"
    tok=$(token)
    curl -s -b jar --data-urlencode "token=$tok" --data-urlencode "number=$n" --data-urlencode "code=$c" "$URL/public/lookup" >ok.html
    expect_contains ok.html "&lt;b&gt;一&lt;/b&gt;"
    expect_not_contains ok.html "内部备注"
'
check 'a 咨询 through the JSON API' '
    u=$(unit)
    curl -s -o j.json -w "%{http_code}" -H "Content-Type: application/json" \
        -d "{\"kind\":\"consultation\",\"unit\":$u,\"name\":\"李四\",\"email\":\"li@example.com\",\"subject\":\"公交线路\",\"content\":\"请问何时开通？\"}" \
        "$URL/api/v1/public/requests" >code.txt
    expect_eq "$(cat code.txt)" 201
    expect_json j.json "(.number | startswith(\"ZX-2018-\")) and (.code | length) == 11 and .kind == \"consultation\""
    code=$(curl -s -o e.json -w "%{http_code}" -H "Content-Type: text/plain" -d "{}" "$URL/api/v1/public/requests")
    expect_eq "$code" 400
'
check 'no form token, a filled honeypot: refused and nothing written' '
    before=$(govsite case list --json | jq length)
    u=$(unit)
    code=$(curl -s -o x.html -w "%{http_code}" --data-urlencode "kind=consultation" --data-urlencode "unit=$u" \
        --data-urlencode "name=王五" --data-urlencode "phone=12345" --data-urlencode "subject=s" \
        --data-urlencode "content=c" "$URL/public")
    expect_eq "$code" 403
    tok=$(token)
    code=$(curl -s -o x.html -w "%{http_code}" -b jar --data-urlencode "token=$tok" --data-urlencode "kind=consultation" \
        --data-urlencode "unit=$u" --data-urlencode "name=王五" --data-urlencode "phone=12345" \
        --data-urlencode "subject=s" --data-urlencode "content=c" --data-urlencode "website=http://spam.test" "$URL/public")
    expect_eq "$code" 400
    expect_eq "$(govsite case list --json | jq length)" "$before"
'
serve_stop

check '[web] public = on opens it, and submissions are throttled per address' '
    printf "[web]\npublic = on\npublic_max_submissions = 2\n" >g.conf
    GOVSITE_CONFIG="$T/g.conf"; export GOVSITE_CONFIG
    GOVSITE_DB="$T/g2.db"
    govsite unit import "$DEMO/units.csv" >/dev/null || { echo "unit import into g2.db failed"; exit 1; }
    serve_start || { echo "serve did not start:"; cat "$T/serve.err"; exit 1; }
    u=$(unit)
    test -n "$u" || { echo "no unit id from the earlier form"; exit 1; }
    for i in 1 2 3; do
        curl -s -o t$i.json -w "%{http_code}\n" -H "Content-Type: application/json" \
            -d "{\"kind\":\"consultation\",\"unit\":$u,\"name\":\"赵六\",\"phone\":\"123\",\"subject\":\"s$i\",\"content\":\"c\"}" \
            "$URL/api/v1/public/requests" >>codes
    done
    serve_stop || { echo "serve exited with status $? on SIGTERM:"; cat "$T/serve.err"; exit 1; }
    unset GOVSITE_CONFIG
    GOVSITE_DB="$T/g.db"
    expect_eq "$(tr "\n" " " <codes)" "201 201 429 " || { cat t1.json t2.json t3.json; exit 1; }
    expect_json t3.json ".error.code == \"TOOMANY\""
'
finish
