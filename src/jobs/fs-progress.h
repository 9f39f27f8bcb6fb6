/* fs-progress.h: progress of a job as a tree of weighted steps
 *
 * A job says what its steps are and how much of the whole each one is
 * ("erase" 10, "write" 80, "verify" 10); a step can have steps of its own
 * (fs_progress_get_child), and the innermost one counts bytes, from which
 * come the speed and the time left. The worker thread updates it; other
 * threads read it with fs_progress_get_snapshot(), and a view gets told at
 * most once per main loop iteration with fs_progress_watch().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct {
  double   fraction;       /* of the whole job, 0 to 1 */
  char    *step;           /* the innermost step running now, or NULL */
  guint64  bytes_done;     /* in that step */
  guint64  bytes_total;
  double   bytes_per_second;
  gint64   eta_seconds;    /* -1 when not known yet */
} FsProgressSnapshot;

void fs_progress_snapshot_clear (FsProgressSnapshot *snapshot);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FsProgressSnapshot, fs_progress_snapshot_clear)

typedef void (*FsProgressWatchFunc) (const FsProgressSnapshot *snapshot,
                                     gpointer                  user_data);

#define FS_TYPE_PROGRESS (fs_progress_get_type ())
G_DECLARE_FINAL_TYPE (FsProgress, fs_progress, FS, PROGRESS, GObject)

FsProgress *fs_progress_new          (void);
/* Adds a step of @weight (relative to its siblings) called @name */
void        fs_progress_add_step     (FsProgress          *self,
                                      const char          *name,
                                      guint                weight);
/* The progress of the current step, to give it steps or bytes */
FsProgress *fs_progress_get_child    (FsProgress          *self);
/* The current step is complete; the next one starts */
void        fs_progress_step_done    (FsProgress          *self);
/* Bytes done in a step without steps of its own */
void        fs_progress_set_bytes    (FsProgress          *self,
                                      guint64              done,
                                      guint64              total);
/* The same, counted at @now (g_get_monotonic_time()'s clock) */
void        fs_progress_set_bytes_at (FsProgress          *self,
                                      guint64              done,
                                      guint64              total,
                                      gint64               now);
double      fs_progress_get_fraction (FsProgress          *self);
/* Safe from any thread; call on the root */
void        fs_progress_get_snapshot (FsProgress          *self,
                                      FsProgressSnapshot  *snapshot);
/* Calls @func in @context (NULL: the default one) after changes, at most
 * once per iteration of its main loop however often it changed, with
 * the latest snapshot. Returns an id for fs_progress_unwatch(). */
guint       fs_progress_watch        (FsProgress          *self,
                                      GMainContext        *context,
                                      FsProgressWatchFunc  func,
                                      gpointer             user_data);
void        fs_progress_unwatch      (FsProgress          *self,
                                      guint                id);

G_END_DECLS
