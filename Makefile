# rongcuo -- build, test, fuzz, bench.  See README.md.
#
#   make            build build/rongcuo
#   make test       the whole suite: unit, golden, malformed, CLI, policy
#                   tests, fuzz corpora; then again under ASan+UBSan; then
#                   PostgreSQL, the browser tests, the concurrent tests under
#                   ThreadSanitizer (make test-tsan), a short libFuzzer run
#   make SANITIZE=address,undefined   build with sanitizers (into build-san/)
#   make bench      the evaluation benchmark (bench/README.md)
#   make bench-store   the store benchmark: import and reads (bench/store/README.md)
#   make bench-web     the web benchmark: the case pages against nginx (bench/web/README.md)

CC      ?= cc
PKGS    := jansson libcrypto sqlite3 libpq xlsxwriter libsodium libmicrohttpd libqrencode
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# -Wno-format-truncation: diagnostic messages are cut at their cap on purpose.
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wvla -Wno-missing-field-initializers \
           -Wno-format-truncation
HARDEN  := -fstack-protector-strong -fPIE -D_FORTIFY_SOURCE=2
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
OPT     ?= -O2 -g

ifdef SANITIZE
BUILD   ?= build-san
# The sanitizer build also takes the portable (switch) dispatch of the
# evaluator, so that both dispatch paths run the whole suite.
OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=$(SANITIZE) -fno-sanitize-recover=all \
           -DRC_PORTABLE_DISPATCH
LDSAN   := -fsanitize=$(SANITIZE)
HARDEN  := -fstack-protector-strong -fPIE
else
BUILD   ?= build
LDSAN   :=
endif

CFLAGS  += $(CSTD) $(WARN) $(HARDEN) $(OPT) -Isrc $(PKG_CFLAGS)
LDFLAGS += -pie -Wl,-z,relro,-z,now $(LDSAN)
LDLIBS  += $(PKG_LIBS)

LIB_SRC := $(wildcard src/core/*.c) $(wildcard src/crypto/*.c) $(wildcard src/policy/*.c) \
           $(wildcard src/store/*.c) $(wildcard src/audit/*.c) \
           $(wildcard src/procedure/*.c) $(wildcard src/report/*.c) \
           $(wildcard src/http/*.c) \
           $(wildcard src/web/*.c) $(wildcard src/api/*.c)
CLI_SRC := $(wildcard src/cli/*.c)
# Data the binary carries, embedded at build time (scripts/embed.sh).
GEN_OBJ := $(BUILD)/gen/permissions.o $(BUILD)/gen/i18n-en.o
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(GEN_OBJ)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
LIB     := $(BUILD)/librongcuo.a
BIN     := $(BUILD)/rongcuo

TEST_SRC  := $(wildcard tests/*/test_*.c)
TEST_BINS := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
FUZZ_SRC  := $(wildcard fuzz/fuzz_*.c)
REPLAY_BINS := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/replay_%)

.PHONY: all deps demo assess-demo bench-web test test-bins test-unit test-tsan fuzz bench bench-store clean format lint

all: $(BIN)

deps:
	@scripts/deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/gen/permissions.c: data/permissions.tsv scripts/embed.sh
	@mkdir -p $(dir $@)
	scripts/embed.sh rc_access_matrix_text $< >$@.tmp && mv $@.tmp $@

$(BUILD)/gen/i18n-en.c: data/i18n-en.tsv scripts/embed.sh
	@mkdir -p $(dir $@)
	scripts/embed.sh rc_i18n_en_text $< >$@.tmp && mv $@.tmp $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DRC_SOURCE_DIR='"$(CURDIR)"' $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS) -lcmocka

# Each fuzz harness is also linked with a replay driver, so its corpus runs
# in the ordinary test suite without libFuzzer.
$(BUILD)/fuzz/replay_%: fuzz/%.c fuzz/replay.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DRC_SOURCE_DIR='"$(CURDIR)"' $(LDFLAGS) -o $@ $< fuzz/replay.c $(LIB) $(LDLIBS)

# The main job: assess the sample case and print its explanation.
# The newcomer's one command: the case system with invented data on
# http://127.0.0.1:8080 (the demo users and their TOTP secrets are printed).
demo: deps $(BIN)
	$(BIN) serve --demo --data $(BUILD)/demo-data

# The engine alone: the sample case assessed, with its explanation.
assess-demo: deps $(BIN)
	$(BIN) assess --policy policies/ examples/sample-case.json

test-bins: $(BIN) $(TEST_BINS) $(REPLAY_BINS)

test-unit: test-bins
	@BUILD=$(BUILD) scripts/run-tests.sh

# The whole suite (normal build, ASan+UBSan build, short fuzz run).
test: deps
	@scripts/test-all.sh

# The thread sanitizer stage alone (part of `make test`).
test-tsan: deps
	scripts/test-tsan.sh

fuzz: deps
	scripts/fuzz.sh long

bench: deps $(BIN)
	bench/run.sh

# The store benchmark: importing 1,000,000 generated cases against the
# sqlite3 CLI, and reading cases by code (bench/store/README.md).
bench-store: deps
	bench/store/run.sh

# The web benchmark: wrk against the case pages next to nginx serving the
# same bytes (bench/web/README.md).
bench-web: deps
	bench/web/run.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

# cppcheck reads no system header (missingIncludeSystem), so jansson's
# json_array_foreach is an unknown macro to it; where it cannot parse around
# one (cases.c) that is suppressed, not the file.
lint:
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --std=c11 \
	  --suppress=missingIncludeSystem --suppress=assignBoolToPointer:src/policy/eval.c \
	  --suppress=unknownMacro:src/web/cases.c -Isrc src

clean:
	rm -rf build build-san build-fuzz build-*/

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
