#!/bin/sh
# lint.sh - source checks.  `--quick` (run by make check): banned functions and the
# layering rule.  Without it, also clang-format (and cppcheck when installed).
#
# Layering (docs/ARCHITECTURE.md): a module may include only the modules listed for it.
cd "$(dirname "$0")/.." || exit 2
passed=0
failed=0
ok() { echo "ok   lint $1"; passed=$((passed + 1)); }
bad() { echo "FAIL lint $1"; shift; for l in "$@"; do echo "    $l"; done; failed=$((failed + 1)); }

allowed() {
    case "$1" in
    core) echo "core" ;;
    cal) echo "core store cal" ;;
    store) echo "core store" ;;
    reg) echo "core store reg" ;;
    crawl) echo "core store reg crawl" ;;
    cases) echo "core cal store reg cases" ;;
    weblog) echo "core store reg weblog" ;;
    checks) echo "core cal store reg crawl cases checks" ;;
    feed) echo "core cal store reg crawl cases checks feed" ;;
    report) echo "core cal store reg crawl cases checks feed weblog report" ;;
    jobs) echo "core cal store reg crawl cases checks feed weblog jobs" ;;
    web) echo "core cal store reg crawl cases checks feed weblog report jobs web" ;;
    cli) echo "core cal store reg crawl cases checks feed weblog report jobs web cli" ;;
    *) echo "" ;;
    esac
}

# 1. Layering: every #include "x/..." in src/m/ must name an allowed module.
viol=""
for d in src/*/; do
    m=$(basename "$d")
    al=" $(allowed "$m") "
    for f in "$d"*.[ch]; do
        [ -f "$f" ] || continue
        for inc in $(sed -n 's/^#include "\([a-z_]*\)\/.*/\1/p' "$f" | sort -u); do
            case "$al" in
            *" $inc "*) ;;
            *) viol="$viol $f:includes:$inc" ;;
            esac
        done
    done
done
if [ -z "$viol" ]; then ok "layering"; else bad "layering (module includes a higher layer)" $viol; fi

# 2. Banned functions (core/banned.h explains the replacements).
pat='\<(strcpy|strcat|strncpy|strncat|sprintf|vsprintf|strtok|atoi|atol|atoll|gmtime|localtime|ctime|asctime|gmtime_r|localtime_r)[[:space:]]*\('
hits=$(grep -nE "$pat" src/*/*.c src/*/*.h tests/*/*.c 2>/dev/null | grep -v 'core/banned.h' | grep -v 'BANNED(' | grep -vE '^\S+:[0-9]+:\s*(/\*|\*)')
if [ -z "$hits" ]; then ok "banned functions"; else bad "banned functions" "$hits"; fi

# 3. SQL is only built with placeholders: no printf-style formatting into SQL text.
hits=$(grep -nE '(buf_addf|snprintf|arena_fmt)\([^;]*"(SELECT|INSERT|UPDATE|DELETE) ' src/*/*.c 2>/dev/null | grep -v 'lint: sql-ok')
if [ -z "$hits" ]; then ok "no formatted SQL"; else bad "SQL built with printf (use ? placeholders)" "$hits"; fi

if [ "${1:-}" != "--quick" ]; then
    if command -v clang-format >/dev/null; then
        if clang-format --dry-run --Werror $(find src tests tools -name '*.[ch]') 2>/tmp/govsite-fmt.log; then
            ok "clang-format"
        else
            bad "clang-format (run make format)" "$(head -n 20 /tmp/govsite-fmt.log)"
        fi
    fi
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
