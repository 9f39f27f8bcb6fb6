/* fs-monitor-view.h: the selected board's serial monitor
 *
 * A terminal on the session's FsMonitor: the board's output with its
 * colours, search, copy, clear, following the output or holding it, the
 * baud, timestamps, a hex view, a log file, the DTR and RTS lines, a
 * reset, and a line to send with its ending. It says in the terminal
 * when a job takes the port, when the board goes away and when it is
 * back; the session does the rest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <vte/vte.h>

#include "fs-board-session.h"

G_BEGIN_DECLS

#define FS_TYPE_MONITOR_VIEW (fs_monitor_view_get_type ())
G_DECLARE_FINAL_TYPE (FsMonitorView, fs_monitor_view, FS, MONITOR_VIEW, GtkWidget)

/* Property "session": its monitor is started when set */
void            fs_monitor_view_set_session   (FsMonitorView   *self,
                                               FsBoardSession  *session);
VteTerminal    *fs_monitor_view_get_terminal  (FsMonitorView   *self);
/* The board's output from now on into @file, as plain text: no colour
 * codes, no timestamps, no notices. Replaces the file. */
gboolean        fs_monitor_view_start_log     (FsMonitorView   *self,
                                               GFile           *file,
                                               GError         **error);
void            fs_monitor_view_stop_log      (FsMonitorView   *self);

/* Actions: monitor.clear, monitor.copy, monitor.reset, monitor.send,
 * monitor.log (toggles: asks for a file to start), monitor.find-next,
 * monitor.find-previous; and the stateful monitor.follow, monitor.hex,
 * monitor.timestamps (bound to the setting), monitor.dtr, monitor.rts,
 * monitor.search */

G_END_DECLS
