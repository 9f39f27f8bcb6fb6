/* fs-boot-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "fs-boot-check.h"
#include "fs-error.h"
#include "fs-partition-table.h"

struct _FsBootCheck
{
  GObject       parent_instance;

  FsMonitor    *monitor;
  FsJob        *job;
  FsProgress   *progress;
  guint32       expected_offset;
  guint         timeout_ms;

  /* While it runs */
  GTask        *task;
  GCancellable *cancellable;
  GMainContext *context;       /* where the task returns */
  FsBootLog    *log;
  gulong        data_handler;
  gulong        cancelled_handler;
  GSource      *timeout;
  GSource      *settle;
};

G_DEFINE_FINAL_TYPE (FsBootCheck, fs_boot_check, G_TYPE_OBJECT)

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
stop_listening (FsBootCheck *self)
{
  g_clear_signal_handler (&self->data_handler, self->monitor);
  if (self->cancelled_handler != 0)
    g_cancellable_disconnect (self->cancellable, self->cancelled_handler);
  self->cancelled_handler = 0;
  g_clear_object (&self->cancellable);
  destroy_source (&self->timeout);
  destroy_source (&self->settle);
}

static void
fs_boot_check_dispose (GObject *object)
{
  FsBootCheck *self = FS_BOOT_CHECK (object);

  stop_listening (self);
  g_clear_object (&self->task);
  g_clear_object (&self->log);
  g_clear_object (&self->monitor);
  g_clear_object (&self->job);
  g_clear_object (&self->progress);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (fs_boot_check_parent_class)->dispose (object);
}

static void
fs_boot_check_class_init (FsBootCheckClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = fs_boot_check_dispose;
}

static void
fs_boot_check_init (FsBootCheck *self)
{
  self->expected_offset = G_MAXUINT32;
  self->timeout_ms = FS_BOOT_CHECK_TIMEOUT_MS;
}

FsBootCheck *
fs_boot_check_new (FsMonitor *monitor)
{
  FsBootCheck *self;

  g_return_val_if_fail (FS_IS_MONITOR (monitor), NULL);

  self = g_object_new (FS_TYPE_BOOT_CHECK, NULL);
  self->monitor = g_object_ref (monitor);
  return self;
}

void
fs_boot_check_set_expected_offset (FsBootCheck *self,
                                   guint32      offset)
{
  g_return_if_fail (FS_IS_BOOT_CHECK (self));
  self->expected_offset = offset;
}

void
fs_boot_check_set_job (FsBootCheck *self,
                       FsJob       *job)
{
  g_return_if_fail (FS_IS_BOOT_CHECK (self));
  g_set_object (&self->job, job);
}

/* The app partition the job left the bootloader picking */
static guint32
expected_offset (FsBootCheck *self)
{
  GObject *table;
  gint slot;
  const FsPartition *partition;

  if (self->expected_offset != G_MAXUINT32 || self->job == NULL || !fs_job_get_has_slots (self->job))
    return self->expected_offset;
  table = fs_job_get_partition_table (self->job);
  slot = fs_job_get_slot_state (self->job)->boot_slot;
  if (table == NULL || slot < 0)
    return G_MAXUINT32;
  partition = fs_partition_table_find_by_type (FS_PARTITION_TABLE (table), FS_PARTITION_TYPE_APP,
                                               FS_PARTITION_SUBTYPE_OTA_0 + slot);
  return partition != NULL ? partition->offset : G_MAXUINT32;
}

void
fs_boot_check_set_timeout (FsBootCheck *self,
                           guint        timeout_ms)
{
  g_return_if_fail (FS_IS_BOOT_CHECK (self));
  self->timeout_ms = timeout_ms;
}

void
fs_boot_check_set_progress (FsBootCheck *self,
                            FsProgress  *progress)
{
  g_return_if_fail (FS_IS_BOOT_CHECK (self));
  g_set_object (&self->progress, progress);
}

/* The verdict is in: the task returns it, once */
static void
conclude (FsBootCheck *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  stop_listening (self);
  if (task == NULL)
    return;
  fs_boot_log_finish (self->log);
  if (self->progress != NULL)
    fs_progress_step_done (self->progress);
  g_task_return_pointer (task, g_steal_pointer (&self->log), g_object_unref);
}

static gboolean
time_is_up (gpointer user_data)
{
  FsBootCheck *self = user_data;

  conclude (self);
  return G_SOURCE_REMOVE;
}

static GSource *
add_timeout (guint    ms,
             gpointer user_data)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, time_is_up, user_data, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  return source;
}

static void
on_data (FsMonitor   *monitor,
         GBytes      *bytes,
         FsBootCheck *self)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  fs_boot_log_feed (self->log, data, len);
  if (fs_boot_log_get_decided (self->log))
    conclude (self);
  /* A crash usually follows the start within moments: the app must
   * run a while before it counts as running */
  else if (fs_boot_log_get_state (self->log) == FS_BOOT_STATE_RUNS && self->settle == NULL)
    self->settle = add_timeout (FS_BOOT_CHECK_SETTLE_MS, self);
}

static gboolean
return_cancelled (gpointer user_data)
{
  FsBootCheck *self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  stop_listening (self);
  g_clear_object (&self->log);
  if (task != NULL)
    g_task_return_new_error (task, FS_ERROR, FS_ERROR_CANCELLED, _("The boot check was cancelled"));
  return G_SOURCE_REMOVE;
}

/* Emitted in the thread that cancels: the task returns in its own */
static void
on_cancelled (GCancellable *cancellable,
              FsBootCheck  *self)
{
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, return_cancelled, g_object_ref (self), g_object_unref);
  g_source_attach (source, self->context);
  g_source_unref (source);
}

void
fs_boot_check_run_async (FsBootCheck         *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (FS_IS_BOOT_CHECK (self));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, fs_boot_check_run_async);
  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  g_clear_object (&self->log);
  self->log = fs_boot_log_new (fs_monitor_get_baud (self->monitor));
  fs_boot_log_set_expected_offset (self->log, expected_offset (self));
  self->data_handler = g_signal_connect (self->monitor, "data", G_CALLBACK (on_data), self);
  self->timeout = add_timeout (self->timeout_ms, self);
  if (cancellable != NULL)
    {
      self->cancellable = g_object_ref (cancellable);
      self->cancelled_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);
    }
}

FsBootLog *
fs_boot_check_run_finish (FsBootCheck   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (FS_IS_BOOT_CHECK (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
