/* fs-test-util.h: what the tests that talk to a board share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A SYNC command, SLIP-framed, ready to write to a board */
GByteArray *fs_test_framed_sync   (void);
/* How many successful ROM replies to @opcode are in @data, a stream of
 * bytes from a board (frames, and whatever it printed between them) */
guint       fs_test_count_replies (const guint8 *data,
                                   gsize         len,
                                   guint8        opcode);

/* Removes @path and everything under it (a test's temporary folder) */
void        fs_test_remove_tree   (const char   *path);

G_END_DECLS
