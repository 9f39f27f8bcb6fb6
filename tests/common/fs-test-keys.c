/* fs-test-keys.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gdk/x11/gdkx.h>
#include <X11/extensions/XTest.h>

#include "fs-test-gui.h"
#include "fs-test-keys.h"

static const struct {
  GdkModifierType mask;
  KeySym          keysym;
} modifiers[] = {
  { GDK_CONTROL_MASK, XK_Control_L },
  { GDK_SHIFT_MASK, XK_Shift_L },
  { GDK_ALT_MASK, XK_Alt_L },
};

static void
send_key (Display *display,
          KeySym   keysym,
          gboolean down)
{
  KeyCode code = XKeysymToKeycode (display, keysym);

  g_assert_cmpuint (code, !=, 0);
  XTestFakeKeyEvent (display, code, down, CurrentTime);
}

static gboolean
is_active (gpointer user_data)
{
  return gtk_window_is_active (user_data);
}

void
fs_test_keys_press (GtkWindow  *window,
                    const char *accelerator)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  Display *display;
  GdkModifierType mods;
  guint keyval;

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  g_assert_true (gtk_accelerator_parse (accelerator, &keyval, &mods));
  display = gdk_x11_display_get_xdisplay (gdk_surface_get_display (surface));

  /* No window manager hands out the focus on Xvfb */
  XSetInputFocus (display, gdk_x11_surface_get_xid (surface), RevertToParent, CurrentTime);
  XSync (display, False);
  fs_test_gui_wait (is_active, window);

  for (guint i = 0; i < G_N_ELEMENTS (modifiers); i++)
    if (mods & modifiers[i].mask)
      send_key (display, modifiers[i].keysym, TRUE);
  send_key (display, gdk_keyval_to_lower (keyval), TRUE);
  send_key (display, gdk_keyval_to_lower (keyval), FALSE);
  for (guint i = G_N_ELEMENTS (modifiers); i > 0; i--)
    if (mods & modifiers[i - 1].mask)
      send_key (display, modifiers[i - 1].keysym, FALSE);
  XSync (display, False);
  fs_test_gui_run_for (200);
}
