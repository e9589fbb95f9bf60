/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Values inside a JSON document by path: dot-separated object keys and
 * array indexes ("runs.0.requests.served"); "" and "." are the document.
 * The one getter of results files, reports and the tests' ndjson.
 */
#ifndef SROSCOPE_JSONPATH_H
#define SROSCOPE_JSONPATH_H

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

/*
 * The value at @path into @v (NULL for a JSON null); false when there is
 * none (a key or index missing, or a step below a scalar or a null).
 */
bool json_path_find(struct json_object *root, const char *path,
		    struct json_object **v);

/* The value at @path, NULL when there is none. */
struct json_object *json_path(struct json_object *root, const char *path);

/* Its value as json_object_get_uint64() reads it; 0 when there is none. */
uint64_t json_path_u64(struct json_object *root, const char *path);

#endif
