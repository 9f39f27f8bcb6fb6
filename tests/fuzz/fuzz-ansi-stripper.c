/* fuzz-ansi-stripper.c: the monitor's escape sequence stripper
 *
 * The first byte picks the size of the pieces the rest is fed in. Fed in
 * pieces or at once, the stripper must give the same text, never longer
 * than what went in, and never drop a line break.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib.h>

#include "fs-monitor-text.h"
#include "fuzz.h"

static gsize
count_newlines (const guint8 *data,
                gsize         len)
{
  gsize n = 0;

  for (gsize i = 0; i < len; i++)
    n += data[i] == '\n';
  return n;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(FsAnsiStripper) whole = fs_ansi_stripper_new ();
  g_autoptr(FsAnsiStripper) pieces = fs_ansi_stripper_new ();
  g_autoptr(GByteArray) out_whole = g_byte_array_new ();
  g_autoptr(GByteArray) out_pieces = g_byte_array_new ();
  gsize piece;

  if (size < 1)
    return 0;
  piece = 1 + data[0] % 32;
  data++;
  size--;

  fs_ansi_stripper_feed (whole, data, size, out_whole);
  for (gsize i = 0; i < size; i += piece)
    fs_ansi_stripper_feed (pieces, data + i, MIN (piece, size - i), out_pieces);

  g_assert_cmpuint (out_whole->len, ==, out_pieces->len);
  g_assert_cmpuint (out_whole->len, <=, size);
  if (out_whole->len > 0)
    {
      g_assert_true (memcmp (out_whole->data, out_pieces->data, out_whole->len) == 0);
      g_assert_null (memchr (out_whole->data, 0x1B, out_whole->len));
    }
  g_assert_cmpuint (count_newlines (out_whole->data, out_whole->len), ==, count_newlines (data, size));
  return 0;
}
