/* fs-test-session.h: a board session on an in-process virtual board, run
 * step by step from a test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-board-session.h"
#include "fs-sim-board.h"

G_BEGIN_DECLS

/* A GAsyncReadyCallback that keeps the result in *(GAsyncResult **) @user_data */
void            fs_test_session_done      (GObject        *source,
                                           GAsyncResult   *result,
                                           gpointer        user_data);
/* Iterates the default main context until *@result is set */
GAsyncResult   *fs_test_session_wait      (GAsyncResult  **result);
/* The virtual board @board_id as the window sees it, and a session on it */
FsBoardSession *fs_test_session_new       (FsDeviceRegistry *registry,
                                           const char       *board_id);
/* Register, without a backup; the test fails on an error */
void            fs_test_session_register  (FsBoardSession *session);
/* The virtual board behind the session */
FsSimBoard     *fs_test_session_sim_board (FsBoardSession *session);

G_END_DECLS
