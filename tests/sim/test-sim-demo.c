/* test-sim-demo.c: the demo firmware the project builds for the virtual board
 *
 * FS_DEMO_DIR names the build folder the package is written to.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "fs-image.h"
#include "fs-layout.h"
#include "fs-manifest.h"
#include "fs-sim-app.h"
#include "fs-sim-demo.h"

#define MMU_PAGE_SIZE 0x10000u
#define CHIP_REV_V3_0 300

static GBytes *
build (const char *name)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = fs_sim_demo_build_part (name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  return bytes;
}

static FsLayout *
demo_layout (void)
{
  g_autoptr(GError) error = NULL;
  FsLayout *layout = fs_layout_new_builtin (FS_SIM_DEMO_LAYOUT, &error);

  g_assert_no_error (error);
  return layout;
}

/* Parsed, and valid as a board checks it: checksum, SHA-256, chip, size */
static FsImage *
valid_image (const char *name,
             gsize       max_size)
{
  g_autoptr(GBytes) bytes = build (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(FsImage) image = fs_image_new_from_bytes (bytes, &error);

  g_assert_no_error (error);
  fs_image_validate (image, FS_CHIP_ESP32, CHIP_REV_V3_0, max_size, &error);
  g_assert_no_error (error);
  g_assert_true (fs_image_get_has_digest (image));
  g_assert_cmpint (fs_image_get_flash_mode (image), ==, FS_FLASH_MODE_DIO);
  g_assert_cmpuint (fs_image_get_flash_freq_mhz (image), ==, 40);
  g_assert_cmpuint (fs_image_get_flash_size (image), ==, 8 * 1024 * 1024);
  return g_steal_pointer (&image);
}

static void
assert_desc (const FsAppDesc *desc,
             const char      *project)
{
  g_assert_nonnull (desc);
  g_assert_cmpstr (desc->project_name, ==, project);
  g_assert_cmpstr (desc->version, ==, PACKAGE_VERSION);
  g_assert_cmpstr (desc->idf_version, ==, "v5.1.4");
  g_assert_cmpstr (desc->date, !=, "");
  g_assert_cmpstr (desc->time, !=, "");
}

static void
test_bootloader (void)
{
  g_autoptr(FsLayout) layout = demo_layout ();
  const FsLayoutRegion *region = fs_layout_find_region (layout, "bootloader");
  g_autoptr(FsImage) image = valid_image ("bootloader", region->size);
  GPtrArray *segments = fs_image_get_segments (image);
  static const guint32 load_addrs[] = { 0x3fff0030, 0x40078000, 0x40080400 };
  FsImageSegment *last;

  g_assert_cmpuint (segments->len, ==, G_N_ELEMENTS (load_addrs));
  for (guint i = 0; i < segments->len; i++)
    g_assert_cmphex (((FsImageSegment *) g_ptr_array_index (segments, i))->load_addr, ==, load_addrs[i]);
  /* The entry point is in the code loaded into IRAM */
  last = g_ptr_array_index (segments, segments->len - 1);
  g_assert_cmphex (fs_image_get_entry (image), >=, last->load_addr);
  g_assert_cmphex (fs_image_get_entry (image), <, last->load_addr + g_bytes_get_size (last->data));
  assert_desc (fs_image_get_app_desc (image), "bootloader");
}

static void
test_app (void)
{
  g_autoptr(FsLayout) layout = demo_layout ();
  const FsLayoutRegion *slot = fs_layout_find_slot (layout, FS_REGION_KIND_VM, 0);
  g_autoptr(FsImage) image = valid_image ("app", slot->size);
  GPtrArray *segments = fs_image_get_segments (image);
  FsImageSegment *drom = g_ptr_array_index (segments, 0);
  gboolean has_irom = FALSE;

  assert_desc (fs_image_get_app_desc (image), FS_SIM_DEMO_PROJECT);
  /* Laid out as esptool lays out an ESP-IDF app: rodata first, the
   * description at its start, and the mapped segments where their address
   * sits in a 64 KiB page, once the image is at a page's start */
  g_assert_cmphex (drom->load_addr, ==, 0x3f400020);
  g_assert_cmphex (drom->file_offset, ==, FS_APP_DESC_OFFSET);
  for (guint i = 0; i < segments->len; i++)
    {
      FsImageSegment *segment = g_ptr_array_index (segments, i);
      gboolean mapped = (segment->load_addr >= 0x3f400000 && segment->load_addr < 0x3f800000) ||
                        (segment->load_addr >= 0x400d0000 && segment->load_addr < 0x40400000);

      if (mapped)
        g_assert_cmphex (segment->file_offset % MMU_PAGE_SIZE, ==, segment->load_addr % MMU_PAGE_SIZE);
      has_irom |= segment->load_addr == 0x400d0020;
    }
  g_assert_true (has_irom);
  g_assert_cmpuint (segments->len, ==, 5);
}

/* The VM's strings, as the virtual board reads them from the app */
static FsSimApp *
collect (const char *name)
{
  g_autoptr(GBytes) bytes = build (name);
  FsSimApp *app = fs_sim_app_new ();
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  fs_sim_app_collect (app, data, len);
  return app;
}

static void
test_app_strings (void)
{
  g_autoptr(FsSimApp) vm = collect ("app");

  g_assert_cmpuint (vm->lines->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (vm->lines, 0), ==,
                   "\033[0;32mI (%t) vm: Flash Studio virtual demo VM " PACKAGE_VERSION "\033[0m");
  g_assert_true (g_str_has_prefix (g_ptr_array_index (vm->lines, 1), "\033[0;33mW (%t) vm: "));
  g_assert_cmpstr (vm->no_program, ==, "\033[0;33mW (%t) vm: no program in bytecode slot 0 yet: upload one\033[0m");
  g_assert_nonnull (strstr (vm->repeat_line, "%u"));
  g_assert_nonnull (strstr (vm->repeat_line, "(%t)"));
  g_assert_cmpuint (vm->repeat_ms, ==, 1000);
  g_assert_cmpint (vm->end, ==, FS_SIM_APP_RUNS);
}

/* Nothing but NUL-terminated FSSIM strings, and no erased byte */
static void
assert_program (const char *name)
{
  g_autoptr(GBytes) bytes = build (name);
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  g_assert_cmpuint (len, >, 0);
  g_assert_cmpint (data[len - 1], ==, '\0');
  g_assert_null (memchr (data, 0xFF, len));
  for (gsize pos = 0; pos < len; pos += strlen (data + pos) + 1)
    g_assert_true (g_str_has_prefix (data + pos, "FSSIM:"));
}

static void
test_programs (void)
{
  g_autoptr(FsSimApp) one = collect ("program-1");
  g_autoptr(FsSimApp) two = collect ("program-2");

  assert_program ("program-1");
  assert_program ("program-2");
  g_assert_cmpuint (one->lines->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (one->lines, 0), "Hello from the demo program, version 1"));
  g_assert_nonnull (one->repeat_line);
  /* Version 2 says something else, a warning too, and ticks faster */
  g_assert_cmpuint (two->lines->len, ==, 2);
  g_assert_null (strstr (g_ptr_array_index (two->lines, 0), "version 1"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (two->lines, 1), "\033[0;33mW (%t) hello: "));
  g_assert_cmpuint (two->repeat_ms, <, one->repeat_ms);
  g_assert_cmpstr (two->repeat_line, !=, one->repeat_line);
}

