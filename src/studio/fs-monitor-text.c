/* fs-monitor-text.c: what a serial monitor does to the bytes it shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fs-monitor-text.h"

#define ESC 0x1B
#define BEL 0x07
#define HEX_LINE_BYTES 16

typedef enum {
  ANSI_TEXT,
  ANSI_ESCAPE,          /* after ESC */
  ANSI_INTERMEDIATE,    /* ESC, then bytes 0x20 to 0x2F, until a final byte */
  ANSI_CSI,             /* ESC [, until a final byte 0x40 to 0x7E */
  ANSI_OSC,             /* ESC ], until BEL or ESC \ */
} AnsiState;

struct _FsAnsiStripper
{
  AnsiState state;
};

struct _FsLineStamper
{
  FsLineStamperClock clock;
  gpointer           user_data;
  gboolean           at_line_start;
};

struct _FsHexDumper
{
  guint64 offset;     /* of line[0] */
  guint8  line[HEX_LINE_BYTES];
  guint   len;
};

FsAnsiStripper *
fs_ansi_stripper_new (void)
{
  return g_new0 (FsAnsiStripper, 1);
}

void
fs_ansi_stripper_free (FsAnsiStripper *self)
{
  g_free (self);
}

static gboolean
is_control (guint8 byte)
{
  return byte < 0x20 || byte == 0x7F;
}

/* The state after @byte; sets *keep when @byte is text */
static AnsiState
ansi_step (AnsiState  state,
           guint8     byte,
           gboolean  *keep)
{
  *keep = FALSE;
  if (byte == ESC)
    return ANSI_ESCAPE;
  switch (state)
    {
    case ANSI_TEXT:
      *keep = TRUE;
      return ANSI_TEXT;
    case ANSI_ESCAPE:
      if (byte == '[')
        return ANSI_CSI;
      if (byte == ']')
        return ANSI_OSC;
      if (byte >= 0x20 && byte <= 0x2F)
        return ANSI_INTERMEDIATE;
      *keep = is_control (byte) || byte >= 0x80;
      return ANSI_TEXT;
    case ANSI_INTERMEDIATE:
      if (byte >= 0x20 && byte <= 0x2F)
        return ANSI_INTERMEDIATE;
      *keep = is_control (byte) || byte >= 0x80;
      return ANSI_TEXT;
    case ANSI_CSI:
      if (byte >= 0x20 && byte <= 0x3F)
        return ANSI_CSI;
      *keep = is_control (byte) || byte >= 0x80;
      return ANSI_TEXT;
    case ANSI_OSC:
      if (byte == BEL)
        return ANSI_TEXT;
      /* A line break ends a title that lost its terminator */
      if (byte == '\n' || byte == '\r')
        {
          *keep = TRUE;
          return ANSI_TEXT;
        }
      return ANSI_OSC;
    default:
      g_assert_not_reached ();
    }
}

void
fs_ansi_stripper_feed (FsAnsiStripper *self,
                       const guint8   *data,
                       gsize           len,
                       GByteArray     *out)
{
  gsize start = 0;

  for (gsize i = 0; i < len; i++)
    {
      gboolean keep = FALSE;
      AnsiState before = self->state;

      self->state = ansi_step (self->state, data[i], &keep);
      /* Runs of text are copied at once */
      if (before == ANSI_TEXT && keep)
        continue;
      if (i > start)
        g_byte_array_append (out, data + start, i - start);
      if (keep)
        g_byte_array_append (out, data + i, 1);
      start = i + 1;
    }
  if (len > start)
    g_byte_array_append (out, data + start, len - start);
}

FsLineStamper *
fs_line_stamper_new (FsLineStamperClock clock,
                     gpointer           user_data)
{
  FsLineStamper *self = g_new0 (FsLineStamper, 1);

  self->clock = clock;
  self->user_data = user_data;
  self->at_line_start = TRUE;
  return self;
}

void
fs_line_stamper_free (FsLineStamper *self)
{
  g_free (self);
}

static void
append_stamp (FsLineStamper *self,
              GString       *out)
{
  g_autoptr(GDateTime) now = NULL;

  now = self->clock != NULL ? self->clock (self->user_data) : g_date_time_new_now_local ();
  g_string_append_printf (out, "[%02d:%02d:%02d.%03d] ",
                          g_date_time_get_hour (now),
                          g_date_time_get_minute (now),
                          g_date_time_get_second (now),
                          g_date_time_get_microsecond (now) / 1000);
}

void
fs_line_stamper_feed (FsLineStamper *self,
                      const guint8  *data,
                      gsize          len,
                      GString       *out)
{
  gsize pos = 0;

  while (pos < len)
    {
      const guint8 *newline = memchr (data + pos, '\n', len - pos);
      gsize end = newline != NULL ? (gsize) (newline - data) + 1 : len;

      if (self->at_line_start)
        append_stamp (self, out);
      g_string_append_len (out, (const char *) data + pos, end - pos);
      self->at_line_start = newline != NULL;
      pos = end;
    }
}

FsHexDumper *
fs_hex_dumper_new (void)
{
  return g_new0 (FsHexDumper, 1);
}

void
fs_hex_dumper_free (FsHexDumper *self)
{
  g_free (self);
}

static void
hex_line (FsHexDumper *self,
          GString     *out)
{
  g_string_append_printf (out, "%08" G_GINT64_MODIFIER "x ", self->offset);
  for (guint i = 0; i < HEX_LINE_BYTES; i++)
    {
      if (i % 8 == 0)
        g_string_append_c (out, ' ');
      if (i < self->len)
        g_string_append_printf (out, "%02x ", self->line[i]);
      else
        g_string_append (out, "   ");
    }
  g_string_append (out, " |");
  for (guint i = 0; i < self->len; i++)
    g_string_append_c (out, g_ascii_isprint (self->line[i]) ? (char) self->line[i] : '.');
  g_string_append (out, "|\n");
  self->offset += self->len;
  self->len = 0;
}

void
fs_hex_dumper_feed (FsHexDumper  *self,
                    const guint8 *data,
                    gsize         len,
                    GString      *out)
{
  while (len > 0)
    {
      gsize n = MIN (len, HEX_LINE_BYTES - self->len);

      memcpy (self->line + self->len, data, n);
      self->len += n;
      data += n;
      len -= n;
      if (self->len == HEX_LINE_BYTES)
        hex_line (self, out);
    }
}

void
fs_hex_dumper_flush (FsHexDumper *self,
                     GString     *out)
{
  if (self->len > 0)
    hex_line (self, out);
}
