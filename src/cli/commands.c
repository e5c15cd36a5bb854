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
    { "crawl", cmd_crawl, "crawl sites and check their links (抓取)",
      "usage: govsite crawl SITE...|--all [--max-pages N] [--depth N] [--concurrency N]\n"
      "                    [--per-host N] [--rate R] [--resume] [--include GLOB]\n"
      "                    [--exclude GLOB] [--prefix PATH] [--no-external] [--json]\n"
      "\n"
      "Crawl each site politely (robots.txt, at most --per-host transfers and --rate requests\n"
      "per second per host; the site's own settings and the [crawl] configuration give the\n"
      "defaults), parse every page, check every link once, and store the run.  SITE is a\n"
      "site's name, 标识码 or home URL; --all crawls every site whose status is 正常运行.\n"
      "\n"
      "  --max-pages N    pages parsed per site (default 20000)\n"
      "  --depth N        link hops from the home page (default 20; pagination is free)\n"
      "  --concurrency N  transfers in flight in all (default 16)\n"
      "  --per-host N     transfers in flight per host (default 2)\n"
      "  --rate R         requests per second per host (default 2; 0 lifts the limit: only\n"
      "                   for a site the office runs, or a benchmark)\n"
      "  --resume         continue the site's interrupted run (Ctrl-C or a crash)\n"
      "  --include GLOB   crawl only URLs matching GLOB (repeatable); --exclude never\n"
      "  --prefix PATH    crawl only under PATH (default: the home page's directory)\n"
      "  --no-external    do not check links to other sites\n"
      "  --json           print each run's summary as JSON\n"
      "\n"
      "A progress line and a summary are shown on a terminal.  Ctrl-C stops cleanly; run the\n"
      "same command with --resume to continue.  See docs/crawl.md.\n", 0 },
    { "links", cmd_links, "links of the latest crawl and their results (链接)",
      "usage: govsite links SITE [--broken] [--json|--csv] [--run N]\n"
      "\n"
      "Every link of the site's latest crawl (or run N): source page, target, the target's\n"
      "HTTP status (0 when there was none) and result: ok, broken, waf (a firewall or bot\n"
      "wall answered), dns (the host does not resolve), timeout, error (another network\n"
      "error), robots (disallowed, not fetched), trap or unchecked.  --broken keeps the links\n"
      "with evidence of failure: broken, dns, timeout and error.\n"
      "--json prints one array of objects with \"source\", \"target\", \"status\", \"error\" (null\n"
      "or a short reason such as \"dns\", \"timeout\", \"waf\") and more.\n", 0 },
    { "pages", cmd_pages, "pages of the latest crawl and what was extracted (页面)",
      "usage: govsite pages SITE [--json|--csv] [--run N]\n"
      "\n"
      "Every page parsed in the site's latest crawl (or run N) with its status, charset, title,\n"
      "publication date, breadcrumb and, for list pages, the number of dated items and the\n"
      "latest item date.  --json prints one array of objects with \"url\", \"status\",\n"
      "\"charset\", \"title\", \"date\", \"breadcrumb\" (an array, or null), \"items\" and\n"
      "\"latest\".\n", 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
/* clang-format on */
