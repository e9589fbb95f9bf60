// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ndjson: the JSON checks of the in-VM tests, where busybox has no jq.
 *
 *   ndjson check FILE                     every line is a JSON object;
 *                                         prints how many lines
 *   ndjson count FILE [KEY=VALUE...]      lines whose top-level KEYs all
 *                                         have these VALUEs
 *   ndjson sum FILE FIELD [KEY=VALUE...]  sum of the unsigned integer
 *                                         FIELD over those lines
 *   ndjson get FILE PATH                  the value at PATH of one JSON
 *                                         document: JSON text for objects
 *                                         and arrays, plain for scalars
 *   ndjson len FILE PATH                  the length of the array (or the
 *                                         keys of the object) at PATH
 *
 * PATH is dot-separated object keys and array indexes
 * ("realms.0.unreturned_bytes"); "." is the whole document. A VALUE
 * matches a string by its content, anything else by its JSON text
 * ("size=4096", "contig=true"). FILE "-" is stdin.
 *
 * Exit 0; 1 when the data fails: a line that is not a JSON object, PATH
 * missing, FIELD not an unsigned integer; 2 for usage and I/O errors.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "jsonpath.h"

static const char usage[] =
	"usage: ndjson check FILE\n"
	"       ndjson count FILE [KEY=VALUE...]\n"
	"       ndjson sum FILE FIELD [KEY=VALUE...]\n"
	"       ndjson get FILE PATH\n"
	"       ndjson len FILE PATH\n";

static const char *fname;

