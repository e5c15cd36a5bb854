/* testtool.h - the table type for testtool subcommands (see testtool.c). */
#ifndef TESTS_TESTTOOL_H
#define TESTS_TESTTOOL_H

struct tt_cmd {
    const char *name;                  /* "serve-fixture" */
    int (*fn)(int argc, char **argv);  /* argv[0] is the subcommand name */
    const char *args;                  /* usage, e.g. "DIR [PORT]" */
};

/* Each module's table (tests/tool/tt_<module>.c). */
extern const struct tt_cmd web_cmds[];
extern const struct tt_cmd weblog_cmds[];
extern const struct tt_cmd report_cmds[];
extern const struct tt_cmd cases_cmds[];
extern const struct tt_cmd checks_cmds[];
extern const struct tt_cmd crawl_cmds[]; /* tt_crawl.c */
extern const struct tt_cmd demo_cmds[];  /* tt_demo.c: gen-demo-sites, serve */

#endif
