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
#include <glib/gstdio.h>
#include <umockdev.h>

#include "fs-packet.h"
#include "fs-sim-board.h"
#include "fs-sim-server.h"
#include "fs-test-util.h"
#include "fs-transport-factory.h"

static const char cp2102[] =
  "P: /devices/pci0000:00/usb1/1-1\n"
  "E: SUBSYSTEM=usb\n"
  "E: DEVTYPE=usb_device\n"
  "A: idVendor=10c4\n"
  "A: idProduct=ea60\n"
  "A: serial=0001\n"
  "A: manufacturer=Silicon Labs\n"
  "A: product=CP2102 USB to UART Bridge Controller\n"
  "A: busnum=1\n"
  "A: devnum=5\n"
  "\n"
  "P: /devices/pci0000:00/usb1/1-1/1-1:1.0\n"
  "E: SUBSYSTEM=usb\n"
  "E: DEVTYPE=usb_interface\n"
  "\n"
  "P: /devices/pci0000:00/usb1/1-1/1-1:1.0/ttyUSB0\n"
  "E: SUBSYSTEM=usb-serial\n"
  "\n"
  "P: /devices/pci0000:00/usb1/1-1/1-1:1.0/ttyUSB0/tty/ttyUSB0\n"
  "N: ttyUSB0\n"
  "E: DEVNAME=/dev/ttyUSB0\n"
  "E: SUBSYSTEM=tty\n"
  "L: device=../../../ttyUSB0\n";

typedef struct {
  FsSimBoard *board;
  int         lines;     /* TIOCM_DTR | TIOCM_RTS as the port has them */
} Bridge;

static int *
resolve_int (UMockdevIoctlClient *client)
{
  g_autoptr(GError) error = NULL;
  UMockdevIoctlData *data = umockdev_ioctl_data_resolve (umockdev_ioctl_client_get_arg (client), 0, sizeof (int), &error);

  g_assert_no_error (error);
  return (int *) data->data;
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

static void
test_classic_reset_and_sync (void)
{
  g_autoptr(UMockdevTestbed) testbed = umockdev_testbed_new ();
  g_autoptr(UMockdevIoctlBase) handler = umockdev_ioctl_base_new ();
  g_auto(FsSimBoardOptions) options = { 0 };
  g_autoptr(FsSimBoard) board = NULL;
  g_autoptr(FsSimServer) server = NULL;
  g_autoptr(FsTransport) transport = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fs-serial-umockdev-XXXXXX", NULL);
  g_autofree char *flash = g_build_filename (dir, "flash.bin", NULL);
  Bridge bridge = { 0 };

  if (!umockdev_in_mock_environment ())
    {
      g_test_skip ("needs umockdev-wrapper");
      return;
    }

  umockdev_testbed_add_from_string (testbed, cp2102, &error);
  g_assert_no_error (error);

  fs_sim_board_options_init_default (&options, flash);
  options.instant = TRUE;
  board = fs_sim_board_new (&options, &error);
  g_assert_no_error (error);
  bridge.board = board;
  g_signal_connect (handler, "handle-ioctl", G_CALLBACK (on_handle_ioctl), &bridge);
  umockdev_testbed_attach_ioctl (testbed, "/dev/ttyUSB0", handler, &error);
  g_assert_no_error (error);
  server = fs_sim_server_new_for_fd (board, umockdev_testbed_get_dev_fd (testbed, "/dev/ttyUSB0"), "/dev/ttyUSB0");
  g_assert_true (fs_sim_board_wait_mode (board, FS_SIM_MODE_RUN, 2000));

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
  g_assert_true (fs_sim_board_wait_mode (board, FS_SIM_MODE_DOWNLOAD, 2000));

  fs_transport_flush_input (transport, NULL);
  send_sync (transport);
  g_assert_cmpuint (count_sync_replies (transport), ==, 8);

  /* And the hard reset back into the app */
  g_assert_true (fs_transport_set_lines (transport, FALSE, TRUE, &error));
  g_usleep (100 * 1000);
  g_assert_true (fs_transport_set_lines (transport, FALSE, FALSE, &error));
  g_assert_true (fs_sim_board_wait_mode (board, FS_SIM_MODE_RUN, 2000));

  fs_transport_close (transport);
  g_clear_object (&server);
  g_clear_object (&board);
  g_remove (flash);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/serial-umockdev/classic-reset-and-sync", test_classic_reset_and_sync);

  return g_test_run ();
}
