/* test-transports.c: every transport against the virtual board
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <grp.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "fs-error.h"
#include "fs-packet.h"
#include "fs-sim-board.h"
#include "fs-sim-server.h"
#include "fs-test-board.h"
#include "fs-test-util.h"
#include "fs-transport-factory.h"
#include "fs-transport-serial.h"
#include "fs-transport-sim.h"
#include "fs-transport-termios.h"

typedef struct {
  char        *dir;
  FsSimBoard  *board;
  FsSimServer *server;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  FsSimServeKind kind = GPOINTER_TO_INT (user_data);
  g_autoptr(GError) error = NULL;

  fixture->board = fs_test_board_new (&fixture->dir);
  fixture->server = fs_sim_server_new (fixture->board, kind, 0, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->board);
  fs_test_board_remove_dir (g_steal_pointer (&fixture->dir));
}

/* Reads until the port is quiet for @quiet_ms, or fails */
static GByteArray *
read_until_quiet (FsTransport  *transport,
                  guint         quiet_ms,
                  GError      **error)
{
  GByteArray *bytes = g_byte_array_new ();
  guint8 buffer[4096];
  gssize n;

  while ((n = fs_transport_read (transport, buffer, sizeof buffer, quiet_ms, NULL, error)) > 0)
    g_byte_array_append (bytes, buffer, n);
  return bytes;
}

static void
send_sync (FsTransport *transport)
{
  g_autoptr(GByteArray) framed = fs_test_framed_sync ();
  g_autoptr(GError) error = NULL;

  g_assert_true (fs_transport_write (transport, framed->data, framed->len, NULL, &error));
  g_assert_no_error (error);
}

/* Sends a SYNC and counts the successful replies: 8 from a ROM loader that understood */
static guint
sync_replies (FsTransport *transport)
{
  g_autoptr(GByteArray) bytes = NULL;
  g_autoptr(GError) error = NULL;

  send_sync (transport);
  bytes = read_until_quiet (transport, 300, &error);
  g_assert_no_error (error);
  return fs_test_count_replies (bytes->data, bytes->len, FS_OP_SYNC);
}

static void
assert_banner (FsTransport *transport)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) banner = read_until_quiet (transport, 300, &error);

  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len ((const char *) banner->data, banner->len, "waiting for download"));
}

static void
enter_download (Fixture *fixture)
{
  g_autofree char *reply = fs_sim_board_control (fixture->board, "boot download", NULL);

  g_assert_cmpstr (reply, ==, "ok");
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_DOWNLOAD, 2000));
}

/* Unplugged, the port vanishes under the transport */
static void
assert_unplug_disconnects (Fixture     *fixture,
                           FsTransport *transport,
                           const char  *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) rest = NULL;

  fs_sim_board_set_plugged (fixture->board, FALSE);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_OFF, 2000));
  rest = read_until_quiet (transport, 1000, &error);
  g_assert_error (error, FS_ERROR, FS_ERROR_DISCONNECTED);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_termios (Fixture       *fixture,
              gconstpointer  user_data)
{
  const char *address = fs_sim_server_get_address (fixture->server);
  g_autoptr(FsTransport) transport = fs_transport_termios_new (address);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = g_strdup_printf ("the port disappeared: %s", address);
  g_autoptr(FsTransport) from_factory = fs_transport_new_for_port (address, &error);

  /* libserialport cannot open a pty: the factory falls back on termios */
  g_assert_no_error (error);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (from_factory), ==, "FsTransportTermios");
  /* A pty has neither lines nor a baud that reach the board */
  g_assert_cmpint (fs_transport_get_caps (transport), ==, 0);
  g_assert_true (fs_transport_open (transport, &error));
  g_assert_no_error (error);
  g_assert_true (fs_transport_set_lines (transport, TRUE, TRUE, &error));
  g_assert_no_error (error);

  enter_download (fixture);
  assert_banner (transport);
  g_assert_cmpuint (sync_replies (transport), ==, 8);
  assert_unplug_disconnects (fixture, transport, message);
}

