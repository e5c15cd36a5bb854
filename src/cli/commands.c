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
      "       govsite column exempt SITE PATH --reason TEXT --by USER --until DATE [--json]\n"
      "       govsite column unexempt SITE PATH [--by USER]\n"
      "       govsite column exemptions [SITE] [--all] [--as-of DATE] [--json]\n"
      "\n"
      "CSV header: site,path,url,unit,class,freshness_days,required_items.  path is written as\n"
      "民生>主题服务>交通服务; class is one of 动态要闻 通知公告 政策文件 人事 规划计划 概况\n"
      "信息公开目录 互动交流 办事服务 专题 政声传递 其他; required_items reads like\n"
      "床位数|床位;医护人员数|医护人员.  See docs/csv-formats.md.\n"
      "\n"
      "exempt      approve a legitimately quiet column (栏目) so the freshness check skips it\n"
      "            until DATE (inclusive); a reason and an approver are required, and at most\n"
      "            [checks] max_exemption_days (366) ahead.  A new approval replaces the old.\n"
      "unexempt    revoke the column's exemption from today\n"
      "exemptions  list exemptions in force today (--as-of DATE), or every one (--all)\n", 0 },
    { "config", cmd_config, "show the configuration in effect",
      "usage: govsite config\n", CMD_NO_DB },
    { "findings", cmd_findings, "findings of the checks (发现的问题): list, filter, export",
      "usage: govsite findings [--site SITE] [--unit UNIT] [--kind KIND]\n"
      "                        [--open|--resolved|--dismissed|--all] [--as-of DATE] [--json|--csv]\n"
      "\n"
      "Lists findings, open ones by default.  --as-of DATE shows each finding's state at the\n"
      "end of DATE (and only findings first seen by then).  KIND is one of homepage-stale,\n"
      "column-stale, column-blank, link-broken-home, link-broken, link-retired,\n"
      "host-unresolved, required-missing, wording, site-unavailable, interaction-overdue,\n"
      "interaction-no-reply, service-stats-stale (docs/checks.md).  UNIT is the responsible\n"
      "unit (full or short name).\n", 0 },
    { "finding", cmd_finding, "one finding: show its history, dismiss or restore it",
      "usage: govsite finding show ID [--json]\n"
      "       govsite finding dismiss ID --reason TEXT [--by USER]\n"
      "       govsite finding restore ID --reason TEXT [--by USER]\n"
      "\n"
      "dismiss  mark a false positive (误报): it stays dismissed whatever later checks see;\n"
      "         they only record that they saw it again\n"
      "restore  undo a dismissal: the finding is open again until a check no longer sees it\n"
      "USER defaults to $GOVSITE_USER, then $USER.\n", 0 },
    { "verdict", cmd_verdict, "the site verdict by 国办秘函〔2019〕19号: 合格 or 不合格 with reasons",
      "usage: govsite verdict SITE|--all [--as-of DATE] [--profile FILE] [--dry-run] [--json]\n"
      "\n"
      "Applies the scoring profile (data/checks/scoring-2019.ini, or [checks] profile) to the\n"
      "site's open findings as of DATE (default today): the single-veto items, then the\n"
      "100-point deductions (below 60: 不合格).  For today it first refreshes the\n"
      "availability finding from the probes.  The verdict is stored per site and date\n"
      "(see 'govsite verdicts') unless --dry-run.\n", 0 },
    { "verdicts", cmd_verdicts, "stored verdicts: history per site, results of a quarter",
      "usage: govsite verdicts [--site SITE] [--quarter YYYYQn | --from DATE --to DATE] [--latest]\n"
      "                        [--json|--csv]\n"
      "\n"
      "--quarter 2019Q2 gives each site's last verdict in that quarter; --latest does the same\n"
      "for any range.\n", 0 },
    { "wording", cmd_wording, "the wording dictionary (错误表述): list, add, remove, check, scan",
      "usage: govsite wording list [--as-of DATE] [--source db|file|builtin] [--json|--tsv]\n"
      "       govsite wording add WRONG [RIGHT] [--from DATE] [--until DATE]\n"
      "                       [--severity serious|normal|notice] [--category C] [--allow FORMS]\n"
      "                       [--note TEXT] [--by USER]\n"
      "       govsite wording remove WRONG [--by USER]\n"
      "       govsite wording enable WRONG\n"
      "       govsite wording check [--dict FILE]...\n"
      "       govsite wording scan [FILE...] [--as-of DATE] [--dict FILE]... [--no-builtin]\n"
      "                       [--context N] [--only-matching|--count|--json]\n"
      "\n"
      "Entries come from the database (add), the data directory's wording/*.tsv and the\n"
      "built-in data/wording/*.tsv, in that order of priority.  A wrong form is wrong only\n"
      "from --from (an agency's old name after its 机构改革) and until --until.  RIGHT and\n"
      "--allow take alternatives separated by '|'; allowed forms are longer correct words\n"
      "containing WRONG.  remove deletes a database entry, or switches off a file entry\n"
      "(enable switches it on again).  check validates every file.  scan reads text files\n"
      "(UTF-8, or GBK detected) and prints FILE:LINE:COL for each wrong form in force on\n"
      "--as-of (default today).  The file format is in docs/checks.md.\n", 0 },
    { "probe", cmd_probe, "availability probes of home pages and the 1-week rule (站点无法访问)",
      "usage: govsite probe SITE|--all [--threshold SEC] [--timeout SEC] [--parallel N] [--json]\n"
      "       govsite probe --stats SITE [--as-of DATE] [--json]\n"
      "\n"
      "Fetches each home page (--all: every site in operation) and records the HTTP status,\n"
      "the total time and any error.  A probe fails without a 2xx/3xx response and is slow at\n"
      "--threshold seconds or more ([probe] threshold, 15).  Run it at least 20 times a day.\n"
      "--stats shows the 7 days before DATE (default today): per-day probes, failures, slow\n"
      "ones and the share; the 19号 veto applies when that share reaches 5% and every day\n"
      "has at least 20 probes (otherwise the week is not fully monitored: undecided).\n", 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
/* clang-format on */
