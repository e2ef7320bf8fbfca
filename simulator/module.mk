# SPDX-License-Identifier: Apache-2.0
# simulator/: the UICC (uicc/, vpcd/) and the virtual world (modem/, net/,
# scenario/), linked into mimsi-sim with the applet core and its sim port.

SIM_CARD_SRCS := $(wildcard simulator/uicc/*.c simulator/vpcd/*.c)
SIM_CARD_OBJS := $(SIM_CARD_SRCS:%.c=$(BUILD)/%.o)
LIBSIM := $(BUILD)/libmimsi-sim.a

SIM_WORLD_SRCS := $(wildcard simulator/modem/*.c simulator/net/*.c simulator/scenario/*.c)
SIM_WORLD_OBJS := $(SIM_WORLD_SRCS:%.c=$(BUILD)/%.o)
LIBWORLD := $(BUILD)/libmimsi-world.a

simulator_CFLAGS = -Isimulator -Isimulator/uicc -Iplanner -Iapplet/port/sim -Iota -Irules-compiler -Ihost/common \
	-Ihost/stock $(call pc_cflags,openssl jansson cmocka) \
	$(patsubst -I%,-isystem %,$(call pc_cflags,sqlite3))
SIM_LIBS = $(call pc_libs,openssl jansson sqlite3) $(MC_LIBS)

$(LIBSIM): $(SIM_CARD_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(LIBWORLD): $(SIM_WORLD_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# Link order: world -> swap planner (the stock library, mimsi-ota's script
# and key code, the rules compiler's library: the dynamic journeys run it in
# the loop) -> loader planner -> card -> ota codec -> port -> core. The stock
# module is read later: its outputs are named here, not by its variables.
SIM_STOCK_LINK = $(BUILD)/libmimsi-stock.a $(BUILD)/ota/tool/ota_tool_script.o \
	$(BUILD)/ota/tool/ota_tool_keys.o $(BUILD)/librc.a
SIM_LINK = $(if $(SIM_WORLD_SRCS),$(LIBWORLD) $(SIM_STOCK_LINK) $(LIBPLAN)) $(LIBSIM) $(LIBOTA) $(LIBMI_PORTSIM) $(LIBMC) $(LIBMI)

# The tool itself: main.c and image_plan.c (`image --plan` reads the rules
# compiler's plan with its own loader, librc, defined in rules-compiler/).
MIMSI_SIM := $(BUILD)/mimsi-sim
SIM_TOOL_OBJS := $(BUILD)/simulator/main.o $(BUILD)/simulator/image_plan.o
$(MIMSI_SIM): $(SIM_TOOL_OBJS) $(BUILD)/librc.a $(SIM_LINK)
	$(CC) $(LDFLAGS_ALL) -o $@ $+ $(SIM_LIBS) -lm

SIM_TEST_SRCS := $(wildcard simulator/tests/test_*.c)
SIM_TEST_BINS := $(SIM_TEST_SRCS:%.c=$(BUILD)/%)
SIM_TEST_SUPPORT := $(filter-out $(SIM_TEST_SRCS) $(wildcard simulator/tests/bench_*.c),$(wildcard simulator/tests/*.c))
SIM_TEST_SUPPORT_OBJS := $(SIM_TEST_SUPPORT:%.c=$(BUILD)/%.o)

$(BUILD)/simulator/tests/test_%: $(BUILD)/simulator/tests/test_%.o $(SIM_TEST_SUPPORT_OBJS) $(SIM_LINK)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(SIM_LIBS) $(call pc_libs,cmocka) -lm

SIM_BENCH_SRCS := $(wildcard simulator/tests/bench_*.c)
SIM_BENCH_BINS := $(SIM_BENCH_SRCS:%.c=$(BUILD)/%)
$(BUILD)/simulator/tests/bench_%: $(BUILD)/simulator/tests/bench_%.o $(SIM_TEST_SUPPORT_OBJS) $(SIM_LINK)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(SIM_LIBS) $(call pc_libs,cmocka) -lm

ifneq ($(wildcard simulator/main.c),)
ALL_TARGETS += $(MIMSI_SIM)
INSTALL_BINS += $(MIMSI_SIM)
endif
TEST_BINS += $(SIM_TEST_BINS)
BENCH_BINS += $(SIM_BENCH_BINS)
# End-to-end and journey scripts: simulator/tests/check_*.sh, bench_*.sh
CHECK_SCRIPTS += $(wildcard simulator/tests/check_*.sh)
BENCH_SCRIPTS += $(wildcard simulator/tests/bench_*.sh)
