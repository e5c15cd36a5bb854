/* tt_web.c - testtool subcommands for the web layer and its benchmark.
 *
 *   testtool gen-registry DIR SITES COLUMNS   write DIR/units.csv, sites.csv, columns.csv:
 *                                             SITES sites with COLUMNS columns each, owned by
 *                                             one unit per 10 sites (bench/web.sh)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "testtool.h"

static const char *const classes[] = { "动态要闻", "通知公告", "政策文件",     "人事",
                                       "规划计划", "概况",     "信息公开目录", "互动交流",
                                       "办事服务", "其他" };

static FILE *open_in(const char *dir, const char *name)
{
    char p[4096];
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    if (!f)
        fprintf(stderr, "testtool: cannot write %s\n", p);
    return f;
}

static int tt_gen_registry(int argc, char **argv)
{
    int sites, cols;
    if (argc != 4 || !cstr_to_int(argv[2], 1, 1000000, &sites) ||
        !cstr_to_int(argv[3], 1, 10000, &cols)) {
        fprintf(stderr, "usage: testtool gen-registry DIR SITES COLUMNS\n");
        return 2;
    }
    FILE *u = open_in(argv[1], "units.csv"), *s = open_in(argv[1], "sites.csv"),
         *c = open_in(argv[1], "columns.csv");
    if (!u || !s || !c)
        return 1;
    int units = (sites + 9) / 10;
    fprintf(u, "name,short_name,kind,parent\n生成市人民政府办公室,生成市办,office,\n");
    for (int i = 1; i <= units; i++)
        fprintf(u, "生成市第%d局,第%d局,department,生成市人民政府办公室\n", i, i);
    fprintf(s, "name,url,code,unit,type,status\n");
    fprintf(c, "site,path,url,unit,class\n");
    for (int i = 1; i <= sites; i++) {
        int unit = (i - 1) / 10 + 1;
        fprintf(s, "生成网站%06d,http://s%d.gen.test/,44%08d,第%d局,部门网站,正常运行\n", i, i, i,
                unit);
        for (int k = 1; k <= cols; k++)
            fprintf(c, "生成网站%06d,栏目组%d>栏目%d,http://s%d.gen.test/c%d/,第%d局,%s\n", i,
                    (k - 1) / 10 + 1, k, i, k, unit, classes[k % 10]);
    }
    int bad = ferror(u) || ferror(s) || ferror(c);
    bad |= fclose(u) | fclose(s) | fclose(c);
    return bad ? 1 : 0;
}

const struct tt_cmd web_cmds[] = {
    { "gen-registry", tt_gen_registry, "DIR SITES COLUMNS" },
    { NULL, NULL, NULL },
};
