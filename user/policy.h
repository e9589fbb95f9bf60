/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef SROSCOPE_POLICY_H
#define SROSCOPE_POLICY_H

int cmd_policy(int argc, char **argv);

#endif
