/* test-board-catalog.c: shipped and user profiles together
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <locale.h>

#include "fs-board-catalog.h"
#include "fs-flash.h"

#define USER_BOARD \
  "[Board]\n"                   /* 1 */ \
  "Id=%s\n"                     /* 2 */ \
  "Name=%s\n"                   /* 3 */ \
  "Vendor=Me\n"                 /* 4 */ \
  "Chip=ESP32\n"                /* 5 */ \
  "FlashSize=4M\n"              /* 6 */ \
  "DefaultBaud=115200\n"        /* 7 */ \
  "MaxBaud=460800\n"            /* 8 */ \
  "[Reset]\n"                   /* 9 */ \
  "Method=auto\n"               /* 10 */ \
  "[Bridge usb]\n"              /* 11 */ \
  "UsbId=%s\n"                  /* 12 */ \
  "Description=My bridge\n"     /* 13 */

/* A folder of the user's own profiles, removed with its files */
typedef struct {
  char      *path;
  GPtrArray *files;
} UserDir;

static void
user_dir_free (UserDir *dir)
{
  for (guint i = 0; i < dir->files->len; i++)
    g_assert_cmpint (g_remove (g_ptr_array_index (dir->files, i)), ==, 0);
  g_assert_cmpint (g_rmdir (dir->path), ==, 0);
  g_ptr_array_unref (dir->files);
  g_free (dir->path);
  g_free (dir);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UserDir, user_dir_free)

static UserDir *
user_dir_new (void)
{
  g_autoptr(GError) error = NULL;
  UserDir *dir = g_new0 (UserDir, 1);

  dir->path = g_dir_make_tmp ("flash-studio-boards-XXXXXX", &error);
  g_assert_no_error (error);
  dir->files = g_ptr_array_new_with_free_func (g_free);
  return dir;
}

static char *
user_dir_write (UserDir    *dir,
                const char *name,
                const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir->path, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
  g_ptr_array_add (dir->files, g_strdup (path));
  return path;
}

static char *
user_board (const char *id,
            const char *name,
            const char *usb_id)
{
  return g_strdup_printf (USER_BOARD, id, name, usb_id);
}

static const char *
profile_id (GPtrArray *profiles,
            guint      index)
{
  return fs_board_profile_get_id (g_ptr_array_index (profiles, index));
}

static void
test_shipped (void)
{
  g_autoptr(FsBoardCatalog) catalog = fs_board_catalog_new (NULL);
  GPtrArray *profiles = fs_board_catalog_get_profiles (catalog);

  g_assert_cmpuint (fs_board_catalog_get_problems (catalog)->len, ==, 0);

  /* By name: "ESP32 DevKit…", "Heltec…", "Pycom…", "Vigotech…" */
  g_assert_cmpuint (profiles->len, ==, 4);
  g_assert_cmpstr (profile_id (profiles, 0), ==, "esp32-devkit");
  g_assert_cmpstr (profile_id (profiles, 1), ==, "heltec-wifi-kit-32");
  g_assert_cmpstr (profile_id (profiles, 2), ==, "pycom-fipy");
  g_assert_cmpstr (profile_id (profiles, 3), ==, "vigotech-vg-l7x");

  g_assert_cmpstr (fs_board_profile_get_name (fs_board_catalog_lookup (catalog, "pycom-fipy")), ==,
                   "Pycom FiPy 1.0");
  g_assert_null (fs_board_catalog_lookup (catalog, "esp8266"));
}

static void
test_missing_user_dir (void)
{
  g_autoptr(UserDir) dir = user_dir_new ();
  g_autofree char *missing = g_build_filename (dir->path, "boards", NULL);
  g_autoptr(FsBoardCatalog) catalog = fs_board_catalog_new (missing);

  g_assert_cmpuint (fs_board_catalog_get_problems (catalog)->len, ==, 0);
  g_assert_cmpuint (fs_board_catalog_get_profiles (catalog)->len, ==, 4);
}

static void
test_match_usb (void)
{
  g_autoptr(FsBoardCatalog) catalog = fs_board_catalog_new (NULL);
  g_autoptr(GPtrArray) cp2102 = fs_board_catalog_match_usb (catalog, 0x10c4, 0xea60,
                                                            "CP2102 USB to UART Bridge Controller");
  g_autoptr(GPtrArray) ft234xd = fs_board_catalog_match_usb (catalog, 0x0403, 0x6015, NULL);
  g_autoptr(GPtrArray) pytrack = fs_board_catalog_match_usb (catalog, 0x04d8, 0xf013, NULL);
  g_autoptr(GPtrArray) ch340 = fs_board_catalog_match_usb (catalog, 0x1a86, 0x7523, "USB2.0-Serial");
  g_autoptr(GPtrArray) unknown = fs_board_catalog_match_usb (catalog, 0x1234, 0x5678, NULL);

  g_assert_cmpuint (cp2102->len, ==, 2);
  g_assert_cmpstr (profile_id (cp2102, 0), ==, "esp32-devkit");
  g_assert_cmpstr (profile_id (cp2102, 1), ==, "heltec-wifi-kit-32");
  g_assert_cmpuint (ft234xd->len, ==, 1);
  g_assert_cmpstr (profile_id (ft234xd, 0), ==, "pycom-fipy");
  g_assert_cmpuint (pytrack->len, ==, 1);
  g_assert_cmpstr (profile_id (pytrack, 0), ==, "pycom-fipy");
  g_assert_cmpuint (ch340->len, ==, 1);
  g_assert_cmpstr (profile_id (ch340, 0), ==, "esp32-devkit");
  g_assert_cmpuint (unknown->len, ==, 0);
}

