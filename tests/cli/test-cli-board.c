/* test-cli-board.c: flash-studio-cli's board verbs against the virtual
 * board, over a pty, RFC 2217 and in-process, run as a user runs them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "fs-image.h"
#include "fs-partition-table.h"
#include "fs-test-image.h"
#include "fs-test-util.h"

#define HELTEC       "heltec-wifi-kit-32"
#define FIPY         "pycom-fipy"
#define FLASH_SIZE   (8 * 1024 * 1024)

typedef enum {
  PATH_PTY,
  PATH_RFC2217,
  PATH_IN_PROCESS,
} PathKind;

typedef struct {
  PathKind    path;
  const char *board;
  gboolean    download;   /* a pty carries no DTR and RTS: the board starts in download mode */
} Setup;

typedef struct {
  char             *dir;
  GStrv             env;          /* XDG folders inside @dir */
  char             *flash_path;   /* the board's flash, whichever path serves it */
  char             *port;
  GSubprocess      *sim;          /* NULL in-process */
  GDataInputStream *sim_out;
} Fixture;


/* A virtual board left behind by a failed test would hold its output open */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocess *
spawn (Fixture            *fixture,
       GSubprocessFlags    flags,
       const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_environ (launcher, fixture->env);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  return process;
}

static char *
read_sim_line (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (fixture->sim_out, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (line);
  return line;
}

/* A command on the virtual board's standard input; its answer */
static char *
sim_query (Fixture    *fixture,
           const char *text)
{
  g_autofree char *line = g_strconcat (text, "\n", NULL);
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_subprocess_get_stdin_pipe (fixture->sim), line, strlen (line), NULL, NULL, &error);
  g_assert_no_error (error);
  return read_sim_line (fixture);
}

static void
sim_command (Fixture    *fixture,
             const char *text)
{
  g_autofree char *reply = sim_query (fixture, text);

  g_assert_cmpstr (reply, ==, "ok");
}

/* The buttons pressed as a user does on a board whose lines do not reach it */
static void
sim_enter_download (Fixture *fixture)
{
  sim_command (fixture, "boot download");
  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *status = sim_query (fixture, "status");

      if (g_str_equal (status, "mode download"))
        return;
      g_usleep (10 * 1000);
    }
  g_assert_not_reached ();
}

static void
start_sim (Fixture     *fixture,
           const Setup *setup)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) g_getenv ("FLASH_STUDIO_SIM"));
  g_ptr_array_add (argv, "--board");
  g_ptr_array_add (argv, (gpointer) setup->board);
  g_ptr_array_add (argv, "--flash-file");
  g_ptr_array_add (argv, fixture->flash_path);
  g_ptr_array_add (argv, "--instant");
  if (setup->download)
    g_ptr_array_add (argv, "--download");
  if (setup->path == PATH_PTY)
    g_ptr_array_add (argv, "--pty");
  else
    {
      g_ptr_array_add (argv, "--rfc2217");
      g_ptr_array_add (argv, "0");
    }
  g_ptr_array_add (argv, NULL);

  fixture->sim = spawn (fixture, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                        (const char * const *) argv->pdata);
  fixture->sim_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->sim));
  fixture->port = read_sim_line (fixture);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  const Setup *setup = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *config_home = NULL;

  fixture->dir = g_dir_make_tmp ("fs-cli-board-XXXXXX", &error);
  g_assert_no_error (error);
  data_home = g_build_filename (fixture->dir, "data", NULL);
  config_home = g_build_filename (fixture->dir, "config", NULL);
  fixture->env = g_get_environ ();
  fixture->env = g_environ_setenv (fixture->env, "XDG_DATA_HOME", data_home, TRUE);
  fixture->env = g_environ_setenv (fixture->env, "XDG_CONFIG_HOME", config_home, TRUE);

  if (setup->path == PATH_IN_PROCESS)
    {
      g_autofree char *name = g_strconcat (setup->board, ".bin", NULL);

      fixture->flash_path = g_build_filename (data_home, "flash-studio", "virtual", name, NULL);
      fixture->port = g_strconcat ("sim:", setup->board, NULL);
    }
  else
    {
      fixture->flash_path = g_build_filename (fixture->dir, "flash.bin", NULL);
      start_sim (fixture, setup);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->sim != NULL)
    {
      g_subprocess_force_exit (fixture->sim);
      g_subprocess_wait (fixture->sim, NULL, NULL);
    }
  g_clear_object (&fixture->sim_out);
  g_clear_object (&fixture->sim);
  fs_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_strfreev (fixture->env);
  g_free (fixture->flash_path);
  g_free (fixture->port);
}

static void
run_argv (Fixture   *fixture,
          FsTestRun       *run,
          GPtrArray *args)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_insert (args, 0, (gpointer) g_getenv ("FLASH_STUDIO_CLI"));
  g_ptr_array_add (args, NULL);
  process = spawn (fixture, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                   (const char * const *) args->pdata);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
}

