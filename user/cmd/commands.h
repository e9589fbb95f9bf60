/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The subcommands of sroscope, one file each (user/cmd/cmd_*.c): argument
 * parsing and rendering over the libraries of user/lib, user/export and
 * user/lab.
 */
#ifndef SROSCOPE_COMMANDS_H
#define SROSCOPE_COMMANDS_H

#include <stdint.h>

int cmd_trace(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_hist(int argc, char **argv);
int cmd_leaks(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_policy(int argc, char **argv);

#endif
