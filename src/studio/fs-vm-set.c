/* fs-vm-set.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>

#include "fs-error.h"
#include "fs-flash.h"
#include "fs-image.h"
#include "fs-manifest.h"
#include "fs-merged.h"
#include "fs-otadata.h"
#include "fs-partition-table.h"
#include "fs-vm-set.h"

struct _FsVmSet
{
  GObject    parent_instance;

  FsLayout  *layout;
  char      *title;
  gboolean   has_bootloader;
  GPtrArray *parts;   /* of FsFlashPart */
};

G_DEFINE_FINAL_TYPE (FsVmSet, fs_vm_set, G_TYPE_OBJECT)

static void
fs_vm_set_finalize (GObject *object)
{
  FsVmSet *self = FS_VM_SET (object);

  g_clear_object (&self->layout);
  g_free (self->title);
  g_ptr_array_unref (self->parts);

  G_OBJECT_CLASS (fs_vm_set_parent_class)->finalize (object);
}

static void
fs_vm_set_class_init (FsVmSetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fs_vm_set_finalize;
}

static void
fs_vm_set_init (FsVmSet *self)
{
  self->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_flash_part_free);
}

static gint
compare_parts (gconstpointer a,
               gconstpointer b)
{
  const FsFlashPart *pa = *(const FsFlashPart * const *) a;
  const FsFlashPart *pb = *(const FsFlashPart * const *) b;

  return pa->offset < pb->offset ? -1 : pa->offset > pb->offset;
}

static char *
image_title (FsImage    *image,
             const char *name)
{
  const FsAppDesc *desc = fs_image_get_app_desc (image);

  if (desc == NULL || desc->project_name[0] == '\0')
    return g_strdup (name);
  if (desc->version[0] == '\0')
    return g_strdup (desc->project_name);
  return g_strdup_printf ("%s %s", desc->project_name, desc->version);
}

static GBytes *
otadata_booting_slot_0 (FsLayout  *layout,
                        GError   **error)
{
  g_autoptr(FsOtadata) otadata = fs_otadata_new ();
  guint n_slots = 0;

  while (fs_layout_find_slot (layout, FS_REGION_KIND_VM, n_slots) != NULL)
    n_slots++;
  if (fs_otadata_select_slot (otadata, 0, MAX (n_slots, 1), error) < 0)
    return NULL;
  return fs_otadata_to_bytes (otadata);
}

static const FsLayoutRegion *
find_otadata (FsLayout *layout)
{
  for (guint i = 0; i < fs_layout_get_n_regions (layout); i++)
    {
      const FsLayoutRegion *region = fs_layout_get_region (layout, i);

      if (region->in_partition_table && region->type == FS_PARTITION_TYPE_DATA &&
          region->subtype == FS_PARTITION_SUBTYPE_OTA)
        return region;
    }
  return NULL;
}

static gboolean
add_layout_parts (FsVmSet  *self,
                  GError  **error)
{
  g_autoptr(FsPartitionTable) table = fs_layout_to_partition_table (self->layout);
  g_autoptr(GBytes) table_bytes = fs_partition_table_to_binary (table, TRUE, error);
  const FsLayoutRegion *otadata = find_otadata (self->layout);

  if (table_bytes == NULL)
    return FALSE;
  g_ptr_array_add (self->parts, fs_flash_part_new (FS_PARTITION_TABLE_OFFSET, table_bytes,
                                                   "partition-table"));
  if (otadata != NULL)
    {
      g_autoptr(GBytes) bytes = otadata_booting_slot_0 (self->layout, error);

      if (bytes == NULL)
        return FALSE;
      g_ptr_array_add (self->parts, fs_flash_part_new (otadata->offset, bytes, otadata->id));
    }
  return TRUE;
}

FsVmSet *
fs_vm_set_new (GBytes      *app,
               GBytes      *bootloader,
               const char  *name,
               FsLayout    *layout,
               FsChipId     chip,
               GError     **error)
{
  g_autoptr(FsVmSet) self = NULL;
  g_autoptr(FsImage) image = NULL;
  g_autoptr(GError) local_error = NULL;
  const FsLayoutRegion *slot;
  const FsChipInfo *info = fs_chip_lookup (chip);

  g_return_val_if_fail (app != NULL && FS_IS_LAYOUT (layout) && info != NULL, NULL);

  slot = fs_layout_find_slot (layout, FS_REGION_KIND_VM, 0);
  if (slot == NULL)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   _("The layout “%s” has no VM slot"), fs_layout_get_name (layout));
      return NULL;
    }
  image = fs_image_new_from_bytes (app, &local_error);
  if (image == NULL || !fs_image_validate (image, chip, 0, slot->size, &local_error))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA, "%s: %s", name, local_error->message);
      return NULL;
    }

  self = g_object_new (FS_TYPE_VM_SET, NULL);
  self->layout = g_object_ref (layout);
  self->title = image_title (image, name);
  if (bootloader != NULL)
    {
      g_autoptr(FsImage) boot_image = fs_image_new_from_bytes (bootloader, &local_error);

      if (boot_image == NULL ||
          !fs_image_validate (boot_image, chip, 0, FS_PARTITION_TABLE_OFFSET - info->bootloader_offset,
                              &local_error))
        {
          g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA, _("%s: its bootloader: %s"),
                       name, local_error->message);
          return NULL;
        }
      self->has_bootloader = TRUE;
      g_ptr_array_add (self->parts, fs_flash_part_new (info->bootloader_offset, bootloader, "bootloader"));
    }
  if (!add_layout_parts (self, error))
    return NULL;
  g_ptr_array_add (self->parts, fs_flash_part_new (slot->offset, app, slot->id));
  g_ptr_array_sort (self->parts, compare_parts);
  return g_steal_pointer (&self);
}

