/* fs-test-gui.h: what the window tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-application.h"
#include "fs-monitor-view.h"
#include "fs-sim-board.h"
#include "fs-window.h"

G_BEGIN_DECLS

/* g_test_init(), a display (FALSE without one: the test skips), and
 * XDG folders of its own, so that records and the virtual boards' flash
 * start empty */
gboolean       fs_test_gui_init               (int          *argc,
                                               char       ***argv);
/* The application, started (settings, catalog, discovery) but not run,
 * with the virtual board @board_id as its only board */
FsApplication *fs_test_gui_application_new    (const char    *board_id);
void           fs_test_gui_application_free   (FsApplication *application);
/* Removes every record and virtual board's flash */
void           fs_test_gui_clear_data         (void);
/* A main window of @application, at @width × @height (0 × 0: its default
 * size), shown, once its board is selected */
FsWindow      *fs_test_gui_window_new         (FsApplication *application,
                                               int            width,
                                               int            height);
/* The window's template child @name */
gpointer       fs_test_gui_window_child       (FsWindow      *window,
                                               const char    *name);
/* Destroys @window, frees @application and clears the data folder */
void           fs_test_gui_close              (FsApplication *application,
                                               FsWindow      *window);

/* Runs the main loop until @done says TRUE; fails the test after a minute */
void           fs_test_gui_wait               (GSourceFunc    done,
                                               gpointer       user_data);
void           fs_test_gui_run_for            (guint          milliseconds);
/* A visible window of @type, or NULL; the other waits until there is one */
GtkWindow     *fs_test_gui_find_window        (GType          type);
GtkWindow     *fs_test_gui_wait_for_window    (GType          type);
/* The first widget of @type under @root, depth first, or NULL */
GtkWidget     *fs_test_gui_find_child         (GtkWidget     *root,
                                               GType          type);
/* A label, or a row whose title, says @text exactly */
GtkWidget     *fs_test_gui_find_label         (GtkWidget     *root,
                                               const char    *text);
/* The text of a message dialog with its whole text in a selectable label
 * (the window's details and failures), checked to be readable: not cut
 * at the label's allocated size */
const char    *fs_test_gui_message_text       (AdwMessageDialog *dialog);

/* The flow, as a user goes through it */
/* A path for an input file of the test, in the user's data folder */
char          *fs_test_gui_input_path         (const char    *name);
/* A merged image with a bootloader and @vm, written to an input path */
char          *fs_test_gui_write_package      (GBytes        *vm);
/* The primary button's Register: a nickname, the backup switch, Register */
void           fs_test_gui_register           (FsWindow      *window,
                                               const char    *nickname,
                                               gboolean       backup);
/* The primary button's Create VM with @package and the esp32-8mb layout */
void           fs_test_gui_create_vm          (FsWindow      *window,
                                               const char    *package);
/* Until the selected board runs no job */
void           fs_test_gui_wait_idle          (FsWindow      *window);
/* Until the window has a board selected; its session */
FsBoardSession *fs_test_gui_wait_for_session  (FsWindow      *window);
/* All the monitor's terminal holds, scrollback included, a line per row
 * of the board's (long lines come back whole) */
char          *fs_test_gui_terminal_text      (FsMonitorView *view);
/* The in-process virtual board behind the selected board */
FsSimBoard    *fs_test_gui_sim_board          (FsWindow      *window);

G_END_DECLS
