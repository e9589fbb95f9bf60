/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The exporter's seccomp filter. */
#ifndef SROSCOPE_SANDBOX_H
#define SROSCOPE_SANDBOX_H

/*
 * Allow only the system calls that serving scrapes and stopping make,
 * from now on, in this thread and the threads it starts; any other kills
 * the process. Needs no_new_privs (drop_privileges()) or CAP_SYS_ADMIN.
 * On a kernel without seccomp filters, says so on stderr and returns 0.
 * @what names the command in messages. 0 or -errno.
 */
int sandbox_serving(const char *what);

#endif
