/* fs-layout.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "fs-chip.h"
#include "fs-error.h"
#include "fs-flash.h"
#include "fs-layout.h"
#include "fs-layouts-resources.h"

#define LAYOUTS_RESOURCE_PATH "/io/github/flashstudio/FlashStudio/layouts/"
#define LAYOUT_SUFFIX ".layout"
#define REGION_GROUP_PREFIX "Region "

struct _FsLayout
{
  GObject    parent_instance;

  char      *name;
  char      *title;
  char      *note;
  guint64    flash_size;
  GPtrArray *regions;   /* of FsLayoutRegion, in address order */
};

G_DEFINE_FINAL_TYPE (FsLayout, fs_layout, G_TYPE_OBJECT)

static const char * const region_kinds[] = {
  [FS_REGION_KIND_SYSTEM] = "system",
  [FS_REGION_KIND_VM] = "vm",
  [FS_REGION_KIND_BYTECODE] = "bytecode",
  [FS_REGION_KIND_STORAGE] = "storage",
  [FS_REGION_KIND_RESERVED] = "reserved",
};

const char *
fs_region_kind_to_string (FsRegionKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (region_kinds), NULL);
  return region_kinds[kind];
}

static void
fs_layout_region_free (FsLayoutRegion *region)
{
  g_free (region->id);
  g_free (region->title);
  g_free (region->note);
  g_free (region);
}

static void
fs_layout_finalize (GObject *object)
{
  FsLayout *self = FS_LAYOUT (object);

  g_free (self->name);
  g_free (self->title);
  g_free (self->note);
  g_ptr_array_unref (self->regions);

  G_OBJECT_CLASS (fs_layout_parent_class)->finalize (object);
}

static void
fs_layout_class_init (FsLayoutClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fs_layout_finalize;
}

static void
fs_layout_init (FsLayout *self)
{
  self->regions = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_layout_region_free);
}

/* Every message about a layout file starts with where the problem is, so
 * a user editing their own layout can find it. */
static void
set_group_error (GError     **error,
                 const char  *origin,
                 const char  *group,
                 const char  *message)
{
  g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA, "%s: [%s]: %s", origin, group, message);
}

static gboolean
check_known_keys (GKeyFile           *keyfile,
                  const char         *origin,
                  const char         *group,
                  const char * const *known,
                  GError            **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (keyfile, group, NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      if (!g_strv_contains (known, keys[i]))
        {
          g_autofree char *message = g_strdup_printf (_("unknown key “%s”"), keys[i]);
          set_group_error (error, origin, group, message);
          return FALSE;
        }
    }
  return TRUE;
}

static char *
get_required_string (GKeyFile    *keyfile,
                     const char  *origin,
                     const char  *group,
                     const char  *key,
                     GError     **error)
{
  g_autofree char *value = g_key_file_get_string (keyfile, group, key, NULL);

  if (value == NULL || *g_strstrip (value) == '\0')
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is missing"), key);
      set_group_error (error, origin, group, message);
      return NULL;
    }
  return g_steal_pointer (&value);
}

