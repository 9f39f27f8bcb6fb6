/* fs-test-keys.h: keys pressed as a person presses them
 *
 * Through the X server's XTEST extension, so that a key goes the whole
 * way a real one goes: to the focused window, down through the capture
 * phase to the focused widget and back up. Needs the X11 backend.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Gives @window the keyboard focus, presses @accelerator ("<Control>1",
 * "Escape") and lets the window handle it */
void fs_test_keys_press (GtkWindow  *window,
                         const char *accelerator);

G_END_DECLS
