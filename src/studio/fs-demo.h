/* fs-demo.h: the demo firmware for the virtual board, as the studio offers it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fs-vm-set.h"

G_BEGIN_DECLS

/* Where the package lies among the app's resources */
#define FS_DEMO_RESOURCE_PATH "/io/github/flashstudio/FlashStudio/demo/"

/* A part of the package, by the names of fs-sim-demo.h: "bootloader",
 * "partition-table", "app", "program-1", "program-2" or "manifest" */
GBytes     *fs_demo_dup_part    (const char  *name,
                                 GError     **error);
/* The demo's VM set for @layout: its bootloader, @layout's table and
 * otadata, and its VM, as Create VM makes one from a package */
FsVmSet    *fs_demo_new_vm_set  (FsLayout    *layout,
                                 FsChipId     chip,
                                 GError     **error);
/* "Demo firmware for the virtual board", translated */
const char *fs_demo_get_title   (void);
/* Whether @image is the demo's app (its description names
 * FS_SIM_DEMO_PROJECT): a real ESP32 cannot run it */
gboolean    fs_demo_is_demo_app (GBytes      *image);

G_END_DECLS
