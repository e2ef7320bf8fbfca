/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mc_json.h
 *  One strict reader of JSON input for the host tools, on jansson.
 *
 *  Unknown keys are refused, types and integer ranges checked, strings
 *  bounded and free of control bytes, hex decoded with its length checked.
 *  Every error names the file and the JSON path of the value ("file: path:
 *  message"); no message quotes a value (a plan or a card image carries
 *  keys, PINs and ADM codes) and jansson's "near '...'" token is cut for the
 *  same reason. Bytes outside printable ASCII are escaped (\\xHH) so that a
 *  key name cannot drive a terminal. The first error wins.
 *
 *  Getters \returns 1 when the key is there and good, 0 when it is absent
 *  and not required (the output is left alone), -1 on an error.
 */
#ifndef MIMSI_MC_JSON_H
#define MIMSI_MC_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/*! Longest JSON path kept; a deeper one is cut, never overrun. */
#define MC_JSON_PATH_MAX 160

struct mc_json {
	const char *file; /*!< named first in every message */
	char *err;	  /*!< the message; "" while there is no error */
	size_t len;
};

/*! Start reading \a file; clears \a err. */
void mc_json_init(struct mc_json *j, const char *file, char *err, size_t len);
int mc_json_failed(const struct mc_json *j);
/*! Set "file: path: message" ("file: message" for an empty path) unless an
 *  error is already set. \returns -1. */
int mc_json_fail(struct mc_json *j, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*! "path.key" ("key" when \a path is empty) and "path[i]". */
void mc_json_path_key(char *out, size_t cap, const char *path, const char *key);
void mc_json_path_index(char *out, size_t cap, const char *path, size_t i);

/*! \a o must be an object whose keys are all in the NULL-ended \a allowed. */
int mc_json_keys(struct mc_json *j, const char *path, json_t *o, const char *const *allowed);
/*! The value of \a key (NULL when absent: an error if \a required); the
 *  value's path goes to \a sub (MC_JSON_PATH_MAX bytes) when not NULL. */
json_t *mc_json_get(struct mc_json *j, const char *path, json_t *o, const char *key,
		    int required, char *sub);
/*! A string of fewer than \a max bytes (0: any length), no control byte.
 *  \returns it, or NULL when absent or bad (see mc_json_failed). */
const char *mc_json_str(struct mc_json *j, const char *path, json_t *o, const char *key,
			size_t max, int required);
int mc_json_int(struct mc_json *j, const char *path, json_t *o, const char *key, long *out,
		long min, long max, int required);
int mc_json_num(struct mc_json *j, const char *path, json_t *o, const char *key, double *out,
		double min, double max, int required);
int mc_json_bool(struct mc_json *j, const char *path, json_t *o, const char *key, int *out,
		 int required);
/*! A hex string of \a min..\a max bytes, decoded into \a out (\a max bytes
 *  of room); the byte count goes to \a len when not NULL. */
int mc_json_hex(struct mc_json *j, const char *path, json_t *o, const char *key, uint8_t *out,
		size_t min, size_t max, size_t *len, int required);

/*! Load \a file (duplicate keys refused). On a syntax error sets
 *  "file:line:column: text" without the token and \returns NULL. */
json_t *mc_json_load_file(struct mc_json *j, const char *file);
/*! jansson's message without the token ("near '...'" is cut); edits \a je. */
const char *mc_json_error_text(json_error_t *je);
/*! Escape every byte of \a s outside printable ASCII as \\xHH, in place,
 *  cut to fit \a cap. */
void mc_text_escape(char *s, size_t cap);

#endif /* MIMSI_MC_JSON_H */
