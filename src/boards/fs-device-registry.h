/* fs-device-registry.h: the boards Flash Studio has met, one file each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "fs-device-record.h"

G_BEGIN_DECLS

#define FS_TYPE_DEVICE_REGISTRY (fs_device_registry_get_type ())
G_DECLARE_FINAL_TYPE (FsDeviceRegistry, fs_device_registry, FS, DEVICE_REGISTRY, GObject)

/* Changes @record in fs_device_registry_update(); return FALSE with
 * @error set to leave the file as it was */
typedef gboolean (*FsDeviceUpdateFunc) (FsDeviceRecord  *record,
                                        gpointer         user_data,
                                        GError         **error);

/* The registry in @dir, where each record is "MAC.json" (the MAC with
 * '-' for ':') and its backups are in the folder "MAC/backups". NULL:
 * g_get_user_data_dir()/flash-studio/devices. The folder is made when
 * the first record is written. */
FsDeviceRegistry *fs_device_registry_new             (const char        *dir);
const char       *fs_device_registry_get_dir         (FsDeviceRegistry  *self);
/* The record of the board with @mac. FS_ERROR_NOT_FOUND when there is
 * none; a damaged file: FS_ERROR_INVALID_DATA, its message starting with
 * the file's path. */
FsDeviceRecord   *fs_device_registry_load            (FsDeviceRegistry  *self,
                                                      const char        *mac,
                                                      GError           **error);
/* Writes @record atomically (a reader sees the old file or the new), under
 * the record's lock. It replaces whatever is there: to change a record that
 * others may change too, use fs_device_registry_update(). */
gboolean          fs_device_registry_save            (FsDeviceRegistry  *self,
                                                      FsDeviceRecord    *record,
                                                      GError           **error);
/* Read, change, write, with the record locked all along (flock on a lock
 * file beside it), so that updates from other threads and processes are
 * not lost. A board without a record gets a new empty one. A damaged
 * record is not overwritten: the update fails with the load's error. */
gboolean          fs_device_registry_update          (FsDeviceRegistry  *self,
                                                      const char        *mac,
                                                      FsDeviceUpdateFunc func,
                                                      gpointer           user_data,
                                                      GError           **error);
/* Every record that loads, sorted by nickname then MAC; a file that does
 * not load is left out and told in @problems (FsProblem, the subject its
 * path, the message starting with the path). Fails only when the folder
 * exists and cannot be read. */
GPtrArray        *fs_device_registry_list            (FsDeviceRegistry  *self,
                                                      GPtrArray        **problems,
                                                      GError           **error);
/* The folder @name ("vm") beside the record of the board with @mac,
 * made if needed, for the files the record names */
char             *fs_device_registry_dup_files_dir   (FsDeviceRegistry  *self,
                                                      const char        *mac,
                                                      const char        *name,
                                                      GError           **error);
/* A path for a new backup of the flash of the board with @mac, in its
 * backup folder (made if needed), named after the time and never the
 * name of a file that is there already. */
char             *fs_device_registry_new_backup_path (FsDeviceRegistry  *self,
                                                      const char        *mac,
                                                      GError           **error);

G_END_DECLS
