/* fs-map-region.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fs-flash.h"
#include "fs-map-region.h"

/* The data subtype the shipped layouts give the program's slots */
#define BYTECODE_SUBTYPE 0x40

static const char * const map_kinds[] = {
  [FS_MAP_KIND_SYSTEM] = "system",
  [FS_MAP_KIND_VM] = "vm",
  [FS_MAP_KIND_BYTECODE] = "bytecode",
  [FS_MAP_KIND_STORAGE] = "storage",
  [FS_MAP_KIND_RESERVED] = "reserved",
  [FS_MAP_KIND_FREE] = "free",
  [FS_MAP_KIND_PROBLEM] = "problem",
};

const char *
fs_map_kind_to_string (FsMapKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (map_kinds), NULL);
  return map_kinds[kind];
}

void
fs_map_region_clear (FsMapRegion *region)
{
  g_clear_pointer (&region->name, g_free);
  g_clear_pointer (&region->title, g_free);
  g_clear_pointer (&region->content, g_free);
  g_clear_pointer (&region->problem, g_free);
}

static GArray *
map_regions_new (void)
{
  GArray *regions = g_array_new (FALSE, TRUE, sizeof (FsMapRegion));

  g_array_set_clear_func (regions, (GDestroyNotify) fs_map_region_clear);
  return regions;
}

GArray *
fs_map_regions_copy (GArray *regions)
{
  GArray *copy;

  g_return_val_if_fail (regions != NULL, NULL);

  copy = map_regions_new ();
  for (guint i = 0; i < regions->len; i++)
    {
      FsMapRegion region = g_array_index (regions, FsMapRegion, i);

      region.name = g_strdup (region.name);
      region.title = g_strdup (region.title);
      region.content = g_strdup (region.content);
      region.problem = g_strdup (region.problem);
      g_array_append_val (copy, region);
    }
  return copy;
}

static void
append_region (GArray     *regions,
               const char *name,
               const char *title,
               guint32     offset,
               guint32     size,
               FsMapKind   kind)
{
  FsMapRegion region = {
    .name = g_strdup (name),
    .title = g_strdup (title),
    .offset = offset,
    .size = size,
    .kind = kind,
  };

  g_array_append_val (regions, region);
}

/* Unused flash between the regions (which may overlap) and after them */
static GArray *
with_gaps (GArray  *regions,
           guint64  flash_size)
{
  GArray *all = map_regions_new ();
  guint64 end = 0;

  for (guint i = 0; i < regions->len; i++)
    {
      FsMapRegion *region = &g_array_index (regions, FsMapRegion, i);

      if (region->offset > end)
        append_region (all, "free", _("Unused flash"), end, region->offset - end, FS_MAP_KIND_FREE);
      end = MAX (end, (guint64) region->offset + region->size);
      g_array_append_val (all, *region);
      /* Moved: @regions must not free it */
      memset (region, 0, sizeof *region);
    }
  if (flash_size > end)
    append_region (all, "free", _("Unused flash"), end, flash_size - end, FS_MAP_KIND_FREE);
  return all;
}

/* Every problem a validator found with a region, one a line */
static void
mark_problems (GArray    *regions,
               GPtrArray *problems)
{
  for (guint i = 0; i < problems->len; i++)
    {
      const FsProblem *problem = g_ptr_array_index (problems, i);

      for (guint j = 0; problem->subject != NULL && j < regions->len; j++)
        {
          FsMapRegion *region = &g_array_index (regions, FsMapRegion, j);
          char *both;

          if (region->kind == FS_MAP_KIND_FREE || g_strcmp0 (region->name, problem->subject) != 0)
            continue;
          region->kind = FS_MAP_KIND_PROBLEM;
          if (region->problem == NULL)
            {
              region->problem = g_strdup (problem->message);
              continue;
            }
          both = g_strconcat (region->problem, "\n", problem->message, NULL);
          g_free (region->problem);
          region->problem = both;
        }
    }
}

