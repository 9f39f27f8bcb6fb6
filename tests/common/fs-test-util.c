/* fs-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
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
        g_remove (child);
    }
  g_rmdir (path);
}
