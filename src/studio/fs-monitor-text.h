/* fs-monitor-text.h: what a serial monitor does to the bytes it shows
 *
 * Each filter works on a stream: bytes are fed as they arrive, in pieces
 * of any size, and the output is the same however the stream was cut.
 * No I/O; plain structures, not objects.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes terminal escape sequences: CSI ("\033[0;32m", "\033[0m"), OSC
 * (ended by BEL or ESC \) and two-byte ones. A control byte inside a
 * sequence ends it and is kept, so a garbled sequence never eats a line
 * break. */
typedef struct _FsAnsiStripper FsAnsiStripper;

FsAnsiStripper *fs_ansi_stripper_new   (void);
void            fs_ansi_stripper_free  (FsAnsiStripper *self);
/* Appends to @out the bytes of @data that are not part of a sequence; a
 * sequence cut off at the end of @data is held until the next call. */
void            fs_ansi_stripper_feed  (FsAnsiStripper *self,
                                        const guint8   *data,
                                        gsize           len,
                                        GByteArray     *out);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsAnsiStripper, fs_ansi_stripper_free)

/* The time a line starts at; returns a new reference */
typedef GDateTime *(*FsLineStamperClock) (gpointer user_data);

/* Puts "[HH:MM:SS.mmm] " in front of every line, the time being when the
 * line's first byte arrived. Lines end with "\n" ("\r\n" keeps its
 * "\r"). */
typedef struct _FsLineStamper FsLineStamper;

/* @clock NULL: the local time now */
FsLineStamper  *fs_line_stamper_new    (FsLineStamperClock  clock,
                                        gpointer            user_data);
void            fs_line_stamper_free   (FsLineStamper      *self);
void            fs_line_stamper_feed   (FsLineStamper      *self,
                                        const guint8       *data,
                                        gsize               len,
                                        GString            *out);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsLineStamper, fs_line_stamper_free)

/* Lines as `hexdump -C` writes them: "00000010  48 65 … |He…|", the
 * offset counting from the first byte fed. Only whole lines of 16 bytes
 * come out of feed(); flush() writes out the bytes held, and the next
 * line starts at the offset after them. */
typedef struct _FsHexDumper FsHexDumper;

FsHexDumper    *fs_hex_dumper_new      (void);
void            fs_hex_dumper_free     (FsHexDumper        *self);
void            fs_hex_dumper_feed     (FsHexDumper        *self,
                                        const guint8       *data,
                                        gsize               len,
                                        GString            *out);
void            fs_hex_dumper_flush    (FsHexDumper        *self,
                                        GString            *out);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsHexDumper, fs_hex_dumper_free)

G_END_DECLS
