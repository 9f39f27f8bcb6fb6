/* test-merged.c: merged ("factory") images, built and split
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>

#include "fs-error.h"
#include "fs-flash.h"
#include "fs-image.h"
#include "fs-layout.h"
#include "fs-merged.h"
#include "fs-partition-table.h"

static GBytes *
make_image (guint32 load_addr,
            gsize   len,
            guint8  fill)
{
  FsImageBuildOptions options = {
    .chip = FS_CHIP_ESP32,
    .entry = load_addr,
    .flash_mode = FS_FLASH_MODE_DIO,
    .flash_size_code = 3,
    .max_rev_full = 0xFFFF,
    .append_digest = TRUE,
  };
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_image_segment_free);
  g_autofree guint8 *data = g_malloc (len);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *image;

  memset (data, fill, len);
  bytes = g_bytes_new (data, len);
  g_ptr_array_add (segments, fs_image_segment_new (load_addr, bytes));
  image = fs_image_build (&options, segments, &error);
  g_assert_no_error (error);
  return image;
}

/* Bootloader, the esp32-8mb table, an app in vm0 and some NVS data */
static GPtrArray *
make_parts (void)
{
  g_autoptr(FsLayout) layout = fs_layout_new_builtin ("esp32-8mb", NULL);
  g_autoptr(FsPartitionTable) table = fs_layout_to_partition_table (layout);
  g_autoptr(GBytes) table_bytes = fs_partition_table_to_binary (table, TRUE, NULL);
  g_autoptr(GBytes) bootloader = make_image (0x40080000, 0x400, 0x11);
  g_autoptr(GBytes) app = make_image (0x400D0000, 0x2000, 0x22);
  g_autoptr(GBytes) nvs = g_bytes_new_static ("nvs data", 8);
  GPtrArray *parts = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_flash_part_free);

  /* Out of order on purpose: the builder sorts by address */
  g_ptr_array_add (parts, fs_flash_part_new (0x10000, app, "vm0"));
  g_ptr_array_add (parts, fs_flash_part_new (0x1000, bootloader, "bootloader"));
  g_ptr_array_add (parts, fs_flash_part_new (0x8000, table_bytes, "partition-table"));
  g_ptr_array_add (parts, fs_flash_part_new (0x9000, nvs, "nvs"));
  return parts;
}

static const FsFlashPart *
find_part (GPtrArray  *parts,
           const char *name)
{
  for (guint i = 0; i < parts->len; i++)
    {
      const FsFlashPart *part = g_ptr_array_index (parts, i);
      if (g_str_equal (part->name, name))
        return part;
    }
  return NULL;
}

static void
test_build_and_split (void)
{
  g_autoptr(GPtrArray) parts = make_parts ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) merged = fs_merged_image_build (parts, 0, &error);
  g_autoptr(GPtrArray) split = NULL;
  const guint8 *data;
  gsize len;

  g_assert_no_error (error);
  data = g_bytes_get_data (merged, &len);
  /* Starts at flash address 0; the gap before the bootloader is erased flash */
  for (guint i = 0; i < 0x1000; i++)
    g_assert_cmphex (data[i], ==, 0xFF);
  g_assert_cmphex (data[0x1000], ==, 0xE9);
  g_assert_cmpuint (len, ==, 0x10000 + g_bytes_get_size (find_part (parts, "vm0")->data));

  g_assert_true (fs_merged_image_detect (merged, FS_CHIP_ESP32));
  /* ESP32-C3 keeps its bootloader at 0, where this image has 0xFF */
  g_assert_false (fs_merged_image_detect (merged, FS_CHIP_ESP32_C3));

  split = fs_merged_image_split (merged, FS_CHIP_ESP32, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (split->len, ==, 4);
  for (guint i = 0; i < parts->len; i++)
    {
      const FsFlashPart *original = g_ptr_array_index (parts, i);
      const FsFlashPart *found = find_part (split, original->name);

      g_assert_nonnull (found);
      g_assert_cmphex (found->offset, ==, original->offset);
      if (g_str_equal (original->name, "nvs"))
        {
          /* A data partition is cut at its last sector that is not erased */
          g_assert_cmpuint (g_bytes_get_size (found->data), ==, 0x1000);
          g_assert_cmpmem (g_bytes_get_data (found->data, NULL), 8, "nvs data", 8);
        }
      else
        g_assert_true (g_bytes_equal (found->data, original->data));
    }
}

static void
test_fill (void)
{
  g_autoptr(GPtrArray) parts = make_parts ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) merged = fs_merged_image_build (parts, 4 * 1024 * 1024, &error);
  const guint8 *data;
  gsize len;

  g_assert_no_error (error);
  data = g_bytes_get_data (merged, &len);
  g_assert_cmpuint (len, ==, 4 * 1024 * 1024);
  g_assert_cmphex (data[len - 1], ==, 0xFF);
}

static void
test_fill_too_small (void)
{
  g_autoptr(GPtrArray) parts = make_parts ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) merged = fs_merged_image_build (parts, 0x10000, &error);

  g_assert_null (merged);
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, "“vm0” ends at 0x01"));
  g_assert_true (g_str_has_suffix (error->message, "beyond the end of the 64 KiB flash"));
}

static void
test_overlap (void)
{
  g_autoptr(GPtrArray) parts = make_parts ();
  g_autoptr(GBytes) big = g_bytes_new_take (g_malloc0 (0x8000), 0x8000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) merged = NULL;

  g_ptr_array_add (parts, fs_flash_part_new (0x4000, big, "big.bin"));
  merged = fs_merged_image_build (parts, 0, &error);
  g_assert_null (merged);
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "“partition-table” at 0x8000 overlaps “big.bin” (0x4000–0xc000)");
}

static void
test_not_merged (void)
{
  g_autoptr(GBytes) app = make_image (0x400D0000, 0x100, 0x33);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) split = NULL;

  g_assert_false (fs_merged_image_detect (app, FS_CHIP_ESP32));
  split = fs_merged_image_split (app, FS_CHIP_ESP32, &error);
  g_assert_null (split);
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==,
                   "not a merged ESP32 image: it needs a bootloader at 0x1000 and a partition table at 0x8000");
}

static void
test_broken_app_in_merged (void)
{
  g_autoptr(GPtrArray) parts = make_parts ();
  g_autoptr(GBytes) merged = fs_merged_image_build (parts, 0, NULL);
  g_autoptr(GByteArray) damaged = g_byte_array_new ();
  g_autoptr(GBytes) damaged_bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) split = NULL;

  g_byte_array_append (damaged, g_bytes_get_data (merged, NULL), g_bytes_get_size (merged));
  damaged->data[0x10000] = 0x00;   /* the app's magic */
  damaged_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&damaged));

  split = fs_merged_image_split (damaged_bytes, FS_CHIP_ESP32, &error);
  g_assert_null (split);
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_prefix (error->message, "vm0 at 0x10000: "));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/merged/build-and-split", test_build_and_split);
  g_test_add_func ("/merged/fill", test_fill);
  g_test_add_func ("/merged/fill-too-small", test_fill_too_small);
  g_test_add_func ("/merged/overlap", test_overlap);
  g_test_add_func ("/merged/not-merged", test_not_merged);
  g_test_add_func ("/merged/broken-app", test_broken_app_in_merged);

  return g_test_run ();
}