static gboolean
get_size (GKeyFile    *keyfile,
          const char  *origin,
          const char  *group,
          const char  *key,
          guint64      max,
          guint64     *out,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = get_required_string (keyfile, origin, group, key, error);

  if (text == NULL)
    return FALSE;
  if (!fs_parse_size (text, out, &local_error))
    {
      g_autofree char *message = g_strdup_printf ("%s: %s", key, local_error->message);
      set_group_error (error, origin, group, message);
      return FALSE;
    }
  if (*out > max)
    {
      g_autofree char *message = g_strdup_printf (_("%s: %s is too large"), key, text);
      set_group_error (error, origin, group, message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_kind (const char   *text,
            FsRegionKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (region_kinds); i++)
    {
      if (g_ascii_strcasecmp (text, region_kinds[i]) == 0)
        {
          *kind = i;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
parse_partition (FsLayoutRegion *region,
                 const char     *text,
                 GError        **error)
{
  g_auto(GStrv) fields = g_strsplit (text, ",", -1);

  if (g_strv_length (fields) != 2)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("Partition: “%s” is not “type,subtype” (for example “app,ota_0”)"), text);
      return FALSE;
    }
  if (!fs_partition_type_from_string (g_strstrip (fields[0]), &region->type, error) ||
      !fs_partition_subtype_from_string (region->type, g_strstrip (fields[1]), &region->subtype, error))
    {
      g_prefix_error (error, _("Partition: "));
      return FALSE;
    }
  region->in_partition_table = TRUE;
  return TRUE;
}

static gboolean
is_valid_region_id (const char *id)
{
  if (*id == '\0' || strlen (id) > FS_PARTITION_LABEL_MAX)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

static FsLayoutRegion *
parse_region (GKeyFile    *keyfile,
              const char  *origin,
              const char  *group,
              GError     **error)
{
  static const char * const known_keys[] = {
    "Title", "Kind", "Offset", "Size", "Slot", "Partition", "Note", NULL
  };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *partition = NULL;
  FsLayoutRegion *region;
  guint64 offset, size;

  if (!check_known_keys (keyfile, origin, group, known_keys, error))
    return NULL;

  region = g_new0 (FsLayoutRegion, 1);
  region->id = g_strdup (group + strlen (REGION_GROUP_PREFIX));
  region->slot = -1;
  region->note = g_key_file_get_string (keyfile, group, "Note", NULL);

  if (!is_valid_region_id (region->id))
    {
      set_group_error (error, origin, group,
                       _("a region's name must be 1 to 16 letters, digits, “-” or “_”"));
      goto fail;
    }
  if ((region->title = get_required_string (keyfile, origin, group, "Title", error)) == NULL ||
      (kind = get_required_string (keyfile, origin, group, "Kind", error)) == NULL ||
      !get_size (keyfile, origin, group, "Offset", G_MAXUINT32, &offset, error) ||
      !get_size (keyfile, origin, group, "Size", G_MAXUINT32, &size, error))
    goto fail;
  region->offset = offset;
  region->size = size;

  if (!parse_kind (kind, &region->kind))
    {
      g_autofree char *message = g_strdup_printf (_("Kind: “%s” is not one of system, vm, bytecode, storage, reserved"), kind);
      set_group_error (error, origin, group, message);
      goto fail;
    }

  if (g_key_file_has_key (keyfile, group, "Slot", NULL))
    {
      g_autofree char *slot = g_key_file_get_string (keyfile, group, "Slot", NULL);
      guint64 value;

      if (!g_ascii_string_to_unsigned (g_strstrip (slot), 10, 0, 15, &value, NULL))
        {
          g_autofree char *message = g_strdup_printf (_("Slot: “%s” is not a number from 0 to 15"), slot);
          set_group_error (error, origin, group, message);
          goto fail;
        }
      region->slot = value;
    }

  partition = g_key_file_get_string (keyfile, group, "Partition", NULL);
  if (partition != NULL && !parse_partition (region, partition, &local_error))
    {
      set_group_error (error, origin, group, local_error->message);
      goto fail;
    }

  return region;

fail:
  fs_layout_region_free (region);
  return NULL;
}

static gboolean
parse_header (FsLayout    *self,
              GKeyFile    *keyfile,
              const char  *origin,
              GError     **error)
{
  static const char * const known_keys[] = { "Name", "Title", "Chip", "FlashSize", "Note", NULL };
  g_autofree char *chip = NULL;

  if (!g_key_file_has_group (keyfile, "Layout"))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA, _("%s: the [Layout] group is missing"), origin);
      return FALSE;
    }
  if (!check_known_keys (keyfile, origin, "Layout", known_keys, error) ||
      (self->name = get_required_string (keyfile, origin, "Layout", "Name", error)) == NULL ||
      (self->title = get_required_string (keyfile, origin, "Layout", "Title", error)) == NULL ||
      !get_size (keyfile, origin, "Layout", "FlashSize", (guint64) G_MAXUINT32 + 1, &self->flash_size, error))
    return FALSE;
  self->note = g_key_file_get_string (keyfile, "Layout", "Note", NULL);

  chip = g_key_file_get_string (keyfile, "Layout", "Chip", NULL);
  if (chip != NULL && fs_chip_lookup_by_name (chip) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Chip: “%s” is not a chip Flash Studio knows"), chip);
      set_group_error (error, origin, "Layout", message);
      return FALSE;
    }
  return TRUE;
}

static gint
compare_regions_by_offset (gconstpointer a,
                           gconstpointer b)
{
  const FsLayoutRegion *ra = *(const FsLayoutRegion **) a;
  const FsLayoutRegion *rb = *(const FsLayoutRegion **) b;

  if (ra->offset != rb->offset)
    return ra->offset < rb->offset ? -1 : 1;
  return 0;
}

FsLayout *
fs_layout_new_from_data (const char  *data,
                         gsize        len,
                         const char  *origin,
                         GError     **error)
{
  g_autoptr(FsLayout) self = g_object_new (FS_TYPE_LAYOUT, NULL);
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (origin != NULL, NULL);

  if (!g_key_file_load_from_data (keyfile, data != NULL ? data : "", len, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA, "%s: %s", origin, local_error->message);
      return NULL;
    }
  if (!parse_header (self, keyfile, origin, error))
    return NULL;

  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      FsLayoutRegion *region;

      if (g_str_equal (groups[i], "Layout"))
        continue;
      if (!g_str_has_prefix (groups[i], REGION_GROUP_PREFIX))
        {
          set_group_error (error, origin, groups[i], _("unknown group; regions are named [Region NAME]"));
          return NULL;
        }
      region = parse_region (keyfile, origin, groups[i], error);
      if (region == NULL)
        return NULL;
      g_ptr_array_add (self->regions, region);
    }
  if (self->regions->len == 0)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA, _("%s: the layout has no regions"), origin);
      return NULL;
    }

  g_ptr_array_sort (self->regions, compare_regions_by_offset);
  return g_steal_pointer (&self);
}

