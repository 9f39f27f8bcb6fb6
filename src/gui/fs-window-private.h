/* fs-window-private.h: what fs-window.c (the board and the view),
 * fs-window-actions.c (the actions and their jobs), fs-window-messages.c
 * (toasts, details, failures) and fs-window-keys.c (the keyboard) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-flash-view.h"
#include "fs-job-view.h"
#include "fs-monitor-view.h"
#include "fs-virtual-board-view.h"
#include "fs-window.h"

G_BEGIN_DECLS

/* What Resume does again */
typedef enum {
  LAST_NONE,
  LAST_VIRTUALIZE,
  LAST_UPLOAD,
  LAST_RESTORE,
} LastAction;

struct _FsWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkPopover           *board_popover;
  GtkListBox           *ports_list;
  GtkImage             *board_icon;
  GtkLabel             *board_label;
  GtkLabel             *board_where_label;
  GtkDropDown          *baud_dropdown;
  GtkWidget            *virtual_board_button;
  AdwViewSwitcherTitle *window_title;
  GtkButton            *primary_button;
  FsJobView            *job_view;
  GtkStack             *content_stack;
  AdwActionRow         *profile_row;
  AdwActionRow         *port_row;
  AdwActionRow         *chip_row;
  AdwActionRow         *mac_row;
  GtkImage             *register_step_icon;
  GtkImage             *create_vm_step_icon;
  GtkImage             *virtualize_step_icon;
  GtkImage             *upload_step_icon;
  AdwActionRow         *register_step_row;
  AdwActionRow         *create_vm_step_row;
  AdwActionRow         *virtualize_step_row;
  AdwActionRow         *upload_step_row;
  GtkWidget            *register_step_again;
  GtkWidget            *create_vm_step_again;
  GtkWidget            *virtualize_step_again;
  GtkWidget            *upload_step_again;
  FsFlashView          *flash_view;
  FsMonitorView        *monitor_view;
  FsVirtualBoardView   *virtual_board_view;
  AdwViewStack         *view_stack;
  GtkWidget            *main_area;
  AdwLeaflet           *leaflet;

  FsApplication        *application;
  FsBoardSession       *session;
  GCancellable         *cancellable;
  GtkWindow            *prompt;          /* weak */
  AdwToast             *toast;           /* weak: the last one shown */
  FsJobPromptKind       prompt_kind;
  LastAction            last_action;
  char                 *last_path;
  GHashTable           *notes_shown;
};

/* fs-window.c */
void fs_window_update_view           (FsWindow         *self);

/* fs-window-actions.c */
void fs_window_class_install_actions (GtkWidgetClass   *widget_class);
/* Connected to the session's "notify::job": shows a job and its prompts */
void fs_window_follow_job            (FsBoardSession   *session,
                                      GParamSpec       *pspec,
                                      FsWindow         *self);
void fs_window_cancel_job            (FsJobView        *view,
                                      FsWindow         *self);

/* fs-window-messages.c */
void fs_window_class_install_messages (GtkWidgetClass  *widget_class);
/* @text in a toast; its first sentence and a Details button when it is long */
void fs_window_toast                 (FsWindow         *self,
                                      const char       *text);
/* The same, and a desktop notification when the window is not active */
void fs_window_announce              (FsWindow         *self,
                                      const char       *text);
void fs_window_dismiss_toast         (FsWindow         *self);
/* @text whole, selectable, with Copy */
void fs_window_show_details          (FsWindow         *self,
                                      const char       *text);
/* What happened and what to do, with Resume after an unplug */
void fs_window_show_failure          (FsWindow         *self,
                                      const char       *heading,
                                      const GError     *error);

/* fs-window-keys.c */
void fs_window_class_install_keys    (GtkWidgetClass   *widget_class);
void fs_window_init_keys             (FsWindow         *self);

G_END_DECLS