/* The app of a package's parts: an image outside the bootloader's place */
static FsVmSet *
new_from_parts (GPtrArray   *parts,
                const char  *name,
                FsLayout    *layout,
                FsChipId     chip,
                GError     **error)
{
  const FsChipInfo *info = fs_chip_lookup (chip);
  GBytes *bootloader = NULL;
  GBytes *app = NULL;

  for (guint i = 0; i < parts->len; i++)
    {
      const FsFlashPart *part = g_ptr_array_index (parts, i);
      const guint8 *bytes = g_bytes_get_data (part->data, NULL);

      if (g_bytes_get_size (part->data) == 0 || bytes[0] != FS_IMAGE_MAGIC)
        continue;
      if (part->offset == info->bootloader_offset)
        bootloader = part->data;
      else if (app == NULL)
        app = part->data;
    }
  if (app == NULL)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("%s: the package holds no app image"), name);
      return NULL;
    }
  return fs_vm_set_new (app, bootloader, name, layout, chip, error);
}

static GPtrArray *
read_manifest_parts (const char  *path,
                     GBytes      *bytes,
                     FsChipId     chip,
                     GError     **error)
{
  g_autoptr(FsManifest) manifest = fs_manifest_new_from_bytes (bytes, error);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_flash_part_free);
  g_autofree char *dir = g_path_get_dirname (path);
  const FsManifestBuild *build;

  if (manifest == NULL)
    return NULL;
  build = fs_manifest_find_build (manifest, fs_chip_lookup (chip)->name);
  if (build == NULL)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("The manifest has no build for the %s"), fs_chip_lookup (chip)->name);
      return NULL;
    }
  for (guint i = 0; i < build->parts->len; i++)
    {
      const FsManifestPart *part = g_ptr_array_index (build->parts, i);
      g_autofree char *part_path = g_build_filename (dir, part->path, NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;
      g_autoptr(GError) local_error = NULL;

      if (!g_file_get_contents (part_path, &contents, &len, &local_error))
        {
          g_set_error (error, FS_ERROR, FS_ERROR_NOT_FOUND,
                       _("The manifest’s part “%s” could not be read: %s"), part->path,
                       local_error->message);
          return NULL;
        }
      g_autoptr(GBytes) data = g_bytes_new_take (g_steal_pointer (&contents), len);

      g_ptr_array_add (parts, fs_flash_part_new (part->offset, data, part->path));
    }
  return g_steal_pointer (&parts);
}

FsVmSet *
fs_vm_set_new_from_file (const char  *path,
                         FsLayout    *layout,
                         FsChipId     chip,
                         GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = g_path_get_basename (path);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_NOT_FOUND, "%s", local_error->message);
      return NULL;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  if (len > 0 && ((const guint8 *) g_bytes_get_data (bytes, NULL))[0] == FS_IMAGE_MAGIC)
    return fs_vm_set_new (bytes, NULL, name, layout, chip, error);
  if (fs_merged_image_detect (bytes, chip))
    parts = fs_merged_image_split (bytes, chip, error);
  else if (len > 0 && ((const char *) g_bytes_get_data (bytes, NULL))[0] == '{')
    parts = read_manifest_parts (path, bytes, chip, error);
  else
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("%s is not an app image, a merged image or an ESP Web Tools manifest"), name);
      return NULL;
    }
  if (parts == NULL)
    return NULL;
  return new_from_parts (parts, name, layout, chip, error);
}

FsLayout *
fs_vm_set_get_layout (FsVmSet *self)
{
  g_return_val_if_fail (FS_IS_VM_SET (self), NULL);
  return self->layout;
}

const char *
fs_vm_set_get_title (FsVmSet *self)
{
  g_return_val_if_fail (FS_IS_VM_SET (self), NULL);
  return self->title;
}

gboolean
fs_vm_set_get_has_bootloader (FsVmSet *self)
{
  g_return_val_if_fail (FS_IS_VM_SET (self), FALSE);
  return self->has_bootloader;
}

GPtrArray *
fs_vm_set_get_parts (FsVmSet *self)
{
  g_return_val_if_fail (FS_IS_VM_SET (self), NULL);
  return self->parts;
}
