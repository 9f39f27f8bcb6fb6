/* fs-progress.c
 *
 * Every node of a tree shares its root's lock: the worker thread updates
 * any node, other threads read the root.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "fs-progress.h"

/* Speed is measured over samples at least this far apart, and smoothed
 * over a time rather than a number of samples: a ROM read arrives in
 * bursts, and a rate that follows each burst makes the time left jump */
#define SPEED_SAMPLE_US (200 * G_TIME_SPAN_MILLISECOND)
#define SPEED_TIME_CONSTANT_S 8.0

typedef struct {
  char  *name;
  guint  weight;
} Step;

typedef struct {
  guint         id;
  GMainContext *context;
  FsProgressWatchFunc func;
  gpointer      user_data;
  GSource      *pending;
} Watch;

struct _FsProgress
{
  GObject      parent_instance;

  FsProgress  *root;          /* not a reference: the root owns the tree */
  GMutex       lock;          /* the root's only */
  GArray      *steps;         /* of Step */
  guint        current;
  FsProgress  *child;
  guint64      bytes_done;
  guint64      bytes_total;
  gint64       sample_time;
  guint64      sample_bytes;
  double       speed;
  GPtrArray   *watches;       /* the root's only, of Watch */
  guint        next_watch_id;
};

G_DEFINE_FINAL_TYPE (FsProgress, fs_progress, G_TYPE_OBJECT)

void
fs_progress_snapshot_clear (FsProgressSnapshot *snapshot)
{
  g_clear_pointer (&snapshot->step, g_free);
}

static void
step_clear (Step *step)
{
  g_free (step->name);
}

static void
watch_free (Watch *watch)
{
  if (watch->pending != NULL)
    {
      g_source_destroy (watch->pending);
      g_source_unref (watch->pending);
    }
  g_clear_pointer (&watch->context, g_main_context_unref);
  g_free (watch);
}

