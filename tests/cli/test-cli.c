/* test-cli.c: flash-studio-cli's offline verbs, run as a user runs them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "fs-image.h"
#include "fs-layout.h"
#include "fs-partition-table.h"
#include "fs-test-util.h"

typedef struct {
  char *dir;
} Fixture;


static void
run_cli (FsTestRun *run,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("FLASH_STUDIO_CLI"));
  va_start (args, run);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
}

/* Bad input gets exactly one line on stderr, naming the file */
static void
assert_one_line_error (FsTestRun        *run,
                       const char *expected)
{
  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (run->err, ==, expected);
}

static char *
fixture_path (Fixture    *fixture,
              const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static char *
write_fixture_file (Fixture      *fixture,
                    const char   *name,
                    const void   *data,
                    gsize         len)
{
  g_autoptr(GError) error = NULL;
  char *path = fixture_path (fixture, name);

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  return path;
}

static GBytes *
make_app_image (void)
{
  FsImageBuildOptions options = {
    .chip = FS_CHIP_ESP32,
    .entry = 0x400D0018,
    .flash_mode = FS_FLASH_MODE_DIO,
    .flash_size_code = 2,
    .max_rev_full = 0xFFFF,
    .append_digest = TRUE,
  };
  FsAppDesc desc = { .secure_version = 0 };
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_image_segment_free);
  g_autoptr(GBytes) desc_bytes = NULL;
  g_autoptr(GBytes) code = g_bytes_new_static ("\x01\x02\x03\x04\x05\x06\x07\x08", 8);
  g_autoptr(GError) error = NULL;
  GBytes *image;

  g_strlcpy (desc.project_name, "blink", sizeof desc.project_name);
  g_strlcpy (desc.version, "1.2.3", sizeof desc.version);
  g_strlcpy (desc.idf_version, "v5.1.2", sizeof desc.idf_version);
  g_strlcpy (desc.date, "Nov 21 2026", sizeof desc.date);
  g_strlcpy (desc.time, "10:00:00", sizeof desc.time);
  desc_bytes = fs_app_desc_to_bytes (&desc);
  g_ptr_array_add (segments, fs_image_segment_new (0x3F400020, desc_bytes));
  g_ptr_array_add (segments, fs_image_segment_new (0x400D0018, code));
  image = fs_image_build (&options, segments, &error);
  g_assert_no_error (error);
  return image;
}

