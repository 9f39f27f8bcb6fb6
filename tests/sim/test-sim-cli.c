/* test-sim-cli.c: flash-studio-sim, run as a user runs it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

typedef struct {
  char             *dir;
  char             *flash_path;
  GSubprocess      *process;
  GDataInputStream *out;
  GOutputStream    *in;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->dir = g_dir_make_tmp ("fs-sim-cli-XXXXXX", NULL);
  fixture->flash_path = g_build_filename (fixture->dir, "flash.bin", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->process != NULL)
    {
      g_subprocess_force_exit (fixture->process);
      g_subprocess_wait (fixture->process, NULL, NULL);
    }
  g_clear_object (&fixture->out);
  g_clear_object (&fixture->process);
  g_remove (fixture->flash_path);
  g_rmdir (fixture->dir);
  g_free (fixture->flash_path);
  g_free (fixture->dir);
}

static GSubprocess *
spawn (const char * const *args,
       GSubprocessFlags    flags)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, (gpointer) g_getenv ("FLASH_STUDIO_SIM"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata, flags, &error);
  g_assert_no_error (error);
  return process;
}

static int
run_to_end (const char * const  *args,
            char               **err)
{
  g_autoptr(GSubprocess) process = spawn (args, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

static char *
read_line (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (fixture->out, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (line);
  return line;
}

static char *
command (Fixture    *fixture,
         const char *text)
{
  g_autofree char *line = g_strconcat (text, "\n", NULL);
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (fixture->in, line, strlen (line), NULL, NULL, &error);
  g_assert_no_error (error);
  return read_line (fixture);
}

static void
start (Fixture    *fixture,
       const char *serve,
       const char *port)
{
  const char *args[] = { "--board", "heltec-wifi-kit-32", "--flash-file", fixture->flash_path, "--instant", serve, port, NULL };

  fixture->process = spawn (args, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  fixture->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->process));
  fixture->in = g_subprocess_get_stdin_pipe (fixture->process);
}

static void
stop (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (fixture->process, SIGTERM);
  g_subprocess_wait (fixture->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (fixture->process));
  g_assert_cmpint (g_subprocess_get_exit_status (fixture->process), ==, 0);
  g_clear_object (&fixture->process);
}

static void
test_pty_and_control (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *address = NULL;
  g_autofree char *status = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *ok = NULL;
  g_autofree char *download = NULL;
  GStatBuf info;

  start (fixture, "--pty", NULL);
  address = read_line (fixture);
  g_assert_true (g_file_test (address, G_FILE_TEST_IS_SYMLINK));

  status = command (fixture, "status");
  g_assert_true (g_str_has_prefix (status, "mode "));
  bad = command (fixture, "fault frobnicate 1");
  g_assert_true (g_str_has_prefix (bad, "error: “fault frobnicate 1” is not a command"));
  ok = command (fixture, "boot download");
  g_assert_cmpstr (ok, ==, "ok");
  for (guint i = 0; i < 100; i++)
    {
      g_free (download);
      download = command (fixture, "status");
      if (g_str_equal (download, "mode download"))
        break;
      g_usleep (10 * 1000);
    }
  g_assert_cmpstr (download, ==, "mode download");
  stop (fixture);

  /* The flash file stays, the size of the board's flash */
  g_assert_cmpint (g_stat (fixture->flash_path, &info), ==, 0);
  g_assert_cmpint (info.st_size, ==, 8 * 1024 * 1024);
  g_assert_false (g_file_test (address, G_FILE_TEST_EXISTS));
}

static void
test_tcp_and_rfc2217 (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *tcp = NULL;
  g_autofree char *rfc2217 = NULL;

  start (fixture, "--tcp", "0");
  tcp = read_line (fixture);
  g_assert_true (g_str_has_prefix (tcp, "socket://127.0.0.1:"));
  stop (fixture);
  g_clear_object (&fixture->out);

  start (fixture, "--rfc2217", "0");
  rfc2217 = read_line (fixture);
  g_assert_true (g_str_has_prefix (rfc2217, "rfc2217://127.0.0.1:"));
  stop (fixture);
}

static void
test_bad_arguments (Fixture       *fixture,
                    gconstpointer  user_data)
{
  const char *none[] = { NULL };
  const char *help[] = { "--help", NULL };
  const char *both[] = { "--board", "esp32-devkit", "--flash-file", fixture->flash_path, "--tcp", "0", "--rfc2217", "0", NULL };
  const char *unknown[] = { "--board", "esp8266-nodemcu", "--flash-file", fixture->flash_path, NULL };
  const char *devkit[] = { "--board", "esp32-devkit", "--flash-file", fixture->flash_path, NULL };
  g_autofree char *err_none = NULL;
  g_autofree char *err_help = NULL;
  g_autofree char *err_both = NULL;
  g_autofree char *err_unknown = NULL;
  g_autofree char *err_size = NULL;
  g_autofree char *eight_mib = g_malloc0 (8 * 1024 * 1024);

  g_assert_cmpint (run_to_end (none, &err_none), ==, 2);
  g_assert_cmpint (run_to_end (help, &err_help), ==, 0);
  g_assert_cmpint (run_to_end (both, &err_both), ==, 2);
  g_assert_cmpint (run_to_end (unknown, &err_unknown), ==, 1);
  g_assert_nonnull (strstr (err_unknown, "there is no board “esp8266-nodemcu”"));

  /* An 8 MiB flash file given to a 4 MiB board is refused, not cut */
  g_assert_true (g_file_set_contents (fixture->flash_path, eight_mib, 8 * 1024 * 1024, NULL));
  g_assert_cmpint (run_to_end (devkit, &err_size), ==, 1);
  g_assert_nonnull (strstr (err_size, "not the 4 MiB of this board"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sim-cli/pty-and-control", Fixture, NULL, fixture_set_up, test_pty_and_control, fixture_tear_down);
  g_test_add ("/sim-cli/tcp-and-rfc2217", Fixture, NULL, fixture_set_up, test_tcp_and_rfc2217, fixture_tear_down);
  g_test_add ("/sim-cli/bad-arguments", Fixture, NULL, fixture_set_up, test_bad_arguments, fixture_tear_down);

  return g_test_run ();
}
