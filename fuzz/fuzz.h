/* SPDX-License-Identifier: Apache-2.0 */
/*! \file fuzz.h
 *  Shared by every libFuzzer target in fuzz/: the entry point's prototype
 *  (the warnings ask for one) and FUZZ_ASSERT, which turns a broken
 *  property into a crash that libFuzzer saves as a reproducer.
 */
#ifndef MIMSI_FUZZ_H
#define MIMSI_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "mimsi/mi_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond)                                                     \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "%s:%d: property failed: %s\n",       \
				__FILE__, __LINE__, #cond);                   \
			abort();                                              \
		}                                                             \
	} while (0)

/* Every decoder takes a mi_u16 length and refuses more than MI_LEN_MAX. */
#define FUZZ_LEN_OK(size) ((size) <= MI_LEN_MAX)

#endif /* MIMSI_FUZZ_H */