/* VERB --port PORT --baud 921600, then the rest up to NULL */
static void
run_board (Fixture    *fixture,
           FsTestRun        *run,
           const char *verb,
           ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (gpointer) verb);
  g_ptr_array_add (args, "--port");
  g_ptr_array_add (args, fixture->port);
  g_ptr_array_add (args, "--baud");
  g_ptr_array_add (args, "921600");
  va_start (ap, verb);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  run_argv (fixture, run, args);
}

static char *
fixture_path (Fixture    *fixture,
              const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static char *
write_file (Fixture *fixture,
            const char *name,
            GBytes     *bytes)
{
  char *path = fixture_path (fixture, name);

  fs_test_write_bytes (path, bytes);
  return path;
}

/* Bytes that are not erased flash and differ from block to block */
static GBytes *
make_data (gsize   len,
           guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = g_rand_int_range (rand, 0, 255);
  return g_bytes_new_take (data, len);
}

static char *
write_data_file (Fixture    *fixture,
                 const char *name,
                 gsize       len,
                 guint32     seed)
{
  g_autoptr(GBytes) data = make_data (len, seed);
  return write_file (fixture, name, data);
}

/* The board's flash file, or NULL when the board has not made it yet */
static GBytes *
read_flash (Fixture *fixture)
{
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (fixture->flash_path, &contents, &len, NULL))
    return NULL;
  g_assert_cmpuint (len, ==, FLASH_SIZE);
  return g_bytes_new_take (contents, len);
}

static void
assert_flash_holds (Fixture    *fixture,
                    guint32     offset,
                    const char *path)
{
  g_autoptr(GBytes) flash = read_flash (fixture);
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_nonnull (flash);
  g_assert_cmpmem ((const guint8 *) g_bytes_get_data (flash, NULL) + offset, len, contents, len);
}

static void
assert_flash_unchanged (Fixture *fixture,
                        GBytes  *before)
{
  g_autoptr(GBytes) after = read_flash (fixture);

  if (before == NULL)
    {
      /* Never made, or made erased */
      if (after != NULL)
        {
          const guint8 *data = g_bytes_get_data (after, NULL);
          for (gsize i = 0; i < FLASH_SIZE; i++)
            g_assert_cmpuint (data[i], ==, 0xFF);
        }
      return;
    }
  g_assert_nonnull (after);
  g_assert_true (g_bytes_equal (before, after));
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return root;
}

/* Two 64 KiB OTA slots at 0x10000 and 0x20000 */
static char *
write_partition_table (Fixture *fixture)
{
  static const char csv[] =
    "nvs,      data, nvs,   0x9000,  0x4000\n"
    "otadata,  data, ota,   0xd000,  0x2000\n"
    "phy_init, data, phy,   0xf000,  0x1000\n"
    "ota_0,    app,  ota_0, 0x10000, 0x10000\n"
    "ota_1,    app,  ota_1, 0x20000, 0x10000\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(FsPartitionTable) table = fs_partition_table_new_from_csv (csv, strlen (csv), &error);
  g_autoptr(GBytes) binary = NULL;

  g_assert_no_error (error);
  binary = fs_partition_table_to_binary (table, TRUE, &error);
  g_assert_no_error (error);
  return write_file (fixture, "partitions.bin", binary);
}

static void
test_identify (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_auto(FsTestRun) info = { 0 };
  g_auto(FsTestRun) json = { 0 };
  g_auto(FsTestRun) flash_id = { 0 };
  g_auto(FsTestRun) mac = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  /* First: over a pty nothing resets the board between commands, and
   * the crystal, found from the UART's divider, is wrong at the baud the
   * last command left */
  run_board (fixture, &json, "chip-info", "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  root = parse_json (json.out);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "chip"), ==, "ESP32");
  g_assert_cmpint (json_object_get_int_member (object, "flash_size"), ==, FLASH_SIZE);
  g_assert_cmpint (json_object_get_int_member (object, "crystal_mhz"), ==, 40);
  g_assert_false (json_object_get_boolean_member (object, "secure_boot"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "mac"), "24:0a:c4:"));

  run_board (fixture, &info, "chip-info", NULL);
  g_assert_cmpint (info.status, ==, 0);
  fs_test_assert_contains (info.out, "Chip: ESP32 (ESP32-D0WD-V3), revision v3.0\n");
  fs_test_assert_contains (info.out, "Flash size: 8 MiB\n");
  fs_test_assert_contains (info.out, "Flash encryption: off\n");
  fs_test_assert_contains (info.out, "Secure boot: off\n");
  fs_test_assert_contains (info.out, "Loader: ");
  /* Not a terminal: a line per step, no bar */
  g_assert_null (strchr (info.err, '\r'));

  run_board (fixture, &flash_id, "flash-id", NULL);
  g_assert_cmpint (flash_id.status, ==, 0);
  fs_test_assert_contains (flash_id.out, "Manufacturer: 0xef\nDevice: 0x4017\nFlash size: 8 MiB\n");

  run_board (fixture, &mac, "read-mac", NULL);
  g_assert_cmpint (mac.status, ==, 0);
  fs_test_assert_contains (mac.out, json_object_get_string_member (object, "mac"));
}

