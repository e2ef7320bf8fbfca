# SPDX-License-Identifier: Apache-2.0
# host/stock/: mimsi-stock, the operator's IMSI and eSIM profile inventory
# on SQLite. Everything but st_main.c goes into libmimsi-stock.a, which the
# cmocka tests and the benchmark link as well. generate runs the built
# mimsi-compile for the rule set (its command line is the interface).

ST_SRCS := $(filter-out host/stock/st_main.c,$(wildcard host/stock/st_*.c))
ST_OBJS := $(ST_SRCS:%.c=$(BUILD)/%.o)
LIBST := $(BUILD)/libmimsi-stock.a
ST_LIBS = $(MC_LIBS) $(call pc_libs,sqlite3 jansson libcrypto)
# the swap planner reads tariffs with librc and PoRs with libmimsi-ota
# and builds the OTA packets with mimsi-ota's script and key code
ST_OTA_OBJS = $(BUILD)/ota/tool/ota_tool_script.o $(BUILD)/ota/tool/ota_tool_keys.o
ST_DEPS = $(LIBST) $(ST_OTA_OBJS) $(LIBRC) $(LIBOTA) $(LIBMC) $(LIBMI)

$(BUILD)/host/stock/%.o: CPPFLAGS_ALL += -Ihost/stock -Ihost/common -Irules-compiler -Iota -Iota/tool \
	$(patsubst -I%,-isystem %,$(call pc_cflags,sqlite3))

$(LIBST): $(ST_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

MIMSI_STOCK := $(BUILD)/mimsi-stock
$(MIMSI_STOCK): $(BUILD)/host/stock/st_main.o $(ST_DEPS)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(ST_LIBS)

ST_TEST_SRCS := $(wildcard host/stock/tests/test_*.c)
ST_TEST_BINS := $(ST_TEST_SRCS:%.c=$(BUILD)/%)
ST_BENCH_SRCS := $(wildcard host/stock/tests/bench_*.c)
ST_BENCH_BINS := $(ST_BENCH_SRCS:%.c=$(BUILD)/%)

$(BUILD)/host/stock/tests/test_%: $(BUILD)/host/stock/tests/test_%.o $(ST_DEPS)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(ST_LIBS) $(call pc_libs,cmocka)

$(BUILD)/host/stock/tests/bench_%: $(BUILD)/host/stock/tests/bench_%.o $(ST_DEPS)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(ST_LIBS)

# the checks run mimsi-stock and, for the rule set, mimsi-compile
ALL_TARGETS += $(MIMSI_STOCK)
INSTALL_BINS += $(MIMSI_STOCK)
TEST_BINS += $(ST_TEST_BINS)
BENCH_BINS += $(ST_BENCH_BINS)
CHECK_SCRIPTS += $(wildcard host/stock/tests/check_*.sh)
BENCH_SCRIPTS += $(wildcard host/stock/tests/bench_*.sh)
