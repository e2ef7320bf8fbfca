/* SPDX-License-Identifier: Apache-2.0 */
/*! \file ld_err.h
 *  The loader's error codes: mimsi-card's transports and the set planner
 *  (planner/ld_plan.h), which the journey runner uses as well.
 */
#ifndef MIMSI_LD_ERR_H
#define MIMSI_LD_ERR_H

/*! Loader errors (negative; distinct from mi_err and sim_err ranges). */
enum ld_err {
	LD_OK = 0,
	LD_ERR_IO = -200,	  /*!< transport failure (message in the context) */
	LD_ERR_NO_READER = -201,  /*!< no reader matches the -r selection */
	LD_ERR_NO_CARD = -202,	  /*!< reader is empty */
	LD_ERR_BUFFER = -203,	  /*!< response buffer too small */
	LD_ERR_REMOVED = -204,	  /*!< card removed / connection dropped */
	LD_ERR_TIMEOUT = -205,	  /*!< waited for a card event too long */
	LD_ERR_SW = -206,	  /*!< the card answered an unexpected status word */
	LD_ERR_PARAM = -207,	  /*!< bad argument or user input */
	LD_ERR_REFUSED = -208,	  /*!< a safety guard refused the operation */
	LD_ERR_VERIFY = -209,	  /*!< read-back differs from what was written */
	LD_ERR_FORMAT = -210,	  /*!< card or file content malformed */
	LD_ERR_UNSUPPORTED = -211 /*!< transport or card lacks the feature */
};

#endif /* MIMSI_LD_ERR_H */
