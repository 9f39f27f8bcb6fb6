/* fs-vm-set.h: what Virtualize writes, made from a firmware package and a layout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "fs-chip.h"
#include "fs-layout.h"

G_BEGIN_DECLS

#define FS_TYPE_VM_SET (fs_vm_set_get_type ())
G_DECLARE_FINAL_TYPE (FsVmSet, fs_vm_set, FS, VM_SET, GObject)

/* @path is an app image, a merged image, or an ESP Web Tools manifest
 * (its parts read from beside it). The set holds the package's bootloader
 * (when it has one) at the chip's bootloader offset, the partition table
 * of @layout at 0x8000, otadata that boots VM slot 0, and the package's
 * app in the layout's VM slot 0 — the package's own table and otadata are
 * replaced by the layout's. A package that cannot be used fails with
 * FS_ERROR_INVALID_DATA and says why in one sentence: not an image, built
 * for another chip, too big for the slot, damaged (checksum, SHA-256). */
FsVmSet    *fs_vm_set_new_from_file      (const char  *path,
                                          FsLayout    *layout,
                                          FsChipId     chip,
                                          GError     **error);
/* The same from the parts of a package already read: @bootloader may be NULL */
FsVmSet    *fs_vm_set_new                (GBytes      *app,
                                          GBytes      *bootloader,
                                          const char  *name,
                                          FsLayout    *layout,
                                          FsChipId     chip,
                                          GError     **error);
FsLayout   *fs_vm_set_get_layout         (FsVmSet     *self);
/* "MicroPython v1.22.0" from the app's description, or the file's name */
const char *fs_vm_set_get_title          (FsVmSet     *self);
gboolean    fs_vm_set_get_has_bootloader (FsVmSet     *self);
/* Of FsFlashPart, in address order, named "bootloader", "partition-table",
 * "otadata" and the VM slot's id */
GPtrArray  *fs_vm_set_get_parts          (FsVmSet     *self);

G_END_DECLS