static char *
write_app_image (Fixture    *fixture,
                 const char *name,
                 gssize      truncate_to,
                 gssize      flip_at)
{
  g_autoptr(GBytes) image = make_app_image ();
  g_autofree guint8 *data = g_memdup2 (g_bytes_get_data (image, NULL), g_bytes_get_size (image));
  gsize len = truncate_to >= 0 ? (gsize) truncate_to : g_bytes_get_size (image);

  if (flip_at >= 0)
    data[flip_at] ^= 0x01;
  return write_fixture_file (fixture, name, data, len);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("flash-studio-cli-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  fs_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
test_help (void)
{
  static const char *verbs[] = { "image-info", "partition-table", "layout", "merge-image", "ports", "boards" };
  g_auto(FsTestRun) top = { 0 };
  g_auto(FsTestRun) none = { 0 };
  g_auto(FsTestRun) unknown = { 0 };

  run_cli (&top, "--help", NULL);
  g_assert_cmpint (top.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      g_auto(FsTestRun) verb = { 0 };

      g_assert_nonnull (strstr (top.out, verbs[i]));
      run_cli (&verb, verbs[i], "--help", NULL);
      g_assert_cmpint (verb.status, ==, 0);
      g_assert_nonnull (strstr (verb.out, "Exit status: 0"));
      g_assert_nonnull (strstr (verb.out, verbs[i]));
    }

  run_cli (&none, NULL);
  g_assert_cmpint (none.status, ==, 2);
  run_cli (&unknown, "frobnicate", NULL);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_true (g_str_has_prefix (unknown.err, "flash-studio-cli: “frobnicate” is not a command\n"));
}

static void
test_version (void)
{
  g_auto(FsTestRun) run = { 0 };

  run_cli (&run, "--version", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "flash-studio-cli "));
  g_assert_nonnull (strstr (run.out, "GLib "));
}

static void
test_usage_errors (void)
{
  g_auto(FsTestRun) no_file = { 0 };
  g_auto(FsTestRun) bad_option = { 0 };
  g_auto(FsTestRun) bad_format = { 0 };

  run_cli (&no_file, "image-info", NULL);
  g_assert_cmpint (no_file.status, ==, 2);
  run_cli (&bad_option, "image-info", "--frob", "x", NULL);
  g_assert_cmpint (bad_option.status, ==, 2);
  run_cli (&bad_format, "partition-table", "--format", "xml", "x", NULL);
  g_assert_cmpint (bad_format.status, ==, 2);
}

/* The bad inputs of the acceptance list, for every verb that reads a file */
static void
test_missing_and_empty_files (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autofree char *missing = fixture_path (fixture, "missing.bin");
  g_autofree char *empty = write_fixture_file (fixture, "empty.bin", "", 0);
  g_autofree char *out = fixture_path (fixture, "out.bin");
  g_autofree char *missing_message = g_strdup_printf ("%s: No such file or directory\n", missing);
  g_autofree char *empty_message = g_strdup_printf ("%s: the file is empty\n", empty);
  const char *verbs[][3] = {
    { "image-info", NULL, NULL },
    { "partition-table", NULL, NULL },
    { "layout", "show", NULL },
    { "merge-image", "--out", out },
  };

  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      g_auto(FsTestRun) run_missing = { 0 };
      g_auto(FsTestRun) run_empty = { 0 };

      if (verbs[i][1] == NULL)
        {
          run_cli (&run_missing, verbs[i][0], missing, NULL);
          run_cli (&run_empty, verbs[i][0], empty, NULL);
        }
      else if (g_str_equal (verbs[i][0], "merge-image"))
        {
          run_cli (&run_missing, verbs[i][0], verbs[i][1], verbs[i][2], "0x10000", missing, NULL);
          run_cli (&run_empty, verbs[i][0], verbs[i][1], verbs[i][2], "0x10000", empty, NULL);
        }
      else
        {
          run_cli (&run_missing, verbs[i][0], verbs[i][1], missing, NULL);
          run_cli (&run_empty, verbs[i][0], verbs[i][1], empty, NULL);
        }

      if (g_str_equal (verbs[i][0], "layout"))
        {
          /* A name that is neither a file nor a shipped layout */
          g_autofree char *expected = g_strdup_printf ("%s: no layout of that name, and no such file (“layout list” shows the layouts)\n", missing);
          assert_one_line_error (&run_missing, expected);
        }
      else
        assert_one_line_error (&run_missing, missing_message);
      if (g_str_equal (verbs[i][0], "layout"))
        g_assert_cmpint (run_empty.status, ==, 1);
      else
        assert_one_line_error (&run_empty, empty_message);
    }
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
test_image_info (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autofree char *path = write_app_image (fixture, "app.bin", -1, -1);
  g_auto(FsTestRun) text = { 0 };
  g_auto(FsTestRun) json = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  run_cli (&text, "image-info", path, NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_cmpstr (text.err, ==, "");
  g_assert_nonnull (strstr (text.out, "App: blink 1.2.3 (ESP-IDF v5.1.2"));
  g_assert_nonnull (strstr (text.out, "Chip: ESP32"));
  g_assert_nonnull (strstr (text.out, "valid"));

  run_cli (&json, "image-info", "--json", path, NULL);
  g_assert_cmpint (json.status, ==, 0);
  json_parser_load_from_data (parser, json.out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "kind"), ==, "image");
  g_assert_cmpstr (json_object_get_string_member (root, "chip"), ==, "ESP32");
  g_assert_true (json_object_get_boolean_member (root, "checksum_valid"));
  g_assert_true (json_object_get_boolean_member (root, "digest_valid"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "segments")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "app"), "project_name"), ==, "blink");
}

