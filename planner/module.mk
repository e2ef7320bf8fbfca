# SPDX-License-Identifier: Apache-2.0
# planner/: the A/B set planner (the banks a loader reads, the active set by
# the core's rule, a compiled set from a directory, the write plan). A
# library of its own so that mimsi-card (host/) and the journey runner
# (simulator/scenario/) share it without depending on each other: it needs
# the applet core only.

PLAN_SRCS := $(wildcard planner/*.c)
PLAN_OBJS := $(PLAN_SRCS:%.c=$(BUILD)/%.o)
LIBPLAN := $(BUILD)/libmimsi-planner.a

planner_CFLAGS = -Iplanner

$(LIBPLAN): $(PLAN_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^
