/* fs-test-image.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fs-flash.h"
#include "fs-image.h"
#include "fs-layout.h"
#include "fs-merged.h"
#include "fs-otadata.h"
#include "fs-partition-table.h"
#include "fs-test-image.h"

#define CODE_ADDRESS (0x400D0000 + FS_APP_DESC_OFFSET + FS_APP_DESC_SIZE + FS_IMAGE_SEGMENT_HEADER)

GBytes *
fs_test_app_image (FsChipId    chip,
                   const char *project,
                   gsize       size,
                   guint32     seed)
{
  /* The code is mapped from flash in 64 KiB pages: its address matches
   * where it sits in the image (after the header, the description and
   * two segment headers), as a bootloader checks */
  FsImageBuildOptions options = { .chip = chip, .entry = CODE_ADDRESS, .flash_size_code = 2,
                                  .max_rev_full = 0xFFFF };
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_image_segment_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GBytes) desc_bytes = NULL;
  g_autoptr(GBytes) code = NULL;
  g_autoptr(GError) error = NULL;
  FsAppDesc desc = { 0 };
  guint8 *bytes = g_malloc (size);
  GBytes *built;

  for (gsize i = 0; i < size; i++)
    bytes[i] = g_rand_int (rand) & 0xFF;
  code = g_bytes_new_take (bytes, size);
  g_strlcpy (desc.project_name, project, sizeof desc.project_name);
  g_strlcpy (desc.version, "1.2.3", sizeof desc.version);
  desc_bytes = fs_app_desc_to_bytes (&desc);
  g_ptr_array_add (segments, fs_image_segment_new (0x3F400020, desc_bytes));
  g_ptr_array_add (segments, fs_image_segment_new (CODE_ADDRESS, code));
  built = fs_image_build (&options, segments, &error);
  g_assert_no_error (error);
  return built;
}

GBytes *
fs_test_bootloader_image (guint8 flash_size_code)
{
  FsImageBuildOptions options = { .chip = FS_CHIP_ESP32, .entry = 0x40080658, .flash_mode = FS_FLASH_MODE_DIO,
                                  .flash_size_code = flash_size_code, .max_rev_full = 0xFFFF,
                                  .append_digest = TRUE };
  static const struct { guint32 load; gsize size; } layout[] = {
    { 0x3FFF0030, 0x1A10 }, { 0x40078000, 0x3E80 }, { 0x40080400, 0x0C64 },
  };
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_image_segment_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (flash_size_code);
  g_autoptr(GError) error = NULL;
  GBytes *built;

  for (guint i = 0; i < G_N_ELEMENTS (layout); i++)
    {
      guint8 *code = g_malloc (layout[i].size);
      g_autoptr(GBytes) bytes = NULL;

      for (gsize j = 0; j < layout[i].size; j++)
        code[j] = g_rand_int (rand) & 0xFF;
      bytes = g_bytes_new_take (code, layout[i].size);
      g_ptr_array_add (segments, fs_image_segment_new (layout[i].load, bytes));
    }
  built = fs_image_build (&options, segments, &error);
  g_assert_no_error (error);
  return built;
}

GBytes *
fs_test_factory_image (GBytes     *app,
                       const char *layout_name)
{
  g_autoptr(GBytes) bootloader = fs_test_bootloader_image (3);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_flash_part_free);
  g_autoptr(FsLayout) layout = fs_layout_new_builtin (layout_name, NULL);
  g_autoptr(FsPartitionTable) table = fs_layout_to_partition_table (layout);
  g_autoptr(GBytes) table_bytes = fs_partition_table_to_binary (table, TRUE, NULL);
  g_autoptr(GError) error = NULL;
  GBytes *merged;

  g_ptr_array_add (parts, fs_flash_part_new (0x1000, bootloader, "bootloader"));
  g_ptr_array_add (parts, fs_flash_part_new (0x8000, table_bytes, "partition-table"));
  g_ptr_array_add (parts, fs_flash_part_new (0x10000, app, "app"));
  merged = fs_merged_image_build (parts, 0, &error);
  g_assert_no_error (error);
  return merged;
}

