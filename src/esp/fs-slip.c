/* fs-slip.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fs-slip.h"

#define NOISE_KEEP 4096

typedef enum {
  STATE_OUTSIDE,    /* between frames: bytes are noise */
  STATE_FRAME,
  STATE_ESCAPE,     /* inside a frame, after an ESC */
  STATE_CORRUPT,    /* a bad escape: wait for the END that closes the frame */
  STATE_OVERSIZE,   /* too long: wait for the END that closes the frame */
} DecoderState;

struct _FsSlipDecoder {
  GObject       parent_instance;

  gsize         max_frame_size;
  DecoderState  state;
  GByteArray   *frame;
  GQueue        frames;      /* of GBytes, oldest first */
  GByteArray   *noise;
  guint         n_dropped;
};

G_DEFINE_FINAL_TYPE (FsSlipDecoder, fs_slip_decoder, G_TYPE_OBJECT)

static void
fs_slip_decoder_finalize (GObject *object)
{
  FsSlipDecoder *self = FS_SLIP_DECODER (object);

  g_byte_array_unref (self->frame);
  g_byte_array_unref (self->noise);
  g_queue_clear_full (&self->frames, (GDestroyNotify) g_bytes_unref);

  G_OBJECT_CLASS (fs_slip_decoder_parent_class)->finalize (object);
}

static void
fs_slip_decoder_class_init (FsSlipDecoderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fs_slip_decoder_finalize;
}

static void
fs_slip_decoder_init (FsSlipDecoder *self)
{
  self->frame = g_byte_array_new ();
  self->noise = g_byte_array_new ();
  g_queue_init (&self->frames);
}

FsSlipDecoder *
fs_slip_decoder_new (gsize max_frame_size)
{
  FsSlipDecoder *self;

  g_return_val_if_fail (max_frame_size > 0, NULL);

  self = g_object_new (FS_TYPE_SLIP_DECODER, NULL);
  self->max_frame_size = max_frame_size;
  return self;
}

static void
add_noise (FsSlipDecoder *self,
           const guint8  *data,
           gsize          len)
{
  if (len >= NOISE_KEEP)
    {
      g_byte_array_set_size (self->noise, 0);
      g_byte_array_append (self->noise, data + len - NOISE_KEEP, NOISE_KEEP);
      return;
    }
  g_byte_array_append (self->noise, data, len);
  if (self->noise->len > NOISE_KEEP)
    g_byte_array_remove_range (self->noise, 0, self->noise->len - NOISE_KEEP);
}

static void
end_frame (FsSlipDecoder *self)
{
  switch (self->state)
    {
    case STATE_FRAME:
      /* An empty frame is two ENDs in a row: the first one most likely
       * ended a frame we never saw start, so this one starts a frame. */
      if (self->frame->len == 0)
        return;
      g_queue_push_tail (&self->frames,
                         g_bytes_new (self->frame->data, self->frame->len));
      break;
    case STATE_ESCAPE:
    case STATE_CORRUPT:
      self->n_dropped++;
      break;
    case STATE_OVERSIZE:
      /* counted when it grew too long */
      break;
    case STATE_OUTSIDE:
    default:
      g_assert_not_reached ();
    }
  g_byte_array_set_size (self->frame, 0);
  self->state = STATE_OUTSIDE;
}

static void
add_frame_byte (FsSlipDecoder *self,
                guint8         byte)
{
  if (self->frame->len >= self->max_frame_size)
    {
      g_byte_array_set_size (self->frame, 0);
      self->n_dropped++;
      self->state = STATE_OVERSIZE;
      return;
    }
  g_byte_array_append (self->frame, &byte, 1);
}

