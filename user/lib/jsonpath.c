// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jsonpath.h"

/* An array index: digits only, below @len. */
static bool array_index(const char *s, size_t n, size_t len, size_t *idx)
{
	char buf[24], *end;

	if (!n || n >= sizeof(buf) || !isdigit((unsigned char)*s))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	*idx = strtoul(buf, &end, 10);
	return !errno && !*end && *idx < len;
}

bool json_path_find(struct json_object *root, const char *path,
		    struct json_object **v)
{
	struct json_object *cur = root;
	const char *p = strcmp(path, ".") ? path : "";
	char key[256];
	size_t n, idx;

	while (*p) {
		n = strcspn(p, ".");
		if (json_object_is_type(cur, json_type_object)) {
			/* A key longer than any of ours cannot be there. */
			if (n >= sizeof(key))
				return false;
			memcpy(key, p, n);
			key[n] = '\0';
			if (!json_object_object_get_ex(cur, key, &cur))
				return false;
		} else if (json_object_is_type(cur, json_type_array) &&
			   array_index(p, n, json_object_array_length(cur), &idx)) {
			cur = json_object_array_get_idx(cur, idx);
		} else {
			return false;	/* also: below a null */
		}
		p += n;
		if (*p)
			p++;
	}
	*v = cur;
	return true;
}

struct json_object *json_path(struct json_object *root, const char *path)
{
	struct json_object *v;

	return json_path_find(root, path, &v) ? v : NULL;
}

uint64_t json_path_u64(struct json_object *root, const char *path)
{
	/* json-c reads NULL as 0, and converts other types as it does. */
	return json_object_get_uint64(json_path(root, path));
}