static void
test_tcp (Fixture       *fixture,
          gconstpointer  user_data)
{
  const char *address = fs_sim_server_get_address (fixture->server);
  g_autoptr(GError) error = NULL;
  g_autoptr(FsTransport) transport = fs_transport_new_for_port (address, &error);
  g_autofree char *message = g_strdup_printf ("the connection to %s was closed", address);

  g_assert_no_error (error);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (transport), ==, "FsTransportTcp");
  g_assert_cmpint (fs_transport_get_caps (transport), ==, 0);
  g_assert_true (fs_transport_open (transport, &error));
  g_assert_no_error (error);

  enter_download (fixture);
  assert_banner (transport);
  g_assert_cmpuint (sync_replies (transport), ==, 8);
  assert_unplug_disconnects (fixture, transport, message);
}

static void
test_rfc2217 (Fixture       *fixture,
              gconstpointer  user_data)
{
  const char *address = fs_sim_server_get_address (fixture->server);
  g_autoptr(GError) error = NULL;
  g_autoptr(FsTransport) transport = fs_transport_new_for_port (address, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (transport), ==, "FsTransportRfc2217");
  g_assert_cmpint (fs_transport_get_caps (transport), ==, FS_TRANSPORT_CAN_SET_LINES | FS_TRANSPORT_CAN_SET_BAUD);
  g_assert_true (fs_transport_open (transport, &error));
  g_assert_no_error (error);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));

  /* esptool's classic reset, over the network */
  g_assert_true (fs_transport_set_lines (transport, FALSE, TRUE, &error));
  g_usleep (100 * 1000);
  g_assert_true (fs_transport_set_lines (transport, TRUE, FALSE, &error));
  g_usleep (50 * 1000);
  g_assert_true (fs_transport_set_lines (transport, FALSE, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_DOWNLOAD, 2000));
  assert_banner (transport);
  g_assert_cmpuint (sync_replies (transport), ==, 8);

  /* The baud reaches the board: at a baud its UART is not at, nothing is understood */
  g_assert_true (fs_transport_set_baud (transport, 921600, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fs_transport_get_baud (transport), ==, 921600);
  g_assert_cmpuint (sync_replies (transport), ==, 0);
  g_assert_true (fs_transport_set_baud (transport, 115200, &error));
  g_assert_cmpuint (sync_replies (transport), ==, 8);
}

/* A scripted RFC 2217 server: answers every COM port command, then sends
 * data with IAC doubled and Telnet commands cut across separate writes */
typedef struct {
  GSocketListener *listener;
  GByteArray      *received;   /* raw, as the client sent it */
} Rfc2217Script;

static void
send_slowly (GSocket      *socket,
             const guint8 *data,
             gsize         len)
{
  for (gsize i = 0; i < len; i++)
    {
      g_assert_cmpint (g_socket_send (socket, (const char *) &data[i], 1, NULL, NULL), ==, 1);
      g_usleep (5 * 1000);
    }
}

/* Replies to each "IAC SB 44 CMD VALUE IAC SE" in @raw from @from on; returns where it stopped */
static gsize
answer_commands (GSocket    *socket,
                 GByteArray *raw,
                 gsize       from)
{
  for (gsize i = from; i + 5 < raw->len; i++)
    {
      const guint8 *end;
      g_autoptr(GByteArray) reply = NULL;

      if (raw->data[i] != 255 || raw->data[i + 1] != 250 || raw->data[i + 2] != 44)
        continue;
      end = memmem (raw->data + i, raw->len - i, (const guint8[]) { 255, 240 }, 2);
      if (end == NULL)
        return i;
      reply = g_byte_array_new ();
      g_byte_array_append (reply, raw->data + i, end + 2 - (raw->data + i));
      reply->data[3] += 100;
      send_slowly (socket, reply->data, reply->len);
      from = i = end + 2 - raw->data;
      i--;
    }
  return from;
}

