# SPDX-License-Identifier: Apache-2.0
# applet/: the freestanding core (also linked by every host tool), the
# host-only text codecs beside it (applet/host: never in a card image), the
# simulator port, and one cmocka binary per module (applet/tests/test_*.c).

MI_CORE_SRCS := $(wildcard applet/core/*.c applet/host/*.c)
MI_CORE_OBJS := $(MI_CORE_SRCS:%.c=$(BUILD)/%.o)
LIBMI := $(BUILD)/libmimsi-core.a

MI_PORTSIM_SRCS := $(wildcard applet/port/sim/*.c)
MI_PORTSIM_OBJS := $(MI_PORTSIM_SRCS:%.c=$(BUILD)/%.o)
LIBMI_PORTSIM := $(BUILD)/libmimsi-portsim.a

$(LIBMI): $(MI_CORE_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(LIBMI_PORTSIM): $(MI_PORTSIM_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# The host build carries both toolkit modes, asked of the port at run time
# (mi_port_caps); a card build picks one at compile time (mi_port.h).
applet_CFLAGS = -Iapplet/core -Iapplet/port/sim -DMI_PORT_TOOLKIT=MI_TOOLKIT_RUNTIME \
	$(call pc_cflags,cmocka) $(call pc_cflags,jansson)

MI_TEST_SRCS := $(wildcard applet/tests/test_*.c)
MI_TEST_BINS := $(MI_TEST_SRCS:%.c=$(BUILD)/%)
MI_TEST_SUPPORT := $(filter-out $(MI_TEST_SRCS) applet/tests/bench_%.c,$(wildcard applet/tests/*.c))
MI_TEST_SUPPORT_OBJS := $(MI_TEST_SUPPORT:%.c=$(BUILD)/%.o)

$(BUILD)/applet/tests/test_%: $(BUILD)/applet/tests/test_%.o $(MI_TEST_SUPPORT_OBJS) $(LIBMI)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(call pc_libs,cmocka)

# The pure decision unit tested alone: only it, the slot choice it calls and
# the PLMN text codec of the vector reader; no port, no NV code (a call to
# mi_port_* or mi_nv_* from it could not link).
MI_DECIDE_ALONE := $(addprefix $(BUILD)/applet/,core/mi_decide.o core/mi_choice.o \
	core/mi_plmn.o host/mi_plmn_text.o)
$(BUILD)/applet/tests/test_decide: $(BUILD)/applet/tests/test_decide.o $(MI_DECIDE_ALONE)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(call pc_libs,cmocka) $(call pc_libs,jansson)

MI_BENCH_SRCS := $(wildcard applet/tests/bench_*.c)
MI_BENCH_BINS := $(MI_BENCH_SRCS:%.c=$(BUILD)/%)
$(BUILD)/applet/tests/bench_%: $(BUILD)/applet/tests/bench_%.o $(MI_TEST_SUPPORT_OBJS) $(LIBMI)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(call pc_libs,cmocka)

# Cortex-M0 instruction counts (scripts/card-check.sh): bench_engine --events
# writing every entry-point call to a trace that the M0 build replays in QEMU
MI_M0_WRAP := $(foreach f,install reset terminal_profile envelope terminal_response status,\
	-Wl,--wrap=mi_applet_$(f))
MI_M0_TRACER := $(BUILD)/applet/tests/m0/bench_engine_trace
$(MI_M0_TRACER): $(BUILD)/applet/tests/bench_engine.o $(BUILD)/applet/tests/m0/m0_trace_record.o \
		$(MI_TEST_SUPPORT_OBJS) $(LIBMI)
	$(CC) $(LDFLAGS_ALL) $(MI_M0_WRAP) -o $@ $^ $(call pc_libs,cmocka)

ALL_TARGETS += $(LIBMI) $(if $(MI_PORTSIM_SRCS),$(LIBMI_PORTSIM))
TEST_BINS += $(MI_TEST_BINS)
BENCH_BINS += $(MI_BENCH_BINS)
# the worked examples of docs/ef-format.md are checked as real files; every
# proactive command vector must decode cleanly in tshark (etsi_cat)
CHECK_SCRIPTS += $(wildcard applet/tests/check_*.sh) test-vectors/cat/tshark_decode.sh