GBytes *
fs_test_printing_app (const char         *project,
                      const char * const *strings)
{
  FsImageBuildOptions options = { .chip = FS_CHIP_ESP32, .entry = CODE_ADDRESS, .flash_size_code = 2,
                                  .max_rev_full = 0xFFFF, .append_digest = TRUE };
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_image_segment_free);
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GBytes) desc_bytes = NULL;
  g_autoptr(GError) error = NULL;
  FsAppDesc desc = { 0 };
  GBytes *app;

  /* The strings follow the description in the segment the bootloader
   * maps at the address matching its flash offset, as an app's are */
  g_strlcpy (desc.project_name, project, sizeof desc.project_name);
  g_strlcpy (desc.version, "1.2.3", sizeof desc.version);
  desc_bytes = fs_app_desc_to_bytes (&desc);
  g_byte_array_append (data, g_bytes_get_data (desc_bytes, NULL), g_bytes_get_size (desc_bytes));
  for (guint i = 0; strings[i] != NULL; i++)
    g_byte_array_append (data, (const guint8 *) strings[i], strlen (strings[i]) + 1);
  while (data->len % 4 != 0)
    g_byte_array_append (data, (const guint8 *) "", 1);
  g_ptr_array_add (segments, fs_image_segment_new (0x3F400020, g_byte_array_free_to_bytes (g_steal_pointer (&data))));
  app = fs_image_build (&options, segments, &error);
  g_assert_no_error (error);
  return app;
}

GBytes *
fs_test_printing_flash (const char * const *strings,
                        guint64             fill_to)
{
  static const char csv[] = "nvs, data, nvs, 0x9000, 0x6000,\nfactory, app, factory, 0x10000, 1M,\n";
  g_autoptr(GBytes) bootloader = fs_test_bootloader_image (2);
  g_autoptr(FsPartitionTable) table = fs_partition_table_new_from_csv (csv, strlen (csv), NULL);
  g_autoptr(GBytes) table_bytes = fs_partition_table_to_binary (table, TRUE, NULL);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_flash_part_free);
  g_autoptr(GBytes) app = fs_test_printing_app ("printer", strings);
  g_autoptr(GError) error = NULL;
  GBytes *merged;

  g_ptr_array_add (parts, fs_flash_part_new (0x1000, bootloader, "bootloader"));
  g_ptr_array_add (parts, fs_flash_part_new (0x8000, table_bytes, "partition-table"));
  g_ptr_array_add (parts, fs_flash_part_new (0x10000, app, "app"));
  merged = fs_merged_image_build (parts, fill_to, &error);
  g_assert_no_error (error);
  return merged;
}

static void
put (guint8  *flash,
     guint32  offset,
     GBytes  *bytes)
{
  gsize len = 0;
  const guint8 *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;

  if (data != NULL)
    memcpy (flash + offset, data, len);
}

GBytes *
fs_test_boot_flash (const FsTestFlash *spec)
{
  const gsize size = 8 * 1024 * 1024;
  guint8 *flash = g_malloc (size);
  g_autoptr(FsLayout) layout = fs_layout_new_builtin ("esp32-8mb", NULL);
  g_autoptr(FsPartitionTable) table = fs_layout_to_partition_table (layout);
  g_autoptr(GBytes) table_bytes = fs_partition_table_to_binary (table, TRUE, NULL);
  g_autoptr(FsOtadata) otadata = fs_otadata_new ();
  g_autoptr(GBytes) otadata_bytes = NULL;

  memset (flash, 0xFF, size);
  put (flash, 0x1000, spec->bootloader);
  if (spec->table)
    put (flash, 0x8000, table_bytes);
  if (spec->otadata_slot >= 0)
    {
      g_assert_cmpint (fs_otadata_select_slot (otadata, spec->otadata_slot, 2, NULL), >=, 0);
      otadata_bytes = fs_otadata_to_bytes (otadata);
      put (flash, 0xD000, otadata_bytes);
    }
  put (flash, 0x10000, spec->vm0);
  put (flash, 0x110000, spec->vm1);
  put (flash, 0x210000, spec->bytecode0);
  return g_bytes_new_take (flash, size);
}

GBytes *
fs_test_bytes_flip (GBytes *bytes,
                    gsize   offset,
                    guint8  mask)
{
  gsize len = 0;
  guint8 *copy = g_memdup2 (g_bytes_get_data (bytes, &len), g_bytes_get_size (bytes));

  g_assert_cmpuint (offset, <, len);
  copy[offset] ^= mask;
  return g_bytes_new_take (copy, len);
}
