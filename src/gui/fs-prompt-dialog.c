/* fs-prompt-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "fs-prompt-dialog.h"
#include "fs-virtual-board-view.h"

/* Long enough to read "Board detected", short enough not to be in the way */
#define CLOSE_DELAY_MS 800

struct _FsPromptDialog
{
  AdwWindow        parent_instance;

  AdwWindowTitle  *window_title;
  GtkListBox      *steps_list;
  GtkSpinner      *spinner;
  GtkLabel        *status_label;
  FsVirtualBoardView *virtual_board_view;

  FsJob           *job;
  FsJobPromptKind  kind;
  GCancellable    *cancellable;
  guint            close_source;
};

G_DEFINE_FINAL_TYPE (FsPromptDialog, fs_prompt_dialog, ADW_TYPE_WINDOW)

static gboolean
close_later (gpointer user_data)
{
  FsPromptDialog *self = user_data;

  self->close_source = 0;
  gtk_window_close (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static void
on_prompt_done (FsJob          *job,
                gint            kind,
                FsPromptDialog *self)
{
  if ((FsJobPromptKind) kind != self->kind || self->close_source != 0)
    return;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_label_set_text (self->status_label, _("Board detected"));
  self->close_source = g_timeout_add (CLOSE_DELAY_MS, close_later, self);
}

static void
cancel (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  FsPromptDialog *self = FS_PROMPT_DIALOG (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_window_close (GTK_WINDOW (self));
}

static GtkWidget *
step_row (guint       number,
          const char *text)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *badge = gtk_label_new (NULL);
  g_autofree char *digits = g_strdup_printf ("%u", number);

  gtk_label_set_text (GTK_LABEL (badge), digits);
  gtk_widget_add_css_class (badge, "step-number");
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), badge);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  return row;
}

FsPromptDialog *
fs_prompt_dialog_new (FsJob              *job,
                      FsJobPromptKind     kind,
                      const char         *title,
                      const char * const *steps,
                      GCancellable       *cancellable)
{
  FsPromptDialog *self = g_object_new (FS_TYPE_PROMPT_DIALOG, NULL);
  guint n = steps != NULL ? g_strv_length ((char **) steps) : 0;

  self->job = g_object_ref (job);
  self->kind = kind;
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  adw_window_title_set_title (self->window_title, title);
  gtk_window_set_title (GTK_WINDOW (self), title);
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (self->steps_list, step_row (i + 1, steps[i]));
  if (kind == FS_JOB_PROMPT_RESET)
    {
      /* Nothing to wait for: the firmware starts when the user resets */
      gtk_spinner_set_spinning (self->spinner, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
      gtk_label_set_text (self->status_label, _("The new firmware starts after the reset."));
    }
  /* On a virtual board the steps are done here, with its controls */
  fs_virtual_board_view_set_transport (self->virtual_board_view, fs_job_get_transport (job),
                                       fs_job_get_profile (job));
  g_signal_connect_object (job, "prompt-done", G_CALLBACK (on_prompt_done), self, 0);
  return self;
}

static void
fs_prompt_dialog_dispose (GObject *object)
{
  FsPromptDialog *self = FS_PROMPT_DIALOG (object);

  g_clear_handle_id (&self->close_source, g_source_remove);
  g_clear_object (&self->job);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), FS_TYPE_PROMPT_DIALOG);

  G_OBJECT_CLASS (fs_prompt_dialog_parent_class)->dispose (object);
}

static void
fs_prompt_dialog_class_init (FsPromptDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fs_prompt_dialog_dispose;

  g_type_ensure (FS_TYPE_VIRTUAL_BOARD_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/flashstudio/FlashStudio/fs-prompt-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FsPromptDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, FsPromptDialog, steps_list);
  gtk_widget_class_bind_template_child (widget_class, FsPromptDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, FsPromptDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, FsPromptDialog, virtual_board_view);
  gtk_widget_class_install_action (widget_class, "prompt.cancel", NULL, cancel);
}

static void
fs_prompt_dialog_init (FsPromptDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
