// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <math.h>
#include <string.h>

#include "format.h"
#include "svg.h"

#define W	720
#define H	260
#define ML	80	/* margins: left, right, top, bottom */
#define MR	150
#define MT	30
#define MB	40

static const char *const colors[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
};

const char *svg_color(size_t i)
{
	return colors[i % (sizeof(colors) / sizeof(colors[0]))];
}

void html_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

char *svg_fmt_plain(char *buf, size_t len, double v)
{
	snprintf(buf, len, "%g", v);
	return buf;
}

char *svg_fmt_ms(char *buf, size_t len, double ms)
{
	return format_ns_fine(buf, len, ms * 1e6);
}

/* A "nice" axis maximum: 1, 2 or 5 times a power of ten, >= @v. */
static double nice_max(double v)
{
	double p, m;

	if (v <= 0)
		return 1;
	p = pow(10, floor(log10(v)));
	m = v / p;
	return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

static void frame(FILE *f, const char *title, int width, int height)
{
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		   "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">\n",
		width, height, width, height);
	fprintf(f, "<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"bold\">", ML);
	html_escape(f, title);
	fputs("</text>\n", f);
}

void svg_line_chart(FILE *f, const char *title, const struct svg_series *s,
		    size_t n, svg_fmt_fn fx, svg_fmt_fn fy, int steps)
{
	double xmax = 0, ymax = 0, px, py, lx = 0, ly = 0;
	const int pw = W - ML - MR, ph = H - MT - MB;
	char buf[32];
	size_t i, j;
	int t;

	for (i = 0; i < n; i++)
		for (j = 0; j < s[i].n; j++) {
			xmax = fmax(xmax, s[i].x[j]);
			ymax = fmax(ymax, s[i].y[j]);
		}
	xmax = nice_max(xmax);
	ymax = nice_max(ymax);
	frame(f, title, W, H);
	for (t = 0; t <= 4; t++) {
		py = MT + ph - ph * t / 4.0;
		fy(buf, sizeof(buf), ymax * t / 4);
		fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
			   "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
			ML, py, ML + pw, py, ML - 5, py + 4, buf);
		px = ML + pw * t / 4.0;
		fx(buf, sizeof(buf), xmax * t / 4);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
			px, MT + ph + 16, buf);
	}
	for (i = 0; i < n; i++) {
		fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" points=\"",
			svg_color(i));
		for (j = 0; j < s[i].n; j++) {
			px = ML + pw * s[i].x[j] / xmax;
			py = MT + ph - ph * s[i].y[j] / ymax;
			if (steps && j)
				fprintf(f, "%.1f,%.1f ", px, ly);
			fprintf(f, "%.1f,%.1f ", px, py);
			lx = px;
			ly = py;
		}
		(void)lx;
		fputs("\"/>\n", f);
		fprintf(f, "<rect x=\"%d\" y=\"%zu\" width=\"10\" height=\"10\" fill=\"%s\"/>"
			   "<text x=\"%d\" y=\"%zu\">", ML + pw + 12, MT + 16 * i, svg_color(i),
			ML + pw + 26, MT + 16 * i + 9);
		html_escape(f, s[i].name);
		fputs("</text>\n", f);
	}
	fputs("</svg>\n", f);
}

void svg_bar_chart(FILE *f, const char *title, const char *const *labels,
		   const double *values, const int *group, size_t n,
		   svg_fmt_fn fv, int log_scale)
{
	const int bh = 14, lw = 220, pw = W - lw - 90;
	double vmax = 0, w, lo = 1;
	int height = MT + (int)n * (bh + 4) + 10;
	char buf[32];
	size_t i;

	for (i = 0; i < n; i++)
		vmax = fmax(vmax, values[i]);
	if (log_scale) {
		for (i = 0; i < n; i++)
			if (values[i] > 0 && (lo == 1 || values[i] < lo))
				lo = values[i];
		lo = pow(10, floor(log10(lo)));
	}
	frame(f, title, W, height);
	for (i = 0; i < n; i++) {
		int y = MT + (int)i * (bh + 4);

		if (vmax <= 0)
			w = 0;
		else if (log_scale)
			w = values[i] > lo ? pw * log10(values[i] / lo) /
					     log10(nice_max(vmax) / lo) : 1;
		else
			w = pw * values[i] / nice_max(vmax);
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", lw - 6, y + 11);
		html_escape(f, labels[i]);
		fv(buf, sizeof(buf), values[i]);
		fprintf(f, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
			   "<text x=\"%.1f\" y=\"%d\">%s</text>\n",
			lw, y, w, bh, svg_color(group[i]), lw + w + 4, y + 11, buf);
	}
	fputs("</svg>\n", f);
}
