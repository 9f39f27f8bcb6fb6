/* fuzz-slip.c: the streaming SLIP decoder
 *
 * The first byte picks the maximum frame size and the size of the pieces
 * the rest is pushed in. Pushed in pieces or at once, the decoder must give
 * the same frames; each frame must survive encoding and decoding again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>

#include "fs-slip.h"
#include "fuzz.h"

static void
check_round_trip (GBytes *frame)
{
  g_autoptr(GByteArray) encoded = g_byte_array_new ();
  g_autoptr(FsSlipDecoder) decoder = fs_slip_decoder_new (g_bytes_get_size (frame));
  g_autoptr(GBytes) decoded = NULL;
  g_autoptr(GBytes) noise = NULL;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (frame, &len);

  fs_slip_encode (encoded, data, len);
  g_assert_cmpuint (fs_slip_decoder_push (decoder, encoded->data, encoded->len), ==, 1);
  decoded = fs_slip_decoder_pop (decoder);
  g_assert_true (g_bytes_equal (decoded, frame));
  g_assert_cmpuint (fs_slip_decoder_get_n_dropped (decoder), ==, 0);
  noise = fs_slip_decoder_take_noise (decoder);
  g_assert_cmpuint (g_bytes_get_size (noise), ==, 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(FsSlipDecoder) whole = NULL;
  g_autoptr(FsSlipDecoder) pieces = NULL;
  g_autoptr(GBytes) noise_whole = NULL;
  g_autoptr(GBytes) noise_pieces = NULL;
  gsize max_frame, piece;
  guint n_whole;

  if (size < 1)
    return 0;
  max_frame = 1 + (data[0] & 0x0F) * 16;
  piece = 1 + (data[0] >> 4);
  data++;
  size--;

  whole = fs_slip_decoder_new (max_frame);
  pieces = fs_slip_decoder_new (max_frame);
  n_whole = fs_slip_decoder_push (whole, data, size);
  for (gsize i = 0; i < size; i += piece)
    fs_slip_decoder_push (pieces, data + i, MIN (piece, size - i));

  for (guint i = 0; i < n_whole; i++)
    {
      g_autoptr(GBytes) a = fs_slip_decoder_pop (whole);
      g_autoptr(GBytes) b = fs_slip_decoder_pop (pieces);

      g_assert_nonnull (a);
      g_assert_nonnull (b);
      g_assert_true (g_bytes_equal (a, b));
      g_assert_cmpuint (g_bytes_get_size (a), >, 0);
      g_assert_cmpuint (g_bytes_get_size (a), <=, max_frame);
      check_round_trip (a);
    }
  g_assert_null (fs_slip_decoder_pop (whole));
  g_assert_null (fs_slip_decoder_pop (pieces));
  g_assert_cmpuint (fs_slip_decoder_get_n_dropped (whole), ==,
                    fs_slip_decoder_get_n_dropped (pieces));

  noise_whole = fs_slip_decoder_take_noise (whole);
  noise_pieces = fs_slip_decoder_take_noise (pieces);
  g_assert_true (g_bytes_equal (noise_whole, noise_pieces));
  g_assert_cmpuint (g_bytes_get_size (noise_whole), <=, 4096);

  fs_slip_decoder_reset (whole);
  g_assert_cmpuint (fs_slip_decoder_get_n_dropped (whole), ==, 0);
  return 0;
}
