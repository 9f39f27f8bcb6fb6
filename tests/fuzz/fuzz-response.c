/* fuzz-response.c: loader responses, with both status lengths
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib.h>

#include "fs-error.h"
#include "fs-packet.h"
#include "fuzz.h"

static void
check_response (const guint8 *data,
                gsize         size,
                FsStatusLen   status_len)
{
  g_autoptr(FsResponse) response = NULL;
  g_autoptr(FsResponse) again = NULL;
  g_autoptr(GBytes) rebuilt = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *frame;
  gsize frame_len = 0;

  response = fs_response_parse (data, size, status_len, &error);
  if (response == NULL)
    {
      g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (response->data) + 8 + status_len, ==, size);

  if (fs_response_check (response, &error))
    {
      g_assert_no_error (error);
      g_assert_cmpuint (response->status, ==, 0);
    }
  else
    {
      g_assert_error (error, FS_ERROR, FS_ERROR_LOADER);
      g_assert_cmpuint (response->status, !=, 0);
      g_assert_true (g_str_has_prefix (error->message, fs_opcode_to_string (response->opcode)));
      g_clear_error (&error);
    }

  /* Rebuilt, the packet is the same but for the ROM's stale bytes */
  rebuilt = fs_packet_response_new (response->opcode, response->value,
                                    g_bytes_get_data (response->data, NULL),
                                    g_bytes_get_size (response->data),
                                    response->status, response->error, status_len);
  frame = g_bytes_get_data (rebuilt, &frame_len);
  g_assert_cmpuint (frame_len, ==, size);
  g_assert_cmpmem (frame, size - status_len + 2, data, size - status_len + 2);

  again = fs_response_parse (frame, frame_len, status_len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->opcode, ==, response->opcode);
  g_assert_cmpuint (again->value, ==, response->value);
  g_assert_cmpuint (again->status, ==, response->status);
  g_assert_cmpuint (again->error, ==, response->error);
  g_assert_true (g_bytes_equal (again->data, response->data));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  check_response (data, size, FS_STATUS_LEN_STUB);
  check_response (data, size, FS_STATUS_LEN_ROM);
  return 0;
}
