// SPDX-License-Identifier: GPL-2.0
/*
 * kstrtou64() as the kernel documents it (lib/kstrtox.c), for kernel
 * parsers built in user space: an optional '+', then digits in @base (0:
 * "0x" hex, leading "0" octal, else decimal), one optional trailing
 * newline and nothing else. -EINVAL for anything else, -ERANGE past
 * U64_MAX.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <linux/kstrtox.h>

int kstrtou64(const char *s, unsigned int base, u64 *res)
{
	unsigned int d, n = 0;
	u64 v = 0;

	if (*s == '+')
		s++;
	if (!base) {
		if (s[0] == '0' && tolower((unsigned char)s[1]) == 'x' &&
		    isxdigit((unsigned char)s[2]))
			base = 16;
		else
			base = s[0] == '0' ? 8 : 10;
	}
	if (base == 16 && s[0] == '0' && tolower((unsigned char)s[1]) == 'x')
		s += 2;
	for (;; s++, n++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (tolower((unsigned char)*s) >= 'a' &&
			 tolower((unsigned char)*s) <= 'f')
			d = tolower((unsigned char)*s) - 'a' + 10;
		else
			break;
		if (d >= base)
			break;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (!n)
		return -EINVAL;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = v;
	return 0;
}
