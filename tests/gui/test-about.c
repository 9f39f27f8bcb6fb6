/* test-about.c: the application's icon found when the studio runs from
 * the build, not installed, and in About (under Xvfb)
 *
 * In a process of its own: the About window's many types push GLib's quark
 * table past its first block, which GLib then gives up without freeing and
 * LeakSanitizer reports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fs-test-gui.h"

#define APP_ICON "io.github.flashstudio.FlashStudio"

static void
test_app_icon (void)
{
  FsApplication *application = fs_test_gui_application_new ("heltec-wifi-kit-32");
  FsWindow *window = fs_test_gui_window_new (application, 0, 0);
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (window)));
  GtkWindow *about;

  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ICON));
  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ICON "-symbolic"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.about", NULL));
  about = fs_test_gui_wait_for_window (ADW_TYPE_ABOUT_WINDOW);
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==, APP_ICON);
  gtk_window_destroy (about);
  fs_test_gui_close (application, window);
}

int
main (int   argc,
      char *argv[])
{
  if (!fs_test_gui_init (&argc, &argv))
    return 77;

  g_test_add_func ("/about/app-icon", test_app_icon);
  return g_test_run ();
}
