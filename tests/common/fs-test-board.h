/* fs-test-board.h: a virtual board for the tests that serve one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-sim-board.h"

G_BEGIN_DECLS

/* A 4 MiB board in instant mode, its flash file in a new folder: @dir */
FsSimBoard *fs_test_board_new        (char **dir);
/* The same with @flash_size bytes of flash */
FsSimBoard *fs_test_board_new_sized  (char   **dir,
                                      guint64  flash_size);
/* The same with the timing of a real board: the link at its baud, a
 * W25Q64JV's erase and program times */
FsSimBoard *fs_test_board_new_timed  (char **dir);
/* Removes the flash file and the folder fs_test_board_new() made, and frees @dir */
void        fs_test_board_remove_dir (char  *dir);

/* Everything @board sends until it has been quiet for @quiet_ms */
GByteArray *fs_test_board_read_until_quiet (FsSimBoard *board,
                                            guint       quiet_ms);
/* The same as text */
char       *fs_test_board_read_text        (FsSimBoard *board,
                                            guint       quiet_ms);
/* Holds @board in reset (RTS alone pulls EN low), what it sent before
 * read and dropped; or lets it go and waits until it runs */
void        fs_test_board_hold_reset       (FsSimBoard *board,
                                            gboolean    held);
/* Erases the sectors @bytes covers at @offset and programs it, as an
 * upload does */
void        fs_test_board_write_flash      (FsSimBoard *board,
                                            guint32     offset,
                                            GBytes     *bytes);

G_END_DECLS
