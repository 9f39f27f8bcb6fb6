/* fs-demo.c
 *
 * The package is built with the project (src/sim/demo) and compiled in,
 * so that the window offers it wherever the app was installed or built.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "fs-demo.h"
#include "fs-demo-resources.h"
#include "fs-image.h"
#include "fs-sim-demo.h"

GBytes *
fs_demo_dup_part (const char  *name,
                  GError     **error)
{
  const char *file_name = fs_sim_demo_get_file_name (name);
  g_autofree char *path = NULL;

  g_return_val_if_fail (file_name != NULL, NULL);

  path = g_strconcat (FS_DEMO_RESOURCE_PATH, file_name, NULL);
  return g_resource_lookup_data (fs_demo_data_get_resource (), path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
}

FsVmSet *
fs_demo_new_vm_set (FsLayout  *layout,
                    FsChipId   chip,
                    GError   **error)
{
  g_autoptr(GBytes) bootloader = fs_demo_dup_part ("bootloader", error);
  g_autoptr(GBytes) app = bootloader != NULL ? fs_demo_dup_part ("app", error) : NULL;

  if (app == NULL)
    return NULL;
  return fs_vm_set_new (app, bootloader, fs_demo_get_title (), layout, chip, error);
}

const char *
fs_demo_get_title (void)
{
  return _("Demo firmware for the virtual board");
}

gboolean
fs_demo_is_demo_app (GBytes *image)
{
  g_autoptr(FsImage) parsed = NULL;
  const FsAppDesc *desc;

  g_return_val_if_fail (image != NULL, FALSE);

  parsed = fs_image_new_from_bytes (image, NULL);
  desc = parsed != NULL ? fs_image_get_app_desc (parsed) : NULL;
  return desc != NULL && g_str_equal (desc->project_name, FS_SIM_DEMO_PROJECT);
}
