/* fs-monitor.h: a serial monitor on a board's port
 *
 * A reader thread takes what the board prints; the "data" signal hands it
 * to the main context that called fs_monitor_start(), in batches at most
 * every 10 ms, so a board that talks fast cannot flood a view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fs-transport.h"

G_BEGIN_DECLS

typedef enum {
  FS_MONITOR_STATE_STOPPED,
  FS_MONITOR_STATE_RUNNING,
  FS_MONITOR_STATE_DISCONNECTED,   /* the port is not there: the monitor looks for it again */
  FS_MONITOR_STATE_PAUSED,         /* lent to a job: the port stays open, nothing is read */
} FsMonitorState;

/* What fs_monitor_send() puts after the text */
typedef enum {
  FS_LINE_ENDING_NONE,
  FS_LINE_ENDING_CR,
  FS_LINE_ENDING_LF,
  FS_LINE_ENDING_CRLF,
} FsLineEnding;

#define FS_TYPE_MONITOR (fs_monitor_get_type ())
G_DECLARE_FINAL_TYPE (FsMonitor, fs_monitor, FS, MONITOR, GObject)

/* Signals: "data" (GBytes *bytes), in the order the bytes arrived */
FsMonitor      *fs_monitor_new                (FsTransport   *transport);
FsTransport    *fs_monitor_get_transport      (FsMonitor     *self);
/* Opens the transport unless it is open (the lines stay released, so
 * the board is not reset) and starts reading, at the monitor's baud. The
 * thread-default main context of the caller gets the signals. TRUE with
 * nothing done when running already.
 *
 * When the port is not there (unplugged), or goes away while read, the
 * state is DISCONNECTED and the monitor opens it again by itself every
 * half second, until it can or the monitor is stopped. Other failures to
 * open (no permission) are returned. From PAUSED, reading carries on
 * with what the port kept meanwhile: nothing the board said is lost. */
gboolean        fs_monitor_start              (FsMonitor     *self,
                                               GError       **error);
/* Stops reading, emits "data" with what arrived and was not handed on
 * yet, and leaves the port open for a job; fs_monitor_start() takes it
 * back. The state becomes PAUSED (STOPPED when it was STOPPED). */
void            fs_monitor_pause              (FsMonitor     *self);
/* Stops reading and looking for the port, emits "data" with what was not
 * handed on yet, and closes the transport if the monitor opened it. The
 * state becomes STOPPED. */
void            fs_monitor_stop               (FsMonitor     *self);
/* Another link to the same board, when its port came back under another
 * name. Not while RUNNING. */
void            fs_monitor_set_transport      (FsMonitor     *self,
                                               FsTransport   *transport);
/* Property "baud" (default 115200): set on the port when reading starts,
 * and at once when it runs */
guint           fs_monitor_get_baud           (FsMonitor     *self);
gboolean        fs_monitor_set_baud           (FsMonitor     *self,
                                               guint          baud,
                                               GError       **error);
/* Property "state" */
FsMonitorState  fs_monitor_get_state          (FsMonitor     *self);
const char     *fs_monitor_state_to_string    (FsMonitorState state);
/* Bytes handed on by "data" since the monitor was made */
guint64         fs_monitor_get_bytes_received (FsMonitor     *self);
/* Writes @text then @ending to the board. FS_ERROR_DISCONNECTED when
 * the transport is not open. */
gboolean        fs_monitor_send               (FsMonitor     *self,
                                               const char    *text,
                                               FsLineEnding   ending,
                                               GError       **error);
/* DTR and RTS as pyserial names them (TRUE: asserted) */
gboolean        fs_monitor_set_lines          (FsMonitor     *self,
                                               gboolean       dtr,
                                               gboolean       rts,
                                               GError       **error);
/* Resets the board as esptool's hard reset does: RTS asserted (EN low)
 * now, both lines released 100 ms later from the thread-default main
 * context, which must run meanwhile. */
gboolean        fs_monitor_reset              (FsMonitor     *self,
                                               GError       **error);

G_END_DECLS
