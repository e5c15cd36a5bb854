/* commands.c - the table of commands (see "Adding a new command" in cli.h). */
#include "cli/cli.h"

/* clang-format off */
const struct cmd commands[] = {
    { "help", cmd_help, "list the commands, or show one command's usage",
      "usage: govsite help [COMMAND]\n", CMD_NO_DB },
    { "version", cmd_version, "print the version",
      "usage: govsite version\n", CMD_NO_DB },
    { "db", cmd_db, "database: migrate, status, check (数据库)",
      "usage: govsite db migrate [--json]\n"
      "       govsite db status [--json]\n"
      "       govsite db check\n"
      "\n"
      "migrate  apply the schema migrations this govsite has that the database lacks\n"
      "         (every command also does this when it opens the database)\n"
      "status   show the schema version and each migration; fails when the database was\n"
      "         written by a newer govsite\n"
      "check    run the engine's integrity check\n", 0 },
    { "unit", cmd_unit, "units (单位): import, list, export",
      "usage: govsite unit import FILE [--json]\n"
      "       govsite unit list [--json|--csv]\n"
      "       govsite unit export [-o FILE]\n"
      "\n"
      "FILE is CSV with the header name,short_name,kind,parent (any order; Chinese headers\n"
      "名称,简称,类型,上级单位 accepted), UTF-8 with or without BOM, or GB18030 as Excel saves\n"
      "it.  kind is office, district, department, agency or other (办公室, 区, 部门, 直属机构).\n"
      "Imports are all-or-nothing and idempotent; see docs/csv-formats.md.\n", 0 },
    { "site", cmd_site, "sites (网站): add, import, list, show, export",
      "usage: govsite site add --name NAME --url URL [--unit UNIT] [--code CODE]\n"
      "                        [--type 门户网站|部门网站] [--status 正常运行|临时关停|已关停|已迁移]\n"
      "       govsite site import FILE [--json]\n"
      "       govsite site list [--json|--csv]\n"
      "       govsite site show SITE [--json]\n"
      "       govsite site export [-o FILE]\n"
      "\n"
      "CSV header: name,url,code,unit,type,status (optional icp,psb).  SITE is a site's name,\n"
      "政府网站标识码 or home URL.  See docs/csv-formats.md.\n", 0 },
    { "column", cmd_column, "columns (栏目): import, list, export",
      "usage: govsite column import FILE [--json]\n"
      "       govsite column list [SITE] [--json|--csv]\n"
      "       govsite column export [SITE] [-o FILE]\n"
      "\n"
      "CSV header: site,path,url,unit,class,freshness_days,required_items.  path is written as\n"
      "民生>主题服务>交通服务; class is one of 动态要闻 通知公告 政策文件 人事 规划计划 概况\n"
      "信息公开目录 互动交流 办事服务 专题 政声传递 其他; required_items reads like\n"
      "床位数|床位;医护人员数|医护人员.  See docs/csv-formats.md.\n", 0 },
    { "config", cmd_config, "show the configuration in effect",
      "usage: govsite config\n", CMD_NO_DB },
    { "calendar", cmd_calendar, "working-day calendar: is-workday, add-workdays, between, set (工作日)",
      "usage: govsite calendar is-workday DATE [--json]\n"
      "       govsite calendar next-workday DATE [--json]\n"
      "       govsite calendar add-workdays DATE N [--json]\n"
      "       govsite calendar between FROM TO [--json]\n"
      "       govsite calendar set DATE off|work NAME [--json]\n"
      "       govsite calendar unset DATE [--json]\n"
      "       govsite calendar list [--from DATE] [--to DATE] [--local] [--json]\n"
      "\n"
      "Chinese working days: Monday-Friday work, weekends off, then the State Council's holidays\n"
      "and 调休 working weekends (holidays/cn.tsv, 2007-2026), then this office's local overrides.\n"
      "is-workday    is DATE a working day, and why\n"
      "next-workday  the first working day after DATE\n"
      "add-workdays  the N-th working day after DATE (DATE not counted); N < 0 counts back\n"
      "between       working days after FROM up to and including TO (negative if TO < FROM)\n"
      "set           make DATE a local day off or working day; NAME says why (e.g. 台风停工)\n"
      "unset         remove DATE's local override\n"
      "list          the table's rows and the local overrides (--local: overrides only)\n"
      "A date in a year the table lacks is counted weekends-only and flagged estimated, with a\n"
      "warning naming the year.  See docs/deadlines.md.\n", 0 },
    { "deadline", cmd_deadline, "statutory due times in working days, with the working shown (期限)",
      "usage: govsite deadline --rule RULE [--event TYPE@TIME ...] [--explain] [--json] RECEIVED...\n"
      "       govsite deadline --list-rules [--json]\n"
      "\n"
      "RECEIVED is 'YYYY-MM-DD HH:MM' in China time or ISO 8601 (2018-12-01T09:30:00+08:00);\n"
      "give several, or - to read one per line from standard input.  RULE is disclosure-2008,\n"
      "disclosure-2019, error-report-gd, consultation, or one from a [deadline.NAME] section of\n"
      "the configuration.  Events move the deadline of every RECEIVED:\n"
      "  pause@TIME       stop the clock (third-party consultation, 征求第三方意见)\n"
      "  resume@TIME      start it again; counting resumes the next day\n"
      "  restart@TIME     corrected application received (补正): a new full period from TIME\n"
      "  extend@TIME:N    extend by N working days (also extend:N@TIME); refused beyond the\n"
      "                   rule's limit\n"
      "--explain  show how each due time was reached, in Chinese (every counted working day,\n"
      "           weekends and holidays skipped, 调休 days counted, pauses)\n"
      "--json     one JSON array, an object per RECEIVED in order: received, due (ISO 8601\n"
      "           with offset), estimated, rule, working_days, ...; with --explain also\n"
      "           explanation and steps\n"
      "See docs/deadlines.md for the rules, their sources and the configuration keys.\n", 0 },
    { "serve", cmd_serve, "run the dashboard and JSON API (网页服务)",
      "usage: govsite serve [--listen HOST:PORT] [--cert FILE --key FILE] [--threads N]\n"
      "                     [--access-log FILE]\n"
      "\n"
      "--listen HOST:PORT  address to listen on (default 127.0.0.1:8080; [::1]:8080 for IPv6,\n"
      "                    :8080 for every interface, port 0 for any free port)\n"
      "--cert, --key       PEM certificate and private key: serve HTTPS\n"
      "--threads N         worker threads, each with its own database connection (default 4)\n"
      "--access-log FILE   append one combined-format line per request (- for stderr)\n"
      "\n"
      "The [web] section of the configuration sets the same and the session and login\n"
      "limits (docs/web.md).  SIGTERM or SIGINT stops it: requests in flight finish and the\n"
      "database is closed.  Accounts: 'govsite user add'.  Endpoints: /healthz, /metrics,\n"
      "the pages, and the JSON API under /api/v1 (docs/api.md).\n", 0 },
    { "user", cmd_user, "accounts of the dashboard and API (用户)",
      "usage: govsite user add NAME --role ROLE [--unit UNIT]\n"
      "       govsite user passwd NAME\n"
      "       govsite user list [--json]\n"
      "       govsite user disable NAME\n"
      "       govsite user enable NAME\n"
      "       govsite user token NAME\n"
      "\n"
      "ROLE is admin (管理员), supervisor (督查员), editor (单位编辑: needs --unit, sees only\n"
      "that unit's findings and work items) or viewer (只读).  add and passwd read the password\n"
      "from standard input (one line, at least 8 characters; asked twice on a terminal).\n"
      "passwd and disable end the account's sessions and revoke its API tokens.  token prints\n"
      "a new API token for 'Authorization: Bearer TOKEN'; only its hash is stored, so copy it\n"
      "now.  See docs/security.md.\n", 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
/* clang-format on */
