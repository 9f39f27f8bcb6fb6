/* test-map-region.c: what the flash map draws, from layouts and tables
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>

#include "fs-map-region.h"

typedef struct {
  const char *name;
  guint32     offset;
  guint32     size;
  FsMapKind   kind;
} Expected;

static const Expected esp32_8mb[] = {
  { "free", 0x0, 0x1000, FS_MAP_KIND_FREE },
  { "bootloader", 0x1000, 0x7000, FS_MAP_KIND_SYSTEM },
  { "partition-table", 0x8000, 0x1000, FS_MAP_KIND_SYSTEM },
  { "nvs", 0x9000, 0x4000, FS_MAP_KIND_SYSTEM },
  { "otadata", 0xD000, 0x2000, FS_MAP_KIND_SYSTEM },
  { "phy_init", 0xF000, 0x1000, FS_MAP_KIND_SYSTEM },
  { "vm0", 0x10000, 0x100000, FS_MAP_KIND_VM },
  { "vm1", 0x110000, 0x100000, FS_MAP_KIND_VM },
  { "bytecode0", 0x210000, 0x80000, FS_MAP_KIND_BYTECODE },
  { "bytecode1", 0x290000, 0x80000, FS_MAP_KIND_BYTECODE },
  { "storage", 0x310000, 0x80000, FS_MAP_KIND_STORAGE },
  { "reserved", 0x390000, 0x70000, FS_MAP_KIND_RESERVED },
  { "storage2", 0x400000, 0x400000, FS_MAP_KIND_STORAGE },
};

static const Expected esp32_8mb_ble[] = {
  { "free", 0x0, 0x1000, FS_MAP_KIND_FREE },
  { "bootloader", 0x1000, 0x7000, FS_MAP_KIND_SYSTEM },
  { "partition-table", 0x8000, 0x1000, FS_MAP_KIND_SYSTEM },
  { "nvs", 0x9000, 0x4000, FS_MAP_KIND_SYSTEM },
  { "otadata", 0xD000, 0x2000, FS_MAP_KIND_SYSTEM },
  { "phy_init", 0xF000, 0x1000, FS_MAP_KIND_SYSTEM },
  { "vm0", 0x10000, 0x130000, FS_MAP_KIND_VM },
  { "vm1", 0x140000, 0x130000, FS_MAP_KIND_VM },
  { "bytecode0", 0x270000, 0x50000, FS_MAP_KIND_BYTECODE },
  { "bytecode1", 0x2C0000, 0x50000, FS_MAP_KIND_BYTECODE },
  { "storage", 0x310000, 0x80000, FS_MAP_KIND_STORAGE },
  { "reserved", 0x390000, 0x70000, FS_MAP_KIND_RESERVED },
  { "storage2", 0x400000, 0x400000, FS_MAP_KIND_STORAGE },
};

static const Expected as_printed[] = {
  { "free", 0x0, 0x1000, FS_MAP_KIND_FREE },
  { "bootloader", 0x1000, 0x7000, FS_MAP_KIND_SYSTEM },
  { "partition-table", 0x8000, 0x1000, FS_MAP_KIND_SYSTEM },
  { "nvs", 0x9000, 0x4000, FS_MAP_KIND_SYSTEM },
  { "otadata", 0xD000, 0x2000, FS_MAP_KIND_SYSTEM },
  { "phy_init", 0xF000, 0x1000, FS_MAP_KIND_SYSTEM },
  { "vm0", 0x10000, 0x100000, FS_MAP_KIND_VM },
  { "vm1", 0x110000, 0x100000, FS_MAP_KIND_VM },
  { "bytecode0", 0x210000, 0x80000, FS_MAP_KIND_BYTECODE },
  { "bytecode1", 0x290000, 0x80000, FS_MAP_KIND_BYTECODE },
  { "storage", 0x310000, 0x80000, FS_MAP_KIND_STORAGE },
  { "reserved", 0x390000, 0x70000, FS_MAP_KIND_RESERVED },
  /* Overlapping "reserved", still in address order */
  { "storage2", 0x392000, 0x400000, FS_MAP_KIND_PROBLEM },
  { "free", 0x792000, 0x6E000, FS_MAP_KIND_FREE },
};

static FsLayout *
builtin (const char *name)
{
  g_autoptr(GError) error = NULL;
  FsLayout *layout = fs_layout_new_builtin (name, &error);

  g_assert_no_error (error);
  return layout;
}

static FsLayout *
as_printed_layout (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "esp32-8mb-as-printed.layout", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  FsLayout *layout;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  layout = fs_layout_new_from_data (contents, len, "esp32-8mb-as-printed.layout", &error);
  g_assert_no_error (error);
  return layout;
}

static const FsMapRegion *
region (GArray *regions,
        guint   index)
{
  g_assert_cmpuint (index, <, regions->len);
  return &g_array_index (regions, FsMapRegion, index);
}