static void
test_write_verify_read (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autofree char *app = write_data_file (fixture, "app.bin", 48 * 1024, 1);
  g_autofree char *data = write_data_file (fixture, "data.bin", 8 * 1024, 2);
  g_autofree char *other = write_data_file (fixture, "other.bin", 8 * 1024, 3);
  g_autofree char *readback = fixture_path (fixture, "readback.bin");
  g_auto(FsTestRun) write = { 0 };
  g_auto(FsTestRun) again = { 0 };
  g_auto(FsTestRun) verify = { 0 };
  g_auto(FsTestRun) differs = { 0 };
  g_auto(FsTestRun) read = { 0 };

  run_board (fixture, &write, "write", "0x10000", app, "112K", data, "--no-boot-check", NULL);
  g_assert_cmpint (write.status, ==, 0);
  assert_flash_holds (fixture, 0x10000, app);
  assert_flash_holds (fixture, 0x10000 + 48 * 1024, data);
  {
    g_autofree char *line = g_strdup_printf ("%s at 0x010000: written, 48 KiB written, 0 bytes already on the board", app);
    fs_test_assert_contains (write.out, line);
  }

  /* Everything is there already: nothing is written */
  run_board (fixture, &again, "write", "0x10000", app, "--no-boot-check", NULL);
  g_assert_cmpint (again.status, ==, 0);
  {
    g_autofree char *line = g_strdup_printf ("%s at 0x010000: skipped, 0 bytes written, 48 KiB already on the board", app);
    fs_test_assert_contains (again.out, line);
  }

  run_board (fixture, &verify, "verify", "0x10000", app, "0x1c000", data, NULL);
  g_assert_cmpint (verify.status, ==, 0);
  {
    g_autofree char *line = g_strdup_printf ("%s at 0x01c000: verified\n", data);
    fs_test_assert_contains (verify.out, line);
  }

  run_board (fixture, &differs, "verify", "0x1c000", other, NULL);
  g_assert_cmpint (differs.status, ==, 1);
  {
    g_autofree char *line = g_strdup_printf ("%s at 0x01c000: differs\n", other);
    g_autofree char *message = g_strdup_printf ("flash-studio-cli verify: The flash does not hold “%s”\n", other);
    fs_test_assert_contains (differs.out, line);
    fs_test_assert_contains (differs.err, message);
  }

  run_board (fixture, &read, "read", "0x1c000", "8K", readback, NULL);
  g_assert_cmpint (read.status, ==, 0);
  assert_flash_holds (fixture, 0x1c000, readback);
  {
    g_autofree char *line = g_strdup_printf ("%s: 8 KiB from 0x01c000\n", readback);
    g_assert_cmpstr (read.out, ==, line);
  }
}

static void
test_erase_region (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *app = write_data_file (fixture, "app.bin", 16 * 1024, 4);
  g_auto(FsTestRun) write = { 0 };
  g_auto(FsTestRun) erase = { 0 };
  g_autoptr(GBytes) flash = NULL;
  const guint8 *bytes;
  g_autofree char *contents = NULL;

  run_board (fixture, &write, "write", "0x10000", app, "--no-boot-check", NULL);
  g_assert_cmpint (write.status, ==, 0);
  run_board (fixture, &erase, "erase", "--region", "0x11000", "0x2000", NULL);
  g_assert_cmpint (erase.status, ==, 0);
  g_assert_cmpstr (erase.out, ==, "Erased 8 KiB from 0x011000\n");

  flash = read_flash (fixture);
  bytes = g_bytes_get_data (flash, NULL);
  g_assert_true (g_file_get_contents (app, &contents, NULL, NULL));
  g_assert_cmpmem (bytes + 0x10000, 0x1000, contents, 0x1000);
  for (guint32 i = 0x11000; i < 0x13000; i++)
    g_assert_cmpuint (bytes[i], ==, 0xFF);
  g_assert_cmpmem (bytes + 0x13000, 0x1000, contents + 0x3000, 0x1000);
}

