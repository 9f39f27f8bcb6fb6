/* fs-transport-sim.h: a virtual board in this process, as a port
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-sim-board.h"
#include "fs-transport.h"

G_BEGIN_DECLS

#define FS_TYPE_TRANSPORT_SIM (fs_transport_sim_get_type ())
G_DECLARE_FINAL_TYPE (FsTransportSim, fs_transport_sim, FS, TRANSPORT_SIM, FsTransport)

/* DTR, RTS and the baud reach @board as through a USB bridge */
FsTransport *fs_transport_sim_new       (FsSimBoard     *board,
                                         const char     *name);
FsSimBoard  *fs_transport_sim_get_board (FsTransportSim *self);

G_END_DECLS
