/* test-cli-boot.c: flash-studio-cli checks what a write leaves the board
 * booting, before and after it, on the in-process virtual board
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "fs-test-image.h"
#include "fs-test-util.h"

#define PORT "sim:heltec-wifi-kit-32"
#define MiB  (1024u * 1024u)

typedef struct {
  char  *dir;
  GStrv  env;
  char  *flash_path;   /* the virtual board's flash */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *virtual_dir = NULL;

  fixture->dir = g_dir_make_tmp ("fs-cli-boot-XXXXXX", &error);
  g_assert_no_error (error);
  data_home = g_build_filename (fixture->dir, "data", NULL);
  virtual_dir = g_build_filename (data_home, "flash-studio", "virtual", NULL);
  g_assert_cmpint (g_mkdir_with_parents (virtual_dir, 0755), ==, 0);
  fixture->flash_path = g_build_filename (virtual_dir, "heltec-wifi-kit-32.bin", NULL);
  fixture->env = g_get_environ ();
  fixture->env = g_environ_setenv (fixture->env, "XDG_DATA_HOME", data_home, TRUE);
  fixture->env = g_environ_setenv (fixture->env, "XDG_CONFIG_HOME", fixture->dir, TRUE);
  fixture->env = g_environ_setenv (fixture->env, "FLASH_STUDIO_SIM_TIMING", "instant", TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  fs_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->flash_path);
  g_strfreev (fixture->env);
}

static char *
demo_file (const char *name)
{
  return g_build_filename (g_getenv ("FLASH_STUDIO_DEMO"), name, NULL);
}

/* flash-studio-cli VERB --port PORT ARGS… up to NULL */
static void
run (Fixture    *fixture,
     FsTestRun  *result,
     const char *verb,
     ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("FLASH_STUDIO_CLI"));
  g_ptr_array_add (argv, (gpointer) verb);
  g_ptr_array_add (argv, "--port");
  g_ptr_array_add (argv, PORT);
  va_start (args, verb);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_set_environ (launcher, fixture->env);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  result->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", result->status, result->out, result->err);
}

static void
set_flash (Fixture           *fixture,
           const FsTestFlash *spec)
{
  g_autoptr(GBytes) flash = fs_test_boot_flash (spec);

  fs_test_write_bytes (fixture->flash_path, flash);
}

static GBytes *
read_flash (Fixture *fixture)
{
  return fs_test_read_bytes (fixture->flash_path);
}

static char *
write_temp (Fixture    *fixture,
            const char *name,
            GBytes     *bytes)
{
  char *path = g_build_filename (fixture->dir, name, NULL);

  fs_test_write_bytes (path, bytes);
  return path;
}

static JsonObject *
boot_member (JsonParser *parser,
             const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "boot");
}

/* The demo's manifest: written, and the board runs it */
static void
test_demo_runs (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *manifest = demo_file ("manifest.json");
  g_autofree char *program = demo_file ("demo-program-1.bin");
  g_auto(FsTestRun) write = { 0 };
  g_auto(FsTestRun) upload = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *boot;

  run (fixture, &write, "write", "--manifest", manifest, NULL);
  g_assert_cmpint (write.status, ==, 0);
  fs_test_assert_contains (write.out, "Board: runs flash-studio-virtual-demo " PACKAGE_VERSION " from vm0 (0x010000)\n");
  fs_test_assert_contains (write.err, "Checking that the board starts");

  run (fixture, &upload, "write", "0x210000", program, "--json", NULL);
  g_assert_cmpint (upload.status, ==, 0);
  boot = boot_member (parser, upload.out);
  g_assert_cmpstr (json_object_get_string_member (boot, "state"), ==, "runs");
  g_assert_cmpstr (json_object_get_string_member (boot, "project"), ==, "flash-studio-virtual-demo");
  g_assert_cmpstr (json_object_get_string_member (boot, "version"), ==, PACKAGE_VERSION);
  g_assert_cmpstr (json_object_get_string_member (boot, "partition"), ==, "vm0");
  g_assert_cmpint (json_object_get_int_member (boot, "offset"), ==, 0x10000);
  g_assert_true (json_object_get_null_member (boot, "reason"));
}

/* An app alone where no bootloader is: refused, the flash left as it
 * was; where one is, written, and it boots */
static void
test_app_needs_bootloader (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *app = demo_file ("flash-studio-virtual-demo.bin");
  g_autofree char *bootloader_path = demo_file ("bootloader.bin");
  g_autoptr(GBytes) bootloader = fs_test_read_bytes (bootloader_path);
  FsTestFlash blank = { NULL, TRUE, 0, NULL, NULL, NULL };
  FsTestFlash with_bootloader = { bootloader, TRUE, 0, NULL, NULL, NULL };
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_auto(FsTestRun) refused = { 0 };
  g_auto(FsTestRun) written = { 0 };
  g_auto(FsTestRun) forced = { 0 };

  set_flash (fixture, &blank);
  before = read_flash (fixture);
  run (fixture, &refused, "write", "0x10000", app, NULL);
  g_assert_cmpint (refused.status, ==, 1);
  fs_test_assert_contains (refused.err, "flash-studio-cli write: There is no bootloader at 0x1000: the flash is erased "
                                "there, and this write brings none, so the board could not start.");
  after = read_flash (fixture);
  g_assert_true (g_bytes_equal (before, after));

  run (fixture, &forced, "write", "0x10000", app, "--force", NULL);
  g_assert_cmpint (forced.status, ==, 4);
  fs_test_assert_contains (forced.err, "Written anyway, as forced: There is no bootloader at 0x1000");
  fs_test_assert_contains (forced.out, "Board: does not boot: There is no bootloader at 0x1000");

  set_flash (fixture, &with_bootloader);
  run (fixture, &written, "write", "0x10000", app, NULL);
  g_assert_cmpint (written.status, ==, 0);
  fs_test_assert_contains (written.out, "Board: runs flash-studio-virtual-demo");
}

