/* test-slip.c: SLIP framing, streaming decoder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>

#include "fs-slip.h"

static const guint8 frame_a[] = { 0x01, 0x08, 0x24, 0x00 };
static const guint8 frame_b[] = { 0xC0, 0xDB, 0xC0, 0xDC, 0xDD, 0xDB };
static const guint8 frame_c[] = { 0x01, 0x0A, 0x02, 0x00, 0x83, 0x1D, 0xF0, 0x00, 0x00, 0x00 };
static const guint8 frame_d[] = { 0xDB };

typedef struct {
  const guint8 *data;
  gsize         len;
} Frame;

static const Frame frames[] = {
  { frame_a, sizeof (frame_a) },
  { frame_b, sizeof (frame_b) },
  { frame_c, sizeof (frame_c) },
  { frame_d, sizeof (frame_d) },
};

static void
assert_bytes (GBytes       *bytes,
              const guint8 *data,
              gsize         len)
{
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), data, len);
}

static void
assert_pops (FsSlipDecoder *decoder,
             const Frame   *expected,
             guint          n_expected)
{
  for (guint i = 0; i < n_expected; i++)
    {
      g_autoptr(GBytes) frame = fs_slip_decoder_pop (decoder);
      assert_bytes (frame, expected[i].data, expected[i].len);
    }
  g_assert_null (fs_slip_decoder_pop (decoder));
}

static void
assert_noise (FsSlipDecoder *decoder,
              const char    *expected)
{
  g_autoptr(GBytes) noise = fs_slip_decoder_take_noise (decoder);
  assert_bytes (noise, (const guint8 *) expected, strlen (expected));
}

static void
test_encode (void)
{
  static const guint8 data[] = { 0x01, 0xC0, 0x02, 0xDB, 0x03 };
  static const guint8 expected[] = { 0xC0, 0x01, 0xDB, 0xDC, 0x02, 0xDB, 0xDD, 0x03, 0xC0 };
  static const guint8 expected_empty[] = { 0xC0, 0xC0 };
  static const guint8 expected_ends[] = { 0xC0, 0xDB, 0xDC, 0xDB, 0xDD, 0xC0 };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) empty = g_byte_array_new ();
  g_autoptr(GByteArray) ends = g_byte_array_new ();

  fs_slip_encode (out, data, sizeof (data));
  g_assert_cmpmem (out->data, out->len, expected, sizeof (expected));

  fs_slip_encode (empty, NULL, 0);
  g_assert_cmpmem (empty->data, empty->len, expected_empty, sizeof (expected_empty));

  /* escapes first and last, and appending keeps what is there */
  g_byte_array_append (ends, (const guint8 *) "x", 1);
  fs_slip_encode (ends, frame_b, 2);
  g_assert_cmpmem (ends->data + 1, ends->len - 1, expected_ends, sizeof (expected_ends));
  g_assert_cmpint (ends->data[0], ==, 'x');
}

static void
test_decode_hand (void)
{
  static const guint8 stream[] = { 0xC0, 0x01, 0xDB, 0xDC, 0x02, 0xDB, 0xDD, 0x03, 0xC0 };
  static const guint8 expected[] = { 0x01, 0xC0, 0x02, 0xDB, 0x03 };
  g_autoptr(FsSlipDecoder) decoder = fs_slip_decoder_new (FS_SLIP_DEFAULT_MAX_FRAME);
  const Frame frame = { expected, sizeof (expected) };

  g_assert_cmpuint (fs_slip_decoder_push (decoder, stream, sizeof (stream) - 1), ==, 0);
  g_assert_null (fs_slip_decoder_pop (decoder));
  g_assert_cmpuint (fs_slip_decoder_push (decoder, stream + sizeof (stream) - 1, 1), ==, 1);
  assert_pops (decoder, &frame, 1);
  g_assert_cmpuint (fs_slip_decoder_get_n_dropped (decoder), ==, 0);
  assert_noise (decoder, "");
}