FsLayout *
fs_layout_new_builtin (const char  *name,
                       GError     **error)
{
  g_autofree char *path = g_strconcat (LAYOUTS_RESOURCE_PATH, name, LAYOUT_SUFFIX, NULL);
  g_autofree char *origin = g_strconcat (name, LAYOUT_SUFFIX, NULL);
  g_autoptr(GBytes) bytes = NULL;
  gsize len = 0;
  const char *data;

  g_return_val_if_fail (name != NULL, NULL);

  bytes = g_resource_lookup_data (fs_layouts_get_resource (), path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_NOT_FOUND,
                   _("there is no layout named “%s”"), name);
      return NULL;
    }
  data = g_bytes_get_data (bytes, &len);
  return fs_layout_new_from_data (data, len, origin, error);
}

GStrv
fs_layout_list_builtin (void)
{
  g_auto(GStrv) children = g_resource_enumerate_children (fs_layouts_get_resource (), LAYOUTS_RESOURCE_PATH,
                                                          G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint i = 0; children != NULL && children[i] != NULL; i++)
    {
      g_autofree char *name = NULL;

      if (!g_str_has_suffix (children[i], LAYOUT_SUFFIX))
        continue;
      name = g_strndup (children[i], strlen (children[i]) - strlen (LAYOUT_SUFFIX));
      g_strv_builder_add (names, name);
    }
  return g_strv_builder_end (names);
}

const char *
fs_layout_get_name (FsLayout *self)
{
  g_return_val_if_fail (FS_IS_LAYOUT (self), NULL);
  return self->name;
}

const char *
fs_layout_get_title (FsLayout *self)
{
  g_return_val_if_fail (FS_IS_LAYOUT (self), NULL);
  return self->title;
}

