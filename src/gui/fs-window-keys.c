/* fs-window-keys.c: the window's keyboard
 *
 * The view shortcuts and Ctrl+F are the window's, wherever the focus is:
 * they are caught on the way down, before the monitor's terminal, which
 * would send them to the board as bytes. Showing the monitor puts the
 * focus in its terminal, where typing and Ctrl+F work at once. Escape is
 * caught on the way up instead (fs-window.ui), so that a search bar or a
 * popover closes first; on a job running for a while it asks before
 * cancelling.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fs-window-private.h"

static void
action_cancel (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  fs_job_view_ask_cancel (FS_WINDOW (widget)->job_view);
}

static void
action_search (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FsWindow *self = FS_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "monitor");
  gtk_widget_activate_action (GTK_WIDGET (self->monitor_view), "monitor.search", NULL);
}

/* "map" or "monitor" */
static void
action_show_view (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FsWindow *self = FS_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, g_variant_get_string (parameter, NULL));
}

static void
on_view_shown (AdwViewStack *stack,
               GParamSpec   *pspec,
               FsWindow     *self)
{
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (stack), "monitor") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (fs_monitor_view_get_terminal (self->monitor_view)));
}

static void
add_shortcut (GtkShortcutController *controller,
              const char            *trigger,
              const char            *action,
              GVariant              *argument)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_shortcut_trigger_parse_string (trigger),
                                            gtk_named_action_new (action));

  if (argument != NULL)
    gtk_shortcut_set_arguments (shortcut, argument);
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

void
fs_window_class_install_keys (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, action_cancel);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, action_search);
  gtk_widget_class_install_action (widget_class, "win.show-view", "s", action_show_view);
}

void
fs_window_init_keys (FsWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control>1", "win.show-view", g_variant_new_string ("map"));
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control>2", "win.show-view",
                g_variant_new_string ("monitor"));
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control>f", "win.search", NULL);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
  g_signal_connect (self->view_stack, "notify::visible-child-name", G_CALLBACK (on_view_shown), self);
}