static void
test_image_info_bad (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GBytes) image = make_app_image ();
  gsize len = g_bytes_get_size (image);
  g_autofree char *truncated = write_app_image (fixture, "truncated.bin", 100, -1);
  g_autofree char *wrong_magic = write_app_image (fixture, "magic.bin", -1, 0);
  /* The last byte before the digest is the checksum */
  g_autofree char *bad_checksum = write_app_image (fixture, "checksum.bin", -1, len - 33);
  g_auto(FsTestRun) run_truncated = { 0 };
  g_auto(FsTestRun) run_magic = { 0 };
  g_auto(FsTestRun) run_checksum = { 0 };
  g_auto(FsTestRun) run_text = { 0 };
  g_autofree char *text = write_fixture_file (fixture, "notes.txt", "hello\n", 6);

  run_cli (&run_truncated, "image-info", truncated, NULL);
  g_assert_cmpint (run_truncated.status, ==, 1);
  g_assert_true (g_str_has_prefix (run_truncated.err, truncated));
  g_assert_cmpint (strchr (run_truncated.err, '\n') - run_truncated.err, ==, strlen (run_truncated.err) - 1);

  run_cli (&run_magic, "image-info", wrong_magic, NULL);
  g_assert_cmpint (run_magic.status, ==, 1);
  g_assert_true (g_str_has_prefix (run_magic.err, wrong_magic));
  g_assert_nonnull (strstr (run_magic.err, "0xe8"));

  run_cli (&run_checksum, "image-info", bad_checksum, NULL);
  g_assert_cmpint (run_checksum.status, ==, 1);
  g_assert_true (g_str_has_prefix (run_checksum.err, bad_checksum));
  g_assert_nonnull (strstr (run_checksum.out, "WRONG"));

  run_cli (&run_text, "image-info", text, NULL);
  g_assert_cmpint (run_text.status, ==, 1);
  g_assert_true (g_str_has_prefix (run_text.err, text));
}

static const char factory_csv[] =
  "# Name, Type, SubType, Offset, Size, Flags\n"
  "nvs, data, nvs, 0x9000, 0x6000,\n"
  "phy_init, data, phy, 0xf000, 0x1000,\n"
  "factory, app, factory, 0x10000, 1M,\n";

static const char overlapping_csv[] =
  "nvs, data, nvs, 0x9000, 0x6000,\n"
  "factory, app, factory, 0x10000, 1M,\n"
  "storage, data, fat, 0x100000, 64K,\n";

static void
test_partition_table_convert (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autofree char *csv = write_fixture_file (fixture, "table.csv", factory_csv, strlen (factory_csv));
  g_autofree char *binary = fixture_path (fixture, "table.bin");
  g_autofree char *back = fixture_path (fixture, "back.csv");
  g_autofree char *back_contents = NULL;
  g_autofree char *binary_contents = NULL;
  gsize binary_len = 0;
  g_auto(FsTestRun) to_binary = { 0 };
  g_auto(FsTestRun) to_csv = { 0 };
  g_auto(FsTestRun) json = { 0 };
  g_auto(FsTestRun) as_image = { 0 };

  run_cli (&to_binary, "partition-table", csv, "--out", binary, NULL);
  g_assert_cmpint (to_binary.status, ==, 0);
  g_assert_true (g_file_get_contents (binary, &binary_contents, &binary_len, NULL));
  g_assert_cmpuint (binary_len, ==, FS_PARTITION_TABLE_MAX_LEN);
  g_assert_cmphex ((guint8) binary_contents[0], ==, 0xAA);
  g_assert_cmphex ((guint8) binary_contents[1], ==, 0x50);

  run_cli (&to_csv, "partition-table", binary, "--out", back, NULL);
  g_assert_cmpint (to_csv.status, ==, 0);
  g_assert_true (g_file_get_contents (back, &back_contents, NULL, NULL));
  g_assert_nonnull (strstr (back_contents, "factory"));

  run_cli (&json, "partition-table", "--json", binary, NULL);
  g_assert_cmpint (json.status, ==, 0);
  g_assert_nonnull (strstr (json.out, "\"has_md5\" : true"));
  g_assert_nonnull (strstr (json.out, "\"label\" : \"phy_init\""));

  /* A table given to image-info is named for what it is */
  run_cli (&as_image, "image-info", binary, NULL);
  g_assert_cmpint (as_image.status, ==, 1);
  g_assert_nonnull (strstr (as_image.err, "this is a partition table, not an image"));
}

