/* test-layout.c: the shipped layouts, the seeds' table, layout files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>

#include "fs-error.h"
#include "fs-flash.h"
#include "fs-layout.h"

#define KiB 1024u
#define MiB (1024u * 1024u)

typedef struct {
  const char *id;
  guint32     offset;
  guint32     size;
  FsRegionKind kind;
  gint        slot;
} ExpectedRegion;

/* The seeds' tables, with the last row where the shipped layouts put it */
static const ExpectedRegion non_ble[] = {
  { "bootloader", 0x1000, 28 * KiB, FS_REGION_KIND_SYSTEM, -1 },
  { "partition-table", 0x8000, 4 * KiB, FS_REGION_KIND_SYSTEM, -1 },
  { "nvs", 0x9000, 16 * KiB, FS_REGION_KIND_SYSTEM, -1 },
  { "otadata", 0xD000, 8 * KiB, FS_REGION_KIND_SYSTEM, -1 },
  { "phy_init", 0xF000, 4 * KiB, FS_REGION_KIND_SYSTEM, -1 },
  { "vm0", 0x10000, 1 * MiB, FS_REGION_KIND_VM, 0 },
  { "vm1", 0x110000, 1 * MiB, FS_REGION_KIND_VM, 1 },
  { "bytecode0", 0x210000, 512 * KiB, FS_REGION_KIND_BYTECODE, 0 },
  { "bytecode1", 0x290000, 512 * KiB, FS_REGION_KIND_BYTECODE, 1 },
  { "storage", 0x310000, 512 * KiB, FS_REGION_KIND_STORAGE, -1 },
  { "reserved", 0x390000, 448 * KiB, FS_REGION_KIND_RESERVED, -1 },
  { "storage2", 0x400000, 4 * MiB, FS_REGION_KIND_STORAGE, -1 },
};

static const ExpectedRegion ble[] = {
  { "bootloader", 0x1000, 28 * KiB, FS_REGION_KIND_SYSTEM, -1 },
  { "partition-table", 0x8000, 4 * KiB, FS_REGION_KIND_SYSTEM, -1 },
  { "nvs", 0x9000, 16 * KiB, FS_REGION_KIND_SYSTEM, -1 },
  { "otadata", 0xD000, 8 * KiB, FS_REGION_KIND_SYSTEM, -1 },
  { "phy_init", 0xF000, 4 * KiB, FS_REGION_KIND_SYSTEM, -1 },
  { "vm0", 0x10000, 1216 * KiB, FS_REGION_KIND_VM, 0 },
  { "vm1", 0x140000, 1216 * KiB, FS_REGION_KIND_VM, 1 },
  { "bytecode0", 0x270000, 320 * KiB, FS_REGION_KIND_BYTECODE, 0 },
  { "bytecode1", 0x2C0000, 320 * KiB, FS_REGION_KIND_BYTECODE, 1 },
  { "storage", 0x310000, 512 * KiB, FS_REGION_KIND_STORAGE, -1 },
  { "reserved", 0x390000, 448 * KiB, FS_REGION_KIND_RESERVED, -1 },
  { "storage2", 0x400000, 4 * MiB, FS_REGION_KIND_STORAGE, -1 },
};

static void
assert_regions (FsLayout             *layout,
                const ExpectedRegion *expected,
                guint                 n_expected)
{
  g_assert_cmpuint (fs_layout_get_n_regions (layout), ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    {
      const FsLayoutRegion *region = fs_layout_get_region (layout, i);

      g_assert_cmpstr (region->id, ==, expected[i].id);
      g_assert_cmphex (region->offset, ==, expected[i].offset);
      g_assert_cmphex (region->size, ==, expected[i].size);
      g_assert_cmpint (region->kind, ==, expected[i].kind);
      g_assert_cmpint (region->slot, ==, expected[i].slot);
    }
}

static void
test_builtin_list (void)
{
  g_auto(GStrv) names = fs_layout_list_builtin ();

  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) names, "esp32-8mb"));
  g_assert_true (g_strv_contains ((const char * const *) names, "esp32-8mb-ble"));
}

