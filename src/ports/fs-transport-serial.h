/* fs-transport-serial.h: a local serial port, through libserialport
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-transport.h"

G_BEGIN_DECLS

#define FS_TYPE_TRANSPORT_SERIAL (fs_transport_serial_get_type ())
G_DECLARE_FINAL_TYPE (FsTransportSerial, fs_transport_serial, FS, TRANSPORT_SERIAL, FsTransport)

/* A port libserialport knows (sp_get_port_by_name): USB bridges, on-board
 * UARTs. Not a pty: see fs-transport-termios.h. */
FsTransport *fs_transport_serial_new                   (const char *device_path);

/* What to tell a user who may not open @device_path: the group that owns
 * it (“dialout” on Debian and Ubuntu, “uucp” on Arch) and the udev rule
 * that grants the logged-in user access instead. */
char        *fs_transport_describe_permission_problem (const char *device_path);

G_END_DECLS
