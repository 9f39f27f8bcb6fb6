/* fs-job-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "fs-flash.h"
#include "fs-job-view.h"

struct _FsJobView
{
  GtkWidget       parent_instance;

  GtkWidget      *box;   /* bound so that dispose_template() unparents it */
  GtkLabel       *title_label;
  GtkLabel       *status_label;
  GtkProgressBar *progress_bar;

  FsJob          *job;
  guint           watch;
  char           *status;
  gint64          started;          /* monotonic µs */
  AdwMessageDialog *cancel_dialog;  /* weak */
};

/* Escape this long into a job asks first: a slip of the finger should not
 * throw away minutes of a backup */
#define ASK_AFTER_SECONDS 5

enum {
  PROP_0,
  PROP_JOB,
  N_PROPS
};

enum {
  SIGNAL_CANCEL,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (FsJobView, fs_job_view, GTK_TYPE_WIDGET)

static const char *
job_title (FsJobKind kind)
{
  switch (kind)
    {
    case FS_JOB_IDENTIFY: return _("Identifying the board");
    case FS_JOB_WRITE: return _("Writing to the board");
    case FS_JOB_VERIFY: return _("Verifying the flash");
    case FS_JOB_READ: return _("Reading the flash");
    case FS_JOB_BACKUP: return _("Backing up the whole flash");
    case FS_JOB_RESTORE: return _("Restoring a backup");
    case FS_JOB_ERASE: return _("Erasing the flash");
    case FS_JOB_SLOT_SHOW:
    case FS_JOB_SLOT_SWITCH: return _("Switching the boot slot");
    default: return "";
    }
}

static char *
format_duration (guint seconds)
{
  if (seconds < 60)
    /* TRANSLATORS: a duration, "45 s" */
    return g_strdup_printf (_("%u s"), seconds);
  /* TRANSLATORS: a duration, "2 min 05 s" */
  return g_strdup_printf (_("%u min %02u s"), seconds / 60, seconds % 60);
}

static char *
format_status (const FsProgressSnapshot *snapshot)
{
  g_autoptr(GString) text = g_string_new (snapshot->step != NULL ? snapshot->step : _("Starting"));

  if (snapshot->bytes_total > 0)
    {
      g_autofree char *done = fs_format_size_approx (snapshot->bytes_done);
      g_autofree char *total = fs_format_size_approx (snapshot->bytes_total);

      /* TRANSLATORS: "Writing — 120 KiB of 1.2 MiB" */
      g_string_append_printf (text, _(" — %s of %s"), done, total);
    }
  if (snapshot->bytes_per_second > 0)
    {
      g_autofree char *rate = fs_format_rate (snapshot->bytes_per_second);

      /* TRANSLATORS: after the amounts, "Writing — 120 KiB of 1.2 MiB, 86.3 KiB/s" */
      g_string_append_printf (text, _(", %s"), rate);
    }
  if (snapshot->eta_seconds >= 0)
    {
      g_autofree char *left = format_duration ((guint) snapshot->eta_seconds);

      /* TRANSLATORS: "Writing — 120 KiB of 1.2 MiB, 86.3 KiB/s, 1 min 05 s left" */
      g_string_append_printf (text, _(", %s left"), left);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
on_progress (const FsProgressSnapshot *snapshot,
             gpointer                  user_data)
{
  FsJobView *self = user_data;

  g_free (self->status);
  self->status = format_status (snapshot);
  gtk_label_set_text (self->status_label, self->status);
  gtk_progress_bar_set_fraction (self->progress_bar, snapshot->fraction);
}

/* The question is moot once the job it asked about is over */
static void
close_cancel_dialog (FsJobView *self)
{
  g_autoptr(GtkWindow) dialog = NULL;

  if (self->cancel_dialog == NULL)
    return;
  dialog = g_object_ref (GTK_WINDOW (self->cancel_dialog));
  g_clear_weak_pointer (&self->cancel_dialog);
  gtk_window_destroy (dialog);
}

static void
unwatch (FsJobView *self)
{
  if (self->watch != 0)
    fs_progress_unwatch (fs_job_get_progress (self->job), self->watch);
  self->watch = 0;
}

void
fs_job_view_set_job (FsJobView *self,
                     FsJob     *job)
{
  g_return_if_fail (FS_IS_JOB_VIEW (self));

  if (self->job == job)
    return;
  if (self->job != NULL)
    unwatch (self);
  close_cancel_dialog (self);
  g_set_object (&self->job, job);
  self->started = g_get_monotonic_time ();
  gtk_widget_set_visible (GTK_WIDGET (self), job != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.cancel", job != NULL);
  if (job != NULL)
    {
      gtk_label_set_text (self->title_label, job_title (fs_job_get_kind (job)));
      gtk_label_set_text (self->status_label, _("Connecting"));
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      self->watch = fs_progress_watch (fs_job_get_progress (job), NULL, on_progress, self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
}

FsJob *
fs_job_view_get_job (FsJobView *self)
{
  g_return_val_if_fail (FS_IS_JOB_VIEW (self), NULL);
  return self->job;
}

const char *
fs_job_view_get_status (FsJobView *self)
{
  g_return_val_if_fail (FS_IS_JOB_VIEW (self), NULL);
  return self->status;
}

double
fs_job_view_get_seconds_running (FsJobView *self)
{
  g_return_val_if_fail (FS_IS_JOB_VIEW (self), 0);
  if (self->job == NULL)
    return 0;
  return (g_get_monotonic_time () - self->started) / (double) G_USEC_PER_SEC;
}

static void
on_cancel_response (AdwMessageDialog *dialog,
                    const char       *response,
                    FsJobView        *self)
{
  if (g_strcmp0 (response, "cancel-job") == 0 && self->job != NULL)
    g_signal_emit (self, signals[SIGNAL_CANCEL], 0);
}

void
fs_job_view_ask_cancel (FsJobView *self)
{
  g_autofree char *running = NULL;
  GtkWidget *dialog;
  double seconds;

  g_return_if_fail (FS_IS_JOB_VIEW (self));

  seconds = fs_job_view_get_seconds_running (self);
  if (self->job == NULL || self->cancel_dialog != NULL)
    return;
  if (seconds < ASK_AFTER_SECONDS)
    {
      g_signal_emit (self, signals[SIGNAL_CANCEL], 0);
      return;
    }
  running = format_duration ((guint) seconds);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Cancel the Job?"), NULL);
  /* TRANSLATORS: "“Backing up the whole flash” has run for 1 min 20 s…" */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” has run for %s. Cancelled, it stops where it is, "
                                    "and the next try starts from the beginning."),
                                  gtk_label_get_text (self->title_label), running);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "continue", _("_Keep Going"),
                                    "cancel-job", _("_Cancel the Job"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel-job",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "continue");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "continue");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_cancel_response), self, 0);
  g_set_weak_pointer (&self->cancel_dialog, ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

FsJobView *
fs_job_view_new (void)
{
  return g_object_new (FS_TYPE_JOB_VIEW, NULL);
}

static void
cancel (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_CANCEL], 0);
}

static void
fs_job_view_dispose (GObject *object)
{
  FsJobView *self = FS_JOB_VIEW (object);

  if (self->job != NULL)
    unwatch (self);
  g_clear_object (&self->job);
  close_cancel_dialog (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), FS_TYPE_JOB_VIEW);

  G_OBJECT_CLASS (fs_job_view_parent_class)->dispose (object);
}

static void
fs_job_view_finalize (GObject *object)
{
  g_free (FS_JOB_VIEW (object)->status);

  G_OBJECT_CLASS (fs_job_view_parent_class)->finalize (object);
}

static void
fs_job_view_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_JOB:
      g_value_set_object (value, FS_JOB_VIEW (object)->job);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_job_view_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_JOB:
      fs_job_view_set_job (FS_JOB_VIEW (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_job_view_class_init (FsJobViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fs_job_view_dispose;
  object_class->finalize = fs_job_view_finalize;
  object_class->get_property = fs_job_view_get_property;
  object_class->set_property = fs_job_view_set_property;

  properties[PROP_JOB] =
    g_param_spec_object ("job", NULL, NULL, FS_TYPE_JOB,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[SIGNAL_CANCEL] =
    g_signal_new ("cancel", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/flashstudio/FlashStudio/fs-job-view.ui");
  gtk_widget_class_bind_template_child (widget_class, FsJobView, box);
  gtk_widget_class_bind_template_child (widget_class, FsJobView, title_label);
  gtk_widget_class_bind_template_child (widget_class, FsJobView, status_label);
  gtk_widget_class_bind_template_child (widget_class, FsJobView, progress_bar);
  gtk_widget_class_install_action (widget_class, "job.cancel", NULL, cancel);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "jobview");
}

static void
fs_job_view_init (FsJobView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
