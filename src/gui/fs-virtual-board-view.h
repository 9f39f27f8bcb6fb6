/* fs-virtual-board-view.h: the hands of whoever uses a virtual board
 *
 * Reset, the BOOT button, the jumper from IO0 to GND, the profile's own
 * button to hold (the Vigotech's Power button) and the USB cable, sent to
 * the in-process board as the commands flash-studio-sim takes on its
 * standard input. The switches follow the board: two views of one board
 * (the window's and a prompt's) agree.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fs-board-profile.h"
#include "fs-sim-board.h"
#include "fs-transport.h"

G_BEGIN_DECLS

#define FS_TYPE_VIRTUAL_BOARD_VIEW (fs_virtual_board_view_get_type ())
G_DECLARE_FINAL_TYPE (FsVirtualBoardView, fs_virtual_board_view, FS, VIRTUAL_BOARD_VIEW, AdwBin)

GtkWidget  *fs_virtual_board_view_new         (void);
/* The board behind @transport when it is a virtual one, @profile for
 * its own button; hidden for any other transport or NULL */
void        fs_virtual_board_view_set_transport (FsVirtualBoardView *self,
                                                 FsTransport        *transport,
                                                 FsBoardProfile     *profile);
FsSimBoard *fs_virtual_board_view_get_board   (FsVirtualBoardView *self);

G_END_DECLS
