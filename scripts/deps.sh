#!/bin/sh
# deps.sh - install the Debian 12 packages govsite needs, if any are missing.
#
#   scripts/deps.sh build    what `make` needs (compiler, pkg-config, -dev libraries)
#   scripts/deps.sh check    build + what `make check` needs (clang for fuzzers, jq,
#                            unzip, curl, PostgreSQL server for the second backend)
#   scripts/deps.sh demo     build + what `make demo` needs
#   scripts/deps.sh browser  chromium and node for the browser test (optional)
#   scripts/deps.sh office   LibreOffice, CJK fonts and poppler for the optional report
#                            test that turns the DOCX/XLSX into PDFs (t6001)
#   scripts/deps.sh bench    what bench/*.sh run against (nginx, wget2, GNU time; optional)
#
# As root it runs apt-get; otherwise it prints the exact apt-get line and fails
# only when a package needed for building is missing.  Set GOVSITE_NO_APT=1 to
# never call apt-get (for machines managed some other way).
set -eu

BUILD="gcc make pkg-config libc6-dev libcurl4-openssl-dev libxml2-dev libsqlite3-dev \
libmicrohttpd-dev libuchardet-dev libxlsxwriter-dev libzip-dev libargon2-dev libinih-dev \
libjson-c-dev zlib1g-dev libpq-dev libgnutls28-dev"
CHECK="clang libclang-rt-14-dev jq unzip curl postgresql sqlite3 libxml2-utils openssl"
DEMO="curl jq"
BROWSER="chromium nodejs npm"
OFFICE="libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming poppler-utils"
BENCH="nginx wget2 time python3"

what="${1:-build}"
case "$what" in
build) want="$BUILD" ;;
check) want="$BUILD $CHECK" ;;
demo) want="$BUILD $DEMO" ;;
browser) want="$BROWSER" ;;
office) want="$OFFICE" ;;
bench) want="$BENCH" ;;
*) echo "usage: $0 build|check|demo|browser|office|bench" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$st" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
    esac
done
# node and npm may come from outside Debian (nodesource, pyenv-like installs).
if [ "$what" = browser ]; then
    m2=""
    for p in $missing; do
        case "$p" in
        nodejs) command -v node >/dev/null 2>&1 || m2="$m2 $p" ;;
        npm) command -v npm >/dev/null 2>&1 || m2="$m2 $p" ;;
        *) m2="$m2 $p" ;;
        esac
    done
    missing="$m2"
fi
[ -z "$missing" ] && exit 0

line="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ] && [ -z "${GOVSITE_NO_APT:-}" ] && command -v apt-get >/dev/null 2>&1; then
    echo "deps: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q --no-install-recommends $missing >/tmp/govsite-apt.log 2>&1; then
        apt-get update -q >/tmp/govsite-apt.log 2>&1 || true
        if ! apt-get install -y -q --no-install-recommends $missing >>/tmp/govsite-apt.log 2>&1; then
            echo "deps: apt-get failed; see /tmp/govsite-apt.log" >&2
            tail -n 5 /tmp/govsite-apt.log >&2
            exit 1
        fi
    fi
    exit 0
fi
echo "deps: missing packages:$missing" >&2
echo "deps: run as root: $line" >&2
case "$what" in
browser | office | bench) exit 1 ;;
esac
# Without root we cannot install; building may still work if the missing
# packages are only test tools.
for p in $missing; do
    case " $BUILD " in *" $p "*) exit 1 ;; esac
done
exit 0
