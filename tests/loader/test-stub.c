/* test-stub.c: finding the stub loader where flashers install it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>

#include "fs-error.h"
#include "fs-stub.h"
#include "fs-test-util.h"

static char *
put_file (const char *root,
          const char *relative,
          const char *contents)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return g_steal_pointer (&path);
}

static void
assert_found (const char * const *roots,
              const char         *expected_path,
              const char         *expected_contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) stub = fs_stub_find (FS_CHIP_ESP32, roots, &path, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, expected_path);
  g_assert_cmpmem (g_bytes_get_data (stub, NULL), g_bytes_get_size (stub),
                   expected_contents, strlen (expected_contents));
}

/* A root that is a Python site-packages: esptool 4.8's classic stub
 * first, then the older flat name, then the new "2/" family */
static void
test_esptool_layouts (void)
{
  g_autofree char *root = g_dir_make_tmp ("fs-stub-XXXXXX", NULL);
  const char *roots[] = { root, NULL };
  g_autofree char *v1 = put_file (root, "esptool/targets/stub_flasher/1/esp32.json", "{\"v\": 1}");
  g_autofree char *flat = put_file (root, "esptool/targets/stub_flasher/stub_flasher_32.json", "{\"v\": 0}");
  g_autofree char *v2 = put_file (root, "esptool/targets/stub_flasher/2/esp32.json", "{\"v\": 2}");

  assert_found (roots, v1, "{\"v\": 1}");
  g_remove (v1);
  assert_found (roots, flat, "{\"v\": 0}");
  g_remove (flat);
  assert_found (roots, v2, "{\"v\": 2}");
  fs_test_remove_tree (root);
}

/* A root that is a node_modules folder, or that holds the file itself */
static void
test_esptool_js_and_plain_folder (void)
{
  g_autofree char *modules = g_dir_make_tmp ("fs-stub-XXXXXX", NULL);
  g_autofree char *plain = g_dir_make_tmp ("fs-stub-XXXXXX", NULL);
  const char *roots[] = { plain, modules, NULL };
  g_autofree char *js = put_file (modules, "esptool-js/lib/targets/stub_flasher/esp32.json", "{\"js\": true}");
  g_autofree char *mine = NULL;

  assert_found (roots, js, "{\"js\": true}");
  mine = put_file (plain, "esp32.json", "{\"mine\": true}");
  assert_found (roots, mine, "{\"mine\": true}");
  fs_test_remove_tree (modules);
  fs_test_remove_tree (plain);
}

static void
test_candidates_start_with_roots (void)
{
  const char *roots[] = { "/nowhere", NULL };
  g_autoptr(GPtrArray) candidates = fs_stub_candidates (FS_CHIP_ESP32_S3, roots);

  g_assert_cmpuint (candidates->len, >, 6);
  g_assert_cmpstr (g_ptr_array_index (candidates, 0), ==, "/nowhere/esp32s3.json");
  g_assert_cmpstr (g_ptr_array_index (candidates, 1), ==, "/nowhere/esptool/targets/stub_flasher/1/esp32s3.json");
  g_assert_cmpstr (g_ptr_array_index (candidates, 2), ==, "/nowhere/esptool/targets/stub_flasher/stub_flasher_32s3.json");
}

static void
test_not_found (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) stub = fs_stub_find (FS_CHIP_UNKNOWN, NULL, &path, &error);

  g_assert_null (stub);
  g_assert_null (path);
  g_assert_error (error, FS_ERROR, FS_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "pip install --user esptool"));
  g_assert_nonnull (strstr (error->message, "npm install -g esptool-js"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stub/esptool-layouts", test_esptool_layouts);
  g_test_add_func ("/stub/esptool-js-and-plain-folder", test_esptool_js_and_plain_folder);
  g_test_add_func ("/stub/candidates-start-with-roots", test_candidates_start_with_roots);
  g_test_add_func ("/stub/not-found", test_not_found);

  return g_test_run ();
}
