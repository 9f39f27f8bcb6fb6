/* cli-virtual-hands.h: what a prompt asks of the user, done by the
 * command line itself on a virtual board
 *
 * A sim: port has no one to place a jumper or press Reset: while a job
 * runs on one, its prompts are answered on the in-process board with the
 * commands flash-studio-sim takes on its standard input, each said on
 * standard error ("virtual board: Reset").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-job.h"

G_BEGIN_DECLS

typedef struct _CliVirtualHands CliVirtualHands;

/* NULL when @job's port is not a virtual board. Its prompt handlers run
 * after those connected before. */
CliVirtualHands *cli_virtual_hands_new  (FsJob           *job);
/* Lets go of what is still held, and disconnects */
void             cli_virtual_hands_free (CliVirtualHands *hands);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliVirtualHands, cli_virtual_hands_free)

G_END_DECLS
