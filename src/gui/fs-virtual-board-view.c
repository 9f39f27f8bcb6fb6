/* fs-virtual-board-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "fs-transport-sim.h"
#include "fs-virtual-board-view.h"

struct _FsVirtualBoardView
{
  AdwBin        parent_instance;

  AdwActionRow *hold_row;
  GtkSwitch    *jumper_switch;
  GtkSwitch    *boot_switch;
  GtkSwitch    *hold_switch;
  GtkSwitch    *cable_switch;

  FsSimBoard   *board;
};

G_DEFINE_FINAL_TYPE (FsVirtualBoardView, fs_virtual_board_view, ADW_TYPE_BIN)

/* Each switch: the board's property it shows, and the command for on
 * and for off */
typedef struct {
  const char *property;
  const char *on;
  const char *off;
} Switch;

static const Switch switches[] = {
  { "jumper", "jumper on", "jumper off" },
  { "boot-held", "boot on", "boot off" },
  { "held", "hold on", "hold off" },
  { "plugged", "plug", "unplug" },
};

static GtkSwitch *
switch_widget (FsVirtualBoardView *self,
               guint               index)
{
  GtkSwitch *widgets[] = { self->jumper_switch, self->boot_switch, self->hold_switch, self->cable_switch };

  return widgets[index];
}

static void
send (FsVirtualBoardView *self,
      const char         *command)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;

  if (self->board == NULL)
    return;
  answer = fs_sim_board_control (self->board, command, &error);
  /* The commands are this file's own: a refusal is a bug here */
  if (answer == NULL)
    g_critical ("The virtual board refused “%s”: %s", command, error->message);
}

static void
on_switch_active (GtkSwitch          *widget,
                  GParamSpec         *pspec,
                  FsVirtualBoardView *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (switches); i++)
    {
      gboolean board_value = FALSE;

      if (switch_widget (self, i) != widget || self->board == NULL)
        continue;
      g_object_get (self->board, switches[i].property, &board_value, NULL);
      /* Only what the user changed: the board's own notifications land here too */
      if (board_value != gtk_switch_get_active (widget))
        send (self, gtk_switch_get_active (widget) ? switches[i].on : switches[i].off);
    }
}

static void
show_board (FsVirtualBoardView *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (switches); i++)
    {
      gboolean value = FALSE;

      g_object_get (self->board, switches[i].property, &value, NULL);
      gtk_switch_set_active (switch_widget (self, i), value);
    }
}

static void
press_reset (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  send (FS_VIRTUAL_BOARD_VIEW (widget), "reset");
}

void
fs_virtual_board_view_set_transport (FsVirtualBoardView *self,
                                     FsTransport        *transport,
                                     FsBoardProfile     *profile)
{
  FsSimBoard *board = FS_IS_TRANSPORT_SIM (transport) ? fs_transport_sim_get_board (FS_TRANSPORT_SIM (transport)) : NULL;
  const char *hold_button = profile != NULL ? fs_board_profile_get_hold_button (profile) : NULL;

  g_return_if_fail (FS_IS_VIRTUAL_BOARD_VIEW (self));

  gtk_widget_set_visible (GTK_WIDGET (self), board != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->hold_row), hold_button != NULL);
  if (hold_button != NULL)
    {
      /* TRANSLATORS: %s is a button of the board, such as “Power button” */
      g_autofree char *title = g_strdup_printf (_("%s held"), hold_button);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->hold_row), title);
    }
  if (board == self->board)
    return;
  if (self->board != NULL)
    g_signal_handlers_disconnect_by_data (self->board, self);
  g_set_object (&self->board, board);
  if (board == NULL)
    return;
  g_signal_connect_object (board, "notify", G_CALLBACK (show_board), self, G_CONNECT_SWAPPED);
  show_board (self);
}

FsSimBoard *
fs_virtual_board_view_get_board (FsVirtualBoardView *self)
{
  g_return_val_if_fail (FS_IS_VIRTUAL_BOARD_VIEW (self), NULL);
  return self->board;
}

GtkWidget *
fs_virtual_board_view_new (void)
{
  return g_object_new (FS_TYPE_VIRTUAL_BOARD_VIEW, NULL);
}

static void
fs_virtual_board_view_dispose (GObject *object)
{
  FsVirtualBoardView *self = FS_VIRTUAL_BOARD_VIEW (object);

  if (self->board != NULL)
    g_signal_handlers_disconnect_by_data (self->board, self);
  g_clear_object (&self->board);
  gtk_widget_dispose_template (GTK_WIDGET (self), FS_TYPE_VIRTUAL_BOARD_VIEW);

  G_OBJECT_CLASS (fs_virtual_board_view_parent_class)->dispose (object);
}

static void
fs_virtual_board_view_class_init (FsVirtualBoardViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fs_virtual_board_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/flashstudio/FlashStudio/fs-virtual-board-view.ui");
  gtk_widget_class_bind_template_child (widget_class, FsVirtualBoardView, hold_row);
  gtk_widget_class_bind_template_child (widget_class, FsVirtualBoardView, jumper_switch);
  gtk_widget_class_bind_template_child (widget_class, FsVirtualBoardView, boot_switch);
  gtk_widget_class_bind_template_child (widget_class, FsVirtualBoardView, hold_switch);
  gtk_widget_class_bind_template_child (widget_class, FsVirtualBoardView, cable_switch);
  gtk_widget_class_install_action (widget_class, "virtual.reset", NULL, press_reset);
}

static void
fs_virtual_board_view_init (FsVirtualBoardView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < G_N_ELEMENTS (switches); i++)
    g_signal_connect (switch_widget (self, i), "notify::active", G_CALLBACK (on_switch_active), self);
}