static void
check_builtin (const char           *name,
               const ExpectedRegion *expected,
               guint                 n_expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsLayout) layout = fs_layout_new_builtin (name, &error);
  g_autoptr(GPtrArray) problems = NULL;
  const FsLayoutRegion *storage2;

  g_assert_no_error (error);
  g_assert_cmpstr (fs_layout_get_name (layout), ==, name);
  g_assert_cmpuint (fs_layout_get_flash_size (layout), ==, 8 * MiB);
  assert_regions (layout, expected, n_expected);

  problems = fs_layout_validate (layout);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", ((FsProblem *) g_ptr_array_index (problems, i))->message);
  g_assert_cmpuint (problems->len, ==, 0);

  /* The moved region says why it is not where the seeds put it */
  storage2 = fs_layout_find_region (layout, "storage2");
  g_assert_nonnull (storage2->note);
  g_assert_nonnull (strstr (storage2->note, "0x392000"));
  g_assert_nonnull (strstr (fs_layout_get_note (layout), "0x392000"));
}

static void
test_builtin_non_ble (void)
{
  check_builtin ("esp32-8mb", non_ble, G_N_ELEMENTS (non_ble));
}

static void
test_builtin_ble (void)
{
  check_builtin ("esp32-8mb-ble", ble, G_N_ELEMENTS (ble));
}

static void
test_builtin_unknown (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsLayout) layout = fs_layout_new_builtin ("esp32-16mb", &error);

  g_assert_null (layout);
  g_assert_error (error, FS_ERROR, FS_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "there is no layout named “esp32-16mb”");
}

static void
test_seed_table_as_printed (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "esp32-8mb-as-printed.layout", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FsLayout) layout = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  FsProblem *problem;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  layout = fs_layout_new_from_data (contents, len, "as-printed.layout", &error);
  g_assert_no_error (error);

  problems = fs_layout_validate (layout);
  g_assert_cmpuint (problems->len, ==, 1);
  problem = g_ptr_array_index (problems, 0);
  g_assert_cmpstr (problem->subject, ==, "storage2");
  g_assert_cmpstr (problem->message, ==,
                   "“storage2” (0x392000–0x792000) overlaps “reserved” (0x390000–0x400000)");
}

static void
test_find_slot (void)
{
  g_autoptr(FsLayout) layout = fs_layout_new_builtin ("esp32-8mb-ble", NULL);

  g_assert_cmpstr (fs_layout_find_slot (layout, FS_REGION_KIND_VM, 1)->id, ==, "vm1");
  g_assert_cmpstr (fs_layout_find_slot (layout, FS_REGION_KIND_BYTECODE, 0)->id, ==, "bytecode0");
  g_assert_null (fs_layout_find_slot (layout, FS_REGION_KIND_VM, 2));
  g_assert_null (fs_layout_find_region (layout, "nothing"));
}