/* Noise, the frames, noise between each, noise after */
static GByteArray *
build_stream (void)
{
  GByteArray *stream = g_byte_array_new ();

  g_byte_array_append (stream, (const guint8 *) "ets Jun  8 2016\r\n", 17);
  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      fs_slip_encode (stream, frames[i].data, frames[i].len);
      g_byte_array_append (stream, (const guint8 *) "+", 1);
    }
  g_byte_array_append (stream, (const guint8 *) "boot:", 5);
  return stream;
}

#define STREAM_NOISE "ets Jun  8 2016\r\n++++boot:"

static void
test_split_everywhere (void)
{
  g_autoptr(GByteArray) stream = build_stream ();

  for (guint split = 0; split <= stream->len; split++)
    {
      g_autoptr(FsSlipDecoder) decoder = fs_slip_decoder_new (FS_SLIP_DEFAULT_MAX_FRAME);

      fs_slip_decoder_push (decoder, stream->data, split);
      g_assert_cmpuint (fs_slip_decoder_push (decoder, stream->data + split, stream->len - split),
                        ==, G_N_ELEMENTS (frames));
      assert_pops (decoder, frames, G_N_ELEMENTS (frames));
      g_assert_cmpuint (fs_slip_decoder_get_n_dropped (decoder), ==, 0);
      assert_noise (decoder, STREAM_NOISE);
    }
}

static void
test_byte_by_byte (void)
{
  g_autoptr(GByteArray) stream = build_stream ();
  g_autoptr(FsSlipDecoder) decoder = fs_slip_decoder_new (FS_SLIP_DEFAULT_MAX_FRAME);
  guint n_waiting = 0;

  for (guint i = 0; i < stream->len; i++)
    {
      guint n = fs_slip_decoder_push (decoder, stream->data + i, 1);

      g_assert_cmpuint (n, >=, n_waiting);
      g_assert_cmpuint (n, <=, n_waiting + 1);
      n_waiting = n;
    }
  g_assert_cmpuint (n_waiting, ==, G_N_ELEMENTS (frames));
  assert_pops (decoder, frames, G_N_ELEMENTS (frames));
  assert_noise (decoder, STREAM_NOISE);
}

static void
test_start_mid_frame (void)
{
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  gsize first_len = 0;

  /* back to back, as the loader sends them (END END between frames), the
   * first frame full of escapes */
  fs_slip_encode (stream, frame_b, sizeof (frame_b));
  first_len = stream->len;
  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    fs_slip_encode (stream, frames[i].data, frames[i].len);

  /* Starting anywhere inside the first frame, its END looks like a start:
   * the empty frame that follows re-synchronises the decoder. */
  for (gsize start = 1; start < first_len; start++)
    {
      g_autoptr(FsSlipDecoder) decoder = fs_slip_decoder_new (FS_SLIP_DEFAULT_MAX_FRAME);
      g_autoptr(GBytes) noise = NULL;

      fs_slip_decoder_push (decoder, stream->data + start, stream->len - start);
      assert_pops (decoder, frames, G_N_ELEMENTS (frames));
      g_assert_cmpuint (fs_slip_decoder_get_n_dropped (decoder), ==, 0);
      noise = fs_slip_decoder_take_noise (decoder);
      assert_bytes (noise, stream->data + start, first_len - 1 - start);
    }
}

