/* fs-test-board.h: a virtual board for the tests that serve one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-sim-board.h"

G_BEGIN_DECLS

/* A 4 MiB board in instant mode, its flash file in a new folder: @dir */
FsSimBoard *fs_test_board_new        (char **dir);
/* The same with the timing of a real board: the link at its baud, a
 * W25Q64JV's erase and program times */
FsSimBoard *fs_test_board_new_timed  (char **dir);
/* Removes the flash file and the folder fs_test_board_new() made, and frees @dir */
void        fs_test_board_remove_dir (char  *dir);

G_END_DECLS