static FsMapKind
kind_from_layout (FsRegionKind kind)
{
  switch (kind)
    {
    case FS_REGION_KIND_SYSTEM: return FS_MAP_KIND_SYSTEM;
    case FS_REGION_KIND_VM: return FS_MAP_KIND_VM;
    case FS_REGION_KIND_BYTECODE: return FS_MAP_KIND_BYTECODE;
    case FS_REGION_KIND_STORAGE: return FS_MAP_KIND_STORAGE;
    case FS_REGION_KIND_RESERVED: return FS_MAP_KIND_RESERVED;
    default: g_return_val_if_reached (FS_MAP_KIND_RESERVED);
    }
}

GArray *
fs_map_regions_from_layout (FsLayout *layout,
                            gint      active_slot)
{
  g_autoptr(GArray) regions = map_regions_new ();
  g_autoptr(GPtrArray) problems = NULL;
  GArray *all;

  g_return_val_if_fail (FS_IS_LAYOUT (layout), NULL);

  for (guint i = 0; i < fs_layout_get_n_regions (layout); i++)
    {
      const FsLayoutRegion *source = fs_layout_get_region (layout, i);
      FsMapRegion *region;

      append_region (regions, source->id, source->title, source->offset, source->size,
                     kind_from_layout (source->kind));
      region = &g_array_index (regions, FsMapRegion, regions->len - 1);
      region->active = source->kind == FS_REGION_KIND_VM && active_slot >= 0 && source->slot == active_slot;
    }
  all = with_gaps (regions, fs_layout_get_flash_size (layout));
  problems = fs_layout_validate (layout);
  mark_problems (all, problems);
  return all;
}

static FsMapKind
kind_from_partition (const FsPartition *partition)
{
  if (partition->type == FS_PARTITION_TYPE_APP)
    return FS_MAP_KIND_VM;
  if (partition->type != FS_PARTITION_TYPE_DATA)
    return FS_MAP_KIND_STORAGE;
  switch (partition->subtype)
    {
    case FS_PARTITION_SUBTYPE_OTA:
    case FS_PARTITION_SUBTYPE_PHY:
    case FS_PARTITION_SUBTYPE_NVS:
    case FS_PARTITION_SUBTYPE_COREDUMP:
    case FS_PARTITION_SUBTYPE_NVS_KEYS:
    case FS_PARTITION_SUBTYPE_EFUSE:
      return FS_MAP_KIND_SYSTEM;
    case BYTECODE_SUBTYPE:
      return FS_MAP_KIND_BYTECODE;
    default:
      return FS_MAP_KIND_STORAGE;
    }
}

/* "app, ota_0" or "data, 0x40": how ESP-IDF's CSV names the type */
static char *
partition_title (const FsPartition *partition)
{
  const char *type = fs_partition_type_to_string (partition->type);
  const char *subtype = fs_partition_subtype_to_string (partition->type, partition->subtype);
  g_autofree char *type_text = type != NULL ? g_strdup (type) : g_strdup_printf ("0x%02x", partition->type);
  g_autofree char *subtype_text = subtype != NULL ? g_strdup (subtype)
                                                  : g_strdup_printf ("0x%02x", partition->subtype);

  /* TRANSLATORS: a partition's title on the flash map: its label, then type and subtype */
  return g_strdup_printf (_("Partition “%s” (%s, %s)"), partition->label, type_text, subtype_text);
}

/* The app partition the bootloader starts, as fs_otadata_get_boot_slot()
 * says: with no valid otadata entry, the factory app or else ota_0 */