static void
test_partition_table (void)
{
  g_autoptr(FsLayout) layout = demo_layout ();
  g_autoptr(FsPartitionTable) expected = fs_layout_to_partition_table (layout);
  g_autoptr(GBytes) bytes = build ("partition-table");
  g_autoptr(GError) error = NULL;
  g_autoptr(FsPartitionTable) table = fs_partition_table_new_from_binary (bytes, &error);

  g_assert_no_error (error);
  g_assert_true (fs_partition_table_get_has_md5 (table));
  g_assert_true (fs_partition_table_equal (table, expected));
}

static GBytes *
read_built_file (const char *file_name)
{
  g_autofree char *path = g_build_filename (g_getenv ("FS_DEMO_DIR"), file_name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static void
test_manifest (void)
{
  g_autoptr(GBytes) bytes = build ("manifest");
  g_autoptr(GError) error = NULL;
  g_autoptr(FsManifest) manifest = fs_manifest_new_from_bytes (bytes, &error);
  const FsManifestBuild *esp32;
  static const struct {
    const char *name;
    guint32     offset;
  } expected[] = { { "bootloader", 0x1000 }, { "partition-table", 0x8000 }, { "app", 0x10000 } };

  g_assert_no_error (error);
  g_assert_cmpstr (fs_manifest_get_version (manifest), ==, PACKAGE_VERSION);
  g_assert_cmpstr (fs_manifest_get_name (manifest), !=, "");
  esp32 = fs_manifest_find_build (manifest, "ESP32");
  g_assert_nonnull (esp32);
  g_assert_cmpuint (esp32->parts->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < esp32->parts->len; i++)
    {
      FsManifestPart *part = g_ptr_array_index (esp32->parts, i);
      g_autoptr(GBytes) built = read_built_file (part->path);
      g_autoptr(GBytes) made = build (expected[i].name);

      g_assert_cmpstr (part->path, ==, fs_sim_demo_get_file_name (expected[i].name));
      g_assert_cmphex (part->offset, ==, expected[i].offset);
      /* The files beside the manifest are its parts */
      g_assert_true (g_bytes_equal (built, made));
    }
}

/* What the build wrote is what the builder makes, each time the same */
static void
test_build_folder (void)
{
  const char * const *names = fs_sim_demo_get_part_names ();

  g_assert_cmpuint (g_strv_length ((char **) names), ==, 6);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GBytes) built = read_built_file (fs_sim_demo_get_file_name (names[i]));
      g_autoptr(GBytes) made = build (names[i]);
      g_autoptr(GBytes) again = build (names[i]);

      g_assert_true (g_bytes_equal (built, made));
      g_assert_true (g_bytes_equal (made, again));
    }
  g_assert_null (fs_sim_demo_get_file_name ("firmware"));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim-demo/bootloader", test_bootloader);
  g_test_add_func ("/sim-demo/app", test_app);
  g_test_add_func ("/sim-demo/app-strings", test_app_strings);
  g_test_add_func ("/sim-demo/programs", test_programs);
  g_test_add_func ("/sim-demo/partition-table", test_partition_table);
  g_test_add_func ("/sim-demo/manifest", test_manifest);
  g_test_add_func ("/sim-demo/build-folder", test_build_folder);

  return g_test_run ();
}