static void
test_slots (Fixture       *fixture,
            gconstpointer  user_data)
{
  const Setup *setup = user_data;
  g_autofree char *table = write_partition_table (fixture);
  g_autoptr(GBytes) image = fs_test_app_image (FS_CHIP_ESP32, "app", 4096, 7);
  g_autoptr(GBytes) bootloader_image = fs_test_bootloader_image (3);
  g_autofree char *bootloader = write_file (fixture, "bootloader.bin", bootloader_image);
  g_autofree char *app0 = write_file (fixture, "app0.bin", image);
  g_autofree char *app1 = write_file (fixture, "app1.bin", image);
  g_auto(FsTestRun) write = { 0 };
  g_auto(FsTestRun) show = { 0 };
  g_auto(FsTestRun) flip = { 0 };
  g_auto(FsTestRun) json = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  run_board (fixture, &write, "write", "0x1000", bootloader, "0x8000", table, "0x10000", app0, "0x20000", app1,
             setup->path == PATH_PTY ? "--no-boot-check" : NULL, NULL);
  g_assert_cmpint (write.status, ==, 0);

  run_board (fixture, &show, "slot", "show", NULL);
  g_assert_cmpint (show.status, ==, 0);
  fs_test_assert_contains (show.out, "Slots: 2 (ota_0 to ota_1)\n");

  /* A pty carries no reset line: the board would not start to be heard */
  run_board (fixture, &flip, "slot", "switch", "--slot", "1",
             setup->path == PATH_PTY ? "--no-boot-check" : NULL, NULL);
  g_assert_cmpint (flip.status, ==, 0);
  fs_test_assert_contains (flip.out, "Boots: ota_1\n");
  if (setup->path != PATH_PTY)
    fs_test_assert_contains (flip.out, "Board: runs app 1.2.3 from ota_1 (0x020000)\n");

  run_board (fixture, &json, "slot", "show", "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  root = parse_json (json.out);
  object = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (object, "n_slots"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "boot_slot"), ==, 1);
  g_assert_true (json_object_get_boolean_member (object, "has_otadata"));
  g_assert_cmpint (json_object_get_int_member (object, "sequence"), >, 0);
}

/* Backs up, changes a little of the flash, and restores: the file is the
 * whole flash and its MD5 the one printed */
static void
backup_and_restore (Fixture    *fixture,
                    const char *stub)
{
  g_autofree char *app = write_data_file (fixture, "app.bin", 16 * 1024, 5);
  g_autofree char *change = write_data_file (fixture, "change.bin", 4096, 6);
  g_autofree char *backup = fixture_path (fixture, "backup.bin");
  g_auto(FsTestRun) write = { 0 };
  g_auto(FsTestRun) save = { 0 };
  g_auto(FsTestRun) overwrite = { 0 };
  g_auto(FsTestRun) restore = { 0 };
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) saved = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *md5 = NULL;
  g_autofree char *line = NULL;
  gsize len = 0;

  run_board (fixture, &write, "write", "0x10000", app, "--no-boot-check", stub != NULL ? "--stub" : NULL, stub, NULL);
  g_assert_cmpint (write.status, ==, 0);
  before = read_flash (fixture);

  run_board (fixture, &save, "backup", backup, stub != NULL ? "--stub" : NULL, stub, NULL);
  g_assert_cmpint (save.status, ==, 0);
  g_assert_true (g_file_get_contents (backup, &contents, &len, NULL));
  saved = g_bytes_new_take (g_steal_pointer (&contents), len);
  g_assert_true (g_bytes_equal (saved, before));
  md5 = g_compute_checksum_for_bytes (G_CHECKSUM_MD5, saved);
  line = g_strdup_printf ("%s: 8 MiB, MD5 %s\n", backup, md5);
  g_assert_cmpstr (save.out, ==, line);

  run_board (fixture, &overwrite, "write", "0x11000", change, "--no-boot-check", NULL);
  g_assert_cmpint (overwrite.status, ==, 0);
  run_board (fixture, &restore, "restore", backup, "--json", "--no-boot-check", NULL);
  g_assert_cmpint (restore.status, ==, 0);
  {
    g_autoptr(JsonNode) root = parse_json (restore.out);
    JsonArray *regions = json_object_get_array_member (json_node_get_object (root), "regions");
    JsonObject *region = json_array_get_object_element (regions, 0);

    g_assert_cmpint (json_object_get_int_member (region, "bytes_written"), ==, 0x1000);
    g_assert_cmpint (json_object_get_int_member (region, "bytes_skipped"), ==, FLASH_SIZE - 0x1000);
  }
  assert_flash_unchanged (fixture, before);
}

static void
test_backup_restore (Fixture       *fixture,
                     gconstpointer  user_data)
{
  backup_and_restore (fixture, NULL);
}

