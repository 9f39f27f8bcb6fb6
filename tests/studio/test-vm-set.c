/* test-vm-set.c: VM sets from app images, merged images and manifests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>

#include "fs-error.h"
#include "fs-flash.h"
#include "fs-image.h"
#include "fs-merged.h"
#include "fs-otadata.h"
#include "fs-partition-table.h"
#include "fs-test-image.h"
#include "fs-test-util.h"
#include "fs-vm-set.h"

typedef struct {
  char     *dir;
  FsLayout *layout;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("fs-vm-set-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->layout = fs_layout_new_builtin ("esp32-8mb", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  fs_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_object_unref (fixture->layout);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            GBytes     *bytes)
{
  char *path = g_build_filename (fixture->dir, name, NULL);

  fs_test_write_bytes (path, bytes);
  return path;
}

static const FsFlashPart *
part (FsVmSet *set,
      guint    index)
{
  return g_ptr_array_index (fs_vm_set_get_parts (set), index);
}

static void
test_app_image (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GBytes) app = fs_test_app_image (FS_CHIP_ESP32, "blink", 4096, 1);
  g_autofree char *path = write_file (fixture, "blink.bin", app);
  g_autoptr(GError) error = NULL;
  g_autoptr(FsVmSet) set = fs_vm_set_new_from_file (path, fixture->layout, FS_CHIP_ESP32, &error);
  g_autoptr(FsPartitionTable) table = NULL;
  g_autoptr(FsOtadata) otadata = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (fs_vm_set_get_title (set), ==, "blink 1.2.3");
  g_assert_false (fs_vm_set_get_has_bootloader (set));
  g_assert_cmpuint (fs_vm_set_get_parts (set)->len, ==, 3);
  g_assert_cmpuint (part (set, 0)->offset, ==, 0x8000);
  g_assert_cmpstr (part (set, 0)->name, ==, "partition-table");
  table = fs_partition_table_new_from_binary (part (set, 0)->data, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fs_partition_table_get_n_ota_slots (table), ==, 2);
  g_assert_cmpuint (part (set, 1)->offset, ==, 0xD000);
  otadata = fs_otadata_new_from_bytes (part (set, 1)->data, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fs_otadata_get_boot_slot (otadata, 2), ==, 0);
  g_assert_cmpuint (part (set, 2)->offset, ==, 0x10000);
  g_assert_cmpstr (part (set, 2)->name, ==, "vm0");
  g_assert_true (g_bytes_equal (part (set, 2)->data, app));
}

static void
test_merged_image (Fixture       *fixture,
                   gconstpointer  user_data)
{
  /* The bootloader fs_test_factory_image() puts in */
  g_autoptr(GBytes) bootloader = fs_test_bootloader_image (3);
  g_autoptr(GBytes) app = fs_test_app_image (FS_CHIP_ESP32, "micropython", 8192, 1);
  /* Built with another layout than the one chosen: the chosen one wins */
  g_autoptr(GBytes) merged = fs_test_factory_image (app, "esp32-8mb-ble");
  g_autofree char *path = write_file (fixture, "factory.bin", merged);
  g_autoptr(GError) error = NULL;
  g_autoptr(FsVmSet) set = fs_vm_set_new_from_file (path, fixture->layout, FS_CHIP_ESP32, &error);
  g_autoptr(FsPartitionTable) table = fs_layout_to_partition_table (fixture->layout);
  g_autoptr(GBytes) table_bytes = fs_partition_table_to_binary (table, TRUE, NULL);

  g_assert_no_error (error);
  g_assert_true (fs_vm_set_get_has_bootloader (set));
  g_assert_cmpstr (fs_vm_set_get_title (set), ==, "micropython 1.2.3");
  g_assert_cmpuint (fs_vm_set_get_parts (set)->len, ==, 4);
  g_assert_cmpuint (part (set, 0)->offset, ==, 0x1000);
  g_assert_true (g_bytes_equal (part (set, 0)->data, bootloader));
  g_assert_true (g_bytes_equal (part (set, 1)->data, table_bytes));
  g_assert_true (g_bytes_equal (part (set, 3)->data, app));
}

static void
test_manifest (Fixture       *fixture,
               gconstpointer  user_data)
{
  static const char manifest[] =
    "{ \"name\": \"Demo\", \"builds\": [ { \"chipFamily\": \"ESP32\", \"parts\": ["
    " { \"path\": \"bootloader.bin\", \"offset\": 4096 },"
    " { \"path\": \"app.bin\", \"offset\": 65536 } ] } ] }";
  g_autoptr(GBytes) bootloader = fs_test_app_image (FS_CHIP_ESP32, "bootloader", 1024, 1);
  g_autoptr(GBytes) app = fs_test_app_image (FS_CHIP_ESP32, "demo", 2048, 1);
  g_autoptr(GBytes) text = g_bytes_new_static (manifest, sizeof manifest - 1);
  g_autofree char *app_path = write_file (fixture, "app.bin", app);
  g_autofree char *path = write_file (fixture, "manifest.json", text);
  g_autoptr(GError) error = NULL;
  g_autoptr(FsVmSet) set = NULL;

  g_free (write_file (fixture, "bootloader.bin", bootloader));
  set = fs_vm_set_new_from_file (path, fixture->layout, FS_CHIP_ESP32, &error);
  g_assert_no_error (error);
  g_assert_true (fs_vm_set_get_has_bootloader (set));
  g_assert_cmpstr (fs_vm_set_get_title (set), ==, "demo 1.2.3");

  g_remove (app_path);
  g_clear_object (&set);
  set = fs_vm_set_new_from_file (path, fixture->layout, FS_CHIP_ESP32, &error);
  g_assert_null (set);
  g_assert_error (error, FS_ERROR, FS_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "The manifest’s part “app.bin” could not be read: "));
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GBytes) c3 = fs_test_app_image (FS_CHIP_ESP32_C3, "c3", 1024, 1);
  g_autoptr(GBytes) huge = fs_test_app_image (FS_CHIP_ESP32, "huge", 1100 * 1024, 1);
  g_autoptr(GBytes) text = g_bytes_new_static ("hello", 5);
  g_autofree char *c3_path = write_file (fixture, "c3.bin", c3);
  g_autofree char *huge_path = write_file (fixture, "huge.bin", huge);
  g_autofree char *text_path = write_file (fixture, "notes.txt", text);
  g_autoptr(GError) error = NULL;

  g_assert_null (fs_vm_set_new_from_file (c3_path, fixture->layout, FS_CHIP_ESP32, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "c3.bin: "));
  g_assert_nonnull (strstr (error->message, "ESP32-C3"));
  g_clear_error (&error);

  g_assert_null (fs_vm_set_new_from_file (huge_path, fixture->layout, FS_CHIP_ESP32, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "huge.bin: "));
  g_clear_error (&error);

  g_assert_null (fs_vm_set_new_from_file (text_path, fixture->layout, FS_CHIP_ESP32, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==,
                   "notes.txt is not an app image, a merged image or an ESP Web Tools manifest");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/vm-set/app-image", test_app_image);
  ADD ("/vm-set/merged-image", test_merged_image);
  ADD ("/vm-set/manifest", test_manifest);
  ADD ("/vm-set/refused", test_refused);
#undef ADD

  return g_test_run ();
}
