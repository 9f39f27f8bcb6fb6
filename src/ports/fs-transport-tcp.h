/* fs-transport-tcp.h: a UART served over raw TCP (QEMU, ser2net)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-transport.h"

G_BEGIN_DECLS

#define FS_TYPE_TRANSPORT_TCP (fs_transport_tcp_get_type ())
G_DECLARE_FINAL_TYPE (FsTransportTcp, fs_transport_tcp, FS, TRANSPORT_TCP, FsTransport)

/* No lines, no baud: only bytes. @name is what errors call the port
 * ("socket://HOST:PORT", or the URI of a protocol carried over it). */
FsTransport *fs_transport_tcp_new (const char *host,
                                   guint16     port,
                                   const char *name);

G_END_DECLS
