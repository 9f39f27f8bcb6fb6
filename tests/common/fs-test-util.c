/* fs-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include "fs-packet.h"
#include "fs-slip.h"
#include "fs-test-util.h"

GByteArray *
fs_test_framed_sync (void)
{
  g_autoptr(GBytes) packet = fs_packet_sync_new ();
  GByteArray *framed = g_byte_array_new ();

  fs_slip_encode (framed, g_bytes_get_data (packet, NULL), g_bytes_get_size (packet));
  return framed;
}

guint
fs_test_count_replies (const guint8 *data,
                       gsize         len,
                       guint8        opcode)
{
  g_autoptr(FsSlipDecoder) decoder = fs_slip_decoder_new (FS_SLIP_DEFAULT_MAX_FRAME);
  GBytes *frame;
  guint n = 0;

  fs_slip_decoder_push (decoder, data, len);
  while ((frame = fs_slip_decoder_pop (decoder)) != NULL)
    {
      g_autoptr(FsResponse) response = fs_response_parse (g_bytes_get_data (frame, NULL), g_bytes_get_size (frame),
                                                          FS_STATUS_LEN_ROM, NULL);
      if (response != NULL && response->opcode == opcode && response->status == 0)
        n++;
      g_bytes_unref (frame);
    }
  return n;
}

guint
fs_test_count_text (const char *text,
                    const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

void
fs_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        fs_test_remove_tree (child);
      else
        g_assert_cmpint (g_remove (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

void
fs_test_write_bytes (const char *path,
                     GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
}

GBytes *
fs_test_read_bytes (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (g_steal_pointer (&contents), len);
}

void
fs_test_assert_contains (const char *text,
                         const char *expected)
{
  if (strstr (text, expected) == NULL)
    g_error ("“%s” not found in:\n%s", expected, text);
}

void
fs_test_run_clear (FsTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

const char fs_test_cp2102[] =
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
