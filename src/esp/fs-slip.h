/* fs-slip.h: SLIP framing of the ESP serial loader protocol
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define FS_SLIP_END      0xC0
#define FS_SLIP_ESC      0xDB
#define FS_SLIP_ESC_END  0xDC
#define FS_SLIP_ESC_ESC  0xDD

/* Large enough for a stub READ_FLASH packet or a 16 KiB stub write block */
#define FS_SLIP_DEFAULT_MAX_FRAME (64 * 1024 + 64)

#define FS_TYPE_SLIP_DECODER (fs_slip_decoder_get_type ())
G_DECLARE_FINAL_TYPE (FsSlipDecoder, fs_slip_decoder, FS, SLIP_DECODER, GObject)

FsSlipDecoder *fs_slip_decoder_new           (gsize          max_frame_size);
/* Feeds bytes as they arrive, in pieces of any size. Returns the number of
 * complete frames waiting to be popped. */
guint          fs_slip_decoder_push          (FsSlipDecoder *self,
                                              const guint8  *data,
                                              gsize          len);
/* The oldest complete frame, unescaped, or NULL when none is waiting. */
GBytes        *fs_slip_decoder_pop           (FsSlipDecoder *self);
/* Frames thrown away because of a bad escape or because they grew past
 * the maximum size, since the decoder was made or reset. */
guint          fs_slip_decoder_get_n_dropped (FsSlipDecoder *self);
/* Bytes that arrived outside any frame, oldest first (at most the last
 * 4 KiB), and forgets them: what a board printed (its boot log) instead
 * of answering. Never NULL. */
GBytes        *fs_slip_decoder_take_noise    (FsSlipDecoder *self);
/* Forgets a partial frame, waiting frames, noise and counters. */
void           fs_slip_decoder_reset         (FsSlipDecoder *self);

/* Appends to @out one frame: END, @data escaped, END. */
void           fs_slip_encode                (GByteArray    *out,
                                              const guint8  *data,
                                              gsize          len);

G_END_DECLS
