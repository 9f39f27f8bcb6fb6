/* fs-port-discovery.h: the serial ports a board may be on, kept up to date
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fs-board-catalog.h"
#include "fs-port-info.h"

G_BEGIN_DECLS

#define FS_PORT_DISCOVERY_DEFAULT_VIRTUAL_BOARD "heltec-wifi-kit-32"

#define FS_TYPE_PORT_DISCOVERY (fs_port_discovery_get_type ())
G_DECLARE_FINAL_TYPE (FsPortDiscovery, fs_port_discovery, FS, PORT_DISCOVERY, GObject)

/* A GListModel of FsPortInfo: the USB serial ports (sorted by name; ports
 * that are not on USB, such as ttyS0, are left out), then, when
 * "virtual-board-enabled" is set, a virtual board for every profile of
 * the catalog: "virtual-board-id" first, the others by name. Each port's boards come
 * from @catalog. The choices the user made for USB serial numbers are
 * kept in g_get_user_config_dir()/flash-studio/port-choices.ini.
 * The USB ports are listed from fs_port_discovery_start() on. */
FsPortDiscovery *fs_port_discovery_new            (FsBoardCatalog   *catalog);
/* Lists the ports there are now, then follows hotplug (udev) in the
 * thread-default main context of the caller, which must stay the same. */
gboolean         fs_port_discovery_start          (FsPortDiscovery  *self,
                                                   GError          **error);
/* Property "virtual-board-enabled": list "sim:ID" as a port for every
 * profile ID. Property "virtual-board-id": the one listed first, which a
 * window with no real board opens (FS_PORT_DISCOVERY_DEFAULT_VIRTUAL_BOARD) */
void             fs_port_discovery_set_virtual_board_enabled (FsPortDiscovery *self,
                                                              gboolean         enabled);
gboolean         fs_port_discovery_get_virtual_board_enabled (FsPortDiscovery *self);
void             fs_port_discovery_set_virtual_board_id      (FsPortDiscovery *self,
                                                              const char      *board_id);
const char      *fs_port_discovery_get_virtual_board_id      (FsPortDiscovery *self);
/* The listed port named @name ("/dev/ttyUSB0", "sim:…"), or NULL */
FsPortInfo      *fs_port_discovery_lookup         (FsPortDiscovery  *self,
                                                   const char       *name);
/* The user says which board @port is: it becomes the port's profile, and
 * that of every listed and future port with the same USB ids and serial
 * number, remembered across runs (the file is written atomically). A port
 * without a serial number is changed, but nothing can be remembered for
 * it. @profile_id may be any board of the catalog, not only a candidate
 * (a board whose bridge no profile names): FS_ERROR_NOT_FOUND if none. */
gboolean         fs_port_discovery_choose_profile (FsPortDiscovery  *self,
                                                   FsPortInfo       *port,
                                                   const char       *profile_id,
                                                   GError          **error);

G_END_DECLS
