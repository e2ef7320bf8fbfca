/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_config.h
 *  Compile-time limits of the applet core. A card vendor may lower them to
 *  save RAM; the EF format (mi_ef.h) refuses files that exceed them.
 */
#ifndef MIMSI_MI_CONFIG_H
#define MIMSI_MI_CONFIG_H

#define MI_MAX_SLOTS 10u        /*!< IMSI slots on one card (numbered 1..10) */
#define MI_MAX_OPLMN 16u        /*!< OPLMNwACT entries a slot may carry */
#define MI_MAX_FPLMN 8u         /*!< FPLMN entries a slot may carry */
#define MI_MAX_EHPLMN 4u        /*!< EHPLMN entries a slot may carry (TS 31.102 §4.2.84) */
#define MI_REFRESH_FALLBACKS 3u /*!< REFRESH qualifiers tried after the preferred one */
#define MI_RULES_MAX 2048u      /*!< rule entries in one rules file */
#define MI_PROFILES_MAX 255u    /*!< distinct preference profiles in one rules file */
#define MI_APDU_BUF 261u        /*!< short APDU: 5 header + 255 data + 1 Le (ISO 7816-4 §5.1) */
#define MI_PROACTIVE_BUF 255u   /*!< largest proactive command (D0 + 2-byte length fits here) */
#define MI_LEN_MAX 32767u       /*!< any buffer a decoder takes: lengths stay within a 16-bit int */

#endif /* MIMSI_MI_CONFIG_H */