static void
test_partition_table_overlap (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autofree char *csv = write_fixture_file (fixture, "overlap.csv", overlapping_csv, strlen (overlapping_csv));
  g_autofree char *out = fixture_path (fixture, "overlap.bin");
  g_autofree char *expected = g_strdup_printf ("%s: “storage” (0x100000–0x110000) overlaps “factory” (0x010000–0x110000)\n", csv);
  g_auto(FsTestRun) run = { 0 };

  run_cli (&run, "partition-table", csv, "--out", out, NULL);
  assert_one_line_error (&run, expected);
  /* Nothing is written from a table that failed its checks */
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
test_partition_table_garbage (Fixture       *fixture,
                              gconstpointer  user_data)
{
  static const guint8 garbage[] = { 0xAA, 0x50, 0x00, 0x00, 0x01 };
  g_autofree char *path = write_fixture_file (fixture, "garbage.bin", garbage, sizeof garbage);
  g_auto(FsTestRun) run = { 0 };

  run_cli (&run, "partition-table", path, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.err, path));
  g_assert_cmpint (strchr (run.err, '\n') - run.err, ==, strlen (run.err) - 1);
}

static void
test_layout_list (void)
{
  g_auto(FsTestRun) text = { 0 };
  g_auto(FsTestRun) json = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  run_cli (&text, "layout", "list", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "esp32-8mb "));
  g_assert_nonnull (strstr (text.out, "esp32-8mb-ble "));

  run_cli (&json, "layout", "list", "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  json_parser_load_from_data (parser, json.out, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==, 2);
}

static void
test_layout_show (void)
{
  g_auto(FsTestRun) run = { 0 };

  run_cli (&run, "layout", "show", "esp32-8mb-ble", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_nonnull (strstr (run.out, "0x140000  0x270000  1216 KiB  vm1"));
  g_assert_nonnull (strstr (run.out, "0x400000  0x800000  4 MiB     storage2"));
  g_assert_nonnull (strstr (run.out, "Note on storage2: Moved from 0x392000"));
}

static void
test_layout_show_as_printed (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "esp32-8mb-as-printed.layout", NULL);
  g_autofree char *expected = g_strdup_printf ("%s: “storage2” (0x392000–0x792000) overlaps “reserved” (0x390000–0x400000)\n", path);
  g_auto(FsTestRun) run = { 0 };

  run_cli (&run, "layout", "show", path, NULL);
  assert_one_line_error (&run, expected);
}

static void
test_layout_table (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *out = fixture_path (fixture, "esp32-8mb.bin");
  g_autoptr(GBytes) expected = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(FsLayout) layout = fs_layout_new_builtin ("esp32-8mb", NULL);
  g_autoptr(FsPartitionTable) table = fs_layout_to_partition_table (layout);
  g_auto(FsTestRun) run = { 0 };
  g_auto(FsTestRun) no_out = { 0 };

  run_cli (&run, "layout", "table", "esp32-8mb", "--out", out, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (out, &contents, &len, NULL));
  expected = fs_partition_table_to_binary (table, TRUE, NULL);
  g_assert_cmpmem (contents, len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));

  run_cli (&no_out, "layout", "table", "esp32-8mb", NULL);
  g_assert_cmpint (no_out.status, ==, 2);
}

