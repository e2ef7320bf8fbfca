/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_set.h
 *  The A/B active-set rule (mi_ef.h "A/B activation"), in one place: the
 *  applet at every reset, the loader (mimsi-card) and the journey runner
 *  all call mi_set_pick(). Freestanding and host-callable: the six banks
 *  are read through callbacks, so a card reads them through its port and a
 *  host tool from the bytes it read from a card.
 *
 *  A bank is valid when its header (magic, type, version, length), its
 *  CRC-32 and its body's own rules (every record decodes, counts agree with
 *  the length, slots and keys ascend, profile indexes in range) all pass.
 *  The active set is the highest seq for which CFG, SLOTS and RULES each
 *  have a valid bank carrying that seq. Without one: safe mode, where the
 *  newest valid CFG and SLOTS banks (if any) give the configuration and the
 *  bootstrap slots. The three files of a set also carry one set id
 *  (version 2, mi_ef.h; a version-1 file counts as id 0): banks of one seq
 *  whose ids differ are not one set, so a loader's mix of two compiles under
 *  one seq is never adopted (the loader and decompile refuse it too).
 */
#ifndef MIMSI_MI_SET_H
#define MIMSI_MI_SET_H

#include "mi_port.h"
#include "mi_types.h"

struct mi_ram;
struct mi_port;

/*! Where the banks come from: the port's own two functions (mi_port.h) on
 *  a card, so the applet adds no glue; a host tool passes functions of the
 *  same types and its own context as \a port (a pointer it casts back).
 *  \a file is an enum mi_file value (MI_FILE_CFG_A + i for bank i =
 *  kind * 2 + bank, kinds CFG, SLOTS, RULES; MI_FILE_STATE). */
struct mi_files {
	int (*read)(struct mi_port *port, enum mi_file file, mi_u16 off, mi_u8 *buf, mi_u16 len);
	mi_s32 (*size)(struct mi_port *port, enum mi_file file);
	struct mi_port *port;
	mi_u8 *scratch; /*!< MI_CMD_BUF (mi_state.h) bytes of work space */
};

/*! What a bank's header and body say it belongs to. */
struct mi_bank_tag {
	mi_u32 seq; /*!< the header's seq */
	mi_u32 id;  /*!< the set id closing a version-2 body; 0 for version 1 */
};

struct mi_set_pick { /* the small fields first: short offsets on a card */
	mi_u32 set_seq; /*!< seq of the active set; 0 in safe mode */
	mi_u8 valid;	/*!< bit i: bank i passed every check (mi_set_bank_check says why not) */
	mi_u8 use;	/*!< bit k: kind k has a bank to use (all three with a set) */
	mi_u8 banks;	/*!< bit k: kind k's bank is B */
	struct mi_bank_tag tag[6]; /*!< bank i (meaningful when its header checked) */
};

/*! Check every bank and decide the active set (or safe mode).
 *  \returns MI_OK with a set (use == 7), MI_ERR_NOT_FOUND in safe mode. */
int mi_set_pick(const struct mi_files *fs, struct mi_set_pick *out);

/*! One bank i (0..5): header, CRC, then its body's rules; with \a apply, the
 *  facts the engine keeps in RAM are loaded from it (the applet only; host
 *  tools pass NULL). \returns MI_OK and *tag, or the first problem. */
int mi_set_bank_check(const struct mi_files *fs, mi_u8 i, struct mi_ram *apply,
		      struct mi_bank_tag *tag);

/*! Header and CRC of one DF.MIMSI file. \returns the payload length (the
 *  body without a version-2 set id) and *tag, or a negative mi_err. */
int mi_files_check(const struct mi_files *fs, mi_u8 file, mi_u8 type, struct mi_bank_tag *tag);

#endif /* MIMSI_MI_SET_H */
