/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_sw_text.c
 *  mi_sw_text(): status words as a const {sw, mask, text} table
 *  (TS 102 221 §10.2.1, ISO 7816-4 §5.1.3). Exact words
 *  come first, masked families (61xx, 63Cx, 91xx ...) after them, so the
 *  first match is the most specific. Host-side only.
 */
#include "mimsi/mi_apdu.h"

struct mi_sw_entry {
	mi_u16 sw;
	mi_u16 mask;
	const char *text;
};

static const struct mi_sw_entry mi_sw_table[] = {
    /* normal processing */
    {0x9000u, 0xFFFFu, "normal ending"},
    {0x9300u, 0xFFFFu, "SIM application toolkit busy"},
    /* warnings */
    {0x6200u, 0xFFFFu, "warning: no information given, NV memory unchanged"},
    {0x6281u, 0xFFFFu, "warning: part of returned data may be corrupted"},
    {0x6282u, 0xFFFFu, "warning: end of file/record reached before reading Le bytes"},
    {0x6283u, 0xFFFFu, "warning: selected file invalidated (deactivated)"},
    {0x6284u, 0xFFFFu, "warning: selected file in termination state"},
    {0x62F1u, 0xFFFFu, "warning: more data available"},
    {0x62F2u, 0xFFFFu, "warning: more data available and proactive command pending"},
    {0x62F3u, 0xFFFFu, "warning: response data available"},
    {0x63F1u, 0xFFFFu, "warning: more data expected"},
    {0x63F2u, 0xFFFFu, "warning: more data expected and proactive command pending"},
    /* execution errors */
    {0x6400u, 0xFFFFu, "execution error: no information given, NV memory unchanged"},
    {0x6500u, 0xFFFFu, "execution error: no information given, NV memory changed"},
    {0x6581u, 0xFFFFu, "memory problem"},
    /* checking errors */
    {0x6700u, 0xFFFFu, "wrong length"},
    {0x6881u, 0xFFFFu, "logical channel not supported"},
    {0x6882u, 0xFFFFu, "secure messaging not supported"},
    {0x6981u, 0xFFFFu, "command incompatible with file structure"},
    {0x6982u, 0xFFFFu, "security status not satisfied"},
    {0x6983u, 0xFFFFu, "authentication/PIN method blocked"},
    {0x6984u, 0xFFFFu, "referenced data invalidated"},
    {0x6985u, 0xFFFFu, "conditions of use not satisfied"},
    {0x6986u, 0xFFFFu, "command not allowed (no EF selected)"},
    {0x6A80u, 0xFFFFu, "incorrect parameters in the data field"},
    {0x6A81u, 0xFFFFu, "function not supported"},
    {0x6A82u, 0xFFFFu, "file or application not found"},
    {0x6A83u, 0xFFFFu, "record not found"},
    {0x6A84u, 0xFFFFu, "not enough memory space"},
    {0x6A86u, 0xFFFFu, "incorrect parameters P1 to P2"},
    {0x6A87u, 0xFFFFu, "Lc inconsistent with P1 to P2"},
    {0x6A88u, 0xFFFFu, "referenced data not found"},
    {0x6B00u, 0xFFFFu, "wrong parameter(s) P1-P2"},
    {0x6D00u, 0xFFFFu, "instruction code not supported or invalid"},
    {0x6E00u, 0xFFFFu, "class not supported"},
    {0x6F00u, 0xFFFFu, "technical problem, no precise diagnosis"},
    /* application errors */
    {0x9850u, 0xFFFFu, "INCREASE cannot be performed, maximum value reached"},
    {0x9862u, 0xFFFFu, "authentication error, incorrect MAC"},
    {0x9863u, 0xFFFFu, "security session or association expired"},
    {0x9864u, 0xFFFFu, "security context not supported / suspension time too long"},
    {0x9865u, 0xFFFFu, "key freshness failure"},
    /* families with a count or parameter in the low bits */
    {0x63C0u, 0xFFF0u, "verification failed, low nibble = retries left"},
    {0x9100u, 0xFF00u, "normal ending, proactive command pending (SW2 = length)"},
    {0x9200u, 0xFF00u, "normal ending, data transfer information (SW2)"},
    {0x6100u, 0xFF00u, "response bytes still available (SW2 = count): GET RESPONSE"},
    {0x6C00u, 0xFF00u, "wrong Le: resend with Le = SW2"},
    {0x6200u, 0xFF00u, "warning, NV memory unchanged"},
    {0x6300u, 0xFF00u, "warning, NV memory changed"},
    {0x6400u, 0xFF00u, "execution error, NV memory unchanged"},
    {0x6500u, 0xFF00u, "execution error, NV memory changed"},
    {0x6700u, 0xFF00u, "wrong length"},
    {0x6800u, 0xFF00u, "functions in CLA not supported"},
    {0x6900u, 0xFF00u, "command not allowed"},
    {0x6A00u, 0xFF00u, "wrong parameters"},
    {0x9800u, 0xFF00u, "application error"},
};

const char *mi_sw_text(mi_u16 sw)
{
	size_t i;

	for (i = 0; i < MI_ARRAY_SIZE(mi_sw_table); i++) {
		if ((sw & mi_sw_table[i].mask) == mi_sw_table[i].sw)
			return mi_sw_table[i].text;
	}
	return "unknown status word";
}
