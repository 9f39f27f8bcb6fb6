/* fs-create-vm-dialog.h: Create VM — a firmware package and a layout
 *
 * The user picks a firmware file (an app image, a merged image or an ESP
 * Web Tools manifest; GtkFileChooserNative), or on a virtual board the
 * demo firmware that Flash Studio makes, and the BLE or non-BLE layout
 * of the board's profile, sees the layout's regions, and any problem with
 * the package inline (Create stays insensitive until there is none).
 * Create stores the VM set with fs_board_session_create_vm() and closes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fs-board-session.h"

G_BEGIN_DECLS

#define FS_TYPE_CREATE_VM_DIALOG (fs_create_vm_dialog_get_type ())
G_DECLARE_FINAL_TYPE (FsCreateVmDialog, fs_create_vm_dialog, FS, CREATE_VM_DIALOG, AdwWindow)

FsCreateVmDialog *fs_create_vm_dialog_new        (FsBoardSession   *session);
/* Property "file": the package's path, as the file chooser sets it */
void              fs_create_vm_dialog_set_file   (FsCreateVmDialog *self,
                                                  const char       *path);
/* Property "demo" (read-only): the demo firmware is chosen, in place of
 * a file (action "create-vm.use-demo", shown on a virtual board only) */
void              fs_create_vm_dialog_use_demo   (FsCreateVmDialog *self);
/* Property "layout": a layout name of the profile ("esp32-8mb-ble") */
void              fs_create_vm_dialog_set_layout (FsCreateVmDialog *self,
                                                  const char       *layout);
/* Property "problem": what is wrong with the package, or NULL */
const char       *fs_create_vm_dialog_get_problem (FsCreateVmDialog *self);

/* Actions: "create-vm.choose-file", "create-vm.use-demo", "create-vm.create" (enabled when a
 * valid package and a layout are chosen) */

G_END_DECLS
