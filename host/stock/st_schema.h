/* SPDX-License-Identifier: Apache-2.0 */
/*! \file st_schema.h
 *  The schema as migrations: st_migrations[v] takes PRAGMA user_version v to
 *  v + 1. Append, never edit one that shipped (docs/stock.md draws the tables). */
#ifndef MIMSI_ST_SCHEMA_H
#define MIMSI_ST_SCHEMA_H

#include <stddef.h>

extern const char *const st_migrations[];
extern const size_t st_n_migrations;

#endif /* MIMSI_ST_SCHEMA_H */
