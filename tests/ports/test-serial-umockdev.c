/* test-serial-umockdev.c: the real serial path, on a mock USB port
 *
 * umockdev makes a CP2102 appear as /dev/ttyUSB0; its other end is the
 * virtual board, and the modem-line ioctls libserialport sends reach the
 * board's DTR and RTS as through the classic auto-reset circuit. Run under
 * umockdev-wrapper; skipped (77) without it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <glib/gstdio.h>
#include <umockdev.h>

#include "fs-packet.h"
#include "fs-sim-board.h"
#include "fs-sim-server.h"
#include "fs-test-job.h"
#include "fs-test-util.h"
#include "fs-transport-factory.h"

/* Linux's struct termios2, which <asm/termbits.h> declares but cannot be
 * included with <termios.h>: libserialport sets bauds such as 921600
 * through it (TCSETS2 with BOTHER), and a pty does not take it from
 * umockdev's preload, so the bridge below answers it as the USB
 * bridge's driver would. */
typedef struct {
  guint32 c_iflag;
  guint32 c_oflag;
  guint32 c_cflag;
  guint32 c_lflag;
  guint8  c_line;
  guint8  c_cc[19];
  guint32 c_ispeed;
  guint32 c_ospeed;
} Termios2;

G_STATIC_ASSERT (sizeof (Termios2) == 44);

#define BRIDGE_TCGETS2  _IOR ('T', 0x2A, Termios2)
#define BRIDGE_TCSETS2  _IOW ('T', 0x2B, Termios2)
#define BRIDGE_TCSETSW2 _IOW ('T', 0x2C, Termios2)
#define BRIDGE_TCSETSF2 _IOW ('T', 0x2D, Termios2)

typedef struct {
  FsSimBoard *board;
  int         lines;     /* TIOCM_DTR | TIOCM_RTS as the port has them */
  Termios2    termios;
} Bridge;

static gpointer
resolve (UMockdevIoctlClient *client,
         gsize                size)
{
  g_autoptr(GError) error = NULL;
  UMockdevIoctlData *data = umockdev_ioctl_data_resolve (umockdev_ioctl_client_get_arg (client), 0, size, &error);

  g_assert_no_error (error);
  return data->data;
}

static int *
resolve_int (UMockdevIoctlClient *client)
{
  return resolve (client, sizeof (int));
}

/* The modem lines of a USB bridge; everything else reaches the pty */
static gboolean
on_handle_ioctl (UMockdevIoctlBase   *handler,
                 UMockdevIoctlClient *client,
                 gpointer             user_data)
{
  Bridge *bridge = user_data;
  gulong request = umockdev_ioctl_client_get_request (client);

  switch (request)
    {
    case TIOCMGET:
      *resolve_int (client) = bridge->lines;
      break;
    case TIOCMSET:
      bridge->lines = *resolve_int (client);
      break;
    case TIOCMBIS:
      bridge->lines |= *resolve_int (client);
      break;
    case TIOCMBIC:
      bridge->lines &= ~*resolve_int (client);
      break;
    case BRIDGE_TCGETS2:
      memcpy (resolve (client, sizeof (Termios2)), &bridge->termios, sizeof (Termios2));
      break;
    case BRIDGE_TCSETS2:
    case BRIDGE_TCSETSW2:
    case BRIDGE_TCSETSF2:
      memcpy (&bridge->termios, resolve (client, sizeof (Termios2)), sizeof (Termios2));
      /* The bridge's UART takes the baud: the board sees bytes at it */
      fs_sim_board_set_host_baud (bridge->board, bridge->termios.c_ospeed);
      break;
    default:
      return FALSE;
    }
  if (request != TIOCMGET)
    fs_sim_board_set_lines (bridge->board, (bridge->lines & TIOCM_DTR) != 0, (bridge->lines & TIOCM_RTS) != 0);
  umockdev_ioctl_client_complete (client, 0, 0);
  return TRUE;
}

static void
send_sync (FsTransport *transport)
{
  g_autoptr(GByteArray) framed = fs_test_framed_sync ();
  g_autoptr(GError) error = NULL;

  fs_transport_write (transport, framed->data, framed->len, NULL, &error);
  g_assert_no_error (error);
}

static guint
count_sync_replies (FsTransport *transport)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  guint8 buffer[4096];
  gssize n;

  while ((n = fs_transport_read (transport, buffer, sizeof buffer, 300, NULL, NULL)) > 0)
    g_byte_array_append (bytes, buffer, n);
  return fs_test_count_replies (bytes->data, bytes->len, FS_OP_SYNC);
}

typedef struct {
  UMockdevTestbed   *testbed;
  UMockdevIoctlBase *handler;
  char              *dir;
  char              *flash;
  FsSimBoard        *board;
  FsSimServer       *server;
  Bridge             bridge;
} Fixture;

