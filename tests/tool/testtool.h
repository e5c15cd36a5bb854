/* testtool.h - the table type for testtool subcommands (see testtool.c). */
#ifndef TESTS_TESTTOOL_H
#define TESTS_TESTTOOL_H

struct tt_cmd {
    const char *name;                  /* "serve-fixture" */
    int (*fn)(int argc, char **argv);  /* argv[0] is the subcommand name */
    const char *args;                  /* usage, e.g. "DIR [PORT]" */
};

/* Tables of the modules' subcommands. */
extern const struct tt_cmd crawl_cmds[];
extern const struct tt_cmd demo_cmds[];

#endif
