/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mc_ids.h
 *  The text checks of subscriber and card identifiers, one place for every
 *  host tool (mimsi-card's batch files, mimsi-stock's inventory and planner):
 *  digit strings, IMSI and ICCID lengths, the ICCID's Luhn check digit.
 *  The card side's BCD codecs are in the core (mimsi/mi_bcd.h).
 */
#ifndef MIMSI_MC_IDS_H
#define MIMSI_MC_IDS_H

#include <stddef.h>

/*! IMSI length: at most 15 digits (TS 23.003 §2.2); at least MCC, MNC and
 *  one MSIN digit. */
#define MC_IMSI_MIN 6u
#define MC_IMSI_MAX 15u
/*! ICCID length with its check digit: at most 20 digits (ITU-T E.118), which
 *  is what EF_ICCID's 10 bytes hold, shorter ones F-padded (TS 102 221
 *  §13.2); the tools take 18 or more. */
#define MC_ICCID_MIN 18u
#define MC_ICCID_MAX 20u

/*! 1 when \a s is n ASCII digits with \a min <= n <= \a max, else 0. */
int mc_is_digits(const char *s, size_t min, size_t max);
/*! 1 when \a s is an IMSI: MC_IMSI_MIN..MC_IMSI_MAX digits. */
int mc_imsi_ok(const char *s);
/*! 1 when \a s is an ICCID: MC_ICCID_MIN..MC_ICCID_MAX digits (the check
 *  digit is not verified: see mc_luhn_ok). */
int mc_iccid_ok(const char *s);
/*! The Luhn check digit (ITU-T E.118 Annex B, ISO/IEC 7812-1 Annex B) of
 *  the digit string \a digits: 0..9, or -1 when it is empty or not digits. */
int mc_luhn_digit(const char *digits);
/*! 1 when \a digits (2 or more digits) ends in the Luhn check digit of the
 *  others. */
int mc_luhn_ok(const char *digits);

#endif /* MIMSI_MC_IDS_H */