static void
test_garbage_with_end (void)
{
  /* Garbage between frames (a boot log at the wrong baud rate) may hold an
   * END: what follows it up to the next END decodes as a frame, and it
   * costs at most that one frame. */
  static const guint8 stream_bad_escape[] = {
    'g', 0xC0, 0x05, 0xDB, 0x06, 0xC0,
    0xC0, 0x01, 0x08, 0x24, 0x00, 0xC0,
  };
  static const guint8 stream_bogus[] = {
    'g', 0xC0, 0xDC, 0x05, 0x06, 0xC0,
    0xC0, 0x01, 0x08, 0x24, 0x00, 0xC0,
  };
  static const guint8 bogus[] = { 0xDC, 0x05, 0x06 };
  g_autoptr(FsSlipDecoder) decoder = fs_slip_decoder_new (FS_SLIP_DEFAULT_MAX_FRAME);
  const Frame expected_bogus[] = { { bogus, sizeof (bogus) }, frames[0] };

  fs_slip_decoder_push (decoder, stream_bad_escape, sizeof (stream_bad_escape));
  assert_pops (decoder, frames, 1);
  g_assert_cmpuint (fs_slip_decoder_get_n_dropped (decoder), ==, 1);
  assert_noise (decoder, "g");

  fs_slip_decoder_reset (decoder);
  fs_slip_decoder_push (decoder, stream_bogus, sizeof (stream_bogus));
  assert_pops (decoder, expected_bogus, G_N_ELEMENTS (expected_bogus));
  g_assert_cmpuint (fs_slip_decoder_get_n_dropped (decoder), ==, 0);
  assert_noise (decoder, "g");
}

static void
test_empty_frames (void)
{
  static const guint8 stream[] = { 0xC0, 0xC0, 0xC0, 0xC0, 0x01, 0x08, 0x24, 0x00, 0xC0, 0xC0 };
  g_autoptr(FsSlipDecoder) decoder = fs_slip_decoder_new (FS_SLIP_DEFAULT_MAX_FRAME);

  g_assert_cmpuint (fs_slip_decoder_push (decoder, stream, sizeof (stream)), ==, 1);
  assert_pops (decoder, frames, 1);
  g_assert_cmpuint (fs_slip_decoder_get_n_dropped (decoder), ==, 0);
  assert_noise (decoder, "");

  /* the trailing END started a frame: what follows is not noise */
  fs_slip_decoder_push (decoder, (const guint8 *) "ab\xC0", 3);
  assert_pops (decoder, &(Frame) { (const guint8 *) "ab", 2 }, 1);
}

static void
test_bad_escape (void)
{
  static const guint8 stream[] = {
    0xC0, 0x01, 0xDB, 0x02, 0x03, 0xC0,      /* ESC then a plain byte */
    0xC0, 0x01, 0x08, 0x24, 0x00, 0xC0,
    0xC0, 0x04, 0xDB, 0xC0,                  /* ESC then END */
    0xC0, 0xDB, 0xDB, 0xDD, 0xC0,            /* ESC ESC */
    0xC0, 0xDB, 0xDD, 0xC0,
  };
  g_autoptr(FsSlipDecoder) decoder = fs_slip_decoder_new (FS_SLIP_DEFAULT_MAX_FRAME);
  const Frame expected[] = { frames[0], frames[3] };

  for (gsize i = 0; i < sizeof (stream); i++)
    fs_slip_decoder_push (decoder, stream + i, 1);
  assert_pops (decoder, expected, G_N_ELEMENTS (expected));
  g_assert_cmpuint (fs_slip_decoder_get_n_dropped (decoder), ==, 3);
  assert_noise (decoder, "");
}

static void
test_oversize (void)
{
  static const guint8 stream[] = {
    0xC0, '1', '2', '3', '4', '5', '6', '7', '8', 0xC0,                /* fits */
    0xC0, '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 0xC0,      /* too long */
    0xC0, '1', '2', '3', '4', '5', '6', '7', 0xDB, 0xDC, 0xDB, 0xC0,   /* too long, escaped */
    'n', 0xC0, 'o', 'k', 0xC0,
  };
  g_autoptr(FsSlipDecoder) decoder = fs_slip_decoder_new (8);
  const Frame expected[] = {
    { (const guint8 *) "12345678", 8 },
    { (const guint8 *) "ok", 2 },
  };

  g_assert_cmpuint (fs_slip_decoder_push (decoder, stream, sizeof (stream)), ==, 2);
  assert_pops (decoder, expected, G_N_ELEMENTS (expected));
  g_assert_cmpuint (fs_slip_decoder_get_n_dropped (decoder), ==, 2);
  /* the discarded bytes are not noise */
  assert_noise (decoder, "n");
}