static void
test_partition_table (void)
{
  static const struct {
    const char *label;
    guint8 type, subtype;
    guint32 offset, size;
  } expected[] = {
    { "nvs", 0x01, 0x02, 0x9000, 16 * KiB },
    { "otadata", 0x01, 0x00, 0xD000, 8 * KiB },
    { "phy_init", 0x01, 0x01, 0xF000, 4 * KiB },
    { "vm0", 0x00, 0x10, 0x10000, 1 * MiB },
    { "vm1", 0x00, 0x11, 0x110000, 1 * MiB },
    { "bytecode0", 0x01, 0x40, 0x210000, 512 * KiB },
    { "bytecode1", 0x01, 0x40, 0x290000, 512 * KiB },
    { "storage", 0x01, 0x81, 0x310000, 512 * KiB },
    { "storage2", 0x01, 0x81, 0x400000, 4 * MiB },
  };
  g_autoptr(FsLayout) layout = fs_layout_new_builtin ("esp32-8mb", NULL);
  g_autoptr(FsPartitionTable) table = fs_layout_to_partition_table (layout);
  g_autoptr(FsPartitionTable) reparsed = NULL;
  g_autoptr(GBytes) binary = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (fs_partition_table_get_n_partitions (table), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const FsPartition *partition = fs_partition_table_get_partition (table, i);

      g_assert_cmpstr (partition->label, ==, expected[i].label);
      g_assert_cmphex (partition->type, ==, expected[i].type);
      g_assert_cmphex (partition->subtype, ==, expected[i].subtype);
      g_assert_cmphex (partition->offset, ==, expected[i].offset);
      g_assert_cmphex (partition->size, ==, expected[i].size);
    }
  g_assert_cmpuint (fs_partition_table_get_n_ota_slots (table), ==, 2);

  /* What the studio writes at 0x8000 reads back as the same table */
  binary = fs_partition_table_to_binary (table, TRUE, &error);
  g_assert_no_error (error);
  reparsed = fs_partition_table_new_from_binary (binary, &error);
  g_assert_no_error (error);
  g_assert_true (fs_partition_table_equal (reparsed, table));
}

static void
test_beyond_flash (void)
{
  const char *text =
    "[Layout]\nName=small\nTitle=Small\nFlashSize=4M\n"
    "[Region app]\nTitle=App\nKind=vm\nOffset=0x10000\nSize=4M\nPartition=app,factory\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(FsLayout) layout = fs_layout_new_from_data (text, strlen (text), "small.layout", &error);
  g_autoptr(GPtrArray) problems = NULL;

  g_assert_no_error (error);
  problems = fs_layout_validate (layout);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (((FsProblem *) g_ptr_array_index (problems, 0))->message, ==,
                   "“app” ends at 0x410000, beyond the end of the 4 MiB flash");
}

static void
test_app_alignment (void)
{
  const char *text =
    "[Layout]\nName=odd\nTitle=Odd\nFlashSize=4M\n"
    "[Region app]\nTitle=App\nKind=vm\nOffset=0x11000\nSize=1M\nPartition=app,ota_0\n";
  g_autoptr(FsLayout) layout = fs_layout_new_from_data (text, strlen (text), "odd.layout", NULL);
  g_autoptr(GPtrArray) problems = fs_layout_validate (layout);

  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (((FsProblem *) g_ptr_array_index (problems, 0))->message, ==,
                   "“app” starts at 0x011000, which is not a multiple of 0x10000");
}