static void
fs_progress_finalize (GObject *object)
{
  FsProgress *self = FS_PROGRESS (object);

  g_clear_object (&self->child);
  g_array_unref (self->steps);
  g_clear_pointer (&self->watches, g_ptr_array_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (fs_progress_parent_class)->finalize (object);
}

static void
fs_progress_class_init (FsProgressClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fs_progress_finalize;
}

static void
fs_progress_init (FsProgress *self)
{
  g_mutex_init (&self->lock);
  self->steps = g_array_new (FALSE, TRUE, sizeof (Step));
  g_array_set_clear_func (self->steps, (GDestroyNotify) step_clear);
  self->root = self;
}

FsProgress *
fs_progress_new (void)
{
  FsProgress *self = g_object_new (FS_TYPE_PROGRESS, NULL);

  self->watches = g_ptr_array_new_with_free_func ((GDestroyNotify) watch_free);
  return self;
}

static void
lock (FsProgress *self)
{
  g_mutex_lock (&self->root->lock);
}

static void
unlock (FsProgress *self)
{
  g_mutex_unlock (&self->root->lock);
}

typedef struct {
  FsProgress *root;
  guint       id;
} WatchCall;

static void
watch_call_free (WatchCall *call)
{
  g_object_unref (call->root);
  g_free (call);
}

static Watch *
find_watch (FsProgress *root,
            guint       id)
{
  for (guint i = 0; i < root->watches->len; i++)
    {
      Watch *watch = g_ptr_array_index (root->watches, i);
      if (watch->id == id)
        return watch;
    }
  return NULL;
}

static gboolean
run_watch (gpointer user_data)
{
  WatchCall *call = user_data;
  g_auto(FsProgressSnapshot) snapshot = { 0 };
  FsProgressWatchFunc func;
  gpointer func_data;
  Watch *watch;

  g_mutex_lock (&call->root->lock);
  watch = find_watch (call->root, call->id);
  if (watch == NULL)
    {
      g_mutex_unlock (&call->root->lock);
      return G_SOURCE_REMOVE;
    }
  g_clear_pointer (&watch->pending, g_source_unref);
  func = watch->func;
  func_data = watch->user_data;
  g_mutex_unlock (&call->root->lock);

  fs_progress_get_snapshot (call->root, &snapshot);
  func (&snapshot, func_data);
  return G_SOURCE_REMOVE;
}

/* Called with the lock held: one idle per watcher until it has run */
static void
notify_locked (FsProgress *self)
{
  FsProgress *root = self->root;

  for (guint i = 0; i < root->watches->len; i++)
    {
      Watch *watch = g_ptr_array_index (root->watches, i);
      WatchCall *call;

      if (watch->pending != NULL)
        continue;
      call = g_new0 (WatchCall, 1);
      call->root = g_object_ref (root);
      call->id = watch->id;
      watch->pending = g_idle_source_new ();
      g_source_set_callback (watch->pending, run_watch, call, (GDestroyNotify) watch_call_free);
      g_source_attach (watch->pending, watch->context);
    }
}

void
fs_progress_add_step (FsProgress *self,
                      const char *name,
                      guint       weight)
{
  Step step = { g_strdup (name), weight };

  g_return_if_fail (FS_IS_PROGRESS (self));

  lock (self);
  g_array_append_val (self->steps, step);
  notify_locked (self);
  unlock (self);
}

FsProgress *
fs_progress_get_child (FsProgress *self)
{
  FsProgress *child;

  g_return_val_if_fail (FS_IS_PROGRESS (self), NULL);

  lock (self);
  if (self->child == NULL)
    {
      self->child = g_object_new (FS_TYPE_PROGRESS, NULL);
      self->child->root = self->root;
    }
  child = self->child;
  unlock (self);
  return child;
}

void
fs_progress_step_done (FsProgress *self)
{
  g_return_if_fail (FS_IS_PROGRESS (self));

  lock (self);
  if (self->current < self->steps->len)
    self->current++;
  g_clear_object (&self->child);
  notify_locked (self);
  unlock (self);
}

static void
update_speed_locked (FsProgress *self,
                     guint64     done,
                     gint64      now)
{
  double seconds;
  double rate;

  if (self->sample_time == 0 || done < self->sample_bytes)
    {
      self->sample_time = now;
      self->sample_bytes = done;
      self->speed = 0;
      return;
    }
  if (now - self->sample_time < SPEED_SAMPLE_US)
    return;

  seconds = (double) (now - self->sample_time) / G_USEC_PER_SEC;
  rate = (done - self->sample_bytes) / seconds;
  /* The weight of a sample is the time it covers */
  if (self->speed == 0)
    self->speed = rate;
  else
    self->speed += (rate - self->speed) * (1 - exp (-seconds / SPEED_TIME_CONSTANT_S));
  self->sample_time = now;
  self->sample_bytes = done;
}

void
fs_progress_set_bytes (FsProgress *self,
                       guint64     done,
                       guint64     total)
{
  fs_progress_set_bytes_at (self, done, total, g_get_monotonic_time ());
}

void
fs_progress_set_bytes_at (FsProgress *self,
                          guint64     done,
                          guint64     total,
                          gint64      now)
{
  g_return_if_fail (FS_IS_PROGRESS (self));

  lock (self);
  update_speed_locked (self, done, now);
  self->bytes_done = MIN (done, total);
  self->bytes_total = total;
  notify_locked (self);
  unlock (self);
}

static double
fraction_locked (FsProgress *self)
{
  guint64 total_weight = 0;
  guint64 done_weight = 0;

  if (self->steps->len == 0)
    return self->bytes_total == 0 ? 0 : (double) self->bytes_done / self->bytes_total;

  for (guint i = 0; i < self->steps->len; i++)
    {
      guint weight = g_array_index (self->steps, Step, i).weight;

      total_weight += weight;
      if (i < self->current)
        done_weight += weight;
    }
  if (total_weight == 0)
    return (double) self->current / self->steps->len;
  if (self->current < self->steps->len && self->child != NULL)
    return (done_weight + g_array_index (self->steps, Step, self->current).weight * fraction_locked (self->child)) / total_weight;
  return (double) done_weight / total_weight;
}

double
fs_progress_get_fraction (FsProgress *self)
{
  double fraction;

  g_return_val_if_fail (FS_IS_PROGRESS (self), 0);

  lock (self);
  fraction = fraction_locked (self);
  unlock (self);
  return fraction;
}

void
fs_progress_get_snapshot (FsProgress         *self,
                          FsProgressSnapshot *snapshot)
{
  FsProgress *node;

  g_return_if_fail (FS_IS_PROGRESS (self));

  memset (snapshot, 0, sizeof *snapshot);
  snapshot->eta_seconds = -1;

  lock (self);
  snapshot->fraction = CLAMP (fraction_locked (self), 0, 1);
  for (node = self; node != NULL; node = node->child)
    {
      if (node->current < node->steps->len)
        {
          g_free (snapshot->step);
          snapshot->step = g_strdup (g_array_index (node->steps, Step, node->current).name);
        }
      if (node->bytes_total > 0)
        {
          snapshot->bytes_done = node->bytes_done;
          snapshot->bytes_total = node->bytes_total;
          snapshot->bytes_per_second = node->speed;
          if (node->speed > 0)
            snapshot->eta_seconds = (gint64) ((node->bytes_total - node->bytes_done) / node->speed + 0.5);
        }
    }
  unlock (self);
}

guint
fs_progress_watch (FsProgress          *self,
                   GMainContext        *context,
                   FsProgressWatchFunc  func,
                   gpointer             user_data)
{
  Watch *watch;
  guint id;

  g_return_val_if_fail (FS_IS_PROGRESS (self), 0);
  g_return_val_if_fail (self->root == self, 0);

  watch = g_new0 (Watch, 1);
  watch->context = g_main_context_ref (context != NULL ? context : g_main_context_default ());
  watch->func = func;
  watch->user_data = user_data;

  lock (self);
  watch->id = id = ++self->next_watch_id;
  g_ptr_array_add (self->watches, watch);
  unlock (self);
  return id;
}

void
fs_progress_unwatch (FsProgress *self,
                     guint       id)
{
  g_return_if_fail (FS_IS_PROGRESS (self));

  lock (self);
  for (guint i = 0; i < self->watches->len; i++)
    {
      if (((Watch *) g_ptr_array_index (self->watches, i))->id == id)
        {
          g_ptr_array_remove_index (self->watches, i);
          break;
        }
    }
  unlock (self);
}