static void
test_noise_limit (void)
{
  g_autoptr(FsSlipDecoder) decoder = fs_slip_decoder_new (FS_SLIP_DEFAULT_MAX_FRAME);
  g_autoptr(GBytes) noise = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GBytes) big = NULL;
  guint8 chunk[100];
  guint8 huge[5000];

  /* 60 × 100 bytes, each chunk filled with its number */
  for (guint i = 0; i < 60; i++)
    {
      memset (chunk, i, sizeof (chunk));
      fs_slip_decoder_push (decoder, chunk, sizeof (chunk));
    }
  noise = fs_slip_decoder_take_noise (decoder);
  g_assert_cmpuint (g_bytes_get_size (noise), ==, 4096);
  /* the last 4096 of 6000 bytes start at byte 1904, in chunk 19 */
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (noise, NULL))[0], ==, 19);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (noise, NULL))[4095], ==, 59);

  again = fs_slip_decoder_take_noise (decoder);
  g_assert_nonnull (again);
  g_assert_cmpuint (g_bytes_get_size (again), ==, 0);

  for (guint i = 0; i < sizeof (huge); i++)
    huge[i] = i % 191;  /* below END */
  fs_slip_decoder_push (decoder, huge, sizeof (huge));
  big = fs_slip_decoder_take_noise (decoder);
  assert_bytes (big, huge + sizeof (huge) - 4096, 4096);
}

static void
test_reset (void)
{
  static const guint8 stream[] = {
    'x', 'y', 0xC0, 0x01, 0xC0,            /* noise, a waiting frame */
    0xC0, 0x01, 0xDB, 0x00, 0xC0,          /* dropped */
    0xC0, 0x07, 0x07,                      /* partial */
  };
  static const guint8 rest[] = { 0x12, 0xC0, 0xC0, 0x01, 0x08, 0x24, 0x00, 0xC0 };
  g_autoptr(FsSlipDecoder) decoder = fs_slip_decoder_new (FS_SLIP_DEFAULT_MAX_FRAME);

  g_assert_cmpuint (fs_slip_decoder_push (decoder, stream, sizeof (stream)), ==, 1);
  g_assert_cmpuint (fs_slip_decoder_get_n_dropped (decoder), ==, 1);

  fs_slip_decoder_reset (decoder);
  g_assert_null (fs_slip_decoder_pop (decoder));
  g_assert_cmpuint (fs_slip_decoder_get_n_dropped (decoder), ==, 0);
  assert_noise (decoder, "");

  /* the partial frame is forgotten: its end is noise then an END */
  g_assert_cmpuint (fs_slip_decoder_push (decoder, rest, sizeof (rest)), ==, 1);
  assert_pops (decoder, frames, 1);
  assert_noise (decoder, "\x12");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/slip/encode", test_encode);
  g_test_add_func ("/slip/decode-hand", test_decode_hand);
  g_test_add_func ("/slip/split-everywhere", test_split_everywhere);
  g_test_add_func ("/slip/byte-by-byte", test_byte_by_byte);
  g_test_add_func ("/slip/start-mid-frame", test_start_mid_frame);
  g_test_add_func ("/slip/garbage-with-end", test_garbage_with_end);
  g_test_add_func ("/slip/empty-frames", test_empty_frames);
  g_test_add_func ("/slip/bad-escape", test_bad_escape);
  g_test_add_func ("/slip/oversize", test_oversize);
  g_test_add_func ("/slip/noise-limit", test_noise_limit);
  g_test_add_func ("/slip/reset", test_reset);

  return g_test_run ();
}