static void
test_parse_errors (void)
{
  static const struct { const char *text; const char *message; } cases[] = {
    { "", "x.layout: the [Layout] group is missing" },
    { "[Layout\n", NULL },
    { "[Layout]\nTitle=T\nFlashSize=4M\n", "x.layout: [Layout]: “Name” is missing" },
    { "[Layout]\nName=n\nTitle=T\nFlashSize=4Q\n",
      "x.layout: [Layout]: FlashSize: “4Q” is not a size (examples: 4096, 0x1000, 16K, 1M)" },
    { "[Layout]\nName=n\nTitle=T\nFlashSize=4M\nColour=red\n", "x.layout: [Layout]: unknown key “Colour”" },
    { "[Layout]\nName=n\nTitle=T\nFlashSize=4M\nChip=ESP8266\n",
      "x.layout: [Layout]: Chip: “ESP8266” is not a chip Flash Studio knows" },
    { "[Layout]\nName=n\nTitle=T\nFlashSize=4M\n", "x.layout: the layout has no regions" },
    { "[Layout]\nName=n\nTitle=T\nFlashSize=4M\n[Zone a]\n",
      "x.layout: [Zone a]: unknown group; regions are named [Region NAME]" },
    { "[Layout]\nName=n\nTitle=T\nFlashSize=4M\n[Region a]\nKind=vm\nOffset=0\nSize=4K\n",
      "x.layout: [Region a]: “Title” is missing" },
    { "[Layout]\nName=n\nTitle=T\nFlashSize=4M\n[Region a]\nTitle=A\nKind=disk\nOffset=0\nSize=4K\n",
      "x.layout: [Region a]: Kind: “disk” is not one of system, vm, bytecode, storage, reserved" },
    { "[Layout]\nName=n\nTitle=T\nFlashSize=4M\n[Region a]\nTitle=A\nKind=vm\nOffset=0\nSize=8G\n",
      "x.layout: [Region a]: Size: “8G” is not a size (examples: 4096, 0x1000, 16K, 1M)" },
    { "[Layout]\nName=n\nTitle=T\nFlashSize=4M\n[Region a]\nTitle=A\nKind=vm\nOffset=0x100000000\nSize=4K\n",
      "x.layout: [Region a]: Offset: 0x100000000 is too large" },
    { "[Layout]\nName=n\nTitle=T\nFlashSize=4M\n[Region a]\nTitle=A\nKind=vm\nOffset=0\nSize=4K\nSlot=x\n",
      "x.layout: [Region a]: Slot: “x” is not a number from 0 to 15" },
    { "[Layout]\nName=n\nTitle=T\nFlashSize=4M\n[Region a]\nTitle=A\nKind=vm\nOffset=0\nSize=4K\nPartition=app\n",
      "x.layout: [Region a]: Partition: “app” is not “type,subtype” (for example “app,ota_0”)" },
    { "[Layout]\nName=n\nTitle=T\nFlashSize=4M\n[Region a]\nTitle=A\nKind=vm\nOffset=0\nSize=4K\nExtra=1\n",
      "x.layout: [Region a]: unknown key “Extra”" },
    { "[Layout]\nName=n\nTitle=T\nFlashSize=4M\n[Region this-name-is-too-long]\nTitle=A\nKind=vm\nOffset=0\nSize=4K\n",
      "x.layout: [Region this-name-is-too-long]: a region's name must be 1 to 16 letters, digits, “-” or “_”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FsLayout) layout = fs_layout_new_from_data (cases[i].text, strlen (cases[i].text), "x.layout", &error);

      g_assert_null (layout);
      g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
      else
        g_assert_true (g_str_has_prefix (error->message, "x.layout: "));
    }
}

static void
test_bad_partition_type (void)
{
  const char *text =
    "[Layout]\nName=n\nTitle=T\nFlashSize=4M\n[Region a]\nTitle=A\nKind=vm\nOffset=0x10000\nSize=4K\nPartition=rom,ota_0\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(FsLayout) layout = fs_layout_new_from_data (text, strlen (text), "x.layout", &error);

  g_assert_null (layout);
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_prefix (error->message, "x.layout: [Region a]: Partition: "));
  g_assert_nonnull (strstr (error->message, "rom"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/layout/builtin/list", test_builtin_list);
  g_test_add_func ("/layout/builtin/non-ble", test_builtin_non_ble);
  g_test_add_func ("/layout/builtin/ble", test_builtin_ble);
  g_test_add_func ("/layout/builtin/unknown", test_builtin_unknown);
  g_test_add_func ("/layout/seed-table-as-printed", test_seed_table_as_printed);
  g_test_add_func ("/layout/find-slot", test_find_slot);
  g_test_add_func ("/layout/partition-table", test_partition_table);
  g_test_add_func ("/layout/beyond-flash", test_beyond_flash);
  g_test_add_func ("/layout/app-alignment", test_app_alignment);
  g_test_add_func ("/layout/parse-errors", test_parse_errors);
  g_test_add_func ("/layout/bad-partition-type", test_bad_partition_type);

  return g_test_run ();
}