static FILE *open_input(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;

	if (!f) {
		fprintf(stderr, "ndjson: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	fname = path;
	return f;
}

/* One JSON value filling @len bytes of @s but for white space; or NULL. */
static struct json_object *parse(const char *s, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;
	size_t end;

	if (!tok)
		return NULL;
	/* the NUL after the text ends a number at the very end */
	o = json_tokener_parse_ex(tok, s, len + 1);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	for (; o && end < len; end++) {
		if (!isspace((unsigned char)s[end])) {
			json_object_put(o);
			return NULL;
		}
	}
	return o;
}

/* Does @o's top-level KEY of "KEY=VALUE" have that VALUE? */
static bool matches(struct json_object *o, const char *filter)
{
	const char *eq = strchr(filter, '=');
	struct json_object *v;
	char key[256];
	size_t klen;

	if (!eq || (klen = eq - filter) >= sizeof(key)) {
		fprintf(stderr, "ndjson: bad filter '%s' (KEY=VALUE)\n", filter);
		exit(2);
	}
	memcpy(key, filter, klen);
	key[klen] = 0;
	if (!json_object_object_get_ex(o, key, &v))
		return false;
	if (json_object_is_type(v, json_type_string))
		return !strcmp(json_object_get_string(v), eq + 1);
	return !strcmp(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
		       eq + 1);
}

static bool matches_all(struct json_object *o, char **filters, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!matches(o, filters[i]))
			return false;
	return true;
}

typedef void (*line_fn)(struct json_object *o, void *ctx);

/* Call @fn on each line's object; exit 1 at a line that is not one. */
static unsigned long for_each_line(const char *path, line_fn fn, void *ctx)
{
	FILE *f = open_input(path);
	unsigned long n = 0;
	struct json_object *o;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	while ((len = getline(&line, &cap, f)) >= 0) {
		n++;
		if (len && line[len - 1] == '\n')
			line[--len] = 0;
		o = parse(line, len);
		if (!o || !json_object_is_type(o, json_type_object)) {
			fprintf(stderr, "ndjson: %s:%lu: not a JSON object\n",
				fname, n);
			exit(1);
		}
		if (fn)
			fn(o, ctx);
		json_object_put(o);
	}
	if (ferror(f)) {
		fprintf(stderr, "ndjson: %s: %s\n", fname, strerror(errno));
		exit(2);
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return n;
}

struct select {
	char **filters;
	int nfilters;
	const char *field;	/* sum: the field to add */
	uint64_t total;
};

static void count_line(struct json_object *o, void *ctx)
{
	struct select *s = ctx;

	if (matches_all(o, s->filters, s->nfilters))
		s->total++;
}

static void sum_line(struct json_object *o, void *ctx)
{
	struct select *s = ctx;
	struct json_object *v;
	uint64_t u;

	/* lines without FIELD, or with it null, add nothing */
	if (!matches_all(o, s->filters, s->nfilters) ||
	    !json_object_object_get_ex(o, s->field, &v) || !v)
		return;
	/* a uint64 above INT64_MAX reads as INT64_MAX here: not negative */
	if (!json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) < 0) {
		fprintf(stderr, "ndjson: %s: %s is not an unsigned integer: %s\n",
			fname, s->field, json_object_to_json_string(v));
		exit(1);
	}
	u = json_object_get_uint64(v);
	if (s->total + u < u) {
		fprintf(stderr, "ndjson: %s: the sum of %s overflows\n",
			fname, s->field);
		exit(1);
	}
	s->total += u;
}

static struct json_object *read_document(const char *path)
{
	FILE *f = open_input(path);
	size_t len = 0, cap = 0;
	struct json_object *o;
	char *buf = NULL;
	size_t n;

	do {
		if (cap - len < 4096) {
			cap = cap ? 2 * cap : 65536;
			buf = realloc(buf, cap + 1);
			if (!buf) {
				fprintf(stderr, "ndjson: out of memory\n");
				exit(2);
			}
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	if (ferror(f)) {
		fprintf(stderr, "ndjson: %s: %s\n", fname, strerror(errno));
		exit(2);
	}
	if (f != stdin)
		fclose(f);
	buf[len] = 0;
	o = parse(buf, len);
	free(buf);
	if (!o) {
		fprintf(stderr, "ndjson: %s: not one JSON document\n", fname);
		exit(1);
	}
	return o;
}

/*
 * The value at @path in @root into @v (NULL for a JSON null); false,
 * reported, when there is none.
 */
static bool lookup(struct json_object *root, const char *path,
		   struct json_object **v)
{
	if (json_path_find(root, path, v))
		return true;
	fprintf(stderr, "ndjson: %s: no value at %s\n", fname, path);
	return false;
}

static int cmd_get(const char *path, const char *at, bool length)
{
	struct json_object *root = read_document(path), *v;
	int ret = 0;

	if (!lookup(root, at, &v)) {
		ret = 1;
	} else if (length && json_object_is_type(v, json_type_array)) {
		printf("%zu\n", json_object_array_length(v));
	} else if (length && json_object_is_type(v, json_type_object)) {
		printf("%d\n", json_object_object_length(v));
	} else if (length) {
		fprintf(stderr, "ndjson: %s: %s is not an array\n", fname, at);
		ret = 1;
	} else if (json_object_is_type(v, json_type_string)) {
		printf("%s\n", json_object_get_string(v));
	} else {
		/* objects and arrays as JSON; numbers, true, null as written */
		printf("%s\n", json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	}
	json_object_put(root);
	return ret;
}

int main(int argc, char **argv)
{
	struct select s = {};
	const char *cmd = argc > 2 ? argv[1] : "";

	if (!strcmp(cmd, "check") && argc == 3) {
		printf("%lu\n", for_each_line(argv[2], NULL, NULL));
		return 0;
	}
	if (!strcmp(cmd, "count")) {
		s.filters = argv + 3;
		s.nfilters = argc - 3;
		for_each_line(argv[2], count_line, &s);
		printf("%" PRIu64 "\n", s.total);
		return 0;
	}
	if (!strcmp(cmd, "sum") && argc >= 4) {
		s.field = argv[3];
		s.filters = argv + 4;
		s.nfilters = argc - 4;
		for_each_line(argv[2], sum_line, &s);
		printf("%" PRIu64 "\n", s.total);
		return 0;
	}
	if ((!strcmp(cmd, "get") || !strcmp(cmd, "len")) && argc == 4)
		return cmd_get(argv[2], argv[3], !strcmp(cmd, "len"));
	fputs(usage, stderr);
	return 2;
}