/* A CP2102 on /dev/ttyUSB0 whose other end is a virtual board in run mode */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_auto(FsSimBoardOptions) options = { 0 };
  g_autoptr(GError) error = NULL;

  fixture->testbed = umockdev_testbed_new ();
  if (!umockdev_in_mock_environment ())
    return;
  umockdev_testbed_add_from_string (fixture->testbed, fs_test_cp2102, &error);
  g_assert_no_error (error);

  fixture->dir = g_dir_make_tmp ("fs-serial-umockdev-XXXXXX", NULL);
  fixture->flash = g_build_filename (fixture->dir, "flash.bin", NULL);
  fs_sim_board_options_init_default (&options, fixture->flash);
  options.instant = TRUE;
  fixture->board = fs_sim_board_new (&options, &error);
  g_assert_no_error (error);
  fixture->bridge.board = fixture->board;
  fixture->bridge.termios.c_cflag = CS8 | CREAD | CLOCAL | 0x1000 /* BOTHER */;
  fixture->bridge.termios.c_ispeed = fixture->bridge.termios.c_ospeed = 115200;
  fixture->handler = umockdev_ioctl_base_new ();
  g_signal_connect (fixture->handler, "handle-ioctl", G_CALLBACK (on_handle_ioctl), &fixture->bridge);
  umockdev_testbed_attach_ioctl (fixture->testbed, "/dev/ttyUSB0", fixture->handler, &error);
  g_assert_no_error (error);
  fixture->server = fs_sim_server_new_for_fd (fixture->board,
                                              umockdev_testbed_get_dev_fd (fixture->testbed, "/dev/ttyUSB0"),
                                              "/dev/ttyUSB0");
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->board);
  g_clear_object (&fixture->handler);
  g_clear_object (&fixture->testbed);
  if (fixture->flash != NULL)
    g_remove (fixture->flash);
  if (fixture->dir != NULL)
    g_rmdir (fixture->dir);
  g_free (fixture->flash);
  g_free (fixture->dir);
}

static gboolean
in_mock_environment (void)
{
  if (umockdev_in_mock_environment ())
    return TRUE;
  g_test_skip ("needs umockdev-wrapper");
  return FALSE;
}

static void
test_classic_reset_and_sync (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(FsTransport) transport = NULL;
  g_autoptr(GError) error = NULL;

  if (!in_mock_environment ())
    return;

  /* A USB serial port: the factory picks libserialport, with lines */
  transport = fs_transport_new_for_port ("/dev/ttyUSB0", &error);
  g_assert_no_error (error);
  g_assert_true (fs_transport_get_caps (transport) & FS_TRANSPORT_CAN_SET_LINES);
  fs_transport_open (transport, &error);
  g_assert_no_error (error);

  /* esptool's classic reset, through TIOCMBIS/TIOCMBIC */
  g_assert_true (fs_transport_set_lines (transport, FALSE, TRUE, &error));
  g_usleep (100 * 1000);
  g_assert_true (fs_transport_set_lines (transport, TRUE, FALSE, &error));
  g_usleep (50 * 1000);
  g_assert_true (fs_transport_set_lines (transport, FALSE, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_DOWNLOAD, 2000));

  fs_transport_flush_input (transport, NULL);
  send_sync (transport);
  g_assert_cmpuint (count_sync_replies (transport), ==, 8);

  /* And the hard reset back into the app */
  g_assert_true (fs_transport_set_lines (transport, FALSE, TRUE, &error));
  g_usleep (100 * 1000);
  g_assert_true (fs_transport_set_lines (transport, FALSE, FALSE, &error));
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  fs_transport_close (transport);
}

/* The whole way: libserialport, the classic reset into download mode, a
 * write at 921600 baud, the hard reset into the new firmware */
static void
test_write_job (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(FsTransport) transport = NULL;
  g_autoptr(FsJob) job = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  guint8 *bytes = g_malloc (64 * 1024);

  for (guint i = 0; i < 64 * 1024; i++)
    bytes[i] = g_rand_int (rand) & 0xFF;
  data = g_bytes_new_take (bytes, 64 * 1024);
  if (!in_mock_environment ())
    return;

  transport = fs_transport_new_for_port ("/dev/ttyUSB0", &error);
  g_assert_no_error (error);
  job = fs_job_new (FS_JOB_WRITE, transport);
  fs_job_set_stub (job, FALSE, NULL);
  fs_job_set_baud (job, 921600);
  fs_job_add_region (job, "app.bin", 0x10000, data);
  fs_test_run_job (job, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fs_job_get_region (job, 0)->state, ==, FS_REGION_WRITTEN);
  g_assert_cmpmem (fs_sim_flash_get_data (fs_sim_board_get_flash (fixture->board)) + 0x10000, 64 * 1024,
                   g_bytes_get_data (data, NULL), 64 * 1024);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  g_assert_false (fs_transport_get_is_open (transport));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/serial-umockdev/classic-reset-and-sync", Fixture, NULL, fixture_set_up,
              test_classic_reset_and_sync, fixture_tear_down);
  g_test_add ("/serial-umockdev/write-job", Fixture, NULL, fixture_set_up,
              test_write_job, fixture_tear_down);

  return g_test_run ();
}