static void
test_stub (Fixture       *fixture,
           gconstpointer  user_data)
{
  const char *stub = g_getenv ("FS_STUB_JSON");
  g_auto(FsTestRun) info = { 0 };

  if (stub == NULL || !g_file_test (stub, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no esptool-js stub: run npm ci in tests/interop");
      return;
    }
  run_board (fixture, &info, "chip-info", "--stub", stub, NULL);
  g_assert_cmpint (info.status, ==, 0);
  fs_test_assert_contains (info.out, "Loader: stub\n");
  backup_and_restore (fixture, stub);
}

static void
test_erase_all (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *app = write_data_file (fixture, "app.bin", 8 * 1024, 9);
  g_auto(FsTestRun) write = { 0 };
  g_auto(FsTestRun) erase = { 0 };

  run_board (fixture, &write, "write", "0x7fe000", app, "--no-boot-check", NULL);
  g_assert_cmpint (write.status, ==, 0);
  run_board (fixture, &erase, "erase", NULL);
  g_assert_cmpint (erase.status, ==, 0);
  g_assert_cmpstr (erase.out, ==, "Erased the whole flash (8 MiB)\n");
  assert_flash_unchanged (fixture, NULL);
}

/* A lossy link: retries hide it, and the flash is exact. The loader
 * sends a 32 KiB chunk again when one of its blocks fails: at one byte in
 * a thousand no chunk would ever get through whole, hence one in ten
 * thousand and a small file. */
static void
test_lossy_link (Fixture       *fixture,
                 gconstpointer  user_data)
{
  static const char * const faults[] = { "fault drop 0.0001", "fault garble 0.0001" };

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autofree char *name = g_strdup_printf ("app%u.bin", i);
      g_autofree char *app = write_data_file (fixture, name, 4 * 1024, 10 + i);
      g_auto(FsTestRun) write = { 0 };

      sim_command (fixture, "fault clear");
      sim_command (fixture, "fault seed 1");
      sim_command (fixture, faults[i]);
      run_board (fixture, &write, "write", "0x10000", app, "--no-boot-check", NULL);
      g_assert_cmpint (write.status, ==, 0);
      assert_flash_holds (fixture, 0x10000, app);
    }
}

/* Unplugged part way: exit 3, where it stopped, the hint; plugged back,
 * the same command writes only the rest */
static void
test_unplug_and_resume (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autofree char *app = write_data_file (fixture, "app.bin", 64 * 1024, 12);
  g_autofree char *stopped = g_strdup_printf ("%s at 0x010000: interrupted at 0x", app);
  g_auto(FsTestRun) cut = { 0 };
  g_auto(FsTestRun) resumed = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *region;

  sim_command (fixture, "fault unplug-after 40000");
  run_board (fixture, &cut, "write", "0x10000", app, "--no-boot-check", NULL);
  g_assert_cmpint (cut.status, ==, 3);
  fs_test_assert_contains (cut.out, stopped);
  fs_test_assert_contains (cut.err, "flash-studio-cli write: ");
  fs_test_assert_contains (cut.err, "Run the same command again: it writes only what is missing.\n");

  sim_command (fixture, "plug");
  sim_enter_download (fixture);
  run_board (fixture, &resumed, "write", "0x10000", app, "--json", "--no-boot-check", NULL);
  g_assert_cmpint (resumed.status, ==, 0);
  root = parse_json (resumed.out);
  region = json_array_get_object_element (json_object_get_array_member (json_node_get_object (root), "regions"), 0);
  g_assert_cmpstr (json_object_get_string_member (region, "state"), ==, "written");
  g_assert_cmpint (json_object_get_int_member (region, "bytes_skipped"), >, 0);
  g_assert_cmpint (json_object_get_int_member (region, "bytes_written"), <, 64 * 1024);
  assert_flash_holds (fixture, 0x10000, app);
}

/* A board without reset lines: the steps, then the job syncs by itself
 * once the jumper is on and Reset pressed; no key is ever pressed */
