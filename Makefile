# govsite - one plain GNU Makefile with pkg-config (docs/ARCHITECTURE.md, "Build").
#
#   make                      build ./govsite (objects in build/)
#   make check                install missing packages, build, run every test
#   make demo                 build, run the main job on the demo city, serve the dashboard
#   make install              PREFIX=/usr/local DESTDIR= : binary, data files, man page
#   make fuzz                 libFuzzer binaries in $(O)/fuzz/ (clang)
#   make lint                 clang-format check, layering check, banned functions
#
# Variables: SANITIZE=address,undefined (objects go to build-san/), DEVELOPER=1 (-Werror),
# WITH_PG=auto|yes|no, COVERAGE=1, CC=clang, O=DIR.

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
DATADIR  ?= $(PREFIX)/share/govsite
MANDIR   ?= $(PREFIX)/share/man
SANITIZE ?=
WITH_PG  ?= auto
O        ?= build$(if $(SANITIZE),-san)
CC       ?= cc
PKG_CONFIG ?= pkg-config
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

PKGS := libcurl libxml-2.0 sqlite3 libmicrohttpd uchardet xlsxwriter libzip libargon2 inih json-c zlib gnutls
ifeq ($(WITH_PG),auto)
  WITH_PG := $(shell $(PKG_CONFIG) --exists libpq 2>/dev/null && echo yes || echo no)
endif
ifeq ($(WITH_PG),yes)
  PKGS += libpq
  PG_CFLAGS := -DHAVE_PG
endif

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wold-style-definition \
        -Wmissing-prototypes -Wvla -Wwrite-strings -Wpointer-arith -Wno-missing-field-initializers
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -Isrc -Itests/lib -Itests/fuzz -I$(O)/gen $(WARN) -fno-common \
              -DGOVSITE_VERSION='"$(VERSION)"' -DGOVSITE_DATADIR='"$(DATADIR)"' \
              $(PG_CFLAGS) $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS := $(LDFLAGS)
LIBS := $(PKG_LIBS) -lpthread -lm

# Quiet build lines unless V=1.
ifeq ($(V),1)
  Q :=
  say = @:
else
  Q := @
  say = @printf '  %-6s %s\n'
endif

ifneq ($(DEVELOPER),)
  ALL_CFLAGS += -Werror
endif
ifneq ($(SANITIZE),)
  ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
  ALL_LDFLAGS += -fsanitize=$(SANITIZE)
endif
ifneq ($(COVERAGE),)
  ALL_CFLAGS += --coverage -O0
  ALL_LDFLAGS += --coverage
endif