static const FsPartition *
find_boot_partition (FsPartitionTable *table,
                     gint              boot_slot)
{
  const FsPartition *factory;

  if (boot_slot >= 0)
    return fs_partition_table_find_by_type (table, FS_PARTITION_TYPE_APP,
                                            FS_PARTITION_SUBTYPE_OTA_0 + boot_slot);
  factory = fs_partition_table_find_by_type (table, FS_PARTITION_TYPE_APP, FS_PARTITION_SUBTYPE_FACTORY);
  if (factory != NULL)
    return factory;
  return fs_partition_table_find_by_type (table, FS_PARTITION_TYPE_APP, FS_PARTITION_SUBTYPE_OTA_0);
}

static gint
compare_map_regions (gconstpointer a,
                     gconstpointer b)
{
  const FsMapRegion *ra = a;
  const FsMapRegion *rb = b;

  if (ra->offset != rb->offset)
    return ra->offset < rb->offset ? -1 : 1;
  return 0;
}

static gboolean
layout_has_region (FsLayout          *layout,
                   const FsMapRegion *region)
{
  const FsLayoutRegion *match = fs_layout_find_region (layout, region->name);

  return match != NULL && match->offset == region->offset && match->size == region->size;
}

GArray *
fs_map_regions_from_table (FsPartitionTable *table,
                           guint64           flash_size,
                           gint              boot_slot,
                           FsLayout         *compare)
{
  g_autoptr(GArray) regions = map_regions_new ();
  g_autoptr(GPtrArray) problems = NULL;
  const FsPartition *boot;
  GArray *all;

  g_return_val_if_fail (FS_IS_PARTITION_TABLE (table), NULL);
  g_return_val_if_fail (compare == NULL || FS_IS_LAYOUT (compare), NULL);

  /* Not in the table, but always there */
  append_region (regions, "bootloader", _("Bootloader"), 0x1000, FS_PARTITION_TABLE_OFFSET - 0x1000,
                 FS_MAP_KIND_SYSTEM);
  append_region (regions, "partition-table", _("Partition table"), FS_PARTITION_TABLE_OFFSET,
                 FS_PARTITION_TABLE_SIZE, FS_MAP_KIND_SYSTEM);

  boot = find_boot_partition (table, boot_slot);
  for (guint i = 0; i < fs_partition_table_get_n_partitions (table); i++)
    {
      const FsPartition *partition = fs_partition_table_get_partition (table, i);
      const FsLayoutRegion *known = compare != NULL ? fs_layout_find_region (compare, partition->label) : NULL;
      g_autofree char *title = known != NULL ? g_strdup (known->title) : partition_title (partition);
      FsMapRegion *region;

      /* The layout's title says what a partition of that name is for */
      append_region (regions, partition->label, title, partition->offset, partition->size,
                     kind_from_partition (partition));
      region = &g_array_index (regions, FsMapRegion, regions->len - 1);
      region->active = boot != NULL && fs_partition_equal (partition, boot);
    }
  for (guint i = 0; compare != NULL && i < regions->len; i++)
    {
      FsMapRegion *region = &g_array_index (regions, FsMapRegion, i);

      region->differs = !layout_has_region (compare, region);
    }

  g_array_sort (regions, compare_map_regions);
  all = with_gaps (regions, flash_size);
  problems = fs_partition_table_validate (table, flash_size);
  mark_problems (all, problems);
  return all;
}

void
fs_map_regions_set_boot (GArray    *regions,
                         guint32    offset,
                         FsMapBoot  boot)
{
  g_return_if_fail (regions != NULL);

  for (guint i = 0; i < regions->len; i++)
    {
      FsMapRegion *region = &g_array_index (regions, FsMapRegion, i);

      region->active = FALSE;
      if (offset >= region->offset && offset - region->offset < region->size)
        region->boot = boot;
    }
}

void
fs_map_regions_set_content (GArray     *regions,
                            guint32     offset,
                            const char *content)
{
  g_return_if_fail (regions != NULL);

  for (guint i = 0; i < regions->len; i++)
    {
      FsMapRegion *region = &g_array_index (regions, FsMapRegion, i);

      if (region->offset != offset)
        continue;
      g_free (region->content);
      region->content = g_strdup (content);
    }
}
