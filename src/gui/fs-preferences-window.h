/* fs-preferences-window.h: the settings of the GSettings schema
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FS_TYPE_PREFERENCES_WINDOW (fs_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (FsPreferencesWindow, fs_preferences_window, FS, PREFERENCES_WINDOW, AdwPreferencesWindow)

FsPreferencesWindow *fs_preferences_window_new (GSettings *settings);

G_END_DECLS