static void
test_user_profiles (void)
{
  g_autoptr(UserDir) dir = user_dir_new ();
  g_autofree char *mine = user_board ("my-board", "My board", "1234:5678");
  g_autofree char *heltec = user_board ("heltec-wifi-kit-32", "My Heltec", "10c4:ea60");
  g_autofree char *broken = user_board ("broken", "Broken board", "10c4:zz60");
  g_autofree char *mine_path = user_dir_write (dir, "mine.board", mine);
  g_autofree char *heltec_path = user_dir_write (dir, "heltec.board", heltec);
  g_autofree char *broken_path = user_dir_write (dir, "broken.board", broken);
  g_autofree char *expected = g_strdup_printf ("%s:12: UsbId “10c4:zz60” is not VID:PID in hex", broken_path);
  g_autoptr(FsBoardCatalog) catalog = NULL;
  g_autoptr(GPtrArray) cp2102 = NULL;
  GPtrArray *problems;
  FsBoardProfile *profile;
  FsProblem *problem;

  g_free (user_dir_write (dir, "notes.txt", "not a board"));
  catalog = fs_board_catalog_new (dir->path);
  problems = fs_board_catalog_get_problems (catalog);

  /* The broken file is reported and skipped; the others all load, and a
   * file that is not a .board is left alone */
  g_assert_cmpuint (problems->len, ==, 1);
  problem = g_ptr_array_index (problems, 0);
  g_assert_cmpstr (problem->subject, ==, broken_path);
  g_assert_cmpstr (problem->message, ==, expected);
  g_assert_null (fs_board_catalog_lookup (catalog, "broken"));

  g_assert_cmpuint (fs_board_catalog_get_profiles (catalog)->len, ==, 5);
  profile = fs_board_catalog_lookup (catalog, "my-board");
  g_assert_nonnull (profile);
  g_assert_cmpstr (fs_board_profile_get_origin (profile), ==, mine_path);

  /* The user's Heltec replaces the shipped one */
  profile = fs_board_catalog_lookup (catalog, "heltec-wifi-kit-32");
  g_assert_cmpstr (fs_board_profile_get_name (profile), ==, "My Heltec");
  g_assert_cmpstr (fs_board_profile_get_origin (profile), ==, heltec_path);
  g_assert_cmpuint (fs_board_profile_get_max_baud (profile), ==, 460800);
  cp2102 = fs_board_catalog_match_usb (catalog, 0x10c4, 0xea60, NULL);
  g_assert_cmpuint (cp2102->len, ==, 2);
  g_assert_true (g_ptr_array_index (cp2102, 1) == profile);
}

static void
test_user_duplicate_id (void)
{
  g_autoptr(UserDir) dir = user_dir_new ();
  g_autofree char *first = user_board ("my-board", "First", "1234:5678");
  g_autofree char *second = user_board ("my-board", "Second", "1234:5678");
  g_autofree char *first_path = user_dir_write (dir, "a.board", first);
  g_autofree char *second_path = user_dir_write (dir, "b.board", second);
  g_autofree char *expected = g_strdup_printf ("%s: Id “my-board” is already used by %s; this file is skipped",
                                               second_path, first_path);
  g_autoptr(FsBoardCatalog) catalog = fs_board_catalog_new (dir->path);
  GPtrArray *problems = fs_board_catalog_get_problems (catalog);

  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (((FsProblem *) g_ptr_array_index (problems, 0))->message, ==, expected);
  g_assert_cmpstr (fs_board_profile_get_name (fs_board_catalog_lookup (catalog, "my-board")), ==, "First");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/board-catalog/shipped", test_shipped);
  g_test_add_func ("/board-catalog/missing-user-dir", test_missing_user_dir);
  g_test_add_func ("/board-catalog/match-usb", test_match_usb);
  g_test_add_func ("/board-catalog/user-profiles", test_user_profiles);
  g_test_add_func ("/board-catalog/user-duplicate-id", test_user_duplicate_id);

  return g_test_run ();
}
