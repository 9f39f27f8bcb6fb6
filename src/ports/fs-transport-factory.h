/* fs-transport-factory.h: the transport for a port as the user names it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-transport.h"

G_BEGIN_DECLS

/* "socket://HOST:PORT", "rfc2217://HOST:PORT", "sim:BOARD-ID" (a virtual
 * board in this process, its flash kept in
 * g_get_user_data_dir()/flash-studio/virtual/BOARD-ID.bin, with a real
 * board's timing unless FLASH_STUDIO_SIM_TIMING=instant) or a device
 * path (libserialport, or plain termios for a pty). Not open yet.
 * FS_ERROR_INVALID_ARGUMENT for a malformed address, FS_ERROR_NOT_FOUND
 * for a device or board that does not exist. */
FsTransport *fs_transport_new_for_port (const char  *port,
                                        GError     **error);
/* Where the virtual board @board_id keeps its flash */
char        *fs_transport_sim_flash_path (const char *board_id);

G_END_DECLS
