/* fs-sim-server.h: the ports a virtual board is reached through
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fs-sim-board.h"

G_BEGIN_DECLS

typedef enum {
  FS_SIM_SERVE_PTY,        /* a pseudo-terminal: no control lines, no baud */
  FS_SIM_SERVE_TCP,        /* raw TCP, as QEMU and ser2net serve a UART */
  FS_SIM_SERVE_RFC2217,    /* Telnet with the COM port option: DTR, RTS and baud reach the board */
} FsSimServeKind;

#define FS_TYPE_SIM_SERVER (fs_sim_server_get_type ())
G_DECLARE_FINAL_TYPE (FsSimServer, fs_sim_server, FS, SIM_SERVER, GObject)

/* Serves @board until finalized; one client at a time. @port 0 picks a
 * free TCP port. A pty is reached through a symbolic link that stays
 * the same when the board is unplugged and plugged back in, as a USB
 * port's name would. */
FsSimServer *fs_sim_server_new         (FsSimBoard      *board,
                                        FsSimServeKind   kind,
                                        guint16          port,
                                        GError         **error);
/* Serves @board on @fd, the master side of a pty that someone else owns
 * and keeps open (umockdev's end of a mock USB serial port); @name is the
 * port's name for the address. */
FsSimServer *fs_sim_server_new_for_fd  (FsSimBoard      *board,
                                        int              fd,
                                        const char      *name);
/* What a client opens: the pty's link, "socket://127.0.0.1:PORT" or
 * "rfc2217://127.0.0.1:PORT" */
const char  *fs_sim_server_get_address (FsSimServer     *self);

G_END_DECLS