static void
decode_frame_byte (FsSlipDecoder *self,
                   guint8         byte)
{
  switch (self->state)
    {
    case STATE_FRAME:
      if (byte == FS_SLIP_ESC)
        self->state = STATE_ESCAPE;
      else
        add_frame_byte (self, byte);
      break;
    case STATE_ESCAPE:
      if (byte == FS_SLIP_ESC_END || byte == FS_SLIP_ESC_ESC)
        {
          self->state = STATE_FRAME;
          add_frame_byte (self, byte == FS_SLIP_ESC_END ? FS_SLIP_END : FS_SLIP_ESC);
        }
      else
        {
          g_byte_array_set_size (self->frame, 0);
          self->state = STATE_CORRUPT;
        }
      break;
    case STATE_CORRUPT:
    case STATE_OVERSIZE:
      break;
    case STATE_OUTSIDE:
    default:
      g_assert_not_reached ();
    }
}

guint
fs_slip_decoder_push (FsSlipDecoder *self,
                      const guint8  *data,
                      gsize          len)
{
  gsize i = 0;

  g_return_val_if_fail (FS_IS_SLIP_DECODER (self), 0);
  g_return_val_if_fail (data != NULL || len == 0, 0);

  while (i < len)
    {
      if (self->state == STATE_OUTSIDE)
        {
          const guint8 *end = memchr (data + i, FS_SLIP_END, len - i);
          gsize run = end != NULL ? (gsize) (end - (data + i)) : len - i;

          add_noise (self, data + i, run);
          i += run;
          if (end != NULL)
            {
              self->state = STATE_FRAME;
              i++;
            }
          continue;
        }
      if (data[i] == FS_SLIP_END)
        end_frame (self);
      else
        decode_frame_byte (self, data[i]);
      i++;
    }
  return g_queue_get_length (&self->frames);
}

GBytes *
fs_slip_decoder_pop (FsSlipDecoder *self)
{
  g_return_val_if_fail (FS_IS_SLIP_DECODER (self), NULL);

  return g_queue_pop_head (&self->frames);
}

guint
fs_slip_decoder_get_n_dropped (FsSlipDecoder *self)
{
  g_return_val_if_fail (FS_IS_SLIP_DECODER (self), 0);

  return self->n_dropped;
}

GBytes *
fs_slip_decoder_take_noise (FsSlipDecoder *self)
{
  GByteArray *noise;

  g_return_val_if_fail (FS_IS_SLIP_DECODER (self), NULL);

  noise = g_steal_pointer (&self->noise);
  self->noise = g_byte_array_new ();
  return g_byte_array_free_to_bytes (noise);
}

void
fs_slip_decoder_reset (FsSlipDecoder *self)
{
  g_return_if_fail (FS_IS_SLIP_DECODER (self));

  self->state = STATE_OUTSIDE;
  self->n_dropped = 0;
  g_byte_array_set_size (self->frame, 0);
  g_byte_array_set_size (self->noise, 0);
  g_queue_clear_full (&self->frames, (GDestroyNotify) g_bytes_unref);
}

void
fs_slip_encode (GByteArray   *out,
                const guint8 *data,
                gsize         len)
{
  static const guint8 end = FS_SLIP_END;
  static const guint8 esc_end[] = { FS_SLIP_ESC, FS_SLIP_ESC_END };
  static const guint8 esc_esc[] = { FS_SLIP_ESC, FS_SLIP_ESC_ESC };
  gsize start = 0;

  g_return_if_fail (out != NULL);
  g_return_if_fail (data != NULL || len == 0);

  g_byte_array_append (out, &end, 1);
  for (gsize i = 0; i < len; i++)
    {
      if (data[i] != FS_SLIP_END && data[i] != FS_SLIP_ESC)
        continue;
      if (i > start)
        g_byte_array_append (out, data + start, i - start);
      if (data[i] == FS_SLIP_END)
        g_byte_array_append (out, esc_end, sizeof (esc_end));
      else
        g_byte_array_append (out, esc_esc, sizeof (esc_esc));
      start = i + 1;
    }
  if (start < len)
    g_byte_array_append (out, data + start, len - start);
  g_byte_array_append (out, &end, 1);
}
