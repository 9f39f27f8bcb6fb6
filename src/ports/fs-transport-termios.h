/* fs-transport-termios.h: a serial device through plain termios
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-transport.h"

G_BEGIN_DECLS

#define FS_TYPE_TRANSPORT_TERMIOS (fs_transport_termios_get_type ())
G_DECLARE_FINAL_TYPE (FsTransportTermios, fs_transport_termios, FS, TRANSPORT_TERMIOS, FsTransport)

/* For what libserialport cannot open: a pseudo-terminal (the virtual
 * board's --pty, socat, network-serial bridges) has neither lines nor a
 * baud that reaches anything; any other tty gets both. */
FsTransport *fs_transport_termios_new (const char *device_path);

G_END_DECLS