# Every module's sources, listed once by directory.  The layering rule is in
# docs/ARCHITECTURE.md and checked by `make lint`.
MODULES := core cal store reg crawl checks cases feed weblog jobs report web cli
LIB_SRC := $(filter-out src/cli/main.c,$(foreach m,$(MODULES),$(wildcard src/$(m)/*.c)))
ifneq ($(WITH_PG),yes)
  LIB_SRC := $(filter-out src/store/store_pg.c,$(LIB_SRC))
endif
LIB_OBJ := $(LIB_SRC:%.c=$(O)/%.o) $(O)/gen/embedded.o
LIB     := $(O)/libgovsite.a

# Files compiled into the binary (overridable at run time from DATADIR).
EMBED := $(sort $(wildcard data/schema/*.sql data/holidays/*.tsv data/wording/*.tsv \
           data/web/* data/forms/* data/report/* data/weblog/* data/checks/*))

TEST_LIB_SRC := $(wildcard tests/lib/*.c)
TEST_SRC     := $(wildcard tests/unit/*.c)
TEST_OBJ     := $(TEST_LIB_SRC:%.c=$(O)/%.o) $(TEST_SRC:%.c=$(O)/%.o)
TOOL_SRC     := $(wildcard tests/tool/*.c)
FUZZ_SRC     := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(FUZZ_SRC))

.PHONY: all check check-unit check-e2e check-pg check-valgrind demo install uninstall clean \
        fuzz lint format deps deps-check bench
.DEFAULT_GOAL := all

all: govsite

govsite: $(O)/govsite
	@ln -sf $(O)/govsite govsite

$(O)/govsite: $(O)/src/cli/main.o $(LIB)
	$(say) LINK $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(say) AR $@
	$(Q)$(AR) rcs $@ $^

$(O)/%.o: %.c
	@mkdir -p $(@D)
	$(say) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# Embedded data: tools/embed.c turns files into one C array table (core/res.h).
$(O)/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(Q)$(CC) -O1 -o $@ $<

$(O)/gen/embedded.c: $(O)/tools/embed $(EMBED) Makefile
	@mkdir -p $(@D)
	$(O)/tools/embed $(EMBED) > $@.tmp && mv $@.tmp $@

$(O)/gen/embedded.o: $(O)/gen/embedded.c
	$(say) CC $<
	$(Q)$(CC) $(filter-out -Wmissing-prototypes,$(ALL_CFLAGS)) -Isrc -c -o $@ $<

# Unit tests: the list of TEST() functions is generated, so none is forgotten.
$(O)/gen/test-list.h: $(TEST_SRC)
	@mkdir -p $(@D)
	@sed -n 's/^TEST(\([a-zA-Z0-9_]*\)).*/T(\1)/p' $(TEST_SRC) > $@.tmp && mv $@.tmp $@

$(O)/tests/lib/test.o: $(O)/gen/test-list.h

$(O)/unit-tests: $(TEST_OBJ) $(LIB)
	$(say) LINK $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# testtool shares the fixture code of tests/lib (fixture_*.c), not the runner.
FIXTURE_SRC := $(wildcard tests/lib/fixture_*.c)
$(O)/testtool: $(TOOL_SRC:%.c=$(O)/%.o) $(FIXTURE_SRC:%.c=$(O)/%.o) $(LIB)
	$(say) LINK $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# Fuzz corpora replay through a plain main (any compiler): part of `make check`.
$(O)/gen/fuzz-list.h: $(FUZZ_SRC)
	@mkdir -p $(@D)
	@for n in $(FUZZ_NAMES); do echo "F($$n)"; done > $@.tmp && mv $@.tmp $@

$(O)/tests/fuzz/replay.o: $(O)/gen/fuzz-list.h

$(O)/fuzz-replay: $(O)/tests/fuzz/replay.o $(FUZZ_SRC:%.c=$(O)/%.o) $(LIB)
	$(say) LINK $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# libFuzzer binaries: a clang build of everything in $(O)/fuzz.
FUZZ_CC ?= clang
fuzz:
	$(MAKE) O=build-fuzz CC=$(FUZZ_CC) CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined" \
	    LDFLAGS="-fsanitize=address,undefined" build-fuzz/libgovsite.a $(FUZZ_SRC:%.c=build-fuzz/%.o)
	@mkdir -p build-fuzz/bin
	@for n in $(FUZZ_NAMES); do \
	    printf '#include <stddef.h>\n#include <stdint.h>\nint fuzz_%s(const uint8_t *, size_t);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return fuzz_%s(d, n); }\n' $$n $$n > build-fuzz/bin/driver_$$n.c; \
	    echo "  FUZZ $$n"; \
	    $(FUZZ_CC) -g -fsanitize=fuzzer,address,undefined -o build-fuzz/bin/fuzz_$$n build-fuzz/bin/driver_$$n.c \
	        build-fuzz/tests/fuzz/fuzz_$$n.o build-fuzz/libgovsite.a $(LIBS) || exit 1; \
	done
	@echo "run e.g.: build-fuzz/bin/fuzz_url tests/fuzz/corpus/url"

TEST_BINS := $(O)/govsite $(O)/unit-tests $(O)/testtool $(O)/fuzz-replay

deps:
	@sh scripts/deps.sh build

deps-check:
	@sh scripts/deps.sh check

# `make check` is what CI runs (.ci/run); its output ends with "N passed, N failed".
check: deps-check
	@$(MAKE) --no-print-directory $(TEST_BINS) govsite
	@O=$(O) sh tests/run.sh

check-unit: $(O)/unit-tests
	$(O)/unit-tests

check-e2e: $(TEST_BINS)
	@O=$(O) ONLY=e2e sh tests/run.sh

check-valgrind: $(TEST_BINS)
	valgrind --error-exitcode=99 --leak-check=full -q $(O)/unit-tests

demo: deps
	@sh scripts/deps.sh demo
	@$(MAKE) --no-print-directory govsite $(O)/testtool
	@O=$(O) sh scripts/demo.sh

bench: govsite $(O)/testtool
	@echo "benchmarks: see bench/README.md (bench/crawl.sh, bench/weblog.sh, ...)"

install: govsite
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(O)/govsite $(DESTDIR)$(BINDIR)/govsite
	cd data && find . -type f ! -path './demo/*' | while read -r f; do \
	    install -D -m 644 "$$f" "$(DESTDIR)$(DATADIR)/$$f"; done
	cp -r data/demo $(DESTDIR)$(DATADIR)/
	install -m 644 docs/govsite.1 $(DESTDIR)$(MANDIR)/man1/govsite.1
	@if [ -d init ]; then install -d $(DESTDIR)$(DATADIR)/init && install -m 644 init/* $(DESTDIR)$(DATADIR)/init/; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/govsite $(DESTDIR)$(MANDIR)/man1/govsite.1
	rm -rf $(DESTDIR)$(DATADIR)

lint:
	@sh scripts/lint.sh

format:
	clang-format -i $(shell find src tests tools -name '*.[ch]')

clean:
	rm -rf build build-san build-fuzz govsite

-include $(shell find $(O) -name '*.d' 2>/dev/null)