static void
test_merge_image (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *app = write_app_image (fixture, "app.bin", -1, -1);
  g_autofree char *table = fixture_path (fixture, "table.bin");
  g_autofree char *merged = fixture_path (fixture, "merged.bin");
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_auto(FsTestRun) make_table = { 0 };
  g_auto(FsTestRun) merge = { 0 };
  g_auto(FsTestRun) info = { 0 };
  g_auto(FsTestRun) json = { 0 };

  run_cli (&make_table, "layout", "table", "esp32-8mb", "--out", table, NULL);
  g_assert_cmpint (make_table.status, ==, 0);

  run_cli (&merge, "merge-image", "--out", merged, "0x1000", app, "0x8000", table, "0x10000", app, NULL);
  g_assert_cmpint (merge.status, ==, 0);
  g_assert_true (g_file_get_contents (merged, &contents, &len, NULL));
  g_assert_cmphex ((guint8) contents[0], ==, 0xFF);
  g_assert_cmphex ((guint8) contents[0x1000], ==, 0xE9);
  g_assert_cmphex ((guint8) contents[0x10000], ==, 0xE9);

  /* image-info recognises the merged image and names its parts */
  run_cli (&info, "image-info", merged, NULL);
  g_assert_cmpint (info.status, ==, 0);
  g_assert_nonnull (strstr (info.out, "merged image, 3 parts"));
  g_assert_nonnull (strstr (info.out, "vm0"));

  run_cli (&json, "merge-image", "--json", "--out", merged, "--fill-flash-size", "4M", "0x10000", app, NULL);
  g_assert_cmpint (json.status, ==, 0);
  g_assert_nonnull (strstr (json.out, "\"size\" : 4194304"));
  g_assert_nonnull (strstr (json.out, "\"offset\" : 65536"));
}

static void
test_merge_image_bad (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *app = write_app_image (fixture, "app.bin", -1, -1);
  g_autoptr(GBytes) image = make_app_image ();
  g_autofree char *broken = write_app_image (fixture, "broken.bin", -1, g_bytes_get_size (image) - 33);
  g_autofree char *merged = fixture_path (fixture, "merged.bin");
  g_autofree guint8 *zeros = g_malloc0 (0x2000);
  g_autofree char *blob = write_fixture_file (fixture, "blob.bin", zeros, 0x2000);
  g_autofree char *overlap_message = g_strdup_printf ("%s: “%s” at 0xa000 overlaps “%s” (0x9000–0xb000)\n",
                                                      merged, app, blob);
  g_auto(FsTestRun) overlap = { 0 };
  g_auto(FsTestRun) misaligned = { 0 };
  g_auto(FsTestRun) bad_image = { 0 };
  g_auto(FsTestRun) bad_address = { 0 };
  g_auto(FsTestRun) odd_args = { 0 };

  run_cli (&overlap, "merge-image", "--out", merged, "0x9000", blob, "0xA000", app, NULL);
  assert_one_line_error (&overlap, overlap_message);

  run_cli (&misaligned, "merge-image", "--out", merged, "0x1001", app, NULL);
  g_assert_cmpint (misaligned.status, ==, 1);
  g_assert_nonnull (strstr (misaligned.err, "not a multiple of 4 KiB"));

  run_cli (&bad_image, "merge-image", "--out", merged, "0x10000", broken, NULL);
  g_assert_cmpint (bad_image.status, ==, 1);
  g_assert_true (g_str_has_prefix (bad_image.err, broken));

  run_cli (&bad_address, "merge-image", "--out", merged, "here", app, NULL);
  g_assert_cmpint (bad_address.status, ==, 2);
  run_cli (&odd_args, "merge-image", "--out", merged, "0x1000", NULL);
  g_assert_cmpint (odd_args.status, ==, 2);

  g_assert_false (g_file_test (merged, G_FILE_TEST_EXISTS));
}

/* The verbs that read the user's folders read the fixture's instead */
static void
use_config_home (Fixture *fixture)
{
  g_setenv ("XDG_CONFIG_HOME", fixture->dir, TRUE);
}

