/*
 * table.h - what the generator emits (build/gen/policy_table.c).
 */
#ifndef EW_TABLE_H
#define EW_TABLE_H

#include "policy/policy.h"

extern const struct ew_config ew_built_config;
extern const char ew_config_text[];

#endif
