/* fs-flash-view.h: the selected board's flash — its map, its FOTA slots
 * and its backups
 *
 * Shows the map of a source the user picks: one of the profile's layouts,
 * or "On the board" (the table read back, with differences from the VM's
 * layout marked); a running job's sectors over it; under it the same
 * regions as a table (template child "region_table"), with what each VM
 * slot holds, selected with the map. Asks before changing
 * anything, then leaves the job to the window's actions: win.read-slots,
 * win.switch-slot (i), win.restore-backup (s), win.delete-backup (s).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fs-board-session.h"
#include "fs-flash-map.h"

G_BEGIN_DECLS

#define FS_TYPE_FLASH_VIEW (fs_flash_view_get_type ())
G_DECLARE_FINAL_TYPE (FsFlashView, fs_flash_view, FS, FLASH_VIEW, GtkWidget)

/* Property "session" */
void            fs_flash_view_set_session   (FsFlashView    *self,
                                             FsBoardSession *session);
/* Property "source": a layout name, or "board" */
void            fs_flash_view_set_source    (FsFlashView    *self,
                                             const char     *source);
const char     *fs_flash_view_get_source    (FsFlashView    *self);
FsFlashMap     *fs_flash_view_get_map       (FsFlashView    *self);

/* Actions: flash.boot-other-slot, flash.roll-back (each asks first,
 * naming the slot and what it holds) */

G_END_DECLS