static JsonArray *
parse_array (JsonParser *parser,
             const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  return json_node_get_array (json_parser_get_root (parser));
}

static JsonObject *
find_by_member (JsonArray  *array,
                const char *member,
                const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      if (g_strcmp0 (json_object_get_string_member (object, member), value) == 0)
        return object;
    }
  g_error ("no element with %s “%s”", member, value);
  return NULL;
}

static void
test_boards (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_auto(FsTestRun) run = { 0 };
  g_auto(FsTestRun) extra = { 0 };

  use_config_home (fixture);
  run_cli (&run, "boards", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_true (g_str_has_prefix (run.out, "Id                   Name                         Reset   Flash    USB bridges\n"));
  g_assert_nonnull (strstr (run.out, "\nheltec-wifi-kit-32   Heltec Wi-Fi Kit 32          auto    8 MiB    "
                                     "10c4:ea60 Silicon Labs CP2102\n"));
  g_assert_nonnull (strstr (run.out, "\nvigotech-vg-l7x      Vigotech VG-L7X controller   manual  4 MiB    "
                                     "(none: choose it by hand)\n"));

  run_cli (&extra, "boards", "heltec", NULL);
  g_assert_cmpint (extra.status, ==, 2);
  g_assert_true (g_str_has_prefix (extra.err, "flash-studio-cli boards: boards takes no arguments\n"));
}

static void
test_boards_json (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_auto(FsTestRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *boards;
  JsonObject *fipy;
  JsonObject *bridge;

  use_config_home (fixture);
  run_cli (&run, "boards", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  boards = parse_array (parser, run.out);
  g_assert_cmpuint (json_array_get_length (boards), ==, 4);
  fipy = find_by_member (boards, "id", "pycom-fipy");
  g_assert_cmpstr (json_object_get_string_member (fipy, "name"), ==, "Pycom FiPy 1.0");
  g_assert_cmpstr (json_object_get_string_member (fipy, "chip"), ==, "ESP32");
  g_assert_cmpstr (json_object_get_string_member (fipy, "reset_method"), ==, "manual");
  g_assert_cmpint (json_object_get_int_member (fipy, "flash_size"), ==, 8 * 1024 * 1024);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (fipy, "bridges")), ==, 3);
  bridge = json_array_get_object_element (json_object_get_array_member (fipy, "bridges"), 0);
  g_assert_cmpstr (json_object_get_string_member (bridge, "usb_id"), ==, "0403:6015");
}

static void
test_boards_broken_user_profile (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_auto(FsTestRun) run = { 0 };
  g_autofree char *parent = g_build_filename (fixture->dir, "flash-studio", NULL);
  g_autofree char *dir = g_build_filename (parent, "boards", NULL);
  g_autofree char *path = g_build_filename (dir, "mine.board", NULL);
  g_autofree char *expected = g_strdup_printf ("%s:2: Id “My Board” is not 1 to 64 lowercase letters, digits and “-”\n", path);
  g_autoptr(GError) error = NULL;

  use_config_home (fixture);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, "[Board]\nId=My Board\n", -1, &error);
  g_assert_no_error (error);

  /* The shipped boards are still listed; the broken one is told, and the status says so */
  run_cli (&run, "boards", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "heltec-wifi-kit-32"));
  g_assert_cmpstr (run.err, ==, expected);

  g_remove (path);
  g_rmdir (dir);
  g_rmdir (parent);
}

