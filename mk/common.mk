# SPDX-License-Identifier: Apache-2.0
# Toolchain, flags and the generic rules every module.mk relies on.

PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
ifeq ($(CC),cc)
CC := gcc
endif

ifeq ($(SAN),1)
BUILD ?= build-san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else
BUILD ?= build
SANFLAGS :=
endif

# Warnings are fatal everywhere: CI and developers see the same build.
WARN := -Wall -Wextra -Wshadow -Wconversion -Wsign-conversion \
	-Wstrict-prototypes -Wmissing-prototypes -Wvla -Wundef \
	-Wdouble-promotion -Wformat=2 -Werror
OPT ?= -O2 -g
CSTD := -std=c99
CPPFLAGS_ALL := -Iapplet/include -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
CFLAGS_ALL = $(CSTD) $(OPT) $(WARN) $(SANFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(SANFLAGS) $(LDFLAGS)

# Host libraries through pkg-config; expanded only when a recipe runs, so a
# fresh machine can install them (scripts/deps.sh) before they are asked for.
pc_cflags = $(shell pkg-config --cflags $(1) 2>/dev/null)
pc_libs = $(shell pkg-config --libs $(1) 2>/dev/null)

ALL_TARGETS :=
TEST_BINS :=
CHECK_SCRIPTS :=
BENCH_BINS :=
BENCH_SCRIPTS :=
INSTALL_BINS :=

include mk/version.mk

# Objects: one rule for every C file of the tree; extra flags per folder come
# from <folder>_CFLAGS set in module.mk (e.g. simulator_CFLAGS). The generated
# header exists before the first compile (-MMD then records who uses it).
$(BUILD)/%.o: %.c | $(GEN_BUILD_H)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $($(firstword $(subst /, ,$*))_CFLAGS) -MMD -MP -c $< -o $@

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