static void
assert_regions (GArray         *regions,
                const Expected *expected,
                guint           n_expected)
{
  g_assert_cmpuint (regions->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    {
      const FsMapRegion *got = region (regions, i);

      g_assert_cmpstr (got->name, ==, expected[i].name);
      g_assert_cmphex (got->offset, ==, expected[i].offset);
      g_assert_cmphex (got->size, ==, expected[i].size);
      g_assert_cmpstr (fs_map_kind_to_string (got->kind), ==, fs_map_kind_to_string (expected[i].kind));
      g_assert_true ((got->problem != NULL) == (got->kind == FS_MAP_KIND_PROBLEM));
      g_assert_false (got->differs);
      g_assert_nonnull (got->title);
    }
}

static guint
n_active (GArray *regions)
{
  guint n = 0;

  for (guint i = 0; i < regions->len; i++)
    n += region (regions, i)->active ? 1 : 0;
  return n;
}

static void
test_layouts (void)
{
  g_autoptr(FsLayout) plain = builtin ("esp32-8mb");
  g_autoptr(FsLayout) ble = builtin ("esp32-8mb-ble");
  g_autoptr(GArray) plain_regions = fs_map_regions_from_layout (plain, -1);
  g_autoptr(GArray) ble_regions = fs_map_regions_from_layout (ble, 1);

  assert_regions (plain_regions, esp32_8mb, G_N_ELEMENTS (esp32_8mb));
  assert_regions (ble_regions, esp32_8mb_ble, G_N_ELEMENTS (esp32_8mb_ble));
  g_assert_cmpuint (n_active (plain_regions), ==, 0);
  g_assert_cmpuint (n_active (ble_regions), ==, 1);
  g_assert_true (region (ble_regions, 7)->active);
  g_assert_cmpstr (region (ble_regions, 7)->title, ==, "Zerynth VM (slot 1)");
  g_assert_cmpstr (region (ble_regions, 0)->title, ==, "Unused flash");
  g_assert_null (region (ble_regions, 7)->content);
}

static void
test_active_slot_zero (void)
{
  g_autoptr(FsLayout) plain = builtin ("esp32-8mb");
  g_autoptr(GArray) regions = fs_map_regions_from_layout (plain, 0);

  g_assert_cmpuint (n_active (regions), ==, 1);
  g_assert_true (region (regions, 6)->active);
  /* The bytecode slot 0 is not what boots */
  g_assert_false (region (regions, 8)->active);
}

/* What a slot holds goes where the slot starts, and a copy is a copy */
static void
test_content_and_copy (void)
{
  g_autoptr(FsLayout) plain = builtin ("esp32-8mb");
  g_autoptr(GArray) regions = fs_map_regions_from_layout (plain, 0);
  g_autoptr(GArray) copy = NULL;

  fs_map_regions_set_content (regions, 0x110000, "blink 1.2.3");
  /* Inside a region is not where it starts */
  fs_map_regions_set_content (regions, 0x10010, "nothing");
  for (guint i = 0; i < regions->len; i++)
    if (i != 7)
      g_assert_null (region (regions, i)->content);
  g_assert_cmpstr (region (regions, 7)->content, ==, "blink 1.2.3");
  fs_map_regions_set_content (regions, 0x110000, "blink 1.2.4");
  g_assert_cmpstr (region (regions, 7)->content, ==, "blink 1.2.4");

  copy = fs_map_regions_copy (regions);
  g_assert_cmpuint (copy->len, ==, regions->len);
  fs_map_regions_set_content (regions, 0x110000, NULL);
  g_assert_null (region (regions, 7)->content);
  g_assert_cmpstr (region (copy, 7)->content, ==, "blink 1.2.4");
  g_assert_cmpstr (region (copy, 6)->title, ==, "Zerynth VM (slot 0)");
  g_assert_true (region (copy, 6)->active);
  g_assert_true (region (copy, 6)->title != region (regions, 6)->title);
}

static void
test_as_printed (void)
{
  g_autoptr(FsLayout) layout = as_printed_layout ();
  g_autoptr(GArray) regions = fs_map_regions_from_layout (layout, -1);

  assert_regions (regions, as_printed, G_N_ELEMENTS (as_printed));
  g_assert_cmpstr (region (regions, 12)->problem, ==,
                   "“storage2” (0x392000–0x792000) overlaps “reserved” (0x390000–0x400000)");
  /* Overlapped, but not the one the validator names */
  g_assert_null (region (regions, 11)->problem);
}

static void
test_table_compared (void)
{
  g_autoptr(FsLayout) plain = builtin ("esp32-8mb");
  g_autoptr(FsLayout) ble = builtin ("esp32-8mb-ble");
  g_autoptr(FsPartitionTable) table = fs_layout_to_partition_table (plain);
  g_autoptr(GArray) regions = fs_map_regions_from_table (table, 8 * 1024 * 1024, 1, ble);
  g_autoptr(GArray) same = fs_map_regions_from_table (table, 8 * 1024 * 1024, -1, plain);
  static const char * const differ[] = { "vm0", "vm1", "bytecode0", "bytecode1", NULL };

  /* The table has no "reserved": unused flash there */
  g_assert_cmpuint (regions->len, ==, G_N_ELEMENTS (esp32_8mb));
  for (guint i = 0; i < regions->len; i++)
    {
      const FsMapRegion *got = region (regions, i);
      const Expected *expected = &esp32_8mb[i];

      g_assert_cmpstr (got->name, ==, i == 11 ? "free" : expected->name);
      g_assert_cmphex (got->offset, ==, expected->offset);
      g_assert_cmphex (got->size, ==, expected->size);
      g_assert_cmpstr (fs_map_kind_to_string (got->kind), ==,
                       fs_map_kind_to_string (i == 11 ? FS_MAP_KIND_FREE : expected->kind));
      g_assert_true (got->differs == g_strv_contains (differ, got->name));
      g_assert_true (got->active == g_str_equal (got->name, "vm1"));
      g_assert_false (region (same, i)->differs);
      g_assert_true (region (same, i)->active == g_str_equal (got->name, "vm0"));
    }
  /* Titles of the layout compared with */
  g_assert_cmpstr (region (regions, 6)->title, ==, "Zerynth VM (slot 0)");
  g_assert_cmpstr (region (regions, 1)->title, ==, "Bootloader");
}

static FsPartitionTable *
table_from_csv (const char *csv)
{
  g_autoptr(GError) error = NULL;
  FsPartitionTable *table = fs_partition_table_new_from_csv (csv, strlen (csv), &error);

  g_assert_no_error (error);
  return table;
}

static void
test_table_kinds (void)
{
  g_autoptr(FsPartitionTable) table = table_from_csv (
    "nvs, data, nvs, 0x9000, 0x5000,\n"
    "otadata, data, ota, 0xe000, 0x2000,\n"
    "factory, app, factory, 0x10000, 1M,\n"
    "ota_0, app, ota_0, 0x110000, 1M,\n"
    "files, data, spiffs, 0x210000, 0x10000,\n"
    "little, data, littlefs, 0x220000, 0x10000,\n"
    "dump, data, coredump, 0x230000, 0x10000,\n");
  g_autoptr(GArray) regions = fs_map_regions_from_table (table, 4 * 1024 * 1024, -1, NULL);
  static const Expected expected[] = {
    { "free", 0x0, 0x1000, FS_MAP_KIND_FREE },
    { "bootloader", 0x1000, 0x7000, FS_MAP_KIND_SYSTEM },
    { "partition-table", 0x8000, 0x1000, FS_MAP_KIND_SYSTEM },
    { "nvs", 0x9000, 0x5000, FS_MAP_KIND_SYSTEM },
    { "otadata", 0xE000, 0x2000, FS_MAP_KIND_SYSTEM },
    { "factory", 0x10000, 0x100000, FS_MAP_KIND_VM },
    { "ota_0", 0x110000, 0x100000, FS_MAP_KIND_VM },
    { "files", 0x210000, 0x10000, FS_MAP_KIND_STORAGE },
    { "little", 0x220000, 0x10000, FS_MAP_KIND_STORAGE },
    { "dump", 0x230000, 0x10000, FS_MAP_KIND_SYSTEM },
    { "free", 0x240000, 0x1C0000, FS_MAP_KIND_FREE },
  };

  assert_regions (regions, expected, G_N_ELEMENTS (expected));
  /* No valid otadata entry: the factory app boots */
  g_assert_cmpuint (n_active (regions), ==, 1);
  g_assert_true (region (regions, 5)->active);
  g_assert_cmpstr (region (regions, 5)->title, ==, "Partition “factory” (app, factory)");
}

static void
test_table_problem (void)
{
  g_autoptr(FsPartitionTable) table = table_from_csv (
    "nvs, data, nvs, 0x9000, 0x6000,\n"
    "app, app, ota_0, 0x10000, 1M,\n"
    "big, data, fat, 0x100000, 4M,\n");
  g_autoptr(GArray) regions = fs_map_regions_from_table (table, 4 * 1024 * 1024, 0, NULL);
  const FsMapRegion *big = region (regions, 6);

  g_assert_cmpuint (regions->len, ==, 7);
  g_assert_cmpstr (big->name, ==, "big");
  g_assert_cmpint (big->kind, ==, FS_MAP_KIND_PROBLEM);
  /* Every problem the validator found with it, one a line */
  g_assert_cmpstr (big->problem, ==,
                   "“big” ends at 0x500000, beyond the end of the 4 MiB flash\n"
                   "“big” (0x100000–0x500000) overlaps “app” (0x010000–0x110000)");
  g_assert_true (region (regions, 5)->active);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/map-region/layouts", test_layouts);
  g_test_add_func ("/map-region/active-slot-zero", test_active_slot_zero);
  g_test_add_func ("/map-region/content-and-copy", test_content_and_copy);
  g_test_add_func ("/map-region/as-printed", test_as_printed);
  g_test_add_func ("/map-region/table-compared", test_table_compared);
  g_test_add_func ("/map-region/table-kinds", test_table_kinds);
  g_test_add_func ("/map-region/table-problem", test_table_problem);
  return g_test_run ();
}