static void
test_ports_virtual (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_auto(FsTestRun) json = { 0 };
  g_auto(FsTestRun) text = { 0 };
  g_auto(FsTestRun) extra = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *ports;
  JsonObject *sim;
  JsonArray *profiles;

  use_config_home (fixture);
  /* Whatever USB ports this machine has, the four virtual boards come
   * last, the Heltec first of them */
  run_cli (&json, "ports", "--virtual", "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  g_assert_cmpstr (json.err, ==, "");
  ports = parse_array (parser, json.out);
  g_assert_cmpuint (json_array_get_length (ports), >=, 4);
  sim = json_array_get_object_element (ports, json_array_get_length (ports) - 4);
  g_assert_cmpstr (json_object_get_string_member (sim, "port"), ==, "sim:heltec-wifi-kit-32");
  g_assert_cmpstr (json_object_get_string_member (sim, "kind"), ==, "virtual");
  g_assert_cmpstr (json_object_get_string_member (sim, "mac"), ==, "24:0a:c4:00:84:c8");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (sim, "flash_file"),
                                   "/flash-studio/virtual/heltec-wifi-kit-32.bin"));
  g_assert_true (json_object_get_null_member (sim, "usb_id"));
  g_assert_true (json_object_get_null_member (sim, "access_problem"));
  g_assert_cmpstr (json_object_get_string_member (sim, "profile"), ==, "heltec-wifi-kit-32");
  profiles = json_object_get_array_member (sim, "profiles");
  g_assert_cmpuint (json_array_get_length (profiles), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (profiles, 0), ==, "heltec-wifi-kit-32");
  sim = json_array_get_object_element (ports, json_array_get_length (ports) - 1);
  g_assert_cmpstr (json_object_get_string_member (sim, "port"), ==, "sim:vigotech-vg-l7x");
  g_assert_cmpstr (json_object_get_string_member (sim, "mac"), ==, "24:0a:c4:69:e4:1c");

  run_cli (&text, "ports", "--virtual", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "sim:heltec-wifi-kit-32\n"
                                      "  Kind:          virtual board\n"
                                      "  MAC:           24:0a:c4:00:84:c8\n"));
  g_assert_nonnull (strstr (text.out, "  Boards:        Heltec Wi-Fi Kit 32 (heltec-wifi-kit-32)\n"
                                      "  Board:         heltec-wifi-kit-32\n"
                                      "sim:esp32-devkit\n"));

  run_cli (&extra, "ports", "/dev/ttyUSB0", NULL);
  g_assert_cmpint (extra.status, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add ("/cli/missing-and-empty-files", Fixture, NULL, fixture_set_up, test_missing_and_empty_files, fixture_tear_down);
  g_test_add ("/cli/image-info", Fixture, NULL, fixture_set_up, test_image_info, fixture_tear_down);
  g_test_add ("/cli/image-info/bad", Fixture, NULL, fixture_set_up, test_image_info_bad, fixture_tear_down);
  g_test_add ("/cli/partition-table/convert", Fixture, NULL, fixture_set_up, test_partition_table_convert, fixture_tear_down);
  g_test_add ("/cli/partition-table/overlap", Fixture, NULL, fixture_set_up, test_partition_table_overlap, fixture_tear_down);
  g_test_add ("/cli/partition-table/garbage", Fixture, NULL, fixture_set_up, test_partition_table_garbage, fixture_tear_down);
  g_test_add_func ("/cli/layout/list", test_layout_list);
  g_test_add_func ("/cli/layout/show", test_layout_show);
  g_test_add_func ("/cli/layout/show-as-printed", test_layout_show_as_printed);
  g_test_add ("/cli/layout/table", Fixture, NULL, fixture_set_up, test_layout_table, fixture_tear_down);
  g_test_add ("/cli/merge-image", Fixture, NULL, fixture_set_up, test_merge_image, fixture_tear_down);
  g_test_add ("/cli/merge-image/bad", Fixture, NULL, fixture_set_up, test_merge_image_bad, fixture_tear_down);
  g_test_add ("/cli/boards", Fixture, NULL, fixture_set_up, test_boards, fixture_tear_down);
  g_test_add ("/cli/boards/json", Fixture, NULL, fixture_set_up, test_boards_json, fixture_tear_down);
  g_test_add ("/cli/boards/broken-user-profile", Fixture, NULL, fixture_set_up, test_boards_broken_user_profile, fixture_tear_down);
  g_test_add ("/cli/ports/virtual", Fixture, NULL, fixture_set_up, test_ports_virtual, fixture_tear_down);

  return g_test_run ();
}