/* A bootloader built for 2 MB under the 8 MB layout's table: said as it
 * is written, then the board does not boot (exit status 4); with
 * --flash-size detect its header says 8 MB and the board runs */
static void
test_flash_size (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GBytes) small = fs_test_bootloader_image (1);
  g_autofree char *bootloader = write_temp (fixture, "bootloader.bin", small);
  g_autofree char *table = demo_file ("partition-table.bin");
  g_autofree char *app = demo_file ("flash-studio-virtual-demo.bin");
  g_auto(FsTestRun) kept = { 0 };
  g_auto(FsTestRun) json = { 0 };
  g_auto(FsTestRun) detected = { 0 };
  g_auto(FsTestRun) bad = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *boot;

  run (fixture, &kept, "write", "0x1000", bootloader, "0x8000", table, "0x10000", app, NULL);
  g_assert_cmpint (kept.status, ==, 4);
  fs_test_assert_contains (kept.err, "The bootloader’s header says the flash is 2 MiB, but the partition table goes up to "
                             "0x800000");
  fs_test_assert_contains (kept.out, "Board: does not boot: The bootloader was built for 2 MB of flash, but the partition "
                             "table goes past it: partition 4 at 0x110000 ends at 0x210000.");
  fs_test_assert_contains (kept.err, "--flash-size detect");

  run (fixture, &json, "write", "0x1000", bootloader, "--json", NULL);
  g_assert_cmpint (json.status, ==, 4);
  boot = boot_member (parser, json.out);
  g_assert_cmpstr (json_object_get_string_member (boot, "state"), ==, "does-not-boot");
  fs_test_assert_contains (json_object_get_string_member (boot, "reason"), "built for 2 MB of flash");
  fs_test_assert_contains (json_object_get_string_member (boot, "hint"), "--flash-size detect");

  run (fixture, &detected, "write", "0x1000", bootloader, "--flash-size", "detect", NULL);
  g_assert_cmpint (detected.status, ==, 0);
  fs_test_assert_contains (detected.err, "The bootloader’s header said 2 MiB of flash: it is written saying 8 MiB");
  fs_test_assert_contains (detected.out, "Board: runs flash-studio-virtual-demo");

  run (fixture, &bad, "write", "0x1000", bootloader, "--flash-size", "3MB", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  fs_test_assert_contains (bad.err, "--flash-size is keep, detect, or a size");
}

/* A restore puts back what it is given; what it boots is said */
static void
test_restore_crash_loop (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autofree char *bootloader_path = demo_file ("bootloader.bin");
  g_autoptr(GBytes) bootloader = fs_test_read_bytes (bootloader_path);
  g_autoptr(GBytes) crasher = fs_test_printing_app ("crasher", (const char *[]) { "FSSIM:PANIC:LoadProhibited", NULL });
  FsTestFlash crashing = { bootloader, TRUE, 0, crasher, NULL, NULL };
  g_autoptr(GBytes) backup = fs_test_boot_flash (&crashing);
  g_autofree char *path = write_temp (fixture, "backup.bin", backup);
  g_auto(FsTestRun) text = { 0 };
  g_auto(FsTestRun) json = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *boot;

  run (fixture, &text, "restore", path, NULL);
  g_assert_cmpint (text.status, ==, 4);
  fs_test_assert_contains (text.out, "Board: does not boot: The app crashes as it starts, and again each time the board "
                             "restarts it: “Guru Meditation Error: Core  0 panic'ed (LoadProhibited). Exception was "
                             "unhandled.”");
  fs_test_assert_contains (text.err, "backtrace");

  run (fixture, &json, "restore", path, "--json", NULL);
  g_assert_cmpint (json.status, ==, 4);
  boot = boot_member (parser, json.out);
  g_assert_cmpstr (json_object_get_string_member (boot, "state"), ==, "does-not-boot");
  g_assert_cmpstr (json_object_get_string_member (boot, "project"), ==, "crasher");
}

/* Without the check: no Board line, and nothing waits for the board */
static void
test_no_boot_check (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GBytes) data = g_bytes_new_static ("program", 7);
  g_autofree char *path = write_temp (fixture, "program.bin", data);
  g_auto(FsTestRun) unchecked = { 0 };

  run (fixture, &unchecked, "write", "0x210000", path, "--no-boot-check", NULL);
  g_assert_cmpint (unchecked.status, ==, 0);
  g_assert_null (strstr (unchecked.out, "Board:"));
  g_assert_null (strstr (unchecked.err, "Checking that the board starts"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cli-boot/demo-runs", test_demo_runs);
  ADD ("/cli-boot/app-needs-bootloader", test_app_needs_bootloader);
  ADD ("/cli-boot/flash-size", test_flash_size);
  ADD ("/cli-boot/restore-crash-loop", test_restore_crash_loop);
  ADD ("/cli-boot/no-boot-check", test_no_boot_check);
#undef ADD
  return g_test_run ();
}