static gpointer
run_rfc2217_script (gpointer user_data)
{
  Rfc2217Script *script = user_data;
  g_autoptr(GSocket) socket = g_socket_listener_accept_socket (script->listener, NULL, NULL, NULL);
  /* Data, an escaped 0xFF, a WILL SGA and a COM port notice, each cut in pieces */
  const guint8 stream[] = { 'A', 255, 255, 'B', 255, 251, 3, 255, 250, 44, 107, 0, 255, 240, 'C' };
  gsize answered = 0;
  guint replies = 0;

  g_assert_nonnull (socket);
  /* The open sets the baud and releases both lines: three commands */
  while (replies < 3)
    {
      guint8 buffer[256];
      gssize n = g_socket_receive (socket, (char *) buffer, sizeof buffer, NULL, NULL);
      gsize before = answered;

      g_assert_cmpint (n, >, 0);
      g_byte_array_append (script->received, buffer, n);
      answered = answer_commands (socket, script->received, answered);
      for (gsize i = before; i + 2 < answered; i++)
        replies += script->received->data[i] == 255 && script->received->data[i + 1] == 250;
    }
  send_slowly (socket, stream, sizeof stream);
  /* What the client writes next, and its answer to WILL SGA */
  for (;;)
    {
      guint8 buffer[256];
      gssize n = g_socket_receive (socket, (char *) buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        break;
      g_byte_array_append (script->received, buffer, n);
    }
  return NULL;
}

static void
test_rfc2217_telnet (void)
{
  Rfc2217Script script = { g_socket_listener_new (), g_byte_array_new () };
  const guint8 data[] = { 0x01, 0xFF, 0x02 };
  const guint8 escaped[] = { 0x01, 0xFF, 0xFF, 0x02 };
  const guint8 do_sga[] = { 255, 253, 3 };
  g_autoptr(GError) error = NULL;
  g_autoptr(FsTransport) transport = NULL;
  g_autoptr(GByteArray) got = NULL;
  g_autofree char *address = NULL;
  GThread *thread;
  guint16 port = g_socket_listener_add_any_inet_port (script.listener, NULL, &error);

  g_assert_no_error (error);
  address = g_strdup_printf ("rfc2217://127.0.0.1:%u", port);
  thread = g_thread_new ("rfc2217-script", run_rfc2217_script, &script);
  transport = fs_transport_new_for_port (address, &error);
  g_assert_true (fs_transport_open (transport, &error));
  g_assert_no_error (error);

  got = read_until_quiet (transport, 300, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (got->data, got->len, "A\377BC", 4);
  g_assert_true (fs_transport_write (transport, data, sizeof data, NULL, &error));
  g_assert_no_error (error);
  g_usleep (100 * 1000);
  fs_transport_close (transport);
  g_thread_join (thread);

  g_assert_nonnull (memmem (script.received->data, script.received->len, escaped, sizeof escaped));
  g_assert_nonnull (memmem (script.received->data, script.received->len, do_sga, sizeof do_sga));
  g_byte_array_unref (script.received);
  g_object_unref (script.listener);
}

static void
test_sim (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsTransport) transport = fs_transport_new_for_port ("sim:heltec-wifi-kit-32", &error);
  g_autofree char *flash_path = g_build_filename (g_get_user_data_dir (), "flash-studio", "virtual",
                                                  "heltec-wifi-kit-32.bin", NULL);
  FsSimBoard *board;

  g_assert_no_error (error);
  g_assert_true (FS_IS_TRANSPORT_SIM (transport));
  g_assert_cmpstr (fs_transport_get_name (transport), ==, "sim:heltec-wifi-kit-32");
  board = fs_transport_sim_get_board (FS_TRANSPORT_SIM (transport));
  g_assert_true (g_file_test (flash_path, G_FILE_TEST_IS_REGULAR));
  /* The Heltec's flash, from its profile */
  g_assert_cmpuint (fs_sim_flash_get_size (fs_sim_board_get_flash (board)), ==, 8 * 1024 * 1024);

  g_assert_true (fs_transport_open (transport, &error));
  g_assert_no_error (error);
  /* The profile says the board has the auto-reset circuit: the classic reset works */
  g_assert_true (fs_transport_set_lines (transport, FALSE, TRUE, &error));
  g_usleep (100 * 1000);
  g_assert_true (fs_transport_set_lines (transport, TRUE, FALSE, &error));
  g_usleep (50 * 1000);
  g_assert_true (fs_transport_set_lines (transport, FALSE, FALSE, &error));
  g_assert_true (fs_sim_board_wait_mode (board, FS_SIM_MODE_DOWNLOAD, 2000));
  assert_banner (transport);
  g_assert_cmpuint (sync_replies (transport), ==, 8);

  fs_transport_close (transport);
  g_clear_object (&transport);
  g_remove (flash_path);
}

static void
assert_factory_error (const char *port,
                      gint        code,
                      const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsTransport) transport = fs_transport_new_for_port (port, &error);

  g_assert_null (transport);
  g_assert_error (error, FS_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_factory_errors (void)
{
  assert_factory_error ("socket://localhost", FS_ERROR_INVALID_ARGUMENT,
                        "“socket://localhost” is not a network port: write it as socket://HOST:PORT, "
                        "with a port from 1 to 65535");
  assert_factory_error ("socket://:4000", FS_ERROR_INVALID_ARGUMENT,
                        "“socket://:4000” is not a network port: write it as socket://HOST:PORT, "
                        "with a port from 1 to 65535");
  assert_factory_error ("rfc2217://localhost:70000", FS_ERROR_INVALID_ARGUMENT,
                        "“rfc2217://localhost:70000” is not a network port: write it as rfc2217://HOST:PORT, "
                        "with a port from 1 to 65535");
  assert_factory_error ("rfc2217://localhost:0", FS_ERROR_INVALID_ARGUMENT,
                        "“rfc2217://localhost:0” is not a network port: write it as rfc2217://HOST:PORT, "
                        "with a port from 1 to 65535");
  assert_factory_error ("sim:", FS_ERROR_INVALID_ARGUMENT,
                        "“sim:” is not a virtual board: write it as sim:BOARD-ID, such as sim:heltec-wifi-kit-32");
  assert_factory_error ("sim:../heltec-wifi-kit-32", FS_ERROR_INVALID_ARGUMENT,
                        "“sim:../heltec-wifi-kit-32” is not a virtual board: write it as sim:BOARD-ID, "
                        "such as sim:heltec-wifi-kit-32");
  assert_factory_error ("sim:no-such-board", FS_ERROR_NOT_FOUND,
                        "there is no board “no-such-board” (“flash-studio-cli boards” lists them)");
  assert_factory_error ("/dev/no-such-port", FS_ERROR_NOT_FOUND,
                        "no such port: /dev/no-such-port (a port is a device such as /dev/ttyUSB0, "
                        "socket://HOST:PORT, rfc2217://HOST:PORT or sim:BOARD-ID)");
}

static void
test_factory_ipv6 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsTransport) transport = fs_transport_new_for_port ("socket://[::1]:4000", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (fs_transport_get_name (transport), ==, "socket://[::1]:4000");
}

/* Nothing listens there: opening says so, naming the port */
static void
test_tcp_refused (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FsTransport) transport = NULL;
  g_autofree char *address = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  /* A port that was free a moment ago, and is closed now */
  g_socket_listener_close (listener);
  address = g_strdup_printf ("socket://127.0.0.1:%u", port);
  transport = fs_transport_new_for_port (address, &error);
  g_assert_no_error (error);
  g_assert_false (fs_transport_open (transport, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "cannot connect to socket://127.0.0.1:"));
}