const char *
fs_layout_get_note (FsLayout *self)
{
  g_return_val_if_fail (FS_IS_LAYOUT (self), NULL);
  return self->note;
}

guint64
fs_layout_get_flash_size (FsLayout *self)
{
  g_return_val_if_fail (FS_IS_LAYOUT (self), 0);
  return self->flash_size;
}

guint
fs_layout_get_n_regions (FsLayout *self)
{
  g_return_val_if_fail (FS_IS_LAYOUT (self), 0);
  return self->regions->len;
}

const FsLayoutRegion *
fs_layout_get_region (FsLayout *self,
                      guint     index)
{
  g_return_val_if_fail (FS_IS_LAYOUT (self), NULL);
  g_return_val_if_fail (index < self->regions->len, NULL);
  return g_ptr_array_index (self->regions, index);
}

const FsLayoutRegion *
fs_layout_find_region (FsLayout   *self,
                       const char *id)
{
  g_return_val_if_fail (FS_IS_LAYOUT (self), NULL);

  for (guint i = 0; i < self->regions->len; i++)
    {
      const FsLayoutRegion *region = g_ptr_array_index (self->regions, i);
      if (g_str_equal (region->id, id))
        return region;
    }
  return NULL;
}

const FsLayoutRegion *
fs_layout_find_slot (FsLayout     *self,
                     FsRegionKind  kind,
                     guint         slot)
{
  g_return_val_if_fail (FS_IS_LAYOUT (self), NULL);

  for (guint i = 0; i < self->regions->len; i++)
    {
      const FsLayoutRegion *region = g_ptr_array_index (self->regions, i);
      if (region->kind == kind && region->slot == (gint) slot)
        return region;
    }
  return NULL;
}

GPtrArray *
fs_layout_validate (FsLayout *self)
{
  g_autofree FsRegionRef *refs = NULL;
  GPtrArray *problems = fs_problems_new ();

  g_return_val_if_fail (FS_IS_LAYOUT (self), NULL);

  refs = g_new0 (FsRegionRef, self->regions->len);
  for (guint i = 0; i < self->regions->len; i++)
    {
      const FsLayoutRegion *region = g_ptr_array_index (self->regions, i);
      gboolean is_app = region->in_partition_table && region->type == FS_PARTITION_TYPE_APP;

      refs[i] = (FsRegionRef) {
        .label = region->id,
        .offset = region->offset,
        .size = region->size,
        .offset_align = is_app ? FS_FLASH_BLOCK_SIZE : FS_FLASH_SECTOR_SIZE,
        .size_align = FS_FLASH_SECTOR_SIZE,
      };
    }
  fs_regions_check (refs, self->regions->len, self->flash_size, problems);

  /* The table's own checks repeat the geometry found above; they add
   * something (types, otadata, slots) only once the geometry is sound. */
  if (problems->len == 0)
    {
      g_autoptr(FsPartitionTable) table = fs_layout_to_partition_table (self);
      g_autoptr(GPtrArray) table_problems = fs_partition_table_validate (table, self->flash_size);

      for (guint i = 0; i < table_problems->len; i++)
        g_ptr_array_add (problems, fs_problem_copy (g_ptr_array_index (table_problems, i)));
    }
  return problems;
}

FsPartitionTable *
fs_layout_to_partition_table (FsLayout *self)
{
  FsPartitionTable *table = fs_partition_table_new ();

  g_return_val_if_fail (FS_IS_LAYOUT (self), NULL);

  for (guint i = 0; i < self->regions->len; i++)
    {
      const FsLayoutRegion *region = g_ptr_array_index (self->regions, i);
      FsPartition partition = {
        .type = region->type,
        .subtype = region->subtype,
        .offset = region->offset,
        .size = region->size,
      };

      if (!region->in_partition_table)
        continue;
      g_strlcpy (partition.label, region->id, sizeof partition.label);
      fs_partition_table_add (table, &partition);
    }
  return table;
}
