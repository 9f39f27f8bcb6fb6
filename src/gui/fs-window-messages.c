/* fs-window-messages.c: what the window tells: toasts, the whole text of
 * a message too long for one, and failures
 *
 * A toast holds one short line. News longer than that (the stub note, a
 * write of several regions) shows its first sentence with a Details
 * button; the details, like a failure, are a dialog whose text wraps, can
 * be selected and copied, and is never cut.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fs-error.h"
#include "fs-window-private.h"

/* What a toast takes from the window's width besides its title: its
 * margins, the Details and close buttons */
#define TOAST_CHROME_WIDTH 200
/* What a toast shows whole before the window has a width */
#define TOAST_MAX_CHARS 64

/* News replaces news: a toast queued behind an older one would tell of
 * the last job only after the next one */
void
fs_window_dismiss_toast (FsWindow *self)
{
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
}

/* Whether @line fits a toast's title in the window as it is now: the
 * toast leaves its title the window's width less its buttons and margins */
static gboolean
fits_toast (FsWindow   *self,
            const char *line)
{
  /* A label as the toast's title is, bold ("heading") */
  g_autoptr(GtkWidget) label = g_object_ref_sink (gtk_label_new (line));
  int room = gtk_widget_get_width (GTK_WIDGET (self)) - TOAST_CHROME_WIDTH;
  int width = 0;

  if (room <= 0)
    return g_utf8_strlen (line, -1) <= TOAST_MAX_CHARS;
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &width, NULL, NULL);
  return width <= room;
}

/* The first sentence or line of @text if it fits a toast, else as much of
 * it as fits, cut between words; NULL when @text fits whole */
static char *
toast_title_for (FsWindow   *self,
                 const char *text)
{
  const char *end = strchr (text, '\n');
  const char *stop = strstr (text, ". ");
  g_autofree char *head = NULL;
  char *space;

  if (end == NULL && fits_toast (self, text))
    return NULL;
  if (stop != NULL && (end == NULL || stop < end))
    end = stop;
  head = end != NULL ? g_strndup (text, end - text) : g_strdup (text);
  while (!fits_toast (self, head) && (space = strrchr (head, ' ')) != NULL)
    {
      *space = '\0';
      if (fits_toast (self, head))
        return g_strconcat (head, "…", NULL);
    }
  return g_steal_pointer (&head);
}

/* A toast on screen takes the news in place: libadwaita 1.2 frees a toast
 * twice when one is dismissed while another's animation runs, as happens
 * with toasts in quick succession ("Board detected", "Board registered") */
void
fs_window_toast (FsWindow   *self,
                 const char *text)
{
  g_autofree char *title = toast_title_for (self, text);
  AdwToast *toast = self->toast;

  if (toast == NULL)
    {
      toast = adw_toast_new (title != NULL ? title : text);
      g_set_weak_pointer (&self->toast, toast);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
  else
    adw_toast_set_title (toast, title != NULL ? title : text);
  adw_toast_set_button_label (toast, title != NULL ? _("_Details") : NULL);
  if (title != NULL)
    adw_toast_set_action_target_value (toast, g_variant_new_string (text));
  adw_toast_set_action_name (toast, title != NULL ? "win.show-details" : NULL);
}

/* A toast, and a desktop notification when the user is elsewhere */
void
fs_window_announce (FsWindow   *self,
                    const char *text)
{
  fs_window_toast (self, text);
  if (!gtk_window_is_active (GTK_WINDOW (self)))
    {
      g_autoptr(GNotification) notification = g_notification_new (_("Flash Studio"));

      g_notification_set_body (notification, text);
      g_application_send_notification (G_APPLICATION (self->application), "job", notification);
    }
}

static void
on_message_response (AdwMessageDialog *dialog,
                     const char       *response,
                     FsWindow         *self)
{
  if (g_strcmp0 (response, "copy") == 0)
    {
      gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                              g_object_get_data (G_OBJECT (dialog), "text"));
      fs_window_toast (self, _("Copied"));
    }
  else if (g_strcmp0 (response, "resume") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.resume", NULL);
}

/* A dialog with @text whole: wrapped, selectable, scrolled past a height */
static AdwMessageDialog *
message_dialog_new (FsWindow   *self,
                    const char *heading,
                    const char *text)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, NULL));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  /* As wide as it asks to be, always: given less than it was measured
   * at, it would wrap to more lines than the scrolled window made room for */
  gtk_label_set_width_chars (GTK_LABEL (label), 48);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "fs-message-text");
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), label);
  adw_message_dialog_set_extra_child (dialog, scrolled);

  g_object_set_data_full (G_OBJECT (dialog), "text", g_strdup (text), g_free);
  adw_message_dialog_add_responses (dialog, "copy", _("C_opy"), "close", _("_Close"), NULL);
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_message_response), self, 0);
  return dialog;
}

void
fs_window_show_details (FsWindow   *self,
                        const char *text)
{
  gtk_window_present (GTK_WINDOW (message_dialog_new (self, _("Details"), text)));
}

/* What happened, and what to do: the engine's message says it; the dialog
 * adds the way on (Resume after an unplug) */
void
fs_window_show_failure (FsWindow     *self,
                        const char   *heading,
                        const GError *error)
{
  g_autofree char *text = NULL;
  AdwMessageDialog *dialog;
  gboolean resumable;

  if (g_error_matches (error, FS_ERROR, FS_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      fs_window_toast (self, _("Cancelled"));
      return;
    }
  fs_window_dismiss_toast (self);
  resumable = g_error_matches (error, FS_ERROR, FS_ERROR_DISCONNECTED) && self->last_action != LAST_NONE;
  if (resumable)
    text = g_strdup_printf ("%s\n\n%s", error->message,
                            _("Plug the board back in, then choose Resume: what is written already is kept."));
  dialog = message_dialog_new (self, heading, text != NULL ? text : error->message);
  if (resumable)
    {
      adw_message_dialog_add_response (dialog, "resume", _("_Resume"));
      adw_message_dialog_set_response_appearance (dialog, "resume", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "resume");
    }
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
action_show_details (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  fs_window_show_details (FS_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

void
fs_window_class_install_messages (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-details", "s", action_show_details);
}