static void
test_termios_errors (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fs-transports-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "ttyNOPE", NULL);
  g_autoptr(FsTransport) missing = fs_transport_termios_new (path);
  g_autoptr(FsTransport) not_serial = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  g_assert_false (fs_transport_open (missing, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_NOT_FOUND);
  expected = g_strdup_printf ("no such port: %s", path);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  not_serial = fs_transport_termios_new (path);
  g_assert_false (fs_transport_open (not_serial, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
  g_free (expected);
  expected = g_strdup_printf ("%s is not a serial port", path);
  g_assert_cmpstr (error->message, ==, expected);

  g_remove (path);
  g_rmdir (dir);
}

static void
test_serial_not_found (void)
{
  g_autoptr(FsTransport) transport = fs_transport_serial_new ("/dev/ttyNOPE0");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (fs_transport_get_caps (transport), ==, FS_TRANSPORT_CAN_SET_LINES | FS_TRANSPORT_CAN_SET_BAUD);
  g_assert_false (fs_transport_open (transport, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "no such port: /dev/ttyNOPE0");
}

static void
test_permission (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fs-transports-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "ttyLOCKED", NULL);
  g_autofree char *message = NULL;
  g_autofree char *expected = NULL;
  struct group *group;
  struct stat st;

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  g_assert_cmpint (g_chmod (path, 0), ==, 0);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  group = getgrgid (st.st_gid);
  g_assert_nonnull (group);
  expected = g_strdup_printf ("You may not open %s: add yourself to the “%s” group (sudo usermod -aG %s $USER, "
                              "then log in again), or install Flash Studio's udev rule (it grants the "
                              "logged-in user access)", path, group->gr_name, group->gr_name);

  message = fs_transport_describe_permission_problem (path);
  g_assert_cmpstr (message, ==, expected);

  /* As root, chmod does not stop anyone: only the describer can be tested */
  if (getuid () != 0)
    {
      g_autoptr(FsTransport) transport = fs_transport_termios_new (path);
      g_autoptr(GError) error = NULL;

      g_assert_false (fs_transport_open (transport, &error));
      g_assert_error (error, FS_ERROR, FS_ERROR_PERMISSION_DENIED);
      g_assert_cmpstr (error->message, ==, expected);
    }
  g_remove (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("fs-transports-home-XXXXXX", NULL);
  g_autofree char *data_dir = g_build_filename (home, "data", NULL);
  g_autofree char *config_dir = g_build_filename (home, "config", NULL);
  int status;

  /* Before GLib reads them: the sim: boards keep their flash there */
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_dir, TRUE);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/ports/termios", Fixture, GINT_TO_POINTER (FS_SIM_SERVE_PTY), fixture_set_up, test_termios, fixture_tear_down);
  g_test_add ("/ports/tcp", Fixture, GINT_TO_POINTER (FS_SIM_SERVE_TCP), fixture_set_up, test_tcp, fixture_tear_down);
  g_test_add ("/ports/rfc2217", Fixture, GINT_TO_POINTER (FS_SIM_SERVE_RFC2217), fixture_set_up, test_rfc2217, fixture_tear_down);
  g_test_add_func ("/ports/rfc2217-telnet", test_rfc2217_telnet);
  g_test_add_func ("/ports/sim", test_sim);
  g_test_add_func ("/ports/factory-errors", test_factory_errors);
  g_test_add_func ("/ports/factory-ipv6", test_factory_ipv6);
  g_test_add_func ("/ports/tcp-refused", test_tcp_refused);
  g_test_add_func ("/ports/termios-errors", test_termios_errors);
  g_test_add_func ("/ports/serial-not-found", test_serial_not_found);
  g_test_add_func ("/ports/permission", test_permission);

  status = g_test_run ();
  /* The folders the sim: test made, deepest first */
  for (const char * const *sub = (const char * const[]) { "data/flash-studio/virtual", "data/flash-studio",
                                                          "data", ".", NULL }; *sub != NULL; sub++)
    {
      g_autofree char *path = g_build_filename (home, *sub, NULL);
      g_rmdir (path);
    }
  return status;
}
