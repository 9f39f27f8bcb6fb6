/* fuzz-command.c: loader commands, as the virtual board receives them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>

#include "fs-error.h"
#include "fs-packet.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(FsCommand) command = NULL;
  g_autoptr(GBytes) rebuilt = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const guint8 *payload;

  command = fs_command_parse (data, size, &error);
  if (command == NULL)
    {
      g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
      return 0;
    }
  g_assert_no_error (error);
  g_assert_nonnull (fs_opcode_to_string (command->opcode));

  payload = g_bytes_get_data (command->data, &len);
  rebuilt = fs_packet_command_new (command->opcode, payload, len, command->checksum);
  g_assert_cmpmem (g_bytes_get_data (rebuilt, NULL), g_bytes_get_size (rebuilt), data, size);

  /* A well-formed data command rebuilt from its payload is the same packet
   * when its checksum is right */
  if (len >= 16 && (command->opcode == FS_OP_FLASH_DATA || command->opcode == FS_OP_MEM_DATA ||
                    command->opcode == FS_OP_FLASH_DEFL_DATA))
    {
      guint32 seq = payload[4] | (payload[5] << 8) | (payload[6] << 16) | ((guint32) payload[7] << 24);
      gsize payload_len = len - 16;
      g_autoptr(GBytes) data_command = fs_packet_data_command_new (command->opcode, seq,
                                                                   payload + 16, payload_len);
      gboolean same = g_bytes_equal (data_command, rebuilt);
      gboolean consistent = command->checksum == fs_packet_checksum (payload + 16, payload_len) &&
                            payload[0] == (payload_len & 0xFF) && payload[1] == (payload_len >> 8) &&
                            payload[2] == 0 && payload[3] == 0;

      for (guint i = 8; i < 16; i++)
        consistent = consistent && payload[i] == 0;
      g_assert_cmpint (same, ==, consistent);
    }
  return 0;
}
