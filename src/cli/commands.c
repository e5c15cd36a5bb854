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
    { "weblog", cmd_weblog, "visits from access logs: ingest, stats, files (访问量)",
      "usage: govsite weblog ingest --site SITE [--format FORMAT] [--json] FILE...\n"
      "       govsite weblog stats --site SITE [--from DATE] [--to DATE | --year YYYY |\n"
      "                            --month YYYY-MM] [--by day|month|column] [--json]\n"
      "       govsite weblog files [--site SITE] [--json]\n"
      "\n"
      "ingest  read web-server access logs (plain or .gz) into the site's daily figures.\n"
      "        Incremental: each file is remembered by its first bytes and the offset read,\n"
      "        so appended, rotated and rotated-then-gzipped files are never counted twice.\n"
      "        One run is one transaction.  Bad lines are counted and the first few shown.\n"
      "        FORMAT: auto (default: detect, or what the file was read with before),\n"
      "        combined, common, main (nginx), iis (W3C, read from #Fields), or an nginx\n"
      "        log_format string such as '$remote_addr - $remote_user [$time_local] \"$request\"\n"
      "        $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\"', or an Apache\n"
      "        LogFormat string ('%h %l %u %t \"%r\" %>s %b').\n"
      "stats   page views (网站总访问量) and unique visitors (独立用户访问总量) for a period\n"
      "        (default: all data), with a row per day, month or column.  A visitor is an\n"
      "        IP + User-Agent; over a period visitors are counted once (exact).\n"
      "files   the files read so far with their offsets.\n"
      "\n"
      "Definitions and their [weblog] configuration keys: docs/weblog.md.\n", 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
/* clang-format on */
