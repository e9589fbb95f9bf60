/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Small SVG charts written inline into the replay report (no scripts, no
 * network): line charts of series over time, and horizontal bars.
 */
#ifndef SROSCOPE_SVG_H
#define SROSCOPE_SVG_H

#include <stddef.h>
#include <stdio.h>

struct svg_series {
	const char *name;
	const double *x;
	const double *y;
	size_t n;
};

/*
 * How axis values and labels print: format_bytes_d and format_ns_fine
 * (format.h) for sizes and durations, or one of these.
 */
typedef char *(*svg_fmt_fn)(char *buf, size_t len, double v);

/* A count or a share, as "%g". */
char *svg_fmt_plain(char *buf, size_t len, double v);
/* Milliseconds, as format_ns_fine: "1.50 ms", "2.25 s". */
char *svg_fmt_ms(char *buf, size_t len, double ms);

/* A line chart of @n series (steps: the value holds until the next). */
void svg_line_chart(FILE *f, const char *title, const struct svg_series *s,
		    size_t n, svg_fmt_fn fx, svg_fmt_fn fy, int steps);

/* Horizontal bars, @n labels and values, grouped by @group (a color each). */
void svg_bar_chart(FILE *f, const char *title, const char *const *labels,
		   const double *values, const int *group, size_t n,
		   svg_fmt_fn fv, int log_scale);

/* Write @s with &, <, >, " escaped. */
void html_escape(FILE *f, const char *s);

/* The color of series or group @i. */
const char *svg_color(size_t i);

#endif
