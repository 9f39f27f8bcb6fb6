/* fs-application.h: Flash Studio, the application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fs-board-catalog.h"
#include "fs-device-registry.h"
#include "fs-port-discovery.h"

G_BEGIN_DECLS

#define FS_TYPE_APPLICATION (fs_application_get_type ())
G_DECLARE_FINAL_TYPE (FsApplication, fs_application, FS, APPLICATION, AdwApplication)

FsApplication    *fs_application_new            (void);
/* What every window shares: the boards Flash Studio knows, the ports
 * discovery sees (udev, and the virtual board), the registered boards */
FsBoardCatalog   *fs_application_get_catalog    (FsApplication *self);
FsPortDiscovery  *fs_application_get_discovery  (FsApplication *self);
FsDeviceRegistry *fs_application_get_registry   (FsApplication *self);
GSettings        *fs_application_get_settings   (FsApplication *self);

G_END_DECLS