static void
test_jumper (Fixture       *fixture,
             gconstpointer  user_data)
{
  const char *argv[] = {
    g_getenv ("FLASH_STUDIO_CLI"), "chip-info", "--port", fixture->port, "--board", FIPY, NULL
  };
  g_autoptr(GSubprocess) process = spawn (fixture, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, argv);
  g_autoptr(GDataInputStream) err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
  g_autoptr(GDataInputStream) out_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *rest = NULL;

  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (err, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_string_append_printf (seen, "%s\n", line);
      if (g_str_equal (line, "Waiting for the board… (Ctrl+C to stop)"))
        break;
    }
  fs_test_assert_contains (seen->str, "  1. Connect a jumper between GND and D0 (G23).\n  2. Press the Reset button on the board.\n");

  sim_command (fixture, "jumper on");
  sim_command (fixture, "reset");
  /* Up to the end: the output has no NUL */
  rest = g_data_input_stream_read_upto (err, "", 1, NULL, NULL, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_read_upto (out_stream, "", 1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("stderr: %s%s", seen->str, rest);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  fs_test_assert_contains (rest, "Board detected.\n");
  fs_test_assert_contains (out, "Chip: ESP32 (");
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *table = write_partition_table (fixture);
  g_autofree char *small = write_data_file (fixture, "small.bin", 8 * 1024, 13);
  g_autofree char *big = write_data_file (fixture, "big.bin", 68 * 1024, 14);
  g_autoptr(GBytes) c3_image = fs_test_app_image (FS_CHIP_ESP32_C3, "c3", 4096, 7);
  g_autofree char *c3 = write_file (fixture, "c3.bin", c3_image);
  g_autofree char *missing = fixture_path (fixture, "missing.bin");
  g_auto(FsTestRun) setup = { 0 };
  g_autoptr(GBytes) before = NULL;
  struct {
    const char *args[5];
    int         status;
    const char *message;
  } cases[] = {
    { { "0x7ff000", small }, 1, "” (0x007FF000–0x00801000) goes past the end of the board’s 8 MiB of flash\n" },
    { { "0x10000", big }, 1, "big.bin” is 68 KiB, but “ota_0” has room for 64 KiB from 0x00010000\n" },
    { { "0x10001", small }, 1, "small.bin” starts at 0x010001, which is not a multiple of 0x1000\n" },
    { { "0x30000", small, "0x31000", big }, 1, "big.bin” (0x031000–0x042000) overlaps “" },
    { { "0x10000", c3 }, 1, "c3.bin” is built for the ESP32-C3, but this board is an ESP32\n" },
    { { "0x1g000", small }, 1, "“0x1g000” is not a size" },
    { { "0x10000", missing }, 1, "missing.bin: No such file or directory\n" },
  };

  run_board (fixture, &setup, "write", "0x8000", table, "--no-boot-check", NULL);
  g_assert_cmpint (setup.status, ==, 0);
  before = read_flash (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_auto(FsTestRun) run = { 0 };

      g_ptr_array_add (args, "write");
      g_ptr_array_add (args, "--port");
      g_ptr_array_add (args, fixture->port);
      for (guint j = 0; cases[i].args[j] != NULL; j++)
        g_ptr_array_add (args, (gpointer) cases[i].args[j]);
      run_argv (fixture, &run, args);
      g_assert_cmpint (run.status, ==, cases[i].status);
      fs_test_assert_contains (run.err, "flash-studio-cli write: ");
      fs_test_assert_contains (run.err, cases[i].message);
      assert_flash_unchanged (fixture, before);
    }
}

static void
test_no_such_port (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *port = fixture_path (fixture, "ttyNOPE");
  g_autofree char *app = write_data_file (fixture, "app.bin", 4096, 15);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *expected = g_strdup_printf ("flash-studio-cli write: no such port: %s (", port);
  g_auto(FsTestRun) run = { 0 };

  g_ptr_array_add (args, "write");
  g_ptr_array_add (args, "--port");
  g_ptr_array_add (args, port);
  g_ptr_array_add (args, "0x10000");
  g_ptr_array_add (args, app);
  run_argv (fixture, &run, args);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_true (g_str_has_prefix (run.err, expected));
}

static void
test_usage (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GPtrArray) no_port = g_ptr_array_new ();
  g_autoptr(GPtrArray) help = g_ptr_array_new ();
  g_auto(FsTestRun) run_no_port = { 0 };
  g_auto(FsTestRun) run_help = { 0 };
  g_auto(FsTestRun) bad_before = { 0 };
  g_auto(FsTestRun) odd = { 0 };

  g_ptr_array_add (no_port, "chip-info");
  run_argv (fixture, &run_no_port, no_port);
  g_assert_cmpint (run_no_port.status, ==, 2);
  fs_test_assert_contains (run_no_port.err, "flash-studio-cli chip-info: give the board's port with --port");

  g_ptr_array_add (help, "write");
  g_ptr_array_add (help, "--help");
  run_argv (fixture, &run_help, help);
  g_assert_cmpint (run_help.status, ==, 0);
  fs_test_assert_contains (run_help.out, "3 when the board or port failed");
  fs_test_assert_contains (run_help.out, "--manifest");

  run_board (fixture, &bad_before, "erase", "--before", "sometimes", NULL);
  g_assert_cmpint (bad_before.status, ==, 2);
  fs_test_assert_contains (bad_before.err, "--before is one of default-reset, no-reset and manual, not “sometimes”");

  run_board (fixture, &odd, "write", "0x10000", NULL);
  g_assert_cmpint (odd.status, ==, 2);
}

/* The board powered on with an app printing @strings in its flash */
static void
boot_app (Fixture            *fixture,
          const Setup        *setup,
          const char * const *strings)
{
  g_autoptr(GBytes) flash = fs_test_printing_flash (strings, FLASH_SIZE);

  /* The board boots what its flash holds at power-on: start it again on this flash */
  g_subprocess_force_exit (fixture->sim);
  g_subprocess_wait (fixture->sim, NULL, NULL);
  g_clear_object (&fixture->sim_out);
  g_clear_object (&fixture->sim);
  g_clear_pointer (&fixture->port, g_free);
  fs_test_write_bytes (fixture->flash_path, flash);
  start_sim (fixture, setup);
}

/* The board's app prints a line every 100 ms: the monitor shows it, and
 * logs it as plain text with the time in front of each line */
static void
test_monitor (Fixture       *fixture,
              gconstpointer  user_data)
{
  const char * const strings[] = { "FSSIM:PRINT:Hello from the monitor", "FSSIM:REPEAT:100:tick %u", NULL };
  g_autoptr(GRegex) stamped = g_regex_new ("^\\[\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d\\] ([^\\n]*)\\n", G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *log_path = fixture_path (fixture, "monitor.log");
  g_autofree char *log = NULL;
  g_auto(FsTestRun) run = { 0 };
  g_auto(FsTestRun) bad = { 0 };
  g_autoptr(GError) error = NULL;
  gint end = 0;
  guint ticks = 0;
  gint first_tick = -1;

  boot_app (fixture, user_data, strings);

  run_board (fixture, &run, "monitor", "--duration", "2", "--log", log_path, "--timestamps", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_file_get_contents (log_path, &log, NULL, &error);
  g_assert_no_error (error);
  /* Without colours from the board, the log is what was shown */
  g_assert_cmpstr (log, ==, run.out);
  g_assert_null (strchr (log, '\033'));

  g_regex_match (stamped, log, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *line = g_match_info_fetch (match, 1);
      gint start_pos, end_pos;
      guint64 tick;

      /* The lines follow each other: nothing unstamped between them */
      g_match_info_fetch_pos (match, 0, &start_pos, &end_pos);
      g_assert_cmpint (start_pos, ==, end);
      end = end_pos;
      if (g_str_has_prefix (line, "tick ") &&
          g_ascii_string_to_unsigned (g_strchomp (line + 5), 10, 0, G_MAXINT, &tick, NULL))
        {
          if (first_tick < 0)
            first_tick = tick;
          g_assert_cmpuint (tick, ==, first_tick + ticks);
          ticks++;
        }
      g_match_info_next (match, NULL);
    }
  /* Every byte is in a stamped line, and the lines kept coming */
  g_assert_cmpint (end, ==, strlen (log));
  g_assert_cmpuint (ticks, >=, 3);

  run_board (fixture, &bad, "monitor", "--duration", "-1", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  fs_test_assert_contains (bad.err, "--duration must be 0 or more seconds");
}

/* The number in a "tick N" line of the monitor's output; -1 for others */
static gint64
read_tick (GDataInputStream *out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  guint64 tick;

  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_strchomp (line);
  if (g_str_has_prefix (line, "tick ") &&
      g_ascii_string_to_unsigned (line + 5, 10, 0, G_MAXINT, &tick, NULL))
    return tick;
  return -1;
}

static void
assert_next_line (GDataInputStream *stream,
                  const char       *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_utf8 (stream, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, expected);
}

/* The board unplugged under a running monitor: the monitor says so and
 * waits; plugged back in, the board starts its app again, and the
 * monitor shows it without being told to */
static void
test_monitor_replug (Fixture       *fixture,
                     gconstpointer  user_data)
{
  const char * const strings[] = { "FSSIM:REPEAT:100:tick %u", NULL };
  const char *argv[] = { g_getenv ("FLASH_STUDIO_CLI"), "monitor", "--port", NULL, "--duration", "60", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *away = NULL;
  g_autofree char *back = NULL;
  gint64 tick = -1, last = -1;

  boot_app (fixture, user_data, strings);
  argv[3] = fixture->port;
  process = spawn (fixture, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, argv);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));

  /* Ticks shown up to the third: the monitor has the port */
  while (last < 3)
    last = MAX (last, read_tick (out));
  sim_command (fixture, "unplug");
  away = g_strdup_printf ("flash-studio-cli monitor: the board went away from %s: "
                          "waiting for it to come back", fixture->port);
  assert_next_line (err, away);

  sim_command (fixture, "plug");
  back = g_strdup_printf ("flash-studio-cli monitor: the board is back on %s", fixture->port);
  assert_next_line (err, back);
  /* Counting again from a lower number: the app after the replug's power-on */
  for (;;)
    {
      tick = read_tick (out);
      if (tick >= 0 && tick < last)
        break;
      last = MAX (last, tick);
    }

  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

/* Each virtual board answers as its own board, the jumper and Power
 * button ones too: the command line does by hand what they need */
static void
test_every_virtual_board (Fixture       *fixture,
                          gconstpointer  user_data)
{
  static const struct {
    const char *id;
    const char *hands;   /* what stderr says was done, NULL: nothing */
  } boards[] = {
    { "heltec-wifi-kit-32", NULL },
    { "esp32-devkit", NULL },
    { "pycom-fipy", "virtual board: jumper IO0–GND on\nvirtual board: Reset\n" },
    { "vigotech-vg-l7x", "virtual board: jumper IO0–GND on\nvirtual board: Reset\nvirtual board: Power button held\n" },
  };
  g_auto(FsTestRun) ports = { 0 };
  g_autoptr(GPtrArray) ports_args = g_ptr_array_new ();
  g_autoptr(JsonNode) ports_root = NULL;
  g_autoptr(GHashTable) macs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) listed_macs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonArray *listed;

  g_ptr_array_add (ports_args, "ports");
  g_ptr_array_add (ports_args, "--virtual");
  g_ptr_array_add (ports_args, "--json");
  run_argv (fixture, &ports, ports_args);
  g_assert_cmpint (ports.status, ==, 0);
  ports_root = json_from_string (ports.out, NULL);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (ports_root));
  listed = json_node_get_array (ports_root);
  for (guint i = 0; i < json_array_get_length (listed); i++)
    {
      JsonObject *port = json_array_get_object_element (listed, i);

      if (g_str_equal (json_object_get_string_member (port, "kind"), "virtual"))
        g_hash_table_insert (listed_macs, g_strdup (json_object_get_string_member (port, "port")),
                             g_strdup (json_object_get_string_member (port, "mac")));
    }
  g_assert_cmpuint (g_hash_table_size (listed_macs), ==, G_N_ELEMENTS (boards));

  for (guint i = 0; i < G_N_ELEMENTS (boards); i++)
    {
      g_auto(FsTestRun) info = { 0 };
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_autofree char *port = g_strconcat ("sim:", boards[i].id, NULL);
      g_autoptr(JsonNode) root = NULL;
      const char *mac;

      g_ptr_array_add (args, "chip-info");
      g_ptr_array_add (args, "--json");
      g_ptr_array_add (args, "--port");
      g_ptr_array_add (args, port);
      run_argv (fixture, &info, args);
      g_assert_cmpint (info.status, ==, 0);
      root = parse_json (info.out);
      mac = json_object_get_string_member (json_node_get_object (root), "mac");
      g_assert_cmpstr (mac, ==, g_hash_table_lookup (listed_macs, port));
      g_assert_true (g_hash_table_add (macs, g_strdup (mac)));
      if (boards[i].hands != NULL)
        fs_test_assert_contains (info.err, boards[i].hands);
      else
        g_assert_null (strstr (info.err, "virtual board:"));
    }
  /* Let go at the end of the job, on the board that needs it held */
  g_assert_cmpuint (g_hash_table_size (macs), ==, G_N_ELEMENTS (boards));
}

static void
add_test (const char   *name,
          const Setup  *setup,
          void        (*test) (Fixture *, gconstpointer))
{
  static const char * const paths[] = { "pty", "rfc2217", "in-process" };
  g_autofree char *path = g_strdup_printf ("/cli-board/%s/%s", paths[setup->path], name);

  g_test_add (path, Fixture, setup, fixture_set_up, test, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  static const Setup pty = { PATH_PTY, HELTEC, TRUE };
  static const Setup rfc2217 = { PATH_RFC2217, HELTEC, FALSE };
  static const Setup in_process = { PATH_IN_PROCESS, HELTEC, FALSE };
  static const Setup fipy = { PATH_PTY, FIPY, FALSE };
  static const Setup booted = { PATH_PTY, HELTEC, FALSE };
  const Setup *every_path[] = { &pty, &rfc2217, &in_process };

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (every_path); i++)
    {
      add_test ("identify", every_path[i], test_identify);
      add_test ("write-verify-read", every_path[i], test_write_verify_read);
      add_test ("erase-region", every_path[i], test_erase_region);
      add_test ("slots", every_path[i], test_slots);
      /* 8 MiB through the ROM loader's 64-byte reads: seconds over a pty,
       * minutes over TCP or at the in-process board's real speed */
      if (every_path[i] == &pty || g_test_slow ())
        add_test ("backup-restore", every_path[i], test_backup_restore);
    }
  add_test ("erase-all", &pty, test_erase_all);
  /* RFC 2217: its lines reset the board out of the stub between commands */
  add_test ("stub", &rfc2217, test_stub);
  add_test ("lossy-link", &pty, test_lossy_link);
  add_test ("unplug-and-resume", &pty, test_unplug_and_resume);
  add_test ("jumper", &fipy, test_jumper);
  add_test ("bad-input", &pty, test_bad_input);
  add_test ("no-such-port", &in_process, test_no_such_port);
  add_test ("usage", &in_process, test_usage);
  add_test ("every-virtual-board", &in_process, test_every_virtual_board);
  add_test ("monitor", &booted, test_monitor);
  add_test ("monitor-replug", &booted, test_monitor_replug);

  return g_test_run ();
}
