/* fs-transport-rfc2217.h: a serial port over the network, lines and baud included
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-transport.h"

G_BEGIN_DECLS

#define FS_TYPE_TRANSPORT_RFC2217 (fs_transport_rfc2217_get_type ())
G_DECLARE_FINAL_TYPE (FsTransportRfc2217, fs_transport_rfc2217, FS, TRANSPORT_RFC2217, FsTransport)

/* Telnet with the COM port option (RFC 2217), as ser2net, esp_rfc2217_server
 * and the virtual board serve it: DTR, RTS and the baud reach the board. */
FsTransport *fs_transport_rfc2217_new (const char *host,
                                       guint16     port,
                                       const char *name);

G_END_DECLS
